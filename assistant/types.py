"""Types produced by the assistant layer."""
from __future__ import annotations

from dataclasses import dataclass, field

from index.types import Hit


@dataclass(frozen=True)
class Citation:
    """Source of one [n] marker in an answer."""

    n: int
    document: str  # doc id (file name)
    title: str
    number: str
    section: str
    page: int | None
    quote: str  # the passage text (or the supporting span of it)
    chunk_id: str = ""
    province: str = ""
    issuer: str = ""
    doc_type: str = ""  # "Quyết định", "Kế hoạch", "Luật" … ("" when unknown)
    # "passage" (a passage of a loaded document), "note" (a loaded passage cited by a note on a 2025
    # administrative change) or "legal_basis" (the legal act of a row of ingest/data/admin_changes_2025)
    kind: str = "passage"
    status: str = ""  # the cited document's standing in the library ("replaced by …", "expired"), "" = unknown
    ocr_confidence: float | None = None  # the passage was read by OCR with this confidence (0-1)

    def to_dict(self) -> dict:
        out = {
            "n": self.n,
            "document": self.document,
            "title": self.title,
            "number": self.number,
            "section": self.section,
            "page": self.page,
            "quote": self.quote,
        }
        if self.doc_type:
            out["doc_type"] = self.doc_type
        if self.kind != "passage":
            out["kind"] = self.kind
        if self.status:
            out["status"] = self.status
        if self.ocr_confidence is not None:  # only passages read by OCR carry the key
            out["ocr_confidence"] = self.ocr_confidence
        return out


@dataclass(frozen=True)
class Turn:
    """One message of a conversation (``role`` is "user" or "assistant")."""

    role: str
    content: str


@dataclass(frozen=True)
class Answer:
    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    language: str = "vi"  # "vi" or "en"
    hits: tuple[Hit, ...] = field(default=(), compare=False)
    answerer: str = "extractive"  # which backend produced it
    # the answerer's probability that its best passage answers the question (None: not measured);
    # kept on abstentions too, so evaluations can draw the abstention trade-off
    confidence: float | None = field(default=None, compare=False)

    def to_dict(self) -> dict:
        return {
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
        }


ABSTAIN_VI = "Không tìm thấy thông tin này trong các kế hoạch đã nạp."
ABSTAIN_EN = "I could not find this in the loaded plans."
