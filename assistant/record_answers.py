"""Answers composed from responsibility records: who leads, who coordinates, by when, with what money.

``assistant.records.answer_from_records`` finds the records a question is about; this module
decides whether they answer it well enough (``assistant.record_writing`` writes and cites the
answer):

* **Specificity.** A record's overlap with the question counts every content word alike, so
  "đào tạo nghề cho lao động nông thôn" (in half the records) weighs as much as "dồn cơ sở 2".
  Here each word is weighted by its inverse record frequency; the question is answered from
  records only when the best record has at least ``MIN_SPECIFICITY`` of that weight.
* **Ambiguity.** The records within ``TIER_MARGIN`` of the best form the top tier and are all
  shown (at most ``MAX_LINES``). Two records that answer differently (two lead agencies of one
  task) are shown side by side; more than ``MAX_CONFLICTS`` different answers to what was asked
  (lead agencies for "who leads", dates for "by when") mean the question is too general for
  records ("who leads rural vocational training?" fits every task of such a plan) and passages
  answer instead.
* **Whole plans.** A question whose content words are nearly all in a plan's title ("who leads
  rural vocational training in Cao Bằng?" of a plan titled "… đào tạo nghề cho lao động nông
  thôn") asks who leads the plan, which one task's record does not say: passages answer it.
* **Agreement.** A tier that matches only moderately (below ``STRONG_SPECIFICITY``) is used only
  when retrieval, on its own, ranks one of its passages among the top k.
* **Table rows named by number** ("mục 2.6 phụ lục 04") were matched by that number: strong.
"""
from __future__ import annotations

import math
import re
from typing import Callable, Iterable, Mapping, Sequence

from assistant._text import fold
from assistant.query import QueryAnalysis
from assistant.records import (
    RecordMatch,
    fold_term,
    question_terms,
    record_own_words,
    record_pairs,
    record_words,
    text_words,
)
from ingest.agencies import agency_match_key
from ingest.types import DocumentMeta, ResponsibilityRecord

PLAN_TITLE_SHARE = 0.8  # a question whose words are (nearly) all in a plan's title asks about the plan
MIN_SPECIFICITY = 0.5  # share of the question's (rarity-weighted) content words the best record must have
STRONG_SPECIFICITY = 0.75  # above this, an unambiguous match needs no agreement from retrieval
TIER_MARGIN = 0.1  # records this close to the best one are equally good answers
CONTEXT_CREDIT = 0.6  # a word found only in the record's section / table group, not in its own fields
UNPAIRED_CREDIT = 0.5  # a word found without the partner it has in the question ("cao" of "nâng cao" for "báo cáo")
MAX_LINES = 3  # records shown for a task question
MAX_CONFLICTS = 2  # different answers (leads, dates …) among equally good records that can be shown side by side
MAX_AGENCY_LINES = 5  # records shown when the question names an agency and asks for its tasks

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


# ---------------------------------------------------------------------------------------------
# specificity
class RecordStats:
    """Inverse record frequency of the words of a set of records (computed once per record set)."""

    def __init__(self, records: Sequence[ResponsibilityRecord]) -> None:
        self.count = len(records)
        df: dict[str, int] = {}
        for record in records:
            for word in record_words(record):
                df[word] = df.get(word, 0) + 1
        self._df = df

    def idf(self, keyword: str) -> float:
        parts = keyword.split()
        df = min((self._df.get(p, 0) for p in parts), default=0)
        return math.log(1.0 + (self.count + 1) / (df + 1))

    def specificity(
        self, match: RecordMatch, keywords: Sequence[str], weights: Sequence[float], pairs: Iterable[str] = ()
    ) -> float:
        """Rarity-weighted share of the question's content words the record has (1.0 when there are none).

        A word of a question word pair ("báo cáo") found without its partner next to it (the "cao"
        of "nâng cao") earns ``UNPAIRED_CREDIT``; a word found only in the record's context (its
        section or table group, shared by all the tasks under it) earns ``CONTEXT_CREDIT``.
        """
        total = sum(w * self.idf(k) for k, w in zip(keywords, weights))
        if total <= 0:
            return 1.0
        found = set(match.matched_terms)
        have_pairs = record_pairs(match.record)
        own_words = record_own_words(match.record)
        pairs = list(pairs)
        got = 0.0
        for k, w in zip(keywords, weights):
            if k not in found:
                continue
            partners = [p for p in pairs if k in p.split()]
            credit = UNPAIRED_CREDIT if partners and not any(p in have_pairs for p in partners) else 1.0
            if not all(part in own_words for part in k.split()):
                credit *= CONTEXT_CREDIT
            got += credit * w * self.idf(k)
        return got / total


