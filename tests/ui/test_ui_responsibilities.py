"""The responsibilities tab: filtering, rendering and CSV (pure), its handlers on a built app, and the real index."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

import gradio as gr
import pytest
from planchat_ui_fakes import (
    BAC_KAN_DOC,
    GDDT,
    HOSTILE_BUDGET,
    HOSTILE_IMG,
    HOSTILE_SCRIPT,
    HOSTILE_TASK,
    LDTBXH,
    NOI_VU,
    fake_records,
    make_services,
)
from planchat_ui_harness import SAMPLE_PLANS, RealServices, real_layers_available

from ui.app import build_app
from ui.highlight import Span
from ui.responsibilities_view import (
    MAX_TABLE_ROWS,
    DateInputError,
    PlanRef,
    RecordQuery,
    agency_choices,
    csv_bytes,
    csv_cell,
    filter_records,
    locate_record,
    parse_date_bound,
    province_choices,
    record_key,
    render_table,
)
from ui.tabs.responsibilities import csv_file_name, export_csv

RECORDS = fake_records()
BAC_KAN_META = BAC_KAN_DOC[0]
PLANS = {BAC_KAN_META.doc_id: PlanRef(BAC_KAN_META.doc_id, BAC_KAN_META.number, BAC_KAN_META.title)}


def tasks(view) -> list[str]:
    return [row.record.task for row in view.rows]


def roles(view) -> list[tuple[str, str]]:
    return [(row.record.province, row.role) for row in view.rows]


def decode_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- pure filtering -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Nội vụ", "noi vu", "NOI VU", "Sở Nội vụ", "so noi vu", "  nội   VỤ "])
def test_search_matches_with_or_without_diacritics(text):
    view = filter_records(RECORDS, RecordQuery(text=text))
    assert len(view.rows) == 3
    assert all(NOI_VU in (*row.record.lead, *row.record.coordinators) for row in view.rows)
    assert sorted(row.role for row in view.rows) == ["coordinator", "lead", "lead"]
    assert all(row.focus == (NOI_VU,) for row in view.rows)


def test_search_words_start_words_and_all_must_match():
    assert tasks(filter_records(RECORDS, RecordQuery(text="tinh gian bien che"))) == [RECORDS[5].task]
    assert filter_records(RECORDS, RecordQuery(text="inh gian")).rows == ()  # "inh" starts no word
    assert filter_records(RECORDS, RecordQuery(text="tinh gian khong-co-tu-nay")).rows == ()
    assert len(filter_records(RECORDS, RecordQuery(text="")).rows) == len(RECORDS)


def test_search_by_alias_keeps_the_agency_and_matches_the_other_words():
    view = filter_records(RECORDS, RecordQuery(text="Sở LĐTBXH tuyển sinh"))
    assert tasks(view) == [RECORDS[2].task]
    assert view.rows[0].role == "lead" and view.rows[0].focus == (LDTBXH,)
    every = filter_records(RECORDS, RecordQuery(text="so ldtbxh"))
    assert len(every.rows) == 6 and {r.role for r in every.rows} == {"lead", "coordinator"}


def test_role_filter_uses_the_chosen_agency():
    lead = filter_records(RECORDS, RecordQuery(agencies=(NOI_VU,), role="lead"))
    coordinator = filter_records(RECORDS, RecordQuery(agencies=(NOI_VU,), role="coordinator"))
    assert [r.record for r in lead.rows] == [RECORDS[5], RECORDS[7]]
    assert [r.record for r in coordinator.rows] == [RECORDS[4]]
    assert {r.role for r in lead.rows} == {"lead"} and {r.role for r in coordinator.rows} == {"coordinator"}
    both = filter_records(RECORDS, RecordQuery(agencies=(NOI_VU, "Sở Tài chính")))
    assert len(both.rows) == 4  # either agency; Sở Tài chính's own task and Sở Nội vụ's three


def test_role_filter_needs_an_agency_and_says_so():
    query = RecordQuery(role="lead")
    view = filter_records(RECORDS, query)
    assert query.role_ignored and len(view.rows) == len(RECORDS)
    assert "Chọn hoặc gõ tên cơ quan để lọc theo vai trò." in render_table(view, PLANS, "vi")
    # with words that name no agency of a record, no row has a role to keep
    assert filter_records(RECORDS, RecordQuery(text="tuyên truyền", role="lead")).rows == ()
    assert len(filter_records(RECORDS, RecordQuery(text="tuyên truyền")).rows) == 1


def test_agency_filter_matches_any_spelling():
    view = filter_records(RECORDS, RecordQuery(agencies=("Sở LĐ-TB&XH",)))
    assert len(view.rows) == 6


def test_province_filter():
    view = filter_records(RECORDS, RecordQuery(agencies=(LDTBXH,), provinces=("Cao Bằng",)))
    assert roles(view) == [("Cao Bằng", "lead"), ("Cao Bằng", "coordinator")]
    assert {r.record.province for r in filter_records(RECORDS, RecordQuery(provinces=("Bắc Kạn", "Hà Nội"))).rows} == {
        "Bắc Kạn",
        "Hà Nội",
    }
    assert filter_records(RECORDS, RecordQuery(agencies=(NOI_VU,), provinces=("Hà Nội",))).rows == ()


def test_deadline_bounds_keep_dated_tasks_in_range_sorted_by_date():
    before_2023 = filter_records(RECORDS, RecordQuery(before=parse_date_bound("2023", end=True)))
    assert [r.record.deadline_iso for r in before_2023.rows] == ["2022-06-30"]
    since = filter_records(RECORDS, RecordQuery(after=parse_date_bound("30/6/2022", end=False)))
    assert [r.record.deadline_iso for r in since.rows] == ["2022-06-30", "2024-12-31"]
    assert filter_records(RECORDS, RecordQuery(after="2022-07-01", before="2024-12-30")).rows == ()


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2023-11-30", True, "2023-11-30"),
        ("30/11/2023", False, "2023-11-30"),
        ("5-3-2020", True, "2020-03-05"),
        ("2/2024", True, "2024-02-29"),
        ("2/2024", False, "2024-02-01"),
        ("2024", True, "2024-12-31"),
        ("2024", False, "2024-01-01"),
        ("", True, ""),
        ("   ", False, ""),
    ],
)
def test_date_bounds(text, end, expected):
    assert parse_date_bound(text, end=end) == expected


@pytest.mark.parametrize("text", ["abc", "31/02/2023", "2023-13-01", "30/11", "20233"])
def test_bad_dates_raise_a_one_line_error(text):
    with pytest.raises(DateInputError) as info:
        parse_date_bound(text, end=True, field_key="rsp.before")
    assert info.value.message("vi").startswith("Thời hạn đến: “")
    assert "\n" not in info.value.message("en") and text.strip() in info.value.message("en")


def test_choices_are_canonical_and_unique():
    records = RECORDS + (replace(RECORDS[0], lead=("Sở LĐ-TB&XH",)), replace(RECORDS[0], lead=("Sở Nội Vụ",)))
    names = agency_choices(records)
    assert names.count(LDTBXH) == 1 and names.count(NOI_VU) == 1 and "Sở LĐ-TB&XH" not in names
    assert province_choices(RECORDS) == ["Bắc Kạn", "Cao Bằng", "Hà Giang", "Hà Nội"]


def test_record_keys_are_stable_and_distinct():
    assert record_key(RECORDS[0]) == record_key(replace(RECORDS[0]))
    assert len({record_key(r) for r in RECORDS}) == len(RECORDS)


# --- rendering ----------------------------------------------------------------------------


def test_table_shows_the_columns_roles_and_a_source_link_per_row():
    view = filter_records(RECORDS, RecordQuery(agencies=(NOI_VU,), provinces=("Bắc Kạn",)))
    html = render_table(view, PLANS, "vi")
    for header in ("Vai trò", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn", "Kinh phí", "Tỉnh/TP", "Kế hoạch"):
        assert f">{header}</th>" in html
    assert "3 / 8 nhiệm vụ" in html and "2 chủ trì · 1 phối hợp" in html
    assert html.count('<tr data-key="') == 3 and html.count('class="pc-rsp-open"') == 3
    for row in view.rows:
        assert f'data-key="{row.key}"' in html and f'href="#pc-rsp={row.key}"' in html
    assert '<span class="pc-role pc-role-lead">Chủ trì</span>' in html
    assert '<span class="pc-rsp-agency pc-rsp-focus">Sở Nội vụ</span>' in html
    assert "37/KH-UBND" in html and "trước ngày 30/6/2022" in html and "KP từ nguồn các CTMTQG" in html
    assert "\n" not in html
    english = render_table(view, PLANS, "en")
    assert ">Coordinators</th>" in english and "Show in document" in english and "2 leading · 1 coordinating" in english


def test_search_words_are_marked_in_the_task():
    view = filter_records(RECORDS, RecordQuery(text="tinh gian"))
    html = render_table(view, PLANS, "vi")
    assert '<mark class="pc-hl">tinh</mark> <mark class="pc-hl">giản</mark>' in html


def test_hostile_record_is_rendered_as_text():
    hostile = next(r for r in RECORDS if r.task == HOSTILE_TASK)
    sneaky = replace(hostile, section='x" onmouseover="alert(1)', document='"><script>alert(2)</script>')
    view = filter_records((hostile, sneaky), RecordQuery(text="kiem thu"))
    html = render_table(view, {}, "vi")
    assert len(view.rows) == 2
    assert "<script" not in html and "<img" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "${" not in html and "&#36;{alert(1)}" in html
    assert 'onmouseover="' not in html and "&quot; onmouseover=&quot;" in html
    assert re.findall(r'<tr data-key="([^"]*)"', html) == [record_key(hostile), record_key(sneaky)]
    assert html.count("<tr ") == 2  # nothing in the records opened or closed a row


def test_empty_states():
    assert "Chưa có dữ liệu phân công" in render_table(filter_records((), RecordQuery()), PLANS, "vi")
    none = filter_records(RECORDS, RecordQuery(text="không có từ này"))
    html = render_table(none, PLANS, "en")
    assert "0 / 8 tasks" in html and "No task matches the filters." in html and "<table" not in html


def test_long_results_are_cut_in_the_page_but_not_in_the_csv():
    many = tuple(replace(RECORDS[0], task=f"Nhiệm vụ số {i}") for i in range(MAX_TABLE_ROWS + 5))
    view = filter_records(many, RecordQuery())
    html = render_table(view, PLANS, "vi")
    assert html.count("<tr data-key") == MAX_TABLE_ROWS and f"đủ {MAX_TABLE_ROWS + 5} dòng" in html
    assert len(decode_csv(csv_bytes(view, PLANS, "vi"))) == MAX_TABLE_ROWS + 6


# --- CSV ----------------------------------------------------------------------------------


def test_csv_has_a_bom_translated_headers_and_the_filtered_rows():
    view = filter_records(RECORDS, RecordQuery(agencies=(NOI_VU,), provinces=("Bắc Kạn",)))
    rows = decode_csv(csv_bytes(view, PLANS, "vi"))
    assert rows[0] == [
        "Vai trò", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn", "Thời hạn (ngày)", "Kinh phí",
        "Chỉ tiêu", "Tỉnh/TP", "Số hiệu", "Tệp", "Mục", "Trích dẫn",
        "Hiện nay (sau sắp xếp 2025)", "Căn cứ (hiện nay)",
    ]  # fmt: skip
    assert len(rows) == 4
    lead = next(r for r in rows[1:] if r[1].startswith("Tham mưu cho UBND tỉnh rà soát"))
    assert lead[0] == "Chủ trì" and lead[2] == NOI_VU and lead[3] == f"{LDTBXH}; {GDDT}"
    assert lead[4:6] == ["trước ngày 30/6/2022", "2022-06-30"]
    assert lead[8:11] == ["Bắc Kạn", "37/KH-UBND", "bac-kan-37-KH-UBND-2022.txt"]
    assert lead[12] == RECORDS[5].quote
    assert [r[0] for r in rows[1:]].count("Phối hợp") == 1
    assert decode_csv(csv_bytes(view, PLANS, "en"))[0][:3] == ["Role", "Task", "Lead"]


def test_csv_keeps_hostile_text_verbatim_but_defuses_formulas():
    hostile = next(r for r in RECORDS if r.task == HOSTILE_TASK)
    rows = decode_csv(csv_bytes(filter_records((hostile,), RecordQuery()), {}, "en"))
    assert HOSTILE_SCRIPT in rows[1][1] and rows[1][3] == HOSTILE_IMG
    assert rows[1][6] == "'" + HOSTILE_BUDGET
    assert csv_cell("- Thương binh") == "'- Thương binh" and csv_cell("+1") == "'+1" and csv_cell("@x") == "'@x"
    assert csv_cell("Sở Nội vụ") == "Sở Nội vụ" and csv_cell(None) == ""


def test_csv_file_is_named_after_the_filters_and_reused(tmp_path):
    view = filter_records(RECORDS, RecordQuery(agencies=(NOI_VU,), provinces=("Bắc Kạn",)))
    assert csv_file_name(view.query, "vi") == "phan-cong_so-noi-vu_bac-kan.csv"
    assert csv_file_name(RecordQuery(), "en") == "responsibilities.csv"
    first = export_csv(view, PLANS, "vi", base_dir=tmp_path)
    assert export_csv(view, PLANS, "vi", base_dir=tmp_path) == first
    assert len(decode_csv(Path(first).read_bytes())) == 4
    assert export_csv(view, PLANS, "en", base_dir=tmp_path) != first


# --- locating the quote -------------------------------------------------------------------


def test_locate_record_prefers_the_quote_inside_its_chunk():
    text = "Mở đầu. Sở Nội vụ chủ trì. Giữa văn bản. Sở Nội vụ chủ trì. Kết."
    second = text.rfind("Sở Nội vụ chủ trì")
    chunk = Span(second - 2, len(text))
    assert locate_record(text, "Sở Nội vụ chủ trì", chunk) == Span(second, second + len("Sở Nội vụ chủ trì"))
    assert locate_record(text, "Sở Nội vụ chủ trì") == Span(8, 8 + len("Sở Nội vụ chủ trì"))
    assert locate_record(text, "không có trong văn bản", chunk) == chunk
    assert locate_record(text, "không có trong văn bản") is None


# --- handlers on a built app --------------------------------------------------------------


def handler(demo, name: str):
    for fn in demo.fns.values():
        if fn.name == name:
            return fn.fn
    raise KeyError(name)


@pytest.fixture()
def services(tmp_path):
    return make_services(tmp_path, bac_kan=True)


@pytest.fixture()
def demo(services):
    return build_app(services, language="vi")


def test_filter_handler_renders_rows_and_a_csv(demo):
    table, view, csv_path, status = handler(demo, "rsp_apply")("", [NOI_VU], ["Bắc Kạn"], "all", "", "", "vi")
    assert status == {"__type__": "update", "value": "", "visible": False}
    assert len(view.rows) == 3 and table.count("<tr data-key") == 3
    assert Path(csv_path).name == "phan-cong_so-noi-vu_bac-kan.csv"
    rows = decode_csv(Path(csv_path).read_bytes())
    assert len(rows) == 4 and all(r[8] == "Bắc Kạn" for r in rows[1:])
    table, view, *_ = handler(demo, "rsp_apply")("noi vu", [], [], "coordinator", "", "2023", "vi")
    assert len(view.rows) == 0  # the one coordinating task has no dated deadline
    table, view, *_ = handler(demo, "rsp_apply")("noi vu", [], [], "lead", "", "2023", "vi")
    assert [r.record.deadline_iso for r in view.rows] == ["2022-06-30"]


def test_bad_date_keeps_the_table_and_explains(demo):
    table, view, csv_path, status = handler(demo, "rsp_apply")("", [], [], "all", "hôm qua", "", "en")
    assert table == view == csv_path == gr.skip()
    assert status["visible"] is True and 'class="pc-rsp-error"' in status["value"]
    assert "Deadline from: “hôm qua” is not a date" in status["value"]
    assert "<script" not in handler(demo, "rsp_apply")("", [], [], "all", "<script>x</script>", "", "en")[3]["value"]


def test_clear_resets_every_filter(demo):
    text, agencies, provinces, role, after, before, table, view, _, status = handler(demo, "rsp_clear")("vi")
    assert (text, agencies, provinces, role, after, before) == ("", [], [], "all", "", "")
    assert status["visible"] is False
    assert len(view.rows) == len(RECORDS)


def test_source_link_opens_the_quote_in_the_library_viewer(demo):
    _, view, *_ = handler(demo, "rsp_apply")("", [NOI_VU], ["Bắc Kạn"], "lead", "", "", "vi")
    row = next(r for r in view.rows if r.record == RECORDS[5])
    tabs, doc_select, viewer = handler(demo, "rsp_open_source")(view, "vi", gr.EventData(None, {"key": row.key}))
    assert isinstance(tabs, gr.Tabs) and tabs.selected == "library"
    assert doc_select["value"] == "bac-kan-37-KH-UBND-2022.txt"
    focused = viewer.split('id="pc-focus">', 1)[1].split("</mark>", 1)[0]
    assert focused == row.record.quote  # the quote itself, not the whole passage around it
    assert "thực hiện các thủ tục sắp xếp lại" not in focused and "thực hiện các thủ tục sắp xếp lại" in viewer
    assert "Đoạn được trích dẫn được tô sáng" in viewer


def test_source_link_with_a_stale_or_unknown_key(demo):
    from ui.responsibilities_view import RecordView

    key = record_key(RECORDS[5])
    tabs, _, viewer = handler(demo, "rsp_open_source")(RecordView(), "vi", gr.EventData(None, {"key": key}))
    assert tabs.selected == "library" and 'id="pc-focus"' in viewer  # found in the index
    with pytest.warns(UserWarning, match="Không còn nhiệm vụ này"):
        assert handler(demo, "rsp_open_source")(RecordView(), "vi", gr.EventData(None, {"key": "nope"})) == (gr.skip(),) * 3
    assert handler(demo, "rsp_open_source")(RecordView(), "vi", gr.EventData(None, {})) == (gr.skip(),) * 3


def test_opening_the_tab_refreshes_choices_after_a_plan_is_removed(demo, services):
    first = handler(demo, "rsp_refresh")("", [NOI_VU], ["Bắc Kạn"], "all", "", "", "vi")
    assert "Bắc Kạn" in first[1]["choices"] and len(first[3].rows) == 3
    services.remove("bac-kan-37-KH-UBND-2022.txt")
    agencies, provinces, table, view, _, _ = handler(demo, "rsp_refresh")("", [NOI_VU], ["Bắc Kạn"], "all", "", "", "vi")
    assert "Bắc Kạn" not in provinces["choices"] and provinces["value"] == []
    assert NOI_VU not in agencies["choices"] and agencies["value"] == []
    assert len(view.rows) == 4


def test_language_switch_relabels_the_tab_and_table(demo):
    labels = {u.get("label") for u in handler(demo, "relabel")("en")} | {u.get("value") for u in handler(demo, "relabel")("en")}
    assert {"Responsibilities", "Agencies", "Deadline until", "Download CSV", "Clear filters"} <= labels
    _, view, *_ = handler(demo, "rsp_apply")("", [NOI_VU], [], "all", "", "", "vi")
    table, csv_path, status = handler(demo, "rsp_relabel")(view, "en")
    assert ">Task</th>" in table and Path(csv_path).name == "responsibilities_so-noi-vu.csv"


def test_events_are_private_and_the_api_is_unchanged(demo):
    rsp = [fn for fn in demo.fns.values() if (fn.name or "").startswith("rsp_")]
    assert {fn.name for fn in rsp} == {"rsp_apply", "rsp_refresh", "rsp_clear", "rsp_open_source", "rsp_relabel"}
    assert all(fn.api_visibility == "private" for fn in rsp)
    public = {fn.api_name for fn in demo.fns.values() if fn.api_visibility == "public"}
    assert {"chat", "ask"} <= public and not any("rsp" in (name or "") for name in public)


def test_an_index_without_records_shows_the_empty_state(tmp_path):
    services = make_services(tmp_path, hostile=False)
    services.index.responsibilities = lambda: []
    demo = build_app(services, language="vi")
    table, view, csv_path, _ = handler(demo, "rsp_apply")("", [], [], "all", "", "", "vi")
    assert "Chưa có dữ liệu phân công" in table and view.total == 0
    assert len(decode_csv(Path(csv_path).read_bytes())) == 1  # header only


# --- the real index -----------------------------------------------------------------------


class RecordingRealServices(RealServices):
    """``RealServices`` that extracts responsibility records at ingest, as ``planchat.wiring`` does."""

    def ingest(self, paths, progress=None):
        from index.ingest_run import ingest_paths
        from ingest.responsibilities import extract_responsibilities

        return ingest_paths(
            self.index,
            [Path(p) for p in paths],
            max_bytes=self.max_upload_bytes,
            extract_records=extract_responsibilities,
            progress=progress,
        )


@pytest.mark.skipif(not real_layers_available(), reason="index/assistant layers not available yet")
def test_real_index_noi_vu_in_bac_kan(tmp_path):
    services = RecordingRealServices(tmp_path)
    try:
        assert len(services.ingest([SAMPLE_PLANS]).added) == 5
        demo = build_app(services, language="vi")
        table, view, csv_path, status = handler(demo, "rsp_apply")("", [NOI_VU], ["Bắc Kạn"], "all", "", "", "vi")
        assert status["visible"] is False and view.rows
        assert all(r.record.province == "Bắc Kạn" for r in view.rows)
        assert all(NOI_VU in (*r.record.lead, *r.record.coordinators) for r in view.rows)
        assert any(r.role == "lead" for r in view.rows)
        assert len(decode_csv(Path(csv_path).read_bytes())) == len(view.rows) + 1
        for row in view.rows:
            _, doc_select, viewer = handler(demo, "rsp_open_source")(view, "vi", gr.EventData(None, {"key": row.key}))
            assert doc_select["value"] == "bac-kan-37-KH-UBND-2022.txt"
            assert 'id="pc-focus"' in viewer
        plain = handler(demo, "rsp_apply")("so noi vu bac kan", [], [], "lead", "", "", "vi")[1]
        assert {r.record.task for r in plain.rows} == {r.record.task for r in view.rows if r.role == "lead"}
    finally:
        services.close()
