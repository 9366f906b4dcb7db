"""Any sentence-transformers model by name or local path (CPU)."""
from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from index.embedders.base import Role
from index.errors import EmbeddingModelUnavailable

_E5_NAME = re.compile(r"(^|[-_/])e5([-_/.]|$)", re.IGNORECASE)


def is_e5_family(name: str) -> bool:
    """E5 models expect "query: " / "passage: " prefixes ("intfloat/multilingual-e5-small", "e5-base-v2")."""
    return bool(_E5_NAME.search(name.rstrip("/")))


class SentenceTransformerEmbedder:
    def __init__(self, name_or_path: str, batch_size: int = 32):
        self.model_id = name_or_path
        self.batch_size = max(1, int(batch_size))
        self._prefixes = is_e5_family(Path(name_or_path).name or name_or_path) or is_e5_family(name_or_path)
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(name_or_path, device="cpu")
        except Exception as exc:
            first_line = str(exc).strip().splitlines()[0].rstrip(". ") if str(exc).strip() else ""
            detail = f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__
            raise EmbeddingModelUnavailable(
                name_or_path,
                f"{detail}. Model hubs may be unreachable (offline); give a local path to a "
                f"downloaded sentence-transformers model instead",
            ) from exc
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(getter())
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str], role: Role) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._prefixes:
            prefix = "query: " if role == "query" else "passage: "
            texts = [prefix + t for t in texts]
        with self._lock:
            vectors = self._model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)
