"""An answerer without an LLM: quote the best 1–3 units of the retrieved passages, cited.

Every unit (clause, list item, table row, card line; see ``assistant.units``) of the passages
in the question's scope is measured on a few general features (``assistant.ranking``): the
share of the question's words it has, plain and weighted by their rarity among the candidates;
its cosine to the question through the index's own embedder; whether it shows the kind of fact
asked (a date, an amount, an agency: ``assistant.answer_types``) and the role asked (who leads:
``assistant.evidence``); its passage's retrieval rank and cosine. A logistic model fitted on the
development halves (``python -m evals.calibrate``) turns them into the probability that quoting
the unit answers the question. The answerer quotes the best unit (and a second one nearly as
good), or abstains when even the best is below the model's threshold — a calibrated decision,
not a set of intent rules.

Hard limits stay: units from plans outside the province/plan the question names, or about
another year than the one it names, never answer. Answers are the units' own words, trimmed,
each followed by its [n] (``assistant.compose``).
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from assistant._text import fold
from assistant.agencies import heading_agency, is_collective
from assistant.answer_types import asked_types, names_a_document, requires_fact, speaks_of_itself, type_match
from assistant.citations import validate_citations
from assistant.compose import MAX_QUOTE_CHARS, SINGLE_QUOTE_CHARS, frame, lead_label, meta_sentence, plan_name, quote
from assistant.evidence import counted_noun, counts_noun, find_evidence
from assistant.query import QueryAnalysis, analyze
from assistant.ranking import FeatureRow, RankerModel, finish_features, load_model, question_features
from assistant.records import question_agencies
from assistant.scoring import (
    CONTEXT_WEIGHT,
    FOREIGN_WEIGHT,
    ScoredUnit,
    Coverage,
    _credits,
    document_context,
    document_words,
    in_scope,
    matches_row_ref,
    names_heading_agency,
    phrase_hits,
    topic_coverage,
    years_present,
)
from assistant.similarity import Similarity
from assistant.types import ABSTAIN_EN, ABSTAIN_VI, Answer, Turn
from assistant.units import Unit, introduced_list, split_units
from index.types import Hit
from ingest.agencies import looks_like_agency, same_agency
from ingest.types import DocumentMeta

SHORT_HEADING_CHARS = 80  # headings shorter than this are labels, never answers
SINGLE_UNIT_INTENTS = ("signer", "issue_date")
QUANTITY_TYPES = frozenset({"money", "percent", "measure", "duration"})  # figures that say what they measure
MAX_UNITS = 2  # quoted units for one answer (3 when the question asks for several items)
LIST_RATIO = 0.5  # in a cross-plan answer, another plan's best unit is listed when at least this share of the best
CONTEXT_CHARS = 100  # heading / subject kept in front of a unit when it is embedded


def abstention(language: str, answerer: str = "extractive", confidence: float | None = None) -> Answer:
    return Answer(text=ABSTAIN_EN if language == "en" else ABSTAIN_VI, citations=(), abstained=True,
                  language=language, answerer=answerer, confidence=confidence)


def unit_context_text(unit: Unit) -> str:
    """What a unit says together with the heading or agency it sits under (the text embedded)."""
    context = (unit.subject or ("" if unit.is_heading else unit.heading)).strip()
    if context and fold(context) not in fold(unit.text):
        return f"{context[:CONTEXT_CHARS]}: {unit.text}"
    return unit.text


# a table column's unit of measure, carried onto its bare figures ("Tỷ lệ … (%) / THCS: 37,0" → "37,0 %")
_COLUMN_UNITS = ((re.compile(r"%|tỷ lệ|tỉ lệ", re.IGNORECASE), "%"),
                 (re.compile(r"đồng|vnđ", re.IGNORECASE), "đồng"),
                 (re.compile(r"\bm2\b|m²", re.IGNORECASE), "m2"))
_BARE_FIGURE = re.compile(r"^\s*\d[\d.,]*\s*$")


def _role_constraints(analysis: QueryAnalysis, scored: list[ScoredUnit]) -> list[ScoredUnit]:
    """What a who-leads / who-coordinates question fixes itself, applied as hard limits:
    - "Sở X chủ trì những nhiệm vụ nào?": when some unit gives X the role, units giving it to
      another agency cannot answer;
    - "Ai chủ trì tổ chức thực hiện Kế hoạch 72?" (a named document, no topic of its own): when
      some unit speaks of carrying out the document as a whole, only those answer."""
    if analysis.intent not in ("lead", "coordinate"):
        return scored
    if any(s.features["role_named"] for s in scored):
        scored = [s for s in scored if not s.features["role_other"]]
    if any(not k.isdigit() for k in analysis.keywords):
        return scored  # the question has a topic of its own
    whole = [s for s in scored if s.features["self_ref"]]
    return whole or scored


def shows_list(unit: Unit, hit: Hit) -> bool:
    """The unit is a lead-in ("… bao gồm:") that is quoted with the list it announces."""
    return as_quoted(unit, hit) is not unit


def as_quoted(unit: Unit, hit: Hit) -> Unit:
    """The unit as an answer quotes it: a lead-in with its list, any other unit as it is."""
    listed = introduced_list(hit.chunk.text, unit.text) if unit.kind == "text" else ()
    return replace(unit, text=" ".join(listed)) if listed else unit


def shown_text(unit: Unit, hit: Hit) -> str:
    """Everything an answer quoting ``unit`` can show: its words with their heading or agency,
    a row's cells, a lead-in's list."""
    listed: tuple[str, ...] = ()
    if unit.kind == "text":
        listed = introduced_list(hit.chunk.text, unit.text) or (
            introduced_list(hit.chunk.text, unit.heading) if unit.heading and not unit.is_heading else ()
        )
    return " ".join([unit_context_text(unit), *(v for _, v in unit.fields), *listed])


def fact_text(unit: Unit) -> str:
    """The unit's text for finding the kind of fact it shows: with its heading, and for a table row
    each bare figure followed by its column's unit of measure."""
    text = unit_context_text(unit)
    extra = [
        f"{value.strip()} {mark}"
        for header, value in unit.fields
        if _BARE_FIGURE.match(value)
        for pattern, mark in _COLUMN_UNITS
        if pattern.search(header)
    ]
    return f"{text} ({'; '.join(extra)})" if extra else text


