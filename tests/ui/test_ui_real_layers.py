"""The UI over the real index and assistant (hash embedder, embedded Chroma, extractive answerer)."""
from __future__ import annotations

import gradio as gr
import pytest
from planchat_ui_fakes import HOSTILE_IMG, HOSTILE_SCRIPT
from planchat_ui_harness import SAMPLE_PLANS, RealServices, real_layers_available

from ui.app import build_app
from ui.session import ChatSession

pytestmark = pytest.mark.skipif(not real_layers_available(), reason="index/assistant layers not available yet")


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    s = RealServices(tmp_path_factory.mktemp("real"))
    report = s.ingest([SAMPLE_PLANS])
    assert len(report.added) == 5 and not report.failed
    yield s
    s.close()


@pytest.fixture(scope="module")
def demo(services):
    return build_app(services)


def handler(demo, name):
    return next(fn.fn for fn in demo.fns.values() if fn.name == name)


def ask(demo, question, state=None, provinces=(), plans=(), lang="vi"):
    steps = list(handler(demo, "respond")(question, state or ChatSession(), list(provinces), list(plans), lang))
    return steps[-1][0][-1]["content"], steps[-1][1]


def test_cao_bang_answer_with_cards_and_cited_passage(demo):
    html, state = ask(demo, "Who leads rural vocational training in Cao Bằng?")
    assert "Sở Lao động - Thương binh và Xã hội" in html
    assert 'class="pc-card"' in html and 'class="pc-cite"' in html
    assert "3058/KH-UBND" in html and "Ủy ban nhân dân tỉnh Cao Bằng" in html
    c = state.latest.answer.citations[0]
    assert c.document == "cao-bang-3058-KH-UBND-2024.txt"
    _, _, viewer = handler(demo, "open_cited")(state, "vi", gr.EventData(None, {"doc": c.document, "chunk": c.chunk_id, "n": str(c.n)}))
    assert 'id="pc-focus"' in viewer
    focused = viewer.split('id="pc-focus">', 1)[1].split("</mark>", 1)[0]
    assert "Sở Lao động - Thương binh và Xã hội" in focused


def test_follow_up_and_province_filter(demo, services):
    _, state = ask(demo, "Hà Nội tuyển sinh bao nhiêu năm 2022?")
    assert "224.500" in state.latest.answer.text
    _, state = ask(demo, "Ai chủ trì công tác tuyển sinh?", state, provinces=["Hà Nội"])
    assert state.latest.answer.citations
    # notes on the 2025 changes cite legal acts (kind "legal_basis"), not passages of other provinces
    assert {c.province for c in state.latest.answer.citations if c.kind == "passage"} == {"Hà Nội"}


def test_library_lists_the_sample_plans_with_chunk_counts(demo):
    table, summary, doc_select, provinces, *_ = handler(demo, "refresh_catalog")([], [], None, "en")
    rows = {row[0]: row for row in table["data"]}
    assert set(rows) >= {p.name for p in SAMPLE_PLANS.glob("*.txt")}
    assert rows["ha-noi-72-KH-UBND-2022.txt"][2] == "72/KH-UBND" and rows["ha-noi-72-KH-UBND-2022.txt"][6] > 0
    # former names and, for merged provinces, the unit of today (issue 12)
    assert provinces["choices"] == [
        "Bắc Kạn", "Cao Bằng", "Hà Nội", "Hải Dương", "Hải Phòng", "Lào Cai", "Thái Nguyên", "Yên Bái"
    ]


def test_upload_hostile_plan_and_a_broken_pdf_then_remove(demo, services, tmp_path):
    hostile = tmp_path / "lao-cai-99-KH-UBND-2024.txt"
    hostile.write_text(
        "ỦY BAN NHÂN DÂN TỈNH LÀO CAI\n\nSố: 99/KH-UBND\n\nLào Cai, ngày 02 tháng 01 năm 2024\n\nKẾ HOẠCH\n"
        f"Kiểm thử an toàn hiển thị {HOSTILE_SCRIPT}\n\n"
        f"Sở Thông tin và Truyền thông chủ trì kiểm thử an toàn hiển thị: {HOSTILE_SCRIPT} {HOSTILE_IMG} phải hiện như chữ.\n",
        encoding="utf-8",
    )
    broken = tmp_path / "ban-scan.pdf"
    broken.write_bytes(b"%PDF-1.4 not really a pdf")
    html, _ = handler(demo, "ingest_files")([str(hostile), str(broken)], "en", progress=lambda *a, **k: None)
    assert "Added: lao-cai-99-KH-UBND-2024.txt" in html
    assert "Error: ban-scan.pdf:" in html
    answer_html, state = ask(demo, "Ai chủ trì kiểm thử an toàn hiển thị ở Lào Cai?")
    assert "<script>" not in answer_html and "<img" not in answer_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer_html
    c = state.latest.answer.citations[0]
    viewer = handler(demo, "show")(c.document, "vi")
    assert "<script>" not in viewer and "&lt;img src=x onerror=alert(1)&gt;" in viewer
    handler(demo, "do_remove")("lao-cai-99-KH-UBND-2024.txt", "en")
    assert "lao-cai-99-KH-UBND-2024.txt" not in {i.meta.doc_id for i in services.index.documents()}
