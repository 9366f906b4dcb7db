"""Which documents of the library still stand.

Each document's own text says what it replaces or repeals and when its period ends
(``ingest.status``, stored on ``DocumentMeta``). Across the library that gives:

- ``replaced``: another loaded document replaces or repeals it (its number, and the year of the
  date written with the reference when there is one, match this document; a number without a
  year must also come from the same province);
- ``expired``: the period it plans for ended before ``today`` ("giai đoạn 2021-2025" in 2026),
  or the date its text says it stops having effect has passed;
- ``current``: none of that, and its text states a period or end that is still running;
- ``unknown``: nothing either way.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

from ingest.status import reference_key
from ingest.types import DocumentMeta

STATES = ("current", "replaced", "expired", "unknown")


@dataclass(frozen=True)
class DocumentStatus:
    doc_id: str
    state: str  # one of STATES
    by: str = ""  # doc id of the document that replaces it
    by_label: str = ""  # that document's number (or id) for display
    until: str = ""  # the year / date it ran to
    how: str = ""  # "replaces" | "repeals" when replaced

    def label(self, language: str = "vi") -> str:
        """One line for the library, citations and ``planchat documents`` ("" for unknown)."""
        if self.state == "replaced":
            verb = ("bị bãi bỏ bởi" if self.how == "repeals" else "bị thay thế bởi") if language == "vi" else (
                "repealed by" if self.how == "repeals" else "replaced by")
            return f"{verb} {self.by_label}"
        if self.state == "expired":
            return f"hết thời hạn ({self.until})" if language == "vi" else f"expired ({self.until})"
        if self.state == "current":
            return f"còn thời hạn (đến {self.until})" if language == "vi" else f"current (until {self.until})"
        return ""


def _year(meta: DocumentMeta) -> str:
    return meta.issued_date[:4] if meta.issued_date else ""


def _matches(reference: str, target: DocumentMeta, source: DocumentMeta) -> bool:
    number, _, year = reference.partition("|")
    if not target.number or reference_key(number) != reference_key(target.number):
        return False
    if year and _year(target) and year != _year(target):
        return False
    if "/20" not in number and "/19" not in number:  # no year in the number itself ("37/KH-UBND")
        if not year and not (source.province and source.province == target.province):
            return False
    return True


def library_status(metas: Sequence[DocumentMeta], today: date | None = None) -> dict[str, DocumentStatus]:
    """The standing of every document in ``metas`` (keyed by doc id)."""
    today = today or date.today()
    out: dict[str, DocumentStatus] = {}
    for meta in metas:
        replaced = None
        for other in metas:
            if other.doc_id == meta.doc_id:
                continue
            for how, refs in (("replaces", other.replaces), ("repeals", other.repeals)):
                if any(_matches(ref, meta, other) for ref in refs):
                    replaced = DocumentStatus(meta.doc_id, "replaced", by=other.doc_id,
                                              by_label=other.number or other.doc_id, how=how)
                    break
            if replaced:
                break
        if replaced:
            out[meta.doc_id] = replaced
        elif meta.expires and meta.expires < today.isoformat():
            out[meta.doc_id] = DocumentStatus(meta.doc_id, "expired", until=meta.expires)
        elif meta.period_end and int(meta.period_end) < today.year:
            out[meta.doc_id] = DocumentStatus(meta.doc_id, "expired", until=meta.period_end)
        elif meta.expires or meta.period_end:
            out[meta.doc_id] = DocumentStatus(meta.doc_id, "current", until=meta.expires or meta.period_end)
        else:
            out[meta.doc_id] = DocumentStatus(meta.doc_id, "unknown")
    return out
