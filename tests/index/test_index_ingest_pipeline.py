"""The ingest pipeline: reading and embedding ahead of the writer, resuming an interrupted run, progress."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from index.embedders.hash_embedder import HashEmbedder
from index.ingest_run import ingest_paths
from tests.index.test_index_ingest_run import MAX_BYTES, paragraph_chunker


class CountingEmbedder:
    """A hash embedder that records every passage text it is asked for, and on which thread."""

    def __init__(self):
        self.inner = HashEmbedder(64)
        self.model_id = self.inner.model_id
        self.dim = self.inner.dim
        self.passages: list[str] = []
        self.threads: set[str] = set()
        self._lock = threading.Lock()

    def embed(self, texts, role):
        texts = list(texts)
        with self._lock:
            if role == "passage":
                self.passages.extend(texts)
            self.threads.add(threading.current_thread().name)
        return self.inner.embed(texts, role)


def write_plans(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"plan-{i:03d}.txt"
        paragraphs = [f"Kế hoạch số {i}/KH-UBND, đoạn {j}: đào tạo nghề cho lao động nông thôn, mục {i * 10 + j}."
                      for j in range(3)]
        path.write_text("\n\n".join(paragraphs), encoding="utf-8")
        paths.append(path)
    return paths


class Interrupt(BaseException):
    """Stands in for Ctrl-C (a BaseException, like KeyboardInterrupt)."""


def test_interrupted_run_resumes_where_it_stopped(open_index, tmp_path):
    folder = tmp_path / "plans"
    write_plans(folder, 12)
    embedder = CountingEmbedder()
    index = open_index(embedder)

    def stop_after_five(event, done, total, detail):
        if event == "files" and done == 5:
            raise Interrupt()

    with pytest.raises(Interrupt):
        ingest_paths(index, [folder], max_bytes=MAX_BYTES, chunker=paragraph_chunker, progress=stop_after_five)
    assert len(index.documents()) == 5  # each file is committed on its own

    report = ingest_paths(index, [folder], max_bytes=MAX_BYTES, chunker=paragraph_chunker)
    assert report.skipped_unchanged == tuple(f"plan-{i:03d}.txt" for i in range(5))
    assert report.added == tuple(f"plan-{i:03d}.txt" for i in range(5, 12))
    assert len(index.documents()) == 12
    # passages embedded ahead before the interruption came from the cache: none embedded twice
    assert len(embedder.passages) == len(set(embedder.passages)) == 36


def test_passages_are_embedded_ahead_of_the_writer(open_index, tmp_path):
    folder = tmp_path / "plans"
    write_plans(folder, 6)
    embedder = CountingEmbedder()
    index = open_index(embedder)
    report = ingest_paths(index, [folder], max_bytes=MAX_BYTES, chunker=paragraph_chunker)
    assert len(report.added) == 6 and report.chunks_added == 18
    assert embedder.threads == {"ingest-embed"}  # the writer found every vector in the cache
    assert len(embedder.passages) == 18
    assert len(index.chunks()) == 18
    dense = index.dense("Kế hoạch số 3/KH-UBND, đoạn 2: đào tạo nghề cho lao động nông thôn, mục 32.", k=1)
    assert dense and dense[0].chunk.id == "plan-003.txt#2"  # vectors landed with the right chunks


def test_without_a_cache_the_writer_embeds(open_index, tmp_path):
    folder = tmp_path / "plans"
    write_plans(folder, 3)
    embedder = CountingEmbedder()
    index = open_index(embedder, cache_embeddings=False)
    report = ingest_paths(index, [folder], max_bytes=MAX_BYTES, chunker=paragraph_chunker)
    assert report.chunks_added == 9
    assert embedder.threads == {threading.current_thread().name}


def test_progress_reports_files_chunks_and_bytes(open_index, tmp_path):
    folder = tmp_path / "plans"
    paths = write_plans(folder, 4)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    events: dict[str, list[tuple[int, int]]] = {}

    def record(event, done, total, detail):
        events.setdefault(event, []).append((done, total))

    index = open_index(CountingEmbedder())
    report = ingest_paths(index, [folder], max_bytes=MAX_BYTES, chunker=paragraph_chunker, progress=record)
    assert len(report.failed) == 1
    assert events["files"][-1] == (5, 5)
    assert events["chunks"][-1][0] == report.chunks_added == 12
    done, total = events["bytes"][-1]
    assert done == total == sum(p.stat().st_size for p in paths) + (folder / "broken.pdf").stat().st_size
    assert [d for d, _ in events["bytes"]] == sorted(d for d, _ in events["bytes"])

    # a second run skips everything: skipped files leave the ETA's total instead of counting as done
    events.clear()
    ingest_paths(index, [folder], max_bytes=MAX_BYTES, chunker=paragraph_chunker, progress=record)
    assert events["bytes"][-1] == ((folder / "broken.pdf").stat().st_size,) * 2


def test_a_reader_error_reaches_the_writer(open_index, tmp_path):
    folder = tmp_path / "plans"
    write_plans(folder, 3)

    def exploding_loader(path, *, max_bytes=None):
        raise Interrupt()

    index = open_index(CountingEmbedder())
    with pytest.raises(Interrupt):
        ingest_paths(index, [folder], max_bytes=MAX_BYTES, chunker=paragraph_chunker, loader=exploding_loader)
    assert index.documents() == []


def test_worker_caches_merge_into_one_writer_that_embeds_nothing(open_index, tmp_path):
    from index.embedders.cache_merge import main, merge_caches

    shards = [write_plans(tmp_path / "all", 6)[:3], write_plans(tmp_path / "all", 6)[3:]]
    for k, shard in enumerate(shards):  # two workers, each with its own scratch data dir
        ingest_paths(open_index(CountingEmbedder(), data_dir=tmp_path / f"w-{k}"), shard, max_bytes=MAX_BYTES,
                     chunker=paragraph_chunker)
    target = tmp_path / "serve" / "embed_cache.sqlite"
    assert merge_caches(target, [tmp_path / "w-0" / "embed_cache.sqlite", tmp_path / "w-1" / "embed_cache.sqlite"]) == 18
    assert main([str(target), str(tmp_path / "w-0" / "embed_cache.sqlite")]) == 0  # again: nothing new

    writer = CountingEmbedder()
    report = ingest_paths(open_index(writer, data_dir=tmp_path / "serve"), [tmp_path / "all"], max_bytes=MAX_BYTES,
                          chunker=paragraph_chunker)
    assert report.chunks_added == 18
    assert writer.passages == []  # every vector came from the merged cache


def test_an_interrupt_does_not_wait_for_a_file_still_being_read(open_index, tmp_path):
    from ingest.loaders import load_document

    folder = tmp_path / "plans"
    write_plans(folder, 4)
    release = threading.Event()
    finished: list[str] = []

    def slow_loader(path, *, max_bytes=None):
        if path.name == "plan-002.txt":  # a long OCR, say
            release.wait(timeout=60)
            finished.append(path.name)
        return load_document(path, max_bytes=max_bytes)

    def stop_after_first(event, done, total, detail):
        if event == "files" and done == 1:
            raise Interrupt()

    index = open_index(CountingEmbedder())
    with pytest.raises(Interrupt):
        ingest_paths(index, [folder], max_bytes=MAX_BYTES, chunker=paragraph_chunker, loader=slow_loader,
                     progress=stop_after_first)
    assert finished == []  # returned while the slow file was still being read
    release.set()
    assert [d.meta.doc_id for d in index.documents()] == ["plan-000.txt"]
