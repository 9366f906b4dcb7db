"""Metadata of the five bundled plans, general rules on synthetic texts, and provinces."""
from __future__ import annotations

import dataclasses

import pytest

from ingest.loaders import load_document
from ingest.metadata import extract_metadata
from ingest.normalize import clean_text, drop_boilerplate
from ingest.provinces import PROVINCES, count_provinces, find_provinces, get_province

EXPECTED = {
    "bac-kan-37-KH-UBND-2022.txt": dict(
        title="TRIỂN KHAI THỰC HIỆN NGHỊ QUYẾT SỐ 96/NQ-HĐND NGÀY 07/12/2021 CỦA HĐND TỈNH PHÊ DUYỆT "
        "KẾ HOẠCH PHÁT TRIỂN GIÁO DỤC NGHỀ NGHIỆP TỈNH BẮC KẠN GIAI ĐOẠN 2021-2025",
        number="37/KH-UBND",
        doc_type="Kế hoạch",
        issuer="Ủy ban nhân dân tỉnh Bắc Kạn",
        province="Bắc Kạn",
        issued_date="2022-01-21",
        issued_date_text="ngày 21 tháng 01 năm 2022",
        signer="Phạm Duy Hưng",
        signer_title="TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
    ),
    "cao-bang-3058-KH-UBND-2024.txt": dict(
        title="Triển khai Kế hoạch số 375 về đổi mới công tác đào tạo nghề cho lao động nông thôn",
        number="3058/KH-UBND",
        doc_type="Kế hoạch",
        issuer="Ủy ban nhân dân tỉnh Cao Bằng",
        province="Cao Bằng",
        issued_date="2024-11-12",
        issued_date_text="12/11/2024",
        signer="",  # a news report: "P.V" is the reporter's byline, not a signer
        signer_title="",
    ),
    "ha-noi-72-KH-UBND-2022.txt": dict(
        title="Khắc phục hạn chế, khuyết điểm trong công tác giáo dục nghề nghiệp năm 2021",
        number="72/KH-UBND",
        doc_type="Kế hoạch",
        issuer="Ủy ban nhân dân thành phố Hà Nội",
        province="Hà Nội",
        issued_date="2022-03-04",
        issued_date_text="ngày 04 tháng 3 năm 2022",
        signer="Chủ Xuân Dũng",
        signer_title="TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
    ),
    "hai-duong-KH-SLDTBXH-2023.txt": dict(
        title="Thực hiện Thông báo kết luận số 502 – TB/VPTU ngày 17/8/2023 của đồng chí Bí thư Tỉnh ủy "
        "tại Hội nghị tiếp xúc, đối thoại với cán bộ, công chức, viên chức lĩnh vực giáo dục và đào tạo",
        number="",  # "Số: /KH- SLĐTBXH": the number was never filled in (the code still gives the type)
        doc_type="Kế hoạch",
        issuer="Sở Lao động - Thương binh và Xã hội tỉnh Hải Dương",
        province="Hải Dương",
        issued_date="",  # "ngày tháng 9 năm 2023": no day
        issued_date_text="tháng 9 năm 2023",
        signer="Bùi Quốc Trình",
        signer_title="KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC",
    ),
    "yen-bai-49-KH-UBND-2020.txt": dict(
        title="TRIỂN KHAI THỰC HIỆN ĐỀ ÁN “GIÁO DỤC HƯỚNG NGHIỆP VÀ ĐỊNH HƯỚNG PHÂN LUỒNG HỌC SINH "
        "TRONG GIÁO DỤC PHỔ THÔNG” TRÊN ĐỊA BÀN TỈNH YÊN BÁI NĂM 2020",
        number="49/KH-UBND",
        doc_type="Kế hoạch",
        issuer="Ủy ban nhân dân tỉnh Yên Bái",
        province="Yên Bái",
        issued_date="2020-03-03",
        issued_date_text="ngày 03 tháng 3 năm 2020",
        signer="Dương Văn Tiến",
        signer_title="KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
    ),
}


