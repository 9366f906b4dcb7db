"""The embedder seam: one method, swapped by configuration."""
from __future__ import annotations

from typing import Literal, Protocol, Sequence, runtime_checkable

import numpy as np

Role = Literal["query", "passage"]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of shape (len(texts), dim).

    ``role`` lets asymmetric models (E5: "query: " / "passage: ") prefix inputs;
    symmetric models ignore it. ``model_id`` is recorded in the index so that a
    collection built with one model is never queried with another.
    """

    model_id: str
    dim: int

    def embed(self, texts: Sequence[str], role: Role) -> np.ndarray: ...
