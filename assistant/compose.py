"""Writing the answer: plan framing in the question's language, quotes of the plan's own words.

Framing words follow the question ("Theo Kế hoạch số …" / "According to plan …"); the
quoted facts stay as the plan writes them. Quotes are trimmed, open on the supporting
clause of a long sentence, and show the subject agency or heading when the unit's topic
is there rather than in its own words.
"""
from __future__ import annotations

import re
from dataclasses import replace

from assistant._text import fold
from assistant.agencies import has_own_subject
from assistant.answer_types import asked_types, fact_spans
from assistant.evidence import find_evidence, is_blank_cell, year_marks
from assistant.query import QueryAnalysis
from assistant.scoring import ScoredUnit, keyword_credit, terms_of
from assistant.units import introduced_list
from ingest.card import doc_type_names
from ingest.types import DocumentMeta

MAX_QUOTE_CHARS = 230
SINGLE_QUOTE_CHARS = 320  # a one-unit answer may quote a little more
LIST_QUOTE_CHARS = 900  # a lead-in ("… trong các trường hợp sau đây:") quoted with the list it announces
MAX_HEADING_CHARS = 120
MIN_BODY_CHARS = 160  # the unit's own words keep at least this much beside a heading


def _type_names(meta: DocumentMeta | None) -> tuple[str, str]:
    if meta is None:
        return "Văn bản", "document"
    vi, en = doc_type_names(meta)
    return vi, en[:1].lower() + en[1:]


def frame(meta: DocumentMeta | None, doc_id: str, language: str) -> str:
    """"Theo Quyết định số 31/2011/QĐ-UBND (Gia Lai)" / "According to decision 31/2011/QĐ-UBND (Gia Lai)":
    the document named by its own type (plan, decision, law, official letter …)."""
    province = f" ({meta.province})" if meta and meta.province else ""
    vi_type, en_type = _type_names(meta)
    if meta and meta.number and re.search(r"\d", meta.number):
        if language == "vi":
            return f"Theo {vi_type} số {meta.number}{province}"
        return f"According to {en_type} {meta.number}{province}"
    if meta and meta.number:  # a code without its number ("KH-SLĐTBXH")
        return f"Theo {vi_type} {meta.number}{province}" if language == "vi" else f"According to {en_type} {meta.number}{province}"
    if meta and meta.title:
        title = _trim(meta.title, 70)
        return f"Theo {vi_type} “{title}”{province}" if language == "vi" else f"According to the {en_type} “{title}”{province}"
    return f"Theo {doc_id}{province}" if language == "vi" else f"According to {doc_id}{province}"


def plan_name(meta: DocumentMeta | None, doc_id: str, language: str) -> str:
    """"Kế hoạch số 37/KH-UBND (Bắc Kạn)" / "Plan 37/KH-UBND (Bắc Kạn)", by the document's own type."""
    province = f" ({meta.province})" if meta and meta.province else ""
    vi_type, en_type = _type_names(meta)
    if meta and meta.number:
        vi = f"{vi_type} số {meta.number}" if re.search(r"\d", meta.number) else f"{vi_type} {meta.number}"
        return (vi if language == "vi" else f"{en_type[:1].upper()}{en_type[1:]} {meta.number}") + province
    if meta and meta.title:
        title = _trim(meta.title, 70)
        return (f"{vi_type} “{title}”" if language == "vi" else f"The {en_type} “{title}”") + province
    return (f"{vi_type} {doc_id}" if language == "vi" else f"The {en_type} {doc_id}") + province


