"""The document type ("Quyết định", "Luật", "Công văn" …) from cues, as a table of data.

Three kinds of evidence vote, each with a weight (``CUES``):

* the type heading under the header ("QUYẾT ĐỊNH", "LUẬT", "NGHỊ ĐỊNH");
* the type segment of the number's code ("QĐ" in "31/2011/QĐ-UBND", "NĐ" in "NĐ-CP");
* the shape of the document: a code made of issuer abbreviations only
  ("1040/LĐTBXH-NCC", "/UBND-KT") is an official letter, as is a header with "V/v"
  (the subject line) or "Kính gửi:"; a code ending in the National Assembly's term
  ("84/2025/QH15") is a law unless the heading says resolution.

The type with the highest total wins; no evidence gives "".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from ingest.normalize import fold_diacritics

DOC_TYPES = (
    "Kế hoạch", "Quyết định", "Luật", "Nghị định", "Thông tư", "Công văn",
    "Báo cáo", "Thông báo", "Nghị quyết", "Chỉ thị", "Văn bản hợp nhất",
)

ENGLISH = {
    "Kế hoạch": "Plan", "Quyết định": "Decision", "Luật": "Law", "Nghị định": "Decree",
    "Thông tư": "Circular", "Công văn": "Official letter", "Báo cáo": "Report",
    "Thông báo": "Notice", "Nghị quyết": "Resolution", "Chỉ thị": "Directive",
    "Văn bản hợp nhất": "Consolidated text",
}


@dataclass(frozen=True)
class TypeCue:
    """``kind`` is "heading" (folded heading text), "code" (first code segment, exact),
    "code_re" (regex over the whole code) or "shape" (a named structural cue)."""

    doc_type: str
    kind: str
    value: str
    weight: int


CUES: tuple[TypeCue, ...] = (
    # headings (folded, the whole line)
    TypeCue("Kế hoạch", "heading", "ke hoach", 3),
    TypeCue("Kế hoạch", "heading", "ke hoach hanh dong", 3),
    TypeCue("Quyết định", "heading", "quyet dinh", 3),
    TypeCue("Luật", "heading", "luat", 3),
    TypeCue("Nghị định", "heading", "nghi dinh", 3),
    TypeCue("Thông tư", "heading", "thong tu", 3),
    TypeCue("Thông tư", "heading", "thong tu lien tich", 3),
    TypeCue("Công văn", "heading", "cong van", 3),
    TypeCue("Báo cáo", "heading", "bao cao", 3),
    TypeCue("Thông báo", "heading", "thong bao", 3),
    TypeCue("Nghị quyết", "heading", "nghi quyet", 3),
    TypeCue("Chỉ thị", "heading", "chi thi", 3),
    # the type segment of the number's code
    TypeCue("Kế hoạch", "code", "KH", 3),
    TypeCue("Quyết định", "code", "QĐ", 3),
    TypeCue("Nghị định", "code", "NĐ", 3),
    TypeCue("Thông tư", "code", "TT", 3),
    TypeCue("Thông tư", "code", "TTLT", 3),
    TypeCue("Báo cáo", "code", "BC", 3),
    TypeCue("Thông báo", "code", "TB", 3),
    TypeCue("Nghị quyết", "code", "NQ", 3),
    TypeCue("Chỉ thị", "code", "CT", 3),
    TypeCue("Công văn", "code", "CV", 3),
    # a consolidated text (văn bản hợp nhất) of a law, e.g. "01/VBHN-VPQH"
    TypeCue("Văn bản hợp nhất", "code", "VBHN", 4),
    TypeCue("Văn bản hợp nhất", "heading", "van ban hop nhat", 3),
    # the National Assembly's term as the whole code: a law (its resolutions say so in the heading)
    TypeCue("Luật", "code_re", r"QH\d{1,2}", 2),
    # official letters: no type in the code, a subject line, an addressee
    TypeCue("Công văn", "shape", "issuer_only_code", 2),
    TypeCue("Công văn", "shape", "subject_line", 2),
    TypeCue("Công văn", "shape", "addressee", 1),
)

# Codes of other document kinds (not in DOC_TYPES): a code starting with one of them is not
# an "issuer-only" code, so it is no evidence of an official letter.
OTHER_TYPE_CODES = frozenset({
    "CTr", "HD", "TTr", "KL", "QC", "QyĐ", "ĐA", "PA", "GM", "GP", "GCN", "HĐ", "BB", "PL", "TC",
}) | {c.value for c in CUES if c.kind == "code"}

_SUBJECT_LINE = re.compile(r"(?<![^\W_])V/v\b|(?<![^\W_])V/V\b")
_ADDRESSEE = re.compile(r"^\s*[-|]*\s*(?:Kính\s+gửi|KÍNH\s+GỬI)\s*:", re.MULTILINE)


def heading_type(line: str) -> str:
    """The type a heading line names ("QUYẾT ĐỊNH" → "Quyết định"), else ""."""
    folded = " ".join(fold_diacritics(line).strip(" :.").split())
    for cue in CUES:
        if cue.kind == "heading" and cue.value == folded:
            return cue.doc_type
    return ""


def shape_cues(header_text: str, code: str) -> set[str]:
    """Structural cues present in the header text and the number's code."""
    found = set()
    segments = [s for s in code.split("-") if s]
    if segments and segments[0] not in OTHER_TYPE_CODES and not re.fullmatch(r"QH\d{1,2}", code):
        found.add("issuer_only_code")
    if _SUBJECT_LINE.search(header_text):
        found.add("subject_line")
    if _ADDRESSEE.search(header_text):
        found.add("addressee")
    return found


def classify(*, headings: Iterable[str] = (), code: str = "", shapes: Iterable[str] = ()) -> str:
    """The best-supported type from the heading types seen, the code and shape cues."""
    scores: dict[str, int] = {}
    heading_types = set(headings)
    segments = [s for s in code.split("-") if s]
    first = segments[0] if segments else ""
    shapes = set(shapes)
    for cue in CUES:
        hit = (
            (cue.kind == "heading" and cue.doc_type in heading_types)
            or (cue.kind == "code" and first == cue.value)
            or (cue.kind == "code_re" and bool(code) and re.fullmatch(cue.value, code) is not None)
            or (cue.kind == "shape" and cue.value in shapes)
        )
        if hit:
            scores[cue.doc_type] = max(scores.get(cue.doc_type, 0), 0) + cue.weight
    if not scores:
        return ""
    best = max(scores.values())
    winners = [t for t in DOC_TYPES if scores.get(t) == best]
    return winners[0] if len(winners) == 1 else _tie_break(winners, heading_types, first)


def _tie_break(winners: list[str], heading_types: set[str], first_segment: str) -> str:
    """Equal scores: the heading decides, then the code."""
    for t in winners:
        if t in heading_types:
            return t
    for t in winners:
        if any(c.kind == "code" and c.value == first_segment and c.doc_type == t for c in CUES):
            return t
    return winners[0]
