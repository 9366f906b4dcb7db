"""OCR of scanned PDFs: page choice, noise check, recognition, limits, bad input, progress."""
from __future__ import annotations

import io

import pytest

from ingest.errors import IngestError, NoTextLayer, OcrFailed
from ingest.loaders import load_document
from ingest.ocr import OcrOptions, unavailable_reason
from ingest.ocr_pdf import has_usable_text, pages_to_ocr, speck_share

needs_ocr = pytest.mark.skipif(unavailable_reason("vie") is not None,
                               reason=f"OCR not installed: {unavailable_reason('vie')} (make ocr-tools)")

PLAN = """KẾ HOẠCH
Đào tạo nghề cho lao động nông thôn năm 2025
I. MỤC ĐÍCH, YÊU CẦU
Nâng cao chất lượng đào tạo nghề, gắn đào tạo với giải quyết việc làm.
II. TỔ CHỨC THỰC HIỆN
Sở Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với các huyện tổ chức tuyển sinh.
"""


def test_pages_without_usable_text_are_chosen():
    texts = ["Điều 1. Phạm vi điều chỉnh của quyết định này", "", "  12  ", "Trang có chữ đầy đủ ở đây nhé bạn"]
    assert pages_to_ocr(texts, "auto") == [2, 3]
    assert pages_to_ocr(texts, "always") == [1, 2, 3, 4]
    assert pages_to_ocr(texts, "off") == []
    assert not has_usable_text("- 3 -") and has_usable_text("Nâng cao chất lượng đào tạo")


def test_speck_share_tells_noise_from_text_strokes():
    from evals.bench.scans import degrade, rasterise, typeset_pdf

    page = rasterise(typeset_pdf(PLAN), 150)[0]
    clean = speck_share(page)
    noisy = speck_share(degrade(page, noise=0.01, seed=1))
    assert clean < 0.0005 < noisy


def _scan(tmp_path, text=PLAN, *, dpi=300, name="scan.pdf", **kwargs):
    from evals.bench.scans import ScanCondition, scanned_pdf

    path = tmp_path / name
    path.write_bytes(scanned_pdf(text, ScanCondition("test", dpi, **kwargs)))
    return path


@needs_ocr
def test_scanned_pdf_is_read_with_pages_and_confidence(tmp_path):
    events = []
    doc = load_document(_scan(tmp_path), ocr_progress=lambda done, total, name: events.append((done, total, name)))
    assert "chủ trì, phối hợp" in doc.text and "Sở Nông nghiệp" in doc.text
    assert [span.page for span in doc.pages] == [1]
    assert doc.pages[0].ocr_confidence is not None and doc.pages[0].ocr_confidence > 0.8
    assert doc.meta.ocr_pages == 1 and doc.meta.ocr_confidence == doc.pages[0].ocr_confidence
    assert events[0] == (0, 1, "scan.pdf") and events[-1] == (1, 1, "scan.pdf")


@needs_ocr
def test_chunks_of_ocr_pages_carry_the_confidence(tmp_path):
    from ingest.chunker import chunk_document

    chunks = chunk_document(load_document(_scan(tmp_path)))
    assert chunks[0].kind == "card" and chunks[0].ocr_confidence is None
    assert all(c.ocr_confidence is not None and c.page == 1 for c in chunks[1:])


def test_ocr_off_refuses_a_scan_with_one_line(tmp_path):
    with pytest.raises(NoTextLayer) as err:
        load_document(_scan(tmp_path, dpi=150), ocr=OcrOptions(mode="off"))
    assert "OCR is off" in str(err.value) and "\n" not in str(err.value)


def _many_page_scan(path, pages: int):
    from PIL import Image

    from evals.bench.scans import images_to_pdf

    tiny = Image.new("L", (60, 85), 255)
    path.write_bytes(images_to_pdf([tiny] * pages, 10))
    return path


