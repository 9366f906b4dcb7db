"""Agency names: aliases → one canonical name, province-qualified ids, splitting lists."""
from __future__ import annotations

import pytest

from ingest.agencies import (
    AgencyKey,
    agency_id,
    agency_kind,
    canonical_agencies,
    canonical_agency,
    find_agency_mentions,
    parse_agency,
    same_agency,
    scan_agencies,
    split_agencies,
)

LDTBXH = "Sở Lao động - Thương binh và Xã hội"
GDDT = "Sở Giáo dục và Đào tạo"
UBND_HUYEN = "Ủy ban nhân dân các huyện, thị xã, thành phố"


@pytest.mark.parametrize(
    "written",
    [
        "Sở LĐ-TB&XH",
        "Sở Lao động - Thương binh và Xã hội",
        "Sở LĐTBXH",
        "Sở Lao động, Thương binh và Xã hội",
        "Sở Lao động Thương binh và Xã hội",
        "Sở Lao động - TB&XH",
        "Sở Lao động-TB&XH",
        "Sở Lao động- TB&XH",
        "Sở Lao động – Thương binh và Xã hội",  # en dash
        "sở lao động - thương binh và xã hội",
        "So Lao dong - Thuong binh va Xa hoi",  # typed without diacritics
        "Sở Lao động- TB&XH;",  # trailing separator from a table cell
        "Giám đốc Sở Lao động - Thương binh và Xã hội",
    ],
)
def test_labour_department_aliases(written):
    assert canonical_agency(written) == LDTBXH


def test_bare_labour_name_from_a_department_list():
    assert canonical_agency("Lao động - Thương binh và Xã hội") == LDTBXH
    assert canonical_agency("Kế hoạch và Đầu tư") == "Sở Kế hoạch và Đầu tư"
    assert canonical_agency("Tài chính") == "Tài chính"  # an ordinary word on its own
    assert split_agencies("các Sở: Tài chính, Kế hoạch và Đầu tư, Lao động - Thương binh và Xã hội") == [
        "Sở Tài chính",
        "Sở Kế hoạch và Đầu tư",
        "Sở Lao động - Thương binh và Xã hội",
    ]


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("Sở GD&ĐT", GDDT),
        ("Sở Giáo dục và Đào tạo", GDDT),
        ("Sở Giáo dục - Đào tạo", GDDT),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở Thông tin và truyền thông", "Sở Thông tin và Truyền thông"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở Kế hoạch và Đầu tư", "Sở Kế hoạch và Đầu tư"),
        ("Sở KHCN", "Sở Khoa học và Công nghệ"),
        ("Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ"),
        ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở Nông nghiệp- PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),  # old tone placement
        ("Sở Nội Vụ", "Sở Nội vụ"),
        ("Sở Tài Chính", "Sở Tài chính"),
        ("Sở Công thương", "Sở Công Thương"),
        ("Bộ Lao động - Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),
        ("Ban Dân tộc tỉnh", "Ban Dân tộc"),
        ("Đoàn TNCS Hồ Chí Minh tỉnh", "Tỉnh đoàn"),
        ("Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh", "Tỉnh đoàn"),
        ("Ủy ban MTTQ tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("Đài PTTH tỉnh", "Đài Phát thanh và Truyền hình tỉnh"),
        ("Các CSGDNN", "Các cơ sở giáo dục nghề nghiệp"),
        ("các cơ sở GDNN", "Các cơ sở giáo dục nghề nghiệp"),
        ("Các cơ sở GDNN công lập", "Các cơ sở giáo dục nghề nghiệp công lập"),
        ("Các sở ban ngành liên quan", "Các sở, ban, ngành"),
        ("các Sở, ngành liên quan", "Các sở, ban, ngành"),
        ("các đơn vị có liên quan", "Các đơn vị liên quan"),
        ("phòng Lao động Việc làm", "Phòng Lao động - Việc làm"),
        ("Phòng Kế hoạch tài chính", "Phòng Kế hoạch - Tài chính"),
        ("Trường cao đẳng Bắc Kạn", "Trường Cao đẳng Bắc Kạn"),  # unknown name: kept, tidied
        ("Báo Yên Bái", "Báo Yên Bái"),
    ],
)
def test_other_aliases(written, canonical):
    assert canonical_agency(written) == canonical


@pytest.mark.parametrize(
    "written",
    [
        "UBND các huyện, thị xã, thành phố",
        "UBND các huyện, thành phố",
        "UBND các huyện, TX, TP",
        "UBND các huyện, TP",
        "UBND các huyện, Thành phố",
        "UBND huyện, thị xã, thành phố",
        "Ủy ban nhân dân các huyện, thị xã, thành phố",
        "Uỷ ban nhân dân các huyện, thị xã, thành phố",
        "Chủ tịch UBND các huyện, thị, thành phố",
    ],
)
def test_district_peoples_committees_are_one_agency(written):
    assert canonical_agency(written) == UBND_HUYEN


def test_other_peoples_committees_stay_distinct():
    assert canonical_agency("UBND tỉnh") == "Ủy ban nhân dân tỉnh"
    assert canonical_agency("Ủy ban nhân dân các quận, huyện và thị xã") == "Ủy ban nhân dân các quận, huyện, thị xã"
    assert canonical_agency("UBND các xã, phường, thị trấn") == "Ủy ban nhân dân các xã, phường, thị trấn"
    assert canonical_agency("UBND Thành phố") == "Ủy ban nhân dân Thành phố"
    assert len({canonical_agency(x) for x in ("UBND tỉnh", "UBND các huyện", "UBND các quận, huyện")}) == 3


