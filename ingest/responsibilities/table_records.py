"""Records from task tables (``ingest.tables.read_tables``), columns found by their headers.

A table gives records when it has a task column and a lead or coordinator column.
Columns are recognised by words in their (possibly two-level, "group / sub") header:

* task: "nội dung công việc", "nhiệm vụ", "hoạt động", "nội dung" (not "… thẩm quyền ban hành");
* coordinators: "phối hợp"; lead: "chủ trì", "chịu trách nhiệm", "đơn vị thực hiện";
* deadline: "thời gian hoàn thành", "thời hạn", "tiến độ", "thời gian" (not under "kinh phí");
* budget: "kinh phí", "dự toán", "nguồn" (vốn, khác …), "ngân sách" and year columns ("Năm 2022")
  under such a group; the unit is read from "(triệu đồng)" in the header or title;
* target: "mục tiêu", "chỉ tiêu"; output: "sản phẩm", "kết quả", "thẩm quyền ban hành".

Group rows ("I", "II", or "1" when "1.1" follows) and total rows are context, not tasks.
The budget is written per column as in the table, with its unit:
"Năm 2022: 150 triệu đồng; …; Tổng kinh phí giai đoạn 2021-2025: 600 triệu đồng".
Year cells holding only a mark ("x") are timing, kept in ``extra`` as "years".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.agencies import parse_agency, scan_agencies
from ingest.normalize import fold_diacritics, is_vietnamese_syllable
from ingest.responsibilities.blocks import clean
from ingest.responsibilities.deadlines import parse_deadline
from ingest.responsibilities.draft import Draft
from ingest.tables import row_contexts
from ingest.types import Table

_UNIT = re.compile(r"\((triệu đồng|tỷ đồng|nghìn đồng|ngàn đồng|đồng|triệu|tỷ|USD)\)", re.IGNORECASE)
_YEAR = re.compile(r"(?<![0-9])((?:19|20)\d{2})(?![0-9])")
_NUMBER = re.compile(r"^\d{1,3}(?:[.,]\d{3})*(?:[.,]\d+)?$|^\d+(?:[.,]\d+)?$")
_MARK = {"x", "X", "-", "–", "+", "v", "✓", "*"}
_ROMAN = re.compile(r"^[IVXLC]+\.?$")
_TT = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_TOTAL = re.compile(r"(?:tong\s+(?:cong|so|kinh\s+phi)|cong|toan\s+(?:tinh|thanh\s+pho|huyen))(?![a-z])")


@dataclass(frozen=True)
class Columns:
    task: int = -1
    lead: int = -1
    coordinators: int = -1
    deadline: int = -1
    target: int = -1
    output: int = -1
    tt: int = -1
    budget: tuple[int, ...] = ()


def classify_columns(header: tuple[str, ...]) -> Columns:
    """Which column holds what, from header words (folded, diacritics-insensitive)."""
    task = lead = coord = deadline = target = output = tt = -1
    budget: list[int] = []
    task_rank = 99
    for k, label in enumerate(header):
        f = fold_diacritics(label)
        last = f.split(" / ")[-1]
        money = any(w in f for w in ("kinh phi", "du toan", "nguon", "ngan sach", "trieu dong", "ty dong"))
        if k == 0 and re.fullmatch(r"s?tt\.?|so tt|so thu tu", last.strip()):
            tt = k
        elif "phoi hop" in last:
            coord = k if coord == -1 else coord
        elif any(w in last for w in ("chu tri", "chiu trach nhiem", "don vi thuc hien", "co quan thuc hien")):
            lead = k if lead == -1 else lead
        elif money or (_YEAR.search(last) and budget):
            budget.append(k)
        elif any(w in last for w in ("thoi gian hoan thanh", "thoi han", "tien do", "thoi gian")):
            deadline = k if deadline == -1 else deadline
        elif any(w in last for w in ("muc tieu", "chi tieu")):
            target = k if target == -1 else target
        elif any(w in last for w in ("san pham", "ket qua", "tham quyen", "hinh thuc")):
            output = k if output == -1 else output
        else:
            for rank, word in enumerate(("noi dung cong viec", "nhiem vu", "hoat dong", "noi dung", "cong viec")):
                if word in last and rank < task_rank:
                    task, task_rank = k, rank
                    break
    return Columns(task, lead, coord, deadline, target, output, tt, tuple(budget))


def _sentence_case(label: str) -> str:
    """"TỔNG KINH PHÍ GIAI ĐOẠN 2021-2025" → "Tổng kinh phí giai đoạn 2021-2025" (acronyms kept)."""
    words = []
    for w in label.split():
        core = w.strip("(),:;")
        if core.isupper() and is_vietnamese_syllable(core):
            w = w.lower()
        words.append(w)
    out = " ".join(words)
    return out[:1].upper() + out[1:]


def _budget_label(header: str) -> str:
    last = header.split(" / ")[-1]
    last = _UNIT.sub("", last).strip(" ,")
    return _sentence_case(clean(last))


def budget_text(table: Table, cols: Columns, row: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """("Năm 2022: 150 triệu đồng; …", years marked "x") for one row."""
    parts: list[str] = []
    years: list[str] = []
    for k in cols.budget:
        value = clean(row[k]) if k < len(row) else ""
        label = _budget_label(table.header[k])
        if not value:
            continue
        if value in _MARK:
            year = _YEAR.search(label)
            if year and value not in {"-", "–"} and not fold_diacritics(label).startswith(("tong", "cong")):
                years.append(year.group(1))
            continue
        unit = _UNIT.search(table.header[k]) or _UNIT.search(table.title)
        if _NUMBER.match(value) and unit:
            value = f"{value} {unit.group(1)}"
        parts.append(f"{label}: {value}")
    return "; ".join(parts), tuple(years)


def _agencies(cell: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Canonical names in a cell, and "role (agency)" for named people."""
    mentions, _ = scan_agencies(cell, 0, whole=True)
    names: dict[str, None] = {}
    people = []
    for m in mentions:
        if not m.name:
            continue
        names.setdefault(m.name, None)
        if m.role:
            people.append(f"{m.role} ({m.name})")
        elif not m.role and m.raw:
            role = parse_agency(m.raw).role
            if role:
                people.append(f"{role} ({m.name})")
    return tuple(names), tuple(people)


