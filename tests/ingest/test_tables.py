"""The general table reader: layouts, header levels, row starts, alignment, offsets."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from ingest.reflow import reflow
from ingest.tables import read_tables, row_contexts

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample_plans"
NBSP = "\xa0"


def sample_text(name: str, *, keep_nbsp: bool = True) -> str:
    text = unicodedata.normalize("NFC", (SAMPLES / name).read_text(encoding="utf-8"))
    text = re.sub(r"\*\*", "", text)
    lines = [line for line in text.split("\n")
             if line.strip() not in ("Dịch vụ doanh nghiệp online toàn quốc", "Đang tải nội dung, vui lòng chờ giây lát...")]
    if not keep_nbsp:  # what a cleaner that maps odd spaces to " " and strips lines produces
        lines = [line.replace(NBSP, " ").rstrip() for line in lines]
    return reflow("\n".join(lines))


def tables_of(text: str):
    return read_tables(text.split("\n"))


def row_by(table, column: int, value: str):
    return next(row for row in table.rows if row[column] == value)


def as_dict(table, row):
    return dict(zip(table.header, row))


# ------------------------------------------------------------------ Bắc Kạn: pipe layout


@pytest.fixture(scope="module")
def bac_kan():
    text = sample_text("bac-kan-37-KH-UBND-2022.txt")
    (table,) = tables_of(text)
    return text, table


def test_bac_kan_two_level_header(bac_kan):
    _, table = bac_kan
    group = "THỜI GIAN, KINH PHÍ NGÂN SÁCH ĐỊA PHƯƠNG (triệu đồng)"
    assert table.header == (
        "TT", "NỘI DUNG CÔNG VIỆC", "MỤC TIÊU", "ĐƠN VỊ CHỦ TRÌ", "ĐƠN VỊ PHỐI HỢP",
        f"{group} / Năm 2022", f"{group} / Năm 2023", f"{group} / Năm 2024", f"{group} / Năm 2025",
        f"{group} / TỔNG KINH PHÍ GIAI ĐOẠN 2021-2025",
        "KINH PHÍ CÁC CHƯƠNG TRÌNH MTQG", "KINH PHÍ CÁC NGUỒN HỢP PHÁP KHÁC",
    )
    assert table.title == "BIỂU KẾ HOẠCH TRIỂN KHAI THỰC HIỆN NGHỊ QUYẾT SỐ 96/NQ-HĐND NGÀY 07/12/2021 CỦA HĐND TỈNH"


def test_bac_kan_rows_align_to_header(bac_kan):
    _, table = bac_kan
    assert all(len(row) == 12 for row in table.rows)
    assert [row[0] for row in table.rows] == [
        "I", "1", "2", "3", "4", "II", "1", "2", "3", "4", "5", "III", "1", "2", "3", "4", "5", "6", "7", "8",
        "IV", "1", "2", "3", "V", "1", "3", "",
    ]
    row = as_dict(table, row_by(table, 1, "Tuyên truyền, truyền thông GDNN"))
    assert row["ĐƠN VỊ CHỦ TRÌ"] == "Sở Thông tin và Truyền thông, Sở Lao động-TB&XH"
    assert row["ĐƠN VỊ PHỐI HỢP"] == "Sở KHCN; Các sở, ban, ngành, UBND các huyện, thành phố, các cơ sở GDNN"
    assert row["MỤC TIÊU"] == "20-30 sản phẩm/năm"
    values = [v for k, v in row.items() if "/" in k]
    assert values == ["150", "150", "150", "150", "600"]
    assert row["KINH PHÍ CÁC CHƯƠNG TRÌNH MTQG"] == "" and row["KINH PHÍ CÁC NGUỒN HỢP PHÁP KHÁC"] == ""


def test_bac_kan_group_and_total_rows_put_amounts_in_the_total_column(bac_kan):
    _, table = bac_kan
    total_col = 9
    assert row_by(table, 0, "I")[total_col] == "1.200"
    assert row_by(table, 0, "IV")[total_col] == "1600"
    assert row_by(table, 0, "V")[total_col] == "30"
    assert row_by(table, 1, "TỔNG KINH PHÍ")[total_col] == "5.000"
    sources = row_by(table, 1, "Dồn cơ sở 2 Trường CĐBK về cơ sở 1")
    assert sources[5:10] == ("-", "-", "-", "x", "") and sources[10] == "KP từ nguồn các CTMTQG"


def test_bac_kan_row_spans_and_contexts(bac_kan):
    text, table = bac_kan
    for row, (start, end) in zip(table.rows, table.row_spans):
        span = text[start:end]
        assert span.startswith(row[0] or "|") or row[0] == ""
        assert row[1].split()[0] in span
    assert text[table.end:].strip() == "(Tổng kinh phí thực hiện kế hoạch: Năm tỷ đồng chẵn)"
    contexts = row_contexts(table)
    first = table.rows.index(row_by(table, 1, "Tuyên truyền, truyền thông GDNN"))
    assert contexts[first] == (
        "I Tăng cường sự lãnh đạo, chỉ đạo, tuyên truyền, triển khai công tác giáo dục nghề nghiệp",)
    assert contexts[0] == () and contexts[-1] == ()


# ------------------------------------------------------------------ Yên Bái: blank layout


@pytest.fixture(scope="module", params=[True, False], ids=["nbsp-cells", "blank-cells"])
def yen_bai(request):
    return tables_of(sample_text("yen-bai-49-KH-UBND-2020.txt", keep_nbsp=request.param))


def test_yen_bai_four_appendix_tables(yen_bai):
    assert [t.title[:10] for t in yen_bai] == ["PHỤ LỤC 01", "PHỤ LỤC 02", "PHỤ LỤC 03", "PHỤ LỤC 04"]
    assert [len(t.rows) for t in yen_bai] == [10, 10, 44, 37]


def test_yen_bai_phu_luc_01_two_level_header(yen_bai):
    table = yen_bai[0]
    a = "Tỷ lệ trường có Chương trình GDHN gắn với hoạt động sản xuất, kinh doanh, dịch vụ của địa phương (%)"
    b = "Tỷ lệ trường có giáo viên làm nhiệm vụ tư vấn hướng nghiệp đáp ứng yêu cầu về chuyên môn nghiệp vụ (%)"
    assert table.header == ("TT", "Đơn vị", f"{a} / THCS", f"{a} / THPT", f"{b} / THCS", f"{b} / THPT")
    assert row_by(table, 1, "Huyện Trạm Tấu") == ("8", "Huyện Trạm Tấu", "57,1", "0,0", "42,9", "100,0")
    assert table.rows[-1] == ("", "TOÀN TỈNH:", "55,8", "57,7", "53,2", "61,5")


def test_yen_bai_phu_luc_02_and_03(yen_bai):
    pl02, pl03 = yen_bai[1], yen_bai[2]
    assert as_dict(pl02, row_by(pl02, 1, "TP Yên Bái"))[pl02.header[2]] == "9,3%"
    assert pl02.header[3] == "GHI CHÚ" and pl02.rows[-1] == ("", "TOÀN TỈNH:", "23,5%", "")
    assert pl03.rows[0] == ("I", "TP Yên Bái", "27,2%", "")
    contexts = row_contexts(pl03)
    assert contexts[pl03.rows.index(row_by(pl03, 1, "THPT Púng Luông"))] == ("IX Huyện Mù Cang Chải",)
    assert pl03.rows[-1] == ("", "TOÀN TỈNH:", "44%", "")


def test_yen_bai_phu_luc_04_rows(yen_bai):
    table = yen_bai[3]
    assert table.header == ("TT", "Nội dung công việc", "Cơ quan/Lãnh đạo chủ trì chịu",
                            "Cơ quan/Lãnh đạo phối hợp thực hiện, chịu trách nhiệm", "Thời gian hoàn thành",
                            "Nội dung/ Thẩm quyền ban hành")
    row = as_dict(table, row_by(table, 0, "1.1"))
    assert row["Cơ quan/Lãnh đạo chủ trì chịu"] == "Sở Thông tin và Truyền thông"
    assert row["Thời gian hoàn thành"] == "Xong trước ngày 05/3/2020"
    # Multi-paragraph cells ("- " bullets) are merged back into one cell.
    bullets = as_dict(table, row_by(table, 0, "2.4"))
    assert bullets["Nội dung công việc"].count("- Học sinh cụm trường") == 4
    assert bullets["Thời gian hoàn thành"] == "Xong trước ngày 15/5/2020"
    assert as_dict(table, row_by(table, 0, "1"))["Nội dung công việc"].startswith("- Tỷ lệ trường THCS")
    assert row_by(table, 0, "4.1")[-1] == ""  # empty last cell stays in place
    assert [r[0] for r in table.rows].index("2.10") == [r[0] for r in table.rows].index("2.9") + 1
    contexts = row_contexts(table)
    assert contexts[table.rows.index(row_by(table, 0, "1.1"))] == (
        "II CÁC NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU",
        "1 Thông tin, tuyên truyền về giáo dục hướng nghiệp, định hướng phân luồng học sinh",
    )
    assert contexts[table.rows.index(row_by(table, 0, "II"))] == ()


def test_yen_bai_tables_do_not_depend_on_nbsp_cells():
    with_nbsp = tables_of(sample_text("yen-bai-49-KH-UBND-2020.txt"))
    without = tables_of(sample_text("yen-bai-49-KH-UBND-2020.txt", keep_nbsp=False))
    assert [(t.header, t.rows, t.title) for t in with_nbsp] == [(t.header, t.rows, t.title) for t in without]


def test_plans_without_tables():
    for name in ("ha-noi-72-KH-UBND-2022.txt", "hai-duong-KH-SLDTBXH-2023.txt", "cao-bang-3058-KH-UBND-2024.txt"):
        assert tables_of(sample_text(name)) == []


# ------------------------------------------------------------------ tables made up for these tests


def test_inline_rows_with_empty_cells():
    text = "\n".join([
        "Bảng 1. Phân công nhiệm vụ",
        "TT | Nội dung | Đơn vị chủ trì | Thời gian hoàn thành",
        "1 | Tuyên truyền | Sở Thông tin và Truyền thông | Quý I/2024",
        "2 | Hội nghị tư vấn |  | Tháng 6/2024",
        "3 | Kiểm tra | Sở Lao động - Thương binh và Xã hội | ",
        "Các đơn vị triển khai thực hiện.",
    ])
    (table,) = tables_of(text)
    assert table.title == "Bảng 1. Phân công nhiệm vụ"
    assert table.header == ("TT", "Nội dung", "Đơn vị chủ trì", "Thời gian hoàn thành")
    assert table.rows == (
        ("1", "Tuyên truyền", "Sở Thông tin và Truyền thông", "Quý I/2024"),
        ("2", "Hội nghị tư vấn", "", "Tháng 6/2024"),
        ("3", "Kiểm tra", "Sở Lao động - Thương binh và Xã hội", ""),
    )
    assert [text[a:b] for a, b in table.row_spans] == [line.rstrip() for line in text.split("\n")[2:5]]
    assert text[table.start:table.end] == "\n".join(text.split("\n")[1:5]).rstrip()


def test_inline_two_level_header_from_merged_cells():
    text = "\n".join([
        "STT | Nhiệm vụ | Kinh phí (triệu đồng) | Kinh phí (triệu đồng) | Ghi chú",
        "STT | Nhiệm vụ | Năm 2024 | Năm 2025 | Ghi chú",
        "I | ĐÀO TẠO NGHỀ |  |  | ",
        "1 | Đào tạo lao động nông thôn | 500 | 600 | ",
        "2 | Bồi dưỡng giáo viên | 100 |  | Ngân sách tỉnh",
    ])
    (table,) = tables_of(text)
    assert table.header == ("STT", "Nhiệm vụ", "Kinh phí (triệu đồng) / Năm 2024",
                            "Kinh phí (triệu đồng) / Năm 2025", "Ghi chú")
    assert table.rows[2] == ("2", "Bồi dưỡng giáo viên", "100", "", "Ngân sách tỉnh")
    assert row_contexts(table) == [(), ("I ĐÀO TẠO NGHỀ",), ("I ĐÀO TẠO NGHỀ",)]


def test_markdown_table():
    text = "| TT | Chỉ tiêu | Kết quả |\n|---|---|---|\n| 1 | Tỷ lệ lao động qua đào tạo | 72,2% |\n| 2 | Tuyển sinh | 224.500 |"
    (table,) = tables_of(text)
    assert table.header == ("TT", "Chỉ tiêu", "Kết quả")
    assert table.rows == (("1", "Tỷ lệ lao động qua đào tạo", "72,2%"), ("2", "Tuyển sinh", "224.500"))


def test_pipe_layout_with_three_columns_and_multi_line_cells():
    text = "\n".join([
        "Biểu 2", "TT", "|", "Nội dung", "|", "Kết quả", "|",
        "1", "|", "Đào tạo nghề cho", "lao động nông thôn", "|", "6.000", "|",
        "2", "|", "Giải quyết việc làm", "|", "", "|",
        "Ghi chú cuối biểu.",
    ])
    (table,) = tables_of(text)
    assert table.title == "Biểu 2"
    assert table.header == ("TT", "Nội dung", "Kết quả")
    assert table.rows == (("1", "Đào tạo nghề cho lao động nông thôn", "6.000"), ("2", "Giải quyết việc làm", ""))
    assert text[table.end:].strip() == "Ghi chú cuối biểu."


def test_blank_layout_with_stray_numbers_and_group_rows():
    cells = [
        "TT", "Nội dung", "Số lượng", "Đơn vị tính", "Đơn vị chủ trì",
        "I", "ĐÀO TẠO", NBSP, NBSP, NBSP,
        "1", "Mở lớp sơ cấp", "2", "lớp", "Sở Lao động",
        "2", "Mở lớp dưới 3 tháng", "3", "lớp", NBSP,
        "II", "VIỆC LÀM", NBSP, NBSP, NBSP,
        "1", "Phiên giao dịch việc làm", "12", "phiên", "Trung tâm Dịch vụ việc làm",
    ]
    text = "PHỤ LỤC 05\n\nKẾ HOẠCH NĂM 2024\n\n" + "\n\n".join(cells)
    (table,) = tables_of(text)
    assert table.title == "PHỤ LỤC 05 KẾ HOẠCH NĂM 2024"
    assert table.header == ("TT", "Nội dung", "Số lượng", "Đơn vị tính", "Đơn vị chủ trì")
    assert table.rows == (
        ("I", "ĐÀO TẠO", "", "", ""),
        ("1", "Mở lớp sơ cấp", "2", "lớp", "Sở Lao động"),
        ("2", "Mở lớp dưới 3 tháng", "3", "lớp", ""),
        ("II", "VIỆC LÀM", "", "", ""),
        ("1", "Phiên giao dịch việc làm", "12", "phiên", "Trung tâm Dịch vụ việc làm"),
    )
    assert row_contexts(table)[-1] == ("II VIỆC LÀM",)


def test_column_numbering_row_is_not_part_of_the_header():
    text = "\n\n".join(["TT", "Nội dung", "Ghi chú", "(1)", "(2)", "(3)", "1", "Tuyên truyền", "Hằng năm"])
    (table,) = tables_of(text)
    assert table.header == ("TT", "Nội dung", "Ghi chú")
    assert table.rows == (("1", "Tuyên truyền", "Hằng năm"),)


def test_two_tables_in_a_row_are_read_separately():
    one = "\n\n".join(["TT", "Đơn vị", "Tỷ lệ", "1", "Huyện A", "10%", "2", "Huyện B", "20%"])
    two = "\n\n".join(["TT", "Nội dung", "Thời gian", "1", "Báo cáo", "Quý IV"])
    tables = tables_of(f"PHỤ LỤC 01\n\n{one}\n\nPHỤ LỤC 02\n\n{two}")
    assert [t.title for t in tables] == ["PHỤ LỤC 01", "PHỤ LỤC 02"]
    assert [len(t.rows) for t in tables] == [2, 1]


def test_prose_with_numbers_is_not_a_table():
    text = "1. Mục tiêu\n\nĐào tạo 6.000 người.\n\n2. Nhiệm vụ\n\n- Tuyên truyền | phổ biến.\n\nTT tỉnh chủ trì."
    assert tables_of(text) == []


def test_group_row_spanning_all_columns_is_still_a_row():
    cells = ["TT", "Nội dung", "Đơn vị chủ trì", "Năm 2024", "Năm 2025",
             "I", "ĐÀO TẠO NGHỀ",  # one cell spanning the other four columns
             "1", "Đào tạo lao động nông thôn", "Sở Lao động", "500", "600",
             "2", "Bồi dưỡng giáo viên", "Sở Giáo dục", "100", "-"]
    text = "\n".join(f"{cell}\n|" for cell in cells)
    (table,) = tables_of(text)
    assert table.rows == (
        ("I", "ĐÀO TẠO NGHỀ", "", "", ""),
        ("1", "Đào tạo lao động nông thôn", "Sở Lao động", "500", "600"),
        ("2", "Bồi dưỡng giáo viên", "Sở Giáo dục", "100", "-"),
    )
    assert row_contexts(table)[1:] == [("I ĐÀO TẠO NGHỀ",), ("I ĐÀO TẠO NGHỀ",)]


def test_numbered_children_without_their_parent_row():
    text = "\n".join([
        "TT | Nội dung | Thời gian",
        "1.1 | Xây dựng kế hoạch | Quý I",
        "1.2 | Tổ chức hội nghị | Quý II",
        "2.1 | Kiểm tra | Quý IV",
    ])
    assert [row[0] for row in tables_of(text)[0].rows] == ["1.1", "1.2", "2.1"]
    cells = ["TT", "Nội dung", "Thời gian", "1.1", "Xây dựng kế hoạch", "Quý I",
             "1.2", "Tổ chức hội nghị", "Quý II", "2.1", "Kiểm tra", "Quý IV"]
    (table,) = tables_of("\n\n".join(cells))
    assert [row[0] for row in table.rows] == ["1.1", "1.2", "2.1"]


def test_inline_header_with_merged_cells_written_once():
    # What a DOCX reader gives for a grid with a horizontally merged "Kinh phí" cell
    # and vertically merged "TT"/"Nội dung"/"Ghi chú" cells.
    text = "\n".join([
        "TT TT | Nội dung | Kinh phí (triệu đồng) Kinh phí (triệu đồng) | Ghi chú",
        "TT TT | Nội dung | Năm 2024 | Năm 2025 | Ghi chú",
        "1 | Đào tạo nghề | 500 | 600 |",
        "2 | Bồi dưỡng | 100 |  | NS tỉnh",
    ])
    (table,) = tables_of(text)
    assert table.header == ("TT", "Nội dung", "Kinh phí (triệu đồng) / Năm 2024", "Kinh phí (triệu đồng) / Năm 2025",
                            "Ghi chú")
    assert table.rows == (("1", "Đào tạo nghề", "500", "600", ""), ("2", "Bồi dưỡng", "100", "", "NS tỉnh"))


def test_inline_header_from_html_rowspan_and_colspan():
    # An HTML table whose "Tỷ lệ (%)" cell spans two columns and TT/Đơn vị span two rows.
    text = "TT | Đơn vị | Tỷ lệ (%)\nTHCS | THPT\n1 | Huyện A | 50 | 60\n2 | Huyện B | | 70"
    (table,) = tables_of(text)
    assert table.header == ("TT", "Đơn vị", "Tỷ lệ (%) / THCS", "Tỷ lệ (%) / THPT")
    assert table.rows == (("1", "Huyện A", "50", "60"), ("2", "Huyện B", "", "70"))
