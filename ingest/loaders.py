"""Load a plan file (.txt/.md/.pdf/.docx/.doc/.html) into a normalised ``Document``.

Pipeline: read bytes → pick the reader by extension *and* content → extract text
(per page for PDF; pages without a usable text layer, or with a garbled one
(``ingest.text_layer``), are OCR'd, ``ingest.ocr_pdf``;
.doc is converted to .docx by LibreOffice, ``ingest.doc_convert``) → ``clean_text`` (NFC, stray symbols, markdown emphasis) →
``drop_boilerplate`` → metadata (on the text before re-flow, where the header and
signature lines are intact; blank number/date fields of signed PDFs are filled from the
stamp, ``ingest.stamped``) → re-flow (plain text and PDF pages; DOCX and HTML
already give one logical line per paragraph) → ``Document``.

Every failure is an ``IngestError`` subclass with a one-line message naming the
file; exceptions from pypdf, python-docx, zipfile or the XML parser never escape.
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Callable

from ingest.encoding import decode_text, looks_binary, reject_legacy_encoding
from ingest.furniture import strip_page_furniture
from ingest.errors import (
    CorruptFile,
    EmptyDocument,
    EncodingProblem,
    EncryptedDocument,
    FileTooLarge,
    IngestError,
    NoTextLayer,
    OcrFailed,
    UnreadableFile,
    UnsupportedFileType,
)
from ingest.metadata import extract_metadata
from ingest.normalize import clean_text, drop_boilerplate, nfc, strip_markdown_headings
from ingest.ocr import OcrOptions
from ingest.ocr_correct import correct_ocr_text
from ingest.reflow import reflow
from ingest.status import with_status
from ingest.types import Document, PageSpan

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".pdf", ".docx", ".doc", ".html", ".htm")
_FILE_TYPES = {".txt": "txt", ".md": "md", ".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".html": "html",
               ".htm": "html"}
OcrProgress = Callable[[int, int, str], None]  # (pages done, pages to OCR, file name)


@dataclass(frozen=True)
class _Extracted:
    """Raw text of a file: one entry per page (PDF) or a single entry."""

    pages: tuple[str, ...]
    encoding: str = ""
    flowed: bool = False  # True when lines are already logical lines (DOCX, HTML)
    ocr_confidence: tuple[float | None, ...] = ()  # per page: OCR confidence, None for a text layer
    garbled_pages: tuple[int, ...] = ()  # 1-based pages whose garbled text layer was replaced by OCR text


def load_document(
    path: str | Path,
    *,
    max_bytes: int | None = None,
    ocr: OcrOptions | None = None,
    ocr_progress: OcrProgress | None = None,
) -> Document:
    """Read, normalise and describe one plan file. Raises ``IngestError`` subclasses only.

    ``ocr`` says whether and within which limits scanned PDF pages are OCR'd (default:
    automatically, ``OcrOptions()``); ``ocr_progress(done, total, file name)`` follows it.
    """
    ocr = ocr or OcrOptions()
    path = Path(path)
    size = _file_size(path)
    file_type = _FILE_TYPES.get(path.suffix.lower())
    if file_type is None:
        raise UnsupportedFileType(path)
    if max_bytes is not None and size > max_bytes:
        raise FileTooLarge(path, f"file is {_format_size(size)}, larger than the limit of {_format_size(max_bytes)}")
    data = _read_bytes(path)
    if not data.strip():
        raise EmptyDocument(path)
    _check_content_matches(path, file_type, data)

    if file_type == "pdf":
        extracted = _read_pdf(path, data, ocr=ocr, progress=ocr_progress)
    else:
        extracted = _READERS[file_type](path, data)
    pages = [_clean(page, file_type) for page in extracted.pages]
    if len(pages) > 1:
        pages = strip_page_furniture(pages)  # printed page numbers, running headers
    if not any(page.strip() for page in pages):
        raise EmptyDocument(path, "file contains no text after removing boilerplate")
    reject_legacy_encoding("\n".join(pages), path)

    meta = extract_metadata("\n".join(pages), doc_id=path.name)
    if file_type == "pdf":
        meta = _fill_stamped(meta, data, pages, ocr)
    if not extracted.flowed:
        pages = [nfc(reflow(page)) for page in pages]
    text, spans = _join_pages(pages, extracted.ocr_confidence)
    ocr_read = [c for c in extracted.ocr_confidence if c is not None]
    meta = replace(
        meta,
        source_path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        file_type=file_type,
        encoding=extracted.encoding,
        ocr_pages=len(ocr_read),
        ocr_confidence=round(sum(ocr_read) / len(ocr_read), 3) if ocr_read else None,
        garbled_pages=page_ranges(extracted.garbled_pages),
    )
    meta = with_status(meta, text)  # issue 12: what the text says it replaces, when it ends
    return Document(meta=meta, text=text, pages=spans if file_type == "pdf" else ())


def page_ranges(pages) -> str:
    """1-based page numbers as ranges: (1, 2, 3, 5) -> "1-3, 5"."""
    runs: list[list[int]] = []
    for number in sorted(pages):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _fill_stamped(meta, data: bytes, pages: list[str], ocr: OcrOptions):
    """Blank number/date of a signed PDF filled from its stamp (``ingest.stamped``); never fails the file."""
    from ingest.stamped import fill_stamped_fields

    try:
        return fill_stamped_fields(meta, data, pages[0] if pages else "", "\n".join(pages), ocr)
    except Exception:  # the fields stay blank rather than the document being refused
        return meta


# --- file access and sniffing -------------------------------------------------------------


def _format_size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n} bytes"


def _file_size(path: Path) -> int:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise UnreadableFile(path, "file not found") from None
    except OSError as exc:
        raise UnreadableFile(path, f"file cannot be read ({exc.strerror or type(exc).__name__})") from None
    if path.is_dir():
        raise UnreadableFile(path, "is a folder, not a file")
    if not path.is_file():
        raise UnreadableFile(path, "not a regular file")
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in a Linux file name: it could not be the document id
        raise UnreadableFile(path, "file name is not valid UTF-8; rename the file") from None
    return st.st_size


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(path, f"file cannot be read ({exc.strerror or type(exc).__name__})") from None


# Signatures of binary files that show up with a document extension; only the start of a file is read.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "a Linux program"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
)
SNIFF_BYTES = 65536


def _sniff(data: bytes, zip_source: BinaryIO | None = None) -> str:
    """What ``data`` (the whole file, or its first ``SNIFF_BYTES`` with ``zip_source`` the open
    file) holds: "pdf", "docx", "zip", "damaged_zip", "ole" (legacy Office), a "binary:…"
    description, or "text"."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            with zipfile.ZipFile(zip_source if zip_source is not None else io.BytesIO(data)) as zf:
                return "docx" if "word/document.xml" in zf.namelist() else "zip"
        except Exception:  # truncated or corrupt archive: no readable table of contents
            return "damaged_zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith(b"MZ") and b"\x00" in data[2:64]:  # DOS/PE header, not text that starts with "MZ"
        return "binary:a Windows program (.exe/.dll)"
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return "binary:" + what
    return "text"


