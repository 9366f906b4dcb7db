"""Split a re-flowed plan into sections using the plan's own heading markers.

Vietnamese plans number their parts "I.", "II." (top level), "1.", "2." (second),
"1.1.", "2.10." (third), "a)", "a.", "đ." (fourth); "-" and "+" are list items, i.e.
body text. Two quirks seen in real files are handled on purpose:

* An all-caps arabic heading ("1. MỤC ĐÍCH, YÊU CẦU", where "I." was meant) is a
  top-level section when no roman section is open.
* A numbered line is only a heading when it is short, reads like a title and is
  followed by body text; long numbered paragraphs ("1. Phòng X: Chủ trì ...") and
  runs of numbered siblings without body between them are list items.

``parse_sections`` returns sections that tile the text: each runs from its heading
(or from the heading of a heading-only parent it absorbed) to the next section.
The part before the first heading is ``("Phần đầu",)``; "Nơi nhận" and the signer
block form ``("Nơi nhận, chữ ký",)``; appendices ("PHỤ LỤC 01", "BIỂU") are top-level
sections titled by their label and caption.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

PREAMBLE_LABEL = "Phần đầu"
CLOSING_LABEL = "Nơi nhận, chữ ký"
BODY_LABEL = "Nội dung"

# Longest line still accepted as a numbered heading (longer ones are list items).
MAX_HEADING_CHARS = 220
MAX_CAPS_HEADING_CHARS = 300

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_RE = re.compile(r"^(?=[IVXLC])(X{0,3})(IX|IV|V?I{0,3})$")

_ROMAN_HEADING = re.compile(r"^(?P<label>[IVXLC]{1,6})\s*[.):]\s*(?P<text>\S.*)$")
_PART_HEADING = re.compile(
    r"^(?P<label>(?:PHẦN|Phần|CHƯƠNG|Chương|MỤC|Mục)\s+(?:[IVXLC]+|\d+|THỨ\s+\S+|thứ\s+\S+))"
    r"\s*[.:\-–]?\s*(?P<text>.*)$"
)
_DOTTED_HEADING = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(?P<text>\S.*)$")
_ARABIC_HEADING = re.compile(r"^(?P<label>\d{1,2})\s*[.)]\s+(?P<text>\S.*)$")
_LETTER_HEADING = re.compile(r"^(?P<label>[a-zđ])\s*[.)]\s+(?P<text>\S.*)$")
_UPPER_LETTER_HEADING = re.compile(r"^(?P<label>[A-ZĐ])\s*[.)]\s+(?P<text>\S.*)$")
_LIST_ITEM = re.compile(r"^[-–—•+*]\s*\S")
_APPENDIX = re.compile(
    r"^(?:(?:PHỤ\s+LỤC|Phụ\s+lục)(?:\s+(?:SỐ|số))?(?:\s+[0-9IVXLC]+[a-z]?)?"
    r"|BIỂU(?:\s+SỐ)?(?:\s+\d+[a-z]?)?|Biểu\s+(?:số\s+)?\d+[a-z]?)\s*[:.]?(?:\s+.*)?$"
)
_APPENDIX_LABEL_ONLY = re.compile(
    r"^(?:PHỤ\s+LỤC|Phụ\s+lục|BIỂU|Biểu)(?:\s+(?:SỐ|số))?(?:\s+[0-9IVXLC]+[a-z]?)?\s*[:.]?$"
)
_CLOSING_START = re.compile(r"^(?:Nơi\s+nhận|NƠI\s+NHẬN)\b")
_SIGNER_START = re.compile(r"^(?:TM|KT|TL|TUQ|Q|PP)\.\s*\S")


@dataclass(frozen=True)
class Marker:
    """A heading/list marker at the start of a line.

    ``kind`` is one of "part", "roman", "caps_arabic", "arabic", "dotted", "letter",
    "upper_letter", "list". ``rank`` orders nesting: smaller is outer.
    """

    kind: str
    label: str
    text: str
    rank: int


@dataclass(frozen=True)
class Section:
    """A contiguous part of the document text.

    ``start``/``end`` tile the text (``end`` is the next section's ``start``);
    ``start`` is at the first heading line the section owns (a heading-only parent
    is absorbed into its first child, so its line belongs here too).
    ``heading_start`` is where this section's own heading line starts (== start
    unless a parent heading was absorbed). ``kind``: "preamble", "body", "closing",
    "appendix".
    """

    path: tuple[str, ...]
    start: int
    end: int
    kind: str = "body"
    heading: str = ""
    heading_start: int = -1
    level: int = 0

    @property
    def title(self) -> str:
        return self.path[-1] if self.path else ""


def roman_value(label: str) -> int | None:
    """Value of an upper-case roman numeral up to 39, else None."""
    if not label or not _ROMAN_RE.match(label):
        return None
    total, prev = 0, 0
    for ch in reversed(label):
        value = _ROMAN_VALUES[ch]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total if 0 < total < 40 else None


def is_all_caps(text: str) -> bool:
    """True when the text has at least two letters and none of them is lower-case."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def line_marker(line: str) -> Marker | None:
    """Classify the marker a (stripped) line starts with, or None for plain text."""
    s = line.strip()
    if not s:
        return None
    if _LIST_ITEM.match(s):
        return Marker("list", s[0], s[1:].strip(), 9)
    m = _PART_HEADING.match(s)
    if m:
        return Marker("part", m.group("label"), m.group("text").strip(), 0)
    m = _ROMAN_HEADING.match(s)
    if m and roman_value(m.group("label")) is not None:
        return Marker("roman", m.group("label"), m.group("text").strip(), 1)
    m = _DOTTED_HEADING.match(s)
    if m:
        depth = m.group("label").count(".") + 1
        return Marker("dotted", m.group("label"), m.group("text").strip(), 1 + depth)
    m = _ARABIC_HEADING.match(s)
    if m:
        text = m.group("text").strip()
        kind = "caps_arabic" if is_all_caps(text) else "arabic"
        return Marker(kind, m.group("label"), text, 1 if kind == "caps_arabic" else 2)
    m = _LETTER_HEADING.match(s)
    if m:
        return Marker("letter", m.group("label"), m.group("text").strip(), 5)
    m = _UPPER_LETTER_HEADING.match(s)
    if m:
        return Marker("upper_letter", m.group("label"), m.group("text").strip(), 1)
    return None


