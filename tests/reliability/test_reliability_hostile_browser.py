"""Hostile plan text renders as text in the real UI (headless Chromium via Playwright).

Unlike tests/ui/test_ui_browser.py (fake services), the hostile plans here go through
the whole pipeline: real loader (.txt, .md and .html files), chunker, index, extractive
assistant, served app. Payloads set ``window.pwned`` or open a dialog if they ever
run; the test also checks no script/img/handler element reached the page.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from planchat_reliability_helpers import SAMPLE_PLANS

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
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "reliability"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (make browser)"),
]

SCRIPT = "<script>window.pwned='script';alert('script')</script>"
IMG = "<img src=x onerror=\"window.pwned='img';alert('img')\">"
SVG = "<svg onload=\"window.pwned='svg'\"></svg>"
TXT_PLAN = f"""ỦY BAN NHÂN DÂN
TỈNH LÀO CAI

Số: 77/KH-UBND

Lào Cai, ngày 02 tháng 01 năm 2024

KẾ HOẠCH
Kiểm thử an toàn hiển thị {SCRIPT}

I. TỔ CHỨC THỰC HIỆN

1. Sở Thông tin và Truyền thông chủ trì kiểm thử an toàn hiển thị: {SCRIPT} {IMG} {SVG} ${{alert(1)}} {{{{7*7}}}} phải hiện như chữ.
"""
MD_PLAN = f"""# KẾ HOẠCH kiểm thử Markdown

Số: 78/KH-UBND

## I. TỔ CHỨC THỰC HIỆN

1. Sở Khoa học và Công nghệ chủ trì kiểm thử liên kết [bấm vào đây](javascript:window.pwned='md') và {IMG} trong Markdown.
"""
HTML_PLAN = """<html><head><title>x</title><script>window.pwned='html-head'</script></head><body>
<h1>KẾ HOẠCH kiểm thử HTML</h1><p>Số: 79/KH-UBND</p>
<p>1. Sở Tư pháp chủ trì kiểm thử văn bản &lt;script&gt;window.pwned='entity'&lt;/script&gt; và
&lt;img src=x onerror=alert(2)&gt; trong HTML.</p><script>window.pwned='html-body'</script>
<img src=x onerror="window.pwned='real-img'"></body></html>
"""
FILES = {
    "lao-cai-77-KH-UBND-2024.txt": TXT_PLAN,
    "khcn-78-KH-UBND-2024.md": MD_PLAN,
    "tu-phap-79-KH-UBND-2024.html": HTML_PLAN,
}
FORBIDDEN_ELEMENTS = "script:not([src]):not([type='module']), img[onerror], [onerror], [onload], svg[onload], a[href^='javascript:' i]"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    harness = pytest.importorskip("planchat_ui_harness")
    if not harness.real_layers_available():
        pytest.skip("index/assistant layers not available yet")
    root = tmp_path_factory.mktemp("hostile")
    plans = root / "plans"
    plans.mkdir()
    for name, text in FILES.items():
        (plans / name).write_text(text, encoding="utf-8")
    services = harness.RealServices(root / "data")
    report = services.ingest([plans, SAMPLE_PLANS])
    assert not report.failed and len(report.added) == 8, report
    launched = harness.LaunchedApp(services)
    yield launched
    launched.close()
    services.close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser, app):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    pg = context.new_page()
    dialogs: list[str] = []
    external: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    pg.on("dialog", on_dialog)
    context.route("**/*", route)
    pg.goto(app.url)
    pg.wait_for_selector("#pc-chatbot")
    pg.evaluate("() => { window.__baselineScripts = document.querySelectorAll('script:not([src])').length; }")
    yield pg
    pg.wait_for_timeout(300)  # give any injected handler time to fire (it must not)
    pwned = pg.evaluate("() => window.pwned")
    context.close()
    assert pwned is None, f"injected code ran: {pwned}"
    assert dialogs == [], f"a JavaScript dialog fired: {dialogs}"
    assert external == [], f"the page tried to reach another host: {external}"


def _shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / name), full_page=False)


def _ask(pg, question: str):
    answers = "#pc-chatbot .pc-answer:not(.pc-streaming):not(.pc-notice)"
    before = pg.locator(answers).count()
    box = pg.locator("#pc-question textarea")
    box.fill(question)
    box.press("Enter")
    pg.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n", arg=[answers, before], timeout=30000)
    return pg.locator(answers).nth(before)


def _no_injected_elements(pg, scope: str) -> None:
    found = pg.evaluate(
        "([scope, sel]) => Array.from(document.querySelectorAll(scope)).flatMap(root => "
        "Array.from(root.querySelectorAll(sel))).map(e => e.outerHTML.slice(0, 120))",
        [scope, FORBIDDEN_ELEMENTS],
    )
    assert found == [], found


def test_hostile_txt_plan_answer_and_source_card_show_the_markup_as_text(page):
    answer = _ask(page, "Ai chủ trì kiểm thử an toàn hiển thị ở Lào Cai?")
    text = answer.inner_text()
    assert "Sở Thông tin và Truyền thông" in text
    assert SCRIPT in text and IMG in text and SVG in text
    _no_injected_elements(page, "#pc-chatbot")
    _shot(page, "hostile-txt-answer.png")


def test_hostile_markdown_and_html_plans_render_as_text(page):
    md = _ask(page, "Ai chủ trì kiểm thử liên kết trong Markdown?")
    assert "Sở Khoa học và Công nghệ" in md.inner_text()
    assert "javascript:window.pwned='md'" in md.inner_text() or "bấm vào đây" in md.inner_text()
    html = _ask(page, "Ai chủ trì kiểm thử văn bản trong HTML?")
    html_text = html.inner_text()
    assert "Sở Tư pháp" in html_text
    assert "<script>window.pwned='entity'</script>" in html_text  # escaped text in the source stays text
    assert "html-body" not in html_text and "html-head" not in html_text  # real script elements were dropped at ingest
    _no_injected_elements(page, "#pc-chatbot")
    _shot(page, "hostile-md-html-answers.png")


def test_hostile_plan_in_the_library_viewer_and_table(page):
    answer = _ask(page, "Ai chủ trì kiểm thử an toàn hiển thị ở Lào Cai?")
    card = answer.locator(".pc-card", has_text="lao-cai-77-KH-UBND-2024.txt").first
    card.locator("a.pc-open").click()
    viewer = page.locator("#pc-viewer")
    page.locator("#pc-viewer #pc-focus").wait_for(state="visible", timeout=15000)
    viewer_text = viewer.inner_text()
    assert SCRIPT in viewer_text and IMG in viewer_text and "${alert(1)}" in viewer_text
    table_text = page.locator("#pc-library-table").inner_text()
    assert "Kiểm thử an toàn hiển thị <script>" in table_text
    _no_injected_elements(page, "#pc-viewer")
    _no_injected_elements(page, "#pc-library-table")
    _shot(page, "hostile-library.png")
