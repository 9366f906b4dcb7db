"""Does a unit answer the *kind* of question asked? Cues per intent, and the agency when one is named.

``find_evidence`` returns a strength in [0, 1]: 0 means the unit cannot answer this
intent (a "how much" question needs a figure in đồng; a deadline question needs a
date), 1 means the unit has exactly the kind of fact asked for (an agency followed by
"chủ trì", a "Thời gian hoàn thành" cell with a date …). It never looks at topic words:
that is the scorer's job.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant._text import fold, is_stopword, nfc
from assistant.agencies import AGENCY_MENTION, ASK_X, agency_doing, asked_verb, DO_X_LEAD, X_COLON_LEADS, X_DIRECTS, X_LEADS, clean_agency
from assistant.query import QueryAnalysis
from assistant.units import Unit
from ingest.types import DocumentMeta

_STARTS_LEAD = re.compile(r"^(?:Chủ trì|Chịu trách nhiệm|Phụ trách|Là cơ quan thường trực|Làm đầu mối)", re.IGNORECASE)
_STARTS_COORD = re.compile(r"^(?:Phối hợp|Tham gia|Hỗ trợ)", re.IGNORECASE)

_REFERENCE_DATE = re.compile(
    r"(?:số\s+)?\d+[\w.\-]*/[\wĐđ&.\-/]+\s+ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}", re.IGNORECASE
)
_DATE = re.compile(
    r"\b\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?\b|\btháng\s+\d{1,2}\b|\bquý\s+(?:[IV]+|\d)\b|\bnăm\s+\d{4}\b"
    r"|\b(?:hằng|hàng)\s+(?:năm|tháng|quý)\b|\bđịnh\s+kỳ\b|\b\d{1,2}\s*/\s*\d{4}\b",
    re.IGNORECASE,
)
_DEADLINE_CUE = re.compile(
    r"trước ngày|xong trước|hoàn thành|thời gian|thời hạn|tiến độ|\btrước\b|định kỳ|hằng năm|hàng năm|từ tháng|trong tháng",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"\d[\d.,]*\s*(?:triệu|tỷ|nghìn|ngàn)?\s*đồng\b|\b(?:triệu|tỷ)\s+đồng\b|\d[\d.,]*\s*(?:triệu|tỷ)\b|\bVNĐ\b|\bVND\b",
    re.IGNORECASE,
)
_FUNDING_SOURCE = re.compile(r"nguồn|ngân sách|vốn|kinh phí|xã hội hóa|tài trợ", re.IGNORECASE)
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*%")
_COUNT = re.compile(
    r"\d[\d.,]*\s+(?:người|lượt|học sinh|hội nghị|sản phẩm|cuộc|lớp|nghề|doanh nghiệp|đại biểu|trường|lao động|"
    r"buổi|hội thảo|lần|cơ sở|giáo viên|nhà giáo|học viên|sinh viên)",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_ISSUE_LINE = re.compile(r"^[^\W\d_][^,]{1,40},\s*ngày\s+\S+\s+tháng\s+\S+\s+năm\s+\d{4}", re.IGNORECASE)
_BAN_HANH_DATE = re.compile(r"ban hành.{0,80}?(?:ngày\s+\d{1,2}|\d{1,2}/\d{1,2})|(?:ngày\s+\d{1,2}\s*/\s*\d{1,2}).{0,40}?ban hành", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    strength: float  # 0: cannot answer this intent; 1: exactly the fact asked for
    agency: str = ""  # the lead (or coordinating) agency, when clearly identifiable
    focus: int = 0  # where in the unit text the supporting span starts
    fields: tuple[tuple[str, str], ...] = ()  # table cells that carry the answer
    from_meta: bool = False  # signer/date taken from the document card's metadata


NONE = Evidence(0.0)


def is_blank_cell(value: str) -> bool:
    """Table cells such as "x", "-", "" say nothing."""
    return value.strip(" -–x.") == ""


def _field_matches(unit: Unit, *folded_headers: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (h, v) for h, v in unit.fields if not is_blank_cell(v) and any(f in fold(h) for f in folded_headers)
    )


def _clause_start(text: str, pos: int) -> int:
    """Start of the clause holding ``pos`` (after the last ", " before it), so quotes open on a subject."""
    cut = max(text.rfind(", ", 0, pos), text.rfind("; ", 0, pos))
    return cut + 2 if cut >= 0 else 0


def lead_evidence(unit: Unit) -> Evidence:
    if unit.kind == "row":
        cells = _field_matches(unit, "chu tri")
        if cells:
            return Evidence(1.0, agency=clean_agency(cells[0][1]), fields=cells)
        return NONE
    text = unit.text
    for pattern, strength in ((X_COLON_LEADS, 1.0), (DO_X_LEAD, 1.0), (X_LEADS, 1.0), (ASK_X, 1.0)):
        m = pattern.search(text)
        if m:
            agency = clean_agency(m.group("agency"))
            if agency:
                # for "…, UBND tỉnh đề nghị Sở X chỉ đạo" the quote opens on the requester ("UBND tỉnh")
                focus = _clause_start(text, m.start()) if pattern is ASK_X else _clause_start(text, m.start("agency"))
                return Evidence(strength, agency=agency, focus=focus)
    from_heading = unit.subject
    if from_heading and not unit.is_heading:
        if _STARTS_LEAD.match(text):
            return Evidence(1.0, agency=from_heading)
        if _STARTS_COORD.match(text):
            return Evidence(0.2, agency="")  # the heading's agency only coordinates here
        if "to chuc thuc hien" in fold(unit.section) or not unit.section:
            return Evidence(0.6, agency=from_heading)
        return Evidence(0.4, agency=from_heading)
    m = X_DIRECTS.search(text)
    if m:
        return Evidence(0.7, agency=clean_agency(m.group("agency")))
    folded = fold(text)
    if any(c in folded for c in ("chu tri", "chiu trach nhiem", "phu trach")):
        return Evidence(0.5, focus=0)
    if "chi dao" in folded:
        return Evidence(0.3)
    if AGENCY_MENTION.search(text):
        return Evidence(0.3)  # "xin ý kiến của Sở Nội vụ …": an agency in another role, for "sở nào …?"
    return NONE


def coordinate_evidence(unit: Unit) -> Evidence:
    if unit.kind == "row":
        cells = _field_matches(unit, "phoi hop")
        if cells:
            return Evidence(1.0, agency=clean_agency(cells[0][1]), fields=cells)
        return NONE
    text = unit.text
    from_heading = unit.subject
    if from_heading and not unit.is_heading and _STARTS_COORD.match(text):
        return Evidence(1.0, agency=from_heading)
    pos = fold(text).find("phoi hop")
    if pos >= 0:
        return Evidence(0.9, focus=_clause_start(text, pos))
    return NONE


def _dates(text: str) -> list[re.Match[str]]:
    cleaned = _REFERENCE_DATE.sub(lambda m: " " * len(m.group(0)), text)
    return list(_DATE.finditer(cleaned))


_YEAR_IN_HEADER = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def year_marks(unit: Unit) -> tuple[tuple[str, str], ...]:
    """Cells ticked "x" under a year column ("… / Năm 2025: x"): the row is scheduled for that year."""
    return tuple((h, v) for h, v in unit.fields if v.strip().lower() == "x" and _YEAR_IN_HEADER.search(h))


def deadline_evidence(unit: Unit) -> Evidence:
    if unit.kind == "row":
        cells = tuple(
            (h, v) for h, v in _field_matches(unit, "thoi gian", "hoan thanh", "thoi han", "tien do") if _dates(v) or _DIGIT.search(v)
        ) or year_marks(unit)
        return Evidence(1.0, fields=cells) if cells else NONE
    dates = _dates(unit.text)
    if not dates:
        return NONE
    cue = _DEADLINE_CUE.search(unit.text)
    if cue:
        return Evidence(1.0, focus=_clause_start(unit.text, min(cue.start(), dates[0].start())))
    return Evidence(0.6, focus=_clause_start(unit.text, dates[0].start()))


def budget_evidence(unit: Unit, asks_amount: bool) -> Evidence:
    if unit.kind == "row":
        cells = tuple(
            (h, v)
            for h, v in _field_matches(unit, "kinh phi", "trieu dong", "ngan sach", "ty dong", "nguon von")
            if _DIGIT.search(v) or not asks_amount
        )
        if cells:
            return Evidence(1.0, fields=cells)
        money_cells = tuple((h, v) for h, v in unit.fields if _MONEY.search(v))  # values only: headers say "(triệu đồng)"
        return Evidence(1.0, fields=money_cells) if money_cells else NONE
    money = _MONEY.search(unit.text)
    if money:
        return Evidence(1.0, focus=_clause_start(unit.text, money.start()))
    if not asks_amount:
        source = _FUNDING_SOURCE.search(unit.text)
        if source:
            return Evidence(0.9, focus=_clause_start(unit.text, source.start()))
    return NONE


_NOT_A_FIGURE = re.compile(r"(?<![\d.,/])(?:19|20)\d\d(?![\d.,/])")
_ASKS_RATE = re.compile(r"\b(?:ty le|ti le|phan tram|rate|rates|percent|percentage|proportion)\b|%")


def asks_rate(question: str) -> bool:
    """"tỷ lệ … bao nhiêu?", "what percentage …": the answer is a percentage."""
    return _ASKS_RATE.search(fold(question)) is not None


def _shows_rate(unit: Unit) -> bool:
    if _PERCENT.search(unit.text):
        return True
    return unit.kind == "row" and any("%" in h or "ty le" in fold(h) for h, v in unit.fields if _DIGIT.search(v))


_ASKS_DOC_NUMBER = re.compile(r"\bso (?:may|bao nhieu|hieu)\b|\b(?:what|which) number\b")
_DOC_NUMBER = re.compile(r"\d+[\w.\-]*/[\wĐđ&.\-/]+")


def asks_document_number(question: str) -> bool:
    """"Quyết định … số mấy?": the answer is a document number ("913/QĐ-UBND"), not a count."""
    return _ASKS_DOC_NUMBER.search(fold(question)) is not None


_COUNTED_STOPWORDS = ("người", "nguoi", "con", "việc", "viec")  # stop words elsewhere, counted nouns here
_COUNT_QUESTION_MARKED = re.compile(r"(?<!\w)(?:bao nhiêu|bao nhieu|mấy|may)\s+(\w+)")


def counted_noun(question: str) -> str:
    """The first syllable of what a Vietnamese count question counts: "bao nhiêu cơ sở …" → "co";
    nothing when a function word follows ("gây thiệt hại bao nhiêu thì bị phạt …")."""
    m = _COUNT_QUESTION_MARKED.search(nfc(question).lower())
    if not m or (is_stopword(m.group(1)) and m.group(1) not in _COUNTED_STOPWORDS):
        return ""
    noun = fold(m.group(1))
    return noun if noun not in ("phan", "tien", "ty", "trieu", "nam", "thang", "ngay") else ""


def counts_noun(text: str, noun: str) -> bool:
    """A figure followed (within two words) by the counted noun: "10 cơ sở", "6.000 người lao động"."""
    return re.search(rf"\d[\d.,]*\s+(?:\w+\s+){{0,2}}?{re.escape(noun)}\b", fold(text)) is not None


def number_evidence(unit: Unit, rate: bool = False, document_number: bool = False, noun: str = "") -> Evidence:
    """A figure for "bao nhiêu"; for a rate question, only a percentage (or a cell of a "%"/"tỷ lệ"
    column) will do; for "số mấy", a document number. A year alone is no figure."""
    if rate and not _shows_rate(unit):
        return NONE
    text = unit.text
    if document_number:
        m = _DOC_NUMBER.search(text)
        if m:
            return Evidence(1.0, focus=_clause_start(text, m.start()))
    found = [m for m in (_PERCENT.search(text), _COUNT.search(text)) if m]
    strong = min(found, key=lambda m: m.start()) if found else None
    if unit.kind == "row":
        cells = tuple((h, v) for h, v in unit.fields if _DIGIT.search(v) and fold(h) not in ("tt", "stt"))
        if cells:
            return Evidence(1.0 if strong else 0.8, fields=cells)
        return Evidence(1.0) if strong else NONE
    if strong:
        return Evidence(1.0, focus=_clause_start(text, strong.start()))
    cleaned = _REFERENCE_DATE.sub(" ", text)
    cleaned = _DATE.sub(" ", cleaned)
    cleaned = _NOT_A_FIGURE.sub(" ", cleaned)  # a year ("2018-2025") counts nothing
    if noun and not counts_noun(cleaned, noun):
        return NONE  # "bao nhiêu cơ sở?": a figure that counts something else is no answer
    if _DIGIT.search(cleaned):
        return Evidence(0.5)
    return NONE


def signer_evidence(unit: Unit, meta: DocumentMeta | None) -> Evidence:
    signer = meta.signer if meta else ""
    if signer and fold(signer) in fold(unit.text):
        return Evidence(1.0)
    if unit.kind == "card" and signer:
        return Evidence(0.9, from_meta=True)
    if unit.kind == "card" and re.search(r"\bký\b|người ký", unit.text, re.IGNORECASE):
        return Evidence(0.6)
    return NONE


def issue_date_evidence(unit: Unit, meta: DocumentMeta | None) -> Evidence:
    date_text = meta.issued_date_text if meta else ""
    if date_text and fold(date_text) in fold(unit.text):
        return Evidence(1.0)
    if _ISSUE_LINE.search(unit.text) or _BAN_HANH_DATE.search(unit.text):
        return Evidence(1.0)
    if unit.kind == "card" and meta and (meta.issued_date or meta.issued_date_text):
        return Evidence(0.9, from_meta=True)
    return NONE


_ASKS_PLACE = re.compile(r"\b(?:o dau|tai dau|dia diem nao|noi nao|where (?:is|was|will|are|were) .*\b(?:held|located|organi[sz]ed|take place))\b")
_PLACE = re.compile(r"\b(?:tại|ở)\s+(?:[A-ZĐ]|trường|trụ sở|hội trường|nhà văn hóa|huyện|xã|thành phố|tỉnh|các)|địa điểm", re.IGNORECASE)


def asks_place(question: str) -> bool:
    """"Hội nghị tổ chức ở đâu?", "Where was it held?": the answer is a venue."""
    return _ASKS_PLACE.search(fold(question)) is not None


DOES_ASKED_STRENGTH = 0.9


def find_evidence(unit: Unit, analysis: QueryAnalysis, meta: DocumentMeta | None) -> Evidence:
    intent = analysis.intent
    if intent == "list" and analysis.also:
        intent = analysis.also[0]  # "which plans were signed by …": the kind of fact each plan must show
    if intent == "lead":
        evidence = lead_evidence(unit)
        if evidence.strength < DOES_ASKED_STRENGTH and unit.kind != "row":
            # "sở nào thẩm định …?" is answered by the agency that opens a clause with that verb
            doing = agency_doing(unit.text, asked_verb(analysis.question))
            if doing:
                return Evidence(DOES_ASKED_STRENGTH, agency=doing[0], focus=doing[1])
        return evidence
    if intent == "coordinate":
        return coordinate_evidence(unit)
    if intent == "deadline":
        return deadline_evidence(unit)
    if intent == "budget":
        return budget_evidence(unit, analysis.asks_amount)
    if intent == "number":
        return number_evidence(unit, asks_rate(analysis.question), asks_document_number(analysis.question),
                               counted_noun(analysis.question))
    if intent == "signer":
        return signer_evidence(unit, meta)
    if intent == "issue_date":
        return issue_date_evidence(unit, meta)
    if asks_place(analysis.question) and not _PLACE.search(unit.text):
        return NONE  # "tổ chức ở đâu?" needs a venue, not just the event
    return Evidence(0.5)  # general and cross-plan questions: topic words decide
