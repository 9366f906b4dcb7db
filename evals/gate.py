"""``--fail-under metric=value``: fail (non-zero exit) when a summary figure falls short, for CI."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping

from evals.errors import GateError


@dataclass(frozen=True)
class Threshold:
    metric: str
    minimum: float


@dataclass(frozen=True)
class GateFailure:
    metric: str
    minimum: float
    value: float | None

    @property
    def message(self) -> str:
        if self.value is None:
            return f"{self.metric} was not measured on this test set (no applicable questions); required ≥ {self.minimum:g}"
        return f"{self.metric} = {self.value:.4f} is below the required {self.minimum:g}"


def parse_thresholds(specs: Iterable[str], known: Iterable[str] | None = None) -> list[Threshold]:
    """Parse ``metric=value`` strings (several allowed; a later one for the same metric wins)."""
    known_set = set(known) if known is not None else None
    out: dict[str, Threshold] = {}
    for spec in specs:
        name, sep, raw = str(spec).partition("=")
        name = name.strip()
        if not sep or not name or not raw.strip():
            raise GateError(f"--fail-under expects METRIC=VALUE, got {spec!r}")
        try:
            value = float(raw)
        except ValueError:
            raise GateError(f"--fail-under {name}: {raw.strip()!r} is not a number") from None
        if math.isnan(value):
            raise GateError(f"--fail-under {name}: the threshold must be a number")
        if known_set is not None and name not in known_set:
            raise GateError(f"--fail-under: unknown metric '{name}' (known: {', '.join(sorted(known_set))})")
        out[name] = Threshold(name, value)
    return list(out.values())


def _metrics_of(summary: Mapping) -> Mapping:
    """The metrics block of a run summary, or of our run inside a combined --baseline summary."""
    if "metrics" in summary:
        return summary["metrics"]
    runs = summary.get("runs") or {}
    if "ours" in runs:
        return runs["ours"].get("metrics", {})
    raise GateError("the summary has no metrics")


def check(summary: Mapping, thresholds: Iterable[Threshold]) -> list[GateFailure]:
    """Every threshold the summary misses (an unmeasured metric counts as a miss)."""
    metrics = _metrics_of(summary)
    failures = []
    for t in thresholds:
        if t.metric not in metrics:
            raise GateError(f"--fail-under: unknown metric '{t.metric}' (known: {', '.join(sorted(metrics))})")
        entry = metrics[t.metric]
        value = entry.get("value") if isinstance(entry, Mapping) else entry
        if value is None or value < t.minimum - 1e-9:  # tolerance for float means such as 0.7999999…
            failures.append(GateFailure(t.metric, t.minimum, value))
    return failures
