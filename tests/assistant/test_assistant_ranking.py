"""The calibrated ranker: features per unit, the logistic models and their data file."""
import json

import numpy as np

from assistant.extractive import ExtractiveAnswerer, missing_from_passages, unit_context_text
from assistant.query import analyze
from assistant.ranking import (
    ABSTAIN_FEATURES,
    FEATURES,
    FeatureRow,
    LogisticModel,
    RankerModel,
    finish_features,
    load_models,
    question_features,
)
from assistant.similarity import Similarity
from assistant.units import Unit
from index.embedders.hash_embedder import HashEmbedder
from tests.assistant.assistant_samples import CB_LEAD, CB_TARGET, hits


def _row(**kw) -> FeatureRow:
    base = dict(lex=0.0, lex_own=0.0, word_credits={}, sem=0.0, type=0.0, evidence=0.0, rank=1.0, dense=0.0,
                foreign=0.0, heading=False, row=False, card=False)
    base.update(kw)
    return FeatureRow(**base)


def test_shipped_model_file_names_every_feature_and_a_threshold_between_0_and_1():
    models = load_models()
    assert set(models) == {"semantic", "lexical"}
    for model in models.values():
        assert set(model.ranker.features) == set(FEATURES)
        assert set(model.abstain.features) == set(ABSTAIN_FEATURES)
        assert 0.0 < model.threshold < 1.0


def test_logistic_model_round_trips_and_ignores_missing_features():
    model = RankerModel(LogisticModel(("lex", "type"), (2.0, 1.0), -1.0), LogisticModel(("p_best",), (3.0,), -1.5), 0.4)
    again = RankerModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again == model
    assert again.ranker.probability({"lex": 0.5}) == model.ranker.probability({"lex": 0.5, "unknown": 9.0})
    assert again.ranker.probability({"lex": 1.0, "type": 1.0}) > again.ranker.probability({"lex": 1.0})


def test_rare_words_weigh_more_among_the_candidates():
    weights = {"biên": 1.0, "chế": 1.0, "sở": 1.0}
    common = _row(word_credits={"sở": 1.0})
    rare = _row(word_credits={"biên": 1.0, "chế": 1.0})
    others = [_row(word_credits={"sở": 1.0}) for _ in range(4)]
    features = finish_features([common, rare, *others], weights)
    lex_idf = FEATURES.index("lex_idf")
    assert features[1].values[lex_idf] > 2 * features[0].values[lex_idf]
    assert features[0].as_dict()["lex_best"] == features[1].values[lex_idf]


def test_cosines_are_centred_and_the_best_has_no_gap():
    features = finish_features([_row(sem=0.9), _row(sem=0.8), _row(sem=0.7)], {})
    assert [round(f.as_dict()["sem_gap"], 6) for f in features] == [0.0, -0.1, -0.2]
    assert round(sum(f.as_dict()["sem"] for f in features), 6) == 0.0
    assert features[0].as_dict()["sem_raw"] == 0.9


def test_question_features_take_the_best_unit_and_its_lead():
    best = {f: 0.5 for f in FEATURES}
    values = question_features([best, best], [0.8, 0.3], asked_type=True, ctx_missing=0.25)
    assert values["p_best"] == 0.8 and round(values["p_margin"], 6) == 0.5
    assert values["asked_type"] == 1.0 and values["ctx_missing"] == 0.25 and values["lex"] == 0.5


def test_similarity_without_an_embedder_is_zero_and_with_one_prefers_the_closer_text():
    assert Similarity(None).cosines("ai chủ trì", ["a", "b"]) == [0.0, 0.0]
    cos = Similarity(HashEmbedder()).cosines("Sở Lao động chủ trì đào tạo nghề", [
        "Sở Lao động - Thương binh và Xã hội chủ trì đào tạo nghề", "Thời tiết hôm nay đẹp"])
    assert cos[0] > cos[1]


def test_unit_context_text_puts_the_agency_heading_in_front():
    unit = Unit(0, "Chủ trì chỉ đạo, hướng dẫn chính sách nhà ở", heading="2. Bộ Xây dựng", subject="Bộ Xây dựng")
    assert unit_context_text(unit) == "Bộ Xây dựng: Chủ trì chỉ đạo, hướng dẫn chính sách nhà ở"
    assert unit_context_text(Unit(0, "Bộ Xây dựng chủ trì", subject="Bộ Xây dựng")) == "Bộ Xây dựng chủ trì"


def test_words_no_passage_has_count_as_missing():
    found = missing_from_passages(analyze("Ai chủ trì đào tạo nghề nông thôn ở Cao Bằng?"), hits(CB_LEAD, CB_TARGET))
    missing = missing_from_passages(analyze("Giá vé máy bay đi Cao Bằng bao nhiêu?"), hits(CB_LEAD, CB_TARGET))
    assert found < 0.2 and missing > 0.6


def test_every_answer_reports_its_confidence():
    answerer = ExtractiveAnswerer(embedder=HashEmbedder())
    answer = answerer.answer("Who leads rural vocational training in Cao Bằng?", hits(CB_LEAD, CB_TARGET), "en")
    assert answer.confidence is not None and 0.0 <= answer.confidence <= 1.0
    forced = ExtractiveAnswerer(embedder=HashEmbedder(), threshold=1.01).answer(
        "Who leads rural vocational training in Cao Bằng?", hits(CB_LEAD, CB_TARGET), "en")
    assert forced.abstained and forced.confidence == answer.confidence
    assert np.isfinite(forced.confidence)
