"""Article-level gold (a source naming an ``article``): schema round trip and relevance rules."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from evals.dataset import EvalItem, Source, parse_item
from evals.errors import DatasetError
from evals.metrics import (
    article_hit_at_k,
    ndcg_at_k,
    passage_article,
    passage_belongs_to_article,
    passage_hit_at_k,
    reciprocal_rank,
    score_item,
)
from evals.run import RetrievedPassage, summarize, _run_one  # noqa: F401  (summarize used below)


@dataclass(frozen=True)
class P:
    doc_id: str
    text: str
    section: str = ""


LAW = "alqac-91-2015-QH13.txt"
ART_320 = ("Điều 320. Tội tổ chức đánh bạc\n1. Người nào tổ chức đánh bạc thì bị phạt tù.\n"
           "3. Người phạm tội còn có thể bị phạt tiền từ 10.000.000 đồng đến 50.000.000 đồng.")
ART_321 = ("Điều 321. Tội đánh bạc\n1. Người nào đánh bạc trái phép dưới bất kỳ hình thức nào được thua bằng tiền "
           "hay hiện vật trị giá từ 5.000.000 đồng đến dưới 50.000.000 đồng thì bị phạt tiền.\n"
           "3. Người phạm tội còn có thể bị phạt tiền từ 10.000.000 đồng đến 50.000.000 đồng.")
GOLD_321 = Source(LAW, article="321", article_text=ART_321)


# -- schema ----------------------------------------------------------------------

def test_article_round_trips_and_plain_sources_are_unchanged():
    row = {"id": "q-1", "question": "?", "sources": [{"document": LAW, "article": 321, "article_text": "x"}]}
    item = parse_item(row)
    assert item.sources[0] == Source(LAW, "", "321", "x")
    assert item.to_dict()["sources"] == [{"document": LAW, "quote": "", "article": "321", "article_text": "x"}]
    assert parse_item(item.to_dict()) == item
    plain = parse_item({"id": "a", "question": "?", "sources": [{"document": "d.txt", "quote": "q"}]})
    assert plain.to_dict()["sources"] == [{"document": "d.txt", "quote": "q"}]


@pytest.mark.parametrize("bad,field", [({"article": ["1"]}, "sources[0].article"), ({"article_text": 3}, "sources[0].article_text")])
def test_malformed_article_fields_are_one_line_errors(bad, field):
    with pytest.raises(DatasetError, match=field.replace("[", r"\[").replace("]", r"\]")):
        parse_item({"id": "x", "question": "?", "sources": [{"document": LAW, **bad}]}, path="set.jsonl", line=4)


# -- which article a passage declares ----------------------------------------------

@pytest.mark.parametrize("section,text,expected", [
    ("Chương XXI › Điều 321 › khoản 1", "1. Người nào …", "321"),
    ("Điều 321. Tội đánh bạc", "…", "321"),
    ("ĐIỀU 12A", "…", "12a"),
    ("", "Điều 321. Tội đánh bạc\n1. …", "321"),
    ("Phần đầu", "5. Chính phủ quy định chi tiết Điều này.", None),
    ("Mục 2 › Điều này áp dụng", "quy định tại Điều 322 của Bộ luật này", None),
])
def test_passage_article_reads_the_section_path_then_the_opening_heading(section, text, expected):
    assert passage_article(P(LAW, text, section)) == expected


# -- relevance -----------------------------------------------------------------------

def test_a_passage_starting_inside_the_article_belongs_to_it_without_any_heading():
    passage = P(LAW, "1. Người nào đánh bạc trái phép dưới bất kỳ hình thức nào được thua bằng tiền hay hiện vật")
    assert passage_belongs_to_article(passage, "321", ART_321)
    assert not passage_belongs_to_article(passage, "320", ART_320)


def test_a_passage_that_runs_into_the_next_article_belongs_to_the_one_it_starts_in():
    # the same closing clause ends both articles: the heading that follows decides
    straddling = P(LAW, "3. Người phạm tội còn có thể bị phạt tiền từ 10.000.000 đồng đến 50.000.000 đồng.\n\n"
                        "Điều 321. Tội đánh bạc\n1. Người nào đánh bạc trái phép")
    assert passage_belongs_to_article(straddling, "320", ART_320)
    assert not passage_belongs_to_article(straddling, "321", ART_321)


def test_a_short_opening_counts_when_the_next_heading_pins_the_article():
    tail = P(LAW, "3. Người phạm tội\n\nĐiều 322. Tội khác")
    assert passage_belongs_to_article(tail, "321", ART_321)
    assert not passage_belongs_to_article(P(LAW, "3. Người phạm tội"), "321", ART_321)  # too short alone


def test_a_repeated_clause_without_heading_needs_a_long_opening_and_the_declared_article_wins():
    assert not passage_belongs_to_article(P(LAW, "văn bản khác hẳn, không có trong điều luật nào cả, dài hơn ba mươi ký tự"), "321", ART_321)
    assert passage_belongs_to_article(P(LAW, "bất kỳ", "Điều 321 › khoản 3"), "Điều 321", "")


def test_article_sources_drive_article_hit_mrr_and_ndcg_but_not_passage_hit():
    passages = [
        P("other.txt", ART_321),
        P(LAW, ART_320),
        P(LAW, ART_321),
    ]
    assert article_hit_at_k(passages, [GOLD_321], 3) == 1.0
    assert article_hit_at_k(passages, [GOLD_321], 2) == 0.0
    assert reciprocal_rank(passages, [GOLD_321], 3) == pytest.approx(1 / 3)
    assert 0 < ndcg_at_k(passages, [GOLD_321], 3) < 1
    assert passage_hit_at_k(passages, [GOLD_321], 3) is None
    assert article_hit_at_k(passages, [Source(LAW, "Điều 321")], 3) is None  # quote sources: no article metric


def test_score_item_and_summary_carry_article_hit():
    item = EvalItem(id="q-36", question="Phạt tiền bao nhiêu?", reference="từ 10.000.000 đồng đến 50.000.000 đồng",
                    must_include=(("từ 10.000.000 đồng đến 50.000.000 đồng",),), sources=(GOLD_321,))
    passages = [RetrievedPassage(1, LAW, "c1", ART_321, 1.0)]
    metrics = score_item(item, passages, "Phạt tiền từ 10.000.000 đồng đến 50.000.000 đồng [1]", (), False, 5)
    assert metrics.article_hit_at_k == 1.0 and metrics.mrr == 1.0 and metrics.fact_recall == 1.0
    assert metrics.passage_hit_at_k is None

    from assistant.types import Answer, Citation
    from index.types import Hit
    from ingest.types import Chunk

    def retrieve(q, k):
        return [Hit(Chunk(id="c1", doc_id=LAW, position=1, kind="text", text=ART_321), 1.0)]

    def ask(q):
        cite = Citation(n=1, document=LAW, title="", number="", section="", page=None, quote=ART_321, chunk_id="c1")
        return Answer(text="từ 10.000.000 đồng đến 50.000.000 đồng [1]", citations=(cite,), abstained=False)

    result = _run_one(item, retrieve, ask, 5, iter(range(100)).__next__)
    summary = summarize([result])
    assert summary.value("article_hit_at_k") == 1.0 and summary.metric("article_hit_at_k").n == 1
