"""Answer who-leads / who-coordinates / deadline / budget questions from responsibility records.

``answer_from_records(question_or_analysis, records)`` is a pure function: it reads the
question (or an ``assistant.query.QueryAnalysis``), finds the agencies, provinces and
task words it names, and returns the matching records ranked, each with the role the
named agency plays in it. An empty list means "not a records question" or "nothing
matches": the caller falls back to passage retrieval.

Selection rules:

* an agency named in the question (any alias: "Sở LĐTBXH", "so lao dong tb&xh",
  "Department of Labour") selects its records; the intent picks the role
  ("lead" → records it leads, "coordinate" → records it coordinates, otherwise both);
* without an agency, the intent must be lead / coordinate / deadline / budget and at
  least half of the question's content words (weighted) must occur in the record's
  task, target or section; deadline and budget questions only take records that have
  a deadline / budget;
* provinces named in the question (or passed in) keep only records of those provinces;
* ranking: share of content words found, then the agency's role fitting the intent,
  then records that carry the asked field (deadline, budget), then document order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

from assistant.agencies import is_collective
from ingest.agencies import agency_match_key, canonical_agency, find_agency_mentions
from ingest.types import DocumentMeta, ResponsibilityRecord

RECORD_INTENTS = ("lead", "coordinate", "deadline", "budget")

# English names of common departments (folded regex → canonical Vietnamese name).
_ENGLISH_AGENCIES: tuple[tuple[str, str], ...] = (
    (r"(?:department|dept\.?|doltsa|molisa)\s+(?:of\s+)?labou?r|labou?r,?\s+invalids", "Sở Lao động - Thương binh và Xã hội"),
    (r"(?:department|dept\.?)\s+of\s+education|education\s+and\s+training\s+department|\bdoet\b", "Sở Giáo dục và Đào tạo"),
    (r"(?:department|dept\.?)\s+of\s+(?:home\s+affairs|interior)|home\s+affairs\s+department", "Sở Nội vụ"),
    (r"(?:department|dept\.?)\s+of\s+finance|finance\s+department", "Sở Tài chính"),
    (r"(?:department|dept\.?)\s+of\s+planning(?:\s+and\s+investment)?|\bdpi\b", "Sở Kế hoạch và Đầu tư"),
    (r"(?:department|dept\.?)\s+of\s+information(?:\s+and\s+communications?)?", "Sở Thông tin và Truyền thông"),
    (r"(?:department|dept\.?)\s+of\s+agriculture|\bdard\b", "Sở Nông nghiệp và Phát triển nông thôn"),
    (r"(?:department|dept\.?)\s+of\s+science(?:\s+and\s+technology)?|\bdost\b", "Sở Khoa học và Công nghệ"),
    (r"(?:department|dept\.?)\s+of\s+culture", "Sở Văn hóa, Thể thao và Du lịch"),
    (r"(?:department|dept\.?)\s+of\s+industry(?:\s+and\s+trade)?", "Sở Công Thương"),
    (r"district(?:-level)?\s+people'?s\s+committees?|people'?s\s+committees?\s+of\s+(?:the\s+)?districts?",
     "Ủy ban nhân dân các huyện, thị xã, thành phố"),
    (r"provincial\s+people'?s\s+committee", "Ủy ban nhân dân tỉnh"),
    (r"ethnic\s+(?:minority\s+)?(?:affairs\s+)?(?:committee|board)", "Ban Dân tộc"),
    (r"vocational\s+(?:training\s+|education\s+)?(?:schools?|institutions?|colleges?|centres?|centers?)",
     "Các cơ sở giáo dục nghề nghiệp"),
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class RecordMatch:
    """A record that answers the question, with why it was chosen."""

    record: ResponsibilityRecord
    score: float
    role: str = ""  # the named agency's role in the record: "lead", "coordinator" or ""
    agencies: tuple[str, ...] = ()  # canonical names from the question found in the record
    matched_terms: tuple[str, ...] = ()
    overlap: float = 0.0  # weighted share of the question's content words found in the record


def _fold(text: str) -> str:
    from ingest.normalize import fold_diacritics

    return fold_diacritics(text)


def _analysis(question: Any, documents: Sequence[DocumentMeta]) -> Any:
    if isinstance(question, str):
        from assistant.query import analyze

        return analyze(question, documents)
    return question


def question_agencies(question: str, records: Sequence[ResponsibilityRecord] = ()) -> tuple[str, ...]:
    """Canonical agencies named in ``question``: known aliases, English names, or a unique
    short form of an agency present in ``records`` ("Sở Lao động" → the one Sở Lao động …)."""
    found: dict[str, None] = {}
    for m in find_agency_mentions(question):
        found.setdefault(m.name, None)
    folded = _fold(question)
    for rx, name in _ENGLISH_AGENCIES:
        if re.search(rx, folded):
            found.setdefault(name, None)
    if found or not records:
        return tuple(found)
    # short forms: the first three words of a known agency ("so lao dong", "so giao duc")
    names = {n for r in records for n in (*r.lead, *r.coordinators)}
    prefixes: dict[str, set[str]] = {}
    for name in names:
        words = agency_match_key(name).split()
        if len(words) >= 3 and words[0] in {"so", "ban", "phong", "uy"}:
            prefixes.setdefault(" ".join(words[:3]), set()).add(name)
    padded = f" {' '.join(re.sub(r'[^a-z0-9]+', ' ', folded).split())} "
    for prefix, owners in prefixes.items():
        if len(owners) == 1 and f" {prefix} " in padded:
            found.setdefault(next(iter(owners)), None)
    return tuple(found)


def question_terms(analysis: Any, agencies: Sequence[str]) -> tuple[list[str], list[float]]:
    """The question's content words (folded) and their weights, minus the words of the agencies it names."""
    raw_keywords = list(getattr(analysis, "keywords", ()) or ())
    raw_weights = list(getattr(analysis, "keyword_weights", ()) or ())
    if len(raw_weights) != len(raw_keywords):
        raw_weights = [1.0] * len(raw_keywords)
    # keywords keep diacritics when the question has them; records are matched folded
    folded_weights: dict[str, float] = {}
    for k, w in zip(raw_keywords, raw_weights):
        key = fold_term(k)
        if key:
            folded_weights[key] = max(folded_weights.get(key, 0.0), w)
    keywords, weights = list(folded_weights), list(folded_weights.values())
    question = getattr(analysis, "question", "") or ""
    agency_words = {w for a in agencies for w in agency_match_key(a).split()}
    for a in agencies:
        agency_words |= text_words(a)
    question_words = text_words(question)
    for m in find_agency_mentions(question):
        agency_words |= text_words(m.raw)
    out_k, out_w = [], []
    for k, w in zip(keywords, weights):
        parts = k.split()
        if parts and all(p in agency_words for p in parts) and all(p in question_words for p in parts):
            continue
        out_k.append(k)
        out_w.append(w)
    return out_k, out_w


