"""End to end in headless Chromium (Playwright driving /usr/bin/chromium) against the app on 127.0.0.1.

Screenshots are written to tests/artifacts/ui/. Every page also checks that no
request left the machine and that no JavaScript dialog fired.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from planchat_ui_fakes import HOSTILE_IMG, HOSTILE_SCRIPT, make_services
from planchat_ui_harness import SAMPLE_PLANS, LaunchedApp, RealServices, real_layers_available

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "ui"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="/usr/bin/chromium is not installed (apt-get install -y chromium chromium-driver, or `make browser`)",
    ),
]


@dataclass
class Session:
    """One browser tab on the app, with what it saw that it should not have."""

    page: object
    dialogs: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def shot(self, name: str, *, full_page: bool = False) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def tab(self, name: str) -> None:
        self.page.get_by_role("tab", name=name).click()

    def answers(self):
        return self.page.locator("#pc-chatbot .pc-answer:not(.pc-streaming):not(.pc-notice)")

    def wait_for_answers(self, count: int) -> None:
        self.page.wait_for_function(
            "n => document.querySelectorAll('#pc-chatbot .pc-answer:not(.pc-streaming):not(.pc-notice)').length >= n",
            arg=count,
            timeout=30000,
        )

    def ask(self, question: str) -> object:
        before = self.answers().count()
        box = self.page.locator("#pc-question textarea")
        box.fill(question)
        box.press("Enter")
        self.wait_for_answers(before + 1)
        return self.answers().nth(before)


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    return make_services(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def app(services):
    launched = LaunchedApp(services)
    yield launched
    launched.close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def open_session(browser, url: str):
    """A fresh browser context (= a fresh app session) that records dialogs and blocks other hosts."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    s = Session(page)

    def on_dialog(dialog):
        s.dialogs.append(dialog.message)
        dialog.dismiss()

    def route(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            s.external.append(route.request.url)
            route.abort()

    page.on("dialog", on_dialog)
    context.route("**/*", route)
    page.goto(url)
    page.wait_for_selector("#pc-chatbot")
    return s, context


def wait_for_uploaded(page, stem: str) -> None:
    """Wait until the file component lists ``stem`` (Gradio splits names into stem and extension)."""
    page.wait_for_function("s => document.querySelector('#pc-upload').textContent.includes(s)", arg=stem, timeout=15000)


def close_session(s: Session, context) -> None:
    context.close()
    assert s.dialogs == [], "a JavaScript dialog fired"
    assert s.external == [], "the page tried to reach another host"


@pytest.fixture()
def session(browser, app):
    s, context = open_session(browser, app.url)
    yield s
    close_session(s, context)


def test_ask_the_cao_bang_example_and_see_the_sourced_answer(session):
    page = session.page
    session.shot("01-chat-start-vietnamese.png")
    page.get_by_role("button", name="Who leads rural vocational training in Cao Bằng?").click()
    session.wait_for_answers(1)
    answer = session.answers().first
    assert "Sở Lao động - Thương binh và Xã hội" in answer.locator(".pc-answer-text").inner_text()
    assert answer.locator("a.pc-cite").count() >= 1
    card = answer.locator(".pc-card").first
    card_text = card.inner_text()
    for expected in ("Triển khai Kế hoạch số 375", "3058/KH-UBND", "Ủy ban nhân dân tỉnh Cao Bằng", "Cao Bằng", "II. TỔ CHỨC THỰC HIỆN", "Trang"):
        assert expected in card_text
    assert card.locator("mark.pc-hl").first.is_visible()
    session.shot("02-chat-cao-bang-answer-with-source-cards.png")


def test_citation_links_scroll_to_the_card_and_open_the_passage(session):
    page = session.page
    page.get_by_role("button", name="Ai chủ trì đào tạo nghề cho lao động nông thôn ở Cao Bằng?").click()
    session.wait_for_answers(1)
    marker = session.answers().first.locator("a.pc-cite").first
    target = marker.get_attribute("href")
    assert re.fullmatch(r"#pc-[0-9a-f]+-1", target)
    marker.click()
    card = page.locator(target)
    page.wait_for_function("id => document.querySelector(id).classList.contains('pc-flash')", arg=target)
    assert card.is_visible()
    card.locator("a.pc-open").click()
    focus = page.locator("#pc-viewer #pc-focus")
    focus.wait_for(state="visible", timeout=15000)
    assert page.get_by_role("tab", name="Thư viện kế hoạch").get_attribute("aria-selected") == "true"
    assert "Sở Lao động - Thương binh và Xã hội chủ trì" in focus.inner_text()
    page.wait_for_function(
        "() => { const r = document.querySelector('#pc-focus').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
        timeout=10000,
    )
    session.shot("03-library-cited-passage-highlighted.png")


def test_province_filter_restricts_answers(session):
    page = session.page
    session.tab("Bộ lọc")
    page.locator("#pc-filter-provinces input").click()
    page.get_by_role("option", name="Hà Nội").click()
    page.locator("#pc-filters-summary .pc-chip-province", has_text="Hà Nội").wait_for()
    page.locator(".pc-header h1").click()  # close the option list
    page.wait_for_function("() => !document.querySelector('#pc-filter-provinces [role=listbox], #pc-filter-provinces ul.options')")
    session.shot("04-filters-province-ha-noi.png")
    session.tab("Hỏi đáp")
    assert "Hà Nội" in page.locator("#pc-chat-filters").inner_text()
    answer = session.ask("Ai chủ trì đào tạo nghề cho lao động nông thôn?")
    doc_ids = answer.locator(".pc-card .pc-doc-id").all_inner_texts()
    assert doc_ids and set(doc_ids) == {"ha-noi-72-KH-UBND-2022.txt"}
    session.shot("05-chat-answer-filtered-to-ha-noi.png")


def test_upload_a_plan_and_see_it_in_the_library(session, tmp_path):
    page = session.page
    plan = tmp_path / "lao-cai-12-KH-UBND-2023.txt"
    plan.write_text(
        "Kế hoạch 12/KH-UBND của tỉnh Lào Cai về đào tạo nghề năm 2023\n\n"
        "I. TỔ CHỨC THỰC HIỆN\n\nSở Lao động - Thương binh và Xã hội tỉnh Lào Cai chủ trì đào tạo nghề cho 5.000 người.",
        encoding="utf-8",
    )
    scanned = tmp_path / "ban-scan.pdf"
    scanned.write_bytes(b"%PDF-1.4\n% no text layer\n")
    session.tab("Thư viện kế hoạch")
    page.locator("#pc-upload input[type=file]").set_input_files([str(plan), str(scanned)])
    wait_for_uploaded(page, "ban-scan")
    page.locator("#pc-ingest").click()
    results = page.locator("#pc-upload-results")
    results.wait_for(timeout=30000)
    assert "Đã nạp: lao-cai-12-KH-UBND-2023.txt" in results.inner_text()
    assert "ban-scan.pdf: the fake index reads only .txt and .md" in results.inner_text()
    page.locator("#pc-library-table").get_by_text("lao-cai-12-KH-UBND-2023.txt").wait_for(timeout=15000)
    assert "Lào Cai" in page.locator("#pc-library-table").inner_text()
    page.locator("#pc-library-table").get_by_text("lao-cai-12-KH-UBND-2023.txt").scroll_into_view_if_needed()
    session.shot("06-library-after-upload.png", full_page=True)


def test_hostile_plan_renders_as_text(session):
    page = session.page
    answer = session.ask("kiểm thử an toàn hiển thị")
    card = answer.locator(".pc-card", has_text="mã độc").first
    assert HOSTILE_SCRIPT in card.inner_text()
    assert HOSTILE_IMG in card.inner_text()
    assert page.locator("#pc-chatbot script, #pc-chatbot img[src='x'], #pc-chatbot [onerror]").count() == 0
    session.shot("07-hostile-plan-as-text-in-chat.png")
    card.locator("a.pc-open").click()
    page.locator("#pc-viewer #pc-focus").wait_for(state="visible", timeout=15000)
    viewer_text = page.locator("#pc-viewer").inner_text()
    assert HOSTILE_SCRIPT in viewer_text and HOSTILE_IMG in viewer_text and "${alert(1)}" in viewer_text
    assert page.locator("#pc-viewer script, #pc-viewer img, #pc-library-table img").count() == 0
    assert HOSTILE_SCRIPT in page.locator("#pc-library-table").inner_text()
    page.wait_for_timeout(500)  # give any injected handler time to fire (it must not)
    session.shot("08-hostile-plan-as-text-in-library.png")


def test_english_interface_copy_and_feedback(session, services):
    page = session.page
    page.get_by_text("English", exact=True).click()
    page.get_by_role("tab", name="Plan library").wait_for()
    assert page.get_by_role("button", name="Send").is_visible()
    page.get_by_role("button", name="Hà Nội tuyển sinh bao nhiêu năm 2022?").click()
    session.wait_for_answers(1)
    assert "sources (2)" in session.answers().first.inner_text().lower()

    page.locator("#pc-copy").click()
    copied = page.locator("#pc-copy-box textarea")
    copied.wait_for()
    text = copied.input_value()
    assert text.startswith("Question: Hà Nội tuyển sinh bao nhiêu năm 2022?")
    assert "Sources:" in text and "[1] " in text and "224.500" in text

    before = _feedback_lines(services)
    page.locator("#pc-chatbot button[aria-label='Like']").last.click()
    page.wait_for_function("() => document.body.innerText.includes('Rating saved')", timeout=10000)
    session.tab("Feedback")
    page.locator("#pc-feedback-rating input[value='up']").wait_for()
    assert page.locator("#pc-feedback-rating input[value='up']").is_checked()
    page.locator("#pc-feedback-comment textarea").fill("Đúng số liệu, thiếu nguồn tỷ lệ.")
    page.locator("#pc-feedback-submit").click()
    page.locator("#pc-feedback-status", has_text="Feedback saved").wait_for(timeout=10000)
    rows = _feedback_lines(services)[len(before):]
    assert [r["feedback"] for r in rows] == ["up", "up"]
    assert rows[1]["comment"] == "Đúng số liệu, thiếu nguồn tỷ lệ."
    assert rows[0]["question"] == "Hà Nội tuyển sinh bao nhiêu năm 2022?" and "[1]" in rows[0]["answer"]
    assert rows[0]["citations"][0]["document"] == "ha-noi-72-KH-UBND-2022.txt"
    session.shot("09-english-feedback-tab.png")


def test_responsibilities_tab_filter_download_and_open_the_source(browser, tmp_path_factory):
    """Sở Nội vụ in Bắc Kạn: filter, see the rows, download them as CSV, open a row's source passage."""
    services = make_services(tmp_path_factory.mktemp("rsp-browser"), bac_kan=True)
    app = LaunchedApp(services)
    s, context = open_session(browser, app.url)
    try:
        page = s.page
        s.tab("Phân công")
        table = page.locator("#pc-rsp-table")
        table.locator(".pc-rsp-count", has_text="8 / 8 nhiệm vụ").wait_for(timeout=15000)
        for picker, option in (("#pc-rsp-agencies", "Sở Nội vụ"), ("#pc-rsp-provinces", "Bắc Kạn")):
            page.locator(f"{picker} input").click()
            page.get_by_role("option", name=option, exact=True).click()
            page.locator(".pc-header h1").click()  # close the option list
        table.locator(".pc-rsp-count", has_text="3 / 8 nhiệm vụ").wait_for(timeout=15000)
        rows = table.locator("tbody tr")
        assert rows.count() == 3
        for i in range(3):
            text = rows.nth(i).inner_text()
            assert "Sở Nội vụ" in text and "Bắc Kạn" in text and "37/KH-UBND" in text
        assert "2 chủ trì · 1 phối hợp" in table.inner_text()
        assert rows.locator(".pc-role-lead").count() == 2 and rows.locator(".pc-role-coordinator").count() == 1
        page.wait_for_timeout(300)  # let the chips and the table settle before the picture
        s.shot("14-responsibilities-tab.png", full_page=True)

        page.locator("#pc-rsp-search textarea, #pc-rsp-search input").first.fill("tinh gian bien che")
        table.locator(".pc-rsp-count", has_text="1 / 8 nhiệm vụ").wait_for(timeout=15000)
        assert table.locator("mark.pc-hl", has_text="giản").count() == 1
        page.locator("#pc-rsp-search textarea, #pc-rsp-search input").first.fill("")
        table.locator(".pc-rsp-count", has_text="3 / 8 nhiệm vụ").wait_for(timeout=15000)

        with page.expect_download(timeout=15000) as download_info:
            page.locator("#pc-rsp-download").click()
        download = download_info.value
        assert download.suggested_filename == "phan-cong_so-noi-vu_bac-kan.csv"
        data = Path(download.path()).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        lines = [line for line in data.decode("utf-8-sig").splitlines() if line]
        assert lines[0].startswith("Vai trò,Nhiệm vụ,Chủ trì,Phối hợp") and len(lines) == 4
        assert all("Bắc Kạn" in line for line in lines[1:])

        link = rows.filter(has_text="tinh giản biên chế").locator("a.pc-rsp-open")
        link.click()
        focus = page.locator("#pc-viewer #pc-focus")
        focus.wait_for(state="visible", timeout=15000)
        assert page.get_by_role("tab", name="Thư viện kế hoạch").get_attribute("aria-selected") == "true"
        assert focus.inner_text().startswith("Chủ trì, phối hợp với Sở Lao động - Thương binh và Xã hội")
        assert "37/KH-UBND" in page.locator("#pc-viewer .pc-doc-head").inner_text()
        page.wait_for_function(
            "() => { const r = document.querySelector('#pc-focus').getBoundingClientRect(); return r.top >= 0 && r.top <= innerHeight; }",
            timeout=10000,
        )
        s.shot("15-responsibilities-source-in-library.png")
    finally:
        close_session(s, context)
        app.close()


def _feedback_lines(services) -> list[dict]:
    if not services.feedback_path.exists():
        return []
    return [json.loads(line) for line in services.feedback_path.read_text(encoding="utf-8").splitlines()]



@pytest.mark.skipif(not real_layers_available(), reason="index/assistant layers not available yet")
def test_real_index_end_to_end(browser, tmp_path_factory):
    """The same journey over the real index (hash embedder) and the extractive answerer."""
    services = RealServices(tmp_path_factory.mktemp("real-browser"))
    assert len(services.ingest([SAMPLE_PLANS]).added) == 5
    app = LaunchedApp(services)
    s, context = open_session(browser, app.url)
    try:
        page = s.page
        page.get_by_role("button", name="Who leads rural vocational training in Cao Bằng?").click()
        s.wait_for_answers(1)
        answer = s.answers().first
        assert "Sở Lao động - Thương binh và Xã hội" in answer.locator(".pc-answer-text").inner_text()
        card = answer.locator(".pc-card").first
        assert "3058/KH-UBND" in card.inner_text() and "Ủy ban nhân dân tỉnh Cao Bằng" in card.inner_text()
        s.shot("10-real-index-cao-bang-answer.png")
        card.locator("a.pc-open").click()
        focus = page.locator("#pc-viewer #pc-focus")
        focus.wait_for(state="visible", timeout=15000)
        assert "Sở Lao động - Thương binh và Xã hội" in focus.inner_text()
        page.wait_for_function(
            "() => { const r = document.querySelector('#pc-focus').getBoundingClientRect(); return r.top >= 0 && r.top <= innerHeight; }",
            timeout=10000,
        )
        s.shot("11-real-index-cited-passage-in-full-text.png")

        s.tab("Bộ lọc")
        page.locator("#pc-filter-provinces input").click()
        page.get_by_role("option", name="Hà Nội").click()
        page.locator(".pc-header h1").click()
        s.tab("Hỏi đáp")
        answer = s.ask("Ai chủ trì tổ chức ngày Hội tư vấn tuyển sinh?")
        assert set(answer.locator(".pc-card .pc-doc-id").all_inner_texts()) == {"ha-noi-72-KH-UBND-2022.txt"}
        s.shot("12-real-index-answer-filtered-to-ha-noi.png")

        upload = tmp_path_factory.mktemp("real-upload") / "lao-cai-15-KH-UBND-2024.txt"
        upload.write_text(
            "ỦY BAN NHÂN DÂN TỈNH LÀO CAI\n\nSố: 15/KH-UBND\n\nLào Cai, ngày 10 tháng 01 năm 2024\n\nKẾ HOẠCH\n"
            "Đào tạo nghề cho lao động nông thôn năm 2024\n\nSở Lao động - Thương binh và Xã hội chủ trì, phối hợp với UBND các huyện.\n",
            encoding="utf-8",
        )
        s.tab("Thư viện kế hoạch")
        page.locator("#pc-upload input[type=file]").set_input_files(str(upload))
        wait_for_uploaded(page, upload.stem)
        page.locator("#pc-ingest").click()
        page.locator("#pc-upload-results", has_text="Đã nạp: lao-cai-15-KH-UBND-2024.txt").wait_for(timeout=30000)
        page.locator("#pc-library-table").get_by_text("lao-cai-15-KH-UBND-2024.txt").wait_for(timeout=15000)
        s.shot("13-real-index-library-after-upload.png", full_page=True)
    finally:
        close_session(s, context)
        app.close()
        services.close()
