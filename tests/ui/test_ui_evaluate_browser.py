"""The Evaluate tab in headless Chromium (Playwright driving /usr/bin/chromium) against the app on 127.0.0.1.

An evaluator uploads a 10-question set (Vietnamese column names), watches the
progress bar, asks the chat a question *while the run is in progress* and gets
the answer, then sees the summary, filters the per-question table, downloads it
as CSV and compares two runs. To make "during the run" certain without relying on
timing, the evaluation's assistant calls wait at the fourth question until the
chat answer has been seen (the chat's calls never wait). Screenshots go to
tests/artifacts/ui/.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from planchat_ui_fakes import EVAL_CSV_10, make_services
from planchat_ui_harness import LaunchedApp

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "ui"
HOLD_AFTER = 3  # evaluated questions before the run waits for the chat answer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (`make browser`)"),
]


@dataclass
class GatedAssistant:
    """The fake assistant; calls from the evaluation worker thread wait at the gate after HOLD_AFTER questions."""

    inner: object
    gate: threading.Event = field(default_factory=threading.Event)
    eval_calls: int = 0
    chat_calls: int = 0

    def ask(self, question, filters=None, history=(), k=None):
        if threading.current_thread().name.startswith("planchat-eval"):
            self.eval_calls += 1
            if self.eval_calls > HOLD_AFTER:
                self.gate.wait(timeout=120)
        else:
            self.chat_calls += 1
        return self.inner.ask(question, filters=filters, history=history, k=k)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def test_upload_a_test_set_watch_it_run_while_chatting_read_download_and_compare(browser, tmp_path):
    services = make_services(tmp_path, hostile=False)
    gated = GatedAssistant(services.assistant)
    services.assistant = gated
    test_set = tmp_path / "bo-cau-hoi-10.csv"
    test_set.write_text(EVAL_CSV_10, encoding="utf-8")
    services.feedback_path.parent.mkdir(parents=True, exist_ok=True)
    services.feedback_path.write_text(json.dumps({
        "answer_id": "f1", "question": "Hà Nội tuyển sinh cao đẳng bao nhiêu?", "answer": "Tuyển sinh và đào tạo khoảng 224.500 lượt người [1]",
        "citations": [{"n": 1, "document": "ha-noi-72-KH-UBND-2022.txt", "quote": "Tuyển sinh và đào tạo khoảng 224.500 lượt người"}],
        "feedback": "down", "comment": "Hỏi số cao đẳng, trả lời tổng số", "time": "2025-01-01T10:00:00+00:00"}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    app = LaunchedApp(services)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN", accept_downloads=True)
    external, dialogs = [], []
    context.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost")
                  or route.request.url.startswith(("data:", "blob:")) else (external.append(route.request.url), route.abort()))
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(app.url)
        page.wait_for_selector("#pc-chatbot")
        page.get_by_role("tab", name="Đánh giá").click()
        page.locator("#pc-eval-upload input[type=file]").set_input_files(str(test_set))
        page.wait_for_function("() => document.querySelector('#pc-eval-upload').textContent.includes('bo-cau-hoi-10')", timeout=15000)
        page.locator("#pc-eval-run").click()
        progress = page.locator("#pc-eval-status .pc-eval-progress-text")
        progress.filter(has_text=f"đã đánh giá {HOLD_AFTER}/10 câu hỏi").wait_for(timeout=30000)
        assert page.locator("#pc-eval-status .pc-eval-bar").get_attribute("style") == "width:30%"
        page.locator("#pc-eval-status").screenshot(path=str(_artifact("16-evaluate-progress.png")))

        # a chat user is answered while the run is in progress (the run is held at question 4)
        page.get_by_role("tab", name="Hỏi đáp").click()
        box = page.locator("#pc-question textarea")
        box.fill("Hà Nội tuyển sinh bao nhiêu năm 2022?")
        box.press("Enter")
        answer = page.locator("#pc-chatbot .pc-answer:not(.pc-streaming):not(.pc-notice)").first
        answer.wait_for(timeout=30000)
        assert "224.500" in answer.inner_text()
        assert gated.chat_calls == 1 and gated.eval_calls == HOLD_AFTER + 1 and not gated.gate.is_set()
        page.get_by_role("tab", name="Đánh giá").click()
        assert "10 câu hỏi" in page.locator("#pc-eval-status").inner_text() and "xong" not in page.locator("#pc-eval-status").inner_text()
        gated.gate.set()

        page.locator("#pc-eval-status", has_text="xong — 8/10 câu đạt").wait_for(timeout=30000)
        summary = page.locator("#pc-eval-summary")
        summary.locator("tr[data-metric='pass_rate']").wait_for(timeout=15000)
        assert "0.800" in summary.locator("tr[data-metric='pass_rate']").inner_text()
        assert "Khoảng tin cậy 95%" in summary.inner_text()
        table = page.locator("#pc-eval-table")
        page.wait_for_function("() => document.querySelector('#pc-eval-table').innerText.includes('should have been abstained on')", timeout=15000)
        _shot(page, "17-evaluate-summary-and-questions.png", full_page=True)

        with page.expect_download(timeout=15000) as info:
            page.locator("#pc-eval-download").click()
        data = Path(info.value.path()).read_bytes()
        assert info.value.suggested_filename.startswith("ket-qua-tung-cau-") and data.startswith(b"\xef\xbb\xbf")
        lines = [line for line in data.decode("utf-8-sig").splitlines() if line]
        assert lines[0].startswith("Mã,Kết quả,Câu hỏi,Câu trả lời,Trích dẫn,Lý do chưa đạt") and len(lines) == 11

        page.locator("#pc-eval-show").get_by_text("Chưa đạt").click()
        page.wait_for_function("() => !document.querySelector('#pc-eval-table').innerText.includes('hn-1')", timeout=15000)
        assert "un-1" in table.inner_text() and "cb-1" not in table.inner_text()

        # a second run, then the comparison of the two
        page.locator("#pc-eval-run").click()
        page.locator("#pc-eval-status", has_text="xong — 8/10 câu đạt").wait_for(timeout=30000)
        page.get_by_text("So sánh hai lượt chạy").click()
        for picker, nth in (("#pc-eval-run-a", 1), ("#pc-eval-run-b", 0)):
            page.locator(f"{picker} input").click()
            page.get_by_role("option").nth(nth).click()
            page.locator(".pc-header h1").click()
        page.locator("#pc-eval-compare").click()
        page.locator("#pc-eval-comparison", has_text="10 câu hỏi chung").wait_for(timeout=15000)
        assert "Không câu hỏi nào đổi kết quả." in page.locator("#pc-eval-comparison").inner_text()
        page.locator("#pc-eval-comparison").scroll_into_view_if_needed()
        _shot(page, "18-evaluate-compare-two-runs.png", full_page=True)

        page.get_by_text("Biến phản hồi thành câu hỏi kiểm thử").click()
        page.locator("#pc-eval-fb-make").click()
        page.locator("#pc-eval-fb-status", has_text="1 câu nháp mới").wait_for(timeout=15000)
        page.wait_for_function("() => document.querySelector('#pc-eval-drafts').innerText.includes('Hỏi số cao đẳng')", timeout=15000)
        page.locator("#pc-eval-drafts").scroll_into_view_if_needed()
        _shot(page, "19-evaluate-feedback-drafts.png")
        assert dialogs == [] and external == []
    finally:
        gated.gate.set()
        context.close()
        app.close()


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def _shot(page, name: str, *, full_page: bool = False) -> None:
    page.screenshot(path=str(_artifact(name)), full_page=full_page)
