"""Per-question metrics, all pure functions computed without an LLM.

Conventions (each is tested on hand-made cases):

- ``None`` means "not applicable to this question"; aggregates average only the
  non-None values and report how many questions counted (``n``).
- Retrieval metrics look at the top ``k`` passages and are None for unanswerable
  questions and for questions without gold sources.
- Facts and quotes are matched after NFC, case and whitespace folding, with
  markdown ``*`` and table ``|`` separators dropped (``evals.text.match_key``).
- A passage is *relevant* to a gold source when it comes from the source's
  document and, if the source has a quote, contains the quote. ``mrr`` and
  ``ndcg_at_k`` use this binary relevance; in nDCG each gold source can earn gain once (a second passage matching the
  same source gains nothing), and the ideal ranking puts one passage per gold
  source first, so nDCG is 1 exactly when the first ``len(sources)`` passages
  each cover a different gold source.
- ``passage_hit_at_k`` needs quotes (None when the item has none) and, like
  relevance above, requires the passage to come from the quote's document.
- A gold source with an ``article`` (ALQAC: gold is (law, article)) is met by a passage
  from its document that belongs to that article: the innermost ``Điều N`` of the
  passage's section path is the article ("Điều 3 › khoản 1"), or the passage starts with
  the heading "Điều N.", or the passage's opening (its first
  ``ARTICLE_PREFIX_CHARS`` characters, cut at the next "Điều N." heading line) lies
  inside the source's ``article_text`` (see ``passage_starts_in``): a passage that starts
  in the article counts, one that starts in the previous article and runs into it does not. ``mrr`` and ``ndcg_at_k``
  use this relevance for such sources; ``article_hit_at_k`` is 1.0 when a top-k
  passage meets an article source (None when no source names an article).
- An abstention counts as an empty answer with no citations: on an answerable
  question ``fact_recall`` = ``token_f1`` = ``citation_recall`` = 0 and
  ``citation_precision`` is None (there is nothing to judge).
- Answer metrics (``fact_recall``, ``token_f1``, ``citation_*``) are None for
  unanswerable questions: ``abstention_correct`` is what counts there.
  ``fact_recall`` is None without must_include facts, ``token_f1`` without a reference.
- Citations are the ``[n]`` markers in the answer text (``[1]``, ``[1, 2]``,
  ``[1][3]``; 1 ≤ n ≤ 99), each distinct n counted once. A marker without a
  matching citation counts as pointing at no gold document. When the text has no
  markers at all, the answer's citation list is used instead. Markers are removed
  from the answer before ``fact_recall`` and ``token_f1``.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from typing import Iterable, NamedTuple, Protocol, Sequence

from evals.dataset import EvalItem, Source
from evals.text import contains, match_key, tokens


class PassageLike(Protocol):
    doc_id: str
    text: str


class CitationLike(Protocol):
    n: int
    document: str


# -- helpers -----------------------------------------------------------------

def _top(passages: Sequence[PassageLike], k: int) -> Sequence[PassageLike]:
    return passages[: max(k, 0)]


class _Unit(NamedTuple):
    """A unit of relevance: a document, optionally narrowed to a quote or to an article."""

    document: str
    quote: str  # match_key of the quote, "" for none
    article: str = ""  # normalised article number, "" for none
    article_text: str = ""


def _source_units(sources: Iterable[Source]) -> list[_Unit]:
    """Distinct (document, normalised quote, article) units of relevance."""
    units: list[_Unit] = []
    for s in sources:
        article = _article_id(getattr(s, "article", "") or "")
        unit = _Unit(s.document, "" if article else match_key(s.quote), article, getattr(s, "article_text", "") or "")
        if unit not in units:
            units.append(unit)
    return units


def _satisfies(passage: PassageLike, unit: _Unit) -> bool:
    if passage.doc_id != unit.document:
        return False
    if unit.article:
        return passage_belongs_to_article(passage, unit.article, unit.article_text)
    return not unit.quote or unit.quote in match_key(passage.text)


# -- articles (Điều) ---------------------------------------------------------------

ARTICLE_PREFIX_CHARS = 160
ARTICLE_MIN_PREFIX_CHARS = 30
_HEADING_LINE = re.compile(r"(?im)^[ \t]*điều[ \t]+(\d+[a-zđ]?)[ \t]*\.")
_ARTICLE_IN_SECTION = re.compile(r"^\s*điều\s+(\d+[a-zđ]?)(?![\w])")
_ARTICLE_HEADING = re.compile(r"^\s*điều\s+(\d+[a-zđ]?)\s*[.:]")


def _article_id(value: str) -> str:
    """An article number as compared: case-folded, without a leading "Điều" or trailing dot."""
    key = match_key(value)
    m = _ARTICLE_IN_SECTION.match(key)
    return m.group(1) if m else key.rstrip(".").strip()


def passage_article(passage: PassageLike) -> str | None:
    """The article a passage declares: the innermost "Điều N" of its section path, else its opening heading."""
    section = getattr(passage, "section", "") or ""
    if not section and getattr(passage, "section_path", None):
        section = " › ".join(passage.section_path)
    for element in reversed(section.split("›")):
        m = _ARTICLE_IN_SECTION.match(match_key(element))
        if m:
            return m.group(1)
    m = _ARTICLE_HEADING.match(match_key(passage.text))
    return m.group(1) if m else None


@lru_cache(maxsize=2048)
def _article_key(article_text: str) -> str:
    return match_key(article_text)


def _next_article(article: str, other: str) -> bool | None:
    """Whether ``other`` is the article right after ``article`` (numbers only; None when unknown)."""
    if article.isdigit() and other.isdigit():
        return int(other) == int(article) + 1
    return None


def passage_starts_in(text: str, article_text: str, article: str = "") -> bool:
    """True when the opening of ``text`` lies inside ``article_text`` (compared with ``match_key``).

    The opening stops at the first "Điều N." heading line inside the passage. Such a
    heading also pins the passage down: it starts in the article before N, so with
    numbered articles it belongs to ``article`` only when N is the next number, and then
    an opening of any length counts ("h) Làm nạn nhân tự sát." before "Điều 398."). Without
    a heading the opening must have at least ``ARTICLE_MIN_PREFIX_CHARS`` characters, so
    that clauses repeated across articles rarely decide.
    """
    if not article_text:
        return False
    raw = unicodedata.normalize("NFC", text or "")
    heading = next((m for m in _HEADING_LINE.finditer(raw) if m.start() > 0), None)
    if heading is not None:
        if _next_article(_article_id(article), heading.group(1).casefold()) is False:
            return False
        opening, minimum = match_key(raw[: heading.start()]), 1
    else:
        opening, minimum = match_key(raw), ARTICLE_MIN_PREFIX_CHARS
    opening = opening[:ARTICLE_PREFIX_CHARS]
    return len(opening) >= minimum and opening in _article_key(article_text)


def passage_belongs_to_article(passage: PassageLike, article: str, article_text: str = "") -> bool:
    """Article relevance (module docstring): declared article, or an opening that lies inside the article."""
    article = _article_id(article)
    if passage_article(passage) == article:
        return True
    return passage_starts_in(passage.text, article_text, article)


def fact_present(text: str, fact: Sequence[str]) -> bool:
    """A fact is present when any of its alternatives occurs in ``text`` (NFC, case- and whitespace-folded)."""
    return any(contains(text, alt) for alt in fact)


# -- retrieval ---------------------------------------------------------------

def doc_hit_at_k(passages: Sequence[PassageLike], gold_documents: Iterable[str], k: int) -> float | None:
    """1.0 when a gold document is among the top k passages' documents; None without gold documents."""
    gold = set(gold_documents)
    if not gold:
        return None
    return 1.0 if any(p.doc_id in gold for p in _top(passages, k)) else 0.0


