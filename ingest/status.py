"""What a document's own text says about its standing: what it replaces or repeals, when it ends.

``read_status(text, title)`` finds

- the documents it replaces or repeals: "… và thay thế Quyết định số 22/2024/QĐ-UBND ngày 07
  tháng 3 năm 2024 …", "bãi bỏ Kế hoạch số 12/KH-UBND …" (a document-type word must follow the
  cue, so "thuốc thay thế" is no reference). Each reference is ``"number|year"``: the number as
  written (spaces removed) and the year of the date written after it, "" when none;
- the end of the period it plans for: "giai đoạn 2021-2025", "năm 2023", "đến năm 2030" in the
  title (or, without a title, the first such phrase of the text) — the year as a string;
- the date it stops having effect when it says so ("hết hiệu lực kể từ ngày 31/12/2025").

Cue words are data (``REPLACE_CUES``, ``DOCUMENT_TYPES``), not branches. The library-level
standing (replaced by which loaded document, expired) is ``index.doc_status``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize import fold_aligned, fold_diacritics, nfc
from ingest.types import DocumentMeta

# cue (folded) → relation
REPLACE_CUES: dict[str, str] = {"thay the": "replaces", "bai bo": "repeals"}
DOCUMENT_TYPES = (
    "quyet dinh", "ke hoach", "nghi quyet", "nghi dinh", "thong tu", "chi thi", "cong van", "van ban",
    "huong dan", "quy dinh", "quy che", "chuong trinh", "de an", "thong bao", "luat",
)
_TYPES = "|".join(sorted(DOCUMENT_TYPES, key=len, reverse=True))
_CUE = re.compile(rf"(?<![a-z])({'|'.join(REPLACE_CUES)})(?![a-z])")
# after the cue: at most a few words ("các", "toàn bộ", "cho") before the document type
_AFTER_CUE = re.compile(rf"^[\s,:]*(?:(?:cac|toan\s+bo|mot\s+phan|cho|noi\s+dung)\s+){{0,3}}({_TYPES})(?![a-z])")
# "Quyết định số 22/2024/QĐ-UBND", "Thông tư liên tịch số 06/2007/…", "Kế hoạch 37/KH-UBND"
_REFERENCE = re.compile(
    rf"(?<![a-z])(?:{_TYPES})(?:\s+[a-z]+){{0,3}}?\s+(?:so\s*:?\s*)?(\d{{1,5}}(?:/[0-9a-z\-&.]+)+)"
)
_DATE_AFTER = re.compile(r"\s*(?:cua\s+[^,;]{0,80}?\s+)?ngay\s+\d{1,2}\s*(?:/|thang)\s*\d{1,2}\s*(?:/|nam)\s*((?:19|20)\d\d)")
_SENTENCE_END = re.compile(r"\.\s|\n")
# a line of the preamble ("Căn cứ …") describes other acts: what *they* replaced is not this document's doing
_PREAMBLE_LINE = re.compile(r"(?:^|\n)[\s*_-]*can\s+cu\b[^\n]*$")
# "… Thông tư liên tịch số 25/2010/… về việc sửa đổi … và thay thế …": the cue is in another act's title
_OTHER_TITLE = re.compile(r"\d+/[0-9a-z\-&.]+[^\n.;]{0,300}?(?<![a-z])ve\s+viec(?![a-z])[^\n.;]*$")
_PERIOD = re.compile(
    r"(?:giai\s+doan|thoi\s+ky|nhiem\s+ky)\s+((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)"
    r"|(?:den|toi)\s+nam\s+((?:19|20)\d\d)"
    r"|(?<!thang\s\d\d\s)(?<!thang\s\d\s)(?<![a-z])nam\s+((?:19|20)\d\d)(?!\s*[-–—/]\s*\d)"
)
_EXPIRES = re.compile(
    r"het\s+hieu\s+luc(?:\s+thi\s+hanh)?\s+(?:ke\s+)?tu\s+ngay\s+(\d{1,2})\s*(?:/|thang)\s*(\d{1,2})\s*(?:/|nam)\s*((?:19|20)\d\d)"
)
_SCAN = 200_000  # characters of text examined (decisions put these clauses near the end, plans in the title)


@dataclass(frozen=True)
class StatusFacts:
    replaces: tuple[str, ...] = ()  # "22/2024/QĐ-UBND|2024", "37/KH-UBND|2022"
    repeals: tuple[str, ...] = ()
    period_end: str = ""  # "2025"
    expires: str = ""  # ISO date


def _fold(text: str) -> str:
    """Folded, one character per character of ``text`` (NFC): references are cut from ``text`` by position."""
    return fold_aligned(text)


def _references(text: str, folded: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"replaces": [], "repeals": []}
    for cue in _CUE.finditer(folded):
        after = folded[cue.end() : cue.end() + 80]
        if not _AFTER_CUE.match(after):
            continue
        # "được thay thế bởi …" / "thay thế bằng …" name what replaces this one, not what it replaces
        if folded[max(0, cue.start() - 6) : cue.start()].strip().endswith("duoc"):
            continue
        window = max(0, cue.start() - 600)
        if _PREAMBLE_LINE.search(folded, window, cue.start()) or _OTHER_TITLE.search(folded, window, cue.start()):
            continue
        end_match = _SENTENCE_END.search(folded, cue.end())
        end = min(end_match.start() if end_match else len(folded), cue.end() + 600)
        relation = REPLACE_CUES[cue.group(1)]
        for ref in _REFERENCE.finditer(folded, cue.end(), end):
            number = re.sub(r"\s+", "", text[ref.start(1) : ref.end(1)]).rstrip(".")
            date = _DATE_AFTER.match(folded, ref.end(), end)
            year = date.group(1) if date else ""
            entry = f"{number}|{year}"
            if entry not in found[relation]:
                found[relation].append(entry)
    return found


def period_end(text: str, issued_year: int | None = None, *, plan: bool = True) -> str:
    """The last year of the period a title (or phrase) plans for: "giai đoạn 2021-2025" → "2025".

    A bare "năm 2021" counts only in a ``plan`` and when it is not before ``issued_year``: a plan
    plans forward, so "khắc phục hạn chế … năm 2021" in a 2022 plan names the year looked back on,
    and a report "… năm 2025" reports on that year rather than ending with it.
    """
    folded = fold_diacritics(nfc(text)).lower()
    for m in _PERIOD.finditer(folded):
        if m.group(2) or m.group(3):
            return m.group(2) or m.group(3)
        if plan and (issued_year is None or int(m.group(4)) >= issued_year):
            return m.group(4)
    return ""


# the heading line of a plan-like document, or its number's type ("37/KH-UBND")
PLAN_HEADINGS = ("ke hoach", "chuong trinh hanh dong", "de an")
_PLAN_HEADING = re.compile(rf"(?:^|\n)[\s*#_]*(?:{'|'.join(PLAN_HEADINGS)})[\s*_]*(?:\n|$)")


def is_plan(text: str, number: str = "") -> bool:
    """True for a plan-like document: its number is a plan's ("…/KH-…") or a heading line says so."""
    if re.search(r"/\s*kh\b", fold_diacritics(number or "")):
        return True
    return bool(_PLAN_HEADING.search(fold_aligned(nfc(text[:4000]))))


