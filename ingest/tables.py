"""Read tables that survived text extraction as plain lines.

Three cell layouts are recognised, none tied to a particular file:

* pipe: one cell per (group of) line(s), each cell followed by a line holding only
  "|" (web-page dumps; a cell may span several lines);
* blank: one cell per line, cells separated by blank lines, an empty cell being a
  line with only a non-breaking space (HTML/DOCX dumps);
* inline: one row per line, cells separated by " | " (what the DOCX/HTML loaders
  emit), optionally with leading/trailing pipes and markdown "---" rule rows.

For the first two layouts the text is a flat stream of cells; rows are recovered
from their "TT" cells (I, II, 1, 2, 1.1, 2.10 … followed by a text cell) checked
against a plausible numbering sequence, and aligned to the column count that most
rows have: rows with extra cells had multi-paragraph cells ("- " bullets) which
are merged back, short rows are group/total rows whose label cell spanned several
columns. A two-level header (a spanning group label over sub-columns, e.g.
"KINH PHÍ (triệu đồng)" over "Năm 2022 … Năm 2025") is flattened to
"group / sub" labels. Group rows ("I", "II" …) stay rows; ``row_contexts`` gives,
for each row, the labels of the group rows above it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from ingest.structure import is_all_caps, is_appendix_title, is_closing_start, line_marker, roman_value
from ingest.types import Table

MAX_CELL_LINES = 8
MAX_TITLE_LINES = 4

_TT_LABEL = re.compile(r"^(?:S[ốỐ]\s+)?(?:TT|STT|Stt|S\.TT|Số\s+thứ\s+tự)\.?$")
_TT_VALUE = re.compile(r"^\d{1,3}(?:\.\d{1,2}){0,3}\.?$")
_HEADER_WORDS = re.compile(
    r"(nội dung|đơn vị|chủ trì|phối hợp|thời gian|kinh phí|mục tiêu|ghi chú|chỉ tiêu|tỷ lệ|tỉ lệ|kết quả"
    r"|sản phẩm|cơ quan|nhiệm vụ|số lượng|dự toán|nguồn vốn|tiến độ|hoàn thành|trách nhiệm|địa bàn"
    r"|hạng mục|giai đoạn|năm \d{4}|đvt|đơn vị tính|thẩm quyền|lãnh đạo)",
    re.IGNORECASE,
)
# Labels that may open a header row when there is no "TT" column.
_ANCHOR_WORDS = re.compile(
    r"^(?:nội dung|đơn vị|chỉ tiêu|nhiệm vụ|hạng mục|danh mục|tên|cơ quan|địa bàn|địa phương|lĩnh vực)\b",
    re.IGNORECASE,
)
_TOTAL_LABEL = re.compile(
    r"^(?:TỔNG|Tổng)\s+(?:CỘNG|cộng|SỐ|số|KINH\s+PHÍ|kinh\s+phí)\b|^(?:TOÀN|Toàn)\s+(?:TỈNH|tỉnh|THÀNH\s+PHỐ|thành\s+phố"
    r"|HUYỆN|huyện|QUỐC|quốc|NGÀNH|ngành)\b|^(?:CỘNG|Cộng)\s*:?$|^TỔNG\s*:?$"
)
_SUB_LABEL = re.compile(
    r"(\b(?:19|20)\d{2}\b|^(?:tổng|cộng)|^(?:nam|nữ|số lượng|số tiền|tỷ lệ|tỉ lệ|kế hoạch|thực hiện|ước thực hiện"
    r"|so sánh|trong đó|tổng số|đvt|đơn vị tính|giá trị|chỉ tiêu|kết quả|dự kiến|ngân sách|khác|số)\b)",
    re.IGNORECASE,
)
_GROUP_HINT = re.compile(r"(\([^)]*\)\s*$|trong đó|chia ra|bao gồm|phân theo|thời gian)", re.IGNORECASE)
_MD_RULE_ROW = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


@dataclass(frozen=True)
class _Cell:
    text: str
    start: int  # offset of the cell's first character
    end: int  # offset after the cell's last character (or its separator)


def _is_blank(line: str) -> bool:
    return line.strip(" \t\r\f\v") == ""


def _is_separator(line: str) -> bool:
    return line.strip() == "|"


def _cell_text(raw: str) -> str:
    """Cell text with whitespace folded; a non-breaking-space-only cell is empty."""
    return " ".join(raw.split())


def _is_tt(text: str) -> bool:
    return bool(_TT_VALUE.match(text) or roman_value(text) is not None)


def _is_text(text: str) -> bool:
    letters = sum(c.isalpha() for c in text)
    return letters >= 2 and text.lower() not in ("x", "-")


def _is_total(text: str) -> bool:
    return bool(_TOTAL_LABEL.match(text.strip()))


def _inline_cells(line: str) -> list[str] | None:
    s = line.strip()
    if "|" not in s or _is_separator(s):
        return None
    if s.startswith("|"):  # markdown style: "| a | b |"
        s = s[1:]
        if s.endswith("|"):
            s = s[:-1]
    # Otherwise a trailing "|" closes an empty last cell ("3 | Kiểm tra | x | " after rstrip).
    cells = [_cell_text(c) for c in s.split("|")]
    return cells if len(cells) >= 2 else None


def _is_inline_row(line: str) -> bool:
    s = line.strip()
    return bool(_inline_cells(s)) and (" | " in s or s.startswith("|"))


# ----------------------------------------------------------------- numbering


class _Numbering:
    """Tracks TT labels so a stray number inside a row is not taken for a new row."""

    def __init__(self) -> None:
        self.roman: int | None = None
        self.last: tuple[int, ...] | None = None

    def accepts(self, label: str) -> bool:
        value = roman_value(label)
        if value is not None:
            if self.roman is None:
                return value <= 3
            return self.roman < value <= self.roman + 2
        comps = tuple(int(p) for p in label.rstrip(".").split("."))
        if self.last is None:
            return all(c <= 2 for c in comps) or len(comps) == 1 and comps[0] <= 2
        if len(comps) == 1:
            k = comps[0]
            return k <= 2 or self.last[0] < k <= self.last[0] + 3
        parent, k = comps[:-1], comps[-1]
        depth = len(comps)
        if tuple(self.last[: depth - 1]) == parent:
            if len(self.last) < depth:
                return k <= 2  # first child of the previous row ("1" → "1.1")
            return self.last[depth - 1] < k <= self.last[depth - 1] + 3
        # First child of a parent that had no row of its own ("1.4" → "2.1").
        if k > 2 or len(self.last) < len(parent):
            return False
        return parent[:-1] == self.last[: len(parent) - 1] and parent[-1] == self.last[len(parent) - 1] + 1

    def push(self, label: str) -> None:
        value = roman_value(label)
        if value is not None:
            self.roman = value
            return
        self.last = tuple(int(p) for p in label.rstrip(".").split("."))


def _is_row_start(cells: Sequence[_Cell], i: int, numbering: _Numbering | None) -> bool:
    text, nxt = cells[i].text, cells[i + 1].text
    if _is_tt(text) and _is_text(nxt):
        return numbering is None or numbering.accepts(text)
    return False


def _is_child(label: str, parent: str) -> bool:
    return bool(_TT_VALUE.match(label)) and label.rstrip(".").startswith(parent.rstrip(".") + ".")


def _row_starts(cells: Sequence[_Cell]) -> list[int]:
    """Indices of the cells that start rows.

    A row starts at a TT cell followed by a text cell whose number fits the
    sequence so far. A row is normally at least 60% as long as the header, so a
    number inside a row ("2 | lớp" in a quantity column) is not a new row; shorter
    rows are accepted after a group row (roman TT, or "1" followed by "1.1"),
    whose label cell may span several columns.
    """
    n = len(cells)
    first = next((i for i in range(2, n - 1) if _is_row_start(cells, i, _Numbering())), None)
    if first is None:
        return []
    header_len = len(_drop_column_numbers([c.text for c in cells[:first]]))
    min_gap = max(2, -(-header_len * 6 // 10))
    numbering = _Numbering()
    starts: list[int] = []
    i = first
    while i < n - 1:
        text, nxt = cells[i].text, cells[i + 1].text
        gap_ok = not starts or i - starts[-1] >= min_gap
        if _is_row_start(cells, i, numbering):
            prev = cells[starts[-1]].text if starts else ""
            if gap_ok or roman_value(prev) is not None or _is_child(text, prev):
                starts.append(i)
                numbering.push(text)
                i += 2
                continue
        if starts and gap_ok and text == "" and _is_total(nxt):
            starts.append(i)
            i += 2
            continue
        if starts and gap_ok and _is_total(text) and is_all_caps(text):
            starts.append(i)
            i += 1
            continue
        i += 1
    return starts


# ----------------------------------------------------------------- header


def _drop_column_numbers(cells: list[str]) -> list[str]:
    """Remove a trailing "1 | 2 | 3 …" or "(1) | (2) …" column-numbering run."""
    nums = []
    for text in cells:
        m = re.fullmatch(r"\(?(\d{1,2})\)?", text)
        nums.append(int(m.group(1)) if m else None)
    for start in range(len(cells)):
        run = nums[start:]
        if len(run) >= 3 and run == list(range(1, len(run) + 1)):
            return cells[:start]
    return cells


def _is_sub_label(text: str) -> bool:
    t = text.strip()
    if not t or len(t) > 45:
        return False
    if _SUB_LABEL.search(t):
        return True
    letters = [c for c in t if c.isalpha()]
    return 2 <= len(letters) <= 6 and is_all_caps(t) and " " not in t


def _resolve_header(cells: list[str], ncols: int) -> tuple[str, ...]:
    """Header labels, one per column; a two-level header becomes "group / sub"."""
    cells = _drop_column_numbers(cells)
    h = len(cells)
    if h == ncols:
        return tuple(cells)
    if h < ncols:
        return tuple(cells) + tuple(f"Cột {j + 1}" for j in range(h, ncols))
    groups = h - ncols
    run = 0
    for text in reversed(cells):
        if not _is_sub_label(text):
            break
        run += 1
    subs_n = min(max(run, 2 * groups), h - groups - 1)
    if subs_n < 2 * groups:
        # Not explainable as a two-level header: keep the first labels, fold the rest.
        return tuple(cells[: ncols - 1]) + (" / ".join(cells[ncols - 1:]),)
    return _flatten(cells[: h - subs_n], cells[h - subs_n:], groups)


def _flatten(top: list[str], subs: list[str], groups: int) -> tuple[str, ...]:
    """Labels for a top header line whose ``groups`` spanning cells sit over ``subs``."""
    subs_n = len(subs)
    candidates = [j for j in range(len(top)) if not (j == 0 and _TT_LABEL.match(top[j]))]
    scored = sorted(candidates, key=lambda j: (bool(_GROUP_HINT.search(top[j])), len(top[j]), j), reverse=True)
    group_idx = sorted(scored[:groups])
    spans = [subs_n // groups + (1 if k < subs_n % groups else 0) for k in range(groups)]
    labels: list[str] = []
    sub_pos = 0
    for j, text in enumerate(top):
        if j in group_idx:
            span = spans[group_idx.index(j)]
            labels.extend(f"{text} / {sub}" for sub in subs[sub_pos:sub_pos + span])
            sub_pos += span
        else:
            labels.append(text)
    return tuple(labels)


def _undouble(label: str) -> str:
    """"TT TT" → "TT": a merged cell some converters write once per grid column/row."""
    words = label.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return label


def _merge_header_rows(top: list[str], sub: list[str]) -> list[str]:
    """Inline layout: combine two header lines column by column.

    A spanning top cell may be repeated per column, left blank after its first
    column, or written once (then the top line has fewer cells: the cells equal in
    both lines are the vertically merged ones, the others span what lies between).
    """
    top = [_undouble(t) for t in top]
    sub = [_undouble(s) for s in sub]
    if len(top) < len(sub):
        return _align_short_top(top, sub)
    labels = []
    current_top = ""
    for j in range(max(len(top), len(sub))):
        t = top[j] if j < len(top) else ""
        s = sub[j] if j < len(sub) else ""
        if t:
            current_top = t
        elif s:
            t = current_top  # a merged (spanning) cell left blank by the converter
        if s and t and s != t:
            labels.append(f"{t} / {s}")
        else:
            labels.append(t or s)
    return labels


def _align_short_top(top: list[str], sub: list[str]) -> list[str]:
    labels: list[str] = []
    j = 0
    for i, t in enumerate(top):
        if j < len(sub) and sub[j] == t:
            labels.append(t)
            j += 1
            continue
        rest = len(top) - i - 1
        nxt = top[i + 1] if rest else None
        stop = next((k for k in range(j + 1, len(sub)) if sub[k] == nxt), None) if nxt else None
        if stop is None:
            stop = len(sub) - rest
        stop = max(stop, j + 1)
        labels.extend(f"{t} / {s}" if s and s != t else t for s in sub[j:stop])
        j = stop
    labels.extend(sub[j:])
    return labels


# ----------------------------------------------------------------- rows


def _fit_row(cells: list[str], ncols: int) -> tuple[str, ...]:
    """Align a row's cells to ``ncols`` columns."""
    row = list(cells)
    while len(row) > ncols and row and row[-1] == "":
        row.pop()
    j = 2
    while len(row) > ncols and j < len(row):
        if re.match(r"^[-–+•]\s", row[j]) and j - 1 >= 1:
            row[j - 1] = f"{row[j - 1]} {row[j]}".strip()
            del row[j]
        else:
            j += 1
    j = 2
    while len(row) > ncols and j < len(row):
        if row[j][:1].islower() and row[j - 1] and not row[j - 1].endswith("."):
            row[j - 1] = f"{row[j - 1]} {row[j]}"
            del row[j]
        else:
            j += 1
    if len(row) > ncols:
        row = row[: ncols - 1] + [" ".join(c for c in row[ncols - 1:] if c)]
    if len(row) < ncols:
        at = 2 if len(row) >= 2 else len(row)
        row = row[:at] + [""] * (ncols - len(row)) + row[at:]
    return tuple(row)


