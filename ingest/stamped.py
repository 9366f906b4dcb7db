"""Number and date stamped onto a signed PDF after its text was written.

Digitally signed documents are often issued by a clerk who stamps the number and the
day onto page 1 with the signing tool (a signature widget) or as a picture. The text
layer then keeps the blank template: "Số: /2025/QĐ-UBND", "Hà Nội, ngày tháng năm
2025". When page 1 shows such a blank, the fields are filled from, in order:

1. ``header_ocr``: the top band of page 1 rendered with its widgets and read by OCR;
   the number's digits are taken from the stamp, the rest from the template, and the
   year must agree with the template's;
2. ``signature_block``: an issuing date printed by the signing tool in the text
   ("Ngày ký: 28/02/2025", "Thời gian ký: 28.02.2025 18:10");
3. ``signature_timestamp``: the signing time (/M) of the digital signature whose
   signer is the document's signer, else of the earliest one. It can differ from the
   printed date by a day, so it comes last.

``DocumentMeta.number_source`` / ``date_source`` say which one was used ("" when the
text layer itself had the field).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from datetime import date

from ingest.metadata import extract_metadata
from ingest.normalize import fold_aligned, fold_diacritics, nfc
from ingest.ocr import OcrOptions
from ingest.types import DocumentMeta

HEADER_BAND_SHARE = 0.25  # the top quarter of page 1 holds the agency, number, place and date
HEADER_DPI = 300
FIELD_DPI = 200  # one blank field at a time (200 and 300 dpi read the same; 400 worse)
DIGITS_LANG = "eng"
_HEADER_LINES = 25

# "Số: /2025/QĐ-UBND" (blank number) and "ngày   tháng   năm 2025" (blank day and month), on folded text
_BLANK_NUMBER_RE = re.compile(r"(?<![^\W_])so\s*:?\s*(?=/)(/[^\s,;]+)", re.IGNORECASE)
_BLANK_DATE_RE = re.compile(r"ngay[\s._…]*thang[\s._…]*nam\s*(\d{4})?", re.IGNORECASE)
# the same fields once filled in, read leniently (OCR may lose the colon or add spaces)
_STAMPED_NUMBER_RE = re.compile(r"(?<![^\W_])so\s*[:.;,]?\s*(\d{1,6})\s*/\s*([^\s,;]*)", re.IGNORECASE)
_STAMPED_DATE_RE = re.compile(r"ngay\W{0,3}(\d{1,2})\W{0,3}thang\W{0,3}(\d{1,2})\W{0,3}nam\W{0,3}(\d{4})",
                              re.IGNORECASE)
_SIGNED_ON_RE = re.compile(
    r"(?:ngay ky|thoi gian ky|ky ngay)\s*:?\s*(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})", re.IGNORECASE
)

SOURCE_HEADER_OCR = "header_ocr"
SOURCE_SIGNATURE_BLOCK = "signature_block"
SOURCE_SIGNATURE_TIMESTAMP = "signature_timestamp"


@dataclass(frozen=True)
class Blanks:
    """What the text layer of page 1 leaves blank: the number's template suffix, the date's year."""

    number_suffix: str | None = None  # "/2025/QĐ-UBND" when "Số: /2025/QĐ-UBND"
    date_blank: bool = False
    date_year: int | None = None

    @property
    def any(self) -> bool:
        return self.number_suffix is not None or self.date_blank


def find_blanks(first_page_text: str) -> Blanks:
    """Blank number/date fields in the header lines of page 1."""
    header = "\n".join(nfc(first_page_text).split("\n")[:_HEADER_LINES])
    folded = fold_aligned(header)  # one character per character of ``header``
    m = _BLANK_NUMBER_RE.search(folded)
    suffix = header[m.start(1) : m.end(1)] if m else None
    d = _BLANK_DATE_RE.search(folded)
    year = int(d.group(1)) if d and d.group(1) else None
    return Blanks(suffix, bool(d), year)


@dataclass(frozen=True)
class StampedFields:
    number: str = ""
    date_iso: str = ""
    date_text: str = ""


def read_stamped(text: str, blanks: Blanks) -> StampedFields:
    """Number and date in ``text`` (OCR of the header band) that fit the blanks of the template."""
    text = nfc(text)
    number = date_iso = date_text = ""
    parsed = extract_metadata(text, doc_id="header")
    folded = fold_aligned(text)
    if blanks.number_suffix is not None:
        number = _number_from(parsed.number, folded, blanks.number_suffix)
    if blanks.date_blank:
        if parsed.issued_date and _year_fits(int(parsed.issued_date[:4]), blanks):
            date_iso, date_text = parsed.issued_date, parsed.issued_date_text
        else:
            for m in _STAMPED_DATE_RE.finditer(folded):
                day, month, year = (int(x) for x in m.groups())
                iso = _iso(year, month, day)
                if iso and _year_fits(year, blanks):
                    date_iso, date_text = iso, f"ngày {m.group(1)} tháng {m.group(2)} năm {m.group(3)}"
                    break
    return StampedFields(number, date_iso, date_text)


def _number_from(parsed_number: str, folded: str, suffix: str) -> str:
    """"11" + "/2025/QĐ-UBND": digits read from the stamp, the rest from the text layer (exact)."""
    key = _number_key(suffix)
    m = re.match(r"\s*(\d{1,6})\s*/", parsed_number or "")
    if m and _number_key(parsed_number[m.end() - 1 :]) == key:
        return m.group(1) + suffix
    for m in _STAMPED_NUMBER_RE.finditer(folded):
        read_suffix = "/" + m.group(2)
        # the stamp's suffix is the template's (OCR may garble a letter or two of it)
        if _number_key(read_suffix)[:6] == key[:6]:
            return m.group(1) + suffix
    return ""


def _number_key(suffix: str) -> str:
    return re.sub(r"[^0-9a-z/]", "", fold_aligned(nfc(suffix)))


def _year_fits(year: int, blanks: Blanks) -> bool:
    return blanks.date_year is None or year == blanks.date_year


def _iso(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


@dataclass(frozen=True)
class _Gap:
    """The empty stretch of a header line where a stamp goes, in PDF points (origin bottom left)."""

    field: str  # "number", "day", "month"
    left: float
    bottom: float
    right: float
    top: float


# anchors around each blank, on fold_aligned text of the pdfium text page: (field, left anchor, right anchor)
_GAP_RES = (
    ("number", re.compile(r"(?<![^\W_])so\s*:?(\s*)/")),
    ("day", re.compile(r"ngay([\s._…]*)thang[\s._…]*nam")),
    ("month", re.compile(r"ngay[\s._…]*thang([\s._…]*)nam")),
)


def _gaps(textpage, page_height: float) -> list[_Gap]:
    """Where the blank fields are on page 1, from the character boxes of its text layer."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    if len(text) != count:
        return []
    folded = fold_aligned(nfc(text)) if len(nfc(text)) == count else ""
    gaps = []
    for field, pattern in _GAP_RES:
        m = pattern.search(folded)
        if not m or m.start() > count * 0.5 and field == "number":
            continue
        before, after = m.start(1) - 1, m.end(1)
        if before < 0 or after >= count:
            continue
        lb = textpage.get_charbox(before)
        rb = textpage.get_charbox(after)
        line_h = max(lb[3] - lb[1], rb[3] - rb[1], 8.0)
        left, right = lb[2] + 0.5, rb[0] - 0.5
        if right - left < 4 or lb[1] < page_height * (1 - HEADER_BAND_SHARE):
            continue
        gaps.append(_Gap(field, left, min(lb[1], rb[1]) - 0.6 * line_h, right, max(lb[3], rb[3]) + 0.6 * line_h))
    return gaps