# A task about carrying out the whole plan ("tổ chức triển khai thực hiện kế hoạch", "triển khai
# Kế hoạch này"): the plan's title describes it, so title words count for it.
_PLAN_LEVEL = re.compile(
    r"(?:trien\s+khai|to\s+chuc\s+thuc\s+hien|thuc\s+hien|theo\s+doi|tong\s+hop)[^.;]{0,40}?\bke\s+hoach\b"
)


def fold_term(keyword: str) -> str:
    """A question keyword in the records' matching form: folded, spelling variants unified ("tỉ" = "tỷ")."""
    from assistant._text import term

    return " ".join(term(part, keep_marks=False) for part in keyword.lower().split())


def _runs(text: str) -> list[list[str]]:
    """Folded content-word runs of ``text`` as questions are tokenised (abbreviations expanded:
    "THCS" → "trung học cơ sở"; "cơ sở" one word), plus the plain folded word sequence."""
    from assistant._text import content_runs
    from assistant.glossary import expand_abbreviations

    plain = [fold_term(w) for w in _WORD.findall(_fold(text))]
    return [plain] + content_runs(expand_abbreviations(text, any_case=True))


def text_words(text: str) -> set[str]:
    """Folded words of any text, in the form records and question keywords are compared."""
    return {t for run in _runs(text) for t in run}


