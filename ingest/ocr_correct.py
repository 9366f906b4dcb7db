"""Vietnamese post-correction of OCR text (measured in ``evals/bench/ocr_bench.py``)."""
from __future__ import annotations

from ingest.normalize import nfc


def correct_ocr_text(text: str) -> str:
    """OCR output as NFC text."""
    return nfc(text)
