"""English questions weigh the lexical ranking more in fusion (see ``ENGLISH_LEXICAL_BOOST``)."""
from __future__ import annotations

import pytest

from index.fusion import reciprocal_rank_fusion
from index.plan_index import ENGLISH_LEXICAL_BOOST, LEXICAL_WEIGHT


@pytest.fixture
def filled(open_index, cao_bang, yen_bai, hai_duong):
    index = open_index()
    for doc, chunks in (cao_bang, yen_bai, hai_duong):
        index.add(doc, chunks)
    return index


def _expected(index, question, lexical_weight, k=5):
    n = index.candidates
    dense = [h.chunk.id for h in index.dense(question, n)]
    lexical = [h.chunk.id for h in index.lexical(question, n)]
    fused = reciprocal_rank_fusion([dense, lexical], weights=[index.dense_weight, lexical_weight], k=index.rrf_k)
    return [(f.item, pytest.approx(f.score)) for f in fused[:k]]


def test_english_question_doubles_the_lexical_weight(filled):
    assert ENGLISH_LEXICAL_BOOST > 1 and filled.lexical_weight == LEXICAL_WEIGHT
    question = "Which department coordinates the state budget for vocational training of rural workers?"
    got = [(h.chunk.id, h.score) for h in filled.retrieve(question, 5)]
    assert got == _expected(filled, question, LEXICAL_WEIGHT * ENGLISH_LEXICAL_BOOST)
    assert got != _expected(filled, question, LEXICAL_WEIGHT)  # the boost changes the fused scores


def test_vietnamese_question_keeps_the_plain_weight(filled):
    for question in ("Sở nào phối hợp bố trí ngân sách đào tạo nghề?", "so nao phoi hop bo tri ngan sach dao tao nghe"):
        got = [(h.chunk.id, h.score) for h in filled.retrieve(question, 5)]
        assert got == _expected(filled, question, LEXICAL_WEIGHT)


def test_boost_can_be_turned_off(filled):
    question = "Who leads rural vocational training in Cao Bang?"
    filled.english_lexical_boost = 1.0
    got = [(h.chunk.id, h.score) for h in filled.retrieve(question, 5)]
    assert got == _expected(filled, question, LEXICAL_WEIGHT)