def _is_group(tts: list[str], k: int) -> bool:
    tt = tts[k].rstrip(".")
    if _ROMAN.match(tts[k]):
        return True
    nxt = tts[k + 1].rstrip(".") if k + 1 < len(tts) else ""
    return bool(tt) and bool(_TT.match(tt)) and nxt.startswith(tt + ".")


def table_drafts(text: str, tables: list[Table]) -> list[Draft]:
    """One record per task row of every table that has a task and a lead/coordinator column."""
    drafts: list[Draft] = []
    for table in tables:
        cols = classify_columns(table.header)
        if cols.task == -1 or (cols.lead == -1 and cols.coordinators == -1):
            continue
        tts = [clean(r[cols.tt]) if cols.tt != -1 and cols.tt < len(r) else "" for r in table.rows]
        contexts = row_contexts(table)
        for k, row in enumerate(table.rows):
            cell = lambda i: clean(row[i]) if 0 <= i < len(row) else ""  # noqa: E731
            task = cell(cols.task)
            if not task or _is_group(tts, k):
                continue
            lead, lead_people = _agencies(cell(cols.lead))
            coords, coord_people = _agencies(cell(cols.coordinators))
            coords = tuple(c for c in coords if c not in lead)
            budget, years = budget_text(table, cols, row)
            if (not lead and not coords and not budget) or (not lead and not coords and _TOTAL.match(fold_diacritics(task))):
                continue  # a total or caption row
            deadline = parse_deadline(cell(cols.deadline)) if cols.deadline != -1 else None
            start, end = table.row_spans[k] if k < len(table.row_spans) else (table.start, table.end)
            extra = [("table", table.title), ("row", tts[k])]
            if contexts[k]:
                extra.append(("group", " › ".join(contexts[k])))
            if cols.output != -1 and cell(cols.output):
                extra.append(("output", cell(cols.output)))
            if years:
                extra.append(("years", ", ".join(years)))
            if lead_people or coord_people:
                extra.append(("people", "; ".join(lead_people + coord_people)))
            drafts.append(Draft(
                quote_start=start, quote_end=end, task=task, lead=lead, coordinators=coords, source="table",
                deadline=deadline.text if deadline else "", deadline_iso=deadline.iso if deadline else "",
                budget=budget, target=cell(cols.target), extra=tuple(extra),
            ))
    return drafts
