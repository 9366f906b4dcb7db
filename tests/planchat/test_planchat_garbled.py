"""A PDF with a garbled text layer through the CLI: `planchat documents` says which pages OCR replaced."""
from __future__ import annotations

import json

import pytest

from ingest.ocr import unavailable_reason
from planchat.cli import main

needs_ocr = pytest.mark.skipif(unavailable_reason("vie") is not None, reason="OCR not installed (make ocr-tools)")

TEXT = """QUY CHẾ
Điều 4. Tiêu chuẩn xét tặng
Cá nhân được xét tặng danh hiệu đạt các tiêu chuẩn sau: có thành tích đặc biệt xuất sắc trong sự nghiệp
xây dựng và phát triển Thủ đô. Sở Nội vụ thẩm định hồ sơ, trình Hội đồng Thi đua - Khen thưởng Thành phố.
"""


@needs_ocr
def test_documents_name_the_replaced_pages(tmp_path, monkeypatch, capsys):
    from evals.bench.garbled_pdf import garbled_plan_pdf

    monkeypatch.setenv("PLANCHAT_EMBEDDING_MODEL", "hash")
    path = tmp_path / "garbled-quy-che.pdf"
    path.write_bytes(garbled_plan_pdf(TEXT))
    data = str(tmp_path / "store")
    assert main(["ingest", str(path), "--no-progress", "--data-dir", data]) == 0
    capsys.readouterr()
    assert main(["documents", "--data-dir", data]) == 0
    out = capsys.readouterr().out
    assert "OCR 1 p." in out and "(garbled text layer replaced: p. 1)" in out
    assert main(["documents", "--json", "--data-dir", data]) == 0
    doc = json.loads(capsys.readouterr().out)["documents"][0]
    assert doc["garbled_pages"] == "1" and doc["ocr_pages"] == 1