class ExtractiveAnswerer:
    """The ``Answerer`` seam without any generative model: quotes, framing, [n] markers."""

    name = "extractive"

    def __init__(
        self,
        documents: Sequence[DocumentMeta] = (),
        *,
        embedder=None,
        model: RankerModel | None = None,
        threshold: float | None = None,
        restore_marks=None,
    ) -> None:
        self._documents = tuple(documents)
        self._similarity = Similarity(embedder, prepare_query=restore_marks)
        self.model = model or load_model(semantic=embedder is not None)
        self.threshold = self.model.threshold if threshold is None else threshold

    # -- the seam ------------------------------------------------------------
    def answer(self, question: str, hits: Sequence[Hit], language: str, history: Sequence[Turn] = ()) -> Answer:
        language = "en" if language == "en" else "vi"
        if not question.strip() or not hits:
            return abstention(language, self.name)
        analysis = analyze(question, self._known_documents(hits))
        ranked = self.rank_units(analysis, hits)
        if not ranked:
            return abstention(language, self.name, 0.0)
        confidence = self.confidence(analysis, ranked, hits)
        if confidence < self.threshold:
            return abstention(language, self.name, confidence)
        chosen = self._choose(analysis, ranked)
        chosen += self._also_units(analysis, ranked, chosen)
        draft = self._compose(chosen, hits, analysis, language)
        text, citations = validate_citations(draft, hits)
        if not citations:
            return abstention(language, self.name, confidence)
        return Answer(text=text, citations=citations, abstained=False, language=language, answerer=self.name,
                      confidence=confidence)

    # -- scoring -------------------------------------------------------------
    def _known_documents(self, hits: Sequence[Hit]) -> list[DocumentMeta]:
        docs = {d.doc_id: d for d in self._documents}
        for hit in hits:
            if hit.chunk.meta is not None:
                docs.setdefault(hit.chunk.doc_id, hit.chunk.meta)
        return list(docs.values())

    def candidates(self, analysis: QueryAnalysis, hits: Sequence[Hit]) -> list[tuple[Unit, Hit]]:
        """Units that may answer at all: in the question's scope and year, not a bare label heading,
        and showing the kind of fact asked when the question needs one (a figure, a date, a name)."""
        asked = asked_types(analysis.question)
        required = requires_fact(asked)
        # one kind of fact asked: the unit must show it; several ("bao nhiêu đại biểu, tổ chức khi
        # nào?"): each unit must show one of them, and the answer gets a unit for each
        wanted = asked if analysis.also else asked[:1]
        if set(wanted) & QUANTITY_TYPES:
            # "tổng kinh phí bao nhiêu?": the "bao nhiêu" asks for the amount, not for any count
            wanted = tuple(t for t in wanted if t != "count")
        noun = counted_noun(analysis.question) if asked[:1] == ("count",) and not analysis.also else ""
        out = []
        for index, hit in enumerate(hits):
            if not in_scope(hit, analysis):
                continue
            for unit in split_units(index, hit.chunk):
                if unit.is_heading and (len(unit.text) < SHORT_HEADING_CHARS or heading_agency(unit.text)) \
                        and not introduced_list(hit.chunk.text, unit.text):
                    continue  # a label ("4. Sở Tài chính"): the items under it hold the facts
                if not years_present(unit, hit, analysis):
                    continue
                shown = fact_text(as_quoted(unit, hit))
                if required and type_match(shown, wanted) == 0:
                    continue  # the kind of fact asked ("tổng kinh phí bao nhiêu" → an amount) is not there
                if noun and not counts_noun(shown, noun):
                    continue  # "bao nhiêu cơ sở?" needs a figure of "cơ sở", not any figure
                out.append((unit, hit))
        return out

    def rank_units(self, analysis: QueryAnalysis, hits: Sequence[Hit]) -> list[ScoredUnit]:
        """Eligible units with the ranker's probability, best first (empty: nothing can answer)."""
        pairs = self.candidates(analysis, hits)
        if not pairs:
            return []
        asked = asked_types(analysis.question)
        keywords = [k for k in analysis.keywords]
        weights = {k: analysis.weight(k) for k in keywords}
        denominator = sum(weights.values()) + FOREIGN_WEIGHT * analysis.foreign_weight()
        foreign = (FOREIGN_WEIGHT * analysis.foreign_weight() / denominator) if denominator else 0.0
        # a lead-in is measured with the list it announces: the items say what the lead-in is about
        # ("Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 03 năm đến 07 năm: a) Có tổ chức; …")
        measured = [as_quoted(unit, hit) for unit, hit in pairs]
        cosines = self._similarity.cosines(analysis.question, [unit_context_text(u) for u in measured])
        names_document = names_a_document(analysis)
        named = question_agencies(analysis.question)  # "Sở X chủ trì những nhiệm vụ nào?"
        about_document = analysis.intent in ("signer", "issue_date") or bool(set(asked[:1]) & {"person", "date", "document"})
        rows: list[FeatureRow] = []
        extras: list[tuple[Coverage, object]] = []
        for unit, (_, hit), cosine in zip(measured, pairs, cosines):
            evidence = find_evidence(unit, analysis, hit.chunk.meta)
            topic = topic_coverage(unit, analysis, document_words=document_words(unit, hit, analysis),
                                   document_context=document_context(hit))
            rows.append(
                FeatureRow(
                    lex=topic.total,
                    lex_own=topic.own,
                    word_credits=_word_credits(unit, hit, analysis),
                    sem=cosine,
                    type=type_match(fact_text(unit), asked, analysis.question),
                    evidence=evidence.strength,
                    rank=1.0 / (unit.hit_index + 1),
                    dense=hit.dense_score or 0.0,
                    foreign=foreign,
                    heading=unit.is_heading,
                    row=unit.kind == "row",
                    card=unit.kind == "card",
                    self_ref=names_document and speaks_of_itself(unit.text),
                    collective=analysis.intent in ("lead", "coordinate") and is_collective(evidence.agency),
                    role_named=bool(named) and bool(evidence.agency) and any(same_agency(evidence.agency, a) for a in named),
                    role_other=bool(named) and bool(evidence.agency) and not any(same_agency(evidence.agency, a) for a in named),
                    row_ref=matches_row_ref(unit, analysis),
                    subject=names_heading_agency(unit, analysis),
                    phrases=phrase_hits(unit, analysis),
                    card_meta=unit.kind == "card" and about_document,
                )
            )
            extras.append((topic, evidence))
        features = finish_features(rows, weights)
        scored = [
            ScoredUnit(unit, hit, self.model.ranker.probability(f.as_dict()), topic, evidence, f.as_dict())
            for (unit, hit), f, (topic, evidence) in zip(pairs, features, extras)
        ]
        scored = _role_constraints(analysis, scored)
        scored.sort(key=lambda s: (-s.score, s.unit.hit_index))
        return scored

    def confidence(self, analysis: QueryAnalysis, ranked: Sequence[ScoredUnit], hits: Sequence[Hit]) -> float:
        """The abstention model's probability that quoting the best unit answers the question."""
        return self.model.abstain.probability(self.question_features(analysis, ranked, hits))

    def question_features(self, analysis: QueryAnalysis, ranked: Sequence[ScoredUnit], hits: Sequence[Hit]) -> dict[str, float]:
        return question_features([su.features for su in ranked[:2]], [su.score for su in ranked[:2]],
                                 bool(asked_types(analysis.question)), missing_from_passages(analysis, hits))

    def _choose(self, analysis: QueryAnalysis, ranked: list[ScoredUnit]) -> list[ScoredUnit]:
        best = ranked[0]
        chosen = [best]
        if analysis.intent == "list":
            seen = {best.hit.chunk.doc_id}
            for cand in ranked[1:]:
                if len(chosen) == 3:
                    break
                if cand.hit.chunk.doc_id not in seen and cand.score >= LIST_RATIO * best.score:
                    chosen.append(cand)
                    seen.add(cand.hit.chunk.doc_id)
            return chosen
        if analysis.intent in SINGLE_UNIT_INTENTS or best.evidence.from_meta or shows_list(best.unit, best.hit):
            return chosen  # one fact, or a lead-in quoted with its whole list
        most = MAX_UNITS + 1 if analysis.plural else MAX_UNITS
        for cand in ranked[1:]:
            if len(chosen) == most or cand.score < self.model.second_ratio * best.score:
                break
            if _names_another_lead(analysis, best, cand):
                continue  # "who leads?" has one answer: a unit naming another lead contradicts it
            if cand.hit.chunk.doc_id == best.hit.chunk.doc_id and not _overlaps(cand, chosen):
                chosen.append(cand)
        return chosen

    def _also_units(self, analysis: QueryAnalysis, ranked: Sequence[ScoredUnit], chosen: list[ScoredUnit]) -> list[ScoredUnit]:
        """For "bao nhiêu đại biểu, tổ chức khi nào?": the best unit of the same document for each
        further kind of fact asked, unless a chosen unit (a table row showing both columns) has it."""
        if analysis.intent == "list" or not analysis.also:
            return []
        doc_id = chosen[0].hit.chunk.doc_id
        noun = counted_noun(analysis.question)
        extra: list[ScoredUnit] = []

        def shows(su: ScoredUnit, kind: str) -> bool:
            text = fact_text(su.unit)
            return bool(type_match(text, (kind,))) and (kind != "count" or not noun or counts_noun(text, noun))

        for kind in asked_types(analysis.question):
            if any(shows(su, kind) for su in chosen + extra):
                continue
            for su in ranked:
                if su.hit.chunk.doc_id == doc_id and shows(su, kind) and not _overlaps(su, chosen + extra):
                    extra.append(su)
                    break
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
            return meta_sentence(first, analysis.intent, language, marker, asked_types(analysis.question))
        limit = SINGLE_QUOTE_CHARS if len(chosen) == 1 else MAX_QUOTE_CHARS
        parts = [f"{quote(first, analysis, limit)} {marker}"]
        for su in chosen[1:]:
            parts.append(f"{quote(su, analysis, limit)} [{su.unit.hit_index + 1}]")
        body = "; ".join(parts)

        agency = first.evidence.agency if looks_like_agency(first.evidence.agency) else ""
        if analysis.intent == "lead" and agency:
            label = lead_label(first, language)
            return f"{label} {agency}, {framing[0].lower() + framing[1:]}: {body}"
        if analysis.intent == "coordinate" and agency and not first.evidence.fields:
            label = "Đơn vị phối hợp:" if language == "vi" else "Coordinating agency:"
            return f"{label} {agency}, {framing[0].lower() + framing[1:]}: {body}"
        return f"{framing}: {body}"


