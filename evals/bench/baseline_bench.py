"""The LangChain tutorial pipeline (``evals.baseline``) with the same embedder: build time and latency."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from evals.bench.measure import Stopwatch, Timing
from evals.bench.query_bench import Latencies, time_calls


@dataclass(frozen=True)
class BaselineFigures:
    documents: int
    chunks: int
    build: Timing
    retrieval: Latencies
    answers: Latencies


def run_baseline_bench(paths: Sequence[Path], embedder, questions: Sequence[str], *, k: int = 5) -> BaselineFigures:
    """Build the baseline over ``paths`` (embedding every split with ``embedder``), then time it."""
    from evals.baseline import LangChainBaseline

    with Stopwatch() as build:
        baseline = LangChainBaseline.build(list(paths), embedder, k=k)
    try:
        retrieval = time_calls(lambda q: baseline.retrieve(q, k), questions)
        answers = time_calls(baseline.ask, questions)
    finally:
        baseline.close()
    return BaselineFigures(len(paths), baseline.n_chunks, build.timing, retrieval, answers)