def _record_text(record: ResponsibilityRecord) -> str:
    """What a question about the record can name: its task, target, deadline and budget ("kinh phí
    năm 2023" meets "Năm 2023: 150 triệu đồng"), section, table group and table title."""
    extra = dict(record.extra)
    section_tail = record.section.split(" › ")[-1] if record.section else ""
    return " ".join(
        (record.task, record.target, record.deadline, record.budget, section_tail, extra.get("group", ""),
         extra.get("table", ""))
    )


@lru_cache(maxsize=8192)
def record_words(record: ResponsibilityRecord) -> frozenset[str]:
    """Folded words of the record's text (``_record_text``)."""
    return frozenset(text_words(_record_text(record)))


@lru_cache(maxsize=8192)
def record_own_words(record: ResponsibilityRecord) -> frozenset[str]:
    """Folded words of the record's own fields (task, target, deadline, budget), without its context."""
    return frozenset(text_words(" ".join((record.task, record.target, record.deadline, record.budget))))


@lru_cache(maxsize=8192)
def record_pairs(record: ResponsibilityRecord) -> frozenset[str]:
    """Adjacent folded word pairs of the same text ("bao cao", "nong thon")."""
    return frozenset(f"{a} {b}" for run in _runs(_record_text(record)) for a, b in zip(run, run[1:]))


def _row_number(record: ResponsibilityRecord) -> str:
    return dict(record.extra).get("row", "").strip().rstrip(".")


def _overlap(keywords: list[str], weights: list[float], words: set[str]) -> tuple[float, tuple[str, ...]]:
    total = sum(weights)
    if not keywords or total <= 0:
        return 0.0, ()
    got, hit = 0.0, []
    for k, w in zip(keywords, weights):
        parts = k.split()
        if parts and all(p in words for p in parts):
            got += w
            hit.append(k)
    return got / total, tuple(hit)


def _same_province(a: str, b: str) -> bool:
    from assistant._provinces import same_province

    return same_province(a, b)


