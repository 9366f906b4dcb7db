"""Ingest files and folders into a PlanIndex: skip unchanged, replace changed, never stop on one bad file."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ingest.errors import IngestError
from ingest.types import Chunk, Document, ResponsibilityRecord
from ingest.version import PIPELINE_VERSION

SUPPORTED_EXTENSIONS = (".txt", ".md", ".pdf", ".docx", ".doc", ".html", ".htm")
READ_AHEAD_FILES = 8  # files read and chunked ahead of the writer (bounds memory)
EMBED_GROUP_CHUNKS = 256  # passages embedded per call ahead of the writer (keeps the embedder's batches full)

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


def _stored_pipeline(index, doc_id: str) -> str:
    """The ingest version that stored ``doc_id`` ("" when unknown: it is read again)."""
    try:
        return index.document(doc_id).pipeline
    except Exception:  # an index without metadata, or the document is not ready
        return ""


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
    if stored_sha is not None and _sha256_of(path, max_bytes) == stored_sha and _stored_pipeline(index, doc_id) == PIPELINE_VERSION:
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
    doc = replace(doc, meta=replace(doc.meta, pipeline=PIPELINE_VERSION))
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
    read_ahead: int = READ_AHEAD_FILES,
    embed_group_chunks: int = EMBED_GROUP_CHUNKS,
) -> IngestReport:
    """Load, chunk and index every file; ``progress(event, done, total, detail)`` reports
    "files" (per file, detail = file name), "chunks" (chunks stored so far, total 0),
    "bytes" (bytes of the files read so far out of those that need reading: the ETA) and
    "embed" (per batch of chunks, from the index) events.

    ``loader``/``chunker`` default to ``ingest.loaders.load_document`` and
    ``ingest.chunker.chunk_document`` (replaceable for tests and experiments).

    Three stages overlap (see ``_Pipeline``): files are read, chunked and mined up to
    ``read_ahead`` files ahead; their passages are embedded into the index's embedding
    cache in groups of about ``embed_group_chunks`` (several files at once, so the
    embedder's batches stay full across small files); the calling thread writes each
    file (catalog, vectors, one transaction per file) in order, its vectors then come
    from the cache. A crash or Ctrl-C loses at most the files not yet written: the next
    run skips every stored file by its hash and finds the passages embedded ahead in
    the cache, so it resumes where the last one stopped.
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

    def prepare(i: int) -> _Prepared:
        path, doc_id, _ = plan[i]
        return _prepare(index, path, doc_id, max_bytes=max_bytes, max_chars=max_chars, overlap_chars=overlap_chars,
                        extract_records=extract_records, loader=loader, chunker=chunker)

    valid = [i for i, (_, _, problem) in enumerate(plan) if problem is None]
    sizes = {i: _size_of(plan[i][0]) for i in valid}
    bytes_total = sum(sizes.values())
    bytes_done = 0
    if progress:
        progress("files", 0, total, "")
    pipeline = _Pipeline(valid, prepare, _cache_filler(index), read_ahead=read_ahead,
                         group_chunks=embed_group_chunks)
    try:
        for done, (path, doc_id, problem) in enumerate(plan, start=1):
            i = done - 1
            try:
                if problem is not None:
                    failed.append((_printable(str(path)), problem))
                    continue
                prepared = pipeline.take(i)
                if prepared.skipped:
                    skipped.append(doc_id)
                    bytes_total -= sizes[i]  # no work: out of the ETA
                    continue
                bytes_done += sizes[i]
                if prepared.error:
                    failed.append((str(path), prepared.error))
                    continue
                chunks_added += index.add(prepared.doc, list(prepared.chunks), list(prepared.records),
                                          progress=progress)
                (replaced if prepared.stored_sha is not None else added).append(doc_id)
            finally:
                if progress:
                    progress("bytes", bytes_done, max(bytes_total, bytes_done), "")
                    progress("chunks", chunks_added, 0, "")
                    progress("files", done, total, doc_id)
    finally:
        pipeline.close()
    if hasattr(index, "refresh"):
        index.refresh()  # persist the lexical index once, not after every file
    return IngestReport(
        added=tuple(added),
        replaced=tuple(replaced),
        skipped_unchanged=tuple(skipped),
        failed=tuple(failed),
        chunks_added=chunks_added,
    )


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _cache_filler(index) -> Callable[[list[str]], None] | None:
    """``embed(texts)`` into the index's embedding cache, or None when the index has no cache
    (then each file is embedded when it is written, without overlap)."""
    from index.embedders.cache import CachedEmbedder

    embedder = getattr(index, "embedder", None)
    if not isinstance(embedder, CachedEmbedder):
        return None
    return lambda texts: embedder.embed(texts, "passage")


class _Pipeline:
    """Reads files ahead on one thread and embeds their passages ahead on another.

    ``take(i)`` (the writer, in file order) returns file ``i`` prepared, once its
    passages are in the embedding cache (or embedding them failed: the writer then
    embeds them itself and meets the error where it always did). Reading stays at
    most ``read_ahead`` files ahead of the writer. Embedding takes the next prepared
    file plus any following ones already prepared, up to ``group_chunks`` passages.
    """

    def __init__(self, order: list[int], prepare: Callable[[int], _Prepared],
                 fill_cache: Callable[[list[str]], None] | None, *, read_ahead: int, group_chunks: int):
        import threading
        from concurrent.futures import Future

        self._order = order
        self._prepare = prepare
        self._fill = fill_cache
        self._group = max(1, group_chunks)
        self._ahead = threading.Semaphore(max(1, read_ahead))
        self._stop = threading.Event()
        self._prepared: dict[int, Future] = {i: Future() for i in order}
        self._embedded: dict[int, threading.Event] = {i: threading.Event() for i in order}
        self._threads = [threading.Thread(target=self._read_loop, name="ingest-read", daemon=True)]
        if fill_cache is not None:
            self._threads.append(threading.Thread(target=self._embed_loop, name="ingest-embed", daemon=True))
        else:
            for event in self._embedded.values():
                event.set()
        for thread in self._threads:
            thread.start()

    def take(self, i: int) -> _Prepared:
        prepared = self._prepared[i].result()
        self._embedded[i].wait()
        self._ahead.release()  # one more file may be read
        return prepared

    def close(self) -> None:
        """Stop reading and embedding ahead (after the last file, or on an error or Ctrl-C in the writer).

        Waits for the embedding call in flight (at most one group) so that its vectors
        reach the cache before the index (and its cache) may be closed. A file being read
        is not waited for (after Ctrl-C that could be a long OCR): the reader only reads.
        """
        self._stop.set()
        for _ in range(len(self._order) + 1):
            self._ahead.release()  # wake a reader waiting for room
        for thread in self._threads:
            thread.join(timeout=None if thread.name == "ingest-embed" else 1.0)

    def _read_loop(self) -> None:
        for i in self._order:
            self._ahead.acquire()
            if self._stop.is_set():
                self._prepared[i].set_result(_Prepared(error="ingest stopped"))
                continue
            try:
                self._prepared[i].set_result(self._prepare(i))
            except BaseException as exc:  # _prepare reports file problems itself; this is a bug or an interrupt
                self._prepared[i].set_exception(exc)

    def _embed_loop(self) -> None:
        from index.embed_text import passage_text

        position = 0
        while position < len(self._order) and not self._stop.is_set():
            group = [self._order[position]]
            texts = self._texts(group[0], passage_text)
            while len(texts) < self._group and position + len(group) < len(self._order):
                following = self._order[position + len(group)]
                if not self._prepared[following].done():
                    break  # do not wait: embed what is ready
                group.append(following)
                texts.extend(self._texts(following, passage_text))
            if texts and not self._stop.is_set():
                try:
                    self._fill(texts)
                except Exception:
                    pass  # the writer embeds these itself and reports the error in its place
            for i in group:
                self._embedded[i].set()
            position += len(group)
        for event in self._embedded.values():
            event.set()

    def _texts(self, i: int, passage_text) -> list[str]:
        from concurrent.futures import wait

        future = self._prepared[i]
        while not future.done():
            if self._stop.is_set():
                return []  # stopping: do not wait for a file still being read
            wait([future], timeout=0.2)
        try:
            prepared = future.result()
        except BaseException:
            return []
        if prepared.skipped or prepared.error or prepared.doc is None:
            return []
        return [passage_text(c) for c in prepared.chunks]
