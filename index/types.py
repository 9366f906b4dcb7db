"""Types produced by the index layer."""
from __future__ import annotations

from dataclasses import dataclass

from ingest.types import Chunk, DocumentMeta


@dataclass(frozen=True)
class Filters:
    """Metadata filters applied to retrieval. Empty tuples mean "no restriction".

    ``provinces`` are canonical province names as in ``DocumentMeta.province``;
    ``documents`` are document ids (file names).
    """

    provinces: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not self.provinces and not self.documents


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the ranks each retriever gave it (1-based, None = not found)."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
    # raw scores behind the ranks (cosine similarity; BM25), None when that retriever missed it:
    # the answerer reads them as calibrated evidence of how well the question is covered
    dense_score: float | None = None
    lexical_score: float | None = None


@dataclass(frozen=True)
class DocumentInfo:
    """A row of the document library: metadata plus index bookkeeping."""

    meta: DocumentMeta
    chunk_count: int
    ingested_at: str


class Retriever:  # documentation-only base; any object with this method is a retriever
    """The retriever seam: ``retrieve(query, k, filters) -> list[Hit]``, best first."""

    def retrieve(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:  # pragma: no cover
        raise NotImplementedError
