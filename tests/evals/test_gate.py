import pytest

from evals.errors import GateError
from evals.gate import check, parse_thresholds

SUMMARY = {"metrics": {"fact_recall": {"value": 0.8, "n": 10}, "mrr": {"value": 0.5, "n": 10}, "abstention_accuracy_unanswerable": {"value": None, "n": 0}}}


def test_parse_several_thresholds_last_wins():
    ts = parse_thresholds(["fact_recall=0.7", "mrr = 0.4", "fact_recall=0.75"])
    assert [(t.metric, t.minimum) for t in ts] == [("fact_recall", 0.75), ("mrr", 0.4)]


@pytest.mark.parametrize("spec", ["fact_recall", "=0.5", "fact_recall=", "fact_recall=high", "fact_recall=nan"])
def test_malformed_thresholds(spec):
    with pytest.raises(GateError):
        parse_thresholds([spec])


def test_unknown_metric_names_the_known_ones():
    with pytest.raises(GateError, match="unknown metric 'recall'.*fact_recall"):
        parse_thresholds(["recall=0.5"], known=["fact_recall", "mrr"])


def test_check_passes_at_and_above_threshold_and_fails_below():
    assert check(SUMMARY, parse_thresholds(["fact_recall=0.8", "mrr=0.5"])) == []
    (failure,) = check(SUMMARY, parse_thresholds(["fact_recall=0.81", "mrr=0.1"]))
    assert failure.metric == "fact_recall"
    assert failure.message == "fact_recall = 0.8000 is below the required 0.81"


def test_unmeasured_metric_fails_and_unknown_metric_errors():
    (failure,) = check(SUMMARY, parse_thresholds(["abstention_accuracy_unanswerable=0.5"]))
    assert "not measured" in failure.message
    with pytest.raises(GateError):
        check(SUMMARY, parse_thresholds(["nope=0.1"]))


def test_check_uses_our_run_in_a_combined_baseline_summary():
    combined = {"runs": {"ours": SUMMARY, "baseline": {"metrics": {"fact_recall": {"value": 0.1}}}}}
    assert check(combined, parse_thresholds(["fact_recall=0.8"])) == []
