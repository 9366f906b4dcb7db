"""PDF pages whose text layer is garbled by a broken font mapping are OCR'd and repaired on load."""
from __future__ import annotations

import io

import pytest

from ingest.loaders import load_document, page_ranges
from ingest.ocr import OcrOptions, unavailable_reason
from ingest.text_layer import garbled_pages, score_text_layer

needs_ocr = pytest.mark.skipif(unavailable_reason("vie") is not None,
                               reason=f"OCR not installed: {unavailable_reason('vie')} (make ocr-tools)")

PLAN = """QUY CHẾ
Xét tặng danh hiệu Công dân Thủ đô ưu tú
Điều 4. Tiêu chuẩn xét tặng
Cá nhân được xét tặng danh hiệu đạt các tiêu chuẩn sau: có thành tích đặc biệt xuất sắc trong sự nghiệp
xây dựng và phát triển Thủ đô, tiêu biểu dẫn đầu một trong các lĩnh vực.
Điều 5. Quy trình xét tặng
Sở Nội vụ thẩm định hồ sơ, tổng hợp trình Hội đồng Thi đua - Khen thưởng Thành phố xem xét.
Bằng chứng nhận theo Mẫu số 02 kèm theo Quy chế này.
"""


def _garbled_pdf(tmp_path, text=PLAN, name="garbled.pdf"):
    from evals.bench.garbled_pdf import garbled_plan_pdf

    path = tmp_path / name
    path.write_bytes(garbled_plan_pdf(text))
    return path


def test_the_synthetic_pdf_looks_right_and_reads_wrong(tmp_path):
    from pypdf import PdfReader

    layer = PdfReader(io.BytesIO(_garbled_pdf(tmp_path).read_bytes())).pages[0].extract_text()
    assert "Thjnh phố" in layer and "Hội đӗng" in layer and "Thành phố" not in layer
    assert garbled_pages([layer]) != {}


def test_ocr_off_keeps_the_garbled_layer(tmp_path):
    doc = load_document(_garbled_pdf(tmp_path), ocr=OcrOptions(mode="off"))
    assert "Thjnh phố" in doc.text and doc.meta.ocr_pages == 0 and doc.meta.garbled_pages == ""


@needs_ocr
def test_a_garbled_page_is_ocrd_repaired_and_marked(tmp_path):
    from ingest.chunker import chunk_document

    events = []
    doc = load_document(_garbled_pdf(tmp_path), ocr_progress=lambda done, total, name: events.append((done, total)))
    for phrase in ("Thành phố", "Cá nhân được xét tặng danh hiệu đạt", "chứng nhận theo Mẫu số 02 kèm theo",
                   "Hội đồng Thi đua", "xây dựng và phát triển Thủ đô"):
        assert phrase in doc.text
    assert "Thjnh" not in doc.text and "ӗ" not in doc.text
    assert score_text_layer(doc.text).invalid_words == 0
    assert doc.meta.garbled_pages == "1" and doc.meta.ocr_pages == 1
    assert doc.pages[0].ocr_confidence is not None and doc.meta.ocr_confidence == doc.pages[0].ocr_confidence
    assert events[0] == (0, 1) and events[-1] == (1, 1)
    text_chunks = [c for c in chunk_document(doc) if c.kind == "text"]
    assert text_chunks and all(c.ocr_confidence is not None for c in text_chunks)


@needs_ocr
def test_a_clean_born_digital_pdf_is_not_ocrd(tmp_path):
    from evals.bench.scans import typeset_pdf

    path = tmp_path / "clean.pdf"
    path.write_bytes(typeset_pdf(PLAN))
    doc = load_document(path)
    assert doc.meta.ocr_pages == 0 and doc.meta.garbled_pages == "" and doc.pages[0].ocr_confidence is None


@needs_ocr
def test_garbled_pages_count_against_the_ocr_page_limit(tmp_path):
    from ingest.errors import OcrFailed

    with pytest.raises(OcrFailed) as err:
        load_document(_garbled_pdf(tmp_path), ocr=OcrOptions(max_pages=0))
    assert "garbled text layer" in str(err.value) and "ocr_max_pages" in str(err.value)


