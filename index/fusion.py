"""Reciprocal rank fusion: combine rankings by 1/(k + rank), robust to incomparable scores."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

RRF_K = 60


@dataclass(frozen=True)
class Fused:
    item: str
    score: float
    ranks: tuple[int | None, ...]  # 1-based rank in each input ranking, None when absent


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]],
    *,
    weights: Sequence[float] | None = None,
    k: int = RRF_K,
) -> list[Fused]:
    """Fuse best-first rankings; score(d) = sum_i w_i / (k + rank_i(d)).

    Ties are broken by the best single rank, then by the number of rankings that
    contain the item, then by the item id, so the result is deterministic.
    """
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking is required")
    if k < 0:
        raise ValueError("k must be >= 0")
    ranks: dict[str, list[int | None]] = {}
    for which, ranking in enumerate(rankings):
        for position, item in enumerate(ranking, start=1):
            slot = ranks.setdefault(item, [None] * len(rankings))
            if slot[which] is None:  # first occurrence wins if an item repeats
                slot[which] = position
    fused = []
    for item, item_ranks in ranks.items():
        score = sum(w / (k + r) for w, r in zip(weights, item_ranks) if r is not None)
        fused.append(Fused(item, score, tuple(item_ranks)))
    fused.sort(
        key=lambda f: (
            -f.score,
            min(r for r in f.ranks if r is not None),
            -sum(r is not None for r in f.ranks),
            f.item,
        )
    )
    return fused
