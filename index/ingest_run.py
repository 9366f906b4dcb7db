"""Ingest files and folders into a PlanIndex: skip unchanged, replace changed, never stop on one bad file."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ingest.errors import IngestError
from ingest.types import Chunk, Document, ResponsibilityRecord

SUPPORTED_EXTENSIONS = (".txt", ".md", ".pdf", ".docx", ".doc", ".html", ".htm")

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


@dataclass(frozen=True)
class _Prepared:
    """A file read, chunked and mined for records, ready for ``index.add`` (or why not)."""

    stored_sha: str | None = None
    skipped: bool = False
    error: str = ""
    doc: Document | None = None
    chunks: tuple[Chunk, ...] = ()
    records: tuple[ResponsibilityRecord, ...] = ()


def _prepare(index, path: Path, doc_id: str, *, max_bytes, max_chars, overlap_chars, extract_records,
             loader, chunker) -> _Prepared:
    stored_sha = index.document_sha(doc_id)
    if stored_sha is not None and _sha256_of(path, max_bytes) == stored_sha:
        return _Prepared(stored_sha=stored_sha, skipped=True)
    try:
        doc = loader(path, max_bytes=max_bytes)
        chunks = chunker(doc, max_chars=max_chars, overlap_chars=overlap_chars)
        records = list(extract_records(doc, chunks)) if extract_records is not None else []
    except IngestError as exc:
        return _Prepared(stored_sha, error=_one_line(exc))
    except Exception as exc:  # a bug in one loader/extractor must not stop the batch
        return _Prepared(stored_sha, error=f"{doc_id}: unexpected {type(exc).__name__}: {_one_line(exc)}")
    if not doc.meta.sha256:
        file_sha = _sha256_of(path, None)
        if file_sha:
            doc = replace(doc, meta=replace(doc.meta, sha256=file_sha))
    if doc.meta.doc_id != doc_id:
        return _Prepared(stored_sha, error=f"{doc_id}: loader returned document id {doc.meta.doc_id!r}")
    return _Prepared(stored_sha, doc=doc, chunks=tuple(chunks), records=tuple(records))


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

    The next file is read, chunked and mined on a helper thread while the current one
    is embedded and written (the embedder runs in C without the GIL), so parsing, and
    for PDFs it can take seconds, is hidden behind embedding.
    """
    from concurrent.futures import ThreadPoolExecutor

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

    # cheap checks first, in order: which files get prepared at all
    plan: list[tuple[Path, str, str | None]] = []  # (path, doc id, problem)
    taken: dict[str, Path] = {}
    for path in files:
        doc_id = path.name
        problem = _path_problem(path)
        if problem is not None:
            plan.append((path, _printable(doc_id), problem))
            continue
        if doc_id in taken:
            plan.append((path, doc_id, f"{doc_id}: another file with this name was ingested in this run "
                                       f"({taken[doc_id]}); document ids are file names, rename one of them"))
            continue
        taken[doc_id] = path
        plan.append((path, doc_id, None))

    def prepare(i: int):
        path, doc_id, _ = plan[i]
        return _prepare(index, path, doc_id, max_bytes=max_bytes, max_chars=max_chars, overlap_chars=overlap_chars,
                        extract_records=extract_records, loader=loader, chunker=chunker)

    valid = [i for i, (_, _, problem) in enumerate(plan) if problem is None]
    next_valid = dict(zip(valid, valid[1:]))
    if progress:
        progress("files", 0, total, "")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-prepare") as pool:
        pending = {valid[0]: pool.submit(prepare, valid[0])} if valid else {}
        for done, (path, doc_id, problem) in enumerate(plan, start=1):
            i = done - 1
            try:
                if problem is not None:
                    failed.append((_printable(str(path)), problem))
                    continue
                prepared = pending.pop(i).result()
                following = next_valid.get(i)
                if following is not None:  # read the next file while this one is embedded
                    pending[following] = pool.submit(prepare, following)
                if prepared.skipped:
                    skipped.append(doc_id)
                    continue
                if prepared.error:
                    failed.append((str(path), prepared.error))
                    continue
                chunks_added += index.add(prepared.doc, list(prepared.chunks), list(prepared.records),
                                          progress=progress)
                (replaced if prepared.stored_sha is not None else added).append(doc_id)
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
