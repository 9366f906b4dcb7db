"""Responsibility records in decisions, letters and reports: articles, assignments, executors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.agencies import canonical_agencies, looks_like_agency
from ingest.chunker import chunk_document
from ingest.responsibilities import extract_responsibilities, find_deadline
from ingest.types import Document, DocumentMeta

DATASETS = Path(__file__).resolve().parents[2] / "evals" / "datasets"


def records(text: str, doc_type: str = "Quyết định"):
    doc = Document(DocumentMeta(doc_id="x.txt", doc_type=doc_type), text)
    return extract_responsibilities(doc, chunk_document(doc))


def find(recs, needle: str):
    hits = [r for r in recs if needle in r.task]
    assert hits, f"no record with {needle!r}: {[r.task for r in recs]}"
    return hits[0]


DECISION = """QUYẾT ĐỊNH
Về việc ban hành kế hoạch thời gian năm học
QUYẾT ĐỊNH:
Điều 1. Ban hành Kế hoạch thời gian năm học 2024-2025 như sau:
1. Tựu trường các cấp học: Ngày 26/8/2024.
Điều 2. Giao Giám đốc Sở Giáo dục và Đào tạo
1. Tổ chức chỉ đạo thực hiện hoàn thành Kế hoạch thời gian năm học đúng quy định.
2. Chủ trì, phối hợp với Sở Tài chính hướng dẫn và tổ chức thực hiện thống nhất kế hoạch.
Điều 3. Giao Sở Xây dựng chủ trì, phối hợp với Công an tỉnh tổ chức kiểm tra các công trình.
Điều 4. Chánh Văn phòng UBND tỉnh; Giám đốc các Sở: Tài chính, Y tế; Cục trưởng Cục Thuế tỉnh; Chủ tịch UBND các huyện, thị xã, thành phố chịu trách nhiệm thi hành Quyết định này./.
Nơi nhận:
- Như Điều 4;
- Lưu: VT.
"""


def test_article_naming_an_agency_owns_its_clauses():
    recs = records(DECISION)
    first = find(recs, "Tổ chức chỉ đạo thực hiện hoàn thành")
    assert first.lead == ("Sở Giáo dục và Đào tạo",) and first.coordinators == ()
    second = find(recs, "hướng dẫn và tổ chức thực hiện thống nhất")
    assert second.lead == ("Sở Giáo dục và Đào tạo",) and second.coordinators == ("Sở Tài chính",)
    assert first.section.endswith("Điều 2. Giao Giám đốc Sở Giáo dục và Đào tạo") or "Điều 2" in first.section


def test_giao_assignment_in_an_article_line():
    rec = find(records(DECISION), "tổ chức kiểm tra các công trình")
    assert rec.lead == ("Sở Xây dựng",) and rec.coordinators == ("Công an tỉnh",)


def test_executors_article_lists_every_agency_with_roles_removed():
    rec = find(records(DECISION), "chịu trách nhiệm thi hành Quyết định này")
    assert rec.lead == ("Văn phòng Ủy ban nhân dân tỉnh", "Sở Tài chính", "Sở Y tế", "Cục Thuế tỉnh",
                        "Ủy ban nhân dân các huyện, thị xã, thành phố")


def test_article_with_duties_and_clause_headings_owning_points():
    text = (
        "Điều 4. Sở Lao động - Thương binh và Xã hội có nhiệm vụ\n"
        "1. Thẩm tra dự toán kinh phí hàng năm của các đơn vị.\n"
        "Điều 7. Tổ chức thực hiện\n"
        "1. Việc thực hiện nhiệm vụ được ủy quyền phải tuân thủ quy định.\n"
        "2. Giám đốc Sở Công Thương:\n"
        "a) Chuẩn bị, bố trí đầy đủ các nguồn lực để thực hiện nhiệm vụ.\n"
        "b) Định kỳ hàng năm báo cáo Ủy ban nhân dân tỉnh.\n"
        "3. Ủy ban nhân dân xã, phường, thị trấn: Khi nhận được hồ sơ, có trách nhiệm:\n"
        "a) Tiến hành bình xét, lấy ý kiến công khai.\n"
    )
    recs = records(text)
    assert find(recs, "Thẩm tra dự toán").lead == ("Sở Lao động - Thương binh và Xã hội",)
    assert find(recs, "bố trí đầy đủ các nguồn lực").lead == ("Sở Công Thương",)
    assert find(recs, "báo cáo Ủy ban nhân dân tỉnh").lead == ("Sở Công Thương",)
    assert find(recs, "bình xét, lấy ý kiến").lead == ("Ủy ban nhân dân các xã, phường, thị trấn",)
    assert not any("tuân thủ quy định" in r.task for r in recs)  # nobody is named for it


def test_directive_lead_in_owns_the_numbered_items():
    text = (
        "CHỈ THỊ\nVề việc đào tạo nghề\n"
        "Để làm tốt hơn nữa công tác này, Thủ tướng Chính phủ yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh, "
        "thành phố trực thuộc Trung ương:\n"
        "1. Chỉ đạo các cấp đưa nội dung đào tạo nghề thành một chỉ tiêu cụ thể.\n"
        "2. Cơ quan Lao động - Thương binh và Xã hội ở địa phương có trách nhiệm thống kê, rà soát.\n"
    )
    recs = records(text, "Chỉ thị")
    assert find(recs, "đưa nội dung đào tạo nghề").lead == ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",)
    assert find(recs, "thống kê, rà soát").lead == ("Cơ quan Lao động - Thương binh và Xã hội ở địa phương",)


@pytest.mark.parametrize("heading", ["Các vấn đề cần lưu ý", "Các chứng từ giải ngân"])
def test_headings_never_become_a_lead(heading):
    assert not looks_like_agency(heading)
    text = (
        "KẾ HOẠCH\nVề việc X\nI. MỤC ĐÍCH\nNội dung.\nII. TỔ CHỨC THỰC HIỆN\n"
        f"1. Sở Tài chính\n- Chủ trì thẩm định kinh phí thực hiện kế hoạch.\n2. {heading}:\n"
        "- Hồ sơ phải được lập đầy đủ theo mẫu quy định.\n- Thời hạn gửi hồ sơ là ngày 15 hằng tháng.\n"
    )
    recs = records(text, "Kế hoạch")
    assert find(recs, "thẩm định kinh phí").lead == ("Sở Tài chính",)
    assert all(heading not in r.lead + r.coordinators for r in recs)
    # a table column of leads is checked the same way
    table = (
        "KẾ HOẠCH\nVề việc X\n\nTT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp\n"
        f"1 | Lập hồ sơ giải ngân | {heading} | Sở Tài chính\n2 | Thẩm định dự toán | Sở Tài chính | Kho bạc Nhà nước tỉnh\n"
    )
    recs = records(table, "Kế hoạch")
    assert all(heading not in r.lead for r in recs)
    assert find(recs, "Thẩm định dự toán").lead == ("Sở Tài chính",)


def test_reports_keep_only_requests():
    text = (
        "BÁO CÁO\nKết quả năm 2025\nI. KẾT QUẢ\nSở Tài chính đã thẩm định 12 dự án trong năm.\n"
        "II. KIẾN NGHỊ\nĐề nghị Bộ Tài chính hướng dẫn cơ chế quản lý nguồn thu.\n"
    )
    recs = records(text, "Báo cáo")
    assert [r.lead for r in recs] == [("Bộ Tài chính",)]


def test_collectives_and_roles_canonicalise():
    assert canonical_agencies("các Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, Thủ trưởng cơ quan thuộc Chính phủ") == (
        "Các bộ, cơ quan ngang bộ", "Các cơ quan thuộc Chính phủ")
    assert canonical_agencies("Thủ trưởng các cơ quan, đơn vị có liên quan") == ("Các cơ quan, đơn vị liên quan",)
    assert canonical_agencies("các Bộ, ngành có liên quan") == ("Các bộ, ngành",)
    assert canonical_agencies("Cục trưởng Cục Thuế tỉnh") == ("Cục Thuế tỉnh",)
    assert canonical_agencies("Giám đốc các Sở: Tài chính, Y tế") == ("Sở Tài chính", "Sở Y tế")


def test_quarter_deadlines_and_cited_dates():
    assert find_deadline("trình Thủ tướng Chính phủ trong quý 1/2019.").iso == "2019-03-31"
    assert find_deadline("Xong trong Quý II/2026").iso == "2026-06-30"
    assert find_deadline("theo Quyết định số 22/2013/QĐ-TTg ngày 26 tháng 4 năm 2013") is None


# ------------------------------------------------------------------ gold records on real documents


def _score(external_dir, gold_name):
    from evals.responsibilities import gold_document_paths, records_for_files, run_responsibility_eval

    gold = DATASETS / gold_name
    recs = records_for_files(gold_document_paths(gold, external_dir / "dev-docs"))
    return run_responsibility_eval(recs, gold)


def test_external_split_is_alternate_files_and_gold_respects_it(external_dir):
    split = json.loads((DATASETS / "responsibilities_external_split.json").read_text(encoding="utf-8"))
    files = sorted(p.name for p in (external_dir / "dev-docs").iterdir() if p.name != "SOURCES.md")
    assert split["dev"] == files[0::2] and split["heldout"] == files[1::2]
    for half, gold_name in (("dev", "responsibilities_external_dev.jsonl"),
                            ("heldout", "responsibilities_external_heldout.jsonl")):
        docs = {json.loads(line)["document"] for line in (DATASETS / gold_name).read_text(encoding="utf-8").splitlines()
                if line.strip()}
        assert docs <= set(split[half]), gold_name
    heldout_docs = {json.loads(line)["document"] for line in
                    (DATASETS / "responsibilities_external_heldout.jsonl").read_text(encoding="utf-8").splitlines()}
    assert len(heldout_docs) >= 4


def test_external_dev_records(external_dir):
    result = _score(external_dir, "responsibilities_external_dev.jsonl")
    assert result["task_recall"] >= 0.95
    assert result["lead"]["precision"] >= 0.95 and result["lead"]["recall"] >= 0.9
    assert result["coordinators"]["precision"] >= 0.9 and result["coordinators"]["recall"] >= 0.85
