"""Warm query latency: each gold question once, after a warm-up, query vectors not cached.

"Warm" means a process that has already loaded the model, the BM25 index and the
vector store and answered a few other questions; each timed question is new to
the query-vector cache, so its latency includes embedding the question.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Sequence

WARMUP_QUESTIONS = (
    "Kế hoạch đào tạo nghề cho lao động nông thôn",
    "Who signed the plan?",
    "kinh phí thực hiện kế hoạch năm 2022",
)


@dataclass(frozen=True)
class Latencies:
    samples_s: tuple[float, ...]
    errors: int = 0
    first_error: str = ""


def clear_query_cache(index) -> None:
    clear = getattr(getattr(index, "embedder", None), "clear_query_cache", None)
    if clear is not None:
        clear()


def time_calls(
    call: Callable[[str], object],
    questions: Sequence[str],
    *,
    warmup: Sequence[str] = WARMUP_QUESTIONS,
    before: Callable[[], None] | None = None,
) -> Latencies:
    """Seconds per ``call(question)``; a question that raises is counted, not timed."""
    for q in warmup:
        try:
            call(q)
        except Exception:
            pass
    if before is not None:
        before()
    samples: list[float] = []
    errors = 0
    first_error = ""
    for q in questions:
        t0 = time.perf_counter()
        try:
            call(q)
        except Exception as exc:  # a broken answerer must not stop the benchmark
            errors += 1
            first_error = first_error or f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
            continue
        samples.append(time.perf_counter() - t0)
    return Latencies(tuple(samples), errors, first_error)