_KIND_NAMES = {
    "pdf": "a PDF",
    "docx": "a DOCX document",
    "zip": "a ZIP archive",
    "damaged_zip": "a (damaged) ZIP archive",
    "ole": "a legacy Office (.doc/.xls) file",
}


def _kind_name(kind: str) -> str:
    return kind.split(":", 1)[1] if kind.startswith("binary:") else _KIND_NAMES.get(kind, kind)


def _check_content_matches(path: Path, file_type: str, data: bytes, zip_source: BinaryIO | None = None) -> None:
    kind = _sniff(data, zip_source)
    expected = {"pdf": "pdf", "docx": "docx", "doc": "ole"}.get(file_type, "text")
    if kind == expected:
        return
    if expected == "ole" and kind == "docx":
        raise CorruptFile(path, "content is a .docx document, not a legacy .doc; rename it to .docx")
    if expected == "text":
        raise CorruptFile(path, f"content is {_kind_name(kind)}, not {file_type} text")
    if expected == "docx" and kind == "ole":
        raise CorruptFile(path, "content is a legacy .doc file, not .docx; save it as .docx first")
    if expected == "docx" and kind == "zip":
        raise CorruptFile(path, "ZIP archive without word/document.xml, not a .docx document")
    if expected == "docx" and kind == "damaged_zip":
        raise CorruptFile(path, "DOCX file is damaged (truncated or corrupt ZIP archive)")
    if kind == "text":
        raise CorruptFile(path, f"content is not {_KIND_NAMES[expected]}")
    raise CorruptFile(path, f"content is {_kind_name(kind)}, not {_KIND_NAMES[expected]}")