@needs_ocr
def test_page_limit_refuses_a_long_scan_before_reading_it(tmp_path):
    path = _many_page_scan(tmp_path / "long-scan.pdf", 500)
    events = []
    with pytest.raises(OcrFailed) as err:
        load_document(path, ocr=OcrOptions(max_pages=200), ocr_progress=lambda *a: events.append(a))
    assert "500 pages need OCR, more than the limit of 200" in str(err.value)
    assert "long-scan.pdf" in str(err.value) and events == []


@needs_ocr
def test_time_limit_stops_ocr_of_a_file(tmp_path):
    path = _scan(tmp_path, PLAN * 6)
    with pytest.raises(OcrFailed) as err:
        load_document(path, ocr=OcrOptions(timeout_s=0.05))
    assert "time limit of 0.05 s" in str(err.value) and "ocr_timeout_s" in str(err.value)


def _pdf_with_broken_image(path):
    """A one-page PDF whose only content is a JPEG image whose data is garbage."""
    garbage = bytes(range(256)) * 8
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 1000 /Height 1400 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /DCTDecode /Length " + str(len(garbage)).encode() + b" >>\nstream\n"
        + garbage + b"\nendstream",
        b"<< /Length 33 >>\nstream\nq 595 0 0 842 0 0 cm /Im0 Do Q\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    path.write_bytes(out.getvalue())
    return path


@needs_ocr
def test_corrupt_scan_image_is_one_line_error(tmp_path):
    with pytest.raises(IngestError) as err:
        load_document(_pdf_with_broken_image(tmp_path / "broken-scan.pdf"))
    message = str(err.value)
    assert message.startswith("broken-scan.pdf: ") and "\n" not in message


@needs_ocr
def test_bad_scans_never_block_the_rest_of_an_ingest(tmp_path):
    """A corrupt scan, a 500-page scan and a scan over the time limit fail one line each; the
    other files are ingested and nothing of the failed ones is left in the index."""
    from functools import partial

    from evals.bench.scans import typeset_pdf
    from index.embedders import load_embedder
    from index.ingest_run import ingest_paths
    from index.plan_index import PlanIndex

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-plan.txt").write_text(PLAN, encoding="utf-8")
    _pdf_with_broken_image(folder / "b-broken.pdf")
    _many_page_scan(folder / "c-long.pdf", 500)
    _scan(folder, name="d-scan.pdf")
    (folder / "e-digital.pdf").write_bytes(typeset_pdf(PLAN))  # a text layer: no OCR, no time limit
    index = PlanIndex.open(tmp_path / "data", load_embedder("hash"))
    try:
        # no page can be read in 50 ms: the time limit always applies to the scans
        loader = partial(load_document, ocr=OcrOptions(max_pages=50, timeout_s=0.05))
        report = ingest_paths(index, [folder], max_bytes=None, loader=loader)
        failed = dict((p.rsplit("/", 1)[-1], m) for p, m in report.failed)
        assert set(report.added) == {"a-plan.txt", "e-digital.pdf"}
        assert set(failed) == {"b-broken.pdf", "c-long.pdf", "d-scan.pdf"}
        assert all("\n" not in m and m.startswith(name) for name, m in failed.items())
        assert "time limit" in failed["d-scan.pdf"] and "500 pages" in failed["c-long.pdf"]
        assert {d.meta.doc_id for d in index.documents()} == {"a-plan.txt", "e-digital.pdf"}
        assert {c.doc_id for c in index.chunks()} == {"a-plan.txt", "e-digital.pdf"}
    finally:
        index.close()


def test_pages_are_rendered_at_the_scan_resolution(tmp_path):
    import pypdfium2 as pdfium

    from ingest.ocr_pdf import scan_dpi

    for dpi, expected in ((150, 150), (300, 300), (100, 150), (600, 300)):
        path = _scan(tmp_path, "Kế hoạch đào tạo nghề", dpi=dpi, name=f"s{dpi}.pdf")
        document = pdfium.PdfDocument(path.read_bytes())
        assert scan_dpi(document[0]) == expected, dpi
        document.close()
