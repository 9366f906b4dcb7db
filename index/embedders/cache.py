"""An Embedder wrapper that never embeds the same passage twice.

Passage vectors are stored in sqlite keyed by (model_id, sha256 of the text), so
re-ingesting a file, re-chunking with the same boundaries or rebuilding the
vector store costs no model calls. Query vectors are kept only in a small
in-memory LRU (queries are not worth keeping on disk).
"""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Sequence

import numpy as np

from index.embedders.base import Embedder, Role

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model_id TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model_id, text_sha256)
)
"""
_SQLITE_MAX_VARS = 500


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedEmbedder:
    def __init__(self, inner: Embedder, path: str | Path, *, query_cache_size: int = 256):
        self.inner = inner
        self.model_id = inner.model_id
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        self._db.commit()
        self._db_lock = threading.Lock()
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_cache_size = query_cache_size
        self._query_lock = threading.Lock()

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed(self, texts: Sequence[str], role: Role) -> np.ndarray:
        texts = list(texts)
        if role == "query":
            return self._embed_queries(texts)
        return self._embed_passages(texts)

    # -- passages: sqlite ----------------------------------------------------
    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        keys = [text_sha256(t) for t in texts]
        found = self._lookup(set(keys))
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts):
            if key not in found and key not in missing:
                missing[key] = text
        if missing:
            vectors = np.asarray(self.inner.embed(list(missing.values()), "passage"), dtype=np.float32)
            fresh = dict(zip(missing.keys(), vectors))
            self._store(fresh)
            found.update(fresh)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def _lookup(self, keys: set[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        ordered = sorted(keys)
        with self._db_lock:
            for start in range(0, len(ordered), _SQLITE_MAX_VARS):
                part = ordered[start : start + _SQLITE_MAX_VARS]
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    f"SELECT text_sha256, dim, vector FROM embeddings WHERE model_id = ? AND text_sha256 IN ({marks})",
                    [self.model_id, *part],
                ).fetchall()
                for key, dim, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if vector.shape[0] == dim:
                        found[key] = vector
        return found

    def _store(self, vectors: dict[str, np.ndarray]) -> None:
        rows = [
            (self.model_id, key, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
            for key, v in vectors.items()
        ]
        with self._db_lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?)", rows)

    def cached_count(self) -> int:
        with self._db_lock:
            return int(self._db.execute(
                "SELECT COUNT(*) FROM embeddings WHERE model_id = ?", [self.model_id]
            ).fetchone()[0])

    # -- queries: in-memory LRU ---------------------------------------------
    def _embed_queries(self, texts: list[str]) -> np.ndarray:
        out: list[np.ndarray | None] = []
        missing: list[str] = []
        with self._query_lock:
            for text in texts:
                vector = self._queries.get(text)
                if vector is not None:
                    self._queries.move_to_end(text)
                else:
                    missing.append(text)
                out.append(vector)
        if missing:
            unique = list(dict.fromkeys(missing))
            fresh = dict(zip(unique, np.asarray(self.inner.embed(unique, "query"), dtype=np.float32)))
            with self._query_lock:
                for text, vector in fresh.items():
                    self._queries[text] = vector
                    self._queries.move_to_end(text)
                while len(self._queries) > self._query_cache_size:
                    self._queries.popitem(last=False)
            out = [v if v is not None else fresh[t] for v, t in zip(out, texts)]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack(out).astype(np.float32, copy=False)

    def clear_query_cache(self) -> None:
        """Forget the in-memory query vectors (benchmarks time query embedding from cold)."""
        with self._query_lock:
            self._queries.clear()

    def close(self) -> None:
        """Close the cache database (the wrapped embedder belongs to whoever created it)."""
        with self._db_lock:
            self._db.close()
