"""Load: 20 concurrent gradio_client chat clients against the real app for 60 s, then the
same while plans are ingested in a background thread.

The app is the real one (``ui.app.serve`` over ``planchat.wiring.open_services``: hash
embedder, embedded Chroma, extractive answerer, the 5 sample plans) on 127.0.0.1 at a
free port, in its own process (``load_server.py``: its RSS is the server's alone; the
ingest runs in a thread of that process). Loops are bounded by time *and* request count. Figures
(requests, errors, p50/p95/max latency, RSS at start/end) are printed and written to
tests/artifacts/reliability/load-figures.json; only errors, answers continuing during
ingest, index consistency and a generous memory bound are asserted, never timing.
"""
from __future__ import annotations

import json
import os
import queue
import signal
import statistics
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest
from planchat_reliability_helpers import PYTHON, cli_env, free_port, read_state_in_subprocess, synthetic_plan

pytestmark = pytest.mark.slow

CLIENTS = 20
DURATION_S = 60.0
MAX_REQUESTS = 20_000  # a bound, not a target
INGEST_PHASE_LIMIT_S = 120.0
MEMORY_GROWTH_LIMIT = 768 * 1024 * 1024  # generous: catches a leak per request, not allocator noise
ARTIFACT = Path(__file__).resolve().parents[1] / "artifacts" / "reliability" / "load-figures.json"
QUESTIONS = (
    "Hà Nội tuyển sinh bao nhiêu năm 2022?",
    "Who leads rural vocational training in Cao Bằng?",
    "Ai chủ trì đào tạo nghề cho lao động nông thôn ở Cao Bằng?",
    "What are Bắc Kạn's vocational education goals for 2021-2025?",
    "Yên Bái giao nhiệm vụ gì cho Sở Giáo dục và Đào tạo?",
    "Hải Dương giao nhiệm vụ gì cho Sở Lao động - Thương binh và Xã hội?",
)


@dataclass
class Sample:
    started: float
    ended: float
    ok: bool
    detail: str = ""

    @property
    def latency(self) -> float:
        return self.ended - self.started


@dataclass
class Figures:
    phase: str
    clients: int
    seconds: float
    requests: int
    errors: int
    p50_s: float
    p95_s: float
    max_s: float
    rss_start_mb: float
    rss_end_mb: float
    extra: dict = field(default_factory=dict)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _figures(phase: str, samples: list[Sample], seconds: float, rss_start: int, rss_end: int, **extra) -> Figures:
    latencies = sorted(s.latency for s in samples if s.ok)
    return Figures(
        phase=phase,
        clients=CLIENTS,
        seconds=round(seconds, 1),
        requests=len(samples),
        errors=sum(1 for s in samples if not s.ok),
        p50_s=round(_percentile(latencies, 50), 3),
        p95_s=round(_percentile(latencies, 95), 3),
        max_s=round(max(latencies), 3) if latencies else float("nan"),
        rss_start_mb=round(rss_start / 2**20, 1),
        rss_end_mb=round(rss_end / 2**20, 1),
        extra=extra,
    )


def _report(fig: Figures) -> None:
    print(
        f"\n[load:{fig.phase}] {fig.clients} clients, {fig.seconds} s: {fig.requests} requests, {fig.errors} errors, "
        f"p50 {fig.p50_s} s, p95 {fig.p95_s} s, max {fig.max_s} s, RSS {fig.rss_start_mb} → {fig.rss_end_mb} MB "
        f"{fig.extra or ''}"
    )
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(ARTIFACT.read_text()) if ARTIFACT.exists() else {}
    existing[fig.phase] = asdict(fig)
    ARTIFACT.write_text(json.dumps(existing, ensure_ascii=False, indent=2))


class Server:
    """``load_server.py`` in its own process group, driven through stdin/stdout lines."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc = subprocess.Popen(
            [str(PYTHON), str(Path(__file__).with_name("load_server.py")), str(data_dir), str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=cli_env(),
            cwd=str(data_dir.parent),
            start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.expect("ready", timeout=180)

    def _read(self) -> None:
        for line in self.proc.stdout:
            if line.startswith("@@ "):
                self.lines.put(line[3:].rstrip("\n"))
        self.lines.put("exited")

    def send(self, command: str) -> None:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def expect(self, word: str, timeout: float = 60) -> str:
        """The rest of the next line that starts with ``word`` (lines before it are dropped)."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"server did not say {word!r} within {timeout} s")
            line = self.lines.get(timeout=remaining)
            head, _, rest = line.partition(" ")
            if head in ("exited", "error"):
                raise AssertionError(f"server {head}: {rest}")
            if head == word:
                return rest

    def rss(self) -> int:
        self.send("rss")
        return int(self.expect("rss"))

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.send("quit")
                self.proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)
            self.proc.stdin.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    pytest.importorskip("gradio_client")
    server = Server(tmp_path_factory.mktemp("load") / "data")
    try:
        yield server
    finally:
        server.close()


def _clients(url: str, n: int) -> list:
    from gradio_client import Client

    return [Client(url, verbose=False, download_files=False) for _ in range(n)]


