"""The real app in its own process, for the load test (not a test module).

``python load_server.py DATA_DIR PORT`` opens the real services (planchat.wiring with
the hash embedder), ingests the sample plans, serves ``ui.app`` on 127.0.0.1:PORT and
then obeys one command per stdin line, answering on stdout with lines that start "@@ ":

* ``rss``                → ``@@ rss <bytes>``
* ``ingest <folder>``    → ``@@ ingest-start <monotonic>`` now, ``@@ ingest-done <monotonic> <json>``
  when the background ingest thread has finished (json: added/failed or error)
* ``chunks``             → ``@@ chunks <json>``: chunk count and whether ids are unique (the served view)
* ``quit``               → closes the app and the index, exits 0

Running the server apart from the 20 client threads keeps its memory figures its own
and the clients out of its interpreter lock. ``time.monotonic`` is CLOCK_MONOTONIC, so
the ingest window it reports compares with the clients' timestamps.
"""
from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))


def say(*parts: object) -> None:
    print("@@", *parts, flush=True)


def main(data_dir: str, port: int) -> int:
    from reliability_helpers import SAMPLE_PLANS, rss_bytes

    from planchat.settings import load_settings
    from planchat.wiring import open_services
    from ui.app import serve

    data = Path(data_dir)
    settings = load_settings({"data_dir": str(data), "embedding_model": "hash"}, env={}, cwd=data.parent)
    services = open_services(settings)
    report = services.ingest([SAMPLE_PLANS])
    if report.failed or len(report.added) != 5:
        say("error", json.dumps({"failed": report.failed, "added": report.added}, ensure_ascii=False))
        return 1
    demo = serve(
        services,
        host="127.0.0.1",
        port=port,
        concurrency_limit=settings.concurrency_limit,
        max_upload_mb=settings.max_upload_mb,
        prevent_thread_lock=True,
    )
    say("ready", port)

    def ingest(folder: str) -> None:
        try:
            result = services.ingest([Path(folder)])
            payload = {"added": list(result.added), "failed": [list(f) for f in result.failed]}
        except Exception as err:  # noqa: BLE001 - reported to the test, which fails on it
            payload = {"error": f"{type(err).__name__}: {err}"}
        say("ingest-done", time.monotonic(), json.dumps(payload, ensure_ascii=False))

    try:
        for line in sys.stdin:
            command, _, arg = line.strip().partition(" ")
            if command == "rss":
                say("rss", rss_bytes())
            elif command == "ingest":
                say("ingest-start", time.monotonic())
                threading.Thread(target=ingest, args=(arg,), daemon=True).start()
            elif command == "chunks":
                ids = [c.id for c in services.index.chunks()]
                say("chunks", json.dumps({"count": len(ids), "unique": len(set(ids)) == len(ids)}))
            elif command == "quit":
                break
    finally:
        demo.close()
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
