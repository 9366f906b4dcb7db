"""Plans and table items a question points at: "kế hoạch 49", "3058/KH-UBND", "plan 72", "mục 2.6"."""
from __future__ import annotations

import re
from typing import Sequence

from assistant._text import fold, fold_chars, nfc
from ingest.types import DocumentMeta

_PLAN_REF_PATTERNS = (
    re.compile(r"(?<![\w/])(\d{1,5})\s*/\s*kh(?:\s*-\s*[a-z&]+)*(?![a-z])"),  # 3058/KH-UBND
    re.compile(r"(?<![\w])(?:ke\s+hoach|kh|plan)\s*(?:so|number|no\.?|#|n°)?\s*(\d{1,5})(?![\d])"),
)


def plan_references(question: str) -> list[tuple[str, int, int]]:
    folded = fold_chars(nfc(question))
    out: list[tuple[str, int, int]] = []
    for pattern in _PLAN_REF_PATTERNS:
        for m in pattern.finditer(folded):
            number = m.group(1).lstrip("0") or "0"
            if len(number) == 4 and 1990 <= int(number) <= 2035 and "/" not in m.group(0):
                continue  # "plan 2022" is a year
            if not any(s <= m.start() < e for _, s, e in out):
                out.append((number, m.start(), m.end()))
    return sorted(out, key=lambda t: t[1])


def _document_number(meta: DocumentMeta) -> str:
    m = re.match(r"\s*(\d+)", meta.number or "")
    if m:
        return m.group(1).lstrip("0") or "0"
    m = re.search(r"(?:^|-)(\d+)-KH", meta.doc_id)
    return (m.group(1).lstrip("0") or "0") if m else ""


def documents_for_numbers(numbers: Sequence[str], documents: Sequence[DocumentMeta]) -> tuple[str, ...]:
    wanted = set(numbers)
    return tuple(d.doc_id for d in documents if _document_number(d) and _document_number(d) in wanted)


_ROW_REF = re.compile(
    r"(?<![\w.])(?:muc|dong|row|item|line|section|phan|so thu tu|stt|tt)\s*(?:so|no\.?|#)?\s*"
    r"((?:\d+(?:\.\d+)*)|(?:[ivxlc]+))(?![\w.]|\.\d)"
)
_DOTTED = re.compile(r"(?<![\w./])(\d{1,2}\.\d{1,2}(?:\.\d{1,2})*)(?![\w/]|\.\d)")  # "2.6", not "6.000"


def row_reference_spans(question: str) -> list[tuple[int, int]]:
    folded = fold_chars(nfc(question))
    return [(m.start(), m.end()) for m in _ROW_REF.finditer(folded)]


def row_references(question: str) -> tuple[str, ...]:
    """Item numbers the question points at: "mục 1.1", "row 2.6", "section III", or a bare "2.6"."""
    folded = fold(question)
    refs = [m.group(1).upper() if m.group(1).isalpha() else m.group(1) for m in _ROW_REF.finditer(folded)]
    refs += [m.group(1) for m in _DOTTED.finditer(folded)]
    return tuple(dict.fromkeys(refs))