def passage_hit_at_k(passages: Sequence[PassageLike], sources: Sequence[Source], k: int) -> float | None:
    """1.0 when a top-k passage from a quote's document contains that quote; None when no source has a quote."""
    units = [u for u in _source_units(sources) if u.quote]
    if not units:
        return None
    return 1.0 if any(_satisfies(p, u) for p in _top(passages, k) for u in units) else 0.0


def article_hit_at_k(passages: Sequence[PassageLike], sources: Sequence[Source], k: int) -> float | None:
    """1.0 when a top-k passage belongs to a gold article; None when no source names an article."""
    units = [u for u in _source_units(sources) if u.article]
    if not units:
        return None
    return 1.0 if any(_satisfies(p, u) for p in _top(passages, k) for u in units) else 0.0


def reciprocal_rank(passages: Sequence[PassageLike], sources: Sequence[Source], k: int) -> float | None:
    """1/rank of the first relevant passage in the top k (0.0 when none); averaged over questions this is MRR@k."""
    units = _source_units(sources)
    if not units:
        return None
    for rank, p in enumerate(_top(passages, k), start=1):
        if any(_satisfies(p, u) for u in units):
            return 1.0 / rank
    return 0.0


def ndcg_at_k(passages: Sequence[PassageLike], sources: Sequence[Source], k: int) -> float | None:
    """Binary-relevance nDCG@k where each gold source earns gain at most once (see module docstring)."""
    units = _source_units(sources)
    if not units or k <= 0:
        return None
    covered: set[int] = set()
    dcg = 0.0
    for rank, p in enumerate(_top(passages, k), start=1):
        new = [i for i, u in enumerate(units) if i not in covered and _satisfies(p, u)]
        if new:
            covered.add(new[0])
            dcg += 1.0 / math.log2(rank + 1)
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(k, len(units)) + 1))
    return dcg / ideal