def _trailing_text_start(row: list[str], ncols: int) -> int | None:
    """Index in the last row where cells stop belonging to the table, if any.

    Cells beyond ``ncols`` that are bullets or lower-case continuations belong to a
    multi-paragraph cell; other non-empty ones are text that follows the table.
    """
    if len(row) <= ncols:
        return None
    extra = row[ncols:]
    if all(not c or re.match(r"^[-–+•]\s", c) or c[:1].islower() for c in extra):
        return None
    bullets = sum(1 for c in row[2:] if re.match(r"^[-–+•]\s", c) or c[:1].islower())
    if bullets >= len(row) - ncols:
        return None
    return ncols


def _ncols(rows: list[list[str]], header_len: int) -> int:
    counts = Counter(len(r) for r in rows)
    best = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return max(best, 2) if rows else header_len


# ----------------------------------------------------------------- streams


def _pipe_stream(lines: list[str], offs: list[int], a: int) -> tuple[list[_Cell], int]:
    cells: list[_Cell] = []
    i, n = a, len(lines)
    end = offs[a] + len(lines[a])
    while i < n:
        seg = []
        j = i
        if _is_blank(lines[j]) and j + 1 < n and _is_separator(lines[j + 1]):
            j += 1  # a cleaned-away empty cell: "|", "", "|"
        while j < n and not _is_separator(lines[j]) and not _is_blank(lines[j]) and len(seg) < MAX_CELL_LINES:
            seg.append(j)
            j += 1
        if j >= n or not _is_separator(lines[j]):
            break
        text = _cell_text(" ".join(lines[k] for k in seg))
        if cells and seg and (is_appendix_title(lines[seg[0]]) or _TT_LABEL.match(text)):
            break
        start = offs[seg[0]] + (len(lines[seg[0]]) - len(lines[seg[0]].lstrip())) if seg else offs[j]
        cells.append(_Cell(text, start, offs[j] + len(lines[j])))
        end = offs[j] + len(lines[j])
        i = j + 1
    return cells, end


