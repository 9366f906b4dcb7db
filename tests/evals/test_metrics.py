import math
from dataclasses import dataclass

import pytest

from evals.dataset import EvalItem, Source
from evals.metrics import (
    abstention_correct,
    citation_precision,
    citation_recall,
    cited_numbers,
    context_fact_recall,
    doc_hit_at_k,
    fact_recall,
    failure_reasons,
    ndcg_at_k,
    passage_hit_at_k,
    percentile,
    reciprocal_rank,
    score_item,
    token_f1,
)


@dataclass(frozen=True)
class P:
    doc_id: str
    text: str


@dataclass(frozen=True)
class C:
    n: int
    document: str


LEAD_QUOTE = "Sở Lao động -  Thương binh\nvà Xã hội chủ trì"
PASSAGES = [
    P("b.txt", "Sở Tài chính chủ trì thẩm định kinh phí."),
    P("a.txt", "Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với các huyện."),
    P("a.txt", "Kinh phí thực hiện: 500 triệu đồng."),
]
LEAD = Source("a.txt", LEAD_QUOTE)
BUDGET = Source("a.txt", "500 TRIỆU đồng")


# -- retrieval -----------------------------------------------------------------

def test_doc_hit_at_k():
    assert doc_hit_at_k(PASSAGES, {"a.txt"}, 1) == 0.0
    assert doc_hit_at_k(PASSAGES, {"a.txt"}, 2) == 1.0
    assert doc_hit_at_k([], {"a.txt"}, 5) == 0.0
    assert doc_hit_at_k(PASSAGES, set(), 5) is None


def test_passage_hit_folds_whitespace_and_case_and_needs_the_quotes_document():
    assert passage_hit_at_k(PASSAGES, [LEAD], 1) == 0.0
    assert passage_hit_at_k(PASSAGES, [LEAD], 2) == 1.0
    assert passage_hit_at_k(PASSAGES, [BUDGET], 3) == 1.0
    # the quote text appears, but in another document: no hit
    assert passage_hit_at_k(PASSAGES, [Source("b.txt", LEAD_QUOTE)], 3) == 0.0
    # no quotes at all: not applicable
    assert passage_hit_at_k(PASSAGES, [Source("a.txt", "")], 3) is None


def test_reciprocal_rank_uses_quote_relevance_or_document_when_no_quote():
    assert reciprocal_rank(PASSAGES, [LEAD], 5) == 0.5
    assert reciprocal_rank(PASSAGES, [BUDGET], 5) == pytest.approx(1 / 3)
    assert reciprocal_rank(PASSAGES, [LEAD], 1) == 0.0
    assert reciprocal_rank(PASSAGES, [Source("b.txt", "")], 5) == 1.0
    assert reciprocal_rank(PASSAGES, [], 5) is None


def test_ndcg_single_and_two_sources():
    assert ndcg_at_k(PASSAGES, [LEAD], 5) == pytest.approx(1 / math.log2(3))
    two = ndcg_at_k(PASSAGES, [LEAD, BUDGET], 5)
    assert two == pytest.approx((1 / math.log2(3) + 1 / math.log2(4)) / (1 + 1 / math.log2(3)))
    assert ndcg_at_k(PASSAGES[1:], [LEAD, BUDGET], 5) == pytest.approx(1.0)
    assert ndcg_at_k(PASSAGES, [Source("c.txt", "")], 5) == 0.0
    assert ndcg_at_k(PASSAGES, [], 5) is None


def test_ndcg_gives_each_gold_source_gain_once():
    same_twice = [PASSAGES[1], PASSAGES[1], PASSAGES[0]]
    assert ndcg_at_k(same_twice, [LEAD], 3) == pytest.approx(1.0)
    assert ndcg_at_k(same_twice, [LEAD, BUDGET], 3) == pytest.approx(1 / (1 + 1 / math.log2(3)))
    # duplicated gold sources count once
    assert ndcg_at_k(PASSAGES, [LEAD, LEAD], 5) == ndcg_at_k(PASSAGES, [LEAD], 5)


def test_context_fact_recall_checks_each_top_k_passage():
    facts = [("500 triệu", "500.000.000"), ("Sở Tài chính",), ("không có ở đâu",)]
    assert context_fact_recall(PASSAGES, facts, 3) == pytest.approx(2 / 3)
    assert context_fact_recall(PASSAGES, facts, 1) == pytest.approx(1 / 3)
    assert context_fact_recall([], facts, 3) == 0.0
    assert context_fact_recall(PASSAGES, [], 3) is None


# -- answer --------------------------------------------------------------------

def test_fact_recall_alternatives_case_and_whitespace():
    facts = [("500 triệu", "500.000.000"), ("Sở Tài chính",)]
    assert fact_recall("Kinh phí là 500.000.000 đồng", facts) == 0.5
    assert fact_recall("SỞ TÀI   CHÍNH cấp 500\ntriệu", facts) == 1.0
    assert fact_recall("So Tai chinh", facts) == 0.0  # diacritics are not folded for facts
    assert fact_recall("", facts) == 0.0  # empty answer
    assert fact_recall("anything", []) is None