def meta_sentence(su: ScoredUnit, intent: str, language: str, marker: str, asked: tuple[str, ...] = ()) -> str:
    """Signer / issue date from the document card, for cards that describe rather than quote;
    "do ai ký, ngày nào?" gets both, "ban hành ngày nào, của cơ quan nào?" the issuer too."""
    meta = su.hit.chunk.meta
    name = plan_name(meta, su.hit.chunk.doc_id, language)
    if meta is None:
        return f"{name}: {quote(su, None)} {marker}"
    vi = language == "vi"
    when = meta.issued_date_text or meta.issued_date
    if when[:1].isdigit():
        when = f"ngày {when}"
    signer = ""
    if meta.signer:
        title = f" ({meta.signer_title})" if meta.signer_title else ""
        signer = f"{meta.signer}{title}"
    if intent == "signer" and signer:
        dated = ""
        if "date" in asked and when:
            dated = f" {when}" if vi else f" on {meta.issued_date or when}"
        return f"{name} do {signer} ký{dated} {marker}." if vi else f"{name} was signed by {signer}{dated} {marker}."
    issuer = f" của {meta.issuer}" if vi and meta.issuer and "agency" in asked else ""
    issuer_en = f" by {meta.issuer}" if meta.issuer and "agency" in asked else ""
    by = ""
    if "person" in asked and signer:
        by = f", người ký: {signer}" if vi else f", signed by {signer}"
    if vi:
        return f"{name} được ban hành{issuer} {when}{by} {marker}."
    return f"{name} was issued{issuer_en} on {meta.issued_date or when}{by} {marker}."


def lead_label(su: ScoredUnit, language: str) -> str:
    """"Đơn vị chủ trì là" when the plan says "chủ trì", else the looser "Đơn vị phụ trách là"."""
    says_chu_tri = "chu tri" in fold(su.unit.text) or any("chu tri" in fold(h) for h, _ in su.evidence.fields)
    if language == "vi":
        return "Đơn vị chủ trì là" if says_chu_tri else "Đơn vị phụ trách là"
    return "The lead agency is" if says_chu_tri else "The agency in charge is"


