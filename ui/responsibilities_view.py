"""The responsibility matrix in the UI: filter records, render the table, write the CSV.

Pure functions over ``ingest.types.ResponsibilityRecord`` (no Gradio), used by
``ui/tabs/responsibilities.py``.

Filtering (:func:`filter_records`):

* free text is matched with diacritics folded ("noi vu" = "Nội vụ"): every word of the
  query must start a word of the record's task, target, agencies or province; agencies
  the query names by alias ("Sở LĐTBXH") must take part in the record and their words
  are not looked up in the text;
* the agency filter keeps records that any of the chosen agencies leads or coordinates;
* the *focus* of a row is what the user is looking for: the chosen agencies, else the
  agencies the query names or whose names contain all the query words. The row's role is
  the focus's role in the record ("lead" wins over "coordinator"); the role filter keeps
  rows by that role and needs a focus (without one it is ignored and the table says so);
* deadline bounds keep records whose ISO deadline lies within them (inclusive); records
  with no dated deadline drop out as soon as a bound is set.

Everything taken from documents goes through :func:`ui.highlight.esc` (HTML) or
:func:`csv_cell` (spreadsheet formulas) before it is shown or exported.
"""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

from ingest.types import ResponsibilityRecord
from ui.highlight import Span, esc, mark_html
from ui.i18n import t
from ui.render import locate_passage

ROLE_ALL = "all"
ROLE_LEAD = "lead"
ROLE_COORDINATOR = "coordinator"
ROLES = (ROLE_ALL, ROLE_LEAD, ROLE_COORDINATOR)

#: Rows rendered in the page at most (the CSV always has every filtered row).
MAX_TABLE_ROWS = 300
#: Characters of a task shown in the table (the full text is in the tooltip, CSV and source).
TASK_CHARS = 420

TABLE_COLUMNS = (
    "rsp.col.role",
    "rsp.col.task",
    "rsp.col.lead",
    "rsp.col.coordinators",
    "rsp.col.deadline",
    "rsp.col.budget",
    "rsp.col.province",
    "rsp.col.plan",
    "rsp.col.today",
)
CSV_COLUMNS = (
    "rsp.col.role",
    "rsp.col.task",
    "rsp.col.lead",
    "rsp.col.coordinators",
    "rsp.col.deadline",
    "rsp.csv.deadline_iso",
    "rsp.col.budget",
    "rsp.csv.target",
    "rsp.col.province",
    "rsp.csv.number",
    "rsp.csv.document",
    "rsp.csv.section",
    "rsp.csv.quote",
    "rsp.col.today",
    "rsp.csv.today_basis",
)

_WORD = re.compile(r"[a-z0-9]+")
#: First characters a spreadsheet reads as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRef:
    """What the table shows about a record's plan."""

    doc_id: str
    number: str = ""
    title: str = ""

    @property
    def label(self) -> str:
        return self.number or self.doc_id


@dataclass(frozen=True)
class RecordQuery:
    """The tab's filters. Dates are ISO (``YYYY-MM-DD``) bounds, inclusive; "" = open."""

    text: str = ""
    agencies: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    role: str = ROLE_ALL
    after: str = ""
    before: str = ""

    @property
    def has_focus(self) -> bool:
        return bool(self.agencies or self.text.strip())

    @property
    def role_ignored(self) -> bool:
        """A role was asked for but there is no agency to take it."""
        return self.role in (ROLE_LEAD, ROLE_COORDINATOR) and not self.has_focus


@dataclass(frozen=True)
class RecordRow:
    """One table row: a record, its stable key, and the focus's role and names in it."""

    key: str
    record: ResponsibilityRecord
    role: str = ""  # "lead", "coordinator" or "" (no focus, or the focus is not an agency of it)
    focus: tuple[str, ...] = ()  # the record's agencies the user is looking for
    terms: tuple[str, ...] = ()  # folded query words to mark in the task


