"""A deterministic, dependency-free embedder for fast tests (never for real use).

Feature hashing of folded tokens (syllables, bigrams, numbers) and character
trigrams into ``dim`` buckets, then L2 normalisation. Texts sharing words (with or
without diacritics) get similar vectors, which is enough to exercise dense
retrieval, filters and fusion without a neural model.
"""
from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np

from index._text import fold_diacritics, lexical_tokens
from index.embedders.base import Role


def _bucket(feature: str, dim: int) -> tuple[int, float]:
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dim, (1.0 if (value >> 63) & 1 else -1.0)


class HashEmbedder:
    """``role`` is ignored: the hash embedding is symmetric."""

    def __init__(self, dim: int = 256):
        if dim < 8:
            raise ValueError("hash embedder needs at least 8 dimensions")
        self.dim = dim
        self.model_id = f"hash-{dim}"

    def _features(self, text: str) -> list[str]:
        features = ["w:" + t for t in lexical_tokens(text)]
        padded = f" {fold_diacritics(text)} "
        features.extend("c:" + padded[i : i + 3] for i in range(len(padded) - 2))
        return features

    def embed(self, texts: Sequence[str], role: Role) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                index, sign = _bucket(feature, self.dim)
                out[row, index] += sign
            norm = float(np.linalg.norm(out[row]))
            if norm > 0:
                out[row] /= norm
            else:
                out[row, 0] = 1.0  # empty text: a fixed unit vector keeps cosine defined
        return out
