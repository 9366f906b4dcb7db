"""Scoring the topic of a unit against a question, and the scope checks the answerer applies.

``topic_coverage`` is the weighted share of the question's content words found in a
unit, its subject agency, or its heading; ``in_scope`` and ``years_present`` are hard
filters (a unit from another province, or about another year, never answers).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant._provinces import same_province
from assistant._text import content_runs, fold
from assistant.evidence import Evidence
from assistant.glossary import expand_abbreviations
from assistant.query import QueryAnalysis
from assistant.units import Unit
from index.types import Hit

CONTEXT_WEIGHT = 0.6  # a content word found only in the unit's heading / section path
UNPAIRED_CREDIT = 0.75  # a syllable found without the partner it has in the question ("nông" without "thôn")
FOREIGN_WEIGHT = 1.0  # an English word with no glossary entry counts against coverage like a mapped term


@dataclass(frozen=True)
class Coverage:
    """Weighted share of the question's keywords a unit has, and where they were found."""

    total: float
    own: float  # in the unit's own words
    subject: float  # in the agency it is about (``Unit.subject``)
    context: float  # in its heading / section path (already weighted)


@dataclass(frozen=True)
class ScoredUnit:
    unit: Unit
    hit: Hit
    score: float  # the ranker's probability that quoting this unit answers the question
    topic: Coverage
    evidence: Evidence
    features: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def coverage(self) -> float:
        return self.topic.total

    @property
    def own_coverage(self) -> float:
        return self.topic.own


def in_scope(hit: Hit, analysis: QueryAnalysis) -> bool:
    """Whether a hit belongs to the provinces / plans the question names (True when it names none)."""
    chunk = hit.chunk
    meta = chunk.meta
    if analysis.document_ids and chunk.doc_id not in analysis.document_ids:
        return False
    if analysis.plan_numbers and not analysis.document_ids:
        # a plan that is not loaded: only passages that mention its number can speak about it
        text = fold(chunk.text)
        if not any(re.search(rf"(?<!\d){re.escape(n)}(?!\d)", text) for n in analysis.plan_numbers):
            return False
    if analysis.provinces:
        province = meta.province if meta else ""
        if not any(same_province(province, p) for p in analysis.provinces):
            return False
    return True


def terms_of(text: str, keep_marks: bool) -> tuple[set[str], str]:
    runs = content_runs(expand_abbreviations(text), keep_marks=keep_marks)
    return {t for run in runs for t in run}, " " + " ".join(" ".join(run) for run in runs) + " "


# "Thời gian thực hiện: …", "Phân công thực hiện: …": a label line is about the task heading above it
_LABEL_LINE = re.compile(r"^[^\W\d_][^:\d]{1,40}:\s")


def topic_coverage(
    unit: Unit, analysis: QueryAnalysis, *, document_words: str = "", document_context: str = ""
) -> Coverage:
    """How much of the question's topic a unit covers.

    Coverage is the weighted share of the question's keywords found (see
    ``QueryAnalysis.keyword_weights``); English words the glossary could not map count
    against it, since no Vietnamese passage can contain them. Words found only in the
    heading / section path count CONTEXT_WEIGHT, except for a label line ("Thời gian thực
    hiện: Tháng 10/2023"), whose topic is its heading, and under an agency heading of a
    "TỔ CHỨC THỰC HIỆN" list, which is the subject of every item below it (``Unit.subject``).
    ``document_words`` (the whole card, for a card line) count as the unit's own;
    ``document_context`` (its document's title, number, issuer: the words a question uses to say
    *which* document it means) count like the heading.
    """
    keywords = [k for k in analysis.keywords if not _YEAR.match(k)]  # years are checked by ``years_present``
    denominator = sum(analysis.weight(k) for k in keywords) + FOREIGN_WEIGHT * analysis.foreign_weight()
    if denominator == 0:
        return Coverage(1.0, 1.0, 0.0, 0.0)
    context_weight = 1.0 if _LABEL_LINE.match(unit.text) else CONTEXT_WEIGHT
    own = _credits(f"{unit.text}\n{document_words}" if document_words else unit.text, analysis)
    subj = _credits(unit.subject, analysis) if unit.subject else {}
    context_text = "\n".join(p for p in (unit.heading, unit.section, document_context) if p)
    ctx = _credits(context_text, analysis) if context_text else {}
    shares = [0.0, 0.0, 0.0]  # own, subject, heading/section
    for k in keywords:
        credits = (own.get(k, 0.0), subj.get(k, 0.0), context_weight * ctx.get(k, 0.0))
        best = max(range(3), key=lambda i: credits[i])
        shares[best] += analysis.weight(k) * credits[best]
    own_share, subject_share, context_share = (x / denominator for x in shares)
    return Coverage(own_share + subject_share + context_share, own_share, subject_share, context_share)


