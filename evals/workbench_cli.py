"""The parts of ``planchat eval`` added for evaluators (issue 14): test sets in any known format,
``--given`` (score the answers a file carries) and ``--rescore RUN_DIR`` (score a finished run again).

``services`` is what ``evals.cli.run_eval_command`` receives: the services, a
zero-argument factory for them, or None. They are opened only when needed: a
native test set loads without them, and re-scoring never queries.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from evals.errors import EvalError


class ServicesOnDemand:
    def __init__(self, services: Any):
        self._services = services
        self._opened = None

    def get(self):
        if self._opened is None:
            services = self._services
            if callable(services) and not hasattr(services, "index"):
                services = services()
            if services is None:
                raise EvalError("planchat eval needs an index; none was opened")
            self._opened = services
        return self._opened

    def corpus(self):
        from evals.formats.corpus import Corpus

        return Corpus.from_index(self.get().index)

    def load(self, args: argparse.Namespace, *, want_outputs: bool = False):
        from evals.formats import load_test_set

        return load_test_set(args.dataset, format=getattr(args, "format", None), corpus=self.corpus, want_outputs=want_outputs)

    def load_items(self, args: argparse.Namespace) -> list:
        return list(self.load(args).items)


def run_scoring_command(args: argparse.Namespace, services: Any) -> int:
    """``--rescore RUN_DIR [DATASET]`` or ``DATASET --given``: metrics from stored answers, no querying."""
    from evals.cli import _export, _gate, format_summary
    from evals.gate import parse_thresholds
    from evals.report import write_run
    from evals.run import SUMMARY_METRICS

    if args.rescore and args.given:
        raise EvalError("--rescore and --given do not go together: --rescore scores a run, --given the answers stored in a test set")
    if args.baseline or args.judge:
        raise EvalError("--baseline and --judge need live answers; they do not go with --rescore or --given")
    if args.k is not None and args.k < 1:
        raise EvalError("--k must be at least 1")
    thresholds = parse_thresholds(args.fail_under or [], SUMMARY_METRICS)
    on_demand = ServicesOnDemand(services)
    notes: list[str] = []
    if args.rescore:
        from evals.rescore import rescore

        items = on_demand.load_items(args) if args.dataset else None
        result = rescore(args.rescore, items, k=args.k, dataset=str(args.dataset or ""))
        run, notes = result.run, list(result.notes)
        default_out = _out_dir("rescored")
    else:
        if not args.dataset:
            raise EvalError("--given needs a test set that carries answers (e.g. a RAGAS file with response and retrieved_contexts)")
        from evals.rescore import score_outputs

        imported = on_demand.load(args, want_outputs=True)
        if not imported.outputs:
            raise EvalError(f"{Path(args.dataset).name}: no stored answers to score (--given reads RAGAS response / retrieved_contexts)")
        missing = [i.id for i in imported.items if i.id not in imported.outputs]
        if missing:
            notes.append(f"{len(missing)} item(s) carry no answer and were not scored: {', '.join(missing[:8])}")
        k = args.k or max(1, max(len(o.retrieved) for o in imported.outputs.values()))
        run = score_outputs(imported.items, imported.outputs, k=k, label="given", dataset=str(args.dataset),
                            config={"scored": "answers stored in the test set", "format": imported.format})
        default_out = _out_dir("given")
    out_dir = Path(args.out) if args.out else default_out
    write_run(run, out_dir)
    _export(args, run)
    for note in notes:
        print(f"planchat eval: note: {note}", file=sys.stderr)
    summary = run.summary_dict()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(format_summary(summary), end="")
        print(f"\nreports: {out_dir / 'report.md'}  {out_dir / 'report.html'}")
    return _gate(summary, thresholds)


def _out_dir(suffix: str) -> Path:
    from evals.cli import DEFAULT_RUNS_DIR

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = DEFAULT_RUNS_DIR / f"{stamp}-{suffix}"
    i = 1
    while out.exists():
        out = DEFAULT_RUNS_DIR / f"{stamp}-{suffix}-{i}"
        i += 1
    return out
