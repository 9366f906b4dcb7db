"""Scanned and stamped documents through the CLI: `planchat documents` and `planchat ask`."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ingest.ocr import unavailable_reason
from planchat.cli import main

REPO = Path(__file__).resolve().parents[2]
needs_ocr = pytest.mark.skipif(unavailable_reason("vie") is not None, reason="OCR not installed (make ocr-tools)")
SIGNED = ("hanoi_qd11-2025-qdubnd_chuc-nang-nhiem-vu-so-gddt.pdf",
          "hanoi_qd64-2024-qdubnd_dinh-muc-dao-tao-37-nghe-so-cap.pdf")


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@needs_ocr
def test_documents_show_the_stamped_number_date_and_source(external_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLANCHAT_EMBEDDING_MODEL", "hash")
    folder = tmp_path / "signed"
    folder.mkdir()
    for name in SIGNED:
        shutil.copy(external_dir / "dev-docs" / name, folder / name)
    data = str(tmp_path / "store")
    code, _, err = run(capsys, "ingest", str(folder), "--no-progress", "--data-dir", data)
    assert code == 0, err
    code, out, _ = run(capsys, "documents", "--data-dir", data)
    assert "11/2025/QĐ-UBND (from header OCR) · Hà Nội · 2025-02-28 (from header OCR)" in out
    assert "64/2024/QĐ-UBND (from header OCR) · Hà Nội · 2024-11-07 (from header OCR" in out
    code, out, _ = run(capsys, "documents", "--json", "--data-dir", data)
    docs = {d["doc_id"]: d for d in json.loads(out)["documents"]}
    assert docs[SIGNED[0]]["number_source"] == "header_ocr" and docs[SIGNED[1]]["date_source"].startswith("header_ocr")


@needs_ocr
@pytest.mark.slow
def test_ask_answers_who_leads_from_a_scanned_plan_citing_the_page(tmp_path, capsys):
    """A three-page plan typeset and scanned to an image-only PDF, ingested with the real model."""
    from evals.bench.scans import ScanCondition, page_texts, scanned_pdf

    text = (REPO / "data" / "sample_plans" / "cao-bang-3058-KH-UBND-2024.txt").read_text(encoding="utf-8")
    pages = page_texts(text, font_size=14)
    lead = "Ủy ban MTTQ tỉnh và các tổ chức chính trị - xã hội đẩy mạnh công tác tuyên truyền"
    lead_page = next(i for i, p in enumerate(pages, 1) if lead in " ".join(p.split()))
    assert len(pages) >= 3 and lead_page > 1
    scan = tmp_path / "cao-bang-3058-scan.pdf"
    scan.write_bytes(scanned_pdf(text, ScanCondition("300dpi", 300, skew_deg=0.5), font_size=14))
    from pypdf import PdfReader

    assert not any((p.extract_text() or "").strip() for p in PdfReader(scan).pages)  # image-only

    data = str(tmp_path / "store")
    code, _, err = run(capsys, "ingest", str(scan), "--no-progress", "--data-dir", data)
    assert code == 0, err
    question = "Ai đẩy mạnh công tác tuyên truyền, phổ biến đến hội viên, đoàn viên về nội dung kế hoạch?"
    code, out, err = run(capsys, "ask", question, "--json", "--data-dir", data)
    assert code == 0, err
    answer = json.loads(out)
    assert not answer["abstained"] and "Ủy ban MTTQ tỉnh" in answer["answer"]
    cited = [c for c in answer["citations"] if lead in " ".join(c["quote"].split())]
    assert cited and cited[0]["page"] == lead_page and cited[0]["document"] == scan.name
    assert 0.5 < cited[0]["ocr_confidence"] <= 1.0


def test_ocr_settings_are_checked_and_reach_the_loader(tmp_path):
    from planchat.settings import SettingsError, load_settings
    from planchat.wiring import document_loader

    with pytest.raises(SettingsError, match="'ocr'"):
        load_settings(env={"PLANCHAT_OCR": "sometimes"}, cwd=tmp_path)
    settings = load_settings({"ocr": "off"}, env={"PLANCHAT_OCR_MAX_PAGES": "7", "PLANCHAT_OCR_TIMEOUT_S": "9.5"},
                             cwd=tmp_path)
    events = []
    loader = document_loader(settings, lambda *event: events.append(event))
    options = loader.keywords["ocr"]
    assert (options.mode, options.max_pages, options.timeout_s) == ("off", 7, 9.5)
    loader.keywords["ocr_progress"](1, 3, "scan.pdf")
    assert events == [("ocr", 1, 3, "scan.pdf")]