# The two departments every vocational-training plan names over and over. Their names hold
# topic words ("lao động", "đào tạo") that say nothing about a passage's topic unless the
# question itself names the department.
_FREQUENT_AGENCIES = (
    (
        re.compile(r"(?:Bộ|Sở|Phòng)?\s*(?:Lao động\s*[-–,]?\s*(?:Thương binh\s*(?:và|&)\s*Xã hội|TB\s*&\s*XH)|LĐ\s*[-–]?\s*TB\s*&\s*XH|LĐTBXH)", re.IGNORECASE),
        ("thuong binh", "ldtbxh", "tb&xh", "labour", "labor", "molisa", "dolisa", "invalids"),
    ),
    (
        re.compile(r"(?:Bộ|Sở|Phòng)?\s*(?:Giáo dục\s*(?:và|-|–)\s*Đào tạo|GD\s*&\s*ĐT|GDĐT)", re.IGNORECASE),
        ("giao duc va dao tao", "giao duc - dao tao", "giao duc dao tao", "gd&dt", "gddt", "department of education",
         "education and training", "education department", "doet"),
    ),
)


def mask_agency_names(text: str, question: str) -> str:
    """``text`` with the names of the ubiquitous departments blanked, unless ``question`` names them."""
    folded_question = fold(question)
    for pattern, question_forms in _FREQUENT_AGENCIES:
        if not any(form in folded_question for form in question_forms):
            text = pattern.sub(" | ", text)
    return text


def _credits(text: str, analysis: QueryAnalysis) -> dict[str, float]:
    """keyword -> credit in [0, 1] for one text. A syllable the question uses inside a compound
    ("nông" of "nông thôn") earns full credit only with its partner next to it in the text;
    alone ("Nông lâm") it earns UNPAIRED_CREDIT. An equivalent phrase (glossary, synonym)
    earns the syllables of the phrase it stands for."""
    terms, joined = terms_of(mask_agency_names(text, analysis.question), analysis.marked)
    keywords = set(analysis.keywords)
    credits: dict[str, float] = {}
    # "02 thương binh" is "2 thương binh": legal texts pad small numbers with a zero
    numbers = {t.lstrip("0") for t in terms if t.isdigit() and t.lstrip("0")}
    terms = terms | {k for k in keywords if k.isdigit() and k.lstrip("0") in numbers}
    for k in keywords & terms:
        partners = [b for b in analysis.bigrams if k in b.split()]
        paired = not partners or any(f" {b} " in joined for b in partners)
        credits[k] = 1.0 if paired else UNPAIRED_CREDIT
    for phrase, alternative in analysis.alternates:
        if f" {alternative} " in joined:
            for k in set(phrase.split()) & keywords:
                credits[k] = 1.0
    if "%" in text:  # "60%" says "tỷ lệ" (rate, share)
        for k in keywords & _RATE_WORDS:
            credits[k] = 1.0
    return credits


_RATE_WORDS = frozenset({"tỷ", "lệ", "ty", "le"})


def keyword_credit(text: str, analysis: QueryAnalysis) -> float:
    """Weighted amount of the question's keywords found in ``text`` (to rank the cells of a row)."""
    return sum(analysis.weight(k) * c for k, c in _credits(text, analysis).items())


