"""Responsibility extraction on plans written for the tests (tables, prose, agency sections)
and a few checks on the bundled sample plans."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.chunker import chunk_document
from ingest.responsibilities import extract_responsibilities, find_deadline, parse_deadline
from ingest.types import Document, DocumentMeta

LD = "Sở Lao động - Thương binh và Xã hội"
GD = "Sở Giáo dục và Đào tạo"
UBH = "Ủy ban nhân dân các huyện, thị xã, thành phố"
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample_plans"


def make_doc(text: str, doc_id: str = "test-plan.txt", province: str = "Lào Cai") -> Document:
    return Document(DocumentMeta(doc_id=doc_id, province=province, title="Kế hoạch thử"), text)


def extract(text: str, **kw):
    doc = make_doc(text, **kw)
    return doc, extract_responsibilities(doc, chunk_document(doc))


def only(records, task_part: str):
    found = [r for r in records if task_part.lower() in r.task.lower()]
    assert len(found) == 1, f"{task_part!r}: {[r.task for r in found]}"
    return found[0]


# ----------------------------------------------------------------------------- tables

PIPE_TABLE = """KẾ HOẠCH
Phát triển nghề cho thanh niên
I. TỔ CHỨC THỰC HIỆN
Các đơn vị triển khai theo phụ lục kèm theo.
PHỤ LỤC 2
DỰ TOÁN KINH PHÍ THỰC HIỆN KẾ HOẠCH NĂM 2024-2026
STT
|
Nhiệm vụ
|
Chỉ tiêu
|
Cơ quan chủ trì
|
Cơ quan phối hợp
|
Kinh phí (triệu đồng)
|
Nguồn khác
|
Năm 2024
|
Năm 2025
|
Năm 2026
|
Tổng
|
I
|
Khảo sát và đầu tư
|
|
|
|
|
|
|
270
|
|
1
|
Khảo sát nhu cầu học nghề của thanh niên
|
2 đợt/năm
|
Sở LĐ-TB&XH
|
Sở Y tế; UBND các huyện, TX, TP
|
80
|
90
|
100
|
270
|
|
2
|
Mua sắm thiết bị thực hành
|
|
Sở Khoa học và Công nghệ
|
Sở Tài chính
|
x
|
x
|
-
|
|
Vốn xã hội hóa
|
"""


def test_pipe_table_rows_become_records_with_yearly_budget():
    doc, records = extract(PIPE_TABLE)
    table = [r for r in records if r.source == "table"]
    assert len(table) == 2  # the group row "I" is context, not a task
    survey = only(table, "Khảo sát nhu cầu học nghề")
    assert survey.lead == (LD,)
    assert survey.coordinators == ("Sở Y tế", UBH)
    assert survey.target == "2 đợt/năm"
    assert survey.budget == (
        "Năm 2024: 80 triệu đồng; Năm 2025: 90 triệu đồng; Năm 2026: 100 triệu đồng; Tổng: 270 triệu đồng"
    )
    assert survey.quote in doc.text and "Khảo sát nhu cầu học nghề" in survey.quote
    assert dict(survey.extra)["group"].startswith("I Khảo sát và đầu tư")
    kit = only(table, "Mua sắm thiết bị")
    assert kit.lead == ("Sở Khoa học và Công nghệ",)
    assert kit.budget == "Nguồn khác: Vốn xã hội hóa"
    assert dict(kit.extra)["years"] == "2024, 2025"  # "x" marks, not amounts


BLANK_TABLE = """PHỤ LỤC 3
PHÂN CÔNG NHIỆM VỤ

TT

Nội dung công việc

Đơn vị chủ trì

Đơn vị phối hợp

Thời gian hoàn thành

Sản phẩm

1

Xây dựng cơ sở dữ liệu người học

Sở Thông tin và Truyền thông

Sở GD&ĐT; Sở Tư pháp

Xong trước ngày 31/7/2025

Cơ sở dữ liệu

2

Tổ chức ngày hội việc làm

Giám đốc Sở Lao động, Thương binh và Xã hội

Đoàn TNCS Hồ Chí Minh tỉnh

