"""CI gate: our pipeline on the gold sets must not fall below the measured figures (see README)."""
import json
from pathlib import Path

import pytest

from planchat.cli import main

DATASETS = Path(__file__).resolve().parents[2] / "evals" / "datasets"

# Set just below the figures measured with the bundled model (README, "Evaluation").
GOLD_THRESHOLDS = {
    "doc_hit_at_k": 0.95,
    "passage_hit_at_k": 0.70,
    "fact_recall": 0.80,
    "citation_precision": 0.93,
    "abstention_accuracy": 0.93,
    "pass_rate": 0.80,
}


def _gate(args, thresholds):
    gated = list(args)
    for name, value in thresholds.items():
        gated += ["--fail-under", f"{name}={value}"]
    return gated


@pytest.mark.slow
def test_gold_set_meets_thresholds(sample_data_dir, tmp_path, capsys):
    out = tmp_path / "run"
    code = main(_gate(
        ["eval", str(DATASETS / "sample_plans.jsonl"), "--data-dir", str(sample_data_dir),
         "--out", str(out), "--no-progress"],
        GOLD_THRESHOLDS,
    ))
    printed = capsys.readouterr()
    print(printed.out)
    assert code == 0, printed.out + printed.err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary  # the run wrote its summary
