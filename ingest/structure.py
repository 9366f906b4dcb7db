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

Legal and administrative documents (laws, decrees, circulars, decisions: anything with
"Điều N." articles) follow their own hierarchy, read by ``ingest.legal``: Phần › Chương ›
Mục › Điều › khoản ("1.") › điểm ("a)"), with chapter titles on the line after
"Chương II" and amended articles quoted inside an article left as content. A document
attached to a decision after its signature ("QUY ĐỊNH …", "QUY CHẾ …", "KẾ HOẠCH …" with
"(Ban hành kèm theo Quyết định số …)") is its own top-level unit titled by its title; the
header cells printed above it (agency, motto, number) belong to that title section, not
to a body section. When a decision has such an attachment, its own articles are placed
under the decision's type heading ("QUYẾT ĐỊNH"), so the two sets of articles never share
a path. Flattened table rows of the signer block ("| Nơi nhận: … | TM. … |") start the
closing section like plain "Nơi nhận:" lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

from ingest import legal
from ingest.doctype import heading_type

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
    heading_end: int = -1  # end of the heading's last line (a chapter title may follow on the next line)

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


def _signer_cell(cell: str) -> bool:
    """"TM. UỶ BAN NHÂN DÂN TỈNH CHỦ TỊCH Phạm Thế Dũng": a signer title, then perhaps the name."""
    if not _SIGNER_START.match(cell):
        return False
    words = cell.split()
    upper = [w for w in words if is_all_caps(w) or not any(c.isalpha() for c in w)]
    return len(upper) >= max(2, len(words) - 5)


def is_closing_line(line: str) -> bool:
    """``is_closing_start``, also for a row of a flattened table ("| Nơi nhận: … | TM. … |")."""
    if is_closing_start(line):
        return True
    s = line.strip()
    if not s.startswith("|"):
        return False
    cells = [c.strip() for c in s.strip("|").split("|")]
    return any(_CLOSING_START.match(c) or _signer_cell(c) for c in cells if c)


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
    last: _Line | None = None  # the heading's last line when it spans two (chapter + its title)
    root: str = ""  # outer title the heading nests under when its unit has no heading line of its own


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


def _find_headings(lines: list[_Line], excluded: Sequence[tuple[int, int]], lo: int = 0,
                   hi: int | None = None) -> list[_Heading]:
    """Plan headings among ``lines[lo:hi]`` (indexes stay global: appendix captions look ahead)."""
    content = [ln for ln in lines[lo:hi] if _is_content(ln) and not _inside(ln.start, excluded)]
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
        if not closing_seen and pos > 0 and is_closing_line(text):
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
    if _has_articles(lines, exclude):
        headings = _legal_headings(lines, exclude)
    else:
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
            if not stack and head.root:
                stack.append((0, head.root))
            stack.append((head.rank, head.title))
            kind = "body"
        path = tuple(title for _, title in stack)
        start = 0 if not raw and k == 0 else head.line.start
        heading_end = (head.last or head.line).end
        raw.append(Section(path, start, end, kind, head.title, head.line.start, len(path), heading_end))

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
        after = text[sec.heading_end:sec.end] if sec.heading_end >= 0 else _after_first_line(
            text[sec.heading_start:sec.end])
        # an attachment title printed under its own header cells keeps them in its own section
        first_line = text[sec.heading_start:sec.end].split("\n", 1)[0] if sec.heading_start >= 0 else ""
        furnished = sec.kind == "appendix" and not (legal.is_attachment_word_line(first_line)
                                                    or is_appendix_title(first_line))
        if (
            nxt is not None
            and not furnished
            and sec.kind in ("body", "appendix")
            and sec.heading
            and not _has_content(after)
            and nxt.kind == "body"
            and len(nxt.path) > len(sec.path)
            and nxt.path[: len(sec.path)] == sec.path
        ):
            out[i + 1] = Section(nxt.path, sec.start, nxt.end, nxt.kind, nxt.heading, nxt.heading_start, nxt.level,
                                 nxt.heading_end)
            continue
        result.append(sec)
    return result


def _after_first_line(text: str) -> str:
    parts = text.split("\n", 1)
    return parts[1] if len(parts) > 1 else ""


def _has_content(text: str) -> bool:
    return any(line.strip() not in ("", "|") for line in text.split("\n"))



# --------------------------------------------------------------------------- legal documents

# ranks: attachments/appendices/closing are 0; a legal unit's levels start at 1
_LEGAL_BASE = 1
_HEADER_WALK_BACK = 12
_NOTE_LOOKAHEAD = 5
_ROLE_LINE = re.compile(
    r"^(?:(?:TM|KT|TL|TUQ|Q|PP)\.\s*)?(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|GIÁM\s+ĐỐC|THỦ\s+TƯỚNG|BỘ\s+TRƯỞNG|TRƯỞNG\s+BAN"
    r"|CỤC\s+TRƯỞNG|CHÁNH\s+VĂN\s+PHÒNG|THỨ\s+TRƯỞNG)\b"
)