Tháng 10/2025

Báo cáo

3

Tổng kết thực hiện kế hoạch

UBND tỉnh

Các sở, ban, ngành

Trước ngày 15/12

Báo cáo
"""


def test_one_cell_per_line_table_with_deadlines_and_people():
    doc, records = extract(BLANK_TABLE)
    assert [r.source for r in records] == ["table"] * 3
    db = only(records, "cơ sở dữ liệu người học")
    assert (db.lead, db.coordinators) == (("Sở Thông tin và Truyền thông",), (GD, "Sở Tư pháp"))
    assert (db.deadline, db.deadline_iso) == ("Xong trước ngày 31/7/2025", "2025-07-31")
    assert dict(db.extra)["output"] == "Cơ sở dữ liệu"
    fair = only(records, "ngày hội việc làm")
    assert fair.lead == (LD,)  # the director stands for the department
    assert "Giám đốc" in dict(fair.extra)["people"]
    assert fair.coordinators == ("Tỉnh đoàn",)
    assert (fair.deadline, fair.deadline_iso) == ("Tháng 10/2025", "2025-10-31")
    final = only(records, "Tổng kết thực hiện")
    assert (final.deadline, final.deadline_iso) == ("Trước ngày 15/12", "")
    for r in records:
        assert r.quote in doc.text
        assert r.chunk_id and r.document == "test-plan.txt" and r.province == "Lào Cai"


def test_inline_pipe_rows_from_docx_or_html():
    text = (
        "PHỤ LỤC\nNHIỆM VỤ CỤ THỂ\n"
        "| TT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| 1 | Rà soát mạng lưới trường nghề | Sở Nội vụ | Sở LĐTBXH, Sở Tài chính | 30/6/2025 |\n"
        "| 2 | Đào tạo giáo viên | Các cơ sở GDNN | | Quý III/2025 |\n"
    )
    doc, records = extract(text)
    review = only(records, "Rà soát mạng lưới")
    assert (review.lead, review.coordinators) == (("Sở Nội vụ",), (LD, "Sở Tài chính"))
    assert (review.deadline, review.deadline_iso) == ("30/6/2025", "2025-06-30")
    teachers = only(records, "Đào tạo giáo viên")
    assert teachers.lead == ("Các cơ sở giáo dục nghề nghiệp",) and teachers.coordinators == ()


def test_tables_without_a_lead_column_give_no_records():
    text = "PHỤ LỤC 1\nCHỈ TIÊU NĂM 2025\n\nTT\n\nĐơn vị\n\nTỷ lệ (%)\n\n1\n\nHuyện A\n\n40,5\n\n2\n\nHuyện B\n\n55,0\n"
    _, records = extract(text)
    assert records == []


# ----------------------------------------------------------------------------- agency sections

SECTION_PLAN = """KẾ HOẠCH
Đào tạo nghề năm 2025
I. MỤC ĐÍCH, YÊU CẦU
Nâng cao chất lượng đào tạo nghề.
II. TỔ CHỨC THỰC HIỆN
1. Sở Lao động - Thương binh và Xã hội
a. Chủ trì, phối hợp với Sở Tài chính và các đơn vị liên quan xây dựng kế hoạch đào tạo nghề hằng năm.
b. Phối hợp với Sở Nội vụ sắp xếp các trung tâm giáo dục nghề nghiệp.
c. Phối hợp với các đơn vị liên quan tổ chức hội thi tay nghề.
d. Tham mưu bố trí kinh phí cho các lớp học nghề; phối hợp với Sở Y tế tổ chức khám sức khỏe cho học viên.
đ. Tổng hợp báo cáo kết quả thực hiện trước ngày 30/11/2025.
2. Sở Kế hoạch và Đầu tư, Sở Tài chính
- Sở Kế hoạch và Đầu tư chủ trì, phối hợp các sở, ngành liên quan bố trí vốn đầu tư.
- Sở Tài chính tham mưu cân đối ngân sách hằng năm.
3. Ban Dân tộc
Phối hợp triển khai chính sách hỗ trợ học nghề cho đồng bào dân tộc thiểu số.
4. Các cơ sở giáo dục nghề nghiệp
a. Tích cực tuyển sinh theo chỉ tiêu được giao.
b. Trường Cao đẳng Lào Cai:
- Chủ trì xây dựng chương trình đào tạo nghề du lịch.
5. Phòng Giáo dục nghề nghiệp: Chủ trì, phối hợp với các phòng, đơn vị liên quan tổng hợp kết quả trước ngày 15/12/2025.
6. Đề nghị Ủy ban MTTQ tỉnh, Tỉnh đoàn
Tuyên truyền, vận động thanh niên học nghề.
Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành nghiêm túc thực hiện Kế hoạch này.
"""


@pytest.fixture(scope="module")
def section_records():
    return extract(SECTION_PLAN)


def test_heading_agency_leads_and_chu_tri_partners_coordinate(section_records):
    _, records = section_records
    r = only(records, "kế hoạch đào tạo nghề hằng năm")
    assert (r.lead, r.coordinators, r.source) == ((LD,), ("Sở Tài chính", "Các đơn vị liên quan"), "agency_section")
    assert r.section.startswith("II. TỔ CHỨC THỰC HIỆN")


def test_phoi_hop_with_a_specific_agency_makes_it_the_lead(section_records):
    _, records = section_records
    r = only(records, "sắp xếp các trung tâm")
    assert (r.lead, r.coordinators) == (("Sở Nội vụ",), (LD,))


def test_phoi_hop_with_only_generic_partners_keeps_the_heading_agency_as_lead(section_records):
    _, records = section_records
    r = only(records, "hội thi tay nghề")
    assert (r.lead, r.coordinators) == ((LD,), ("Các đơn vị liên quan",))


def test_phoi_hop_without_partner_has_no_lead(section_records):
    _, records = section_records
    r = only(records, "đồng bào dân tộc thiểu số")
    assert (r.lead, r.coordinators) == ((), ("Ban Dân tộc",))


def test_an_item_is_split_where_the_role_changes(section_records):
    _, records = section_records
    funding = only(records, "bố trí kinh phí cho các lớp học nghề")
    health = only(records, "khám sức khỏe")
    assert (funding.lead, funding.coordinators) == ((LD,), ())
    assert (health.lead, health.coordinators) == (("Sở Y tế",), (LD,))
    assert "khám sức khỏe" not in funding.task


def test_item_subject_overrides_a_shared_heading(section_records):
    _, records = section_records
    invest = only(records, "bố trí vốn đầu tư")
    budget = only(records, "cân đối ngân sách")
    assert (invest.lead, invest.coordinators) == (("Sở Kế hoạch và Đầu tư",), ("Các sở, ban, ngành",))
    assert (budget.lead, budget.coordinators) == (("Sở Tài chính",), ())


def test_sub_agency_heading_inside_items(section_records):
    _, records = section_records
    assert only(records, "tuyển sinh theo chỉ tiêu").lead == ("Các cơ sở giáo dục nghề nghiệp",)
    assert only(records, "nghề du lịch").lead == ("Trường Cao đẳng Lào Cai",)


def test_inline_heading_and_deadlines(section_records):
    _, records = section_records
    r = only(records, "tổng hợp kết quả trước ngày 15/12/2025")
    assert (r.lead, r.coordinators) == (("Phòng Giáo dục nghề nghiệp",), ("Các phòng, đơn vị liên quan",))
    assert (r.deadline, r.deadline_iso) == ("trước ngày 15/12/2025", "2025-12-15")
    report = only(records, "Tổng hợp báo cáo kết quả thực hiện trước ngày 30/11/2025")
    assert (report.lead, report.deadline_iso) == ((LD,), "2025-11-30")


def test_requests_to_mass_organisations_and_the_closing_directive(section_records):
    _, records = section_records
    r = only(records, "vận động thanh niên học nghề")
    assert r.lead == ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Tỉnh đoàn")
    closing = only(records, "nghiêm túc thực hiện Kế hoạch này")
    assert closing.lead == ("Các sở, ban, ngành",)  # the requester (UBND tỉnh) is not the lead
    assert closing.source == "prose"


def test_every_quote_is_exact_source_text_in_its_chunk(section_records):
    doc, records = section_records
    chunks = {c.id: c for c in chunk_document(doc)}
    assert len(records) >= 14
    for r in records:
        start = doc.text.find(r.quote)
        assert start >= 0
        chunk = chunks[r.chunk_id]
        assert chunk.start <= start < chunk.end


# ----------------------------------------------------------------------------- prose

PROSE_PLAN = """Triển khai kế hoạch về đào tạo nghề

