"""Run a test set through a retriever and an answerer, score every question, summarise.

``run_eval`` takes plain callables, so the same harness measures our pipeline and
the LangChain baseline (or anything else that returns ``Hit``s and ``Answer``s).
"""
from __future__ import annotations

import re

import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Sequence

from assistant.types import Answer
from evals.dataset import EvalItem
from evals.metrics import ITEM_METRICS, ItemMetrics, failure_reasons, mean, percentile, score_item
from evals.stats import CI_RESAMPLES, LEVEL, SEED, bootstrap_ci
from index.types import Hit

Retrieve = Callable[[str, int], Sequence[Hit]]
Ask = Callable[[str], Answer]
# progress: None = a tqdm bar on stderr when it is a terminal, False = none,
# True = always a bar, or a callable(done, total) of your own.
Progress = bool | Callable[[int, int], None] | None

SUMMARY_METRICS = (
    "doc_hit_at_k",
    "passage_hit_at_k",
    "article_hit_at_k",
    "mrr",
    "ndcg_at_k",
    "context_fact_recall",
    "fact_recall",
    "token_f1",
    "citation_precision",
    "citation_recall",
    "abstention_accuracy",
    "abstention_accuracy_answerable",
    "abstention_accuracy_unanswerable",
    "pass_rate",
)


@dataclass(frozen=True)
class RetrievedPassage:
    rank: int
    doc_id: str
    chunk_id: str
    text: str
    score: float
    section: str = ""
    page: int | None = None
    kind: str = "text"

    @classmethod
    def from_hit(cls, rank: int, hit: Hit) -> "RetrievedPassage":
        c = hit.chunk
        return cls(rank, c.doc_id, c.id, c.text, float(hit.score), c.section, c.page, c.kind)

    def to_dict(self) -> dict:
        return {
            "rank": self.rank,
            "doc_id": self.doc_id,
            "chunk_id": self.chunk_id,
            "score": self.score,
            "section": self.section,
            "page": self.page,
            "kind": self.kind,
            "text": self.text,
        }


@dataclass(frozen=True)
class CitedSource:
    n: int
    document: str
    section: str = ""
    page: int | None = None
    quote: str = ""
    chunk_id: str = ""

    def to_dict(self) -> dict:
        return {"n": self.n, "document": self.document, "section": self.section, "page": self.page, "quote": self.quote, "chunk_id": self.chunk_id}


@dataclass(frozen=True)
class ItemResult:
    item: EvalItem
    retrieved: tuple[RetrievedPassage, ...]
    answer_text: str
    abstained: bool
    citations: tuple[CitedSource, ...]
    metrics: ItemMetrics
    retrieval_seconds: float
    answer_seconds: float
    answerer: str = ""
    error: str = ""
    reasons: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.reasons

    def to_dict(self) -> dict:
        it = self.item
        return {
            "id": it.id,
            "question": it.question,
            "answerable": it.answerable,
            "reference": it.reference,
            "must_include": [list(f) for f in it.must_include],
            "sources": [s.to_dict() for s in it.sources],
            "extra": it.extra,
            "retrieved": [p.to_dict() for p in self.retrieved],
            "answer": self.answer_text,
            "abstained": self.abstained,
            "answerer": self.answerer,
            "citations": [c.to_dict() for c in self.citations],
            "metrics": self.metrics.as_dict(),
            "passed": self.passed,
            "reasons": list(self.reasons),
            "retrieval_seconds": self.retrieval_seconds,
            "answer_seconds": self.answer_seconds,
            "error": self.error,
        }


@dataclass(frozen=True)
class MetricSummary:
    name: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    n: int

    def to_dict(self) -> dict:
        return {"value": self.value, "ci_low": self.ci_low, "ci_high": self.ci_high, "n": self.n}


@dataclass(frozen=True)
class CategorySummary:
    category: str
    n: int
    pass_rate: float
    fact_recall: float | None
    doc_hit_at_k: float | None

    def to_dict(self) -> dict:
        return {"n": self.n, "pass_rate": self.pass_rate, "fact_recall": self.fact_recall, "doc_hit_at_k": self.doc_hit_at_k}