def check_content_type(path: str | Path, *, name: str | None = None) -> str:
    """The file type ("txt", "pdf", …) of ``path`` once its content is seen to match its extension.

    ``name`` supplies the extension (and the name in messages) when ``path`` is a temporary
    copy of an upload. Raises ``UnsupportedFileType``, ``UnreadableFile``, ``EmptyDocument`` or
    ``CorruptFile`` (a ".pdf" that is really a ZIP or a program). Reads only the first
    ``SNIFF_BYTES`` (and a ZIP's table of contents), so uploads can be checked before they are
    accepted; ``load_document`` makes the same check on the whole file and much more.
    """
    path = Path(path)
    shown = Path(name) if name else path
    file_type = _FILE_TYPES.get(shown.suffix.lower())
    if file_type is None:
        raise UnsupportedFileType(shown)
    try:
        _file_size(path)
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
            if not head:
                raise EmptyDocument(shown)
            _check_content_matches(shown, file_type, head, zip_source=handle)
            if file_type not in ("pdf", "docx", "doc") and looks_binary(head):
                raise CorruptFile(shown, "binary data, not text")
    except UnreadableFile as exc:
        raise UnreadableFile(shown, exc.detail) from None
    except OSError as exc:
        raise UnreadableFile(shown, f"file cannot be read ({exc.strerror or type(exc).__name__})") from None
    return file_type


def _library_failure(path: Path, what: str, exc: BaseException) -> CorruptFile:
    first_line = (str(exc).strip().splitlines() or [""])[0][:120]
    detail = f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__
    return CorruptFile(path, f"{what} could not be parsed ({detail})")


# --- readers ---------------------------------------------------------------------------------


def _read_text(path: Path, data: bytes) -> _Extracted:
    text, encoding = decode_text(data, path)
    return _Extracted((text,), encoding=encoding)


def _quiet_libraries() -> None:
    """Keep pypdf's log records and bs4's markup warnings off the terminal.

    With no logging configured, Python prints library log records and warnings on
    stderr as lines that name no file ("EOF marker not found", a ten-line bs4 notice)
    in the middle of the per-file report. The loader reports every problem itself as
    an ``IngestError``, so pypdf gets a ``NullHandler`` (an application that configures
    logging still receives its records) and bs4's "this looks like a URL/file name/XML"
    warnings are ignored: for uploaded plans they are expected, not a programming error.
    """
    pypdf_logger = logging.getLogger("pypdf")
    if not any(isinstance(h, logging.NullHandler) for h in pypdf_logger.handlers):
        pypdf_logger.addHandler(logging.NullHandler())
    import warnings

    from bs4 import MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning

    for category in (MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning):
        warnings.filterwarnings("ignore", category=category)  # idempotent: an equal filter is replaced


def _read_pdf(path: Path, data: bytes, *, ocr: OcrOptions | None = None,
              progress: OcrProgress | None = None) -> _Extracted:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    ocr = ocr or OcrOptions()
    _quiet_libraries()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError):
                raise EncryptedDocument(path, "PDF is encrypted with a cipher this installation cannot open") from None
            if not opened:
                raise EncryptedDocument(path)
        pages = tuple(page.extract_text() or "" for page in reader.pages)
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise _library_failure(path, "PDF", exc) from None
    if not pages:
        raise EmptyDocument(path, "PDF has no pages")
    return _ocr_scanned_pages(path, data, pages, ocr, progress)


