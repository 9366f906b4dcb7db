"""The shipped table of the 2025 administrative changes: coverage, sources, every row type, spellings."""
from __future__ import annotations

import csv
from collections import Counter

import pytest

from ingest.admin_changes import (
    DATA_DIR,
    DEPARTMENT_CHANGES,
    PROVINCE_CHANGES,
    UnknownProvince,
    load_admin_changes,
)
from ingest.provinces import PROVINCES

TABLE = load_admin_changes()


def test_every_one_of_the_63_former_provinces_has_exactly_one_row():
    rows = Counter(p.old_province for p in TABLE.provinces)
    assert set(rows) == {p.name for p in PROVINCES}
    assert len(PROVINCES) == 63 and all(n == 1 for n in rows.values())


def test_34_units_of_today_23_of_them_formed_by_merging():
    units = TABLE.current_units()
    assert len(units) == 34
    merged = {p.new_unit for p in TABLE.provinces if p.change == "merged"}
    assert len(merged) == 23
    assert sum(1 for p in TABLE.provinces if p.change == "merged") == 52


def test_every_row_cites_a_dated_act_and_where_it_was_read():
    for row in (*TABLE.provinces, *TABLE.departments):
        source = TABLE.source(row.legal_basis)
        assert source.act and source.date and source.issuer, row
        assert row.read_at.strip(), row
    for source in TABLE.sources:
        assert source.read_at.strip() and source.title.strip()
    assert {p.change for p in TABLE.provinces} == set(PROVINCE_CHANGES)
    assert {d.change for d in TABLE.departments} == set(DEPARTMENT_CHANGES)


def test_merged_row_bac_kan_is_part_of_thai_nguyen_from_1_july_2025():
    row = TABLE.province_change("Bắc Kạn")
    assert (row.new_unit, row.change, row.effective, row.absorbed) == ("Thái Nguyên", "merged", "2025-07-01", True)
    assert TABLE.source(row.legal_basis).citation == "Nghị quyết 202/2025/QH15 ngày 12/06/2025"
    assert row.clause == "Điều 1 khoản 3"
    # the name-bearing constituent is merged too, but keeps its name
    same = TABLE.province_change("Thái Nguyên")
    assert same.change == "merged" and not same.absorbed


def test_unchanged_row_cao_bang():
    row = TABLE.province_change("Cao Bằng")
    assert (row.new_unit, row.change, row.effective, row.absorbed) == ("Cao Bằng", "unchanged", "", False)
    assert TABLE.predecessors("Cao Bằng") == ("Cao Bằng",)


def test_renamed_row_thua_thien_hue_is_hue_from_2025():
    row = TABLE.province_change("Thừa Thiên Huế")
    assert (row.new_unit, row.change, row.effective) == ("Huế", "renamed", "2025-01-01")
    assert TABLE.source(row.legal_basis).act == "Nghị quyết 175/2024/QH15"


def test_department_merged_row_planning_and_investment_into_finance():
    (row,) = TABLE.department_changes("Sở KH&ĐT")
    assert (row.new_agency, row.change, row.duties, row.effective) == ("Sở Tài chính", "merged", (), "2025-03-01")
    assert TABLE.source(row.legal_basis).citation == "Nghị định 45/2025/NĐ-CP ngày 28/02/2025"


def test_department_split_rows_of_labour_invalids_and_social_affairs():
    rows = {r.new_agency: r for r in TABLE.department_changes("Sở LĐ-TB&XH")}
    assert set(rows) == {"Sở Nội vụ", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Nông nghiệp và Môi trường", "Công an tỉnh"}
    assert rows["Sở Nội vụ"].change == "merged"
    assert rows["Sở Giáo dục và Đào tạo"].change == "split"
    assert rows["Sở Giáo dục và Đào tạo"].duties == ("giáo dục nghề nghiệp",)
    assert "đào tạo nghề" in rows["Sở Giáo dục và Đào tạo"].cues
    assert "hanoi_qd11-2025" in rows["Sở Giáo dục và Đào tạo"].read_at
    assert "ha-noi_qd21-2025" in rows["Sở Y tế"].read_at


@pytest.mark.parametrize(
    "name, unit",
    [("Thái Nguyên", "Thái Nguyên"), ("thai nguyen", "Thái Nguyên"), ("THÁI NGUYÊN", "Thái Nguyên"),
     ("lao cai", "Lào Cai"), ("Hải Phòng", "Hải Phòng"), ("hue", "Huế"), ("TP HCM", "Thành phố Hồ Chí Minh"),
     ("Bắc Kạn", ""), ("bac can", ""), ("Atlantis", "")],
)
def test_units_of_today_are_found_with_or_without_diacritics(name, unit):
    assert TABLE.current_unit(name) == unit


@pytest.mark.parametrize("name", ["Bắc Kạn", "bac kan", "Bắc Cạn", "BAC KAN"])
def test_former_names_are_found_with_or_without_diacritics(name):
    assert TABLE.province_change(name).new_unit == "Thái Nguyên"


def test_predecessors_list_the_name_bearing_province_first():
    assert TABLE.predecessors("Lào Cai") == ("Lào Cai", "Yên Bái")
    assert TABLE.predecessors("hai phong") == ("Hải Phòng", "Hải Dương")
    assert set(TABLE.predecessors("Ninh Bình")) == {"Ninh Bình", "Hà Nam", "Nam Định"}


def test_unknown_province_error_is_one_line():
    err = UnknownProvince("Atlantis")
    assert isinstance(err, ValueError) and "\n" not in str(err) and "Atlantis" in str(err)


def test_table_files_are_utf8_csv_with_the_documented_columns():
    with (DATA_DIR / "provinces.csv").open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header[:4] == ["old_province", "new_unit", "new_kind", "change"]
    assert load_admin_changes() is TABLE  # read once
