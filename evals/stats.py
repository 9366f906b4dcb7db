"""Bootstrap intervals and paired bootstrap significance, with fixed seeds so reruns agree."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

SEED = 20240607
CI_RESAMPLES = 1000
PAIRED_RESAMPLES = 2000
LEVEL = 0.95


def bootstrap_ci(values: Sequence[float], *, resamples: int = CI_RESAMPLES, seed: int = SEED, level: float = LEVEL) -> tuple[float, float] | None:
    """Percentile bootstrap interval of the mean; None when there are no values."""
    import numpy as np

    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        return None
    if arr.size == 1 or np.all(arr == arr[0]):
        return float(arr[0]), float(arr[0])
    rng = np.random.default_rng(seed)
    means = arr[rng.integers(0, arr.size, size=(resamples, arr.size))].mean(axis=1)
    alpha = (1 - level) / 2
    return float(np.quantile(means, alpha)), float(np.quantile(means, 1 - alpha))


@dataclass(frozen=True)
class PairedTest:
    n: int
    mean_a: float
    mean_b: float
    delta: float  # mean_b - mean_a
    ci_low: float
    ci_high: float
    p_value: float


def paired_bootstrap(a: Sequence[float], b: Sequence[float], *, resamples: int = PAIRED_RESAMPLES, seed: int = SEED, level: float = LEVEL) -> PairedTest | None:
    """Two-sided paired bootstrap test of mean(b) - mean(a) over the same questions.

    The p-value resamples the per-question differences after shifting them to mean
    zero (the null hypothesis) and counts resampled means at least as far from zero
    as the observed one: p = (count + 1) / (resamples + 1). Identical runs give
    delta 0 and p = 1.
    """
    import numpy as np

    if len(a) != len(b):
        raise ValueError("paired samples must have the same length")
    if not a:
        return None
    xa, xb = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    d = xb - xa
    observed = float(d.mean())
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, d.size, size=(resamples, d.size))
    boot = d[idx].mean(axis=1)
    null = (d - observed)[idx].mean(axis=1)
    extreme = int(np.sum(np.abs(null) >= abs(observed) - 1e-12))
    alpha = (1 - level) / 2
    return PairedTest(
        n=int(d.size),
        mean_a=float(xa.mean()),
        mean_b=float(xb.mean()),
        delta=observed,
        ci_low=float(np.quantile(boot, alpha)),
        ci_high=float(np.quantile(boot, 1 - alpha)),
        p_value=min(1.0, (extreme + 1) / (resamples + 1)),
    )
