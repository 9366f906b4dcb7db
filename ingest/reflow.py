"""Re-flow hard-wrapped plan text into one logical line per heading/paragraph/item/cell.

Text extracted from PDFs and web pages breaks lines in the middle of sentences,
headings and even agency names ("Sở Lao động\\n- Thương binh và Xã hội"). This
module joins such pieces back together while keeping every real boundary:

* headings and list items start their own line (a "- " line is only glued on when
  it continues a known hyphenated compound such as "Lao động - Thương binh");
* "|" separator lines and the blank lines between one-cell-per-line table cells are
  never crossed; a line holding only a non-breaking space (an empty cell) is kept;
* a blank line is crossed only for a page break inside a sentence: the previous
  paragraph does not end a sentence and the next line starts in lower case;
* header blocks stay readable: "KẾ HOẠCH" stays alone, signer lines ("KT. CHỦ TỊCH",
  "PHÓ CHỦ TỊCH") stay separate, an all-caps line is not glued to a mixed-case one.

Output keeps blank lines where they separate paragraphs or cells.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.structure import is_all_caps, is_appendix_title, line_marker

_SENTENCE_END = (".", "!", "?", "…", "./.", "./")
_SOFT_END = (":", ";")
_RULE_LINE = re.compile(r"^[-_=*~.–—]{3,}$")
_TABLE_LABEL = re.compile(r"^(?:S[ốỐ]\s+)?(?:TT|STT|Stt|S\.TT|Số\s+thứ\s+tự)\.?$")
_DOC_TYPE = re.compile(
    r"^(?:KẾ\s+HOẠCH|QUYẾT\s+ĐỊNH|CÔNG\s+VĂN|THÔNG\s+BÁO|BÁO\s+CÁO|TỜ\s+TRÌNH|CHƯƠNG\s+TRÌNH"
    r"|ĐỀ\s+ÁN|NGHỊ\s+QUYẾT|CHỈ\s+THỊ|HƯỚNG\s+DẪN|KẾT\s+LUẬN)\s*:?$"
)
_SIGNER = re.compile(r"^(?:TM|KT|TL|TUQ|Q|PP)\.\s*\S")
_ROLE = re.compile(
    r"^(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|GIÁM\s+ĐỐC|TỔNG\s+GIÁM\s+ĐỐC|TRƯỞNG\s+BAN|TRƯỞNG\s+PHÒNG|CHÁNH\s+VĂN\s+PHÒNG"
    r"|BÍ\s+THƯ|THỦ\s+TRƯỞNG|VIỆN\s+TRƯỞNG|HIỆU\s+TRƯỞNG|CỤC\s+TRƯỞNG|VỤ\s+TRƯỞNG)\b"
)
_CLOSING = re.compile(r"^(?:Nơi\s+nhận|NƠI\s+NHẬN)\b")
_CONNECTOR_WORDS = frozenset(
    "và của với các cho về tại theo trong là để hoặc những đến từ số ngày thuộc giữa bằng nhằm qua do "
    "được có như gồm hay mà thì trên dưới sau trước khi một hai ba đối tháng năm".split()
)

# Hyphenated compounds that get wrapped as "left\n- right". Compared on folded text.
HYPHEN_COMPOUNDS: tuple[tuple[str, str], ...] = (
    ("lao động", "thương binh"),
    ("lao động", "tb&xh"),
    ("lao động", "việc làm"),
    ("giáo dục nghề nghiệp", "giáo dục thường xuyên"),
    ("gdnn", "gdtx"),
    ("việc làm", "giáo dục nghề nghiệp"),
    ("kinh tế", "xã hội"),
    ("chính trị", "xã hội"),
    ("chính trị", "hành chính"),
    ("giáo dục", "đào tạo"),
    ("văn hóa", "thể thao"),
    ("thể thao", "du lịch"),
    ("khoa học", "công nghệ"),
    ("tài nguyên", "môi trường"),
    ("thông tin", "truyền thông"),
    ("kế hoạch", "đầu tư"),
    ("kế hoạch", "tài chính"),
    ("tài chính", "kế hoạch"),
    ("nông nghiệp", "phát triển nông thôn"),
    ("nông nghiệp", "ptnt"),
    ("nông", "lâm"),
    ("giao thông", "vận tải"),
    ("công nghiệp", "tiểu thủ công nghiệp"),
    ("nhà nước", "nhà trường"),
    ("nhà trường", "nhà doanh nghiệp"),
    ("nhà trường", "doanh nghiệp"),
    ("độc lập", "tự do"),
    ("tự do", "hạnh phúc"),
    ("cung", "cầu"),
    ("y tế", "dân số"),
    ("quốc phòng", "an ninh"),
    ("an ninh", "quốc phòng"),
    ("dân tộc", "tôn giáo"),
    ("nội vụ", "lao động"),
    ("thi đua", "khen thưởng"),
)


def fold(text: str) -> str:
    """Lower-case, no diacritics, đ→d, single spaces (for comparisons only)."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


