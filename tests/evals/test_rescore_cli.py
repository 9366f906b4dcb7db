"""``--rescore RUN_DIR`` scores stored answers without querying; ``--export trec`` writes the files; both via the CLI."""
from __future__ import annotations

import argparse
import json

import pytest

from evals.cli import add_eval_arguments, run_eval_command
from evals.errors import EvalError, RunDirError


def parse(*argv):
    parser = argparse.ArgumentParser(prog="planchat eval")
    add_eval_arguments(parser)
    return parser.parse_args([str(a) for a in argv])


def summary(path):
    return json.loads((path / "summary.json").read_text(encoding="utf-8"))


def never_opened():
    raise AssertionError("re-scoring must not open the index")


def test_rescore_reproduces_the_run_without_querying(services, dataset_file, tmp_path):
    run = tmp_path / "run"
    assert run_eval_command(parse(dataset_file, "--out", run, "--no-progress"), services) == 0
    again = tmp_path / "again"
    assert run_eval_command(parse("--rescore", run, "--out", again, "--json"), never_opened) == 0
    assert summary(again)["metrics"] == summary(run)["metrics"]
    assert summary(again)["config"]["rescored_from"] == str(run)


def test_a_corrected_gold_set_changes_only_what_it_corrects(services, dataset_file, tmp_path, capsys):
    run = tmp_path / "run"
    run_eval_command(parse(dataset_file, "--out", run, "--no-progress"), services)
    rows = [json.loads(line) for line in dataset_file.read_text(encoding="utf-8").splitlines()]
    budget = next(r for r in rows if r["id"] == "budget-wrong")
    before = next(json.loads(l) for l in (run / "results.jsonl").read_text(encoding="utf-8").splitlines() if '"budget-wrong"' in l)
    budget["must_include"] = [[before["answer"].split(" [")[0][:20]]]  # the gold fact was wrong: correct it to what the plan says
    corrected = tmp_path / "corrected.jsonl"
    corrected.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "rescored"
    assert run_eval_command(parse(corrected, "--rescore", run, "--out", out, "--no-progress"), never_opened) == 0
    old = {json.loads(l)["id"]: json.loads(l) for l in (run / "results.jsonl").read_text(encoding="utf-8").splitlines()}
    new = {json.loads(l)["id"]: json.loads(l) for l in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()}
    assert old["budget-wrong"]["metrics"]["fact_recall"] == 0.0 and new["budget-wrong"]["metrics"]["fact_recall"] == 1.0
    assert all(new[i]["metrics"] == old[i]["metrics"] for i in old if i != "budget-wrong")
    assert new["budget-wrong"]["answer"] == old["budget-wrong"]["answer"]


def test_rescore_reports_missing_questions_and_bad_directories(services, dataset_file, tmp_path, capsys):
    run = tmp_path / "run"
    run_eval_command(parse(dataset_file, "--out", run, "--no-progress", "--k", "2"), services)
    extra = tmp_path / "extra.jsonl"
    extra.write_text(dataset_file.read_text(encoding="utf-8") + '{"id": "new-1", "question": "Câu mới?"}\n', encoding="utf-8")
    assert run_eval_command(parse(extra, "--rescore", run, "--out", tmp_path / "o", "--no-progress"), never_opened) == 0
    assert "1 question(s) of the gold set are not in the run" in capsys.readouterr().err
    with pytest.raises(RunDirError, match="larger than the run's k"):
        run_eval_command(parse("--rescore", run, "--k", "5"), never_opened)
    with pytest.raises(RunDirError, match="no such eval run directory"):
        run_eval_command(parse("--rescore", tmp_path / "nope"), never_opened)
    with pytest.raises(EvalError, match="--baseline and --judge need live answers"):
        run_eval_command(parse("--rescore", run, "--baseline", "langchain"), never_opened)
    with pytest.raises(EvalError, match="unknown format 'xml'"):
        run_eval_command(parse("--rescore", run, "--export", "xml", tmp_path / "x"), never_opened)


def test_export_trec_from_a_run_and_from_a_rescore(services, dataset_file, tmp_path):
    run = tmp_path / "run"
    assert run_eval_command(parse(dataset_file, "--out", run, "--no-progress", "--export", "trec", tmp_path / "trec"), services) == 0
    qrels = (tmp_path / "trec" / "qrels.trec").read_text(encoding="utf-8").splitlines()
    assert qrels == ["lead 0 gold1:alpha-plan.txt 1", "deadline 0 gold1:beta-plan.txt 1", "budget-wrong 0 gold1:beta-plan.txt 1"]
    assert run_eval_command(parse("--rescore", run, "--out", tmp_path / "r", "--export", "trec", tmp_path / "trec2"), never_opened) == 0
    assert (tmp_path / "trec2" / "run.trec").read_text(encoding="utf-8") == (tmp_path / "trec" / "run.trec").read_text(encoding="utf-8")