def _trim(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …"


def _list_quote(lines: tuple[str, ...], limit: int) -> str:
    """A lead-in and its items, whole items only; "…" stands for the items left out."""
    out = _trim(lines[0], limit)
    for line in lines[1:]:
        if len(out) + 1 + len(line) > limit:
            out += " …"
            break
        out += " " + line
    return out.replace("*", "")


def _row_quote(su: ScoredUnit, analysis: QueryAnalysis | None) -> str:
    """The cells of a table row that answer, in column order: the task (or row label), the cells
    of each kind of fact asked ("ai chủ trì, hạn khi nào?" shows both columns; of many figure
    columns, the ones whose header matches the question best) and the cells sharing most words
    with the question (the "THPT" column of a rate table). Long cells are cut to their best part."""
    marks = set(year_marks(su.unit))  # "Năm 2025: x" says when, though "x" alone is blank
    fields = [
        (h, v) for h, v in su.unit.fields if v and ((h, v) in marks or not is_blank_cell(v)) and fold(h) not in ("tt", "stt")
    ]
    if not fields:
        return _trim(su.unit.text, MAX_QUOTE_CHARS)
    task = next((f for f in fields if any(k in fold(f[0]) for k in _TASK_HEADERS)), None)
    wanted: set[tuple[str, str]] = {task} if task else set()
    if analysis is None:
        wanted.update(su.evidence.fields)
    else:
        asked = [(analysis.intent, su.evidence.fields)] + [
            (i, find_evidence(su.unit, replace(analysis, intent=i), su.hit.chunk.meta).fields) for i in analysis.also
        ]
        for intent, cells in asked:
            if intent in ("number", "budget") and len(cells) > 2:  # of many figure columns, the best-matching two
                cells = tuple(sorted(cells, key=lambda f: -keyword_credit(f[0], analysis))[:2])
            wanted.update(cells)
        credit = sorted(((keyword_credit(f"{h}: {v}", analysis), i) for i, (h, v) in enumerate(fields)), reverse=True)
        wanted.update(fields[i] for c, i in credit[:2] if c > 0)
    shown = [f for f in fields if f in wanted] or fields[:3]
    keywords = set(analysis.keywords) if analysis is not None else set()
    marks = analysis.marked if analysis is not None else True
    limit = 200 if len(shown) <= 2 else 130
    text = "; ".join(
        f"{h}: {_window(v, keywords, marks, limit)}" if h else _window(v, keywords, marks, limit) for h, v in shown
    )
    return _trim(text, 3 * MAX_QUOTE_CHARS)


def _window(value: str, keywords: set[str], marks: bool, limit: int) -> str:
    """A long cell cut down to the stretch (between commas/semicolons) richest in question words:
    the "04 buổi … cụm trường Lục Yên" part of a long task description."""
    value = " ".join(value.split())
    if len(value) <= limit or not keywords:
        return _trim(value, limit)
    starts = [0] + [m.end() for m in re.finditer(r"[,;:]\s+|\s[-–]\s", value)]
    best_start, best_hits = 0, -1
    for start in starts:
        terms, _ = terms_of(value[start : start + limit], marks)
        hits = len(terms & keywords)
        if hits > best_hits:
            best_start, best_hits = start, hits
    piece = _trim(value[best_start:], limit)
    return ("… " + piece) if best_start else piece


_TASK_HEADERS = ("noi dung", "cong viec", "nhiem vu", "hoat dong", "don vi")


FACT_ROOM = 60  # characters kept after the start of the asked fact inside a trimmed quote


def _fact_window_start(text: str, analysis: QueryAnalysis, limit: int) -> int:
    """Where a quote trimmed to ``limit`` should open so that it still shows the kind of fact the
    question asks for (the amount, the date …): 0 when it already does, else the clause start
    before the first such fact."""
    spans = fact_spans(text, asked_types(analysis.question))
    if not spans or spans[0][0] + FACT_ROOM <= limit:
        return 0
    at = spans[0][0]
    cut = max(text.rfind(", ", 0, at), text.rfind("; ", 0, at), text.rfind(". ", 0, at), text.rfind(": ", 0, at))
    if cut >= 0 and at - cut < limit - FACT_ROOM:
        return cut + 2
    return max(0, at - (limit - FACT_ROOM))


def quote(su: ScoredUnit, analysis: QueryAnalysis | None, limit: int = MAX_QUOTE_CHARS) -> str:
    """The unit's words in quotes, trimmed, opened on the supporting span; with its heading
    when the heading carries the topic (a "Thời gian thực hiện" line under its task)."""
    unit = su.unit
    if unit.kind == "row":
        return f'"{_row_quote(su, analysis)}"'
    listed = introduced_list(su.hit.chunk.text, unit.text) if unit.kind == "text" else ()
    if listed:
        return f'"{_list_quote(listed, LIST_QUOTE_CHARS)}"'
    head = _quote_head(su, analysis)
    if head and fold(head) in fold(unit.text):
        head = ""
    listed = introduced_list(su.hit.chunk.text, head) if head and unit.kind == "text" else ()
    if listed and any(" ".join(unit.text.split()) in line for line in listed[1:]):
        # the topic is in the lead-in ("Bất động sản bao gồm:"), the unit one of its items: the whole list answers
        return f'"{_list_quote(listed, LIST_QUOTE_CHARS)}"'
    if head:
        # the heading shares the budget: the whole quote stays short
        limit = max(MIN_BODY_CHARS, limit - len(head))
    text = unit.text
    if len(text) > limit:
        # open on the supporting clause of a long sentence, then move on if the asked date / amount
        # would still fall outside the quote
        start = su.evidence.focus if 0 < su.evidence.focus < len(text) else 0
        if analysis is not None:
            start += _fact_window_start(text[start:], analysis, limit)
        text = text[start:]
    text = text.replace("*", "")
    body = _trim(text, limit)
    if body[:1].islower():
        body = "… " + body
    if head:
        joiner = " " if head.endswith("…") or body.startswith("…") else " … "
        return f'"{head}{joiner}{body}"'
    return f'"{body}"'


def _quote_head(su: ScoredUnit, analysis: QueryAnalysis | None) -> str:
    """When the topic is in the unit's subject or heading rather than its own words, that subject
    or heading opens the quote ("Phòng Giáo dục nghề nghiệp: … tổng hợp báo cáo … trước ngày
    30/11/2023")."""
    unit = su.unit
    if analysis is None or unit.is_heading:
        return ""
    asked = asked_types(analysis.question)
    if su.topic.subject > 0 and unit.subject and unit.subject != su.evidence.agency and not has_own_subject(unit.text):
        return unit.subject
    if su.topic.context > 0 and unit.heading and su.topic.own < 0.5:
        return _trim(unit.heading.replace("*", ""), MAX_HEADING_CHARS)
    if unit.heading and asked and fact_spans(unit.heading, asked[:1]) and not fact_spans(unit.text, asked[:1]):
        # the asked figure / date is in the lead-in the item completes ("2. … thì bị phạt tù từ
        # 03 năm đến 10 năm:" over "b) Bỏ nhiều hơn 2 thương binh …")
        return _trim(unit.heading.replace("*", ""), MAX_QUOTE_CHARS)
    return ""