MAX_EMPTY_CELLS_GAP = 12  # a longer blank run ends a blank-separated table


def _blank_stream(lines: list[str], offs: list[int], a: int, *, blank_separated: bool) -> tuple[list[_Cell], int]:
    """Cells of a one-cell-per-line table.

    With ``blank_separated`` cells are separated by one blank line, and an empty cell
    is either a line holding only a non-breaking space or, once that has been turned
    into a plain blank line by cleaning, an extra pair of blank lines: k blank lines
    between two cells mean (k - 1) // 2 empty cells.
    """
    cells: list[_Cell] = []
    i, n = a, len(lines)
    end = offs[a] + len(lines[a])
    while i < n:
        if _is_blank(lines[i]):
            j = i
            while j < n and _is_blank(lines[j]):
                j += 1
            gap = j - i
            if not blank_separated or j >= n or (gap - 1) // 2 > MAX_EMPTY_CELLS_GAP:
                break
            for k in range((gap - 1) // 2):
                at = offs[i + 1 + 2 * k]
                cells.append(_Cell("", at, at))
            i = j
            continue
        j = i
        seg = []
        while j < n and not _is_blank(lines[j]) and (blank_separated or j == i) and len(seg) < MAX_CELL_LINES:
            seg.append(j)
            j += 1
        text = _cell_text(" ".join(lines[k] for k in seg))
        first = lines[seg[0]].strip()
        if cells and (is_appendix_title(first) or is_closing_start(first) or _TT_LABEL.match(first) and len(cells) > 2):
            break
        marker = line_marker(first)
        if cells and marker is not None and marker.kind in ("roman", "part"):
            break
        start = offs[seg[0]] + (len(lines[seg[0]]) - len(lines[seg[0]].lstrip()))
        last = seg[-1]
        end = offs[last] + len(lines[last].rstrip())
        cells.append(_Cell(text, start, end))
        i = j
    return cells, end


# ----------------------------------------------------------------- titles


def _caption(lines: list[str], a: int) -> str:
    """Title from the lines just above a table ("PHỤ LỤC 04 KẾ HOẠCH …"), without "(Kèm theo …)"."""
    picked: list[str] = []
    blanks = 0
    i = a - 1
    while i >= 0 and len(picked) < MAX_TITLE_LINES:
        line = lines[i]
        if _is_blank(line):
            blanks += 1
            if blanks > 2:
                break
            i -= 1
            continue
        blanks = 0
        s = line.strip()
        if not s or _is_separator(line) or _is_inline_row(line) or len(s) > 250:
            break
        marker = line_marker(s)
        if marker is not None and not is_appendix_title(s):
            break
        picked.append(s)
        if is_appendix_title(s):
            break
        i -= 1
    picked.reverse()
    words = [p for p in picked if not p.startswith("(")] or picked
    return " ".join(words)


# ----------------------------------------------------------------- assembly


def _anchor_layout(lines: list[str], a: int) -> str | None:
    s = lines[a].strip()
    if _is_inline_row(lines[a]):
        cells = _inline_cells(s) or []
        if cells and (_TT_LABEL.match(cells[0]) or sum(bool(_HEADER_WORDS.search(c)) for c in cells) >= 2):
            return "inline"
        return None
    if not (_TT_LABEL.match(s) or (len(s) <= 60 and _ANCHOR_WORDS.match(s) and line_marker(s) is None)):
        return None
    if not _TT_LABEL.match(s) and any(_TT_LABEL.match(lines[k].strip()) for k in range(a + 1, min(a + 8, len(lines)))):
        return None  # the "TT" cell just below starts this table
    nxt = a + 1
    if nxt >= len(lines):
        return None
    if _is_separator(lines[nxt]):
        return "pipe"
    if _is_blank(lines[nxt]) and nxt + 1 < len(lines) and not _is_blank(lines[nxt + 1]):
        return "blank"
    if not _is_blank(lines[nxt]) and _TT_LABEL.match(s):
        return "lines"
    return None


def _table_from_cells(cells: list[_Cell], end: int, text: str, title: str) -> Table | None:
    starts = _row_starts(cells)
    header_cells = [c.text for c in cells[: starts[0]]] if starts else []
    if not starts or len(header_cells) < 2:
        return None
    vocab = sum(bool(_HEADER_WORDS.search(h) or _TT_LABEL.match(h)) for h in header_cells)
    if vocab == 0:
        return None
    bounds = starts + [len(cells)]
    raw_rows = [[c.text for c in cells[s:e]] for s, e in zip(bounds, bounds[1:])]
    ncols = _ncols(raw_rows, len(header_cells))
    cut = _trailing_text_start(raw_rows[-1], ncols)
    if cut is not None:
        # Text after the table was read as extra cells of the last row: leave it out.
        cells = cells[: starts[-1] + cut]
        end = cells[-1].end
        raw_rows[-1] = raw_rows[-1][:cut]
    header = _resolve_header(header_cells, ncols)
    rows = tuple(_fit_row(r, ncols) for r in raw_rows)
    spans = []
    for k, s in enumerate(starts):
        stop = cells[starts[k + 1]].start if k + 1 < len(starts) else end
        stop = cells[s].start + len(text[cells[s].start:stop].rstrip())
        spans.append((cells[s].start, stop))
    return Table(header, rows, title, cells[0].start, spans[-1][1], tuple(spans))


def _read_inline(lines: list[str], offs: list[int], a: int, text: str, title: str) -> tuple[Table | None, int]:
    """Rows are lines; returns the table and the index of the first line after it."""
    rows_idx = []
    i, n = a, len(lines)
    while i < n:
        if _is_inline_row(lines[i]) or _MD_RULE_ROW.match(lines[i].strip()):
            rows_idx.append(i)
            i += 1
            continue
        if _is_blank(lines[i]) and i + 1 < n and _is_inline_row(lines[i + 1]):
            i += 1
            continue
        break
    data = [(k, _inline_cells(lines[k]) or []) for k in rows_idx if not _MD_RULE_ROW.match(lines[k].strip())]
    if len(data) < 2:
        return None, i
    header = [_undouble(h) for h in data[0][1]]
    body = data[1:]
    second = body[0][1]
    sub_header = len(body) > 1 and not (second and (_is_tt(second[0]) or _is_total(second[0]))) and not any(
        re.fullmatch(r"[\d.,%\s-]+", c) for c in second if c)
    if sub_header and len(second) >= len(header) and (not second[0] or _undouble(second[0]) == header[0]):
        # Converters that repeat merged cells over the grid (DOCX).
        header = _merge_header_rows(header, second)
        body = body[1:]
    elif sub_header and len(second) < len(header) + 2 and all(_is_sub_label(c) for c in second):
        # HTML-style rows: the second line holds only the cells under spanning ones.
        subs = [_undouble(c) for c in second]
        body = body[1:]
        ncols = _ncols([cells for _, cells in body], len(header))
        groups = len(header) + len(subs) - ncols
        if 1 <= groups <= len(subs) // 2 and groups < len(header):
            header = list(_flatten(header, subs, groups))
        else:
            header = header + subs
    raw_rows = [cells for _, cells in body]
    ncols = _ncols(raw_rows, len(header))
    labels = _resolve_header(header, ncols) if len(header) != ncols else tuple(header)
    rows = tuple(_fit_row(r, ncols) for r in raw_rows)
    spans = tuple((offs[k] + len(lines[k]) - len(lines[k].lstrip()), offs[k] + len(lines[k].rstrip())) for k, _ in body)
    last = rows_idx[-1]
    table = Table(labels, rows, title, offs[a], offs[last] + len(lines[last].rstrip()), spans)
    return table, i


def read_tables(lines: list[str]) -> list[Table]:
    """Tables found in ``lines``; offsets refer to ``"\\n".join(lines)``."""
    offs = []
    pos = 0
    for line in lines:
        offs.append(pos)
        pos += len(line) + 1
    text = "\n".join(lines)
    tables: list[Table] = []
    i, n = 0, len(lines)
    while i < n:
        layout = _anchor_layout(lines, i)
        if layout is None:
            i += 1
            continue
        title = _caption(lines, i)
        if layout == "inline":
            table, nxt = _read_inline(lines, offs, i, text, title)
            if table is not None and table.rows:
                tables.append(table)
            i = max(nxt, i + 1)
            continue
        if layout == "pipe":
            cells, end = _pipe_stream(lines, offs, i)
        else:
            cells, end = _blank_stream(lines, offs, i, blank_separated=layout == "blank")
        table = _table_from_cells(cells, end, text, title)
        if table is None:
            i += 1
            continue
        tables.append(table)
        i = _line_index_after(offs, table.end)
    return tables


def _line_index_after(offs: list[int], offset: int) -> int:
    lo, hi = 0, len(offs)
    while lo < hi:
        mid = (lo + hi) // 2
        if offs[mid] <= offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


# ----------------------------------------------------------------- row context


def _tt_level(tt: str) -> int | None:
    if roman_value(tt) is not None:
        return 0
    if _TT_VALUE.match(tt):
        return tt.rstrip(".").count(".") + 1
    return None


def row_contexts(table: Table) -> list[tuple[str, ...]]:
    """For each row, the labels ("II CÁC NHIỆM VỤ …") of the group rows above it.

    A group row is a roman-numbered row, or a numbered row whose next row is its
    child (1 → 1.1). Total rows ("TOÀN TỈNH", "TỔNG KINH PHÍ") have no context.
    """
    tts = [row[0].strip() if row else "" for row in table.rows]
    contexts: list[tuple[str, ...]] = []
    stack: list[tuple[int, str]] = []
    for k, row in enumerate(table.rows):
        tt = tts[k]
        body = next((c for c in row[1:] if c), "")
        if (not tt and _is_total(body)) or _is_total(tt):
            stack = []
            contexts.append(())
            continue
        level = _tt_level(tt)
        if level is None:
            contexts.append(tuple(label for _, label in stack))
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        contexts.append(tuple(label for _, label in stack))
        nxt = tts[k + 1] if k + 1 < len(tts) else ""
        is_group = level == 0 or (
            _TT_VALUE.match(nxt) is not None and nxt.rstrip(".").startswith(tt.rstrip(".") + ".")
        )
        if is_group:
            label = f"{tt} {body}".strip()
            stack.append((level, label if len(label) <= 150 else label[:149].rstrip() + "…"))
    return contexts