Để thực hiện kế hoạch, UBND tỉnh đề nghị Sở Lao động - Thương binh và Xã hội chỉ đạo các cơ sở đào tạo tổ chức tuyển sinh. Hướng dẫn, kiểm tra việc thực hiện.

Sở Giáo dục và Đào tạo chủ trì, phối hợp với Sở LĐTBXH, các đơn vị liên quan đẩy mạnh phân luồng học sinh.

UBND các huyện, TP chỉ đạo UBND cấp xã rà soát nhu cầu học nghề.

Sở Lao động - Thương binh và Xã hội đã ban hành văn bản hướng dẫn.

Đoàn kiểm tra: do Ủy ban nhân dân tỉnh chủ trì hoặc Sở Giáo dục và Đào tạo chủ trì; thành viên là các sở, ngành liên quan.
"""


def test_prose_patterns():
    doc, records = extract(PROSE_PLAN)
    assert {r.source for r in records} == {"prose"}
    request = only(records, "tổ chức tuyển sinh")
    assert request.lead == (LD,) and request.task.startswith("chỉ đạo")
    assert "Hướng dẫn, kiểm tra" in request.task  # the next sentence has no subject: same agency
    lead_coord = only(records, "phân luồng học sinh")
    assert (lead_coord.lead, lead_coord.coordinators) == ((GD,), (LD, "Các đơn vị liên quan"))
    assert only(records, "UBND cấp xã").lead == (UBH,)
    chaired = only(records, "Đoàn kiểm tra")
    assert (chaired.lead, chaired.coordinators) == (("Ủy ban nhân dân tỉnh", GD), ("Các sở, ban, ngành",))
    assert not [r for r in records if "đã ban hành" in r.task]  # past actions are not tasks
    assert len(records) == 4


ASSIGNMENT_PLAN = """II. NỘI DUNG THỰC HIỆN

