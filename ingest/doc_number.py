"""Document numbers ("số hiệu"): "31/2011/QĐ-UBND", "773/QĐ-TTg", "84/2025/QH15", "1040/LĐTBXH-NCC".

A number is running digits, an optional year, then a code of dash-joined segments: the
document type ("QĐ", "KH", "NĐ" …) and/or the issuer ("UBND", "TTg", "LĐTBXH" …).
Real headers damage it in three ways, all handled here by general rules:

* OCR or PDF spacing inside the code: "U B ND", "Q Đ", "QĐ- UBND" (short capital
  fragments separated by single spaces are one segment);
* a code cut short ("3210/QĐ-U"): a last segment of one or two letters that starts the
  issuer's own abbreviation (read from the issuer cell: "ỦY BAN NHÂN DÂN" → "UBND") is
  completed;
* a draft with blank digits ("Số: /KH-UBND", "Số:      /2025/QĐ-UBND"): the number is
  empty, the code is kept (it still says what kind of document this is).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize import fold_diacritics

_DASHES = "-–—‑"
# "Số:" / "số" / "SỐ" then the number; the label may follow a type word ("Luật số: …").
_LABEL = re.compile(r"(?<![^\W_])(?:Số|SỐ|số)\s*(?::|(?=\s*\d*\s*/))")
_DIGITS_YEAR = re.compile(r"\s*(\d{1,6})?\s*(?:/\s*((?:19|20)\d{2}))?\s*/\s*")
_FRAGMENT = re.compile(r"[^\W_]+(?:&[^\W_]+)*")

# Issuer abbreviations that complete a truncated code, keyed by folded words of the issuer cell.
ISSUER_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("uy ban nhan dan", "UBND"),
    ("hoi dong nhan dan", "HĐND"),
    ("thu tuong", "TTg"),
    ("chinh phu", "CP"),
    ("quoc hoi", "QH"),
)


@dataclass(frozen=True)
class DocNumber:
    """A parsed number: ``number`` is "" when the digits were left blank; ``code`` is
    what follows the digits and year ("QĐ-UBND")."""

    number: str
    code: str
    year: str = ""

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(s for s in self.code.split("-") if s)


def _is_caps_fragment(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and letters[0].isupper()


def _read_code(text: str, pos: int) -> tuple[str, int]:
    """The code starting at ``pos``: segments joined by dashes; short capital fragments
    separated by one space belong together ("U B ND" → "UBND")."""
    segments: list[str] = []
    current = ""
    last_fragment = ""
    i = pos
    n = len(text)
    while i < n:
        m = _FRAGMENT.match(text, i)
        if not m:
            break
        word = m.group()
        if not current and not _is_caps_fragment(word) and not word[0].isdigit():
            break
        if current and not (word[0].isdigit() or _is_caps_fragment(word)):
            break
        current += word
        last_fragment = word
        i = m.end()
        # a dash continues the code with a new segment
        dash = re.compile(rf"\s*[{_DASHES}]\s*").match(text, i)
        if dash and _FRAGMENT.match(text, dash.end()):
            segments.append(current)
            current, last_fragment = "", ""
            i = dash.end()
            continue
        # one space then another short capital fragment: OCR split the segment
        gap = re.compile(r" (?=\S)").match(text, i)
        if gap:
            nxt = _FRAGMENT.match(text, gap.end())
            if (
                nxt
                and len(last_fragment) <= 2
                and len(nxt.group()) <= 2
                and nxt.group().isupper()
                and not text.startswith("/", nxt.end())  # "V/v" opens the subject line
            ):
                i = gap.end()
                continue
        break
    if current:
        segments.append(current)
    return "-".join(segments), i


def _complete(code: str, issuer_cell: str) -> str:
    """"QĐ-U" → "QĐ-UBND" when the issuer cell names a body whose abbreviation starts with "U"."""
    parts = code.split("-")
    last = parts[-1]
    if len(parts) < 2 or not 1 <= len(last) <= 2 or not last.isalpha():
        return code
    folded = fold_diacritics(issuer_cell)
    for words, abbreviation in ISSUER_ABBREVIATIONS:
        if words in folded and abbreviation != last and abbreviation.startswith(last):
            return "-".join(parts[:-1] + [abbreviation])
    return code


def parse_number(text: str, *, issuer_cell: str = "") -> DocNumber | None:
    """The first "Số: …" number in ``text`` (a header cell or line), or None."""
    for label in _LABEL.finditer(text):
        m = _DIGITS_YEAR.match(text, label.end())
        if not m:
            continue
        code, _ = _read_code(text, m.end())
        if not code or not code[0].isalpha():
            continue
        code = _complete(code, issuer_cell)
        digits, year = m.group(1) or "", m.group(2) or ""
        if not digits:
            return DocNumber("", code, year)
        number = f"{digits}/{year}/{code}" if year else f"{digits}/{code}"
        return DocNumber(number, code, year)
    return None


def code_of(number: str) -> str:
    """"31/2011/QĐ-UBND" → "QĐ-UBND"; "" when there is none."""
    m = re.match(r"\s*\d*\s*(?:/\s*(?:19|20)\d{2}\s*)?/\s*(\S+)", number or "")
    return m.group(1) if m else ""
