"""An answerer without an LLM: quote the best 1–3 units of the retrieved passages, cited.

For each unit (clause, table row, card line; see ``assistant.units``) the score adds up:

* topic: the share of the question's content syllables found in the unit (a syllable
  found only in the unit's heading counts 0.6), plus a bonus for each question phrase
  found verbatim;
* kind: how well the unit carries the kind of fact asked for (``assistant.evidence``);
* rank: a small bonus for the hit's retrieval rank.

Units from plans outside the province/plan the question names are never used. The
answerer abstains when nothing is left, when the best unit shares too few content
words with the question, or when no unit carries the kind of fact asked for (a figure
in đồng for "how much", a date for "when"). Answers are the units' own words, trimmed,
each followed by its [n].
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

from assistant._provinces import same_province
from assistant._text import content_runs, fold
from assistant.citations import validate_citations
from assistant.evidence import Evidence, find_evidence
from assistant.glossary import expand_abbreviations
from assistant.query import QueryAnalysis, analyze
from assistant.types import ABSTAIN_EN, ABSTAIN_VI, Answer, Turn
from assistant.units import Unit, split_units
from index.types import Hit
from ingest.types import DocumentMeta

MIN_COVERAGE = 0.6  # weighted share of the question's content words a unit must have (tuned in tests)
CONTEXT_WEIGHT = 0.6  # a content word found only in the unit's heading / section path
UNPAIRED_CREDIT = 0.75  # a syllable found without the partner it has in the question ("nông" without "thôn")
FOREIGN_WEIGHT = 1.0  # an English word with no glossary entry counts against coverage like a mapped term
EVIDENCE_WEIGHT = 0.5
PHRASE_BONUS = 0.1
RANK_BONUS = 0.1
MAX_QUOTE_CHARS = 230
MAX_HEADING_CHARS = 120
SECOND_UNIT_RATIO = 0.92  # a second unit is added only when nearly as good as the first
PLURAL_UNIT_RATIO = 0.8  # … or fairly good, when the question asks for several items
ROW_REF_BONUS = 0.6  # the table row / list item whose number the question gives ("mục 2.6")
SINGLE_QUOTE_CHARS = 320  # a one-unit answer may quote a little more
SUBJECT_BONUS = 0.2  # the unit sits under the heading of the agency the question names
SHORT_HEADING_CHARS = 80  # headings shorter than this are labels, never answers
SINGLE_UNIT_INTENTS = ("signer", "issue_date")


@dataclass(frozen=True)
class ScoredUnit:
    unit: Unit
    hit: Hit
    score: float
    coverage: float
    own_coverage: float  # coverage from the unit's own words (no heading)
    evidence: Evidence


def abstention(language: str, answerer: str = "extractive") -> Answer:
    return Answer(text=ABSTAIN_EN if language == "en" else ABSTAIN_VI, citations=(), abstained=True,
                  language=language, answerer=answerer)


class ExtractiveAnswerer:
    """The ``Answerer`` seam without any model: quotes, framing, [n] markers."""

    name = "extractive"

    def __init__(self, documents: Sequence[DocumentMeta] = (), *, min_coverage: float = MIN_COVERAGE) -> None:
        self._documents = tuple(documents)
        self.min_coverage = min_coverage

    # -- the seam ------------------------------------------------------------
    def answer(self, question: str, hits: Sequence[Hit], language: str, history: Sequence[Turn] = ()) -> Answer:
        language = "en" if language == "en" else "vi"
        if not question.strip() or not hits:
            return abstention(language, self.name)
        analysis = analyze(question, self._known_documents(hits))
        ranked = self.rank_units(analysis, hits)
        if not ranked:
            return abstention(language, self.name)
        chosen = self._choose(analysis, ranked)
        chosen += self._also_units(analysis, hits, chosen)
        draft = self._compose(chosen, hits, analysis, language)
        text, citations = validate_citations(draft, hits)
        if not citations:
            return abstention(language, self.name)
        return Answer(text=text, citations=citations, abstained=False, language=language, answerer=self.name)

    # -- scoring -------------------------------------------------------------
    def _known_documents(self, hits: Sequence[Hit]) -> list[DocumentMeta]:
        docs = {d.doc_id: d for d in self._documents}
        for hit in hits:
            if hit.chunk.meta is not None:
                docs.setdefault(hit.chunk.doc_id, hit.chunk.meta)
        return list(docs.values())

    def rank_units(self, analysis: QueryAnalysis, hits: Sequence[Hit]) -> list[ScoredUnit]:
        """Eligible units, best first (empty: abstain)."""
        scored: list[ScoredUnit] = []
        for index, hit in enumerate(hits):
            if not in_scope(hit, analysis):
                continue
            for unit in split_units(index, hit.chunk):
                candidate = self._score(unit, hit, analysis)
                if candidate is not None:
                    scored.append(candidate)
        scored.sort(key=lambda s: (-s.score, s.unit.hit_index))
        return scored

    def _score(self, unit: Unit, hit: Hit, analysis: QueryAnalysis) -> ScoredUnit | None:
        evidence = find_evidence(unit, analysis, hit.chunk.meta)
        if evidence.strength <= 0:
            return None
        coverage, own = topic_coverage(unit, analysis, document_words=document_words(unit, hit, analysis))
        if not years_present(unit, hit, analysis):
            return None
        has_content_words = bool(analysis.keywords or analysis.foreign_terms)
        if has_content_words and coverage < self.min_coverage:
            return None
        if not has_content_words and analysis.intent in ("general", "list") and not analysis.names_scope:
            return None  # nothing to match on and no kind of fact asked for
        if unit.is_heading and len(unit.text) < SHORT_HEADING_CHARS:
            return None  # a label ("4. Sở Tài chính"): the items under it hold the facts
        if unit.is_heading and analysis.intent not in ("general", "list"):
            coverage *= 0.8  # a heading names a topic; the items under it hold the facts
        score = (
            coverage
            + ROW_REF_BONUS * matches_row_ref(unit, analysis)
            + SUBJECT_BONUS * names_heading_agency(unit, analysis)
            + PHRASE_BONUS * min(2, phrase_hits(unit, analysis))
            + EVIDENCE_WEIGHT * evidence.strength
            + RANK_BONUS / (unit.hit_index + 1)
        )
        return ScoredUnit(unit, hit, score, coverage, own, evidence)

    def _choose(self, analysis: QueryAnalysis, ranked: list[ScoredUnit]) -> list[ScoredUnit]:
        best = ranked[0]
        chosen = [best]
        if analysis.intent == "list":
            seen = {best.hit.chunk.doc_id}
            for cand in ranked[1:]:
                if len(chosen) == 3:
                    break
                if cand.hit.chunk.doc_id not in seen and cand.score >= 0.6 * best.score:
                    chosen.append(cand)
                    seen.add(cand.hit.chunk.doc_id)
            return chosen
        if analysis.intent in SINGLE_UNIT_INTENTS:
            return chosen
        # "những nguồn kinh phí nào?" wants every item; otherwise a second unit only if nearly as good
        most, ratio = (3, PLURAL_UNIT_RATIO) if analysis.plural else (2, SECOND_UNIT_RATIO)
        for cand in ranked[1:]:
            if len(chosen) == most or cand.score < ratio * best.score:
                break
            same_doc = cand.hit.chunk.doc_id == best.hit.chunk.doc_id
            if same_doc and cand.evidence.strength >= best.evidence.strength and not _overlaps(cand, chosen):
                chosen.append(cand)
        return chosen

    def _also_units(self, analysis: QueryAnalysis, hits: Sequence[Hit], chosen: list[ScoredUnit]) -> list[ScoredUnit]:
        """For "bao nhiêu đại biểu, tổ chức khi nào?": the best unit of the same plan for each further
        kind of fact asked, unless a chosen unit (a table row showing both columns) already has it."""
        if analysis.intent == "list" or not analysis.also:
            return []
        doc_id = chosen[0].hit.chunk.doc_id
        extra: list[ScoredUnit] = []
        for intent in analysis.also:
            if intent in SINGLE_UNIT_INTENTS:
                continue
            second = replace(analysis, intent=intent, also=())
            if any(find_evidence(su.unit, second, su.hit.chunk.meta).strength >= 0.6 for su in chosen + extra):
                continue
            candidates = [su for su in self.rank_units(second, hits) if su.hit.chunk.doc_id == doc_id]
            if candidates and candidates[0].evidence.strength >= 0.6 and not _overlaps(candidates[0], chosen + extra):
                extra.append(candidates[0])
        return extra[: max(0, 3 - len(chosen))]

    # -- composing -----------------------------------------------------------
    def _compose(self, chosen: list[ScoredUnit], hits: Sequence[Hit], analysis: QueryAnalysis, language: str) -> str:
        if analysis.intent == "list":
            lines = []
            for su in chosen:
                name = _plan_name(su.hit.chunk.meta, su.hit.chunk.doc_id, language)
                lines.append(f"- {name}: {quote(su, analysis)} [{su.unit.hit_index + 1}]")
            intro = "Các kế hoạch có nội dung này:" if language == "vi" else "Plans that cover this:"
            return intro + "\n" + "\n".join(lines)

        first = chosen[0]
        meta = first.hit.chunk.meta
        marker = f"[{first.unit.hit_index + 1}]"
        framing = frame(meta, first.hit.chunk.doc_id, language)
        if first.evidence.from_meta:
            return meta_sentence(first, analysis.intent, language, marker)
        limit = SINGLE_QUOTE_CHARS if len(chosen) == 1 else MAX_QUOTE_CHARS
        parts = [f"{quote(first, analysis, limit)} {marker}"]
        for su in chosen[1:]:
            parts.append(f"{quote(su, analysis, limit)} [{su.unit.hit_index + 1}]")
        body = "; ".join(parts)

        agency = first.evidence.agency
        if analysis.intent == "lead" and agency:
            label = _lead_label(first, language)
            return f"{label} {agency}, {framing[0].lower() + framing[1:]}: {body}"
        if analysis.intent == "coordinate" and agency and not first.evidence.fields:
            label = "Đơn vị phối hợp:" if language == "vi" else "Coordinating agency:"
            return f"{label} {agency}, {framing[0].lower() + framing[1:]}: {body}"
        return f"{framing}: {body}"


# ---------------------------------------------------------------------------
# helpers shared with tests and other answerers


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


def _terms_of(text: str, keep_marks: bool) -> tuple[set[str], str]:
    runs = content_runs(expand_abbreviations(text), keep_marks=keep_marks)
    return {t for run in runs for t in run}, " " + " ".join(" ".join(run) for run in runs) + " "


# "Thời gian thực hiện: …", "Phân công thực hiện: …": a label line is about the task heading above it
_LABEL_LINE = re.compile(r"^[^\W\d_][^:\d]{1,40}:\s")


def topic_coverage(unit: Unit, analysis: QueryAnalysis, *, document_words: str = "") -> tuple[float, float]:
    """(coverage counting the heading, coverage from the unit's own words).

    Coverage is the weighted share of the question's keywords found (see
    ``QueryAnalysis.keyword_weights``); English words the glossary could not map count
    against it, since no Vietnamese passage can contain them. Words found only in the
    heading / section path count CONTEXT_WEIGHT, except for a label line ("Thời gian thực
    hiện: Tháng 10/2023"), whose topic is its heading, and under an agency heading of a
    "TỔ CHỨC THỰC HIỆN" list, which is the subject of every item below it (``Unit.subject``). ``document_words`` (the whole card, for a card line) count as the unit's own.
    """
    keywords = analysis.keywords
    denominator = sum(analysis.weight(k) for k in keywords) + FOREIGN_WEIGHT * len(analysis.foreign_terms)
    if denominator == 0:
        return 1.0, 1.0
    marks = analysis.marked
    context_weight = 1.0 if _LABEL_LINE.match(unit.text) else CONTEXT_WEIGHT
    own = _credits(f"{unit.text}\n{document_words}" if document_words else unit.text, analysis)
    subj = _credits(unit.subject, analysis) if unit.subject else {}
    ctx = _credits(f"{unit.heading}\n{unit.section}", analysis) if (unit.heading or unit.section) else {}
    own_score = total = 0.0
    for k in keywords:
        best_own = own.get(k, 0.0)
        found = max(best_own, subj.get(k, 0.0), context_weight * ctx.get(k, 0.0))
        own_score += analysis.weight(k) * best_own
        total += analysis.weight(k) * found
    return total / denominator, own_score / denominator


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
    terms, joined = _terms_of(mask_agency_names(text, analysis.question), analysis.marked)
    keywords = set(analysis.keywords)
    credits: dict[str, float] = {}
    for k in keywords & terms:
        partners = [b for b in analysis.bigrams if k in b.split()]
        paired = not partners or any(f" {b} " in joined for b in partners)
        credits[k] = 1.0 if paired else UNPAIRED_CREDIT
    for phrase, alternative in analysis.alternates:
        if f" {alternative} " in joined:
            for k in set(phrase.split()) & keywords:
                credits[k] = 1.0
    return credits


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
    plan's title/date): "chỉ tiêu năm 2021" is not answered by a 2020 plan's targets."""
    years = [k for k in analysis.keywords if _YEAR.match(k)]
    if not years:
        return True
    meta = hit.chunk.meta
    around = " ".join(
        (unit.text, unit.heading, unit.section, meta.title if meta else "", meta.issued_date if meta else "")
    )
    if unit.kind == "card":
        around += " " + hit.chunk.text
    found = set(re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", around))
    return all(y in found for y in years)


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
    terms, _ = _terms_of(agency, analysis.marked)
    return bool(terms) and terms <= set(analysis.keywords)


def phrase_hits(unit: Unit, analysis: QueryAnalysis) -> int:
    """Question phrases found verbatim in the unit (or in the agency heading it sits under)."""
    _, own_text = _terms_of(unit.text, analysis.marked)
    subject = unit.subject
    _, subj_text = _terms_of(subject, analysis.marked) if subject else (set(), " ")
    return sum(1 for p in analysis.phrases if f" {p} " in own_text or f" {p} " in subj_text)


def _overlaps(candidate: ScoredUnit, chosen: list[ScoredUnit]) -> bool:
    a = fold(candidate.unit.text)
    for other in chosen:
        b = fold(other.unit.text)
        if a in b or b in a:
            return True
    return False


def frame(meta: DocumentMeta | None, doc_id: str, language: str) -> str:
    """"Theo Kế hoạch số 3058/KH-UBND (Cao Bằng)" / "According to plan 3058/KH-UBND (Cao Bằng)"."""
    province = f" ({meta.province})" if meta and meta.province else ""
    if meta and meta.number:
        number = meta.number if re.search(r"\d", meta.number) else ""
        if language == "vi":
            return f"Theo Kế hoạch số {number}{province}" if number else f"Theo Kế hoạch {meta.number}{province}"
        return f"According to plan {meta.number}{province}"
    if meta and meta.title:
        title = _trim(meta.title, 70)
        return f"Theo kế hoạch “{title}”{province}" if language == "vi" else f"According to the plan “{title}”{province}"
    return f"Theo {doc_id}{province}" if language == "vi" else f"According to {doc_id}{province}"


def _plan_name(meta: DocumentMeta | None, doc_id: str, language: str) -> str:
    province = f" ({meta.province})" if meta and meta.province else ""
    if meta and meta.number:
        numbered = re.search(r"\d", meta.number) is not None
        vi = f"Kế hoạch số {meta.number}" if numbered else f"Kế hoạch {meta.number}"
        return (vi if language == "vi" else f"Plan {meta.number}") + province
    return (f"Kế hoạch {doc_id}" if language == "vi" else f"The plan {doc_id}") + province


def meta_sentence(su: ScoredUnit, intent: str, language: str, marker: str) -> str:
    """Signer / issue date from the document card, for cards that describe rather than quote."""
    meta = su.hit.chunk.meta
    name = _plan_name(meta, su.hit.chunk.doc_id, language)
    if meta is None:
        return f"{name}: {quote(su, None)} {marker}"
    if intent == "signer":
        title = f" ({meta.signer_title})" if meta.signer_title else ""
        return f"{name} do {meta.signer}{title} ký {marker}." if language == "vi" else f"{name} was signed by {meta.signer}{title} {marker}."
    when = meta.issued_date_text or meta.issued_date
    return f"{name} được ban hành {when} {marker}." if language == "vi" else f"{name} was issued on {meta.issued_date or when} {marker}."


def _lead_label(su: ScoredUnit, language: str) -> str:
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


def _row_quote(su: ScoredUnit, analysis: QueryAnalysis | None) -> str:
    """The cells of a table row that answer: the task (or row label), the cells of every kind of
    fact asked ("ai chủ trì, hạn khi nào?" shows both columns) and the cells whose header or value
    shares words with the question (the "THPT" column of a rate table), in column order."""
    fields = [(h, v) for h, v in su.unit.fields if v and not _is_blank_cell(v) and fold(h) not in ("tt", "stt")]
    if not fields:
        return _trim(su.unit.text, MAX_QUOTE_CHARS)
    task = next((f for f in fields if any(k in fold(f[0]) for k in _TASK_HEADERS)), None)
    wanted: set[tuple[str, str]] = set(su.evidence.fields)
    if task:
        wanted.add(task)
    if analysis is not None:
        for intent in analysis.also:
            wanted.update(find_evidence(su.unit, replace(analysis, intent=intent), su.hit.chunk.meta).fields)
        overlaps = sorted(
            ((len(_terms_of(f"{h} {v}", analysis.marked)[0] & set(analysis.keywords)), i) for i, (h, v) in enumerate(fields)),
            reverse=True,
        )
        wanted.update(fields[i] for n, i in overlaps[:3] if n > 0)
    shown = [f for f in fields if f in wanted] or fields[:3]
    keywords = set(analysis.keywords) if analysis is not None else set()
    marks = analysis.marked if analysis is not None else True
    text = "; ".join(
        f"{h}: {_window(v, keywords, marks, 200)}" if h else _window(v, keywords, marks, 200) for h, v in shown
    )
    return _trim(text, 2 * MAX_QUOTE_CHARS)


def _window(value: str, keywords: set[str], marks: bool, limit: int) -> str:
    """A long cell cut down to the stretch (between commas/semicolons) richest in question words:
    the "04 buổi … cụm trường Lục Yên" part of a long task description."""
    value = " ".join(value.split())
    if len(value) <= limit or not keywords:
        return _trim(value, limit)
    starts = [0] + [m.end() for m in re.finditer(r"[,;:]\s+|\s[-–]\s", value)]
    best_start, best_hits = 0, -1
    for start in starts:
        terms, _ = _terms_of(value[start : start + limit], marks)
        hits = len(terms & keywords)
        if hits > best_hits:
            best_start, best_hits = start, hits
    piece = _trim(value[best_start:], limit)
    return ("… " + piece) if best_start else piece


_TASK_HEADERS = ("noi dung", "cong viec", "nhiem vu", "hoat dong", "don vi")


def _is_blank_cell(value: str) -> bool:
    return value.strip(" -–x.") == ""


def quote(su: ScoredUnit, analysis: QueryAnalysis | None, limit: int = MAX_QUOTE_CHARS) -> str:
    """The unit's words in quotes, trimmed, opened on the supporting span; with its heading
    when the heading carries the topic (a "Thời gian thực hiện" line under its task)."""
    unit = su.unit
    if unit.kind == "row":
        return f'"{_row_quote(su, analysis)}"'
    text = unit.text
    if len(text) > limit and 0 < su.evidence.focus < len(text):
        text = text[su.evidence.focus :]  # open on the supporting clause of a long sentence
    text = text.replace("*", "")
    body = _trim(text, limit)
    if body[:1].islower():
        body = "… " + body
    heading = unit.heading
    use_heading = (
        analysis is not None
        and heading
        and not unit.is_heading
        and su.coverage - su.own_coverage > 1e-9
        and su.own_coverage < 0.5
        and not (su.evidence.agency and unit.subject == su.evidence.agency)
    )
    if use_heading:
        head = _trim(heading.replace("*", ""), MAX_HEADING_CHARS)
        joiner = " " if head.endswith("…") or body.startswith("…") else " … "
        return f'"{head}{joiner}{body}"'
    return f'"{body}"'