def _ocr_scanned_pages(path: Path, data: bytes, pages: tuple[str, ...], ocr: OcrOptions,
                       progress: OcrProgress | None) -> _Extracted:
    """The text layer where it is usable, OCR text elsewhere (``ingest.ocr_pdf``).

    A garbled text layer (``ingest.text_layer``) is OCR'd like a scan, within the same
    limits, and its wrong letters are replaced by OCR's (``_repair_garbled``); where OCR
    cannot run, the layer is kept.
    """
    from ingest.ocr import OcrUnavailable, unavailable_reason
    from ingest.ocr_pdf import (GARBLED_TEXT_LAYER, OcrTimedOut, OcrTooManyPages, has_usable_text, ocr_pdf_pages,
                                ocr_reasons)
    reasons = ocr_reasons(pages, ocr.mode)
    wanted = list(reasons)
    garbled = {n for n, why in reasons.items() if why.startswith(GARBLED_TEXT_LAYER)}
    has_text = any(page.strip() for page in pages)
    if not wanted:
        if not has_text:
            raise NoTextLayer(path, "PDF has no text layer (scanned image?) and OCR is off (setting ocr)")
        return _Extracted(pages)
    reason = unavailable_reason(ocr.lang)
    if reason:
        if has_text and ocr.mode == "auto":  # keep the pages that have text; say nothing of the rest
            return _Extracted(pages)
        raise NoTextLayer(path, f"PDF has no text layer (scanned image?) and {reason}")
    name = path.name
    kind = "PDF with a garbled text layer" if len(garbled) == len(wanted) else "scanned PDF"
    try:
        read = ocr_pdf_pages(data, wanted, ocr, vector_pages=garbled,
                             progress=(lambda done, total: progress(done, total, name)) if progress else None)
    except OcrTooManyPages as exc:
        raise OcrFailed(path, f"{kind}: {exc.pages} pages need OCR, more than the limit of {exc.limit} "
                              "(setting ocr_max_pages)") from None
    except OcrTimedOut as exc:
        raise OcrFailed(path, f"OCR stopped at the time limit of {exc.limit_s:g} s, {exc.done} of {exc.total} "
                              "pages read (setting ocr_timeout_s)") from None
    except OcrUnavailable as exc:
        raise NoTextLayer(path, f"PDF has no text layer (scanned image?) and {exc}") from None
    except Exception as exc:  # pdfium or Tesseract failing on a damaged page image
        if has_text and ocr.mode == "auto":  # the text layer pypdf could read is still worth keeping
            return _Extracted(pages)
        raise _library_failure(path, "scanned PDF page", exc) from None
    texts = list(pages)
    confidence: list[float | None] = [None] * len(pages)
    read_texts = {n: correct_ocr_text(p.text) for n, p in read.items() if has_usable_text(p.text)}
    repaired = _repair_garbled(pages, {n: t for n, t in read_texts.items() if n in garbled})
    for number, text in read_texts.items():  # a blank page, or one with only a page number: not "read by OCR"
        if number in garbled:
            if number not in repaired:
                continue  # OCR reads no better than the garbled layer: keep the layer
            text = repaired[number]
        texts[number - 1] = text
        confidence[number - 1] = read[number].confidence
    if not any(t.strip() for t in texts):
        raise NoTextLayer(path, f"PDF has no text layer and OCR found no text on its {len(wanted)} page(s) "
                                "(blank pages, or a scan too faint to read)")
    return _Extracted(tuple(texts), ocr_confidence=tuple(confidence), garbled_pages=tuple(sorted(repaired)))


def _repair_garbled(layers: tuple[str, ...], ocr_texts: dict[int, str]) -> dict[int, str]:
    """Text for each garbled page read by OCR (1-based number -> text), for the pages where it reads better.

    The layer repaired with OCR's letters (``ingest.layer_repair``) when that reads as
    Vietnamese; the plain OCR text when the repair is still garbled and OCR is not; nothing
    (keep the layer) when neither beats it.
    """
    from ingest.layer_repair import repair_pages
    from ingest.text_layer import score_text_layer

    numbers = sorted(ocr_texts)
    fixed = repair_pages([layers[n - 1] for n in numbers], [ocr_texts[n] for n in numbers])
    chosen = {}
    for number, repaired in zip(numbers, fixed):
        layer, plain, mended = (score_text_layer(t) for t in (layers[number - 1], ocr_texts[number], repaired))
        best, score = (ocr_texts[number], plain) if mended.garbled and not plain.garbled else (repaired, mended)
        if score.error_share < layer.error_share:
            chosen[number] = best
    return chosen


def _read_doc(path: Path, data: bytes) -> _Extracted:
    """Legacy Word: LibreOffice converts it to .docx, read as any .docx (tables kept)."""
    from ingest.doc_convert import DocConversionError, doc_to_docx, unavailable_reason

    reason = unavailable_reason()
    if reason:
        raise UnsupportedFileType(path, f"legacy .doc file: {reason}")
    try:
        converted = doc_to_docx(data)
    except DocConversionError as exc:
        raise CorruptFile(path, f".doc file could not be converted ({exc})") from None
    return _read_docx(path, converted)


