"""Chroma behind a small interface: vectors keyed by chunk id with doc_id/province/kind metadata.

Embedded ``PersistentClient`` under ``data_dir/chroma`` by default, or a Chroma
server when ``chroma_url`` is given. Embeddings are always passed in
(``embedding_function=None``). The collection records the embedding model that
built it; opening it with another model raises ``EmbeddingModelMismatch``.
Chroma types never leave this module.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence
from urllib.parse import urlparse

import numpy as np

from index.errors import EmbeddingModelMismatch, VectorStoreUnavailable
from index.types import Filters

MODEL_KEY = "embedding_model"
_DEFAULT_BATCH = 1000


@dataclass(frozen=True)
class VectorRecord:
    chunk_id: str
    doc_id: str
    province: str
    kind: str


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """'http://host:port' -> (host, port, ssl). A bare 'host:port' is accepted too."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise VectorStoreUnavailable(url, "expected a URL like http://127.0.0.1:8000")
    try:
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    except ValueError as exc:
        raise VectorStoreUnavailable(url, "invalid port") from exc
    return parsed.hostname, port, parsed.scheme == "https"


def where_clause(filters: Filters | None) -> dict | None:
    """Chroma ``where`` for province/document filters (None when unrestricted)."""
    if filters is None or filters.is_empty():
        return None
    parts = []
    if filters.provinces:
        parts.append({"province": {"$in": list(filters.provinces)}})
    if filters.documents:
        parts.append({"doc_id": {"$in": list(filters.documents)}})
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


class VectorStore:
    def __init__(self, client, collection, name: str, where: str, model_id: str):
        self._client = client
        self._collection = collection
        self.name = name
        self.where = where
        self.model_id = model_id
        try:
            self._batch = min(_DEFAULT_BATCH, int(client.get_max_batch_size()))
        except Exception:
            self._batch = _DEFAULT_BATCH

    # -- opening ---------------------------------------------------------------
    @classmethod
    def open(
        cls,
        data_dir: str | Path,
        model_id: str,
        *,
        chroma_url: str = "",
        collection: str = "planchat",
        reset: bool = False,
    ) -> "VectorStore":
        """Open (or create) the collection; ``reset`` drops it first (for re-indexing with a new model)."""
        client, where = _client(Path(data_dir), chroma_url)
        try:
            if reset:
                _delete_collection(client, collection)
            col = _get_collection(client, collection)
            if col is None:
                col = _create_collection(client, collection, model_id)
            else:
                built_with = (col.metadata or {}).get(MODEL_KEY, "")
                if built_with != model_id:
                    if built_with == "" and col.count() == 0:
                        _delete_collection(client, collection)
                        col = _create_collection(client, collection, model_id)
                    else:
                        raise EmbeddingModelMismatch(built_with or "unknown", model_id)
        except (EmbeddingModelMismatch, ValueError):
            raise
        except Exception as exc:
            raise VectorStoreUnavailable(where, _one_line(exc)) from exc
        return cls(client, col, collection, where, model_id)

    # -- writes ----------------------------------------------------------------
    def upsert(self, records: Sequence[VectorRecord], vectors: np.ndarray) -> None:
        if len(records) != len(vectors):
            raise ValueError(f"{len(records)} records but {len(vectors)} vectors")
        vectors = np.asarray(vectors, dtype=np.float32)
        for start in range(0, len(records), self._batch):
            part = records[start : start + self._batch]
            self._collection.upsert(
                ids=[r.chunk_id for r in part],
                embeddings=vectors[start : start + len(part)],
                metadatas=[{"doc_id": r.doc_id, "province": r.province, "kind": r.kind} for r in part],
            )

    def delete_document(self, doc_id: str) -> None:
        self._collection.delete(where={"doc_id": doc_id})

    def delete_ids(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), self._batch):
            self._collection.delete(ids=ids[start : start + self._batch])

    # -- reads -----------------------------------------------------------------
    def count(self) -> int:
        return int(self._collection.count())

    def all_ids(self) -> set[str]:
        ids: set[str] = set()
        offset = 0
        while True:
            got = self._collection.get(include=[], limit=self._batch, offset=offset)["ids"]
            ids.update(got)
            if len(got) < self._batch:
                return ids
            offset += len(got)

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by chunk id (ids not in the store are absent)."""
        found: dict[str, np.ndarray] = {}
        ids = list(ids)
        for start in range(0, len(ids), self._batch):
            got = self._collection.get(ids=ids[start : start + self._batch], include=["embeddings"])
            embeddings = got.get("embeddings")
            if embeddings is None:
                continue
            for cid, vector in zip(got["ids"], embeddings):
                found[cid] = np.asarray(vector, dtype=np.float32)
        return found

    def ids_of_document(self, doc_id: str) -> set[str]:
        return set(self._collection.get(where={"doc_id": doc_id}, include=[])["ids"])

    def query(self, vector: np.ndarray, n: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity (1 - cosine distance), best first."""
        if n <= 0:
            return []
        result = self._collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=n,
            where=where_clause(filters),
            include=["distances"],
        )
        ids = result["ids"][0] if result["ids"] else []
        distances = result["distances"][0] if result.get("distances") else [0.0] * len(ids)
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances)]


def _client(data_dir: Path, chroma_url: str):
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if not chroma_url:
        path = data_dir / "chroma"
        try:
            path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(path), settings=settings), str(path)
        except Exception as exc:
            raise VectorStoreUnavailable(str(path), _one_line(exc)) from exc
    host, port, ssl = parse_chroma_url(chroma_url)
    try:
        client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)
        client.heartbeat()
    except Exception as exc:
        raise VectorStoreUnavailable(chroma_url, _one_line(exc)) from exc
    return client, chroma_url


def _get_collection(client, name: str):
    from chromadb.errors import NotFoundError

    try:
        return client.get_collection(name, embedding_function=None)
    except NotFoundError:
        return None


def _create_collection(client, name: str, model_id: str):
    from chromadb.errors import InternalError, UniqueConstraintError

    metadata = {"hnsw:space": "cosine", MODEL_KEY: model_id}
    try:
        return client.create_collection(name, embedding_function=None, metadata=metadata)
    except (UniqueConstraintError, InternalError):  # created concurrently by another process
        existing = _get_collection(client, name)
        if existing is None:
            raise
        return existing


def _delete_collection(client, name: str) -> None:
    from chromadb.errors import NotFoundError

    try:
        client.delete_collection(name)
    except (NotFoundError, ValueError):
        pass