def _answer_value(match: RecordMatch, intent: str) -> object:
    """What a record says about the asked fact: records that agree on it are interchangeable."""
    record = match.record
    if intent == "coordinate":
        return frozenset(agency_match_key(a) for a in record.coordinators)
    if intent == "deadline":
        return fold(record.deadline)
    if intent == "budget":
        return fold(record.budget)
    return frozenset(agency_match_key(a) for a in record.lead)


def carries_asked_facts(record: ResponsibilityRecord, analysis: QueryAnalysis) -> bool:
    """Whether the record has the fact the question asks for, and the date when one is asked
    alongside ("bố trí vào năm nào, kinh phí từ nguồn nào?"): a records answer without it would be
    worse than a passage. Money words asked alongside are often the task itself ("ai chủ trì phân
    bổ ngân sách …?"), so a budget is required only when it is what the question asks."""
    has = {
        "lead": bool(record.lead),
        "coordinate": bool(record.coordinators),
        "deadline": bool(record.deadline),
        "budget": bool(record.budget),
    }
    required = (analysis.intent, *(a for a in analysis.also if a == "deadline"))
    return all(has.get(asked, False) for asked in required)


def years_match(record: ResponsibilityRecord, years: Iterable[str], meta: DocumentMeta | None) -> bool:
    """Every year the question names appears in the record or in its plan's title / date."""
    years = list(years)
    if not years:
        return True
    around = " ".join(
        (record.task, record.quote, record.deadline, record.budget, record.target, record.section,
         meta.title if meta else "", meta.issued_date if meta else "", meta.issued_date_text if meta else "")
    )
    found = set(_YEAR.findall(around))
    return all(y in found for y in years)


def title_share(keywords: Sequence[str], weights: Sequence[float], title: str, stats: RecordStats) -> float:
    """Rarity-weighted share of the question's content words found in a plan's title."""
    words = text_words(title)
    total = sum(w * stats.idf(k) for k, w in zip(keywords, weights))
    if total <= 0:
        return 0.0
    return sum(w * stats.idf(k) for k, w in zip(keywords, weights) if all(p in words for p in k.split())) / total


def choose_records(
    matches: Sequence[RecordMatch],
    analysis: QueryAnalysis,
    stats: RecordStats,
    retrieved_rank: Callable[[ResponsibilityRecord], int | None],
    plan_titles: Mapping[str, str] | None = None,
) -> list[RecordMatch]:
    """The records to answer with, best first; [] when passages should answer instead.

    ``retrieved_rank(record)`` is the 0-based rank, among the retrieved passages, of the passage
    holding the record (None when not retrieved); it is called only when retrieval must decide.
    """
    if not matches:
        return []
    intent = analysis.intent
    named = any(m.agencies for m in matches)
    keywords, weights = question_terms(analysis, tuple(dict.fromkeys(a for m in matches for a in m.agencies)))
    if named and not keywords:
        # "Sở Nội vụ chủ trì những việc gì?": every task of the agency, in document order of the ranking
        return list(matches[:MAX_AGENCY_LINES])
    titles = plan_titles or {}
    if any(title_share(keywords, weights, titles.get(doc, ""), stats) >= PLAN_TITLE_SHARE
           for doc in {m.record.document for m in matches}):
        return []  # "who leads rural vocational training in Cao Bằng?" asks about the whole plan, not one task
    pairs = question_pairs(analysis)
    scored = sorted(
        ((stats.specificity(m, keywords, weights, pairs), i, m) for i, m in enumerate(matches)),
        key=lambda t: (-t[0], t[1]),
    )
    best = scored[0][0]
    if best < MIN_SPECIFICITY:
        return []
    tier = [m for spec, _, m in scored if spec >= best - TIER_MARGIN]
    limit = MAX_AGENCY_LINES if named else MAX_LINES
    if not named and len({_answer_value(m, intent) for m in tier}) > MAX_CONFLICTS:
        return []  # the question fits a family of tasks that answer differently: not about one task
    tier = tier[:limit]
    if best >= STRONG_SPECIFICITY or getattr(analysis, "row_refs", ()):
        return tier  # (a table row named by its number, "mục 2.6", was matched by that number)
    # a moderate match answers only if retrieval, working on its own, finds one of its passages
    if any(retrieved_rank(m.record) is not None for m in tier):
        return tier
    return []


def question_pairs(analysis: QueryAnalysis) -> list[str]:
    """The question's adjacent content-word pairs, folded like the records' words."""
    out = []
    for bigram in getattr(analysis, "bigrams", ()) or ():
        parts = [fold_term(p) for p in bigram.split()]
        if len(parts) == 2 and all(parts):
            out.append(" ".join(parts))
    return list(dict.fromkeys(out))
