import json

import pytest

from evals.compare import compare_runs, format_comparison
from evals.errors import RunDirError
from evals.metrics import ItemMetrics


def row(id, passed, fact_recall, reasons=(), answerable=True, seconds=0.1):
    metrics = ItemMetrics(fact_recall=fact_recall, doc_hit_at_k=1.0 if passed else 0.0, abstention_correct=1.0).as_dict()
    return {"id": id, "question": f"question {id}?", "answerable": answerable, "metrics": metrics, "passed": passed,
            "reasons": list(reasons), "retrieval_seconds": seconds, "answer_seconds": seconds}


def write_run(path, rows):
    path.mkdir(parents=True)
    (path / "results.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    (path / "summary.json").write_text("{}", encoding="utf-8")
    return path


@pytest.fixture
def two_runs(tmp_path):
    a = write_run(tmp_path / "a", [row("q1", True, 1.0), row("q2", False, 0.0, ["missing facts"]), row("q3", True, 1.0), row("qa", True, 1.0)])
    b = write_run(tmp_path / "b", [row("q1", False, 0.5, ["missing facts (fact recall 0.50)"]), row("q2", True, 1.0), row("q3", True, 1.0), row("qb", True, 1.0)])
    return a, b


def test_compare_lists_flipped_questions_and_deltas(two_runs):
    a, b = two_runs
    c = compare_runs(a, b)
    assert c.n_shared == 3 and c.only_a == ("qa",) and c.only_b == ("qb",)
    flips = {f.id: f.direction for f in c.flips}
    assert flips == {"q1": "pass->fail", "q2": "fail->pass"}
    fr = c.delta("fact_recall")
    assert (fr.n, fr.a, fr.b) == (3, pytest.approx(2 / 3), pytest.approx(2.5 / 3))
    assert fr.delta == pytest.approx(0.5 / 3)
    assert 0.0 < fr.p_value <= 1.0
    assert c.delta("pass_rate").delta == 0.0
    assert c.delta("mrr").n == 0 and c.delta("mrr").delta is None

    text = format_comparison(c)
    assert "pass->fail (1):" in text and "q1: question q1?" in text and "missing facts (fact recall 0.50)" in text
    assert "fail->pass (1):" in text and "q2" in text
    assert "fact_recall" in text and "+0.167" in text


def test_identical_runs_give_zero_deltas_and_no_flips(two_runs):
    a, _ = two_runs
    c = compare_runs(a, a)
    assert c.flips == ()
    for d in c.deltas:
        if d.n:
            assert d.delta == 0.0 and d.p_value == 1.0
    assert "no question flipped" in format_comparison(c)
    json.dumps(c.to_dict())  # serialisable for --json


def test_compare_accepts_a_baseline_run_directory(tmp_path, two_runs):
    a, _ = two_runs
    combined = tmp_path / "combined"
    write_run(combined / "ours", [row("q1", True, 1.0)])
    c = compare_runs(a, combined)
    assert c.n_shared == 1


def test_compare_rejects_non_runs(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(RunDirError, match="not an eval run"):
        compare_runs(tmp_path / "empty", tmp_path / "empty")
    with pytest.raises(RunDirError, match="no such"):
        compare_runs(tmp_path / "nope", tmp_path / "nope")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "results.jsonl").write_text("{not json\n")
    with pytest.raises(RunDirError, match="line 1"):
        compare_runs(bad, bad)
