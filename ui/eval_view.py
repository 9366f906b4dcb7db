"""What the Evaluate tab shows, as pure functions of run files (testable without Gradio).

Rows come from a run's ``results.jsonl`` (see ``evals/run.py``); summaries from
its ``summary.json``. All text that reaches HTML is escaped.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Sequence

from ui.highlight import esc
from ui.i18n import t

SHOW_ALL, SHOW_FAILED, SHOW_PASSED = "all", "failed", "passed"
SHOWS = (SHOW_ALL, SHOW_FAILED, SHOW_PASSED)
#: Per-question columns: (i18n key or metric name, what it holds).
ROW_COLUMNS = ("eval.col.id", "eval.col.result", "eval.col.question", "eval.col.answer", "eval.col.citations",
               "eval.col.why", "fact_recall", "doc_hit_at_k", "mrr", "eval.col.seconds")
#: Metrics shown in the summary, in this order (others in summary.json are listed after them).
SUMMARY_ORDER = ("pass_rate", "fact_recall", "citation_precision", "citation_recall", "doc_hit_at_k",
                 "passage_hit_at_k", "mrr", "ndcg_at_k", "context_fact_recall", "token_f1", "abstention_accuracy",
                 "abstention_accuracy_answerable", "abstention_accuracy_unanswerable")


@dataclass(frozen=True)
class ResultRow:
    id: str
    passed: bool
    question: str
    answer: str
    abstained: bool
    citations: str
    reasons: str
    fact_recall: float | None
    doc_hit_at_k: float | None
    mrr: float | None
    seconds: float

    @classmethod
    def from_result(cls, row: dict) -> "ResultRow":
        metrics = row.get("metrics") or {}
        cites = "; ".join(
            f"[{c.get('n')}] {c.get('document', '')}" + (f" · {c['section']}" if c.get("section") else "")
            for c in row.get("citations") or ()
        )
        return cls(
            id=str(row.get("id", "")),
            passed=bool(row.get("passed")),
            question=str(row.get("question", "")),
            answer=" ".join(str(row.get("answer") or "").split()),
            abstained=bool(row.get("abstained")),
            citations=cites,
            reasons="; ".join(row.get("reasons") or ()),
            fact_recall=metrics.get("fact_recall"),
            doc_hit_at_k=metrics.get("doc_hit_at_k"),
            mrr=metrics.get("mrr"),
            seconds=round(float(row.get("answer_seconds") or 0.0) + float(row.get("retrieval_seconds") or 0.0), 3),
        )

    def cells(self, lang: str) -> list:
        answer = self.answer if not self.abstained else f"{t(lang, 'eval.abstained')} {self.answer}".strip()
        return [self.id, t(lang, "eval.pass") if self.passed else t(lang, "eval.fail"), self.question, answer,
                self.citations, self.reasons or "–", _num(self.fact_recall), _num(self.doc_hit_at_k), _num(self.mrr), self.seconds]


def _num(v: float | None) -> float | str:
    return "–" if v is None else round(float(v), 3)


def _fold(text: str) -> str:
    from evals.formats.corpus import name_key

    return name_key(text)


def filter_rows(rows: Sequence[ResultRow], show: str = SHOW_ALL, text: str = "") -> list[ResultRow]:
    """Failed/passed/all, then rows whose id, question, answer, citations or reasons contain ``text``
    (case, spacing and diacritics ignored). Failures come first, as in the reports."""
    wanted = _fold(text)
    out = []
    for r in rows:
        if show == SHOW_FAILED and r.passed or show == SHOW_PASSED and not r.passed:
            continue
        if wanted and wanted not in _fold(" ".join((r.id, r.question, r.answer, r.citations, r.reasons))):
            continue
        out.append(r)
    return [r for r in out if not r.passed] + [r for r in out if r.passed]


def headers(lang: str) -> list[str]:
    return [t(lang, c) if c.startswith("eval.") else c for c in ROW_COLUMNS]


def table_value(rows: Sequence[ResultRow], lang: str) -> dict:
    """Value for a ``gr.Dataframe``."""
    return {"headers": headers(lang), "data": [r.cells(lang) for r in rows] or [["" for _ in ROW_COLUMNS]]}


def csv_bytes(rows: Sequence[ResultRow], lang: str) -> bytes:
    """The rows as CSV (UTF-8 with BOM so spreadsheet programs read the Vietnamese correctly)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(headers(lang))
    for r in rows:
        writer.writerow([_csv_safe(c) for c in r.cells(lang)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _csv_safe(value):
    """Cells that a spreadsheet would run as a formula get a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and value != "–":
        return "'" + value
    return value


# -- summary -----------------------------------------------------------------------------

def summary_html(summary: dict | None, lang: str) -> str:
    if not summary:
        return f'<div class="pc-eval-summary pc-empty">{esc(t(lang, "eval.summary_empty"))}</div>'
    counts = summary.get("counts", {})
    metrics = summary.get("metrics", {})
    names = [m for m in SUMMARY_ORDER if m in metrics] + [m for m in metrics if m not in SUMMARY_ORDER]
    rows = []
    for name in names:
        m = metrics[name] or {}
        value = "–" if m.get("value") is None else f"{m['value']:.3f}"
        ci = "–" if m.get("ci_low") is None else f"{m['ci_low']:.3f} – {m['ci_high']:.3f}"
        rows.append(f'<tr data-metric="{esc(name)}"><td>{esc(name)}</td><td>{value}</td><td>{ci}</td><td>{m.get("n", 0)}</td></tr>')
    head = "".join(f"<th>{esc(t(lang, k))}</th>" for k in ("eval.col.metric", "eval.col.value", "eval.col.ci", "eval.col.n"))
    line = t(lang, "eval.counts", items=counts.get("items", 0), answerable=counts.get("answerable", 0),
             unanswerable=counts.get("unanswerable", 0), passed=counts.get("passed", 0), k=summary.get("k", "–"))
    return (
        '<div class="pc-eval-summary">'
        f'<h3>{esc(t(lang, "eval.summary_title"))}: {esc(str(summary.get("label") or ""))}</h3>'
        f'<p class="pc-eval-counts">{esc(line)}</p>'
        f'<table class="pc-eval-metrics"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def progress_html(status, lang: str, fmt: str = "") -> str:
    """A progress bar for a job status (``ui.eval_jobs.JobStatus``)."""
    if status is None:
        return ""
    if status.state == "failed":
        return f'<div class="pc-eval-status pc-eval-error">{esc(t(lang, "eval.failed", error=status.error))}</div>'
    total = max(1, status.total)
    share = min(100, round(100 * status.done / total))
    if status.state == "queued":
        text = t(lang, "eval.queued", name=status.name, total=status.total, format=fmt or "–")
    elif status.state == "running":
        text = t(lang, "eval.running", name=status.name, done=status.done, total=status.total)
    else:
        text = status.name
    return (
        f'<div class="pc-eval-status" data-state="{esc(status.state)}">'
        f'<div class="pc-eval-progress" role="progressbar" aria-valuemin="0" aria-valuemax="{status.total}" aria-valuenow="{status.done}">'
        f'<div class="pc-eval-bar" style="width:{share}%"></div></div>'
        f'<div class="pc-eval-progress-text">{esc(text)}</div></div>'
    )


def done_html(name: str, passed: int, total: int, lang: str) -> str:
    return f'<div class="pc-eval-status pc-eval-done" data-state="done">{esc(t(lang, "eval.done", name=name, passed=passed, total=total))}</div>'


# -- comparison --------------------------------------------------------------------------

def comparison_html(comparison, lang: str) -> str:
    """``evals.compare.Comparison`` as a table of metric deltas with p-values, then the flipped questions."""
    from evals.compare import comparison_rows

    head = "".join(
        f"<th>{esc(x)}</th>"
        for x in (t(lang, "eval.col.metric"), t(lang, "eval.run_a"), t(lang, "eval.run_b"), t(lang, "eval.col.delta"), "p")
    )
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in comparison_rows(comparison))
    if comparison.flips:
        flips = "".join(
            f'<li><b>{esc(f.id)}</b> {esc(f.direction)}: {esc(f.question)}'
            + (f' <span class="pc-eval-why">[{esc("; ".join(f.reasons_b or f.reasons_a))}]</span>' if (f.reasons_b or f.reasons_a) else "")
            + "</li>"
            for f in comparison.flips
        )
        flips_html = f'<h4>{esc(t(lang, "eval.flips"))}</h4><ul class="pc-eval-flips">{flips}</ul>'
    else:
        flips_html = f'<p>{esc(t(lang, "eval.no_flips"))}</p>'
    return (
        f'<div class="pc-eval-compare"><p>{esc(t(lang, "eval.compare_head", n=comparison.n_shared))}</p>'
        f'<table class="pc-eval-metrics"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{flips_html}</div>'
    )


# -- feedback drafts ---------------------------------------------------------------------

DRAFT_COLUMNS = ("eval.col.id", "eval.col.question", "eval.fb.col.answer_given", "eval.fb.col.comment",
                 "eval.fb.col.reference", "eval.fb.col.must_include", "eval.fb.col.answerable")


def drafts_value(drafts, lang: str) -> dict:
    from evals.feedback_drafts import format_facts

    yes, no = ("có", "không") if lang == "vi" else ("yes", "no")
    data = [
        [d.id, d.question, " ".join(str(d.extra.get("answer_given", "")).split()), str(d.extra.get("comment", "")),
         d.reference, format_facts(d.must_include), yes if d.answerable else no]
        for d in drafts
    ]
    return {"headers": [t(lang, c) for c in DRAFT_COLUMNS], "data": data or [["" for _ in DRAFT_COLUMNS]]}


def drafts_from_table(table, drafts) -> list:
    """The drafts with the reference, facts and answerability typed into the table (matched by id)."""
    from evals.feedback_drafts import complete_draft
    from evals.formats.rows import bool_cell

    rows = table.get("data") if isinstance(table, dict) else table
    if hasattr(rows, "values") and hasattr(rows, "columns"):  # a pandas DataFrame
        rows = rows.values.tolist()
    edited = {str(r[0]): r for r in (rows or []) if r and str(r[0]).strip()}
    out = []
    for d in drafts:
        row = edited.get(d.id)
        if row is None:
            out.append(d)
            continue
        answerable = bool_cell(str(row[6] if len(row) > 6 else ""), "drafts", 0, "answerable")
        out.append(complete_draft(d, reference=str(row[4] or ""), facts_text=str(row[5] or ""), answerable=answerable))
    return out