def _names_another_lead(analysis: QueryAnalysis, best: ScoredUnit, cand: ScoredUnit) -> bool:
    return (analysis.intent == "lead" and not analysis.plural and bool(best.evidence.agency)
            and bool(cand.evidence.agency) and cand.evidence.agency != best.evidence.agency)


def _overlaps(candidate: ScoredUnit, chosen: list[ScoredUnit]) -> bool:
    a = fold(candidate.unit.text)
    for other in chosen:
        b = fold(other.unit.text)
        if a in b or b in a:
            return True
    return False


def _word_credits(unit: Unit, hit: Hit, analysis: QueryAnalysis) -> dict[str, float]:
    """keyword -> credit for one unit: found in its own words (1), its agency subject (1) or its
    heading / section path / document title (``CONTEXT_WEIGHT``)."""
    own = _credits(f"{unit.text}\n{document_words(unit, hit, analysis)}", analysis)
    subject = _credits(unit.subject, analysis) if unit.subject else {}
    context = _credits(f"{unit.heading}\n{unit.section}\n{document_context(hit)}", analysis)
    return {
        k: max(own.get(k, 0.0), subject.get(k, 0.0), CONTEXT_WEIGHT * context.get(k, 0.0))
        for k in analysis.keywords
        if max(own.get(k, 0.0), subject.get(k, 0.0), context.get(k, 0.0)) > 0
    }


def missing_from_passages(analysis: QueryAnalysis, hits: Sequence[Hit]) -> float:
    """Share of the question's word weight that no retrieved passage has (text, section or its
    document's title): retrieval searched the whole library, so a word it could not find anywhere
    is most likely a topic the library does not cover."""
    weights = {k: analysis.weight(k) for k in analysis.keywords}
    total = sum(weights.values())
    if not total:
        return 0.0
    found: set[str] = set()
    for hit in hits:
        meta = hit.chunk.meta
        text = "\n".join((hit.chunk.text, hit.chunk.section, meta.title if meta else ""))
        found.update(k for k, c in _credits(text, analysis).items() if c > 0)
    return sum(w for k, w in weights.items() if k not in found) / total
