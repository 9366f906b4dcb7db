"""Types produced by the ingest layer: a loaded plan and the chunks cut from it."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocumentMeta:
    """What we know about one plan, extracted from its text.

    ``doc_id`` is the file name (e.g. ``bac-kan-37-KH-UBND-2022.txt``): it is the
    stable id users see and cite. Empty strings mean "not found in the text".
    """

    doc_id: str
    title: str = ""
    number: str = ""  # e.g. "37/KH-UBND"
    issuer: str = ""  # e.g. "Ủy ban nhân dân tỉnh Bắc Kạn"
    province: str = ""  # canonical display name, e.g. "Bắc Kạn", "Hà Nội"
    issued_date: str = ""  # ISO yyyy-mm-dd when fully known, else ""
    issued_date_text: str = ""  # as written, e.g. "ngày 21 tháng 01 năm 2022"
    signer: str = ""  # e.g. "Phạm Duy Hưng"
    signer_title: str = ""  # e.g. "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"
    source_path: str = ""
    sha256: str = ""  # of the raw file bytes
    file_type: str = ""  # "txt", "pdf", "docx", "html", "md"
    encoding: str = ""  # detected text encoding, "" for binary formats
    doc_type: str = ""  # "Kế hoạch", "Quyết định", "Luật", "Nghị định", "Thông tư", "Công văn", … ("" unknown)
    # what the text says of its own standing (``ingest.status``): documents it replaces / repeals as
    # "number|year" ("22/2024/QĐ-UBND|2024"), the last year of the period it plans for, when it ends
    replaces: tuple[str, ...] = ()
    repeals: tuple[str, ...] = ()
    period_end: str = ""  # "2025"
    expires: str = ""  # ISO date the text says it stops having effect
    # where a number/date stamped on after signing came from: "" (the text itself), "header_ocr",
    # "signature_block" or "signature_timestamp" (see ingest/stamped.py)
    number_source: str = ""
    date_source: str = ""
    ocr_pages: int = 0  # pages whose text was read by OCR
    ocr_confidence: float | None = None  # mean Tesseract word confidence (0-1) over those pages
    # pages (ranges, "1-7, 9") whose text layer was garbled by a broken font mapping and was replaced
    # by OCR text (ingest/text_layer.py); they are counted in ocr_pages
    garbled_pages: str = ""
    pipeline: str = ""  # ingest.version.PIPELINE_VERSION of the ingest that stored it ("" before versions)


@dataclass(frozen=True)
class PageSpan:
    """Character range [start, end) of ``Document.text`` that came from page ``page`` (1-based)."""

    page: int
    start: int
    end: int
    ocr_confidence: float | None = None  # mean word confidence (0-1) when the page was read by OCR


@dataclass(frozen=True)
class Document:
    """A loaded, normalised plan. ``text`` is NFC, re-flowed, boilerplate removed."""

    meta: DocumentMeta
    text: str
    pages: tuple[PageSpan, ...] = ()

    def page_at(self, offset: int) -> int | None:
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.page
        return None

    def ocr_confidence_at(self, offset: int) -> float | None:
        """OCR confidence of the page holding ``offset``; None when that text came from a text layer."""
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.ocr_confidence
        return None


CHUNK_KINDS = ("card", "text", "table_row")


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage.

    ``text`` is the passage as shown to users and quoted in citations (a span of
    the document, or for table rows "header: value" lines; for the document card
    a generated description). ``section_path`` is the heading path, outermost
    first, e.g. ("III. TỔ CHỨC THỰC HIỆN", "7. Sở Nông nghiệp và Phát triển nông thôn").
    ``start``/``end`` locate the passage in ``Document.text`` (-1 when generated).
    """

    id: str
    doc_id: str
    position: int
    kind: str
    text: str
    section_path: tuple[str, ...] = ()
    page: int | None = None
    start: int = -1
    end: int = -1
    meta: DocumentMeta | None = None
    ocr_confidence: float | None = None  # set when the passage was read by OCR (0-1)

    @property
    def section(self) -> str:
        return " › ".join(self.section_path)

    def context_text(self) -> str:
        """Text used for embedding and lexical search: plan title, province, section path, passage."""
        parts = []
        if self.meta is not None:
            head = " ".join(p for p in (self.meta.number, self.meta.province, self.meta.title) if p)
            if head:
                parts.append(head)
        if self.section_path:
            parts.append(self.section)
        parts.append(self.text)
        return "\n".join(parts)


@dataclass(frozen=True)
class Table:
    """A table read from plain text: column headers and rows of cell strings.

    ``header`` holds one label per column (multi-level headers joined with " / ").
    ``rows`` hold cells aligned to ``header`` ("" for an empty cell).
    ``title`` is the caption above the table when there is one (e.g. "PHỤ LỤC 04 …").
    ``start``/``end`` are character offsets of the table in the text it was read from.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str = ""
    start: int = -1
    end: int = -1
    row_spans: tuple[tuple[int, int], ...] = ()  # per-row (start, end) offsets


@dataclass(frozen=True)
class ResponsibilityRecord:
    """One task of a plan with who leads it, who coordinates, by when and with what money."""

    task: str
    lead: tuple[str, ...]
    coordinators: tuple[str, ...]
    document: str
    province: str
    section: str
    quote: str
    deadline: str = ""
    deadline_iso: str = ""
    budget: str = ""
    target: str = ""
    source: str = ""  # "prose", "agency_section", "table"
    chunk_id: str = ""
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)