_FOLDED_CONNECTORS = frozenset(fold(w) for w in _CONNECTOR_WORDS)
_FOLDED_COMPOUNDS = tuple((fold(a), fold(b)) for a, b in HYPHEN_COMPOUNDS)


def _is_blank(line: str) -> bool:
    """Blank = only ordinary whitespace. A non-breaking-space line is an empty cell."""
    return line.strip(" \t\r\f\v") == ""


def _is_nbsp_cell(line: str) -> bool:
    return not _is_blank(line) and line.strip() == ""


def _is_separator(line: str) -> bool:
    return line.strip() == "|"


def _is_inline_row(line: str) -> bool:
    return line.count("|") >= 2 or " | " in line


def _first_word(text: str) -> str:
    return text.split(maxsplit=1)[0] if text.split() else ""


def _last_word(text: str) -> str:
    words = text.split()
    return words[-1] if words else ""


def _starts_lower(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit() or ch in "(\"'“‘[":
            return False
    return False


def _starts_digit(text: str) -> bool:
    return bool(text) and text[0].isdigit()


def _is_capitalized(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and letters[0].isupper()


def _ends_sentence(text: str) -> bool:
    t = text.rstrip().rstrip("\"'”’»)")
    return t.endswith(_SENTENCE_END) or text.rstrip().endswith(_SENTENCE_END)


def _is_standalone(line: str) -> bool:
    """Lines that never take or give continuations."""
    s = line.strip()
    return bool(
        _RULE_LINE.match(s)
        or _TABLE_LABEL.match(s)
        or is_appendix_title(s) and len(s) <= 20
    )


def _compound_continues(prev: str, line: str) -> bool:
    """"Sở Lao động" + "- Thương binh và Xã hội" is one name, not a list item."""
    s = line.strip()
    if not s or s[0] not in "-–" or _ends_sentence(prev) or prev.rstrip().endswith(_SOFT_END):
        return False
    head = fold(s[1:].strip())
    tail = fold(prev)
    return any(tail.endswith(left) and (head == right or head.startswith(right + " ") or head.startswith(right))
               and (len(tail) == len(left) or tail[-len(left) - 1] == " ")
               for left, right in _FOLDED_COMPOUNDS)


@dataclass(frozen=True)
class _Layout:
    """Document-level facts that steer joining."""

    hard_wrapped: bool
    full_width: int  # a raw line at least this long was broken by the page width


def _measure(lines: list[str], cell_lines: set[int]) -> _Layout:
    lengths = []
    open_ends = 0
    total = 0
    for i, line in enumerate(lines):
        s = line.strip()
        if not s or i in cell_lines or _is_separator(line):
            continue
        total += 1
        lengths.append(len(s))
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if nxt and not _ends_sentence(s) and not s.endswith(_SOFT_END) and _starts_lower(nxt):
            open_ends += 1
    if total < 15 or not lengths:
        return _Layout(False, 10**9)
    lengths.sort()
    p90 = lengths[int(len(lengths) * 0.9)]
    hard = open_ends >= 0.15 * total and p90 <= 160
    return _Layout(hard, int(p90 * 0.85) if hard else 10**9)


def _cell_segments(lines: list[str]) -> set[int]:
    """Indices of lines in short runs enclosed by "|" separator lines (table cells)."""
    seps = [i for i, line in enumerate(lines) if _is_separator(line)]
    cells: set[int] = set()
    for a, b in zip(seps, seps[1:]):
        inner = range(a + 1, b)
        if 0 < len(inner) <= 8 and all(not _is_blank(lines[i]) for i in inner):
            cells.update(inner)
    return cells


def _blank_layout_tables(lines: list[str]) -> set[int]:
    """Line indices inside one-cell-per-line tables (cells separated by blank lines).

    Such a table starts at a "TT"/"STT" line followed by a blank line and runs until an
    appendix title, a closing line or the next such table start.
    """
    inside: set[int] = set()
    active = False
    for i, line in enumerate(lines):
        s = line.strip()
        if _TABLE_LABEL.match(s) and i + 1 < len(lines) and _is_blank(lines[i + 1]):
            active = True
        elif active and (is_appendix_title(s) or _CLOSING.match(s)):
            active = False
        elif active and getattr(line_marker(s), "kind", None) == "roman":
            active = False
        if active:
            inside.add(i)
    return inside


def _can_join(prev: str, line: str, *, in_cell: bool, layout: _Layout, prev_raw_len: int) -> bool:
    """Whether ``line`` continues ``prev`` (no blank line between them)."""
    p, s = prev.strip(), line.strip()
    if not p or not s or _is_nbsp_cell(prev) or _is_nbsp_cell(line):
        return False
    if _is_standalone(p) or _is_standalone(s) or _DOC_TYPE.match(p):
        return False
    if _DOC_TYPE.match(s) and not (p.endswith((",", "-", "–")) or fold(_last_word(p)) in _FOLDED_CONNECTORS):
        return False
    if _is_inline_row(p) or _is_inline_row(s):
        return False
    if _SIGNER.match(s) or _ROLE.match(s) or _CLOSING.match(s):
        return False
    if _SIGNER.match(p) and not is_all_caps(s):
        return False
    if is_appendix_title(s):
        return False
    marker = line_marker(s)
    if marker is not None:
        return marker.kind == "list" and _compound_continues(p, s)
    if _ends_sentence(p):
        return False
    if _starts_lower(s):
        return True
    if is_all_caps(p) and not _starts_all_caps_word(s):
        return False
    if _starts_digit(s):
        return True
    if in_cell:
        return True
    if is_all_caps(p) and is_all_caps(s):
        return True
    if p.endswith(_SOFT_END):
        return False
    if s.startswith("("):
        return True
    if p.endswith((",", "-", "–", "&", "/", "(")) or fold(_last_word(p)) in _FOLDED_CONNECTORS:
        return True
    if _is_capitalized(_last_word(p)) and _is_capitalized(_first_word(s)):
        return True  # a proper name broken across lines: "Tổ quốc Việt\nNam"
    return layout.hard_wrapped and prev_raw_len >= layout.full_width


def _starts_all_caps_word(text: str) -> bool:
    word = _first_word(text)
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and not any(c.islower() for c in letters)


def _page_break_join(prev: str, line: str, *, in_table: bool) -> bool:
    """Join across blank lines: a sentence cut by a page break (next part in lower case)."""
    p, s = prev.strip(), line.strip()
    if in_table or not p or not s or _is_nbsp_cell(prev) or _is_nbsp_cell(line):
        return False
    if _is_separator(prev) or _is_standalone(p) or _is_inline_row(p) or _is_inline_row(s):
        return False
    if line_marker(s) is not None or _ends_sentence(p) or p.endswith(":"):
        return False
    return _starts_lower(s) and len(p) >= 40


def reflow(text: str) -> str:
    """Return ``text`` with hard-wrapped lines joined into logical lines.

    One output line per heading, paragraph, list item and table cell; "|" lines,
    non-breaking-space cells and paragraph/cell-separating blank lines are kept.
    """
    lines = [line.rstrip(" \t\r") for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    cell_lines = _cell_segments(lines)
    table_lines = _blank_layout_tables(lines)
    layout = _measure(lines, cell_lines)

    out: list[str] = []
    out_index: list[int] = []  # source index of the last raw line merged into out[k]
    for i, line in enumerate(lines):
        if _is_blank(line):
            out.append("")
            out_index.append(i)
            continue
        if _is_separator(line) or _is_nbsp_cell(line):
            out.append(line.strip() if _is_separator(line) else line)
            out_index.append(i)
            continue
        stripped = line.strip()
        if out and out[-1] and not _is_separator(out[-1]):
            prev_i = out_index[-1]
            in_cell = i in cell_lines and prev_i in cell_lines
            if _can_join(out[-1], stripped, in_cell=in_cell, layout=layout, prev_raw_len=len(lines[prev_i].strip())):
                out[-1] = out[-1].rstrip() + " " + stripped
                out_index[-1] = i
                continue
        elif out and out[-1] == "":
            k = len(out) - 1
            while k >= 0 and out[k] == "":
                k -= 1
            gap = len(out) - 1 - k
            if k >= 0 and gap <= 2:
                in_table = i in table_lines or out_index[k] in table_lines
                if _page_break_join(out[k], stripped, in_table=in_table):
                    del out[k + 1:]
                    del out_index[k + 1:]
                    out[k] = out[k].rstrip() + " " + stripped
                    out_index[k] = i
                    continue
        out.append(stripped)
        out_index.append(i)
    return "\n".join(out)
