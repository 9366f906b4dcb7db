"""Document numbers robust to OCR spacing and drafts; the document type from a cue table."""
from __future__ import annotations

import pytest

from ingest.doc_number import code_of, parse_number
from ingest.doctype import DOC_TYPES, classify, heading_type, shape_cues
from ingest.metadata import extract_metadata


@pytest.mark.parametrize(
    "cell, number, code",
    [
        ("Số: 31/2011/QĐ-UBND", "31/2011/QĐ-UBND", "QĐ-UBND"),
        ("Số: 773 /QĐ-TTg", "773/QĐ-TTg", "QĐ-TTg"),
        ("Luật số: 84/2025/QH15", "84/2025/QH15", "QH15"),
        ("Số: 252/KH-BCĐQG1237", "252/KH-BCĐQG1237", "KH-BCĐQG1237"),
        ("Số: 1040/LĐTBXH-NCC V/v hướng dẫn giải quyết chế độ", "1040/LĐTBXH-NCC", "LĐTBXH-NCC"),
        ("Số: 3210/Q Đ-U B ND", "3210/QĐ-UBND", "QĐ-UBND"),  # OCR spacing inside the code
        ("Số: 12/KH- UBND Hà Nội, ngày 3 tháng 4 năm 2024", "12/KH-UBND", "KH-UBND"),
        ("Số: 11/2025/NQ-HĐND Hà Nội, ngày 27 tháng 6 năm 2025", "11/2025/NQ-HĐND", "NQ-HĐND"),
        ("Số: 597/HC-QLHC", "597/HC-QLHC", "HC-QLHC"),
        # drafts: the digits are blank, the code stays
        ("Số: /KH-UBND", "", "KH-UBND"),
        ("Số:           /2025/QĐ-UBND Hà Nội, ngày      tháng      năm 2025", "", "QĐ-UBND"),
        ("Số: /UBND-KT", "", "UBND-KT"),
    ],
)
def test_numbers(cell, number, code):
    parsed = parse_number(cell)
    assert parsed is not None
    assert (parsed.number, parsed.code) == (number, code)


def test_a_truncated_code_is_completed_from_the_issuer_cell():
    parsed = parse_number("Số: 3210/QĐ-U", issuer_cell="ỦY BAN NHÂN DÂN TỈNH GIA LAI")
    assert parsed.number == "3210/QĐ-UBND"
    # no issuer evidence: nothing is invented
    assert parse_number("Số: 3210/QĐ-U").number == "3210/QĐ-U"


def test_no_number_label_gives_none():
    assert parse_number("Căn cứ Quyết định 31/2011/QĐ-UBND của UBND tỉnh") is None
    assert parse_number("Số liệu năm 2023") is None


def test_code_of():
    assert code_of("31/2011/QĐ-UBND") == "QĐ-UBND"
    assert code_of("773/QĐ-TTg") == "QĐ-TTg"
    assert code_of("") == ""


@pytest.mark.parametrize(
    "line, doc_type",
    [("QUYẾT ĐỊNH", "Quyết định"), ("LUẬT", "Luật"), ("NGHỊ ĐỊNH", "Nghị định"), ("THÔNG TƯ", "Thông tư"),
     ("KẾ HOẠCH", "Kế hoạch"), ("CHỈ THỊ", "Chỉ thị"), ("NGHỊ QUYẾT", "Nghị quyết"), ("QUYẾT ĐỊNH:", "Quyết định"),
     ("Quy định chung", "")],
)
def test_heading_type(line, doc_type):
    assert heading_type(line) == doc_type


@pytest.mark.parametrize(
    "code, headings, header, doc_type",
    [
        ("QĐ-UBND", [], "", "Quyết định"),
        ("NĐ-CP", [], "", "Nghị định"),
        ("TT-BTC", [], "", "Thông tư"),
        ("CT-TTg", [], "", "Chỉ thị"),
        ("NQ-HĐND", [], "", "Nghị quyết"),
        ("BC-UBND", [], "", "Báo cáo"),
        ("TB-VPCP", [], "", "Thông báo"),
        ("KH-BCĐQG1237", [], "", "Kế hoạch"),
        ("QH15", [], "", "Luật"),
        ("QH15", ["Nghị quyết"], "", "Nghị quyết"),  # the National Assembly's resolutions
        ("UBND-KT", [], "V/v tăng cường công tác quản lý", "Công văn"),
        ("LĐTBXH-NCC", [], "", "Công văn"),  # issuer abbreviations only: an official letter
        ("", [], "Kính gửi: Sở Tài chính", "Công văn"),
        ("", ["Quyết định"], "", "Quyết định"),
        ("", [], "", ""),
        ("TTr-STC", [], "", ""),  # a submission (tờ trình) is none of the ten types
    ],
)
def test_classify(code, headings, header, doc_type):
    assert classify(headings=headings, code=code, shapes=shape_cues(header, code)) == doc_type


