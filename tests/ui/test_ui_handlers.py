"""The app's event handlers, called directly on a built (not launched) app over fake services."""
from __future__ import annotations

import json
from pathlib import Path

import gradio as gr
import pytest

from index.types import Filters
from ui.app import build_app
from ui.session import ChatSession

from planchat_ui_fakes import FakeServices, make_services


def handler(demo, name: str):
    for fn in demo.fns.values():
        if fn.name == name:
            return fn.fn
    raise KeyError(name)


@pytest.fixture()
def services(tmp_path: Path) -> FakeServices:
    return make_services(tmp_path)


@pytest.fixture()
def demo(services):
    return build_app(services, language="vi")


def ask(demo, question, state=None, provinces=(), plans=(), lang="vi"):
    steps = list(handler(demo, "respond")(question, state or ChatSession(), list(provinces), list(plans), lang))
    return steps, steps[-1][1]


def test_answer_streams_then_shows_linked_markers_and_cards(demo, services):
    steps, state = ask(demo, "Ai chủ trì đào tạo nghề cho lao động nông thôn ở Cao Bằng?")
    first_messages = steps[0][0]
    assert first_messages[-1]["role"] == "assistant" and "Đang tìm" in first_messages[-1]["content"]
    assert any("pc-streaming" in s[0][-1]["content"] for s in steps[1:-1]), "partial answers stream in"
    final = steps[-1][0][-1]["content"]
    assert 'class="pc-cite"' in final and 'class="pc-card"' in final
    assert "Sở Lao động - Thương binh và Xã hội" in final
    assert steps[-1][2] == ""  # the question box is cleared
    record = state.latest
    assert record.answer.citations[0].document == "cao-bang-3058-KH-UBND-2024.txt"
    assert state.record_at_message(len(state.messages) - 1) == record


def test_follow_up_uses_history_and_filters_restrict_retrieval(demo, services):
    _, state = ask(demo, "Hà Nội tuyển sinh bao nhiêu năm 2022?")
    _, state = ask(demo, "còn tỷ lệ lao động qua đào tạo?", state, provinces=["Hà Nội"])
    question, filters, history = services.assistant.calls[-1]
    assert question == "còn tỷ lệ lao động qua đào tạo?"
    assert filters == Filters(provinces=("Hà Nội",))
    assert [t.role for t in history] == ["user", "assistant"]
    assert history[0].content == "Hà Nội tuyển sinh bao nhiêu năm 2022?"
    assert {c.province for c in state.latest.answer.citations} == {"Hà Nội"}
    assert len(state.records) == 2 and len(state.turns) == 4


def test_no_filters_means_none_passed(demo, services):
    ask(demo, "Hà Nội tuyển sinh bao nhiêu năm 2022?")
    assert services.assistant.calls[-1][1] is None