def answer_from_records(
    question_or_analysis: Any,
    records: Sequence[ResponsibilityRecord],
    *,
    documents: Sequence[DocumentMeta] = (),
    intent: str | None = None,
    provinces: Sequence[str] | None = None,
    agencies: Sequence[str] | None = None,
    limit: int = 10,
    min_overlap: float = 0.5,
) -> list[RecordMatch]:
    """Records answering a who-leads / who-coordinates / deadline / budget question, best first.

    ``question_or_analysis`` is the question text or an ``assistant.query.QueryAnalysis``;
    ``intent``, ``provinces`` and ``agencies`` override what is read from the question.
    Returns [] when the question is not about responsibilities or nothing matches.
    """
    analysis = _analysis(question_or_analysis, documents)
    question = getattr(analysis, "question", "") or ""
    intent = intent or getattr(analysis, "intent", "") or ""
    wanted_provinces = tuple(provinces if provinces is not None else getattr(analysis, "provinces", ()) or ())
    named = tuple(canonical_agency(a) for a in agencies) if agencies is not None else question_agencies(question, records)
    named_keys = {agency_match_key(a): a for a in named}
    if not named and intent not in RECORD_INTENTS:
        return []
    keywords, weights = question_terms(analysis, named)
    doc_ids = set(getattr(analysis, "document_ids", ()) or ())
    row_refs = set(getattr(analysis, "row_refs", ()) or ())
    if not doc_ids:
        # "Kế hoạch 219" that is not a loaded plan: a plan the tasks refer to
        for number in getattr(analysis, "plan_numbers", ()) or ():
            keywords.append(_fold(number))
            weights.append(1.0)
    titles = {d.doc_id: set(_WORD.findall(_fold(d.title))) for d in documents if d.title}

    scored: list[tuple[tuple, RecordMatch]] = []
    for position, record in enumerate(records):
        if wanted_provinces and not any(_same_province(record.province, p) for p in wanted_provinces):
            continue
        if doc_ids and record.document not in doc_ids:
            continue
        if row_refs and _row_number(record) not in row_refs:
            continue  # "mục 2.6 phụ lục 04": only that table row answers
        lead_keys = {agency_match_key(a) for a in record.lead}
        coord_keys = {agency_match_key(a) for a in record.coordinators}
        role = ""
        hit_agencies: tuple[str, ...] = ()
        if named_keys:
            in_lead = [named_keys[k] for k in named_keys if k in lead_keys]
            in_coord = [named_keys[k] for k in named_keys if k in coord_keys]
            if intent == "lead":
                if not in_lead:
                    continue
                role, hit_agencies = "lead", tuple(in_lead)
            elif intent == "coordinate":
                if not in_coord:
                    continue
                role, hit_agencies = "coordinator", tuple(in_coord)
            else:
                if not in_lead and not in_coord:
                    continue
                role = "lead" if in_lead else "coordinator"
                hit_agencies = tuple(dict.fromkeys(in_lead + in_coord))
        else:
            if intent == "lead" and not record.lead:
                continue
            if intent == "coordinate" and not record.coordinators:
                continue
        if intent == "deadline" and not record.deadline:
            continue
        if intent == "budget" and not record.budget and not named_keys:
            continue
        overlap, terms = _overlap(keywords, weights, record_words(record))
        if record.document in titles and _PLAN_LEVEL.search(_fold(record.task)):
            title_overlap, title_terms = _overlap(keywords, weights, titles[record.document] | set(record_words(record)))
            if title_overlap * 0.9 > overlap:
                overlap, terms = title_overlap * 0.9, title_terms
        if not named_keys and overlap < min_overlap:
            continue
        has_field = (intent == "deadline" and bool(record.deadline)) or (intent == "budget" and bool(record.budget))
        role_fits = (intent == "lead" and role == "lead") or (intent == "coordinate" and role == "coordinator")
        # at equal match, a single body before a set of them ("UBND các huyện …" carry tasks out)
        single = not (intent in ("lead", "coordinate") and record.lead and all(is_collective(a) for a in record.lead))
        key = (round(overlap, 6), role_fits, has_field, single, -position)
        scored.append(
            (key, RecordMatch(record, overlap + 0.5 * role_fits + 0.25 * has_field, role, hit_agencies, terms, overlap))
        )

    if named_keys and keywords:
        # A question about one task of the agency ("Sở X chủ trì việc Y?") keeps the records about Y.
        best = max((k[0] for k, _ in scored), default=0.0)
        if best >= min_overlap:
            scored = [(k, m) for k, m in scored if k[0] >= min(0.3, best)]
    scored.sort(key=lambda km: km[0], reverse=True)
    return [m for _, m in scored[: max(0, limit)]]


def records_for_agency(
    agency: str,
    records: Sequence[ResponsibilityRecord],
    *,
    province: str = "",
    role: str = "",
) -> list[tuple[str, ResponsibilityRecord]]:
    """Every record of one agency as (role, record), role "lead" or "coordinator", in input order.

    For ``planchat who AGENCY``: ``role`` = "lead" / "coordinator" keeps one role only.
    """
    key = agency_match_key(canonical_agency(agency))
    out = []
    for record in records:
        if province and not _same_province(record.province, province):
            continue
        if key in {agency_match_key(a) for a in record.lead} and role in ("", "lead"):
            out.append(("lead", record))
        elif key in {agency_match_key(a) for a in record.coordinators} and role in ("", "coordinator"):
            out.append(("coordinator", record))
    return out
