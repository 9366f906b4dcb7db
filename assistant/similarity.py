"""Question–unit similarity through the embedder the index already has.

The embedder is any object with ``embed(texts, role) -> array`` of L2-normalised rows (the
index's cached embedder in production, a deterministic fake in tests), so unit vectors are
cached on disk with the passages' and a unit is embedded once, whatever the question.
"""
from __future__ import annotations

from typing import Callable, Protocol, Sequence

import numpy as np


class _Embedder(Protocol):
    def embed(self, texts: Sequence[str], role: str) -> np.ndarray: ...


class Similarity:
    """``cosines(question, texts)``: one cosine per text (zeros when there is no embedder)."""

    def __init__(self, embedder: _Embedder | None, *, max_chars: int = 600,
                 prepare_query: Callable[[str], str] | None = None) -> None:
        self.embedder = embedder
        self.max_chars = max_chars
        # e.g. the index's ``restore_marks``: a question typed without diacritics gets them back
        # before it is embedded (the embedder reads unmarked Vietnamese poorly)
        self.prepare_query = prepare_query

    def cosines(self, question: str, texts: Sequence[str]) -> list[float]:
        if self.embedder is None or not texts:
            return [0.0] * len(texts)
        if self.prepare_query is not None:
            question = self.prepare_query(question)
        query = np.asarray(self.embedder.embed([question], "query"), dtype=np.float32)[0]
        passages = np.asarray(self.embedder.embed([t[: self.max_chars] for t in texts], "passage"), dtype=np.float32)
        return [float(x) for x in passages @ query]
