"""Ingest files and folders into a PlanIndex: skip unchanged, replace changed, never stop on one bad file."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ingest.errors import IngestError
from ingest.types import Chunk, Document, ResponsibilityRecord

SUPPORTED_EXTENSIONS = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")

ProgressFn = Callable[[str, int, int, str], None]
RecordExtractor = Callable[[Document, list[Chunk]], Iterable[ResponsibilityRecord]]


@dataclass(frozen=True)
class IngestReport:
    """Document ids (file names) per outcome; ``failed`` holds (path, one-line message)."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    skipped_unchanged: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    chunks_added: int = 0


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders expanded recursively to supported files (sorted); order kept, duplicates dropped.

    A path that does not exist, and a folder without supported files, are kept so that
    ingesting them reports a readable error.
    """
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = [
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_EXTENSIONS and not _hidden(p, path)
            ]
            # a folder with nothing to ingest is kept, so that it is reported instead of silently ignored
            out.extend(sorted(found, key=lambda p: str(p.relative_to(path)).lower()) or [path])
        else:
            out.append(path)
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = p.resolve() if p.exists() else p.absolute()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _sha256_of(path: Path, max_bytes: int | None) -> str | None:
    """Hash of the raw bytes, or None when the file is unreadable/too big (the loader reports why)."""
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            return None
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _printable(text: str) -> str:
    """``text`` with undecodable file-name bytes (surrogate escapes) shown as ``\\xff``: safe to print and store."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _path_problem(path: Path) -> str | None:
    """Why ``path`` cannot become a document before it is opened, or None."""
    name = path.name
    if _printable(name) != name:
        return f"{_printable(name)}: file name is not valid UTF-8 (it becomes the document id); rename the file"
    if path.is_dir():
        return f"{name}: folder contains no supported files ({', '.join(SUPPORTED_EXTENSIONS)})"
    return None


def ingest_paths(
    index,
    paths: Sequence[str | Path],
    *,
    max_bytes: int | None,
    max_chars: int = 1200,
    overlap_chars: int = 200,
    extract_records: RecordExtractor | None = None,
    progress: ProgressFn | None = None,
    loader: Callable[..., Document] | None = None,
    chunker: Callable[..., list[Chunk]] | None = None,
) -> IngestReport:
    """Load, chunk and index every file; ``progress(event, done, total, detail)`` reports
    "files" (per file, detail = file name) and "embed" (per batch of chunks) events.

    ``loader``/``chunker`` default to ``ingest.loaders.load_document`` and
    ``ingest.chunker.chunk_document`` (replaceable for tests and experiments).
    """
    if loader is None:
        from ingest.loaders import load_document as loader
    if chunker is None:
        from ingest.chunker import chunk_document as chunker

    files = expand_paths(paths)
    total = len(files)
    added: list[str] = []
    replaced: list[str] = []
    skipped: list[str] = []
    failed: list[tuple[str, str]] = []
    chunks_added = 0
    taken: dict[str, Path] = {}
    if progress:
        progress("files", 0, total, "")
    for done, path in enumerate(files, start=1):
        doc_id = path.name
        try:
            problem = _path_problem(path)
            if problem is not None:
                failed.append((_printable(str(path)), problem))
                doc_id = _printable(doc_id)
                continue
            if doc_id in taken:
                failed.append((str(path), f"{doc_id}: another file with this name was ingested in this run "
                               f"({taken[doc_id]}); document ids are file names, rename one of them"))
                continue
            taken[doc_id] = path
            stored_sha = index.document_sha(doc_id)
            if stored_sha is not None and _sha256_of(path, max_bytes) == stored_sha:
                skipped.append(doc_id)
                continue
            try:
                doc = loader(path, max_bytes=max_bytes)
                chunks = chunker(doc, max_chars=max_chars, overlap_chars=overlap_chars)
                records = list(extract_records(doc, chunks)) if extract_records is not None else []
            except IngestError as exc:
                failed.append((str(path), _one_line(exc)))
                continue
            except Exception as exc:  # a bug in one loader/extractor must not stop the batch
                failed.append((str(path), f"{doc_id}: unexpected {type(exc).__name__}: {_one_line(exc)}"))
                continue
            if not doc.meta.sha256:
                file_sha = _sha256_of(path, None)
                if file_sha:
                    doc = replace(doc, meta=replace(doc.meta, sha256=file_sha))
            if doc.meta.doc_id != doc_id:
                failed.append((str(path), f"{doc_id}: loader returned document id {doc.meta.doc_id!r}"))
                continue
            chunks_added += index.add(doc, chunks, records, progress=progress)
            (replaced if stored_sha is not None else added).append(doc_id)
        finally:
            if progress:
                progress("files", done, total, doc_id)
    if hasattr(index, "refresh"):
        index.refresh()  # persist the lexical index once, not after every file
    return IngestReport(
        added=tuple(added),
        replaced=tuple(replaced),
        skipped_unchanged=tuple(skipped),
        failed=tuple(failed),
        chunks_added=chunks_added,
    )
