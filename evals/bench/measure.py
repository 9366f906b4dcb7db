"""Clocks, percentiles, memory high-water marks and disk usage for the benchmark."""
from __future__ import annotations

import os
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence


def cpu_seconds() -> float:
    """CPU time of this process (all threads, user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Timing:
    wall_s: float
    cpu_s: float


class Stopwatch:
    """``with Stopwatch() as sw: ...`` then ``sw.timing`` (wall and process CPU seconds)."""

    def __enter__(self) -> "Stopwatch":
        self._wall = time.perf_counter()
        self._cpu = cpu_seconds()
        return self

    def __exit__(self, *exc) -> None:
        self.timing = Timing(time.perf_counter() - self._wall, cpu_seconds() - self._cpu)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (``q`` in 0-100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return float(ordered[0])
    pos = (len(ordered) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (pos - low))


def latency_ms(samples_s: Sequence[float]) -> tuple[float | None, float | None]:
    """(p50, p95) in milliseconds."""
    p50, p95 = percentile(samples_s, 50), percentile(samples_s, 95)
    return (None if p50 is None else p50 * 1000.0, None if p95 is None else p95 * 1000.0)


def proc_mb(path: str, key: str) -> float | None:
    """A "Key:  N kB" line of a Linux /proc file in MiB ("/proc/meminfo", "MemAvailable"), None elsewhere."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024.0
    except (OSError, ValueError):
        pass
    return None


def peak_rss_mb() -> float:
    """High-water resident set size of this process (``ru_maxrss``), in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0  # bytes on macOS, KiB elsewhere


def dir_bytes(path: str | Path) -> int:
    """Bytes allocated on disk under ``path`` (as ``du``: sparse files count only what they use)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            total += st.st_blocks * 512 if hasattr(st, "st_blocks") else st.st_size
    return total


def load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def cpu_pressure() -> float | None:
    """Linux PSI: share of the last 10 s in which some runnable task waited for a CPU (0-100)."""
    try:
        with open("/proc/pressure/cpu", encoding="ascii") as psi:
            first = psi.readline().split()
        return float(dict(part.split("=") for part in first[1:])["avg10"])
    except (OSError, ValueError, KeyError, IndexError):
        return None
