"""The Evaluate tab's handlers on a built (not launched) app over fake services, and its view helpers."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from ui.app import build_app
from ui.eval_jobs import DONE, EvalJobs
from ui.eval_view import ResultRow, csv_bytes, drafts_from_table, filter_rows, summary_html

from planchat_ui_fakes import EVAL_CSV_10, make_services


def handler(demo, name: str):
    for fn in demo.fns.values():
        if fn.name == name:
            return fn.fn
    raise KeyError(name)


@pytest.fixture()
def services(tmp_path: Path):
    return make_services(tmp_path)


@pytest.fixture()
def demo(services):
    return build_app(services, language="vi")


@pytest.fixture()
def test_set(tmp_path: Path) -> Path:
    path = tmp_path / "bo-cau-hoi.csv"
    path.write_text(EVAL_CSV_10, encoding="utf-8")
    return path


def run_to_the_end(demo, state, lang="vi", show="all", text=""):
    """Poll like the page's timer does until the job is finished (bounded by a generous deadline)."""
    poll = handler(demo, "eval_poll")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        out = poll(state, show, text, lang)
        if getattr(out[1], "active", True) is False:
            return out
        time.sleep(0.05)
    raise AssertionError("the evaluation job did not finish")


def test_a_vietnamese_csv_runs_in_the_background_and_shows_summary_rows_and_csv(demo, test_set):
    state, status, timer = handler(demo, "eval_start")(str(test_set), None, "", {}, "vi")
    assert state["format"] == "vi-csv" and timer.active is True
    assert "pc-eval-progress" in status and "bo-cau-hoi" in status
    status, timer, summary, table, csv_path, run_select, *_ = run_to_the_end(demo, state)
    assert "xong — 8/10 câu đạt" in status
    assert 'data-metric="pass_rate"' in summary and "0.800" in summary and "Khoảng tin cậy 95%" in summary
    assert len(table["data"]) == 10 and table["headers"][:3] == ["Mã", "Kết quả", "Câu hỏi"]
    assert [row[0] for row in table["data"][:2]] == ["un-1", "un-2"]  # failures first
    assert table["data"][0][5] == "answered a question that should have been abstained on"
    lines = Path(csv_path).read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Mã,Kết quả,Câu hỏi,Câu trả lời,Trích dẫn,Lý do chưa đạt") and len(lines) == 11
    assert run_select["value"] == Path(csv_path).stem.split("ket-qua-tung-cau-")[1]


def test_filters_and_a_second_run_to_compare(demo, test_set, services):
    state, *_ = handler(demo, "eval_start")(str(test_set), None, "", {}, "en")
    first = run_to_the_end(demo, state, "en")[5]["value"]
    summary, table, _ = handler(demo, "eval_view")(first, "failed", "", "en")
    assert {row[0] for row in table["data"]} == {"un-1", "un-2"} and "Summary" in summary
    _, table, _ = handler(demo, "eval_view")(first, "all", "TUYEN SINH cao dang", "en")  # without diacritics
    assert {row[0] for row in table["data"]} == {"hn-3"}
    state, *_ = handler(demo, "eval_start")(str(test_set), None, "", state, "en")
    second = run_to_the_end(demo, state, "en")[5]["value"]
    assert second != first
    html = handler(demo, "eval_compare")(first, second, "en")
    assert "10 shared questions" in html and "pass_rate" in html and "No question flipped." in html


def test_bad_test_sets_are_one_line_messages(demo, tmp_path):
    start = handler(demo, "eval_start")
    _, status, _ = start(None, None, "", {}, "vi")
    assert "Hãy tải lên một bộ câu hỏi" in status
    bad = tmp_path / "sai.csv"
    bad.write_text("Câu hỏi,Văn bản nguồn\nAi chủ trì?,Kế hoạch 1/KH-UBND\n", encoding="utf-8")
    _, status, _ = start(str(bad), None, "", {}, "vi")
    assert "sai.csv line 2" in status and "matches no ingested plan" in status and "<br" not in status