def read_status(text: str, title: str = "", issued_date: str = "", number: str = "") -> StatusFacts:
    """What ``text`` (a document's normalised text) says it replaces, repeals and when it ends."""
    text = nfc(text or "")[:_SCAN]
    folded = _fold(text)
    refs = _references(text, folded)
    issued_year = int(issued_date[:4]) if issued_date[:4].isdigit() else None
    end = period_end(title, issued_year, plan=is_plan(text, number)) if title else ""
    expires = ""
    m = _EXPIRES.search(folded)
    if m:
        expires = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return StatusFacts(
        replaces=tuple(refs["replaces"]), repeals=tuple(refs["repeals"]), period_end=end, expires=expires
    )


def reference_key(number: str) -> str:
    """A document number compared across documents: folded, lower-case, without spaces or "số"."""
    folded = fold_diacritics(nfc(number or "")).lower()
    folded = re.sub(r"^\s*so\s*:?\s*", "", folded)
    return re.sub(r"[\s.]+", "", folded)


def with_status(meta: DocumentMeta, text: str) -> DocumentMeta:
    """``meta`` with the standing its document's ``text`` states (see ``read_status``)."""
    from dataclasses import replace

    facts = read_status(text, meta.title, meta.issued_date, meta.number)
    return replace(
        meta, replaces=facts.replaces, repeals=facts.repeals, period_end=facts.period_end, expires=facts.expires
    )
