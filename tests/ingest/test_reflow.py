"""Re-flow: join hard-wrapped lines, keep headings, list items, table cells apart."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.reflow import reflow

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample_plans"
NBSP = "\xa0"


def sample(name: str) -> str:
    """A sample plan as NFC text with emphasis markers removed, before re-flow."""
    text = unicodedata.normalize("NFC", (SAMPLES / name).read_text(encoding="utf-8"))
    return re.sub(r"\*\*", "", text)


def lines_of(text: str) -> list[str]:
    return reflow(text).split("\n")


# ------------------------------------------------------------------ joining


def test_hyphenated_agency_name_across_lines_is_joined():
    text = "a. Sở Tài chính chủ trì phối hợp với Sở Lao động\n- Thương binh và Xã hội và Trường Cao đẳng tham mưu."
    assert lines_of(text) == [
        "a. Sở Tài chính chủ trì phối hợp với Sở Lao động - Thương binh và Xã hội và Trường Cao đẳng tham mưu."
    ]


@pytest.mark.parametrize(
    "left,right",
    [
        ("các Trung tâm Giáo dục nghề nghiệp", "- Giáo dục thường xuyên cấp huyện"),
        ("phát triển kinh tế", "- xã hội của tỉnh"),
        ("phối hợp với Sở Giáo dục", "- Đào tạo tổ chức"),
    ],
)
def test_known_hyphen_compounds_are_joined(left, right):
    assert lines_of(f"{left}\n{right}") == [f"{left} {right}"]


def test_real_list_items_stay_separate():
    text = (
        "b. Sắp xếp mạng lưới, cơ sở vật chất,\n"
        "trang thiết bị các cơ sở giáo dục nghề nghiệp\n"
        "- Tiến hành rà soát, sắp xếp, cơ cấu lại các\n"
        "Trung tâm để nâng cao chất lượng.\n"
        "- Khuyến khích thành lập các cơ sở giáo dục\n"
        "nghề nghiệp tư thục."
    )
    assert lines_of(text) == [
        "b. Sắp xếp mạng lưới, cơ sở vật chất, trang thiết bị các cơ sở giáo dục nghề nghiệp",
        "- Tiến hành rà soát, sắp xếp, cơ cấu lại các Trung tâm để nâng cao chất lượng.",
        "- Khuyến khích thành lập các cơ sở giáo dục nghề nghiệp tư thục.",
    ]


def test_list_item_after_colon_is_not_a_compound():
    assert lines_of("g. Trường Cao đẳng Bắc Kạn:\n- Phối hợp với Sở Lao động") == [
        "g. Trường Cao đẳng Bắc Kạn:",
        "- Phối hợp với Sở Lao động",
    ]


def test_headings_stay_separate_and_wrapped_heading_is_joined():
    text = (
        "III. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Lao động - Thương binh và Xã hội\n"
        "a. Tham mưu xây dựng kế hoạch hằng năm; tổ chức\n"
        "đánh giá, tổng kết.\n"
        "7. Sở Nông nghiệp và Phát triển nông\n"
        "thôn\n"
        "a. Chủ trì, phối hợp với các Sở: Tài chính, Kế\n"
        "hoạch và Đầu tư."
    )
    assert lines_of(text) == [
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Sở Lao động - Thương binh và Xã hội",
        "a. Tham mưu xây dựng kế hoạch hằng năm; tổ chức đánh giá, tổng kết.",
        "7. Sở Nông nghiệp và Phát triển nông thôn",
        "a. Chủ trì, phối hợp với các Sở: Tài chính, Kế hoạch và Đầu tư.",
    ]


def test_heading_followed_by_capitalised_body_is_not_joined():
    text = "2. Mục tiêu cụ thể\na. Phát triển mạng lưới cơ sở giáo dục\nnghề nghiệp\nPhát triển mạng lưới các cơ sở."
    assert lines_of(text) == [
        "2. Mục tiêu cụ thể",
        "a. Phát triển mạng lưới cơ sở giáo dục nghề nghiệp",
        "Phát triển mạng lưới các cơ sở.",
    ]


def test_digit_and_lowercase_continuations_are_joined_but_not_after_a_sentence_end():
    text = "hành Đảng bộ tỉnh giai đoạn\n2021-2025.\nđổi nghề đáp ứng nhu cầu"
    assert lines_of(text) == ["hành Đảng bộ tỉnh giai đoạn 2021-2025.", "đổi nghề đáp ứng nhu cầu"]


def test_proper_name_split_across_lines_is_joined():
    text = "12. Đề nghị Ủy ban Mặt trận Tổ quốc Việt\nNam tỉnh, Tỉnh đoàn\na. Phối hợp"
    assert lines_of(text) == ["12. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Tỉnh đoàn", "a. Phối hợp"]


def test_page_break_inside_a_sentence_is_joined_across_the_blank_line():
    text = (
        "- Hỗ trợ người lao động theo Nghị quyết số 68/NQ-CP ngày 01/7/2021\n\n"
        "của Chính phủ; Quyết định số 23/2021/QĐ-TTg.\n\n"
        "- Triển khai Kế hoạch đào tạo nghề."
    )
    assert lines_of(text) == [
        "- Hỗ trợ người lao động theo Nghị quyết số 68/NQ-CP ngày 01/7/2021 của Chính phủ; Quyết định số 23/2021/QĐ-TTg.",
        "",
        "- Triển khai Kế hoạch đào tạo nghề.",
    ]


def test_blank_line_after_a_finished_sentence_is_kept():
    text = "Nâng cao chất lượng đào tạo nghề cho người lao động.\n\nđổi mới chương trình"
    assert lines_of(text) == text.split("\n")


# ------------------------------------------------------------------ header block, signer


def test_all_caps_header_lines():
    text = (
        "ỦY BAN NHÂN\nDÂN\nTỈNH BẮC KẠN\n-------\n|\nCỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n---------------\n|\nSố:\n37/KH-UBND\n|\n"
        "KẾ HOẠCH\nTRIỂN\nKHAI THỰC HIỆN NGHỊ QUYẾT\nI. MỤC ĐÍCH, YÊU CẦU"
    )
    assert lines_of(text) == [
        "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN",
        "-------",
        "|",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "---------------",
        "|",
        "Số: 37/KH-UBND",
        "|",
        "KẾ HOẠCH",
        "TRIỂN KHAI THỰC HIỆN NGHỊ QUYẾT",
        "I. MỤC ĐÍCH, YÊU CẦU",
    ]


def test_wrapped_all_caps_heading_is_joined():
    assert lines_of("IV. CHẾ ĐỘ THÔNG TIN,\nBÁO CÁO\nCác sở, ban, ngành") == [
        "IV. CHẾ ĐỘ THÔNG TIN, BÁO CÁO",
        "Các sở, ban, ngành",
    ]


def test_signer_block_lines_stay_separate():
    text = "Nơi nhận:\n- Lưu: VT.\n|\nTM. ỦY BAN\nNHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nPhạm Duy Hưng\n|"
    assert lines_of(text) == [
        "Nơi nhận:", "- Lưu: VT.", "|", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phạm Duy Hưng", "|"
    ]


# ------------------------------------------------------------------ tables


def test_pipe_separated_cells_are_never_crossed_and_multi_line_cells_are_joined():
    text = (
        "TT\n|\nNỘI DUNG\nCÔNG VIỆC\n|\nĐƠN VỊ CHỦ\nTRÌ\n|\n1\n|\n"
        "Sở Thông tin và Truyền thông; Các cơ sở\nGDNN\n|\ntheo chỉ\ntiêu được giao\n|\nx\n|\n-\n|"
    )
    assert lines_of(text) == [
        "TT", "|", "NỘI DUNG CÔNG VIỆC", "|", "ĐƠN VỊ CHỦ TRÌ", "|", "1", "|",
        "Sở Thông tin và Truyền thông; Các cơ sở GDNN", "|", "theo chỉ tiêu được giao", "|", "x", "|", "-", "|",
    ]


def test_one_cell_per_line_tables_keep_their_cells():
    text = (
        "TT\n\nNội dung công việc\n\nĐơn vị chủ trì\n\n1\n\n"
        "Xây dựng kế hoạch tuyên truyền về công tác hướng nghiệp trên địa bàn tỉnh\n\n"
        "theo kế hoạch\n\n" + NBSP + "\n\n2\n\nTổ chức hội nghị"
    )
    assert lines_of(text) == text.split("\n")


def test_non_breaking_space_cell_lines_are_kept():
    text = f"Xong trước ngày 10/12/2020\n\n{NBSP}\n\n4.2"
    assert reflow(text).split("\n")[2] == NBSP


def test_inline_table_rows_are_not_joined():
    text = "TT | Nội dung | Đơn vị chủ trì\n1 | Tuyên truyền | Sở Thông tin và Truyền thông\n2 | Hội nghị | Sở Lao động"
    assert lines_of(text) == text.split("\n")


# ------------------------------------------------------------------ whole files


def test_bac_kan_sample():
    lines = lines_of(sample("bac-kan-37-KH-UBND-2022.txt"))
    assert "7. Sở Nông nghiệp và Phát triển nông thôn" in lines
    assert "13. Ủy ban nhân dân các huyện, thành phố" in lines
    assert "IV. CHẾ ĐỘ THÔNG TIN, BÁO CÁO" in lines
    assert "Số: 37/KH-UBND" in lines
    assert "NỘI DUNG CÔNG VIỆC" in lines
    assert "THỜI GIAN, KINH PHÍ NGÂN SÁCH ĐỊA PHƯƠNG (triệu đồng)" in lines
    assert any(line.startswith("a. Sở Tài chính chủ trì phối hợp với Sở Lao động - Thương binh và Xã hội và Trường")
               for line in lines)
    assert not any(line.startswith("- Thương binh") for line in lines)
    assert "- Khuyến khích thành lập các cơ sở giáo dục nghề nghiệp tư thục." in lines
    assert lines.count("|") == sample("bac-kan-37-KH-UBND-2022.txt").split("\n").count("|")


def test_ha_noi_page_breaks_are_joined_and_headings_kept():
    lines = lines_of(sample("ha-noi-72-KH-UBND-2022.txt"))
    assert any("ngày 01/7/2021 của Chính phủ; Quyết định số 23/2021/QĐ-TTg" in line for line in lines)
    assert not any(line.startswith(("của Chính phủ", "doanh nghiệp và thị trường", "giải quyết việc làm cho"))
                   for line in lines)
    assert "III. TỔ CHỨC THỰC HIỆN" in lines
    assert "KẾ HOẠCH" in lines


def test_yen_bai_tables_are_untouched():
    raw = sample("yen-bai-49-KH-UBND-2020.txt")
    start = raw.index("PHỤ LỤC 01")
    assert reflow(raw[start:]) == raw[start:]


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_reflow_keeps_every_character_and_is_idempotent(name):
    raw = sample(name)
    once = reflow(raw)
    assert "".join(raw.split()) == "".join(once.split())
    assert reflow(once) == once


_LINE = st.one_of(
    st.just(""),
    st.just("|"),
    st.just(NBSP),
    st.sampled_from(["I. MỤC ĐÍCH", "1. Sở Nội vụ", "a. Tham mưu", "- Thương binh và Xã hội", "- Phối hợp", "TT",
                     "KT. CHỦ TỊCH", "KẾ HOẠCH", "x", "150"]),
    st.text(alphabet="aàbcdđeêghiklmnoôơpqrstuưvxyABĐHKLNSTVỦ.,;:-() 0123456789", min_size=1, max_size=60),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, max_size=25))
def test_reflow_only_changes_whitespace(lines):
    text = "\n".join(lines)
    out = reflow(text)
    assert "".join(text.split()) == "".join(out.split())
    assert out.count("|") == text.count("|")
