"""Reciprocal rank fusion on hand-made rankings."""
from __future__ import annotations

import pytest

from index.fusion import reciprocal_rank_fusion


def test_item_found_by_both_beats_items_found_by_one():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "d", "a"]], k=60)
    order = [f.item for f in fused]
    assert order[:2] == ["a", "c"]  # equal scores; tie broken by id after equal best rank and coverage
    assert set(order) == {"a", "b", "c", "d"}
    by_item = {f.item: f for f in fused}
    assert by_item["a"].score == pytest.approx(1 / 61 + 1 / 63)
    assert by_item["a"].ranks == (1, 3)
    assert by_item["b"].ranks == (2, None)
    assert by_item["d"].ranks == (None, 2)


def test_exact_scores_and_order():
    fused = reciprocal_rank_fusion([["x", "y"], ["y", "z"]], k=0)
    assert [(f.item, round(f.score, 6)) for f in fused] == [("y", 1.5), ("x", 1.0), ("z", 0.5)]


def test_weights_shift_the_balance():
    rankings = [["dense1", "dense2"], ["lex1", "lex2"]]
    dense_heavy = reciprocal_rank_fusion(rankings, weights=[2.0, 1.0], k=60)
    lexical_heavy = reciprocal_rank_fusion(rankings, weights=[1.0, 2.0], k=60)
    assert [f.item for f in dense_heavy] == ["dense1", "dense2", "lex1", "lex2"]
    assert [f.item for f in lexical_heavy] == ["lex1", "lex2", "dense1", "dense2"]
    # agreement of both retrievers still beats a single first place at equal weights
    both = reciprocal_rank_fusion([["solo", "shared"], ["other", "shared"]], k=60)
    assert both[0].item == "shared"


def test_ties_are_deterministic():
    a = reciprocal_rank_fusion([["p", "q"], ["q", "p"]])
    b = reciprocal_rank_fusion([["q", "p"], ["p", "q"]])
    assert [f.item for f in a] == [f.item for f in b] == ["p", "q"]


def test_empty_and_bad_input():
    assert reciprocal_rank_fusion([[], []]) == []
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])


def test_repeated_item_counts_once_per_ranking():
    fused = reciprocal_rank_fusion([["a", "a", "b"]], k=0)
    assert fused[0].item == "a" and fused[0].score == pytest.approx(1.0)
    assert fused[1].ranks == (3,)
