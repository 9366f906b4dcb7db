"""Load a plan file (.txt/.md/.pdf/.docx/.html) into a normalised ``Document``.

Pipeline: read bytes → pick the reader by extension *and* content → extract text
(per page for PDF) → ``clean_text`` (NFC, stray symbols, markdown emphasis) →
``drop_boilerplate`` → metadata (on the text before re-flow, where the header and
signature lines are intact) → re-flow (plain text and PDF pages; DOCX and HTML
already give one logical line per paragraph) → ``Document``.

Every failure is an ``IngestError`` subclass with a one-line message naming the
file; exceptions from pypdf, python-docx, zipfile or the XML parser never escape.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from ingest.encoding import decode_text, reject_legacy_encoding
from ingest.errors import (
    CorruptFile,
    EmptyDocument,
    EncodingProblem,
    EncryptedDocument,
    FileTooLarge,
    IngestError,
    NoTextLayer,
    UnreadableFile,
    UnsupportedFileType,
)
from ingest.metadata import extract_metadata
from ingest.normalize import clean_text, drop_boilerplate, nfc, strip_markdown_headings
from ingest.reflow import reflow
from ingest.types import Document, PageSpan

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
_FILE_TYPES = {".txt": "txt", ".md": "md", ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class _Extracted:
    """Raw text of a file: one entry per page (PDF) or a single entry."""

    pages: tuple[str, ...]
    encoding: str = ""
    flowed: bool = False  # True when lines are already logical lines (DOCX, HTML)


def load_document(path: str | Path, *, max_bytes: int | None = None) -> Document:
    """Read, normalise and describe one plan file. Raises ``IngestError`` subclasses only."""
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

    extracted = _READERS[file_type](path, data)
    pages = [_clean(page, file_type) for page in extracted.pages]
    if not any(page.strip() for page in pages):
        raise EmptyDocument(path, "file contains no text after removing boilerplate")
    reject_legacy_encoding("\n".join(pages), path)

    meta = extract_metadata("\n".join(pages), doc_id=path.name)
    if not extracted.flowed:
        pages = [reflow(page) for page in pages]
    text, spans = _join_pages(pages)
    meta = replace(
        meta,
        source_path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        file_type=file_type,
        encoding=extracted.encoding,
    )
    return Document(meta=meta, text=text, pages=spans if file_type == "pdf" else ())


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
    if not path.is_file():
        raise UnreadableFile(path, "not a regular file")
    return st.st_size


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(path, f"file cannot be read ({exc.strerror or type(exc).__name__})") from None


def _sniff(data: bytes) -> str:
    """"pdf", "docx", "zip", "ole" (legacy Office) or "text" by content."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return "docx" if "word/document.xml" in zf.namelist() else "zip"
        except Exception:  # a damaged archive is still "a zip" for the mismatch message
            return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return "text"


_KIND_NAMES = {"pdf": "a PDF", "docx": "a DOCX document", "zip": "a ZIP archive", "ole": "a legacy Office (.doc/.xls) file"}


def _check_content_matches(path: Path, file_type: str, data: bytes) -> None:
    kind = _sniff(data)
    expected = {"pdf": "pdf", "docx": "docx"}.get(file_type, "text")
    if kind == expected:
        return
    if expected == "text":
        raise CorruptFile(path, f"content is {_KIND_NAMES[kind]}, not {file_type} text")
    if expected == "docx" and kind == "ole":
        raise CorruptFile(path, "content is a legacy .doc file, not .docx; save it as .docx first")
    if expected == "docx" and kind == "zip":
        raise CorruptFile(path, "ZIP archive without word/document.xml, not a .docx document")
    raise CorruptFile(path, f"content is not {_KIND_NAMES[expected]}")


def _library_failure(path: Path, what: str, exc: BaseException) -> CorruptFile:
    first_line = (str(exc).strip().splitlines() or [""])[0][:120]
    detail = f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__
    return CorruptFile(path, f"{what} could not be parsed ({detail})")


# --- readers ---------------------------------------------------------------------------------


def _read_text(path: Path, data: bytes) -> _Extracted:
    text, encoding = decode_text(data, path)
    return _Extracted((text,), encoding=encoding)


def _read_pdf(path: Path, data: bytes) -> _Extracted:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

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
    if not any(page.strip() for page in pages):
        raise NoTextLayer(path)
    return _Extracted(pages)


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
    "html": _read_html,
}


# --- assembling ------------------------------------------------------------------------------


def _clean(text: str, file_type: str) -> str:
    if file_type == "md":
        text = strip_markdown_headings(text)
    return drop_boilerplate(clean_text(text))


def _join_pages(pages: list[str]) -> tuple[str, tuple[PageSpan, ...]]:
    """Non-empty pages joined with "\\n", and each page's [start, end) in the result."""
    parts: list[str] = []
    spans: list[PageSpan] = []
    offset = 0
    for number, page in enumerate(pages, start=1):
        page = page.strip("\n")
        if not page.strip():
            continue
        if parts:
            offset += 1  # the joining "\n"
        spans.append(PageSpan(number, offset, offset + len(page)))
        parts.append(page)
        offset += len(page)
    return "\n".join(parts), tuple(spans)