def test_feedback_becomes_drafts_then_joins_a_named_set_that_can_be_run(demo, services, tmp_path):
    services.feedback_path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        {"answer_id": "a1", "question": "Hà Nội tuyển sinh bao nhiêu năm 2022?", "answer": "Khoảng 224.500 [1]",
         "citations": [{"n": 1, "document": "ha-noi-72-KH-UBND-2022.txt", "quote": "Tuyển sinh và đào tạo khoảng 224.500 lượt người"}],
         "feedback": "down", "comment": "", "time": "2025-01-01T10:00:00+00:00"},
        {"answer_id": "a1", "question": "Hà Nội tuyển sinh bao nhiêu năm 2022?", "answer": "Khoảng 224.500 [1]", "citations": [],
         "feedback": "down", "comment": "Thiếu số cao đẳng", "time": "2025-01-01T10:01:00+00:00"},
        {"answer_id": "a2", "question": "Ai chủ trì?", "answer": "…", "citations": [], "feedback": "up", "comment": ""},
        {"answer_id": "a3", "question": "Tỷ lệ qua đào tạo?", "answer": "72,2% [1]", "citations": [], "feedback": "up", "comment": "Đúng nhưng thiếu nguồn"},
    ]
    services.feedback_path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    status, drafts, download = handler(demo, "fb_make")("vi")
    assert "2 câu nháp mới" in status and [row[0] for row in drafts["data"]] == ["fb-a1", "fb-a3"]
    assert drafts["data"][0][3] == "Thiếu số cao đẳng" and "224.500" in drafts["data"][0][2]
    assert Path(download).is_file()
    edited = [list(drafts["data"][0]), list(drafts["data"][1])]
    edited[0][4], edited[0][5] = "224.500 lượt người", "224.500; cao đẳng 25.000 | 25.000"
    status, left, saved = handler(demo, "fb_join")({"headers": drafts["headers"], "data": edited}, "phan-hoi", "vi")
    assert "Đã thêm 1 câu vào bộ “phan-hoi”" in status and "1 câu nháp còn thiếu" in status
    assert [row[0] for row in left["data"]] == ["fb-a3"] and saved["choices"] == ["phan-hoi"]
    item = json.loads((services.feedback_path.parent / "eval_sets" / "phan-hoi.jsonl").read_text(encoding="utf-8"))
    assert item["must_include"] == [["224.500"], ["cao đẳng 25.000", "25.000"]] and item["origin"] == "feedback"
    assert "answer_given" not in item and item["comment"] == "Thiếu số cao đẳng"
    assert handler(demo, "fb_make")("vi")[0].startswith("<p>0 câu nháp mới; 1")  # nothing drafted twice
    state, status, _ = handler(demo, "eval_start")(None, "phan-hoi", "", {}, "vi")
    assert run_to_the_end(demo, state)[2].count('data-metric="') >= 10


def test_view_helpers_fold_filter_guard_formulas_and_read_tables():
    rows = [ResultRow("a", False, "Tuyển sinh?", "=1+1", False, "", "missing facts", 0.0, 1.0, 0.5, 0.1),
            ResultRow("b", True, "Ai chủ trì?", "Sở Nội vụ [1]", False, "[1] x.txt", "", 1.0, 1.0, 1.0, 0.1)]
    assert [r.id for r in filter_rows(rows, "all", "TUYEN SINH")] == ["a"]
    assert [r.id for r in filter_rows(rows, "passed")] == ["b"]
    text = csv_bytes(rows, "en").decode("utf-8-sig")
    assert "'=1+1" in text and text.splitlines()[0].startswith("Id,Result,Question")
    assert "No results yet" in summary_html(None, "en")
    assert drafts_from_table({"data": []}, []) == []


def test_jobs_list_finished_runs_and_refuse_ids_outside_the_runs_folder(services, tmp_path):
    from evals.dataset import EvalItem

    jobs = EvalJobs(services, tmp_path / "runs")
    job = jobs.submit([EvalItem("x", "Hà Nội tuyển sinh bao nhiêu?")], "một bộ")
    deadline = time.monotonic() + 30
    while jobs.status(job).state != DONE and time.monotonic() < deadline:
        time.sleep(0.05)
    run_id = jobs.status(job).run_id
    assert [e.run_id for e in jobs.runs()] == [run_id] and run_id.endswith("-mot-bo")
    assert jobs.run_dir(run_id).is_dir()
    for bad in ("..", "../runs", "/etc", run_id + "/.."):
        with pytest.raises(KeyError):
            jobs.run_dir(bad)
    jobs.close()


def test_switching_to_english_relabels_the_summary_and_the_table(demo, test_set):
    state, *_ = handler(demo, "eval_start")(str(test_set), None, "", {}, "vi")
    run_id = run_to_the_end(demo, state)[5]["value"]
    summary, table, csv_path = handler(demo, "eval_relabel")(run_id, "all", "", "en")
    assert "Summary" in summary and "95% CI" in summary and table["headers"][:3] == ["Id", "Result", "Question"]
    assert {row[1] for row in table["data"]} == {"pass", "FAIL"} and Path(csv_path).name.startswith("per-question-")
    summary, table, csv_path = handler(demo, "eval_relabel")("", "all", "", "en")
    assert "No results yet" in summary and csv_path is None