def _hammer(clients: list, stop: threading.Event, deadline: float, budget: list[int], lock: threading.Lock) -> list[Sample]:
    """Each client asks questions in a loop until ``stop``, the deadline or the request budget."""
    samples: list[Sample] = []

    def worker(i: int, client) -> None:
        k = i
        while not stop.is_set() and time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            question = QUESTIONS[k % len(QUESTIONS)]
            k += 1
            started = time.monotonic()
            try:
                text = client.predict(question, api_name="/chat")
                ok = isinstance(text, str) and bool(text.strip())
                detail = "" if ok else f"empty answer to {question!r}"
            except Exception as err:  # noqa: BLE001 - every failure is a recorded error
                ok, detail = False, f"{type(err).__name__}: {err}"[:300]
            with lock:
                samples.append(Sample(started, time.monotonic(), ok, detail))

    threads = [threading.Thread(target=worker, args=(i, c), daemon=True) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1.0, deadline - time.monotonic()) + 120)
    assert not any(t.is_alive() for t in threads), "a client thread is stuck"
    return samples


def test_twenty_clients_for_sixty_seconds(served):
    clients = _clients(served.url, CLIENTS)
    assert clients[0].predict(QUESTIONS[0], api_name="/chat")  # warm-up, not measured
    rss_start = served.rss()
    stop = threading.Event()
    started = time.monotonic()
    samples = _hammer(clients, stop, started + DURATION_S, [MAX_REQUESTS], threading.Lock())
    elapsed = time.monotonic() - started
    rss_end = served.rss()
    fig = _figures("chat", samples, elapsed, rss_start, rss_end, throughput_rps=round(len(samples) / elapsed, 1))
    _report(fig)
    errors = [s.detail for s in samples if not s.ok]
    assert not errors, f"{len(errors)} errors, e.g. {errors[:3]}"
    assert fig.requests >= CLIENTS
    assert rss_end - rss_start < MEMORY_GROWTH_LIMIT, f"RSS grew by {(rss_end - rss_start) / 2**20:.0f} MB"


def test_answers_keep_coming_while_plans_are_ingested(served, tmp_path):
    plans = tmp_path / "new-plans"
    plans.mkdir()
    new_ids = []
    for i, province in enumerate(("Lào Cai", "Hà Giang", "Sơn La")):
        doc_id = f"plan-{i}-{province.replace(' ', '-')}-KH-UBND-2025.txt"
        (plans / doc_id).write_text(synthetic_plan(120_000, seed=100 + i, province=province, number=500 + i), encoding="utf-8")
        new_ids.append(doc_id)

    clients = _clients(served.url, CLIENTS)
    rss_start = served.rss()
    stop = threading.Event()
    window: dict[str, object] = {}

    def ingest() -> None:
        try:
            time.sleep(2.0)  # let the clients get going first
            served.send(f"ingest {plans}")
            window["start"] = float(served.expect("ingest-start"))
            end, payload = served.expect("ingest-done", timeout=INGEST_PHASE_LIMIT_S).split(" ", 1)
            window["end"], window["outcome"] = float(end), json.loads(payload)
            time.sleep(3.0)  # and a little after, to see answers resume
        except BaseException as err:  # noqa: BLE001 - checked below
            window["outcome"] = {"error": repr(err)}
        finally:
            stop.set()

    ingester = threading.Thread(target=ingest, daemon=True)
    started = time.monotonic()
    ingester.start()
    samples = _hammer(clients, stop, started + INGEST_PHASE_LIMIT_S, [MAX_REQUESTS], threading.Lock())
    ingester.join(timeout=INGEST_PHASE_LIMIT_S + 30)
    assert not ingester.is_alive(), "ingest did not finish within the phase limit"
    elapsed = time.monotonic() - started
    rss_end = served.rss()

    outcome = window["outcome"]
    assert "error" not in outcome, outcome
    assert sorted(outcome["added"]) == sorted(new_ids) and not outcome["failed"], outcome

    start, end = window["start"], window["end"]
    during = [s for s in samples if s.ok and s.ended > start and s.started < end]
    completed_during = [s for s in samples if s.ok and start <= s.ended <= end]
    fig = _figures(
        "chat-during-ingest",
        samples,
        elapsed,
        rss_start,
        rss_end,
        ingest_seconds=round(end - start, 1),
        answered_during_ingest=len(completed_during),
        max_latency_during_ingest_s=round(max((s.latency for s in during), default=float("nan")), 3),
        p95_during_ingest_s=round(_percentile(sorted(s.latency for s in during), 95), 3),
    )
    _report(fig)

    errors = [s.detail for s in samples if not s.ok]
    assert not errors, f"{len(errors)} errors, e.g. {errors[:3]}"
    assert completed_during, "no answer completed while the ingest ran: ingest blocks answering"
    assert rss_end - rss_start < MEMORY_GROWTH_LIMIT

    # nothing corrupted: catalog, Chroma and BM25 agree, the served view has every chunk once,
    # and the new plans answer questions through the API
    state = read_state_in_subprocess(served.data_dir)
    assert state["problems"] == [], state["problems"]
    assert set(new_ids) <= set(state["documents"]) and state["vectors"] == state["chunks"] == state["lexical"]
    served.send("chunks")
    view = json.loads(served.expect("chunks"))
    assert view == {"count": state["chunks"], "unique": True}
    from gradio_client import Client

    answer = Client(served.url, verbose=False, download_files=False).predict(
        "Ai chủ trì đào tạo nghề cho lao động nông thôn ở Sơn La?", api_name="/ask"
    )
    assert any(c["document"] == new_ids[2] for c in answer["citations"]), answer
    assert "1502" in answer["answer"]