def test_a_person_stands_for_the_agency_and_the_role_is_kept():
    key = parse_agency("Giám đốc Sở Giáo dục và Đào tạo", "Yên Bái")
    assert key == AgencyKey(GDDT, "Yên Bái", "Giám đốc")
    assert parse_agency("Chủ tịch UBND các huyện, thị, thành phố").role == "Chủ tịch"
    assert parse_agency("Sở Giáo dục và Đào tạo").role == ""


def test_province_qualifies_the_identity():
    bac_kan = agency_id("Sở Nội vụ", "Bắc Kạn")
    ha_noi = agency_id("Sở Nội Vụ", "Hà Nội")
    assert bac_kan == "Sở Nội vụ (Bắc Kạn)"
    assert ha_noi == "Sở Nội vụ (Hà Nội)"
    assert bac_kan != ha_noi
    assert parse_agency("Sở Nội vụ", "Bắc Kạn").id == bac_kan
    assert agency_id("Sở LĐ-TB&XH", "Bắc Kạn") == agency_id("Sở Lao động - Thương binh và Xã hội", "Bắc Kạn")
    assert agency_id("Sở Nội vụ") == "Sở Nội vụ"
    assert agency_id("Bộ Lao động - Thương binh và Xã hội", "Bắc Kạn") == "Bộ Lao động - Thương binh và Xã hội"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sở Tài chính, Sở Kế hoạch và Đầu tư; Sở Giáo dục và Đào tạo",
         ["Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Giáo dục và Đào tạo"]),
        ("Sở Lao động, Thương binh và Xã hội, Sở Văn hóa, Thể thao và Du lịch, UBND các huyện, thị xã, thành phố",
         ["Sở Lao động, Thương binh và Xã hội", "Sở Văn hóa, Thể thao và Du lịch", "UBND các huyện, thị xã, thành phố"]),
        ("Sở KHCN; Các sở, ban, ngành, UBND các huyện, thành phố, các cơ sở GDNN",
         ["Sở KHCN", "Các sở, ban, ngành", "UBND các huyện, thành phố", "các cơ sở GDNN"]),
        ("Sở Nội vụ, Sở Y tế và Sở Giáo dục và Đào tạo và các cơ quan liên quan",
         ["Sở Nội vụ", "Sở Y tế", "Sở Giáo dục và Đào tạo", "các cơ quan liên quan"]),
        ("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Tỉnh đoàn, Hội Liên hiệp Phụ nữ tỉnh, Hội Nông dân tỉnh và "
         "Liên đoàn Lao động tỉnh",
         ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Tỉnh đoàn", "Hội Liên hiệp Phụ nữ tỉnh", "Hội Nông dân tỉnh",
          "Liên đoàn Lao động tỉnh"]),
        ("Sở Lao động - TB&XH, Trường Cao đẳng Bắc\nKạn", ["Sở Lao động - TB&XH", "Trường Cao đẳng Bắc Kạn"]),
        ("Các trường THCS, THPT", ["Các trường THCS, THPT"]),
        ("UBND tỉnh, Sở Giáo dục và Đào tạo", ["UBND tỉnh", "Sở Giáo dục và Đào tạo"]),
    ],
)
def test_split_agencies_keeps_commas_inside_names(text, expected):
    assert split_agencies(text) == expected


def test_canonical_agencies_of_a_cell_are_deduplicated_in_order():
    cell = "Sở GD&ĐT, Sở Lao động - Thương binh và Xã hội; UBND các huyện, TX, TP; Sở Giáo dục và Đào tạo"
    assert canonical_agencies(cell) == (GDDT, LDTBXH, UBND_HUYEN)
    assert canonical_agencies("x") == ()  # a year mark in a table cell is not an agency
    assert canonical_agencies("-") == ()
    assert canonical_agencies("x, Sở Nội vụ") == ("Sở Nội vụ",)
    assert canonical_agencies("") == ()


def test_scan_stops_where_the_task_verb_begins():
    text = "Sở Nội vụ, Sở Giáo dục - Đào tạo, Sở Tài chính và UBND các huyện, thành phố xây dựng kế hoạch rà soát"
    mentions, end = scan_agencies(text)
    assert [m.name for m in mentions] == ["Sở Nội vụ", GDDT, "Sở Tài chính", UBND_HUYEN]
    assert text[end:].strip().startswith("xây dựng")


def test_scan_joins_comma_pieces_of_an_unknown_name_until_the_verb():
    text = "các cơ sở giáo dục bậc trung học cơ sở, trung học phổ thông tổ chức tư vấn"
    mentions, end = scan_agencies(text)
    assert [m.name for m in mentions] == ["Các cơ sở giáo dục bậc trung học cơ sở, trung học phổ thông"]
    assert text[end:].strip() == "tổ chức tư vấn"


def test_scan_does_not_take_ordinary_words_for_agencies():
    assert scan_agencies("Sở có văn bản xin ý kiến")[0] == []
    assert scan_agencies("Tổ chức triển khai thực hiện kế hoạch")[0] == []
    assert scan_agencies("Ban hành văn bản gửi các huyện")[0] == []


def test_find_mentions_and_same_agency():
    text = "Phối hợp với Sở LĐTBXH và Sở GD&ĐT báo cáo UBND tỉnh."
    assert [m.name for m in find_agency_mentions(text)] == [LDTBXH, GDDT, "Ủy ban nhân dân tỉnh"]
    assert same_agency("Sở LĐ-TB&XH", "Sở Lao động, Thương binh và Xã hội")
    assert not same_agency("Sở Tài chính", "Sở Nội vụ")


def test_agency_kinds():
    assert agency_kind(LDTBXH) == "state"
    assert agency_kind(UBND_HUYEN) == "state"
    assert agency_kind("Các đơn vị liên quan") == "group"
    assert agency_kind("Trường Cao đẳng Bắc Kạn") == "other"