@dataclass(frozen=True)
class RecordView:
    """A filtered table, kept per session in ``gr.State``."""

    rows: tuple[RecordRow, ...] = ()
    total: int = 0  # records before filtering
    query: RecordQuery = field(default_factory=RecordQuery)

    def row(self, key: str) -> RecordRow | None:
        return next((r for r in self.rows if r.key == key), None)

    def role_counts(self) -> dict[str, int]:
        counts = {ROLE_LEAD: 0, ROLE_COORDINATOR: 0}
        for row in self.rows:
            if row.role in counts:
                counts[row.role] += 1
        return counts


def record_key(record: ResponsibilityRecord) -> str:
    """A short stable id for a record (the same record gets the same key after a reload)."""
    raw = "\x1f".join((record.document, record.chunk_id, record.section, record.task, record.quote))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


# --- folding and matching -------------------------------------------------------------------


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without diacritics, đ→d, one character per character of the NFC text."""
    from ingest.normalize import fold_aligned, nfc

    return fold_aligned(nfc(text or ""))


def _nfc(text: str) -> str:
    from ingest.normalize import nfc

    return nfc(text or "")


@lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9]){re.escape(term)}")


def _has_all(folded: str, terms: Iterable[str]) -> bool:
    return all(_term_pattern(term).search(folded) for term in terms)


@lru_cache(maxsize=8192)
def agency_key(name: str) -> str:
    """Comparison key of an agency written any way: "Sở LĐTBXH" and its full name share one."""
    from ingest.agencies import agency_match_key, canonical_agency

    return agency_match_key(canonical_agency(name) or name)


@dataclass(frozen=True)
class _ParsedText:
    terms: tuple[str, ...] = ()  # folded words to find in the record's text
    agency_keys: tuple[str, ...] = ()  # agencies named by alias: must take part in the record


@lru_cache(maxsize=256)
def parse_text(text: str) -> _ParsedText:
    """Split a search into agencies named by alias and the remaining folded words."""
    from ingest.agencies import find_agency_mentions

    text = _nfc(text).strip()
    if not text:
        return _ParsedText()
    mentions = find_agency_mentions(text)
    rest = text
    for m in sorted(mentions, key=lambda m: m.start, reverse=True):
        rest = rest[: m.start] + " " + rest[m.end :]
    terms = tuple(dict.fromkeys(_WORD.findall(fold(rest))))
    keys = tuple(dict.fromkeys(agency_key(m.name) for m in mentions if m.name))
    return _ParsedText(terms=terms, agency_keys=keys)


def _agencies(record: ResponsibilityRecord) -> list[tuple[str, str]]:
    """(name, role) for every agency of a record, leads first."""
    return [(a, ROLE_LEAD) for a in record.lead] + [(a, ROLE_COORDINATOR) for a in record.coordinators]


def _role_of(focus: Sequence[tuple[str, str]]) -> str:
    roles = {role for _, role in focus}
    return ROLE_LEAD if ROLE_LEAD in roles else (ROLE_COORDINATOR if roles else "")


def _haystack(record: ResponsibilityRecord) -> str:
    return fold(" \n ".join((record.task, record.target, *record.lead, *record.coordinators, record.province)))


def match_record(record: ResponsibilityRecord, query: RecordQuery) -> RecordRow | None:
    """The row for ``record`` if it passes every filter of ``query``, else None."""
    if query.provinces and record.province not in query.provinces:
        return None
    if query.after or query.before:
        iso = record.deadline_iso or ""
        if not iso or (query.after and iso < query.after) or (query.before and iso > query.before):
            return None
    agencies = _agencies(record)
    parsed = parse_text(query.text)
    if parsed.agency_keys:
        keys = {agency_key(name) for name, _ in agencies}
        if not all(k in keys for k in parsed.agency_keys):
            return None
    if parsed.terms and not _has_all(_haystack(record), parsed.terms):
        return None
    if query.agencies:
        wanted = {agency_key(a) for a in query.agencies}
        focus = [(name, role) for name, role in agencies if agency_key(name) in wanted]
        if not focus:
            return None
    elif parsed.agency_keys:
        focus = [(name, role) for name, role in agencies if agency_key(name) in parsed.agency_keys]
    elif parsed.terms:
        focus = [(name, role) for name, role in agencies if _has_all(fold(name), parsed.terms)]
    else:
        focus = []
    role = _role_of(focus)
    if query.role in (ROLE_LEAD, ROLE_COORDINATOR) and query.has_focus and role != query.role:
        return None
    names = tuple(dict.fromkeys(name for name, _ in focus))
    return RecordRow(key=record_key(record), record=record, role=role, focus=names, terms=parsed.terms)


def filter_records(records: Sequence[ResponsibilityRecord], query: RecordQuery) -> RecordView:
    """The rows of ``records`` that pass ``query``, in record order (by deadline when a date bound is set)."""
    rows = [row for row in (match_record(r, query) for r in records) if row is not None]
    if query.after or query.before:
        rows.sort(key=lambda row: row.record.deadline_iso)
    return RecordView(rows=tuple(rows), total=len(records), query=query)


def agency_choices(records: Iterable[ResponsibilityRecord]) -> list[str]:
    """Canonical names of every lead and coordinator, one per agency, sorted without diacritics."""
    from ingest.agencies import canonical_agency

    by_key: dict[str, str] = {}
    for record in records:
        for name in (*record.lead, *record.coordinators):
            canonical = canonical_agency(name) or name
            if canonical.strip():
                by_key.setdefault(agency_key(canonical), canonical)
    return sorted(by_key.values(), key=lambda n: (fold(n), n))


def province_choices(records: Iterable[ResponsibilityRecord]) -> list[str]:
    return sorted({r.province for r in records if r.province}, key=lambda p: (fold(p), p))


# --- dates --------------------------------------------------------------------------------


class DateInputError(ValueError):
    """A deadline bound that is not a date; ``message(lang)`` is the one-line reason."""

    def __init__(self, field_key: str, value: str):
        self.field_key = field_key
        self.value = value
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        return t(lang, "rsp.bad_date", field=t(lang, self.field_key), value=self.value)


_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_MONTH = re.compile(r"(\d{1,2})[/.-](\d{4})|(\d{4})-(\d{1,2})")
_YEAR = re.compile(r"\d{4}")


def parse_date_bound(text: str | None, *, end: bool, field_key: str = "rsp.before") -> str:
    """A deadline bound as ISO: a day (2023-11-30, 30/11/2023), a month (11/2023) or a year (2023).

    A month or a year stands for its last day when ``end`` (a "before" bound) and for its
    first day otherwise. "" means no bound; anything else raises :class:`DateInputError`.
    """
    value = " ".join((text or "").split())
    if not value:
        return ""
    try:
        if m := _DAY.fullmatch(value):
            y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(5), m.group(4))
            return dt.date(int(y), int(mo), int(d)).isoformat()
        if m := _MONTH.fullmatch(value):
            y, mo = (m.group(2), m.group(1)) if m.group(2) else (m.group(3), m.group(4))
            year, month = int(y), int(mo)
            day = calendar.monthrange(year, month)[1] if end else 1
            return dt.date(year, month, day).isoformat()
        if _YEAR.fullmatch(value):
            return dt.date(int(value), 12, 31).isoformat() if end else dt.date(int(value), 1, 1).isoformat()
    except ValueError:
        pass
    raise DateInputError(field_key, value)


# --- HTML ---------------------------------------------------------------------------------


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def term_spans(text: str, terms: Sequence[str]) -> list[Span]:
    """Spans of the words of ``text`` that start with one of the folded ``terms``."""
    folded = fold(text)
    if not terms or len(folded) != len(text):
        return []
    spans = []
    for term in terms:
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(term)}[a-z0-9]*", folded):
            spans.append(Span(m.start(), m.end()))
    spans.sort(key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    for s in spans:
        if merged and s.start < merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, s.end))
        else:
            merged.append(s)
    return merged


def open_link(row: RecordRow, lang: str) -> str:
    """The "show in document" link of a row; the tab's click handler opens the passage."""
    key = esc(row.key)
    return f'<a class="pc-rsp-open" href="#pc-rsp={key}" data-key="{key}">{esc(t(lang, "chat.open_in_doc"))} →</a>'


