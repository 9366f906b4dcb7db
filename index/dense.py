"""Passage vectors beside the catalog, for exact dense search inside a filter.

Chroma answers an unfiltered query from its HNSW graph in ~2 ms at 100k chunks, but
a query with a ``where`` filter took 50-90 ms there (measured with Chroma 1.5 on the
dev machine: the filter is evaluated against the whole collection's metadata first),
whether it keeps one plan or one province. Filters are what users set in the UI, so
the index keeps a float16 copy of every vector, in the same order as its chunks,
memory-mapped from ``data_dir/dense/``: a filtered query scores only the rows it keeps
(one plan: 50 dot products; one province out of 63: ~1.6k), exactly, in well under a
millisecond. 0.75 KB per chunk on disk at 384 dimensions; pages are loaded on demand.

The file is rebuilt when the catalog generation changes, from the previous file, the
vectors the index itself just wrote, and (for chunks written by another process) the
vector store; unfiltered queries keep using Chroma.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

from index._files import swap_into_place

_META = "planchat_dense.json"
_MATRIX = "vectors.f16.npy"


class DenseMatrix:
    """Immutable once built; safe to read from many threads."""

    def __init__(self, matrix: np.ndarray, chunk_ids: Sequence[str]):
        self.matrix = matrix  # (n, dim) float16, possibly a read-only memory map
        self.chunk_ids = list(chunk_ids)

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def search(self, query: np.ndarray, rows: np.ndarray, n: int) -> list[tuple[str, float]]:
        """Top ``n`` of ``rows`` by cosine (vectors are unit length), best first; ties by row."""
        if n <= 0 or rows.size == 0:
            return []
        scores = self.matrix[rows].astype(np.float32) @ np.asarray(query, dtype=np.float32)
        if rows.size > n:
            top = np.argpartition(-scores, n - 1)[:n]
        else:
            top = np.arange(rows.size)
        order = top[np.lexsort((rows[top], -scores[top]))]
        return [(self.chunk_ids[int(rows[i])], float(scores[i])) for i in order]

    # -- building ------------------------------------------------------------------------
    @classmethod
    def assemble(
        cls,
        chunk_ids: Sequence[str],
        *,
        previous: "DenseMatrix | None",
        fresh: Mapping[str, np.ndarray],
        fetch: Callable[[list[str]], Mapping[str, np.ndarray]],
    ) -> "DenseMatrix | None":
        """Vectors for ``chunk_ids`` from ``fresh``, then ``previous``, then ``fetch``; None if any is missing."""
        old_rows = {cid: i for i, cid in enumerate(previous.chunk_ids)} if previous is not None else {}
        sources: list = []
        missing: list[str] = []
        for cid in chunk_ids:
            vector = fresh.get(cid)
            if vector is None and cid in old_rows:
                vector = previous.matrix[old_rows[cid]]
            if vector is None:
                missing.append(cid)
            sources.append(vector)
        if missing:
            found = fetch(missing)
            sources = [v if v is not None else found.get(cid) for cid, v in zip(chunk_ids, sources)]
        if any(v is None for v in sources):
            return None
        dims = {len(v) for v in sources}
        if len(dims) > 1:
            return None
        dim = dims.pop() if dims else 0
        matrix = np.zeros((len(chunk_ids), dim), dtype=np.float16)
        for row, vector in enumerate(sources):
            matrix[row] = vector
        return cls(matrix, chunk_ids)

    # -- persistence -----------------------------------------------------------------------
    def save(self, directory: str | Path, *, generation: int, catalog_id: str, model_id: str) -> None:
        """Write atomically (sibling temp dir, then rename), like the lexical index."""
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".dense-", dir=directory.parent))
        try:
            np.save(tmp / _MATRIX, np.ascontiguousarray(self.matrix, dtype=np.float16))
            meta = {"generation": generation, "catalog_id": catalog_id, "model_id": model_id,
                    "chunk_ids": self.chunk_ids}
            (tmp / _META).write_text(json.dumps(meta), encoding="utf-8")
            swap_into_place(tmp, directory)
        finally:
            _remove(tmp)

    @classmethod
    def load(
        cls, directory: str | Path, *, generation: int, catalog_id: str, model_id: str, chunk_ids: Sequence[str]
    ) -> "DenseMatrix | None":
        """The saved matrix, memory-mapped, if it matches exactly these chunks and this model; else None."""
        directory = Path(directory)
        try:
            meta = json.loads((directory / _META).read_text(encoding="utf-8"))
            if (
                meta.get("generation") != generation
                or meta.get("catalog_id") != catalog_id
                or meta.get("model_id") != model_id
                or meta.get("chunk_ids") != list(chunk_ids)
            ):
                return None
            matrix = np.load(directory / _MATRIX, mmap_mode="r")
        except (OSError, ValueError):
            return None
        if matrix.ndim != 2 or matrix.shape[0] != len(chunk_ids):
            return None
        return cls(matrix, chunk_ids)


def _remove(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
