"""Sections from the plan's own markers: headings vs list items, preamble, closing, appendices."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from ingest.reflow import reflow
from ingest.structure import (
    CLOSING_LABEL,
    PREAMBLE_LABEL,
    is_appendix_title,
    line_marker,
    parse_sections,
    roman_value,
)
from ingest.tables import read_tables

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample_plans"


def sample_text(name: str) -> str:
    text = unicodedata.normalize("NFC", (SAMPLES / name).read_text(encoding="utf-8"))
    text = re.sub(r"\*\*", "", text)
    lines = [line for line in text.split("\n")
             if line.strip() not in ("Dịch vụ doanh nghiệp online toàn quốc", "Đang tải nội dung, vui lòng chờ giây lát...")]
    return reflow("\n".join(lines))


def sections_of(text: str):
    tables = read_tables(text.split("\n"))
    return parse_sections(text, exclude=[(t.start, t.end) for t in tables])


def paths(text: str) -> list[tuple[str, ...]]:
    return [s.path for s in sections_of(text)]


# ------------------------------------------------------------------ markers


@pytest.mark.parametrize(
    "line,kind,label,rank",
    [
        ("I. MỤC ĐÍCH, YÊU CẦU", "roman", "I", 1),
        ("XII. KHÁC", "roman", "XII", 1),
        ("1. MỤC ĐÍCH, YÊU CẦU", "caps_arabic", "1", 1),
        ("1. Mục đích", "arabic", "1", 2),
        ("2.1. Đẩy mạnh thông tin", "dotted", "2.1", 3),
        ("2.10. Tổ chức", "dotted", "2.10", 3),
        ("1.2.3 Chi tiết", "dotted", "1.2.3", 4),
        ("a) Việc xây dựng", "letter", "a", 5),
        ("đ. Tăng cường", "letter", "đ", 5),
        ("- Phối hợp", "list", "-", 9),
        ("+ Đoàn cấp tỉnh", "list", "+", 9),
    ],
)
def test_line_marker(line, kind, label, rank):
    marker = line_marker(line)
    assert marker is not None and (marker.kind, marker.label, marker.rank) == (kind, label, rank)


@pytest.mark.parametrize("line", ["4.0; góp phần", "2021-2025.", "1.200", "Phát triển", "150", "TT", "1.1", "II"])
def test_plain_lines_have_no_marker(line):
    assert line_marker(line) is None


def test_roman_values_and_appendix_titles():
    assert [roman_value(v) for v in ("I", "IV", "IX", "XIV", "IIII", "C", "")] == [1, 4, 9, 14, None, None, None]
    assert is_appendix_title("PHỤ LỤC 04") and is_appendix_title("BIỂU") and is_appendix_title("Phụ lục số 2")
    assert not is_appendix_title("Biểu dương, khen thưởng các doanh nghiệp")
    assert not is_appendix_title("(Chi tiết tại Phụ lục 04 kèm theo)")


# ------------------------------------------------------------------ synthetic documents

DOC = """KẾ HOẠCH
Triển khai công tác năm 2024
Căn cứ Quyết định số 1/QĐ-UBND.
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nâng cao chất lượng.
- Huy động nguồn lực.
2. Yêu cầu
Bảo đảm thiết thực.
II. TỔ CHỨC THỰC HIỆN
1. Sở Lao động - Thương binh và Xã hội
a. Tham mưu xây dựng kế hoạch hằng năm; tổ chức đánh giá, tổng kết, sơ kết kế hoạch, chương trình theo năm và giai đoạn, định hướng các ngành nghề đào tạo.
b. Phối hợp với Sở Nội vụ rà soát, sắp xếp, cơ cấu lại các trung tâm để nâng cao chất lượng, hiệu quả hoạt động của các cơ sở.
c. Chủ trì tổ chức hội thi các cấp cho nhà giáo và học sinh, sinh viên trong các cơ sở giáo dục nghề nghiệp.
2. Sở Tài chính
Bố trí kinh phí.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn A"""


def test_sections_follow_markers_and_tile_the_text():
    secs = parse_sections(DOC)
    assert [s.path for s in secs] == [
        (PREAMBLE_LABEL,),
        ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích"),
        ("I. MỤC ĐÍCH, YÊU CẦU", "2. Yêu cầu"),
        ("II. TỔ CHỨC THỰC HIỆN", "1. Sở Lao động - Thương binh và Xã hội"),
        ("II. TỔ CHỨC THỰC HIỆN", "2. Sở Tài chính"),
        (CLOSING_LABEL,),
    ]
    assert secs[0].start == 0 and secs[-1].end == len(DOC)
    assert all(a.end == b.start for a, b in zip(secs, secs[1:]))
    # A heading-only parent is absorbed into its first child, heading line included.
    assert DOC[secs[1].start:].startswith("I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích")
    assert secs[1].heading_start == DOC.index("1. Mục đích")
    assert DOC[secs[-1].start:].startswith("Nơi nhận:")
    assert secs[0].kind == "preamble" and secs[-1].kind == "closing"


def test_long_lettered_items_are_body_not_headings():
    titles = [p[-1] for p in paths(DOC)]
    assert not any(t.startswith(("a.", "b.", "c.")) for t in titles)


def test_short_lettered_titles_followed_by_body_are_headings():
    doc = "II. NỘI DUNG\n2. Mục tiêu cụ thể\na. Phát triển mạng lưới\nPhát triển mạng lưới các cơ sở.\nb. Tuyển sinh\nĐào tạo 30.000 người."
    assert paths(doc)[-2:] == [
        ("II. NỘI DUNG", "2. Mục tiêu cụ thể", "a. Phát triển mạng lưới"),
        ("II. NỘI DUNG", "2. Mục tiêu cụ thể", "b. Tuyển sinh"),
    ]


def test_caps_arabic_first_heading_is_top_level_and_roman_follows():
    doc = "1. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n\n- Một.\n\nII. MỤC TIÊU\n\n1. Mục tiêu\n\n- Hai.\n\nIV. KINH PHÍ\n\n- Ba."
    assert paths(doc) == [
        ("1. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích"),
        ("II. MỤC TIÊU", "1. Mục tiêu"),
        ("IV. KINH PHÍ",),
    ]


def test_document_without_headings_is_one_section():
    doc = "Triển khai Kế hoạch số 375.\n\nNgày 12/11, UBND tỉnh ban hành Kế hoạch."
    (only,) = parse_sections(doc)
    assert (only.start, only.end, only.kind) == (0, len(doc), "body")


def test_appendix_is_a_top_level_section_titled_with_its_caption():
    doc = "I. NỘI DUNG\nLàm việc.\nNơi nhận:\n- Lưu: VT.\nPHỤ LỤC 02\nCHỈ TIÊU NĂM 2020\n(Kèm theo Kế hoạch số 49)\nGhi chú."
    assert paths(doc)[-2:] == [(CLOSING_LABEL,), ("PHỤ LỤC 02 CHỈ TIÊU NĂM 2020",)]


# ------------------------------------------------------------------ sample plans


def test_bac_kan_sections():
    found = paths(sample_text("bac-kan-37-KH-UBND-2022.txt"))
    assert found[0] == (PREAMBLE_LABEL,)
    assert ("III. TỔ CHỨC THỰC HIỆN", "7. Sở Nông nghiệp và Phát triển nông thôn") in found
    assert ("III. TỔ CHỨC THỰC HIỆN", "1. Sở Lao động - Thương binh và Xã hội") in found
    assert ("II. NỘI DUNG KẾ HOẠCH", "2. Mục tiêu cụ thể", "a. Phát triển mạng lưới cơ sở giáo dục nghề nghiệp") in found
    assert ("IV. CHẾ ĐỘ THÔNG TIN, BÁO CÁO",) in found
    assert (CLOSING_LABEL,) in found
    assert found[-1][0].startswith("BIỂU KẾ HOẠCH TRIỂN KHAI")
    # III.1's long a.–h. items are body text, not sub-sections.
    assert not any(len(p) > 2 and p[1].startswith("1. Sở Lao động") for p in found)
    assert ("III. TỔ CHỨC THỰC HIỆN", "12. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Tỉnh đoàn, Hội Liên hiệp "
            "Phụ nữ tỉnh, Hội Nông dân tỉnh và Liên đoàn Lao động tỉnh") in found


def test_yen_bai_sections():
    found = paths(sample_text("yen-bai-49-KH-UBND-2020.txt"))
    assert found[1] == ("1. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích")
    assert ("II. MỤC TIÊU, NHIỆM VỤ", "2. Các nhiệm vụ và giải pháp chủ yếu",
            "2.5. Quản lý, kiểm tra, giám sát; tổng hợp báo cáo tình hình thực hiện Kế hoạch") in found
    assert ("IV. KINH PHÍ THỰC HIỆN",) in found
    assert ("V. TỔ CHỨC THỰC HIỆN", "9. Các cơ sở giáo dục nghề nghiệp") in found
    appendices = [p[0] for p in found if p[0].startswith("PHỤ LỤC")]
    assert [a[:10] for a in appendices] == ["PHỤ LỤC 01", "PHỤ LỤC 02", "PHỤ LỤC 03", "PHỤ LỤC 04"]
    # Table cells ("I", "1.1", "- Tỷ lệ …") never become headings.
    assert all(len(p) == 1 for p in found if p[0].startswith("PHỤ LỤC"))


def test_hai_duong_numbered_paragraphs_under_iii_are_items():
    found = paths(sample_text("hai-duong-KH-SLDTBXH-2023.txt"))
    assert ("III. TỔ CHỨC THỰC HIỆN",) in found
    assert not any(p[0] == "III. TỔ CHỨC THỰC HIỆN" and len(p) > 1 for p in found)
    assert sum(1 for p in found if p[0] == "II. NỘI DUNG THỰC HIỆN") == 7


def test_ha_noi_long_heading_with_semicolon_is_a_section():
    found = paths(sample_text("ha-noi-72-KH-UBND-2022.txt"))
    assert any(p[-1].startswith("7. Ban Quản lý các Khu công nghiệp") for p in found)
    assert [p[-1][:2] for p in found if p[0] == "III. TỔ CHỨC THỰC HIỆN"] == [f"{k}." for k in range(1, 9)]


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_sections_tile_every_sample(name):
    text = sample_text(name)
    secs = sections_of(text)
    assert secs[0].start == 0 and secs[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(secs, secs[1:]))
    assert all(s.start <= s.heading_start < s.end for s in secs if s.heading)


def test_letter_without_headings_still_has_a_closing_section():
    doc = "Kính gửi các đơn vị.\nĐề nghị báo cáo trước ngày 15/12.\nNơi nhận:\n- Như trên;\nTL. GIÁM ĐỐC\nNguyễn Văn B"
    assert paths(doc) == [("Nội dung",), (CLOSING_LABEL,)]