def test_assistant_failure_is_one_line_in_the_chat(demo, services, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("vector store unreachable\nTraceback (most recent call last): ...")

    monkeypatch.setattr(services.assistant, "ask", boom)
    steps, state = ask(demo, "Ai chủ trì?")
    content = steps[-1][0][-1]["content"]
    assert "pc-error" in content and "vector store unreachable" in content and "<br>" not in content
    assert state.records == ()


def test_empty_question_does_nothing(demo, services):
    steps, state = ask(demo, "   ")
    assert state == ChatSession() and services.assistant.calls == []


def test_copy_answer_with_sources(demo):
    _, state = ask(demo, "Hà Nội tuyển sinh bao nhiêu năm 2022?")
    update = handler(demo, "copy_text")(state, "vi")
    assert update["visible"] is True
    text = update["value"]
    assert text.startswith("Hỏi: Hà Nội tuyển sinh bao nhiêu năm 2022?")
    assert "[1]" in text and "Nguồn:" in text and "ha-noi-72-KH-UBND-2022.txt" in text


def test_thumbs_in_chat_and_comment_in_feedback_tab_are_logged(demo, services):
    _, state = ask(demo, "Hà Nội tuyển sinh bao nhiêu năm 2022?")
    index = state.latest.message_index
    answer_update, rating_update = handler(demo, "rate")(state, "vi", gr.LikeData(None, {"index": index, "value": "", "liked": False}))
    assert answer_update["value"] == state.latest.answer_id and rating_update["value"] == "down"
    status, comment = handler(demo, "submit")(state, state.latest.answer_id, "down", "  thiếu số liệu  ", "en")
    assert status.startswith("✓") and comment == ""
    rows = [json.loads(line) for line in services.feedback_path.read_text(encoding="utf-8").splitlines()]
    assert [r["feedback"] for r in rows] == ["down", "down"]
    assert rows[1]["comment"] == "thiếu số liệu"
    assert rows[0]["question"] == "Hà Nội tuyển sinh bao nhiêu năm 2022?"
    assert rows[0]["citations"][0]["document"] == "ha-noi-72-KH-UBND-2022.txt"
    assert rows[0]["answer_id"] == rows[1]["answer_id"]


def test_feedback_needs_an_answer_and_a_rating(demo):
    submit = handler(demo, "submit")
    assert submit(ChatSession(), None, "up", "", "en")[0] == "No answers in this session yet."
    _, state = ask(demo, "Hà Nội tuyển sinh bao nhiêu năm 2022?")
    assert submit(state, state.latest.answer_id, None, "", "en")[0] == "Please choose “Helpful” or “Wrong or incomplete”."


def test_clicking_a_citation_opens_the_library_with_the_passage_marked(demo):
    _, state = ask(demo, "Hà Nội tuyển sinh bao nhiêu năm 2022?")
    c = state.latest.answer.citations[0]
    tabs, doc_select, viewer = handler(demo, "open_cited")(
        state, "vi", gr.EventData(None, {"doc": c.document, "chunk": c.chunk_id, "n": "1"})
    )
    assert tabs.selected == "library"
    assert doc_select["value"] == c.document
    assert '<mark class="pc-focus" id="pc-focus">Tuyển sinh và đào tạo khoảng 224.500' in viewer


def test_upload_validates_ingests_and_refreshes_the_library(demo, services, tmp_path):
    src = tmp_path / "incoming"
    src.mkdir()
    good = src / "lao-cai-12-KH-UBND-2023.txt"
    good.write_text("Kế hoạch 12/KH-UBND của tỉnh Lào Cai về đào tạo nghề\n\nSở Lao động chủ trì.", encoding="utf-8")
    bad = src / "notes.exe"
    bad.write_bytes(b"MZ")
    pdf = src / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4 fake")
    calls = []
    html, cleared = handler(demo, "ingest_files")([str(good), str(bad), str(pdf)], "en", progress=lambda *a, **k: calls.append((a, k)))
    assert "Added: lao-cai-12-KH-UBND-2023.txt" in html
    assert "notes.exe: unsupported file type" in html
    assert "scan.pdf: the fake index reads only .txt and .md" in html
    assert cleared is None and calls, "progress is reported"
    assert services.ingested == [services.upload_dir.resolve() / "lao-cai-12-KH-UBND-2023.txt", services.upload_dir.resolve() / "scan.pdf"]
    table, summary, doc_select, provinces, plans, bar1, bar2 = handler(demo, "refresh_catalog")([], [], None, "en")
    assert "lao-cai-12-KH-UBND-2023.txt" in [row[0] for row in table["data"]]
    assert "Lào Cai" in provinces["choices"]
    assert "4 plans" in summary


def test_remove_plan(demo, services):
    row, question = handler(demo, "ask_remove")("ha-noi-72-KH-UBND-2022.txt", "en")
    assert row["visible"] is True and "<b>ha-noi-72-KH-UBND-2022.txt</b>" in question
    assert "<img" not in handler(demo, "ask_remove")("<img src=x onerror=alert(1)>.txt", "en")[1]
    row, viewer, status = handler(demo, "do_remove")("ha-noi-72-KH-UBND-2022.txt", "en")
    assert row["visible"] is False
    assert "ha-noi-72-KH-UBND-2022.txt" not in services.index.docs
    table, *_ = handler(demo, "refresh_catalog")(["Hà Nội"], ["ha-noi-72-KH-UBND-2022.txt"], "ha-noi-72-KH-UBND-2022.txt", "en")
    assert "ha-noi-72-KH-UBND-2022.txt" not in [row[0] for row in table["data"]]


def test_province_filter_limits_plan_choices_and_shows_active_filters(demo):
    plans_update, bar, _ = handler(demo, "on_provinces")(["Cao Bằng"], ["ha-noi-72-KH-UBND-2022.txt"], "en")
    assert [v for _, v in plans_update["choices"]] == ["cao-bang-3058-KH-UBND-2024.txt"]
    assert plans_update["value"] == []  # the Hà Nội plan no longer fits the province filter
    assert "Filters:" in bar and "Cao Bằng" in bar


def test_language_switch_relabels_everything(demo):
    updates = handler(demo, "relabel")("en")
    labels = {u.get("label") for u in updates} | {u.get("value") for u in updates}
    assert {"Chat", "Filters", "Plan library", "Feedback", "Send", "Copy answer with sources"} <= labels


def test_api_chat_returns_text_with_markers(demo):
    text = handler(demo, "chat")("Hà Nội tuyển sinh bao nhiêu năm 2022?")
    assert "224.500" in text and "[1]" in text
    data = handler(demo, "ask")("Hà Nội tuyển sinh bao nhiêu năm 2022?")
    assert data["citations"][0]["document"] == "ha-noi-72-KH-UBND-2022.txt"
    with pytest.raises(gr.Error):
        handler(demo, "chat")("  ")
