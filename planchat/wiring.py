"""Composition root: turn Settings into the objects the CLI, UI and evals use.

This is the only place that knows which embedder, vector store and answerer a
configuration means; everything below it takes plain arguments.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from planchat.settings import Settings

ProgressFn = Callable[[str, int, int, str], None]


def build_embedder(settings: Settings):
    from index.embedders import load_embedder

    return load_embedder(
        settings.embedding_model,
        url=settings.embedding_url,
        api_key=settings.embedding_api_key,
        batch_size=settings.embed_batch_size,
    )


def build_answerer(settings: Settings, embedder=None, restore_marks=None):
    """The configured answerer; ``embedder`` (the index's, with its cache) lets the extractive
    answerer rank sentences by meaning as well as by words."""
    from assistant.extractive import ExtractiveAnswerer

    extractive = ExtractiveAnswerer(embedder=embedder, restore_marks=restore_marks)
    if settings.answerer == "extractive":
        return extractive
    from assistant.llm import LLMAnswerer
    from assistant.llm_factory import make_chat_model

    chat_model = make_chat_model(
        settings.answerer,
        settings.llm_model,
        settings.llm_base_url,
        settings.llm_api_key,
        settings.llm_temperature,
        settings.llm_timeout_s,
    )
    return LLMAnswerer(chat_model, extractive, name=f"{settings.answerer}:{settings.llm_model}")


@dataclass
class Services:
    """Everything an entry point needs, built once from Settings."""

    settings: Settings
    embedder: object
    index: object  # index.plan_index.PlanIndex
    answerer: object
    _assistant: object | None = field(default=None, repr=False)
    _assistant_generation: object = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # -- assistant, rebuilt when the set of documents changes ----------------
    @property
    def assistant(self):
        from assistant.service import Assistant

        generation = self.index.generation() if hasattr(self.index, "generation") else None
        with self._lock:
            if self._assistant is None or generation != self._assistant_generation:
                documents = [info.meta for info in self.index.documents()]
                self._assistant = Assistant(
                    self.index,
                    self.answerer,
                    documents=documents,
                    records=self.index.responsibilities(),
                    k=self.settings.k,
                    change_notes=True,  # issue 12: cited notes on the 2025 administrative changes
                )
                self._assistant_generation = generation
            return self._assistant

    # -- ingest / remove -----------------------------------------------------
    def ingest(self, paths: Sequence[str | Path], progress: ProgressFn | None = None):
        from index.ingest_run import ingest_paths

        return ingest_paths(
            self.index,
            [Path(p) for p in paths],
            loader=document_loader(self.settings, progress),
            max_bytes=int(self.settings.max_file_mb * 1024 * 1024),
            max_chars=self.settings.chunk_max_chars,
            overlap_chars=self.settings.chunk_overlap_chars,
            extract_records=_record_extractor(),
            progress=progress,
        )

    def remove(self, doc_id: str) -> None:
        self.index.remove(doc_id)

    # -- values the UI and evals need ---------------------------------------
    @property
    def feedback_path(self) -> Path:
        return self.settings.feedback_path

    @property
    def upload_dir(self) -> Path:
        return self.settings.data_dir / "uploads"

    @property
    def max_upload_bytes(self) -> int:
        return int(self.settings.max_upload_mb * 1024 * 1024)

    @property
    def settings_dict(self) -> dict:
        return self.settings.describe()

    @property
    def corpus_paths(self) -> list[Path]:
        paths = []
        for info in self.index.documents():
            p = Path(info.meta.source_path)
            if p.is_file():
                paths.append(p)
        return paths

    def close(self) -> None:
        close = getattr(self.index, "close", None)
        if close:
            close()


def document_loader(settings: Settings, progress: ProgressFn | None = None):
    """``ingest.loaders.load_document`` with the OCR settings; OCR pages reported as "ocr" progress events."""
    from functools import partial

    from ingest.loaders import load_document
    from ingest.ocr import OcrOptions

    options = OcrOptions(mode=settings.ocr, max_pages=settings.ocr_max_pages, timeout_s=settings.ocr_timeout_s)
    on_page = (lambda done, total, name: progress("ocr", done, total, name)) if progress else None
    return partial(load_document, ocr=options, ocr_progress=on_page)


def _record_extractor():
    try:
        from ingest.responsibilities import extract_responsibilities
    except ImportError:  # extraction not available: ingest passages only
        return None
    return extract_responsibilities


def open_services(settings: Settings, *, reindex: bool = False, progress: ProgressFn | None = None) -> Services:
    """Open the index under ``settings.data_dir``; ``reindex`` re-embeds stored chunks with the configured model."""
    from index.plan_index import PlanIndex

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    embedder = build_embedder(settings)
    index = PlanIndex.open(
        settings.data_dir,
        embedder,
        chroma_url=settings.chroma_url,
        collection=settings.collection,
        candidates=settings.candidates,
        reindex=reindex,
        progress=progress,
    )
    return Services(settings=settings, embedder=embedder, index=index, answerer=build_answerer(settings, index.embedder, index.restore_marks))
