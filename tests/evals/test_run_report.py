import json

import pytest

from evals.report import write_run
from evals.run import run_eval


class FakeClock:
    """Advances 0.1 s per reading, so every retrieval and every answer takes exactly 0.1 s."""

    def __init__(self):
        self.t = 0.0

    def __call__(self):
        self.t += 0.1
        return self.t


def run_fake(services, items, **kw):
    return run_eval(
        items,
        retrieve=lambda q, k: services.index.retrieve(q, k),
        ask=services.assistant.ask,
        k=3,
        progress=False,
        config={"answerer": "extractive"},
        corpus_id="corpus-1",
        model_id="hash",
        clock=FakeClock(),
        **kw,
    )


def test_run_eval_scores_each_question_and_summarises(services, gold_items):
    run = run_fake(services, gold_items)
    by_id = {r.item.id: r for r in run.results}
    assert [r.item.id for r in run.results] == ["lead", "deadline", "budget-wrong", "none"]
    assert by_id["lead"].passed and by_id["deadline"].passed and by_id["none"].passed
    assert not by_id["budget-wrong"].passed
    assert by_id["budget-wrong"].reasons == ("missing facts (fact recall 0.00)",)
    assert by_id["none"].abstained and by_id["none"].metrics.doc_hit_at_k is None
    assert by_id["lead"].retrieved[0].rank == 1 and by_id["lead"].retrieved[0].doc_id == "alpha-plan.txt"

    s = run.summary
    assert (s.n_items, s.n_answerable, s.n_unanswerable, s.n_errors) == (4, 3, 1, 0)
    assert s.value("pass_rate") == 0.75
    assert s.value("fact_recall") == pytest.approx(2 / 3)
    assert s.metric("fact_recall").n == 3
    assert s.value("doc_hit_at_k") == 1.0
    assert s.value("abstention_accuracy") == 1.0
    assert s.value("abstention_accuracy_unanswerable") == 1.0
    assert s.metric("abstention_accuracy_unanswerable").n == 1
    ci = s.metric("fact_recall")
    assert ci.ci_low <= ci.value <= ci.ci_high
    assert dict(s.latency) == pytest.approx({"retrieval_p50": 0.1, "retrieval_p95": 0.1, "answer_p50": 0.1, "answer_p95": 0.1})
    assert {c.category for c in s.by_category} == {"responsibility", "deadline", "budget", "unanswerable"}


def test_abstention_accuracy_is_reported_separately_for_answerable_and_unanswerable(services, gold_items):
    from assistant.types import Answer

    always_abstain = run_eval(
        gold_items,
        retrieve=lambda q, k: [],
        ask=lambda q: Answer(text="", citations=(), abstained=True),
        progress=False,
    )
    s = always_abstain.summary
    assert s.value("abstention_accuracy_answerable") == 0.0
    assert s.value("abstention_accuracy_unanswerable") == 1.0
    assert s.value("abstention_accuracy") == 0.25
    assert s.value("fact_recall") == 0.0
    assert s.value("citation_precision") is None and s.metric("citation_precision").n == 0


def test_exceptions_are_recorded_per_question(gold_items):
    def broken(q):
        raise RuntimeError("backend down")

    run = run_eval(gold_items[:1], retrieve=lambda q, k: [], ask=broken, progress=False)
    (r,) = run.results
    assert r.error == "ask: RuntimeError: backend down"
    assert not r.passed and run.summary.n_errors == 1


def test_progress_callable_is_called_per_question(services, gold_items):
    seen = []
    run_eval(gold_items[:2], retrieve=lambda q, k: [], ask=services.assistant.ask, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 2), (2, 2)]


def test_write_run_files(services, gold_items, tmp_path):
    run = run_fake(services, gold_items, dataset="set.jsonl")
    out = write_run(run, tmp_path / "run")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["k"] == 3 and summary["corpus_id"] == "corpus-1" and summary["model_id"] == "hash"
    assert summary["config"] == {"answerer": "extractive"} and summary["created_at"]
    assert set(summary["metrics"]["fact_recall"]) == {"value", "ci_low", "ci_high", "n"}
    assert summary["counts"] == {"items": 4, "answerable": 3, "unanswerable": 1, "errors": 0, "passed": 3}
    assert summary["latency_seconds"]["answer_p95"] == pytest.approx(0.1)

    rows = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["lead", "deadline", "budget-wrong", "none"]
    lead = rows[0]
    assert lead["retrieved"][0]["doc_id"] == "alpha-plan.txt" and lead["retrieved"][0]["rank"] == 1
    assert lead["citations"][0]["document"] == "alpha-plan.txt"
    assert lead["metrics"]["fact_recall"] == 1.0 and lead["passed"] is True
    assert set(lead["metrics"]) >= {"doc_hit_at_k", "passage_hit_at_k", "mrr", "ndcg_at_k", "context_fact_recall",
                                    "fact_recall", "token_f1", "citation_precision", "citation_recall", "abstention_correct"}

    md = (out / "report.md").read_text(encoding="utf-8")
    table = md.split("## Questions (failures first)")[1].split("## Failures")[0]
    assert table.index("budget-wrong") < table.index("| pass | lead")  # failures first
    failure = md.split("## Failures")[1]
    assert "`1 tỷ đồng`" in failure  # what was expected
    assert "beta-plan.txt" in failure  # what was retrieved / the gold source
    assert "**answer**" in failure


def test_html_report_escapes_all_text(services, gold_items, tmp_path):
    out = write_run(run_fake(services, gold_items), tmp_path / "run")
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<b>chuyển đổi số</b>" not in page
    assert "Kinh phí &lt;b&gt;chuyển đổi số&lt;/b&gt; &amp; tỉnh Beta" in page
    assert page.index("budget-wrong") < page.index(">lead<")  # failures first
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "<b>" not in md


def test_tqdm_bar_on_stderr_only_when_asked(services, gold_items, capsys):
    run_eval(gold_items, retrieve=lambda q, k: [], ask=services.assistant.ask, progress=True)
    assert "eval ours" in capsys.readouterr().err
    run_eval(gold_items, retrieve=lambda q, k: [], ask=services.assistant.ask, progress=False)
    run_eval(gold_items, retrieve=lambda q, k: [], ask=services.assistant.ask)  # stderr is not a terminal under pytest
    assert capsys.readouterr().err == ""
