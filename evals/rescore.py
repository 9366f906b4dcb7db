"""Score stored answers again without asking the assistant: ``planchat eval --rescore RUN_DIR``.

A run's ``results.jsonl`` keeps, per question, the retrieved passages (rank, doc
id, chunk id, text), the answer text, the abstention flag and the citations, which
is everything the metrics read. Re-scoring pairs those outputs with a gold set —
the one stored in the run, or a corrected one given on the command line, matched
by question id — and writes a new run. The same scorer takes outputs that came
from elsewhere (a RAGAS file's ``response`` and ``retrieved_contexts``, ``--given``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping, Sequence

from evals.dataset import EvalItem, parse_item
from evals.errors import RunDirError
from evals.metrics import failure_reasons, score_item
from evals.run import CitedSource, EvalRun, ItemResult, RetrievedPassage, summarize

GOLD_FIELDS = ("id", "question", "reference", "must_include", "sources", "answerable")


@dataclass(frozen=True)
class StoredOutput:
    """What one question's run produced (as in results.jsonl)."""

    retrieved: tuple[RetrievedPassage, ...]
    answer_text: str
    abstained: bool
    citations: tuple[CitedSource, ...]
    retrieval_seconds: float = 0.0
    answer_seconds: float = 0.0
    answerer: str = ""
    error: str = ""

    @classmethod
    def from_result_row(cls, row: dict) -> "StoredOutput":
        retrieved = tuple(
            RetrievedPassage(
                rank=int(p.get("rank", i)),
                doc_id=str(p.get("doc_id", "")),
                chunk_id=str(p.get("chunk_id", "")),
                text=str(p.get("text", "")),
                score=float(p.get("score") or 0.0),
                section=str(p.get("section") or ""),
                page=p.get("page"),
                kind=str(p.get("kind") or "text"),
            )
            for i, p in enumerate(row.get("retrieved") or (), start=1)
        )
        citations = tuple(
            CitedSource(
                n=int(c.get("n", 0)),
                document=str(c.get("document", "")),
                section=str(c.get("section") or ""),
                page=c.get("page"),
                quote=str(c.get("quote") or ""),
                chunk_id=str(c.get("chunk_id") or ""),
            )
            for c in row.get("citations") or ()
        )
        return cls(
            retrieved=retrieved,
            answer_text=str(row.get("answer") or ""),
            abstained=bool(row.get("abstained")),
            citations=citations,
            retrieval_seconds=float(row.get("retrieval_seconds") or 0.0),
            answer_seconds=float(row.get("answer_seconds") or 0.0),
            answerer=str(row.get("answerer") or ""),
            error=str(row.get("error") or ""),
        )


def gold_from_result_row(row: dict, path: str | Path = "results.jsonl", line: int | None = None) -> EvalItem:
    """The gold item a results row was scored against."""
    data = {k: row[k] for k in GOLD_FIELDS if k in row}
    extra = row.get("extra") or {}
    return parse_item({**extra, **data}, path=path, line=line)


def score_output(item: EvalItem, output: StoredOutput, k: int) -> ItemResult:
    """One question's metrics from its stored output (the same rules as a live run)."""
    passages = output.retrieved[:k]
    metrics = score_item(item, passages, output.answer_text, output.citations, output.abstained, k)
    return ItemResult(
        item=item,
        retrieved=passages,
        answer_text=output.answer_text,
        abstained=output.abstained,
        citations=output.citations,
        metrics=metrics,
        retrieval_seconds=output.retrieval_seconds,
        answer_seconds=output.answer_seconds,
        answerer=output.answerer,
        error=output.error,
        reasons=tuple(failure_reasons(item, metrics, output.abstained, output.error)),
    )


def score_outputs(
    items: Sequence[EvalItem],
    outputs: Mapping[str, StoredOutput],
    *,
    k: int,
    label: str = "rescored",
    dataset: str = "",
    config: dict | None = None,
    corpus_id: str = "",
    model_id: str = "",
) -> EvalRun:
    """An :class:`EvalRun` over the items that have an output (the others are left out)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    results = tuple(score_output(item, outputs[item.id], k) for item in items if item.id in outputs)
    return EvalRun(
        label=label,
        results=results,
        summary=summarize(results),
        k=k,
        corpus_id=corpus_id,
        model_id=model_id,
        config=dict(config or {}),
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        dataset=str(dataset),
    )


@dataclass(frozen=True)
class StoredRun:
    directory: Path
    summary: dict
    gold: tuple[EvalItem, ...]
    outputs: dict[str, StoredOutput]


def load_stored_run(path: str | Path) -> StoredRun:
    """Read a run directory written by ``planchat eval`` (``path`` or ``path/ours``)."""
    from evals.compare import load_results, resolve_run_dir

    directory = resolve_run_dir(path)
    _, rows = load_results(directory)
    summary_path = directory / "summary.json"
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.is_file() else {}
    except json.JSONDecodeError as e:
        raise RunDirError(f"{summary_path}: invalid JSON ({e.msg})") from None
    results_path = directory / "results.jsonl"
    gold, outputs = [], {}
    for line, row in enumerate(rows, start=1):
        gold.append(gold_from_result_row(row, results_path, line))
        outputs[str(row["id"])] = StoredOutput.from_result_row(row)
    return StoredRun(directory=directory, summary=summary, gold=tuple(gold), outputs=outputs)


@dataclass(frozen=True)
class Rescored:
    run: EvalRun
    notes: tuple[str, ...]


def rescore(path: str | Path, items: Sequence[EvalItem] | None = None, *, k: int | None = None, dataset: str = "") -> Rescored:
    """Score the stored outputs of the run in ``path`` against ``items`` (default: the run's own gold).

    ``k`` defaults to the run's k; it cannot exceed it (fewer passages were stored).
    """
    stored = load_stored_run(path)
    stored_k = int(stored.summary.get("k") or max((len(o.retrieved) for o in stored.outputs.values()), default=1) or 1)
    if k is not None and k > stored_k:
        raise RunDirError(f"--k {k} is larger than the run's k ({stored_k}): only {stored_k} passages per question were stored")
    k = k or stored_k
    notes: list[str] = []
    gold = list(items) if items is not None else list(stored.gold)
    if items is not None:
        old_questions = {g.id: g.question for g in stored.gold}
        missing = [g.id for g in gold if g.id not in stored.outputs]
        if missing:
            notes.append(f"{len(missing)} question(s) of the gold set are not in the run and were not scored: {', '.join(missing[:8])}")
        changed = [g.id for g in gold if g.id in old_questions and old_questions[g.id].strip() != g.question.strip()]
        if changed:
            notes.append(f"{len(changed)} question(s) changed wording since the run (scored with the old answers): {', '.join(changed[:8])}")
        if not any(g.id in stored.outputs for g in gold):
            raise RunDirError(f"{stored.directory}: no question id of the gold set is in this run")
    run = score_outputs(
        gold,
        stored.outputs,
        k=k,
        label="rescored",
        dataset=dataset or str(stored.summary.get("dataset", "")),
        config={**dict(stored.summary.get("config") or {}), "rescored_from": str(stored.directory)},
        corpus_id=str(stored.summary.get("corpus_id", "")),
        model_id=str(stored.summary.get("model_id", "")),
    )
    return Rescored(run=run, notes=tuple(notes))
