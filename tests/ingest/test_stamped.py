"""Number and date stamped on signed PDFs: blanks in the text layer, reading them, the sources used."""
from __future__ import annotations

import pytest

from ingest.ocr import unavailable_reason
from ingest.stamped import (
    SOURCE_HEADER_OCR,
    SOURCE_SIGNATURE_TIMESTAMP,
    Blanks,
    _from_fields,
    find_blanks,
    read_stamped,
    signed_on,
)

needs_ocr = pytest.mark.skipif(unavailable_reason("vie") is not None, reason="OCR not installed (make ocr-tools)")

HEADER = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HÀ NỘI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số:           /2025/QĐ-UBND Hà Nội, ngày         tháng        năm 2025
QUYẾT ĐỊNH
Căn cứ Luật Thủ đô ngày 28 tháng 6 năm 2024;"""


def test_blank_number_and_date_are_found_in_the_header():
    assert find_blanks(HEADER) == Blanks("/2025/QĐ-UBND", True, 2025)
    filled = HEADER.replace("Số:           /", "Số: 11/").replace("ngày         tháng        năm", "ngày 28 tháng 02 năm")
    assert not find_blanks(filled).any


def test_stamp_reading_fills_only_what_fits_the_template():
    blanks = find_blanks(HEADER)
    ocr = "Số: 11 /2025/QĐ-UBND Hà Nội, ngày 28 tháng 02 năm 2025"
    got = read_stamped(ocr, blanks)
    assert (got.number, got.date_iso) == ("11/2025/QĐ-UBND", "2025-02-28")
    wrong_year = read_stamped("Số: 11 /2025/QĐ-UBND Hà Nội, ngày 28 tháng 02 năm 2024", blanks)
    assert wrong_year.date_iso == ""
    garbled = read_stamped("Số:l1lI /2025/QĐ-UBND Hà Nội, ngày 2# tháng 22 năm 2025", blanks)
    assert (garbled.number, garbled.date_iso) == ("", "")


def test_field_digits_and_signature_dates_agree():
    blanks = Blanks("/2024/QĐ-UBND", True, 2024)
    signed = ["2024-11-05", "2024-11-06", "2024-11-07"]
    fields, source = _from_fields({"number": "64", "day": "07", "month": "11"}, blanks, signed)
    assert (fields.number, fields.date_iso, source) == ("64/2024/QĐ-UBND", "2024-11-07", SOURCE_HEADER_OCR)
    # the month was misread: the one signature date with that day settles it, and says so
    fields, source = _from_fields({"number": "64", "day": "07", "month": "1"}, blanks, signed)
    assert fields.date_iso == "2024-11-07" and source == SOURCE_HEADER_OCR + "+" + SOURCE_SIGNATURE_TIMESTAMP
    fields, _ = _from_fields({"day": "31", "month": "02"}, blanks, [])
    assert fields.date_iso == ""  # not a date


def test_signing_tool_date_line():
    assert signed_on("Người ký: Nguyễn Văn A\nNgày ký: 28/02/2025 18:10") == ("2025-02-28", "28/02/2025")
    assert signed_on("Thời gian ký: 07.11.2024 10:07:31") == ("2024-11-07", "07/11/2024")
    assert signed_on("không có ngày ký") == ("", "")


STAMPED = {
    "hanoi_qd11-2025-qdubnd_chuc-nang-nhiem-vu-so-gddt.pdf": ("11/2025/QĐ-UBND", "2025-02-28"),
    "hanoi_qd64-2024-qdubnd_dinh-muc-dao-tao-37-nghe-so-cap.pdf": ("64/2024/QĐ-UBND", "2024-11-07"),
}


@needs_ocr
@pytest.mark.parametrize("name", sorted(STAMPED))
def test_signed_hanoi_pdfs_get_their_stamped_number_and_date(external_dir, name):
    from ingest.loaders import load_document

    meta = load_document(external_dir / "dev-docs" / name).meta
    assert (meta.number, meta.issued_date) == STAMPED[name]
    assert meta.number_source == SOURCE_HEADER_OCR and meta.date_source.startswith(SOURCE_HEADER_OCR)


def test_signature_timestamp_is_the_last_resort(external_dir):
    from ingest.loaders import load_document
    from ingest.ocr import OcrOptions

    meta = load_document(external_dir / "dev-docs" / "hanoi_qd11-2025-qdubnd_chuc-nang-nhiem-vu-so-gddt.pdf",
                         ocr=OcrOptions(mode="off")).meta
    # without OCR: no number; the date is when the signer (Lê Hồng Sơn) signed
    assert meta.number_source == "" and not meta.number.startswith("11")
    assert (meta.issued_date, meta.date_source) == ("2025-02-28", SOURCE_SIGNATURE_TIMESTAMP)