def _has_articles(lines: list[_Line], excluded: Sequence[tuple[int, int]]) -> bool:
    quotes = legal.QuoteTracker()
    for ln in lines:
        if not ln.text or _inside(ln.start, excluded):
            continue
        if not quotes.inside(ln.text) and legal.is_article_line(ln.text):
            return True
    return False


def _content_lines(lines: list[_Line], excluded: Sequence[tuple[int, int]], lo: int = 0, hi: int | None = None):
    return [ln for ln in lines[lo:hi] if _is_content(ln) and not _inside(ln.start, excluded)]


def _is_header_furniture(text: str) -> bool:
    """A header line of an attached document printed above its title: agency, motto, number, date."""
    s = text.strip(" |")
    if not s or re.fullmatch(r"[\s\-_=~*|]+", s):
        return True
    if _ROLE_LINE.match(s) or is_closing_start(s):
        return False
    folded = _fold(s)
    if "doc lap" in folded or "hanh phuc" in folded or "cong hoa xa hoi" in folded:
        return True
    if re.match(r"(?:so|so hieu)\s*:", folded) or re.search(r",\s*ngay\b", folded):
        return True
    return is_all_caps(s) and len(s) <= 120


def _fold(text: str) -> str:
    from ingest.normalize import fold_diacritics

    return " ".join(fold_diacritics(text).split())


def _attachment_start(content: list[_Line], pos: int, closing_seen: bool) -> bool:
    """An attached document's title at ``content[pos]``: a title word line after the
    decision's signature, or one followed closely by "(Ban hành kèm theo …)"."""
    line = content[pos].text
    if not legal.is_attachment_word_line(line):
        return False
    if pos > 0 and legal.outer_mark(content[pos - 1].text) is not None:
        return False  # "Chương I" / "QUY ĐỊNH CHUNG": a chapter title, not an attachment
    if pos > 0 and is_appendix_title(content[pos - 1].text):
        return False  # "PHỤ LỤC" / "DANH MỤC …": the appendix's caption
    if closing_seen:
        return True
    window = content[pos:pos + _NOTE_LOOKAHEAD]
    return any(legal.has_attached_note(ln.text) for ln in window)


def _attachment_title(content: list[_Line], pos: int) -> tuple[str, _Line]:
    """Title of an attachment: the title word line plus its upper-case caption lines; and the
    last line of the title block (through the "(Ban hành kèm theo …)" note)."""
    parts = [content[pos].text.rstrip(":")]
    last = content[pos]
    j = pos + 1
    while j < len(content) and j <= pos + 4:
        text = content[j].text
        if legal.outer_mark(text) is not None or is_appendix_title(text):
            break
        if legal.is_attached_note(text):
            last = content[j]
            j += 1
            continue
        note = re.search(r"\(\s*(?:[Bb]an\s+hành\s+)?[Kk]èm\s+theo", text)
        caption = text[: note.start()].strip() if note else text
        noted = note is not None or (j + 1 < len(content) and legal.is_attached_note(content[j + 1].text))
        if caption and (is_all_caps(caption) or (len(parts) == 1 and len(caption) <= 300
                                                  and (noted or not caption.endswith(".")))):
            parts.append(caption)
            last = content[j]
            j += 1
            if note:
                break
            continue
        break
    return " ".join(" ".join(parts).split()), last


def _walk_back_header(content: list[_Line], pos: int, floor: int) -> int:
    """Index of the first header line printed right above an attachment's title."""
    k = pos
    while k - 1 > floor and pos - (k - 1) <= _HEADER_WALK_BACK and _is_header_furniture(content[k - 1].text):
        k -= 1
    while k < pos and re.fullmatch(r"[\s\-_=~*|]+", content[k].text):
        k += 1  # a table's separator row belongs to the block above
    return k


def _main_title(content: list[_Line], limit: int) -> str:
    """The decision's own type heading ("QUYẾT ĐỊNH"), the outer title of its articles."""
    for ln in content[:limit]:
        if heading_type(ln.text) and not legal.is_enacting_line(ln.text):
            return " ".join(ln.text.split())
    return "Văn bản chính"


