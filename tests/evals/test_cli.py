import argparse
import json

import pytest

from evals.cli import add_eval_arguments, run_eval_command
from evals.errors import DatasetError, EvalError, GateError


def parse(*argv):
    parser = argparse.ArgumentParser(prog="planchat eval")
    add_eval_arguments(parser)
    return parser.parse_args([str(a) for a in argv])


def test_eval_writes_reports_and_prints_a_table(services, dataset_file, tmp_path, capsys):
    out = tmp_path / "run"
    code = run_eval_command(parse(dataset_file, "--out", out, "--no-progress"), services)
    assert code == 0
    for name in ("summary.json", "results.jsonl", "report.md", "report.html"):
        assert (out / name).is_file()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["k"] == 3  # from the settings
    assert summary["model_id"] == services.embedder.model_id
    assert summary["corpus_id"].startswith("2 files, sha256:")
    assert summary["config"]["corpus_files"] == ["alpha-plan.txt", "beta-plan.txt"]
    printed = capsys.readouterr().out
    assert "fact_recall" in printed and "95% CI" in printed and "report.html" in printed


def test_json_prints_summary_only(services, dataset_file, tmp_path, capsys):
    assert run_eval_command(parse(dataset_file, "--out", tmp_path / "r", "--json", "--k", "2"), services) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["k"] == 2 and summary["counts"]["items"] == 4


def test_fail_under_exits_non_zero_with_a_clear_message(services, dataset_file, tmp_path, capsys):
    args = parse(dataset_file, "--out", tmp_path / "a", "--fail-under", "pass_rate=0.9", "--fail-under", "doc_hit_at_k=0.5")
    assert run_eval_command(args, services) == 1
    assert "FAIL: pass_rate = 0.7500 is below the required 0.9" in capsys.readouterr().err
    assert run_eval_command(parse(dataset_file, "--out", tmp_path / "b", "--fail-under", "pass_rate=0.75"), services) == 0


def test_bad_input_is_rejected_before_services_are_opened(dataset_file, tmp_path):
    opened = []

    def factory():
        opened.append(True)
        raise AssertionError("must not open services")

    with pytest.raises(GateError):
        run_eval_command(parse(dataset_file, "--fail-under", "nonsense=1"), factory)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(DatasetError, match="line 1, field 'question'"):
        run_eval_command(parse(bad), factory)
    with pytest.raises(EvalError, match="give a test set"):
        run_eval_command(parse(), factory)
    assert opened == []


def test_services_factory_is_called_for_a_run(services, dataset_file, tmp_path):
    assert run_eval_command(parse(dataset_file, "--out", tmp_path / "r", "--no-progress"), lambda: services) == 0


def test_judge_without_llm_is_an_error(services, dataset_file, tmp_path):
    with pytest.raises(EvalError, match="--judge needs an LLM"):
        run_eval_command(parse(dataset_file, "--out", tmp_path / "r", "--judge"), services)


def test_empty_index_is_an_error(services, dataset_file, tmp_path):
    services.index = type(services.index)([])  # the same kind of index, with nothing in it
    with pytest.raises(EvalError, match="index is empty"):
        run_eval_command(parse(dataset_file, "--out", tmp_path / "r"), services)


def test_baseline_runs_beside_ours_and_is_reported_side_by_side(services, dataset_file, tmp_path, capsys):
    out = tmp_path / "both"
    code = run_eval_command(parse(dataset_file, "--out", out, "--baseline", "langchain", "--fail-under", "pass_rate=0.7"), services)
    assert code == 0
    for sub in ("ours", "baseline"):
        for name in ("summary.json", "results.jsonl", "report.md", "report.html"):
            assert (out / sub / name).is_file()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert set(summary["runs"]) == {"ours", "baseline"}
    assert summary["runs"]["baseline"]["config"]["chunk_size"] == 1000
    assert summary["runs"]["baseline"]["config"]["chunk_overlap"] == 200
    assert summary["runs"]["baseline"]["metrics"]["abstention_accuracy_unanswerable"]["value"] == 0.0  # never abstains
    assert summary["comparison"]["a"] == "baseline" and summary["comparison"]["b"] == "ours"
    printed = capsys.readouterr().out
    assert "ours vs baseline" in printed and "pass_rate" in printed
    assert "Δ" in (out / "report.md").read_text(encoding="utf-8")


def test_compare_command_needs_no_services(services, dataset_file, tmp_path, capsys):
    run_eval_command(parse(dataset_file, "--out", tmp_path / "a", "--no-progress"), services)
    run_eval_command(parse(dataset_file, "--out", tmp_path / "b", "--no-progress", "--k", "1"), services)
    capsys.readouterr()
    assert run_eval_command(parse("--compare", tmp_path / "a", tmp_path / "b"), None) == 0
    printed = capsys.readouterr().out
    assert "4 shared questions" in printed and "doc_hit_at_k" in printed
    assert run_eval_command(parse("--compare", tmp_path / "a", tmp_path / "b", "--json"), None) == 0
    assert json.loads(capsys.readouterr().out)["shared_questions"] == 4


def test_judge_metrics_join_the_summary_when_an_llm_is_configured(services, dataset_file, tmp_path):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    services.chat_model = FakeListChatModel(
        responses=['{"claims": [{"claim": "x", "supported": true}]}', '{"questions": ["Cơ quan nào chủ trì?"]}']
    )
    out = tmp_path / "judged"
    code = run_eval_command(parse(dataset_file, "--out", out, "--judge", "--no-progress", "--fail-under", "faithfulness=0.9"), services)
    assert code == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["metrics"]["faithfulness"]["value"] == 1.0
    assert summary["metrics"]["answer_relevancy"]["n"] == 3
    assert (out / "judge.json").is_file()


def test_judge_metrics_are_unknown_without_judge(services, dataset_file):
    with pytest.raises(GateError, match="unknown metric 'faithfulness'"):
        run_eval_command(parse(dataset_file, "--fail-under", "faithfulness=0.9"), services)


def test_baseline_without_corpus_files_is_an_error(services, dataset_file, tmp_path):
    services.corpus_paths = []
    with pytest.raises(EvalError, match="--baseline needs the corpus files"):
        run_eval_command(parse(dataset_file, "--out", tmp_path / "r", "--baseline", "langchain"), services)
