"""Test harness: the app served in-process on 127.0.0.1, and the real index/assistant services."""
from __future__ import annotations

from pathlib import Path

SAMPLE_PLANS = Path(__file__).resolve().parents[2] / "data" / "sample_plans"


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LaunchedApp:
    """The app served in-process on 127.0.0.1 (``ui.app.serve(..., prevent_thread_lock=True)``)."""

    def __init__(self, services, *, language: str = "vi", auth: str = ""):
        from ui.app import serve

        self.port = free_port()
        self.demo = serve(
            services,
            host="127.0.0.1",
            port=self.port,
            auth=auth,
            concurrency_limit=2,
            max_upload_mb=services.max_upload_bytes / (1024 * 1024),
            language=language,
            prevent_thread_lock=True,
        )
        self.url = f"http://127.0.0.1:{self.port}/"

    def close(self) -> None:
        self.demo.close()


class RealServices:
    """The real index/assistant stack with the deterministic hash embedder (no model download).

    Mirrors what ``planchat.wiring.Services`` offers the UI, built from the lower
    layers directly so the UI tests do not depend on the composition root.
    """

    def __init__(self, data_dir, *, max_upload_bytes: int = 5 * 1024 * 1024):
        from assistant.extractive import ExtractiveAnswerer
        from index.embedders import load_embedder
        from index.plan_index import PlanIndex

        self.data_dir = Path(data_dir)
        self.index = PlanIndex.open(self.data_dir / "index", load_embedder("hash"))
        self.answerer = ExtractiveAnswerer()
        self.feedback_path = self.data_dir / "feedback.jsonl"
        self.upload_dir = self.data_dir / "uploads"
        self.max_upload_bytes = max_upload_bytes
        self._assistant = None
        self._generation = None

    @property
    def assistant(self):
        from assistant.service import Assistant

        generation = self.index.generation()
        if self._assistant is None or generation != self._generation:
            self._assistant = Assistant(
                self.index,
                self.answerer,
                documents=[info.meta for info in self.index.documents()],
                records=self.index.responsibilities(),
            )
            self._generation = generation
        return self._assistant

    def ingest(self, paths, progress=None):
        from index.ingest_run import ingest_paths

        return ingest_paths(self.index, [Path(p) for p in paths], max_bytes=self.max_upload_bytes, progress=progress)

    def remove(self, doc_id: str) -> None:
        self.index.remove(doc_id)

    def close(self) -> None:
        self.index.close()


def real_layers_available() -> bool:
    import importlib.util

    return all(
        importlib.util.find_spec(name) is not None
        for name in ("index.plan_index", "index.ingest_run", "index.embedders", "assistant.service", "assistant.extractive")
    )