def document_context(hit: Hit) -> str:
    """The words that name a passage's document: its title, number, type and issuer. A question
    uses them to say which document it means, so every passage of that document has them."""
    meta = hit.chunk.meta
    if meta is None:
        return ""
    return "\n".join(p for p in (meta.title, meta.number, meta.doc_type, meta.issuer) if p)


def document_words(unit: Unit, hit: Hit, analysis: QueryAnalysis) -> str:
    """Words that describe the unit's whole document, counted as the unit's own: a card line
    is about its document, and so is any line when the question asks who signed or when the
    plan was issued ("Ai ký kế hoạch của Sở LĐTBXH Hải Dương?" names the document, not the line)."""
    parts = [hit.chunk.text] if unit.kind == "card" else []
    meta = hit.chunk.meta
    if analysis.intent in ("signer", "issue_date") and meta is not None:
        parts += [meta.title, meta.issuer, meta.number, meta.province]
    return "\n".join(p for p in parts if p)


_YEAR = re.compile(r"^(?:19[89]\d|20[0-4]\d)$")


def years_present(unit: Unit, hit: Hit, analysis: QueryAnalysis) -> bool:
    """A year the question names must appear around the unit (its text, heading, section, or the
    plan's title/date): "chỉ tiêu năm 2021" is not answered by a 2020 plan's targets.

    A year that names an act ("Bộ luật Hình sự 2017", "Circular 101/2018 … Decree 55/2023") picks
    documents instead: one of them must be the unit's document, which is known by the years of its
    number, title and date; a document that shows no year at all is not ruled out by one."""
    years = [k for k in analysis.keywords if _YEAR.match(k)]
    if not years:
        return True
    meta = hit.chunk.meta
    identity = " ".join((meta.number, meta.title, meta.issued_date)) if meta else ""
    around = " ".join((unit.text, unit.heading, unit.section, identity))
    if unit.kind == "card":
        around += " " + hit.chunk.text
    found = set(_YEARS_IN.findall(around))
    period = [y for y in years if y not in analysis.document_years]
    if not all(y in found for y in period):
        return False
    acts = [y for y in years if y in analysis.document_years]
    return not acts or any(y in found for y in acts) or not _YEARS_IN.search(identity)


_YEARS_IN = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def matches_row_ref(unit: Unit, analysis: QueryAnalysis) -> bool:
    """The unit is the row (TT column) or numbered item the question points at ("mục 2.6", "section III")."""
    if not analysis.row_refs:
        return False
    if unit.kind == "row":
        numbers = [v.strip().rstrip(".") for h, v in unit.fields if fold(h) in ("tt", "stt", "so tt")]
    else:
        m = re.match(r"\s*((?:[IVXLC]+)|(?:\d+(?:\.\d+)*))[.)]?\s", unit.heading if not unit.is_heading else unit.text)
        numbers = [m.group(1)] if m else []
    return any(n in analysis.row_refs for n in numbers)


def names_heading_agency(unit: Unit, analysis: QueryAnalysis) -> bool:
    """True when the question names the agency whose "TỔ CHỨC THỰC HIỆN" subsection holds the unit
    ("Sở Tài chính có nhiệm vụ gì?" and an item under "4. Sở Tài chính")."""
    agency = unit.subject
    if not agency:
        return False
    terms, _ = terms_of(agency, analysis.marked)
    return bool(terms) and terms <= set(analysis.keywords)


def phrase_hits(unit: Unit, analysis: QueryAnalysis) -> int:
    """Question phrases found verbatim in the unit (or in the agency heading it sits under)."""
    _, own_text = terms_of(unit.text, analysis.marked)
    subject = unit.subject
    _, subj_text = terms_of(subject, analysis.marked) if subject else (set(), " ")
    return sum(1 for p in analysis.phrases if f" {p} " in own_text or f" {p} " in subj_text)
