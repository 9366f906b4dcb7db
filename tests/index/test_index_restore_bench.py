"""What the diacritic statistics cost, next to the lexical index they are built with (prints; no timed asserts).

Run: ``pytest -q -s -m slow tests/index/test_index_restore_bench.py``. The corpus is the
sample plans' chunks repeated to ``COPIES`` times their number (new chunk ids, same text),
so the vocabulary is that of five plans: a real corpus of that size has more forms.
"""
from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample_plans"
COPIES = 40
QUESTIONS = (
    "ai ky ke hoach 72/KH-UBND cua ha noi",
    "so nao chu tri tuyen truyen huong nghiep phan luong trong truong thcs, thpt o cao bang",
    "yen bai to chuc bao nhieu buoi tu van tuyen sinh o cac cum truong, han khi nao",
    "tong kinh phi ke hoach 37 bac kan la bao nhieu",
)


def _sample_chunks():
    from ingest.chunker import chunk_document
    from ingest.loaders import load_document

    chunks = []
    for path in sorted(SAMPLES.iterdir()):
        chunks.extend(chunk_document(load_document(path)))
    return chunks


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def _peak(fn):
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_restorer_cost_next_to_the_lexical_index():
    from index._text import lexical_tokens
    from index.lexical import LexicalEntry, LexicalIndex, Vocabulary
    from index.restore import MarkStatisticsBuilder

    base = _sample_chunks()
    texts = [(f"{c.id}~{i}", c.text) for i in range(COPIES) for c in base]
    entries = [LexicalEntry(key, "d", "", text) for key, text in texts]
    words = sum(len(t.split()) for _, t in texts)

    builder = MarkStatisticsBuilder()
    restorer, t_build = _timed(lambda: builder.build(texts))
    _, t_rebuild = _timed(lambda: builder.build(texts))  # a new generation, every chunk cached
    added = texts + [(f"new~{c.id}", c.text) for c in base]  # one more copy of the five plans
    _, t_add = _timed(lambda: builder.build(added))
    _, peak_build = _peak(lambda: MarkStatisticsBuilder().build(texts))
    cache_bytes = sum(array.nbytes for _, array in builder._cache.values())

    vocabulary = Vocabulary()
    ids, t_tokens = _timed(lambda: [vocabulary.ids(lexical_tokens(t)) for _, t in texts])
    lexical, t_bm25 = _timed(lambda: LexicalIndex.build(entries, token_ids=ids, vocabulary=vocabulary))
    lexical_cache = sum(a.nbytes for a in ids)

    restored, t_restore = _timed(lambda: [restorer.restore(q) for q in QUESTIONS * 25])
    _, t_search = _timed(lambda: [lexical.search(q, 30) for q in QUESTIONS * 25])
    n = len(QUESTIONS) * 25

    print(f"\n{len(texts)} chunks, {words} words, {restorer.vocabulary_size()} forms")
    print(f"build from scratch: restorer {t_build:.2f} s, lexical (tokens + BM25) {t_tokens + t_bm25:.2f} s, "
          f"ratio {t_build / (t_tokens + t_bm25):.2f}")
    print(f"rebuild, all chunks cached: restorer {t_rebuild:.3f} s, BM25 from cached ids {t_bm25:.3f} s, "
          f"ratio {t_rebuild / t_bm25:.2f}; one more copy of the plans: {t_add:.3f} s")
    print(f"memory: count tables {restorer.nbytes() / 1e6:.1f} MB, per-chunk token cache {cache_bytes / 1e6:.1f} MB "
          f"(lexical's: {lexical_cache / 1e6:.1f} MB), peak while building {peak_build / 1e6:.1f} MB")
    print(f"per question: restore {1000 * t_restore / n:.2f} ms, BM25 search {1000 * t_search / n:.2f} ms, "
          f"ratio {t_restore / t_search:.2f}")
    assert restored[0] != QUESTIONS[0] and len(lexical) == len(texts)
