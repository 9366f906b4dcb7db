import pytest

from evals.stats import bootstrap_ci, paired_bootstrap


def test_bootstrap_ci_brackets_the_mean_and_is_reproducible():
    values = [1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0]
    low, high = bootstrap_ci(values)
    assert low <= 0.7 <= high and 0.0 <= low < high <= 1.0
    assert bootstrap_ci(values) == (low, high)


def test_bootstrap_ci_degenerate_cases():
    assert bootstrap_ci([]) is None
    assert bootstrap_ci([0.5]) == (0.5, 0.5)
    assert bootstrap_ci([1.0, 1.0, 1.0]) == (1.0, 1.0)


def test_paired_bootstrap_identical_runs_give_zero_delta_and_p_one():
    t = paired_bootstrap([1.0, 0.0, 0.5], [1.0, 0.0, 0.5])
    assert (t.delta, t.ci_low, t.ci_high, t.p_value) == (0.0, 0.0, 0.0, 1.0)


def test_paired_bootstrap_detects_a_consistent_improvement():
    a = [0.0] * 30
    b = [1.0] * 25 + [0.0] * 5
    t = paired_bootstrap(a, b)
    assert t.delta == pytest.approx(25 / 30)
    assert t.p_value < 0.01
    assert t.ci_low > 0


def test_paired_bootstrap_noise_is_not_significant():
    a = [1.0, 0.0] * 10
    b = [0.0, 1.0] * 10
    t = paired_bootstrap(a, b)
    assert t.delta == 0.0 and t.p_value > 0.5