def _render_region(page, gap: _Gap, dpi: int):
    width, height = page.get_size()
    crop = (max(gap.left, 0), max(gap.bottom, 0), max(width - gap.right, 0), max(height - gap.top, 0))
    return page.render(scale=dpi / 72, grayscale=True, may_draw_forms=True, crop=crop).to_pil().convert("L")


def stamp_reading(data: bytes, options: OcrOptions) -> tuple[dict[str, str], str]:
    """({field: digits OCR'd in its blank}, OCR text of the whole header band) for page 1.

    The blanks are located by the text layer's own character boxes ("Số:" … "/2025",
    "ngày" … "tháng" … "năm"), so only the stamp is read there, as digits; the whole
    band is the fallback when the anchors are not found.
    """
    import time

    import pypdfium2 as pdfium
    from PIL import ImageOps

    from ingest.ocr import shared_engine, tessdata_dir
    from ingest.ocr_pdf import PDFIUM_LOCK, render_page


    engine = shared_engine(options.lang)
    # Tesseract's English model reads isolated (often italic) stamped digits far better than the
    # Vietnamese one: 17 of 21 fields right on the seven stamped Hà Nội PDFs, against 7-8 of 21
    digit_engine = shared_engine(DIGITS_LANG) if tessdata_dir(DIGITS_LANG) else engine
    deadline = time.monotonic() + options.timeout_s
    regions, band = [], None
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            try:
                document.init_forms()  # signature widgets are drawn only with forms initialised
            except Exception:
                pass
            page = document[0]
            try:
                textpage = page.get_textpage()
                try:
                    gaps = _gaps(textpage, page.get_height())
                finally:
                    textpage.close()
                regions = [(gap.field, _render_region(page, gap, FIELD_DPI)) for gap in gaps]
                band = render_page(page, HEADER_DPI, crop_top_share=HEADER_BAND_SHARE)
            finally:
                page.close()
        finally:
            document.close()
    fields = {}
    for field, image in regions:
        padded = ImageOps.expand(image, border=max(10, image.height // 2), fill=255)  # Tesseract needs a margin
        digits = re.sub(r"\D", "", digit_engine.read_digits(padded, dpi=FIELD_DPI, deadline=deadline))
        if digits:
            fields[field] = digits
    return fields, engine.read(band, dpi=HEADER_DPI, deadline=deadline).text


def _from_fields(fields: dict[str, str], blanks: Blanks, signed: list[str] = ()) -> tuple[StampedFields, str]:
    """(fields read in the blanks, date source). ``signed`` holds the ISO dates of the digital
    signatures: a stamped date is normally one of them (the clerk stamps it when signing), so a
    day read on the stamp picks the signature date with that day when the month was misread."""
    number = date_iso = date_text = ""
    source = SOURCE_HEADER_OCR
    digits = fields.get("number", "")
    if blanks.number_suffix is not None and 1 <= len(digits) <= 6 and digits.strip("0"):
        number = digits + blanks.number_suffix
    day, month, year = fields.get("day", ""), fields.get("month", ""), blanks.date_year
    if blanks.date_blank and year and day and len(day) <= 2:
        if month and len(month) <= 2:
            date_iso = _iso(year, int(month), int(day))
        same_day = sorted({d for d in signed if d[:4] == str(year) and int(d[8:]) == int(day)})
        if signed and date_iso not in signed and len(same_day) == 1:
            date_iso, source = same_day[0], SOURCE_HEADER_OCR + "+" + SOURCE_SIGNATURE_TIMESTAMP
        if date_iso:
            date_text = f"ngày {int(date_iso[8:]):02d} tháng {int(date_iso[5:7]):02d} năm {year}"
    return StampedFields(number, date_iso, date_text), source


def signed_on(text: str) -> tuple[str, str]:
    """(ISO date, as written) of a "Ngày ký: dd/mm/yyyy" line printed by a signing tool."""
    folded = fold_diacritics(nfc(text))
    for m in _SIGNED_ON_RE.finditer(folded):
        day, month, year = (int(x) for x in m.groups())
        iso = _iso(year, month, day)
        if iso:
            return iso, f"{day:02d}/{month:02d}/{year}"
    return "", ""


_PDF_DATE_RE = re.compile(r"D:(\d{4})(\d{2})(\d{2})")


def signature_dates(data: bytes) -> list[tuple[str, str]]:
    """(signer name, ISO date of /M) of every digital signature in the PDF, in field order."""
    from pypdf import PdfReader

    out = []
    reader = PdfReader(io.BytesIO(data))
    for field in (reader.get_fields() or {}).values():
        if field.get("/FT") != "/Sig":
            continue
        value = field.get("/V")
        value = value.get_object() if value is not None else None
        if not hasattr(value, "get"):
            continue
        m = _PDF_DATE_RE.match(str(value.get("/M") or ""))
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else ""
        if iso:
            out.append((str(value.get("/Name") or ""), iso))
    return out


def _signature_dates_or_none(data: bytes) -> list[tuple[str, str]]:
    try:
        return signature_dates(data)
    except Exception:  # a damaged signature dictionary is no reason to refuse the document
        return []


def signature_timestamp(data: bytes, signer: str) -> str:
    """ISO date the document's signer signed it, else the earliest signature's date, else ""."""
    try:
        dates = signature_dates(data)
    except Exception:  # a damaged signature dictionary is no reason to refuse the document
        return ""
    if not dates:
        return ""
    wanted = fold_diacritics(signer).strip()
    for name, iso in dates:
        if wanted and fold_diacritics(name).strip() == wanted:
            return iso
    return min(iso for _, iso in dates)


def fill_stamped_fields(meta: DocumentMeta, data: bytes, first_page_text: str, full_text: str,
                        options: OcrOptions) -> DocumentMeta:
    """``meta`` with a blank number/date filled from the stamp, the signature block or the signature time."""
    blanks = find_blanks(first_page_text)
    need_number = blanks.number_suffix is not None and not re.match(r"\s*\d", meta.number or "")
    need_date = blanks.date_blank and not meta.issued_date
    if not (need_number or need_date):
        return meta
    changes: dict[str, str] = {}
    if options.enabled:
        try:
            fields, band_text = stamp_reading(data, options)
            signed = [iso for _, iso in _signature_dates_or_none(data)]
            from_fields, field_date_source = _from_fields(fields, blanks, signed)
            from_band = read_stamped(band_text, blanks)
            stamped = StampedFields(from_fields.number or from_band.number,
                                    from_fields.date_iso or from_band.date_iso,
                                    from_fields.date_text if from_fields.date_iso else from_band.date_text)
            date_source = field_date_source if from_fields.date_iso else SOURCE_HEADER_OCR
        except Exception:  # OCR missing, too slow or failing: the other sources may still help
            stamped, date_source = StampedFields(), ""
        if need_number and stamped.number:
            changes.update(number=stamped.number, number_source=SOURCE_HEADER_OCR)
            need_number = False
        if need_date and stamped.date_iso:
            changes.update(issued_date=stamped.date_iso, issued_date_text=stamped.date_text,
                           date_source=date_source)
            need_date = False
    if need_date:
        iso, written = signed_on(full_text)
        if iso:
            changes.update(issued_date=iso, issued_date_text=written, date_source=SOURCE_SIGNATURE_BLOCK)
        else:
            iso = signature_timestamp(data, meta.signer)
            if iso:
                changes.update(issued_date=iso, issued_date_text="", date_source=SOURCE_SIGNATURE_TIMESTAMP)
    return replace(meta, **changes) if changes else meta
