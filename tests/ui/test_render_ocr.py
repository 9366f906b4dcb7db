"""OCR'd passages are marked on source cards, in copied citations, in `--json` and in the library."""
from assistant.types import Answer, Citation
from index.types import DocumentInfo
from ingest.types import DocumentMeta
from ui.render import citation_line, library_rows, render_answer


def _citation(confidence):
    return Citation(n=1, document="scan.pdf", title="Kế hoạch", number="1/KH-UBND", section="II", page=2,
                    quote="Sở Y tế chủ trì.", ocr_confidence=confidence)


def test_card_and_copied_line_show_ocr_confidence():
    html = render_answer(Answer("Sở Y tế chủ trì [1].", (_citation(0.874),), False), "Ai?", "a1", "en")
    assert "OCR, confidence" in html and "87%" in html
    assert "OCR, confidence 87%" in citation_line(_citation(0.874), "en")
    assert "OCR" not in render_answer(Answer("x [1].", (_citation(None),), False), "Ai?", "a1", "en")


def test_json_citation_has_ocr_confidence_only_for_ocr_passages():
    assert _citation(0.9).to_dict()["ocr_confidence"] == 0.9
    assert "ocr_confidence" not in _citation(None).to_dict()


def test_library_row_marks_ocr_text_and_stamped_fields():
    meta = DocumentMeta(doc_id="scan.pdf", title="Kế hoạch", number="11/2025/QĐ-UBND", issued_date="2025-02-28",
                        number_source="header_ocr", date_source="signature_timestamp", ocr_pages=3,
                        ocr_confidence=0.9)
    row = library_rows([DocumentInfo(meta=meta, chunk_count=4, ingested_at="")])[0]
    assert row[1] == "Kế hoạch [OCR 3 p., 90%]"
    assert row[2] == "11/2025/QĐ-UBND (OCR)" and row[5] == "2025-02-28 (chữ ký số)"
