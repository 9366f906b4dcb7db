"""Fast embedder tests: the hash embedder, the factory and the passage/query cache."""
from __future__ import annotations

import numpy as np
import pytest

from index.embedders import load_embedder
from index.embedders.base import Embedder
from index.embedders.cache import CachedEmbedder
from index.embedders.hash_embedder import HashEmbedder
from index.embedders.st_embedder import is_e5_family


def test_hash_embedder_is_deterministic_and_normalised():
    a = HashEmbedder(256).embed(["Sở Lao động - Thương binh và Xã hội chủ trì", "Cao Bằng"], "passage")
    b = HashEmbedder(256).embed(["Sở Lao động - Thương binh và Xã hội chủ trì", "Cao Bằng"], "query")
    assert a.shape == (2, 256) and a.dtype == np.float32
    assert np.array_equal(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-6)


def test_hash_embedder_folds_diacritics_and_separates_topics():
    e = HashEmbedder(256)
    with_marks, without, other = e.embed(
        ["đào tạo nghề cho lao động nông thôn", "dao tao nghe cho lao dong nong thon", "kinh phí ngân sách nhà nước"],
        "passage",
    )
    assert float(with_marks @ without) == pytest.approx(1.0, abs=1e-6)
    assert float(with_marks @ other) < 0.5


def test_hash_embedder_handles_empty_text():
    v = HashEmbedder(32).embed(["", "   "], "query")
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0)


def test_load_embedder_hash_and_protocol():
    e = load_embedder("hash")
    assert isinstance(e, Embedder)
    assert e.model_id == "hash-256" and e.dim == 256
    assert load_embedder("hash-64").dim == 64


def test_load_embedder_unknown_model_fails_with_clear_message(tmp_path):
    from index.errors import EmbeddingModelUnavailable

    with pytest.raises(EmbeddingModelUnavailable) as err:
        load_embedder(str(tmp_path / "no-such-model"))
    message = str(err.value)
    assert "\n" not in message
    assert "local path" in message and "unreachable" in message


@pytest.mark.parametrize(
    "name, expected",
    [
        ("intfloat/multilingual-e5-small", True),
        ("e5-base-v2", True),
        ("/models/multilingual-e5-large", True),
        ("sentence-transformers/all-MiniLM-L6-v2", False),
        ("bge-m3", False),
    ],
)
def test_e5_family_detection(name, expected):
    assert is_e5_family(name) is expected


def test_cache_hit_avoids_re_embedding(tmp_path, make_counting_embedder):
    inner = make_counting_embedder()
    cache = CachedEmbedder(inner, tmp_path / "embed_cache.sqlite")
    texts = ["Phấn đấu mỗi năm đào tạo cho 6.000 người lao động", "Sở Giáo dục và Đào tạo chủ trì"]
    first = cache.embed(texts, "passage")
    assert inner.texts["passage"] == 2
    second = cache.embed(texts + [texts[0]], "passage")
    assert inner.texts["passage"] == 2  # nothing new was embedded
    assert np.array_equal(first, second[:2]) and np.array_equal(second[2], first[0])
    cache.embed(["một đoạn mới", "một đoạn mới"], "passage")
    assert inner.texts["passage"] == 3  # duplicates inside a batch are embedded once
    cache.close()

    # the cache survives a restart (re-ingest in a new process)
    inner2 = make_counting_embedder()
    cache2 = CachedEmbedder(inner2, tmp_path / "embed_cache.sqlite")
    again = cache2.embed(texts, "passage")
    assert inner2.texts["passage"] == 0
    assert np.array_equal(again, first)
    assert cache2.cached_count() == 3
    cache2.close()


def test_cache_is_keyed_by_model_id(tmp_path, make_counting_embedder):
    a = make_counting_embedder(model_id="model-a")
    CachedEmbedder(a, tmp_path / "c.sqlite").embed(["đào tạo nghề"], "passage")
    b = make_counting_embedder(model_id="model-b")
    CachedEmbedder(b, tmp_path / "c.sqlite").embed(["đào tạo nghề"], "passage")
    assert a.texts["passage"] == 1 and b.texts["passage"] == 1


def test_queries_are_not_stored_on_disk_but_memoised(tmp_path, make_counting_embedder):
    inner = make_counting_embedder()
    cache = CachedEmbedder(inner, tmp_path / "c.sqlite", query_cache_size=2)
    cache.embed(["ai chủ trì?"], "query")
    cache.embed(["ai chủ trì?"], "query")
    assert inner.texts["query"] == 1
    assert cache.cached_count() == 0
    cache.embed(["q2"], "query")
    cache.embed(["q3"], "query")  # evicts "ai chủ trì?"
    cache.embed(["ai chủ trì?"], "query")
    assert inner.texts["query"] == 4
    assert cache.embed([], "query").shape == (0, inner.dim)
    assert cache.embed([], "passage").shape == (0, inner.dim)