def test_expectations_cover_every_sample(sample_dir):
    assert sorted(p.name for p in sample_dir.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_plan_metadata(sample_dir, name):
    meta = load_document(sample_dir / name).meta
    got = {field: getattr(meta, field) for field in EXPECTED[name]}
    assert got == EXPECTED[name]
    assert meta.doc_id == name


def _cleaned(sample_dir, name: str) -> str:
    return drop_boilerplate(clean_text((sample_dir / name).read_text(encoding="utf-8")))


def test_report_date_year_comes_from_the_sentence_when_the_file_name_has_none(sample_dir):
    meta = extract_metadata(_cleaned(sample_dir, "cao-bang-3058-KH-UBND-2024.txt"), "bai-bao.txt")
    assert (meta.number, meta.issued_date, meta.issued_date_text) == ("3058/KH-UBND", "2024-11-12", "12/11/2024")
    assert meta.province == "Cao Bằng"


def test_report_without_an_issuing_sentence_gets_no_invented_number():
    text = "Tin tức\n\nTỉnh đang thực hiện Kế hoạch số 375-KH/TU của Tỉnh ủy và Chỉ thị số 37-CT/TW.\n"
    meta = extract_metadata(text, "tin.txt")
    assert (meta.number, meta.issued_date, meta.issuer, meta.signer) == ("", "", "", "")


HEADER_TWO_LEVEL = """UBND TỈNH HẢI DƯƠNG
SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 1234/KH-SLĐTBXH
Hải Dương, ngày 31 tháng 02 năm 2023

KẾ HOẠCH
Tổ chức hội giảng nhà giáo
giáo dục nghề nghiệp năm 2023
Căn cứ Luật Giáo dục nghề nghiệp năm 2014;
I. MỤC ĐÍCH
Nội dung.
Nơi nhận:
- Lưu: VT.
GIÁM ĐỐC



Nguyễn Thị Minh Hằng
"""


def test_synthetic_header_two_level_agency_and_invalid_date():
    meta = extract_metadata(HEADER_TWO_LEVEL, "x.txt")
    assert meta.issuer == "Sở Lao động - Thương binh và Xã hội tỉnh Hải Dương"
    assert meta.number == "1234/KH-SLĐTBXH"
    assert meta.province == "Hải Dương"
    assert meta.issued_date_text == "ngày 31 tháng 02 năm 2023"
    assert meta.issued_date == ""  # 31 February does not exist: keep the text, no ISO date
    assert meta.title == "Tổ chức hội giảng nhà giáo giáo dục nghề nghiệp năm 2023"
    assert (meta.signer, meta.signer_title) == ("Nguyễn Thị Minh Hằng", "GIÁM ĐỐC")


def test_interleaved_pdf_style_header_and_district_issuer():
    text = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "HUYỆN THẠCH AN Độc lập - Tự do - Hạnh phúc\n\n"
        "Số: 15/KH-UBND\n\nThạch An, ngày 5 tháng 6 năm 2023\n\nKẾ HOẠCH\nĐào tạo nghề năm 2023\n\n"
        "Huyện Thạch An thuộc tỉnh Cao Bằng.\n"
    )
    meta = extract_metadata(text, "thach-an.txt")
    assert meta.issuer == "Ủy ban nhân dân huyện Thạch An"
    assert (meta.number, meta.issued_date, meta.province) == ("15/KH-UBND", "2023-06-05", "Cao Bằng")


def test_signature_needs_a_role_line_above_the_name():
    text = "KẾ HOẠCH\nĐào tạo nghề\n\nNội dung kế hoạch.\n\nBAN BIÊN TẬP\n\nNguyễn Văn An\n\nP.V\n"
    meta = extract_metadata(text, "x.txt")
    assert (meta.signer, meta.signer_title) == ("", "")


def test_metadata_result_is_a_frozen_document_meta():
    meta = extract_metadata("KẾ HOẠCH\nA\n", "a.txt")
    with pytest.raises(dataclasses.FrozenInstanceError):
        meta.title = "x"  # type: ignore[misc]


# --- provinces ---------------------------------------------------------------------------------


def test_province_table_has_the_63_units():
    names = [p.name for p in PROVINCES]
    assert len(names) == len(set(names)) == 63
    assert sum(p.kind == "thành phố" for p in PROVINCES) == 5


@pytest.mark.parametrize(
    "text, expected",
    [
        ("cao bang", ["Cao Bằng"]),
        ("Cao Bằng", ["Cao Bằng"]),
        ("Ha Noi", ["Hà Nội"]),
        ("HÀ NỘI", ["Hà Nội"]),
        ("hanoi", ["Hà Nội"]),
        ("Kế hoạch của Khánh Hoà và Thanh Hóa", ["Khánh Hòa", "Thanh Hóa"]),
        ("TP.HCM, Đắc Lắc, Bà Rịa-Vũng Tàu", ["Thành phố Hồ Chí Minh", "Đắk Lắk", "Bà Rịa - Vũng Tàu"]),
        ("compare Yen Bai with bac kan", ["Yên Bái", "Bắc Kạn"]),
        ("lòng an toàn", []),  # diacritics present and they spell other words than "Long An"
        ("chính sách đào tạo nghề", []),
    ],
)
def test_find_provinces(text, expected):
    assert find_provinces(text) == expected


def test_capitalised_only_ignores_phrases_that_fold_like_a_province():
    text = "Nâng cao bằng cách đào tạo. Tỉnh Cao Bằng ban hành kế hoạch."
    assert count_provinces(text, capitalised_only=True) == {"Cao Bằng": 1}
    assert count_provinces(text, capitalised_only=False) == {"Cao Bằng": 2}


def test_get_province_and_unit_names():
    assert get_province("ha noi").unit_name == "thành phố Hà Nội"
    assert get_province("BẮC KẠN").unit_name == "tỉnh Bắc Kạn"
    assert get_province("Sài Gòn").unit_name == "Thành phố Hồ Chí Minh"
    assert get_province("Atlantis") is None


@pytest.mark.parametrize(
    "agency_lines, number, issuer",
    [
        ("ỦY BAN NHÂN DÂN\nTỈNH BÀ RỊA - VŨNG TÀU", "5/KH-UBND", "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"),
        ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH", "5/KH-UBND", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
        ("BAN CHỈ ĐẠO TỈNH ĐIỆN BIÊN", "5/KH-BCĐ", "Ban chỉ đạo tỉnh Điện Biên"),  # agency not in the table
        ("BẢO HIỂM XÃ HỘI HUYỆN MƯỜNG TÈ", "5/KH-BHXH", "Bảo hiểm xã hội huyện Mường Tè"),
    ],
)
def test_issuer_display_form_from_an_upper_case_header(agency_lines, number, issuer):
    text = f"{agency_lines}\n-------\nSố: {number}\n\nKẾ HOẠCH\nĐào tạo nghề\n"
    meta = extract_metadata(text, "x.txt")
    assert (meta.issuer, meta.number) == (issuer, number)
