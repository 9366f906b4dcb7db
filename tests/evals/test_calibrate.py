"""Fitting the ranker and choosing the abstention threshold (no model, no index)."""
import random

import pytest

from evals.calibrate import Example, Outcome, auc, choose_threshold, curve, fit_logistic, main


def test_fit_logistic_recovers_the_informative_feature():
    rng = random.Random(0)
    examples = []
    for i in range(400):
        signal, noise = rng.random(), rng.random()
        examples.append(Example(str(i), (signal, noise), rng.random() < signal))
    weights, bias = fit_logistic(examples, l2=0.1)
    assert weights[0] > 2.0 and abs(weights[1]) < 1.0


def test_auc_is_one_for_a_perfect_score_and_a_half_for_a_constant():
    assert auc([0.1, 0.2, 0.8, 0.9], [False, False, True, True]) == 1.0
    assert auc([0.5] * 4, [False, True, False, True]) == 0.5


def test_curve_and_operating_point():
    outcomes = [
        Outcome("a", True, 0.9, True), Outcome("b", True, 0.6, True), Outcome("c", True, 0.2, False),
        Outcome("d", False, 0.3, False), Outcome("e", False, 0.1, False), Outcome("a~", False, 0.4, False),
    ]
    rows = curve(outcomes, [0.0, 0.25, 0.5])
    assert rows[0]["abstained_answerable"] == 0.0 and rows[0]["answered_wrong"] == 3 / 5
    assert rows[1]["abstained_unanswerable"] == 0.5 and rows[1]["abstained_answerable"] == 1 / 3
    assert rows[2]["abstained_unanswerable"] == 1.0
    assert rows[1]["abstained_twins"] == 0.0 and rows[2]["abstained_twins"] == 1.0  # twins are reported apart
    # at most a third of the answerable questions may be abstained: 0.5 is the best allowed point
    assert choose_threshold(rows, 0.34)["threshold"] == 0.5
    assert choose_threshold(rows, 0.0)["threshold"] == 0.0


def test_refuses_held_out_sets(capsys):
    with pytest.raises(SystemExit):
        main(["--set", "/tmp/x=evals/datasets/external_heldout.jsonl"])
    assert "held-out" in capsys.readouterr().err


def test_a_semantic_refit_keeps_the_lexical_pair(tmp_path):
    import json

    from evals.calibrate import merged_models

    path = tmp_path / "ranker.json"
    path.write_text(json.dumps({"semantic": {"v": "old"}, "lexical": {"v": "kept"}}), encoding="utf-8")
    merged = merged_models({"semantic": {"v": "new"}}, path)
    assert merged == {"semantic": {"v": "new"}, "lexical": {"v": "kept"}}
    assert merged_models({"semantic": {"v": "new"}, "lexical": {"v": "refit"}}, path)["lexical"] == {"v": "refit"}
    assert merged_models({"semantic": {"v": "new"}}, tmp_path / "missing.json") == {"semantic": {"v": "new"}}


def test_refuses_unknown_model_kinds(capsys):
    with pytest.raises(SystemExit):
        main(["--set", "/tmp/x=evals/datasets/external_dev.jsonl", "--models", "semantic,fancy"])
