import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from evals.judge import answer_relevancy, faithfulness, judge_run, parse_json_object
from evals.run import run_eval


def test_parse_json_object_tolerates_fences_and_chatter():
    assert parse_json_object('Sure:\n```json\n{"score": 4}\n```') == {"score": 4}
    assert parse_json_object("no json here") is None
    assert parse_json_object("{broken") is None


def test_faithfulness_is_the_share_of_supported_claims():
    model = FakeListChatModel(responses=['{"claims": [{"claim": "a", "supported": true}, {"claim": "b", "supported": false},'
                                         ' {"claim": "c", "supported": true}, {"claim": "d", "supported": true}]}'])
    assert faithfulness(model, "q?", "A. B. C. D. [1]", ["passage"]) == 0.75


def test_unparseable_or_empty_judgements_are_none():
    assert faithfulness(FakeListChatModel(responses=["I think it is fine"]), "q?", "answer", ["p"]) is None
    assert faithfulness(FakeListChatModel(responses=['{"claims": []}']), "q?", "answer", ["p"]) is None
    assert faithfulness(FakeListChatModel(responses=["unused"]), "q?", " [1] ", ["p"]) is None  # nothing but a marker


def test_answer_relevancy_rating_without_embedder():
    assert answer_relevancy(FakeListChatModel(responses=['{"score": 4}']), "q?", "answer") == 0.75
    assert answer_relevancy(FakeListChatModel(responses=['{"score": 9}']), "q?", "answer") == 1.0
    assert answer_relevancy(FakeListChatModel(responses=['{"score": "high"}']), "q?", "answer") is None


def test_answer_relevancy_with_embedder_compares_generated_questions(embedder):
    same = FakeListChatModel(responses=['{"questions": ["Ai chủ trì đào tạo nghề?", "Ai chủ trì đào tạo nghề?"]}'])
    assert answer_relevancy(same, "Ai chủ trì đào tạo nghề?", "Sở Lao động chủ trì", embedder) == pytest.approx(1.0, abs=1e-5)
    other = FakeListChatModel(responses=['{"questions": ["Thời tiết hôm nay thế nào?"]}'])
    assert answer_relevancy(other, "Ai chủ trì đào tạo nghề?", "Sở Lao động chủ trì", embedder) < 0.9


def test_judge_run_skips_abstentions_and_unanswerable(services, gold_items):
    run = run_eval(gold_items, retrieve=lambda q, k: services.index.retrieve(q, k), ask=services.assistant.ask, k=3, progress=False)
    answered = sum(1 for r in run.results if r.item.answerable and not r.abstained)
    responses = []
    for _ in range(answered):
        responses += ['{"claims": [{"claim": "x", "supported": true}]}', '{"score": 5}']
    report = judge_run(run, FakeListChatModel(responses=responses)).to_dict()
    assert report["metrics"]["faithfulness"] == {"value": 1.0, "ci_low": 1.0, "ci_high": 1.0, "n": answered}
    assert report["metrics"]["answer_relevancy"]["value"] == 1.0
    none = next(s for s in report["per_question"] if s["id"] == "none")
    assert none["faithfulness"] is None and none["answer_relevancy"] is None
