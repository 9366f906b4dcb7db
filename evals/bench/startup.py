"""Start-up cost: wall seconds of a fresh process, from spawn to exit.

The caller passes the command (e.g. ``planchat ask QUESTION --data-dir D``, which
imports, opens the existing index and answers once), so this module needs nothing
from the layers above it.
"""
from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class StartupRun:
    seconds: float
    returncode: int
    stderr_tail: str


def time_process(argv: Sequence[str], *, env: dict | None = None, timeout_s: float = 120.0) -> StartupRun:
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env=env, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return StartupRun(time.perf_counter() - t0, -1, f"timed out after {timeout_s:.0f}s")
    seconds = time.perf_counter() - t0
    tail = " ".join((proc.stderr or "").strip().splitlines()[-1:])[:300]
    return StartupRun(seconds, proc.returncode, tail)