def _agency_list(names: Sequence[str], focus: Sequence[str]) -> str:
    if not names:
        return '<span class="pc-rsp-none">—</span>'
    items = []
    for name in names:
        cls = "pc-rsp-agency pc-rsp-focus" if name in focus else "pc-rsp-agency"
        items.append(f'<span class="{cls}">{esc(name)}</span>')
    return "".join(items)


def role_badge(role: str, lang: str) -> str:
    if role not in (ROLE_LEAD, ROLE_COORDINATOR):
        return '<span class="pc-rsp-none">—</span>'
    return f'<span class="pc-role pc-role-{role}">{esc(t(lang, f"rsp.role.{role}"))}</span>'


def render_row(row: RecordRow, plans: Mapping[str, PlanRef], lang: str) -> str:
    r = row.record
    task = _clip(r.task, TASK_CHARS)
    task_html = mark_html(task, term_spans(task, row.terms), mark_class="pc-hl")
    section = r.section.split(" › ")[-1] if r.section else ""
    extra = ""
    if r.target:
        extra += f'<div class="pc-rsp-sub"><b>{esc(t(lang, "rsp.csv.target"))}:</b> {esc(_clip(r.target, 160))}</div>'
    foot = (f'<span class="pc-rsp-section">{esc(section)}</span>' if section else "") + open_link(row, lang)
    extra += f'<div class="pc-rsp-foot">{foot}</div>'
    plan = plans.get(r.document) or PlanRef(r.document)
    deadline = esc(r.deadline) if r.deadline else '<span class="pc-rsp-none">—</span>'
    deadline_title = f' title="{esc(r.deadline_iso)}"' if r.deadline_iso else ""
    budget = esc(_clip(r.budget, 200)) if r.budget else '<span class="pc-rsp-none">—</span>'
    cells = (
        f'<td class="pc-rsp-role">{role_badge(row.role, lang)}</td>',
        f'<td class="pc-rsp-task" title="{esc(" ".join(r.task.split()))}"><div>{task_html}</div>{extra}</td>',
        f'<td class="pc-rsp-agencies">{_agency_list(r.lead, row.focus)}</td>',
        f'<td class="pc-rsp-agencies">{_agency_list(r.coordinators, row.focus)}</td>',
        f'<td class="pc-rsp-deadline"{deadline_title}>{deadline}</td>',
        f'<td class="pc-rsp-budget">{budget}</td>',
        f'<td class="pc-rsp-province">{esc(r.province)}</td>',
        f'<td class="pc-rsp-plan" title="{esc(plan.title or plan.doc_id)}">{esc(plan.label)}</td>',
        _today_cell(r),
    )
    return f'<tr data-key="{esc(row.key)}">{"".join(cells)}</tr>'