def _legal_headings(lines: list[_Line], excluded: Sequence[tuple[int, int]]) -> list[_Heading]:
    """Headings of a document with articles: units (the document, its attachments and
    appendices, its closing blocks), each parsed as legal or as plan structure."""
    content = _content_lines(lines, excluded)
    # 1. unit boundaries
    units: list[tuple[int, _Heading | None]] = [(0, None)]  # (content index where the unit starts, its heading)
    closings: list[_Heading] = []
    closing_seen = False
    article_seen = False
    quotes = legal.QuoteTracker()
    for pos, ln in enumerate(content):
        quoted = quotes.inside(ln.text)
        if quoted:
            continue
        text = ln.text
        if legal.is_article_line(text):
            article_seen = True
        if pos > 0 and is_appendix_title(text):
            units.append((pos, _Heading(ln, _appendix_title(lines, ln.index, excluded), 0, "appendix")))
            closing_seen = False
            continue
        if (article_seen or closing_seen) and _attachment_start(content, pos, closing_seen):
            title, last = _attachment_title(content, pos)
            first = _walk_back_header(content, pos, units[-1][0] if not closings else
                                      content.index(closings[-1].line) if closings[-1].line in content else 0)
            units.append((first, _Heading(content[first], title, 0, "appendix", last=last)))
            closing_seen = False
            continue
        if not closing_seen and article_seen and pos > 0 and is_closing_line(text):
            closings.append(_Heading(ln, CLOSING_LABEL, 0, "closing"))
            closing_seen = True
    has_attachments = any(h is not None and h.kind == "appendix" and not is_appendix_title(h.line.text)
                          for _, h in units)

    # 2. headings per unit
    headings: list[_Heading] = []
    for u, (first, head) in enumerate(units):
        last = units[u + 1][0] if u + 1 < len(units) else len(content)
        if head is not None:
            headings.append(head)
        lo = content[first].index if first < len(content) else len(lines)
        hi = content[last].index if last < len(content) else len(lines)
        unit_lines = content[first + (1 if head is not None else 0):last]
        if head is not None and head.last is not None:
            unit_lines = [ln for ln in unit_lines if ln.start > head.last.start]
        unit_closings = [c for c in closings if lo <= c.line.index < hi]
        body_end = unit_closings[0].line.start if unit_closings else None
        if any(legal.is_article_line(ln.text) for ln in unit_lines):
            root = _main_title(content, first + 12) if (u == 0 and has_attachments) else ""
            headings.extend(_unit_legal_headings(unit_lines, body_end, root))
        elif head is not None or u > 0:
            inner = _find_headings(lines, excluded, lo + 1 if head is not None else lo, hi)
            headings.extend(h for h in inner if h.kind != "appendix" or h.line.index != lo)
            continue
        headings.extend(unit_closings)
    headings.sort(key=lambda h: h.line.start)
    # the closing of a unit ends it: no body heading after it inside the same unit
    out: list[_Heading] = []
    closed = False
    for h in headings:
        if h.kind == "closing":
            closed = True
        elif h.kind == "appendix":
            closed = False
        elif closed:
            continue
        out.append(h)
    return out


def _unit_legal_headings(unit_lines: list[_Line], body_end: int | None, root: str) -> list[_Heading]:
    """Phần/Chương/Mục/Điều/khoản/điểm of one legal unit (quoted amendments skipped)."""
    out: list[_Heading] = []
    quotes = legal.QuoteTracker()
    in_article = False
    clause_open = False
    skip_next = False
    for k, ln in enumerate(unit_lines):
        if body_end is not None and ln.start >= body_end:
            break
        if skip_next:
            skip_next = False
            quotes.inside(ln.text)
            continue
        if quotes.inside(ln.text):
            continue
        mark = legal.outer_mark(ln.text)
        if mark is not None and (mark.rank == legal.RANK_ARTICLE or not in_article or _starts_new_block(mark)):
            rank = _LEGAL_BASE + mark.rank
            if mark.rank == legal.RANK_ARTICLE:
                out.append(_Heading(ln, legal.article_label(mark), rank, "heading", root=root))
                in_article, clause_open = True, False
                continue
            title_line = None
            if not mark.title and k + 1 < len(unit_lines):
                nxt = unit_lines[k + 1]
                if legal.is_upper_line(nxt.text) and legal.outer_mark(nxt.text) is None:
                    title_line = nxt
            label = legal.heading_label(mark, title_line.text if title_line else "")
            out.append(_Heading(ln, " ".join(label.split()), rank, "heading", last=title_line, root=root))
            skip_next = title_line is not None
            in_article, clause_open = False, False
            continue
        if not in_article:
            continue
        inner = legal.inner_mark(ln.text)
        if inner is None:
            continue
        if inner.rank == legal.RANK_CLAUSE:
            clause_open = True
        out.append(_Heading(ln, inner.label, _LEGAL_BASE + inner.rank, "heading", root=root))
    return out


def _starts_new_block(mark: legal.LegalMark) -> bool:
    """Inside an article Phần/Chương start a new block, and "Mục 2" only with an upper-case
    title of its own ("Mục 2. THANH TRA TỈNH"), not as an item ("Mục 2 của Phụ lục …")."""
    if mark.rank in (legal.RANK_PART, legal.RANK_CHAPTER):
        return True
    return mark.rank == legal.RANK_SECTION and (not mark.title or legal.is_upper_line(mark.title))
