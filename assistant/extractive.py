"""An answerer without an LLM: quote the best 1–3 units of the retrieved passages, cited.

For each unit (clause, table row, card line; see ``assistant.units``) the score adds up:

* topic: the weighted share of the question's content words found in the unit, its
  subject agency or its heading (``assistant.scoring``), plus bonuses for question
  phrases found verbatim, for the table row the question points at ("mục 2.6") and
  for items under the heading of the agency the question names;
* kind: how well the unit carries the kind of fact asked for (``assistant.evidence``);
* rank: a small bonus for the hit's retrieval rank.

Units from plans outside the province/plan the question names are never used. The
answerer abstains when nothing is left, when the best unit shares too few content
words with the question, or when no unit carries the kind of fact asked for (a figure
in đồng for "how much", a date for "when"). Answers are the units' own words, trimmed,
each followed by its [n] (``assistant.compose``).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from assistant._text import fold
from assistant.agencies import heading_agency
from assistant.citations import validate_citations
from assistant.compose import MAX_QUOTE_CHARS, SINGLE_QUOTE_CHARS, frame, lead_label, meta_sentence, plan_name, quote
from assistant.evidence import find_evidence
from assistant.query import QueryAnalysis, analyze
from assistant.scoring import (
    ScoredUnit,
    document_words,
    in_scope,
    matches_row_ref,
    names_heading_agency,
    phrase_hits,
    topic_coverage,
    years_present,
)
from assistant.types import ABSTAIN_EN, ABSTAIN_VI, Answer, Turn
from assistant.units import Unit, split_units
from index.types import Hit
from ingest.types import DocumentMeta

MIN_COVERAGE = 0.6  # weighted share of the question's content words a unit must have (tuned in tests)
EVIDENCE_WEIGHT = 0.5
PHRASE_BONUS = 0.1
RANK_BONUS = 0.1
SECOND_UNIT_RATIO = 0.92  # a second unit is added only when nearly as good as the first
PLURAL_UNIT_RATIO = 0.8  # … or fairly good, when the question asks for several items
ROW_REF_BONUS = 0.6  # the table row / list item whose number the question gives ("mục 2.6")
SUBJECT_BONUS = 0.2  # the unit sits under the heading of the agency the question names
SHORT_HEADING_CHARS = 80  # headings shorter than this are labels, never answers
SINGLE_UNIT_INTENTS = ("signer", "issue_date")
# A unit below MIN_COVERAGE may still answer when its whole passage covers the question (a
# multi-part question whose words spread over the sentences of one item) and the passage comes
# from the plan / province the question names, or when it is the table row the question points at.
MIN_UNIT_SHARE = 0.3


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
            passage_ok = analysis.names_scope and self._passage_covers(index, hit, analysis)
            for unit in split_units(index, hit.chunk):
                candidate = self._score(unit, hit, analysis, passage_ok)
                if candidate is not None:
                    scored.append(candidate)
        scored.sort(key=lambda s: (-s.score, s.unit.hit_index))
        return scored

    def _passage_covers(self, index: int, hit: Hit, analysis: QueryAnalysis) -> bool:
        """The whole passage (text and section path) has the question's topic. Never for the
        document card, whose title would match any question about its plan."""
        chunk = hit.chunk
        if chunk.kind == "card":
            return False
        whole = Unit(index, chunk.text, section=chunk.section, kind="text")
        return topic_coverage(whole, analysis).total >= self.min_coverage

    def _score(self, unit: Unit, hit: Hit, analysis: QueryAnalysis, passage_ok: bool = False) -> ScoredUnit | None:
        evidence = find_evidence(unit, analysis, hit.chunk.meta)
        if evidence.strength <= 0:
            return None
        topic = topic_coverage(unit, analysis, document_words=document_words(unit, hit, analysis))
        coverage = topic.total
        if not years_present(unit, hit, analysis):
            return None
        has_content_words = bool(analysis.keywords or analysis.foreign_terms)
        if analysis.foreign_terms and not analysis.keywords:
            return None  # an English question none of whose topic words the plans use
        if has_content_words and coverage < self.min_coverage:
            relaxed = passage_ok or matches_row_ref(unit, analysis)
            if not relaxed or coverage < MIN_UNIT_SHARE:
                return None
        if not has_content_words and analysis.intent in ("general", "list") and not analysis.names_scope:
            return None  # nothing to match on and no kind of fact asked for
        if unit.is_heading and (len(unit.text) < SHORT_HEADING_CHARS or heading_agency(unit.text)):
            return None  # a label ("4. Sở Tài chính", "12. Đề nghị Ủy ban MTTQ, Tỉnh đoàn …"): the items under it hold the facts
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
        return ScoredUnit(unit, hit, score, topic, evidence)

    def _choose(self, analysis: QueryAnalysis, ranked: list[ScoredUnit]) -> list[ScoredUnit]:
        best = ranked[0]
        chosen = [best]
        if analysis.intent == "list":
            seen = {best.hit.chunk.doc_id}
            for cand in ranked[1:]:
                if len(chosen) == 3:
                    break
                # each listed plan must say it in its own words, not only through a heading
                if cand.hit.chunk.doc_id not in seen and cand.score >= 0.6 * best.score and cand.own_coverage >= self.min_coverage:
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
                name = plan_name(su.hit.chunk.meta, su.hit.chunk.doc_id, language)
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
            label = lead_label(first, language)
            return f"{label} {agency}, {framing[0].lower() + framing[1:]}: {body}"
        if analysis.intent == "coordinate" and agency and not first.evidence.fields:
            label = "Đơn vị phối hợp:" if language == "vi" else "Coordinating agency:"
            return f"{label} {agency}, {framing[0].lower() + framing[1:]}: {body}"
        return f"{framing}: {body}"


def _overlaps(candidate: ScoredUnit, chosen: list[ScoredUnit]) -> bool:
    a = fold(candidate.unit.text)
    for other in chosen:
        b = fold(other.unit.text)
        if a in b or b in a:
            return True
    return False