def _today_cell(record: ResponsibilityRecord) -> str:
    """Who holds the task today after the 2025 mergers, with the legal basis as the tooltip (issue 12)."""
    from assistant.today import record_today

    today = record_today(record)
    if not today.changed:
        return '<td class="pc-rsp-today"><span class="pc-rsp-none">—</span></td>'
    return f'<td class="pc-rsp-today" title="{esc(today.basis)}">{esc(today.text())}<div class="pc-rsp-sub">{esc(today.basis)}</div></td>'


def render_summary(view: RecordView, lang: str) -> str:
    parts = [f'<span class="pc-rsp-count">{esc(t(lang, "rsp.count", shown=len(view.rows), total=view.total))}</span>']
    if view.query.has_focus and view.rows:
        counts = view.role_counts()
        parts.append(
            f'<span class="pc-rsp-roles">{esc(t(lang, "rsp.count_roles", lead=counts[ROLE_LEAD], coordinator=counts[ROLE_COORDINATOR]))}</span>'
        )
    if view.query.role_ignored:
        parts.append(f'<span class="pc-rsp-hint">{esc(t(lang, "rsp.role_needs_agency"))}</span>')
    if len(view.rows) > MAX_TABLE_ROWS:
        parts.append(f'<span class="pc-rsp-hint">{esc(t(lang, "rsp.truncated", limit=MAX_TABLE_ROWS, count=len(view.rows)))}</span>')
    return f'<div class="pc-rsp-summary">{"".join(parts)}</div>'