1. Tổ chức hội nghị tư vấn tuyển sinh.

- Nội dung: Sở có văn bản đề nghị các trường tham gia.

- Phân công thực hiện: Phòng Giáo dục nghề nghiệp chủ trì, phối hợp với các phòng chuyên môn tham mưu thực hiện.

- Thời gian thực hiện: Tháng 10/ 2023.

2. Rà soát mạng lưới cơ sở đào tạo.

- Phân công thực hiện:

Nội dung quy hoạch: Phòng Kế hoạch tài chính chủ trì, phối hợp với phòng Giáo dục nghề nghiệp tham mưu thực hiện.

Về sáp nhập trường: Phòng Giáo dục nghề nghiệp chủ trì, phối hợp với Sở Nội vụ tham mưu thực hiện.

- Thời gian thực hiện: Triển khai từ tháng 9, hoàn thành trước ngày 30/11/2023.
"""


def test_assignment_lists_take_the_item_title_and_its_timing():
    _, records = extract(ASSIGNMENT_PLAN)
    assert len(records) == 3
    conf = only(records, "hội nghị tư vấn tuyển sinh")
    assert (conf.lead, conf.coordinators) == (("Phòng Giáo dục nghề nghiệp",), ("Các phòng chuyên môn",))
    assert (conf.deadline, conf.deadline_iso) == ("Tháng 10/ 2023", "2023-10-31")
    plan = only(records, "Nội dung quy hoạch")
    merge = only(records, "sáp nhập trường")
    assert plan.task.startswith("Rà soát mạng lưới cơ sở đào tạo")
    assert (plan.lead, plan.coordinators) == (("Phòng Kế hoạch - Tài chính",), ("Phòng Giáo dục nghề nghiệp",))
    assert (merge.lead, merge.coordinators) == (("Phòng Giáo dục nghề nghiệp",), ("Sở Nội vụ",))
    assert merge.deadline_iso == plan.deadline_iso == "2023-11-30"


# ----------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    "value, text, iso",
    [
        ("Xong trước ngày 05/3/2020", "Xong trước ngày 05/3/2020", "2020-03-05"),
        ("Tháng 10/ 2023", "Tháng 10/ 2023", "2023-10-31"),
        ("Tháng 2/2024", "Tháng 2/2024", "2024-02-29"),  # month end, leap year
        ("Xong trước ngày 0/12/2020", "Xong trước ngày 0/12/2020", ""),  # impossible date: text only
        ("Triển khai từ tháng 9, thực hiện trong năm 2023 và các năm tiếp theo.",
         "Triển khai từ tháng 9, thực hiện trong năm 2023 và các năm tiếp theo", ""),
        ("31/12/2025", "31/12/2025", "2025-12-31"),
        ("", "", ""),
    ],
)
def test_parse_deadline(value, text, iso):
    d = parse_deadline(value)
    assert (d.text, d.iso) == (text, iso)


@pytest.mark.parametrize(
    "sentence, text, iso",
    [
        ("tổng hợp báo cáo trước ngày **30/11/2023** để báo cáo Tỉnh ủy", "trước ngày 30/11/2023", "2023-11-30"),
        ("báo cáo định kỳ hằng năm (trước ngày 05/12) về UBND tỉnh", "trước ngày 05/12", ""),
        ("báo cáo năm (gửi trước 15/12) về Ủy ban nhân dân tỉnh", "trước 15/12", ""),
        ("hoàn thành trước ngày 15 tháng 11 năm 2023", "hoàn thành trước ngày 15 tháng 11 năm 2023", "2023-11-15"),
        ("kiểm tra tại các địa phương trong năm 2020.", "trong năm 2020", ""),
    ],
)
def test_find_deadline_in_running_text(sentence, text, iso):
    d = find_deadline(sentence)
    assert d is not None and (d.text, d.iso) == (text, iso)


def test_reference_dates_are_not_deadlines():
    assert find_deadline("theo Quyết định số 2344/QĐ-UBND ngày 24/12/2020 của UBND tỉnh") is None


# ----------------------------------------------------------------------------- bundled samples


def _sample(name: str):
    from ingest.loaders import load_document

    doc = load_document(SAMPLES / name)
    return doc, extract_responsibilities(doc, chunk_document(doc))


def test_bac_kan_budget_table_and_sections():
    doc, records = _sample("bac-kan-37-KH-UBND-2022.txt")
    assert {r.province for r in records} == {"Bắc Kạn"}
    media = only([r for r in records if r.source == "table"], "Tuyên truyền, truyền thông GDNN")
    assert media.lead == ("Sở Thông tin và Truyền thông", LD)
    assert media.budget.startswith("Năm 2022: 150 triệu đồng") and media.budget.endswith("2021-2025: 600 triệu đồng")
    home = only(records, "kiện toàn bộ máy và tinh giản biên chế")
    assert (home.lead, home.coordinators) == (("Sở Nội vụ",), (LD, GD))
    assert home.section == "III. TỔ CHỨC THỰC HIỆN › 2. Sở Nội vụ"
    assert all(r.quote in doc.text and r.chunk_id for r in records)


def test_yen_bai_appendix_04_rows():
    _, records = _sample("yen-bai-49-KH-UBND-2020.txt")
    table = [r for r in records if r.source == "table"]
    assert len(table) == 30
    info = only(table, "Xây dựng Kế hoạch thông tin, tuyên truyền")
    assert info.lead == ("Sở Thông tin và Truyền thông",)
    assert (info.deadline, info.deadline_iso) == ("Xong trước ngày 05/3/2020", "2020-03-05")
    assert dict(info.extra)["output"] == "Sở Thông tin và Truyền thông"