def context_fact_recall(passages: Sequence[PassageLike], facts: Sequence[Sequence[str]], k: int) -> float | None:
    """Share of facts found in at least one of the top-k passages (each passage checked on its own)."""
    if not facts:
        return None
    top = _top(passages, k)
    found = sum(1 for fact in facts if any(fact_present(p.text, fact) for p in top))
    return found / len(facts)


# -- answer ------------------------------------------------------------------

def fact_recall(answer_text: str, facts: Sequence[Sequence[str]]) -> float | None:
    """Share of facts present in the answer; None when there are no facts; 0.0 for an empty answer."""
    if not facts:
        return None
    return sum(1 for fact in facts if fact_present(answer_text, fact)) / len(facts)


def token_f1(prediction: str, reference: str) -> float:
    """SQuAD-style token F1 over Vietnamese-aware tokens (see evals.text.tokens).

    If either side has no tokens, F1 is 1.0 when both are empty and 0.0 otherwise (as in SQuAD).
    """
    pred, ref = tokens(prediction), tokens(reference)
    if not pred or not ref:
        return 1.0 if pred == ref else 0.0
    common = Counter(pred) & Counter(ref)
    overlap = sum(common.values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / len(pred), overlap / len(ref)
    return 2 * precision * recall / (precision + recall)


_MARKER = re.compile(r"\[(\d{1,2}(?:\s*[,;]\s*\d{1,2})*)\]")


def cited_numbers(answer_text: str) -> list[int]:
    """Distinct citation numbers in ``[n]`` markers, in order of first appearance."""
    seen: list[int] = []
    for m in _MARKER.finditer(answer_text or ""):
        for part in re.split(r"[,;]", m.group(1)):
            n = int(part.strip())
            if n >= 1 and n not in seen:
                seen.append(n)
    return seen


def strip_citation_markers(answer_text: str) -> str:
    """The answer without its ``[n]`` markers (they are not content: "[1]" must not count as a token or fact)."""
    return _MARKER.sub(" ", answer_text or "")


def cited_documents(answer_text: str, citations: Sequence[CitationLike]) -> list[str | None]:
    """The document each distinct citation in the answer points at (None for a dangling marker)."""
    by_number = {c.n: c.document for c in citations}
    numbers = cited_numbers(answer_text)
    if not numbers:
        return [c.document for c in citations]
    return [by_number.get(n) for n in numbers]


def citation_precision(answer_text: str, citations: Sequence[CitationLike], gold_documents: Iterable[str]) -> float | None:
    """Share of the answer's citations that point at a passage from a gold document.

    None when the answer cites nothing or the question has no gold documents (nothing to judge).
    """
    docs = cited_documents(answer_text, citations)
    gold = set(gold_documents)
    if not docs or not gold:
        return None
    return sum(1 for d in docs if d is not None and d in gold) / len(docs)


def citation_recall(answer_text: str, citations: Sequence[CitationLike], gold_documents: Iterable[str]) -> float | None:
    """1.0 when the answer cites at least one gold document, else 0.0; None without gold documents."""
    gold = set(gold_documents)
    if not gold:
        return None
    return 1.0 if any(d in gold for d in cited_documents(answer_text, citations) if d is not None) else 0.0


def abstention_correct(abstained: bool, answerable: bool) -> float:
    """1.0 when the model abstained exactly when it should have."""
    return 1.0 if abstained != answerable else 0.0


# -- per question ------------------------------------------------------------

@dataclass(frozen=True)
class ItemMetrics:
    doc_hit_at_k: float | None = None
    passage_hit_at_k: float | None = None
    article_hit_at_k: float | None = None
    mrr: float | None = None  # reciprocal rank of this question; the mean over questions is MRR
    ndcg_at_k: float | None = None
    context_fact_recall: float | None = None
    fact_recall: float | None = None
    token_f1: float | None = None
    citation_precision: float | None = None
    citation_recall: float | None = None
    abstention_correct: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        return asdict(self)


ITEM_METRICS = tuple(f.name for f in fields(ItemMetrics))
RETRIEVAL_METRICS = ("doc_hit_at_k", "passage_hit_at_k", "article_hit_at_k", "mrr", "ndcg_at_k", "context_fact_recall")


def score_item(
    item: EvalItem,
    passages: Sequence[PassageLike],
    answer_text: str,
    citations: Sequence[CitationLike],
    abstained: bool,
    k: int,
) -> ItemMetrics:
    """Every metric for one question (see the module docstring for the conventions)."""
    abst = abstention_correct(abstained, item.answerable)
    if not item.answerable:
        return ItemMetrics(abstention_correct=abst)
    gold = item.gold_documents
    if abstained:
        answer_text, citations = "", ()
    content = strip_citation_markers(answer_text)
    return ItemMetrics(
        doc_hit_at_k=doc_hit_at_k(passages, gold, k),
        passage_hit_at_k=passage_hit_at_k(passages, item.sources, k),
        article_hit_at_k=article_hit_at_k(passages, item.sources, k),
        mrr=reciprocal_rank(passages, item.sources, k),
        ndcg_at_k=ndcg_at_k(passages, item.sources, k),
        context_fact_recall=context_fact_recall(passages, item.must_include, k),
        fact_recall=fact_recall(content, item.must_include),
        token_f1=token_f1(content, item.reference) if item.reference.strip() else None,
        citation_precision=citation_precision(answer_text, citations, gold),
        citation_recall=citation_recall(answer_text, citations, gold),
        abstention_correct=abst,
    )


def failure_reasons(item: EvalItem, m: ItemMetrics, abstained: bool, error: str = "") -> list[str]:
    """Why a question did not pass; empty when it passed.

    A question passes when it is unanswerable and the model abstained, or it is
    answerable, the model answered, every must_include fact is in the answer and
    the answer cites a gold document (each check skipped when it does not apply).
    """
    reasons: list[str] = []
    if error:
        reasons.append(f"error: {error}")
    if not item.answerable:
        if not abstained:
            reasons.append("answered a question that should have been abstained on")
        return reasons
    if abstained:
        reasons.append("abstained on an answerable question")
    if m.fact_recall is not None and m.fact_recall < 1.0:
        reasons.append(f"missing facts (fact recall {m.fact_recall:.2f})")
    if m.citation_recall is not None and m.citation_recall < 1.0:
        reasons.append("no gold document cited")
    return reasons


# -- aggregates --------------------------------------------------------------

def mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100) with linear interpolation between order statistics; None when empty."""
    vals = sorted(values)
    if not vals:
        return None
    pos = (len(vals) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(vals) - 1)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)
