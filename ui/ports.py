"""What the UI needs from the layers below, as structural types (no planchat import).

``planchat.wiring.Services`` satisfies :class:`Services`; tests pass a small fake
built from the real frozen types. Only the members listed here are used by ``ui``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Protocol, Sequence

from assistant.types import Answer, Turn
from index.types import DocumentInfo, Filters, Hit
from ingest.types import Chunk, DocumentMeta

#: ``progress(event, done, total, detail)`` as called by ``index.ingest_run.ingest_paths``.
ProgressFn = Callable[[str, int, int, str], None]


class IndexPort(Protocol):
    def documents(self) -> list[DocumentInfo]: ...

    def document(self, doc_id: str) -> DocumentMeta: ...

    def document_text(self, doc_id: str) -> str: ...

    def chunks(self, doc_id: str | None = None) -> list[Chunk]: ...

    def provinces(self) -> list[str]: ...

    def retrieve(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]: ...


class AssistantPort(Protocol):
    def ask(
        self, question: str, filters: Filters | None = None, history: Sequence[Turn] = (), k: int | None = None
    ) -> Answer: ...


class IngestReportLike(Protocol):
    """``index.ingest_run.IngestReport``: entries of ``added``/``replaced``/``skipped_unchanged``
    are document ids or paths (only their file name is shown); ``failed`` holds (path, message)."""

    added: Sequence[object]
    replaced: Sequence[object]
    skipped_unchanged: Sequence[object]
    failed: Sequence[tuple[object, str]]
    chunks_added: int


class Services(Protocol):
    @property
    def index(self) -> IndexPort: ...

    @property
    def assistant(self) -> AssistantPort: ...

    def ingest(self, paths: Sequence[str | Path], progress: ProgressFn | None = None) -> IngestReportLike: ...

    def remove(self, doc_id: str) -> None: ...

    @property
    def feedback_path(self) -> Path: ...

    @property
    def max_upload_bytes(self) -> int: ...

    @property
    def upload_dir(self) -> Path: ...