def _read_docx(path: Path, data: bytes) -> _Extracted:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.append("\n" + "\n".join(_docx_table_rows(item)) + "\n")
            else:
                blocks.append(item.text)
    except Exception as exc:  # zipfile, lxml and python-docx errors
        raise _library_failure(path, "DOCX", exc) from None
    return _Extracted(("\n".join(blocks),), flowed=True)


def _docx_table_rows(table) -> list[str]:
    """One " | "-joined line per row, header row first; a merged cell appears once per row."""
    rows = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            if cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


_DROPPED_HTML_TAGS = ["head", "script", "style", "noscript", "template", "svg", "iframe", "nav", "header", "footer"]
_BLOCK_HTML_TAGS = [
    "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption",
    "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre",
    "section", "table", "tr", "ul",
]
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def _decode_html(path: Path, data: bytes) -> tuple[str, str]:
    """Detected encoding first; the page's declared charset only when detection fails."""
    try:
        return decode_text(data, path)
    except EncodingProblem:
        declared = _META_CHARSET_RE.search(data[:4096])
        if not declared:
            raise
        encoding = declared.group(1).decode("ascii").lower()
        try:
            return nfc(data.decode(encoding)), encoding
        except (LookupError, UnicodeDecodeError):
            raise EncodingProblem(path, f"page declares charset {encoding!r} but its bytes do not match") from None


def _read_html(path: Path, data: bytes) -> _Extracted:
    html, encoding = _decode_html(path, data)
    try:
        text = _html_to_text(html)
    except Exception as exc:  # the html.parser backend rarely fails, but never let it escape
        raise _library_failure(path, "HTML", exc) from None
    return _Extracted((text,), encoding=encoding, flowed=True)


def _html_to_text(html: str) -> str:
    """Visible text, one block element per line; tables as " | " rows."""
    from bs4 import BeautifulSoup, NavigableString

    _quiet_libraries()
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(_DROPPED_HTML_TAGS):
        tag.decompose()
    for string in soup.find_all(string=True):
        if type(string) is not NavigableString:  # comments, doctype, CDATA, processing instructions
            string.extract()
        elif string.find_parent("pre") is None:
            string.replace_with(NavigableString(re.sub(r"\s+", " ", str(string))))
    for table in reversed(soup.find_all("table")):  # innermost first
        rows = []
        for tr in table.find_all("tr"):
            cells = [" ".join(c.get_text(" ").split()) for c in tr.find_all(["td", "th"], recursive=False)]
            if any(cells):
                rows.append(" | ".join(cells))
        table.replace_with(NavigableString("\n\n" + "\n".join(rows) + "\n\n"))
    for br in soup.find_all("br"):
        br.replace_with(NavigableString("\n"))
    for block in soup.find_all(_BLOCK_HTML_TAGS):
        block.insert_before(NavigableString("\n"))
        block.insert_after(NavigableString("\n"))
    lines = [" ".join(line.split()) for line in soup.get_text().split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_READERS: dict[str, Callable[[Path, bytes], _Extracted]] = {
    "txt": _read_text,
    "md": _read_text,
    "pdf": _read_pdf,
    "docx": _read_docx,
    "doc": _read_doc,
    "html": _read_html,
}


# --- assembling ------------------------------------------------------------------------------


def _clean(text: str, file_type: str) -> str:
    if file_type == "md":
        text = strip_markdown_headings(text)
    # NFC again: removing a control character (a NUL between a letter and its combining
    # tone mark in a damaged file) can leave a sequence that composes differently
    return nfc(drop_boilerplate(clean_text(text)))


def _join_pages(pages: list[str], ocr_confidence: tuple[float | None, ...] = ()) -> tuple[str, tuple[PageSpan, ...]]:
    """Non-empty pages joined with "\\n", and each page's [start, end) in the result (with its OCR confidence)."""
    parts: list[str] = []
    spans: list[PageSpan] = []
    offset = 0
    for number, page in enumerate(pages, start=1):
        page = page.strip("\n")
        if not page.strip():
            continue
        if parts:
            offset += 1  # the joining "\n"
        confidence = ocr_confidence[number - 1] if number <= len(ocr_confidence) else None
        spans.append(PageSpan(number, offset, offset + len(page), confidence))
        parts.append(page)
        offset += len(page)
    return "\n".join(parts), tuple(spans)