def render_table(view: RecordView, plans: Mapping[str, PlanRef], lang: str) -> str:
    """The whole table block: summary line, then the table (or an empty-state message)."""
    if view.total == 0:
        return f'<div class="pc-rsp"><div class="pc-rsp-empty">{esc(t(lang, "rsp.no_records"))}</div></div>'
    summary = render_summary(view, lang)
    if not view.rows:
        return f'<div class="pc-rsp">{summary}<div class="pc-rsp-empty">{esc(t(lang, "rsp.empty"))}</div></div>'
    head = "".join(f'<th class="pc-rsp-h-{k.rsplit(".", 1)[-1]}">{esc(t(lang, k))}</th>' for k in TABLE_COLUMNS)
    body = "".join(render_row(row, plans, lang) for row in view.rows[:MAX_TABLE_ROWS])
    return (
        f'<div class="pc-rsp">{summary}<div class="pc-rsp-scroll">'
        f'<table class="pc-rsp-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        "</div></div>"
    )


# --- CSV ----------------------------------------------------------------------------------


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading ``'``."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_rows(view: RecordView, plans: Mapping[str, PlanRef], lang: str) -> list[list[str]]:
    """Header and one row per filtered record, every cell as text (lists joined with "; ")."""
    rows = [[t(lang, k) for k in CSV_COLUMNS]]
    for row in view.rows:
        r = row.record
        plan = plans.get(r.document) or PlanRef(r.document)
        role = t(lang, f"rsp.role.{row.role}") if row.role in (ROLE_LEAD, ROLE_COORDINATOR) else ""
        values = (
            role,
            " ".join(r.task.split()),
            "; ".join(r.lead),
            "; ".join(r.coordinators),
            r.deadline,
            r.deadline_iso,
            r.budget,
            r.target,
            r.province,
            plan.number,
            r.document,
            r.section,
            r.quote,
            *_today_values(r),
        )
        rows.append([csv_cell(v) for v in values])
    return rows


def _today_values(record: ResponsibilityRecord) -> tuple[str, str]:
    from assistant.today import record_today

    today = record_today(record)
    return today.text(), today.basis


def csv_bytes(view: RecordView, plans: Mapping[str, PlanRef], lang: str) -> bytes:
    """The filtered rows as CSV: UTF-8 with a byte-order mark so Excel reads Vietnamese right."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(csv_rows(view, plans, lang))
    return out.getvalue().encode("utf-8-sig")


# --- locating the source passage ----------------------------------------------------------


def locate_record(text: str, quote: str, chunk_span: Span | None = None) -> Span | None:
    """Where a record's quote lies in its document: inside its chunk if it is there, else the
    first occurrence, else the chunk itself, else a search for the start of the quote."""
    quote = (quote or "").strip()
    if quote:
        if chunk_span is not None and 0 <= chunk_span.start < chunk_span.end <= len(text):
            pos = text.find(quote, chunk_span.start, chunk_span.end)
            if pos >= 0:
                return Span(pos, pos + len(quote))
        pos = text.find(quote)
        if pos >= 0:
            return Span(pos, pos + len(quote))
    if chunk_span is not None and 0 <= chunk_span.start < chunk_span.end <= len(text):
        return chunk_span
    return locate_passage(text, quote=quote)