def is_appendix_title(line: str) -> bool:
    """"PHỤ LỤC 01", "Phụ lục số 2", "BIỂU", "BIỂU SỐ 3 ..." (not "Biểu dương ...")."""
    s = line.strip()
    if not s or len(s) > 200:
        return False
    if not _APPENDIX.match(s):
        return False
    if s.startswith(("BIỂU", "PHỤ")):
        # The upper-case form is only a title when the whole line is upper-case.
        return is_all_caps(s)
    return bool(_APPENDIX_LABEL_ONLY.match(s)) or len(s) <= 40


def is_closing_start(line: str) -> bool:
    """"Nơi nhận:" or a signer line ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")."""
    s = line.strip()
    return bool(_CLOSING_START.match(s) or (_SIGNER_START.match(s) and is_all_caps(s)))


def _has_inner_sentence_break(text: str) -> bool:
    """"Foo. Bar" inside the text (a heading is one sentence at most)."""
    return bool(re.search(r"[.!?]\s+[A-ZĐÀ-ỸẠ-Ỹ]", text.rstrip(".;:")))


# --------------------------------------------------------------------------- lines


@dataclass(frozen=True)
class _Line:
    index: int
    start: int
    end: int
    text: str  # stripped


def _split_lines(text: str) -> list[_Line]:
    lines, pos = [], 0
    for i, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        lines.append(_Line(i, pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


def _inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in spans)


def _is_content(line: _Line) -> bool:
    """Non-blank and not a bare table separator."""
    return bool(line.text) and line.text != "|"


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _Heading:
    line: _Line
    title: str
    rank: int
    kind: str  # "heading", "appendix", "closing"


def _appendix_title(lines: list[_Line], i: int, excluded: Sequence[tuple[int, int]]) -> str:
    """The appendix label plus its upper-case caption lines ("PHỤ LỤC 04 KẾ HOẠCH …")."""
    parts = [lines[i].text]
    j = i + 1
    taken = 0
    while j < len(lines) and taken < 2:
        line = lines[j]
        j += 1
        if not line.text or line.text == "\xa0":
            continue
        if _inside(line.start, excluded) or line.text == "|" or line.text.startswith("("):
            break
        if not is_all_caps(line.text) or line_marker(line.text) is not None:
            break
        if len(line.text) <= 3:  # "TT"
            break
        parts.append(line.text)
        taken += 1
    return " ".join(parts)


@dataclass(frozen=True)
class _Candidate:
    line: _Line
    marker: Marker
    rank: int
    heading: bool


# In a run of numbered siblings that are mostly list items, only a line this short
# may still be a sub-heading ("g. Trường Cao đẳng Bắc Kạn:").
SHORT_HEADING_CHARS = 80


def _find_headings(lines: list[_Line], excluded: Sequence[tuple[int, int]]) -> list[_Heading]:
    content = [ln for ln in lines if _is_content(ln) and not _inside(ln.start, excluded)]
    found: list[_Heading | _Candidate] = []
    roman_open = False
    closing_seen = False
    for pos, line in enumerate(content):
        text = line.text
        if is_appendix_title(text):
            found.append(_Heading(line, _appendix_title(lines, line.index, excluded), 0, "appendix"))
            roman_open = False
            closing_seen = False
            continue
        if not closing_seen and pos > 0 and is_closing_start(text):
            found.append(_Heading(line, CLOSING_LABEL, 0, "closing"))
            closing_seen = True
            continue
        if closing_seen:
            continue
        marker = line_marker(text)
        if marker is None or marker.kind == "list":
            continue
        rank = marker.rank
        if marker.kind == "caps_arabic" and roman_open:
            rank = 2
        heading = _looks_like_heading(marker, text, content, pos, rank)
        if heading and marker.kind in ("roman", "part", "upper_letter"):
            roman_open = True
        found.append(_Candidate(line, marker, rank, heading))
    found = _demote_items_among_items(found)
    headings: list[_Heading] = []
    for item in found:
        if isinstance(item, _Heading):
            headings.append(item)
        elif item.heading:
            headings.append(_Heading(item.line, item.line.text, item.rank, "heading"))
    return headings


def _demote_items_among_items(found: list) -> list:
    """Numbered siblings are usually all headings or all list items; follow the majority."""
    groups: list[list[int]] = []
    open_groups: dict[tuple[str, int], list[int]] = {}
    for k, item in enumerate(found):
        if isinstance(item, _Heading):
            open_groups.clear()
            continue
        if not item.heading and item.marker.kind in ("roman", "part"):
            continue
        # An outer marker closes the sibling runs nested below it.
        for key in [key for key in open_groups if key[1] > item.rank]:
            del open_groups[key]
        key = (item.marker.kind, item.rank)
        if key not in open_groups:
            open_groups[key] = []
            groups.append(open_groups[key])
        open_groups[key].append(k)
    out = list(found)
    for group in groups:
        headings = sum(found[k].heading for k in group)
        if len(group) >= 3 and len(group) - headings > headings:
            for k in group:
                if found[k].heading and len(found[k].line.text) > SHORT_HEADING_CHARS:
                    out[k] = replace(found[k], heading=False)
    return out


def _looks_like_heading(marker: Marker, text: str, content: list[_Line], pos: int, rank: int) -> bool:
    if marker.kind in ("roman", "part") or (marker.kind == "caps_arabic" and rank == 1):
        return len(text) <= MAX_CAPS_HEADING_CHARS
    limit = MAX_CAPS_HEADING_CHARS if is_all_caps(marker.text) else MAX_HEADING_CHARS
    if len(text) > limit or text.endswith((";", ",")):
        return False
    if _has_inner_sentence_break(marker.text):
        return False
    # Must be followed by body: the next content line is not a sibling/outer marker.
    if pos + 1 >= len(content):
        return False
    nxt = content[pos + 1].text
    if is_closing_start(nxt) or is_appendix_title(nxt):
        return False
    nxt_marker = line_marker(nxt)
    if nxt_marker is not None and nxt_marker.kind != "list" and nxt_marker.rank <= rank:
        return False
    return True


def parse_sections(text: str, *, exclude: Sequence[tuple[int, int]] = ()) -> list[Section]:
    """Sections of a re-flowed document, in order, tiling ``text``.

    ``exclude`` lists (start, end) spans (tables) whose lines are never headings.
    """
    if not text.strip():
        return []
    lines = _split_lines(text)
    headings = _find_headings(lines, exclude)
    first_content = next((ln.start for ln in lines if ln.text), 0)

    if not headings:
        return [Section((BODY_LABEL,), 0, len(text), "body", "", first_content, 0)]

    raw: list[Section] = []
    if any(ln.text for ln in lines if ln.end <= headings[0].line.start):
        if any(h.kind == "heading" for h in headings):
            lead = Section((PREAMBLE_LABEL,), 0, headings[0].line.start, "preamble", "", first_content, 0)
        else:  # no numbered headings: the text before the closing/appendix is the body
            lead = Section((BODY_LABEL,), 0, headings[0].line.start, "body", "", first_content, 0)
        raw.append(lead)

    stack: list[tuple[int, str]] = []  # (rank, title)
    for k, head in enumerate(headings):
        end = headings[k + 1].line.start if k + 1 < len(headings) else len(text)
        if head.kind in ("appendix", "closing"):
            stack = [(head.rank, head.title)]
            kind = head.kind
        else:
            while stack and stack[-1][0] >= head.rank:
                stack.pop()
            stack.append((head.rank, head.title))
            kind = "body"
        path = tuple(title for _, title in stack)
        start = 0 if not raw and k == 0 else head.line.start
        raw.append(Section(path, start, end, kind, head.title, head.line.start, len(path)))

    return _absorb_heading_only(raw, text)


def _absorb_heading_only(sections: list[Section], text: str) -> list[Section]:
    """Fold a section that holds only its heading into the next one when that is its child.

    "III. TỔ CHỨC THỰC HIỆN" directly followed by "1. Sở ..." yields one section with
    path ("III. …", "1. Sở …") starting at the "III." line, so the heading line is
    kept (and covered) without an empty chunk.
    """
    out = list(sections)
    result: list[Section] = []
    for i, sec in enumerate(out):
        nxt = out[i + 1] if i + 1 < len(out) else None
        if (
            nxt is not None
            and sec.kind == "body"
            and sec.heading
            and not _has_content(_after_first_line(text[sec.heading_start:sec.end]))
            and nxt.kind == "body"
            and len(nxt.path) > len(sec.path)
            and nxt.path[: len(sec.path)] == sec.path
        ):
            out[i + 1] = Section(nxt.path, sec.start, nxt.end, nxt.kind, nxt.heading, nxt.heading_start, nxt.level)
            continue
        result.append(sec)
    return result


def _after_first_line(text: str) -> str:
    parts = text.split("\n", 1)
    return parts[1] if len(parts) > 1 else ""


def _has_content(text: str) -> bool:
    return any(line.strip() not in ("", "|") for line in text.split("\n"))
