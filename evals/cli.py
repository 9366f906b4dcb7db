"""``planchat eval``: arguments and the command body, called by planchat/cli.py with the real services.

``services`` needs ``.index`` (``retrieve(query, k, filters)``, ``documents()`` or
``chunks()``), ``.assistant`` (``ask(question) -> Answer``), ``.embedder``
(``model_id``, ``embed``), ``.settings_dict`` and ``.corpus_paths``. It may also be
a zero-argument callable returning such an object (called only when a run needs
it), or None for ``--compare``.

Bad input raises ``EvalError`` (one-line message; planchat/cli.py prints it).
Exit codes: 0 ok, 1 a ``--fail-under`` threshold was missed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

from evals.errors import EvalError

DEFAULT_RUNS_DIR = Path("evals") / "runs"
JUDGE_METRICS = ("faithfulness", "answer_relevancy")
# names older scripts used for the formats the importer registry (evals.formats) now names
FORMAT_ALIASES = {"auto": None, "planchat": "native"}


def add_eval_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", nargs="?", help="test set (.jsonl or .csv), e.g. evals/datasets/sample_plans.jsonl")
    parser.add_argument("--k", type=int, default=None, help="passages retrieved per question for the retrieval metrics (default: settings k, 5)")
    parser.add_argument("--out", default=None, help="directory for summary.json, results.jsonl, report.md, report.html (default: evals/runs/<timestamp>)")
    parser.add_argument("--json", action="store_true", help="print summary.json to stdout instead of a table")
    parser.add_argument("--baseline", choices=["langchain"], default=None,
                        help="also run the naive LangChain-tutorial pipeline on the same set and report both side by side")
    parser.add_argument("--fail-under", action="append", default=[], metavar="METRIC=VALUE",
                        help="exit 1 when METRIC (e.g. fact_recall, doc_hit_at_k) is below VALUE; repeatable")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar (it is also hidden when stderr is not a terminal)")
    parser.add_argument("--compare", nargs=2, metavar=("RUN_A", "RUN_B"), default=None,
                        help="compare two finished runs (directories): per-metric deltas with paired bootstrap p-values and flipped questions")
    parser.add_argument("--judge", action="store_true",
                        help="also score faithfulness and answer relevancy with the configured LLM (off by default; slow)")
    add_workbench_arguments(parser)


def add_workbench_arguments(parser: argparse.ArgumentParser) -> None:
    """Formats in and out, re-scoring (issue 14): --format, --given, --rescore, --export."""
    parser.add_argument("--format", default=None, metavar="NAME",
                        help="test-set format: native, ragas, vi-csv, … or alqac (question.json with law.json beside it; "
                             "the laws are ingested into the data dir) (default: detected from the file)")
    parser.add_argument("--given", action="store_true",
                        help="score the answers and retrieved contexts stored in the test set (RAGAS response/retrieved_contexts) instead of asking planchat")
    parser.add_argument("--rescore", default=None, metavar="RUN_DIR",
                        help="score the stored answers of a finished run again, without querying (against DATASET when given, else the run's own gold)")
    parser.add_argument("--export", nargs=2, default=None, metavar=("FORMAT", "DIR"),
                        help="also write the run for other tools; FORMAT 'trec' writes run.trec and qrels.trec into DIR")


def run_eval_command(args: argparse.Namespace, services: Any) -> int:
    if getattr(args, "compare", None):
        return _compare_command(args)
    from evals.gate import parse_thresholds
    from evals.run import SUMMARY_METRICS

    _check_export(args)
    if getattr(args, "rescore", None) or getattr(args, "given", False):
        from evals.workbench_cli import run_scoring_command

        return run_scoring_command(args, services)
    if not getattr(args, "dataset", None):
        raise EvalError("give a test set (planchat eval DATASET) or two runs to compare (planchat eval --compare RUN_A RUN_B)")
    if args.k is not None and args.k < 1:
        raise EvalError("--k must be at least 1")
    known = SUMMARY_METRICS + (JUDGE_METRICS if args.judge else ())
    thresholds = parse_thresholds(args.fail_under or [], known)
    from evals.workbench_cli import ServicesOnDemand

    on_demand = ServicesOnDemand(services)
    if getattr(args, "format", None) in FORMAT_ALIASES:
        args.format = FORMAT_ALIASES[args.format]
    importer = _corpus_importer(args)
    if importer is None:
        items = on_demand.load_items(args)
        services = on_demand.get()
    else:  # formats that bring their own documents (ALQAC) ingest them first
        services = on_demand.get()
        items = importer(args.dataset, services, progress=False if args.no_progress else None)
    _require_corpus(services)
    corpus_paths = [Path(p) for p in (getattr(services, "corpus_paths", None) or [])]
    if args.baseline and not corpus_paths:
        raise EvalError("--baseline needs the corpus files on disk, but none of the ingested files was found")
    chat_model = _judge_model(services) if args.judge else None

    settings = dict(getattr(services, "settings_dict", {}) or {})
    k = args.k or int(settings.get("k") or 5)
    out_dir = Path(args.out) if args.out else _default_out_dir()
    progress = False if args.no_progress else None
    corpus_id = corpus_fingerprint(corpus_paths)
    model_id = str(getattr(services.embedder, "model_id", ""))
    config = {**settings, "corpus_files": [p.name for p in sorted(corpus_paths)]}

    from evals.report import write_json, write_run
    from evals.run import run_eval

    ours = run_eval(
        items,
        retrieve=lambda q, n: services.index.retrieve(q, n, None),
        ask=lambda q: services.assistant.ask(q),
        k=k,
        progress=progress,
        config=config,
        corpus_id=corpus_id,
        model_id=model_id,
        label="ours",
        dataset=str(args.dataset),
    )
    judged = None
    if chat_model is not None:
        from evals.judge import judge_run

        judged = judge_run(ours, chat_model, embedder=services.embedder).to_dict()
    judge_metrics = judged["metrics"] if judged else None
    ours_dir = out_dir / "ours" if args.baseline else out_dir

    comparison = None
    write_run(ours, ours_dir)
    _export(args, ours)
    ours_summary = _with_judge(ours.summary_dict(), judge_metrics)
    if judged:
        write_json(ours_dir / "summary.json", ours_summary)
        write_json(ours_dir / "judge.json", judged)
    summary = ours_summary
    if args.baseline:
        from evals.compare import compare_eval_runs

        baseline = _run_baseline(items, services, corpus_paths, k, progress, config, corpus_id, model_id, str(args.dataset))
        write_run(baseline, out_dir / "baseline")
        comparison = compare_eval_runs(baseline, ours)
        summary = {
            "created_at": ours.created_at,
            "dataset": str(args.dataset),
            "k": k,
            "corpus_id": corpus_id,
            "model_id": model_id,
            "runs": {"ours": ours_summary, "baseline": baseline.summary_dict()},
            "comparison": comparison.to_dict(),
        }
        write_json(out_dir / "summary.json", summary)
        _write_side_by_side(out_dir, comparison)

    if ours.summary.n_errors:
        print(f"planchat eval: warning: {ours.summary.n_errors} question(s) raised errors; see {ours_dir / 'results.jsonl'}", file=sys.stderr)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        if comparison is not None:
            from evals.compare import format_comparison

            print(format_comparison(comparison), end="")
        else:
            print(format_summary(summary), end="")
        print(f"\nreports: {out_dir / 'report.md'}  {out_dir / 'report.html'}")
    return _gate(summary, thresholds)


# -- pieces --------------------------------------------------------------------

def _compare_command(args: argparse.Namespace) -> int:
    from evals.compare import compare_runs, format_comparison

    comparison = compare_runs(*args.compare)
    if args.json:
        print(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_comparison(comparison), end="")
    return 0


def _gate(summary: dict, thresholds) -> int:
    from evals.gate import check

    failures = check(summary, thresholds)
    for f in failures:
        print(f"planchat eval: FAIL: {f.message}", file=sys.stderr)
    return 1 if failures else 0


def _check_export(args) -> None:
    export = getattr(args, "export", None)
    if export and export[0] != "trec":
        raise EvalError(f"--export: unknown format '{export[0]}' (known: trec)")


def _export(args, run) -> None:
    export = getattr(args, "export", None)
    if export:
        from evals.trec import write_trec

        out = write_trec(run, export[1])
        print(f"planchat eval: TREC run and qrels written to {out}", file=sys.stderr)


def _corpus_importer(args: argparse.Namespace):
    """``load_for_eval(dataset, services, progress=)`` for a format that ships its own corpus, else None."""
    fmt = getattr(args, "format", None) or "auto"
    if fmt == "alqac":
        from evals.alqac import load_for_eval

        return load_for_eval
    if fmt == "auto":
        from evals.alqac import is_alqac_questions, load_for_eval

        return load_for_eval if is_alqac_questions(args.dataset) else None
    return None


def _require_corpus(services) -> None:
    index = services.index
    listing = index.documents() if hasattr(index, "documents") else index.chunks()
    if not listing:
        raise EvalError("the index is empty: ingest the corpus first (e.g. planchat ingest data/sample_plans)")


def _judge_model(services):
    model = getattr(services, "chat_model", None) or getattr(getattr(services, "answerer", None), "chat_model", None)
    if model is None:
        raise EvalError("--judge needs an LLM: configure one with --answerer ollama|openai and --llm-model")
    return model


def _with_judge(summary: dict, judge_metrics: dict | None) -> dict:
    if judge_metrics is None:
        return summary
    return {**summary, "metrics": {**summary["metrics"], **judge_metrics}}


def _run_baseline(items, services, corpus_paths, k, progress, config, corpus_id, model_id, dataset):
    from evals.baseline import CHUNK_OVERLAP, CHUNK_SIZE, LangChainBaseline
    from evals.run import progress_reporter, run_eval

    tick, close = progress_reporter(progress, 1, "baseline index", unit="chunk")
    try:
        baseline = LangChainBaseline.build(corpus_paths, services.embedder, k=k, progress=lambda done, total: tick(done, total))
    finally:
        close()
    try:
        return run_eval(
            items,
            retrieve=baseline.retrieve,
            ask=baseline.ask,
            k=k,
            progress=progress,
            config={"pipeline": "langchain-tutorial", "chunk_size": CHUNK_SIZE, "chunk_overlap": CHUNK_OVERLAP,
                    "vector_store": "chroma (in-memory)", "retrieval": "dense top-k", "answer": "top passage",
                    "embedding_model": model_id, "chunks": baseline.n_chunks, "corpus_files": config.get("corpus_files", [])},
            corpus_id=corpus_id,
            model_id=model_id,
            label="baseline",
            dataset=dataset,
        )
    finally:
        baseline.close()


def _write_side_by_side(out_dir: Path, comparison) -> None:
    import html

    from evals.compare import comparison_rows
    from evals.report import render_side_by_side_markdown

    rows = comparison_rows(comparison)
    labels = (comparison.label_a, comparison.label_b)
    md = ["# Eval: ours vs the LangChain-tutorial baseline", "",
          f"{comparison.n_shared} questions; Δ = ours − baseline; p from a paired bootstrap (* = p < 0.05).", "",
          render_side_by_side_markdown(rows, labels),
          "Per-question reports: [ours](ours/report.md), [baseline](baseline/report.md).", ""]
    (out_dir / "report.md").write_text("\n".join(md), encoding="utf-8")
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    head = "".join(f"<th>{html.escape(h)}</th>" for h in ("metric", labels[0], labels[1], "Δ", "p"))
    (out_dir / "report.html").write_text(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Eval: ours vs baseline</title>"
        "<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3rem .5rem}td+td{text-align:right}</style></head><body>"
        f"<h1>Eval: ours vs the LangChain-tutorial baseline</h1><p>{comparison.n_shared} questions; Δ = ours − baseline; "
        "p from a paired bootstrap (* = p &lt; 0.05).</p>"
        f"<table><tr>{head}</tr>{cells}</table>"
        '<p>Per-question reports: <a href="ours/report.html">ours</a>, <a href="baseline/report.html">baseline</a>.</p>'
        "</body></html>\n",
        encoding="utf-8",
    )


def corpus_fingerprint(paths: Sequence[Path]) -> str:
    """'<n> files, sha256:<16 hex>' over the sorted (file name, content hash) pairs: same files, same id."""
    h = hashlib.sha256()
    n = 0
    for p in sorted(Path(x) for x in paths):
        try:
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
        except OSError:
            continue
        h.update(f"{p.name}\0{digest}\n".encode())
        n += 1
    return f"{n} files, sha256:{h.hexdigest()[:16]}" if n else ""


def _default_out_dir() -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = DEFAULT_RUNS_DIR / stamp
    i = 1
    while out.exists():
        out = DEFAULT_RUNS_DIR / f"{stamp}-{i}"
        i += 1
    return out


def format_summary(summary: dict) -> str:
    """A terminal table of one run's summary."""
    rows = [("metric", "value", "95% CI", "n")]
    for name, m in summary["metrics"].items():
        value = "–" if m["value"] is None else f"{m['value']:.3f}"
        ci = "–" if m.get("ci_low") is None else f"{m['ci_low']:.3f}–{m['ci_high']:.3f}"
        rows.append((name, value, ci, str(m["n"])))
    for name, v in summary.get("latency_seconds", {}).items():
        rows.append((f"latency {name} (s)", "–" if v is None else f"{v:.3f}", "", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    counts = summary.get("counts", {})
    lines = [f"{counts.get('items', 0)} questions ({counts.get('answerable', 0)} answerable, "
             f"{counts.get('unanswerable', 0)} unanswerable), k={summary.get('k')}, {counts.get('passed', 0)} passed", ""]
    for j, r in enumerate(rows):
        lines.append("  ".join(r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i]) for i in range(4)).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