def test_token_f1_squad_style_and_vietnamese_aware():
    assert token_f1("the cat sat", "cat sat down") == pytest.approx(0.8)
    assert token_f1("Sở Tài chính chủ trì", "Sở Tài chính") == pytest.approx(0.75)
    assert token_f1("Cao Bằng", "cao bang") == 1.0
    assert token_f1("", "Sở Tài chính") == 0.0  # empty answer
    assert token_f1("...", "") == 1.0  # both empty after tokenising
    assert token_f1("xyz", "abc") == 0.0
    # repeated tokens count once per occurrence in both
    assert token_f1("a1 a1 a1", "a1") == pytest.approx(2 * (1 / 3) * 1 / (1 / 3 + 1))


def test_cited_numbers_parse_marker_forms():
    assert cited_numbers("A [1]. B [2, 3][1] C [2021-2025] D [4;5]") == [1, 2, 3, 4, 5]
    assert cited_numbers("no markers") == []
    assert cited_numbers("[0] [100]") == []


def test_citation_precision_and_recall():
    cites = [C(1, "a.txt"), C(2, "b.txt"), C(3, "a.txt")]
    text = "X [1]. Y [2]. Z [3]."
    assert citation_precision(text, cites, {"a.txt"}) == pytest.approx(2 / 3)
    assert citation_recall(text, cites, {"a.txt"}) == 1.0
    assert citation_recall("Y [2]", cites, {"a.txt"}) == 0.0
    # a dangling marker points at no gold document
    assert citation_precision("X [1] [4]", cites, {"a.txt"}) == 0.5
    # only the markers used in the text count, each once
    assert citation_precision("X [1] again [1]", cites, {"a.txt"}) == 1.0


def test_citations_edge_cases_no_citations_and_no_markers():
    # no citations at all: precision has nothing to judge, recall is 0
    assert citation_precision("An answer.", [], {"a.txt"}) is None
    assert citation_recall("An answer.", [], {"a.txt"}) == 0.0
    # no markers in text: the citation list is used
    assert citation_precision("An answer.", [C(1, "a.txt"), C(2, "b.txt")], {"a.txt"}) == 0.5
    # no gold documents: not applicable
    assert citation_precision("X [1]", [C(1, "a.txt")], set()) is None
    assert citation_recall("X [1]", [C(1, "a.txt")], set()) is None


def test_abstention_correct_truth_table():
    assert abstention_correct(abstained=True, answerable=False) == 1.0
    assert abstention_correct(abstained=False, answerable=True) == 1.0
    assert abstention_correct(abstained=True, answerable=True) == 0.0
    assert abstention_correct(abstained=False, answerable=False) == 0.0


# -- per question ----------------------------------------------------------------

ITEM = EvalItem(
    id="q",
    question="Ai chủ trì?",
    reference="Sở Lao động - Thương binh và Xã hội chủ trì",
    must_include=(("Sở Lao động - Thương binh và Xã hội",),),
    sources=(LEAD,),
)


def test_score_item_good_answer():
    m = score_item(ITEM, PASSAGES, "Sở Lao động - Thương binh và Xã hội chủ trì [1].", [C(1, "a.txt")], False, 5)
    assert (m.doc_hit_at_k, m.passage_hit_at_k, m.mrr) == (1.0, 1.0, 0.5)
    assert m.context_fact_recall == 1.0
    assert (m.fact_recall, m.token_f1, m.citation_precision, m.citation_recall, m.abstention_correct) == (1.0, 1.0, 1.0, 1.0, 1.0)
    assert failure_reasons(ITEM, m, False) == []


def test_score_item_abstention_on_answerable_counts_as_empty_answer():
    m = score_item(ITEM, PASSAGES, "Sở Lao động - Thương binh và Xã hội (abstain text)", [C(1, "a.txt")], True, 5)
    assert m.doc_hit_at_k == 1.0  # retrieval is still measured
    assert (m.fact_recall, m.token_f1, m.citation_recall, m.abstention_correct) == (0.0, 0.0, 0.0, 0.0)
    assert m.citation_precision is None
    assert "abstained on an answerable question" in failure_reasons(ITEM, m, True)


def test_score_item_empty_answer_without_citations():
    m = score_item(ITEM, PASSAGES, "", [], False, 5)
    assert (m.fact_recall, m.token_f1, m.citation_recall, m.abstention_correct) == (0.0, 0.0, 0.0, 1.0)
    assert m.citation_precision is None
    reasons = failure_reasons(ITEM, m, False)
    assert any("missing facts" in r for r in reasons) and "no gold document cited" in reasons


def test_score_item_unanswerable_excluded_from_retrieval_and_answer_metrics():
    item = EvalItem(id="u", question="?", answerable=False, sources=(LEAD,))
    abstained = score_item(item, PASSAGES, "Không tìm thấy", [], True, 5)
    assert abstained.abstention_correct == 1.0
    assert all(v is None for k, v in abstained.as_dict().items() if k != "abstention_correct")
    assert failure_reasons(item, abstained, True) == []
    answered = score_item(item, PASSAGES, "Có [1]", [C(1, "a.txt")], False, 5)
    assert answered.abstention_correct == 0.0
    assert failure_reasons(item, answered, False) == ["answered a question that should have been abstained on"]


def test_percentile_linear_interpolation():
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0], 95) == pytest.approx(3.85)
    assert percentile([5.0], 95) == 5.0
    assert percentile([], 50) is None


def test_citation_markers_are_not_answer_content():
    item = EvalItem(id="n", question="?", reference="1", must_include=(("1",),), sources=(Source("a.txt", ""),))
    m = score_item(item, PASSAGES, "Không rõ [1]", [C(1, "a.txt")], False, 5)
    assert (m.fact_recall, m.token_f1) == (0.0, 0.0)