def test_page_ranges():
    assert page_ranges([]) == "" and page_ranges([3]) == "3"
    assert page_ranges([9, 1, 2, 3, 4, 5, 6, 7]) == "1-7, 9"


QD35 = "ha-noi_qd35-2024_quy-che-cong-dan-thu-do-uu-tu.pdf"


def test_no_clean_dev_doc_pdf_is_taken_for_garbled(external_dir):
    from pypdf import PdfReader

    flagged = {}
    for path in sorted((external_dir / "dev-docs").glob("*.pdf")):
        found = garbled_pages([page.extract_text() or "" for page in PdfReader(path).pages])
        if found:
            flagged[path.name] = sorted(found)
    assert flagged == {QD35: [1, 2, 3, 4, 5, 6, 7, 9]}


@pytest.mark.slow
@needs_ocr
def test_qd35_garbled_pages_are_replaced(external_dir):
    from pypdf import PdfReader

    path = external_dir / "dev-docs" / QD35
    before = " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())
    doc = load_document(path)
    after = " ".join(doc.text.split())
    assert doc.meta.garbled_pages == "1-7, 9" and doc.meta.ocr_pages == 8
    assert [s.page for s in doc.pages if s.ocr_confidence is None] == [8]
    for garbled, right in (("Thjnh phố", "Thành phố"), ("Ci nhân đҥt danh hiệu", "Cá nhân đạt danh hiệu"),
                           ("chӭng nhận (Mүu số 02 kqm theo)", "chứng nhận (Mẫu số 02 kèm theo)"),
                           ("Hội đӗng", "Hội đồng")):
        assert garbled in before and garbled not in after and right in after
    assert score_text_layer(before).invalid_share > 0.07
    assert score_text_layer(after).invalid_share < 0.005
    assert doc.meta.number in ("", "35/2024/QĐ-UBND")  # the header keeps the layer's layout and code


def test_plain_ocr_stands_in_when_the_repair_cannot_align_and_the_layer_stays_when_ocr_is_worse():
    from ingest.loaders import _repair_garbled

    garbled = "Ci nhân đҥt danh hiệu; Hội đӗng xpt tặng; Thjnh phố; bҧo đҧm cic tiêu chuẩn. " * 4
    clean = "Cá nhân đạt danh hiệu; Hội đồng xét tặng; Thành phố; bảo đảm các tiêu chuẩn. " * 4
    reordered = " ".join(reversed(clean.split()))  # no alignment to be had: plain OCR text is taken as it is
    assert _repair_garbled((garbled,), {1: reordered}) == {1: reordered}
    assert _repair_garbled((garbled,), {1: clean}) == {1: clean}
    worse = "Cі nhаn đҥt dаnh hіệu " * 10  # OCR of another script: no better than the layer
    assert _repair_garbled((garbled,), {1: worse}) == {}


@needs_ocr
def test_vector_pages_are_rendered_at_full_resolution_whatever_images_they_hold():
    from fpdf import FPDF
    from PIL import Image

    from evals.bench.scans import find_serif_font
    from ingest.ocr_pdf import MAX_DPI, MIN_DPI, ocr_pdf_pages

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("body", "", str(find_serif_font()[1]))
    pdf.set_font("body", size=13)
    pdf.multi_cell(0, 7, "Hội đồng Thi đua - Khen thưởng Thành phố xét tặng danh hiệu.")
    pdf.image(Image.new("L", (500, 60), 200), x=10, y=60, w=180)  # a wide 70-dpi picture (a logo, a seal strip)
    data = bytes(pdf.output())
    assert ocr_pdf_pages(data, [1], OcrOptions())[1].dpi == MIN_DPI
    assert ocr_pdf_pages(data, [1], OcrOptions(), vector_pages={1})[1].dpi == MAX_DPI