@dataclass(frozen=True)
class RunSummary:
    metrics: tuple[MetricSummary, ...]
    latency: tuple[tuple[str, float | None], ...]  # (name, seconds)
    n_items: int
    n_answerable: int
    n_unanswerable: int
    n_errors: int
    by_category: tuple[CategorySummary, ...] = ()

    def metric(self, name: str) -> MetricSummary:
        for m in self.metrics:
            if m.name == name:
                return m
        raise KeyError(name)

    def value(self, name: str) -> float | None:
        return self.metric(name).value


@dataclass(frozen=True)
class EvalRun:
    label: str
    results: tuple[ItemResult, ...]
    summary: RunSummary
    k: int
    corpus_id: str
    model_id: str
    config: dict = field(default_factory=dict, compare=False)
    created_at: str = ""
    dataset: str = ""

    def summary_dict(self) -> dict[str, Any]:
        s = self.summary
        return {
            "label": self.label,
            "created_at": self.created_at,
            "dataset": self.dataset,
            "k": self.k,
            "corpus_id": self.corpus_id,
            "model_id": self.model_id,
            "config": self.config,
            "counts": {
                "items": s.n_items,
                "answerable": s.n_answerable,
                "unanswerable": s.n_unanswerable,
                "errors": s.n_errors,
                "passed": sum(1 for r in self.results if r.passed),
            },
            "metrics": {m.name: m.to_dict() for m in s.metrics},
            "latency_seconds": dict(s.latency),
            "by_category": {c.category: c.to_dict() for c in s.by_category},
            "bootstrap": {"resamples": CI_RESAMPLES, "seed": SEED, "level": LEVEL},
        }