def test_every_type_has_cues():
    from ingest.doctype import CUES

    assert {c.doc_type for c in CUES} == set(DOC_TYPES)


# ------------------------------------------------------------------ headers seen in real files


def test_markdown_table_header_with_year_number_and_split_month_digits():
    text = (
        "| THỦ TƯỚNG CHÍNH PHỦ ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --- |\n"
        "|---|---|\n"
        "| Số: 77/2018/QĐ-TTg | Hà Nội, ngày 26 tháng 0 6 năm 2018 |\n\n"
        "QUYẾT ĐỊNH\n\nVỀ VIỆC BAN HÀNH KẾ HOẠCH\n\nTHỦ TƯỚNG CHÍNH PHỦ\n\nĐiều 1. Ban hành.\n"
    )
    meta = extract_metadata(text, "qd.md")
    assert (meta.doc_type, meta.number, meta.issued_date) == ("Quyết định", "77/2018/QĐ-TTg", "2018-06-26")
    assert meta.issuer == "Thủ tướng Chính phủ"
    assert meta.province == ""  # a central body: no province
    assert meta.title == "VỀ VIỆC BAN HÀNH KẾ HOẠCH"


def test_pdf_header_with_cells_run_together_and_a_glued_day():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 1696/QĐ-UBND Lào Cai, ngày15 tháng 5 năm 2026\n\nQUYẾT ĐỊNH\nVề việc ủy quyền\n"
    )
    meta = extract_metadata(text, "qd.pdf")
    assert (meta.number, meta.issued_date, meta.province) == ("1696/QĐ-UBND", "2026-05-15", "Lào Cai")
    assert meta.issuer == "Ủy ban nhân dân tỉnh Lào Cai"


def test_official_letter_without_a_type_heading():
    text = (
        "| B Ộ LAO ĐỘNG - THƯƠNG BINH V À X Ã HỘI ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM --- |\n"
        "|---|---|\n"
        "| Số: 2638/LĐTBXH-KHTC V/v xây dựng dự toán ngân sách năm 2020 | Hà Nội, ngày 03 tháng 7 năm 2019 |\n\n"
        "Kính gửi: Giám đốc Sở Lao động - Thương binh và Xã hội các tỉnh\n\nNội dung công văn.\n"
    )
    meta = extract_metadata(text, "cv.md")
    assert (meta.doc_type, meta.number, meta.issued_date) == ("Công văn", "2638/LĐTBXH-KHTC", "2019-07-03")
    assert meta.title == "V/v xây dựng dự toán ngân sách năm 2020"
    assert meta.issuer == "Bộ Lao động - Thương binh và Xã hội"  # OCR-spaced header cell repaired
    assert meta.province == ""


def test_unnumbered_draft_keeps_the_type_but_invents_no_number():
    text = (
        "ỦY BAN NHÂN DÂN TỈNH LÀO CAI |  | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc\n"
        "Số: /KH-UBND |  | Lào Cai, ngày tháng năm 2026\n\nKẾ HOẠCH\nTriển khai Chỉ thị số 11-CT/TU\n"
    )
    meta = extract_metadata(text, "kh.docx")
    assert (meta.doc_type, meta.number, meta.issued_date, meta.issued_date_text) == ("Kế hoạch", "", "", "năm 2026")


def test_signer_in_a_flattened_table_cell():
    text = (
        "QUYẾT ĐỊNH\nVề việc X\n\nĐiều 1. Nội dung.\n\n"
        "| Nơi nhận: - Như Điều 3; - Lưu: VT. | TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Huy Tưởng |\n"
        "|---|---|\n"
    )
    meta = extract_metadata(text, "qd.md")
    assert (meta.signer, meta.signer_title) == ("Nguyễn Huy Tưởng", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH")


def test_page_title_above_the_header_is_not_the_title():
    # CongBot pages carry a "# …" page title that may belong to another document
    text = (
        "Source: https://thuvienphapluat.vn/van-ban/x.aspx\n\n"
        "Về việc phê duyệt miễn giảm tiền sử dụng đất tỉnh Yên Bái\n\n"
        "| ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH --- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM --- |\n|---|---|\n"
        "| Số: 518/QĐ-UBND | Bình Định, ngày 23 tháng 02 năm 2023 |\n\n"
        "QUYẾT ĐỊNH\n\nVỀ VIỆC PHÂN BỔ KẾ HOẠCH VỐN NĂM 2023\n\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n"
    )
    meta = extract_metadata(text, "qd.txt")
    assert meta.title == "VỀ VIỆC PHÂN BỔ KẾ HOẠCH VỐN NĂM 2023"
    assert (meta.province, meta.issuer) == ("Bình Định", "Ủy ban nhân dân tỉnh Bình Định")
