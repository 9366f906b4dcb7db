"""Compare two eval runs question by question: metric deltas with paired bootstrap p-values, flipped questions."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from evals.errors import RunDirError
from evals.metrics import ITEM_METRICS, percentile
from evals.stats import PAIRED_RESAMPLES, SEED, paired_bootstrap

COMPARED_METRICS = tuple(m for m in ITEM_METRICS if m != "abstention_correct") + (
    "abstention_accuracy",
    "abstention_accuracy_answerable",
    "abstention_accuracy_unanswerable",
    "pass_rate",
)


@dataclass(frozen=True)
class MetricDelta:
    """mean(b) - mean(a) over the questions where both runs have a value."""

    metric: str
    n: int
    a: float | None
    b: float | None
    delta: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None


@dataclass(frozen=True)
class Flip:
    id: str
    question: str
    direction: str  # "pass->fail" or "fail->pass"
    reasons_a: tuple[str, ...]
    reasons_b: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    label_a: str
    label_b: str
    n_shared: int
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    deltas: tuple[MetricDelta, ...]
    flips: tuple[Flip, ...]
    latency: tuple[tuple[str, float | None, float | None], ...]  # (name, a seconds, b seconds)

    def delta(self, metric: str) -> MetricDelta:
        for d in self.deltas:
            if d.metric == metric:
                return d
        raise KeyError(metric)

    def to_dict(self) -> dict:
        return {
            "a": self.label_a,
            "b": self.label_b,
            "shared_questions": self.n_shared,
            "only_in_a": list(self.only_a),
            "only_in_b": list(self.only_b),
            "paired_bootstrap": {"resamples": PAIRED_RESAMPLES, "seed": SEED},
            "metrics": {
                d.metric: {"n": d.n, "a": d.a, "b": d.b, "delta": d.delta, "ci_low": d.ci_low, "ci_high": d.ci_high, "p_value": d.p_value}
                for d in self.deltas
            },
            "latency_seconds": {name: {"a": a, "b": b} for name, a, b in self.latency},
            "flipped": [
                {"id": f.id, "question": f.question, "direction": f.direction, "reasons_a": list(f.reasons_a), "reasons_b": list(f.reasons_b)}
                for f in self.flips
            ],
        }


def resolve_run_dir(path: str | Path) -> Path:
    """The directory holding results.jsonl: ``path`` itself, or ``path/ours`` for a run made with --baseline."""
    p = Path(path)
    if (p / "results.jsonl").is_file():
        return p
    if (p / "ours" / "results.jsonl").is_file():
        return p / "ours"
    if not p.exists():
        raise RunDirError(f"{p}: no such eval run directory")
    raise RunDirError(f"{p}: not an eval run (no results.jsonl; give a run directory such as evals/runs/<timestamp>)")


def load_results(path: str | Path) -> tuple[str, list[dict]]:
    """(label, per-question rows) of the run in ``path``."""
    d = resolve_run_dir(path)
    rows = []
    for number, line in enumerate((d / "results.jsonl").read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise RunDirError(f"{d / 'results.jsonl'} line {number}: invalid JSON ({e.msg})") from None
        if not isinstance(row, dict) or "id" not in row or "metrics" not in row:
            raise RunDirError(f"{d / 'results.jsonl'} line {number}: not an eval result row")
        rows.append(row)
    label = str(path)
    return label, rows


def compare_runs(run_a_dir: str | Path, run_b_dir: str | Path) -> Comparison:
    """Compare two runs written by ``planchat eval`` (b relative to a)."""
    label_a, rows_a = load_results(run_a_dir)
    label_b, rows_b = load_results(run_b_dir)
    return compare_rows(rows_a, rows_b, label_a=label_a, label_b=label_b)


def compare_eval_runs(a, b) -> Comparison:
    """Compare two in-memory ``EvalRun`` objects (b relative to a)."""
    return compare_rows([r.to_dict() for r in a.results], [r.to_dict() for r in b.results], label_a=a.label, label_b=b.label)


def _values(row: dict) -> dict[str, float | None]:
    m = dict(row.get("metrics", {}))
    abst = m.get("abstention_correct")
    answerable = bool(row.get("answerable", True))
    m["abstention_accuracy"] = abst
    m["abstention_accuracy_answerable"] = abst if answerable else None
    m["abstention_accuracy_unanswerable"] = None if answerable else abst
    m["pass_rate"] = 1.0 if row.get("passed") else 0.0
    return m


def compare_rows(rows_a: Sequence[dict], rows_b: Sequence[dict], *, label_a: str = "a", label_b: str = "b") -> Comparison:
    by_a = {r["id"]: r for r in rows_a}
    by_b = {r["id"]: r for r in rows_b}
    shared = [i for i in by_a if i in by_b]
    deltas = []
    for metric in COMPARED_METRICS:
        pairs = [(_values(by_a[i]).get(metric), _values(by_b[i]).get(metric)) for i in shared]
        pairs = [(x, y) for x, y in pairs if x is not None and y is not None]
        test = paired_bootstrap([x for x, _ in pairs], [y for _, y in pairs]) if pairs else None
        if test is None:
            deltas.append(MetricDelta(metric, 0, None, None, None, None, None, None))
        else:
            deltas.append(MetricDelta(metric, test.n, test.mean_a, test.mean_b, test.delta, test.ci_low, test.ci_high, test.p_value))
    flips = []
    for i in shared:
        pa, pb = bool(by_a[i].get("passed")), bool(by_b[i].get("passed"))
        if pa != pb:
            flips.append(Flip(
                id=i,
                question=str(by_b[i].get("question", "")),
                direction="pass->fail" if pa else "fail->pass",
                reasons_a=tuple(by_a[i].get("reasons", ())),
                reasons_b=tuple(by_b[i].get("reasons", ())),
            ))
    latency = []
    for key, name in (("retrieval_seconds", "retrieval"), ("answer_seconds", "answer")):
        for q in (50, 95):
            a = percentile([float(by_a[i].get(key, 0.0)) for i in shared], q)
            b = percentile([float(by_b[i].get(key, 0.0)) for i in shared], q)
            latency.append((f"{name}_p{q}", a, b))
    return Comparison(
        label_a=label_a,
        label_b=label_b,
        n_shared=len(shared),
        only_a=tuple(i for i in by_a if i not in by_b),
        only_b=tuple(i for i in by_b if i not in by_a),
        deltas=tuple(deltas),
        flips=tuple(flips),
        latency=tuple(latency),
    )


def _num(v: float | None, digits: int = 3, sign: bool = False) -> str:
    if v is None:
        return "–"
    return f"{v:+.{digits}f}" if sign else f"{v:.{digits}f}"


def _p(p: float | None) -> str:
    if p is None:
        return "–"
    mark = " *" if p < 0.05 else ""
    return ("<0.001" if p < 0.001 else f"{p:.3f}") + mark


def comparison_rows(c: Comparison) -> list[tuple[str, str, str, str, str]]:
    """(metric, a, b, delta, p) strings, one row per metric then per latency figure."""
    rows = [(d.metric, _num(d.a), _num(d.b), _num(d.delta, sign=True), _p(d.p_value)) for d in c.deltas]
    rows += [(f"{name} (s)", _num(a), _num(b), _num(None if a is None or b is None else b - a, sign=True), "")
             for name, a, b in c.latency]
    return rows


def format_comparison(c: Comparison, *, width: int = 100) -> str:
    """A plain-text report for the terminal."""
    rows = [("metric", c.label_a, c.label_b, "delta", "p")] + comparison_rows(c)
    rows = [tuple(_clip(x, 34) for x in r) for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = [f"{c.label_b} vs {c.label_a}: {c.n_shared} shared questions (paired bootstrap, {PAIRED_RESAMPLES} resamples; * = p < 0.05)"]
    if c.only_a or c.only_b:
        lines.append(f"only in {c.label_a}: {len(c.only_a)}, only in {c.label_b}: {len(c.only_b)} (ignored)")
    lines.append("")
    for j, r in enumerate(rows):
        lines.append("  ".join(r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i]) for i in range(5)).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    if not c.flips:
        lines.append("no question flipped")
    else:
        for direction in ("pass->fail", "fail->pass"):
            group = [f for f in c.flips if f.direction == direction]
            if not group:
                continue
            lines.append(f"{direction} ({len(group)}):")
            for f in group:
                why = "; ".join(f.reasons_b if direction == "pass->fail" else f.reasons_a)
                lines.append(_clip(f"  {f.id}: {f.question}" + (f"  [{why}]" if why else ""), width))
    return "\n".join(lines) + "\n"


def _clip(s: str, n: int) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"