def run_eval(
    items: Sequence[EvalItem],
    *,
    retrieve: Retrieve,
    ask: Ask,
    k: int = 5,
    progress: Progress = None,
    config: dict | None = None,
    corpus_id: str = "",
    model_id: str = "",
    label: str = "ours",
    dataset: str = "",
    out_dir: str | Path | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> EvalRun:
    """Ask every question, score it, and summarise with 95% bootstrap intervals.

    ``retrieve(question, k)`` feeds the retrieval metrics and ``ask(question)``
    the answer metrics; each is timed separately. An exception from either is
    recorded on that question (``error``) and the run goes on. With ``out_dir``
    the run is also written there (see ``evals.report.write_run``).
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    results: list[ItemResult] = []
    tick, close = progress_reporter(progress, len(items), f"eval {label}")
    try:
        for done, item in enumerate(items, start=1):
            results.append(_run_one(item, retrieve, ask, k, clock))
            tick(done, len(items))
    finally:
        close()
    run = EvalRun(
        label=label,
        results=tuple(results),
        summary=summarize(results),
        k=k,
        corpus_id=corpus_id,
        model_id=model_id,
        config=dict(config or {}),
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        dataset=str(dataset),
    )
    if out_dir is not None:
        from evals.report import write_run

        write_run(run, out_dir)
    return run


def _run_one(item: EvalItem, retrieve: Retrieve, ask: Ask, k: int, clock: Callable[[], float]) -> ItemResult:
    errors: list[str] = []
    passages: tuple[RetrievedPassage, ...] = ()
    t0 = clock()
    try:
        hits = list(retrieve(item.question, k))[:k]
        passages = tuple(RetrievedPassage.from_hit(rank, h) for rank, h in enumerate(hits, start=1))
    except Exception as e:  # recorded per question; a broken retriever shows up in every row
        errors.append(f"retrieve: {type(e).__name__}: {e}")
    t1 = clock()
    answer: Answer | None = None
    try:
        answer = ask(item.question)
    except Exception as e:
        errors.append(f"ask: {type(e).__name__}: {e}")
    t2 = clock()

    text = answer.text if answer else ""
    abstained = bool(answer.abstained) if answer else False
    citations = tuple(
        CitedSource(c.n, c.document, c.section, c.page, c.quote, getattr(c, "chunk_id", ""))
        for c in (answer.citations if answer else ())
        # notes on 2025 administrative changes and replaced documents cite other sources on purpose:
        # the answer's own citations are what is scored (issue 12)
        if getattr(c, "kind", "passage") == "passage"
    )
    note_numbers = {c.n for c in (answer.citations if answer else ()) if getattr(c, "kind", "passage") != "passage"}
    metrics = score_item(item, passages, _without_markers(text, note_numbers), citations, abstained, k)
    error = "; ".join(errors)
    return ItemResult(
        item=item,
        retrieved=passages,
        answer_text=text,
        abstained=abstained,
        citations=citations,
        metrics=metrics,
        retrieval_seconds=t1 - t0,
        answer_seconds=t2 - t1,
        answerer=answer.answerer if answer else "",
        error=error,
        reasons=tuple(failure_reasons(item, metrics, abstained, error)),
    )


def _without_markers(text: str, numbers: set[int]) -> str:
    """``text`` without the note lines whose markers are all in ``numbers`` (notes on 2025 changes and
    replaced documents are not the answer: their words must not count as recalled facts either)."""
    if not numbers:
        return text
    kept = []
    for line in text.split("\n"):
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", line)}
        if cited and cited <= numbers:
            continue
        kept.append(line)
    return "\n".join(kept).rstrip()


def summarize(results: Sequence[ItemResult]) -> RunSummary:
    """Aggregate per-question results: means over applicable questions with bootstrap CIs, latency percentiles."""
    columns: dict[str, list[float]] = {name: [] for name in SUMMARY_METRICS}
    for r in results:
        values = r.metrics.as_dict()
        for name in ITEM_METRICS:
            if name != "abstention_correct" and values[name] is not None:
                columns[name].append(values[name])
        if r.metrics.abstention_correct is not None:
            columns["abstention_accuracy"].append(r.metrics.abstention_correct)
            key = "abstention_accuracy_answerable" if r.item.answerable else "abstention_accuracy_unanswerable"
            columns[key].append(r.metrics.abstention_correct)
        columns["pass_rate"].append(1.0 if r.passed else 0.0)

    metrics = []
    for name in SUMMARY_METRICS:
        vals = columns[name]
        ci = bootstrap_ci(vals)
        metrics.append(MetricSummary(name, mean(vals), ci[0] if ci else None, ci[1] if ci else None, len(vals)))

    retrieval = [r.retrieval_seconds for r in results]
    answer = [r.answer_seconds for r in results]
    latency = (
        ("retrieval_p50", percentile(retrieval, 50)),
        ("retrieval_p95", percentile(retrieval, 95)),
        ("answer_p50", percentile(answer, 50)),
        ("answer_p95", percentile(answer, 95)),
    )
    return RunSummary(
        metrics=tuple(metrics),
        latency=latency,
        n_items=len(results),
        n_answerable=sum(1 for r in results if r.item.answerable),
        n_unanswerable=sum(1 for r in results if not r.item.answerable),
        n_errors=sum(1 for r in results if r.error),
        by_category=_by_category(results),
    )


def _by_category(results: Sequence[ItemResult]) -> tuple[CategorySummary, ...]:
    groups: dict[str, list[ItemResult]] = {}
    for r in results:
        if r.item.category:
            groups.setdefault(r.item.category, []).append(r)
    return tuple(
        CategorySummary(
            category=cat,
            n=len(rs),
            pass_rate=sum(1 for r in rs if r.passed) / len(rs),
            fact_recall=mean(r.metrics.fact_recall for r in rs),
            doc_hit_at_k=mean(r.metrics.doc_hit_at_k for r in rs),
        )
        for cat, rs in sorted(groups.items())
    )


def progress_reporter(progress: Progress, total: int, desc: str, unit: str = "q"):
    """(tick(done, total), close()) for the requested kind of progress (see ``Progress``)."""
    if callable(progress) and not isinstance(progress, bool):
        return progress, (lambda: None)
    enabled = sys.stderr.isatty() if progress is None else bool(progress)
    if not enabled:
        return (lambda done, total: None), (lambda: None)
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False)

    def tick(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    return tick, bar.close
