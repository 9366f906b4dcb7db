"""PlanIndex: the catalog, the vector store and the BM25 index kept in step, plus hybrid retrieval.

Write path (``add``), designed so a crash at any point is repaired by ``open``:
  1. embed the chunks (through the passage cache) — no state changes yet;
  2. mark the document 'pending' in the catalog (it disappears from reads);
  3. delete its old vectors, upsert the new ones;
  4. in one sqlite transaction: replace chunks and records, mark 'ready', bump the generation.
``open`` removes documents left 'pending' (vectors and rows: the next ingest redoes
them), deletes Chroma ids the catalog does not know and re-embeds catalog chunks
missing from Chroma (cheap: the cache has them).

Read path: an immutable in-memory view (chunk objects, documents, records, BM25,
the float16 vector copy used for filtered dense search) is rebuilt only when the
catalog generation changes, so queries never reload anything and never wait for an
ingest except during the rebuild itself. BM25 and the vector copy are saved beside
the catalog and memory-mapped on open; a rebuild re-tokenises only new chunks.

What is embedded for a chunk is ``index.embed_text.passage_text`` (its context text
without repeats); BM25 indexes the full ``Chunk.context_text()``.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from index._text import fold_diacritics, lexical_tokens, restore_names, split_names
from index.catalog import Catalog, CatalogState
from index.dense import DenseMatrix
from index.embed_text import passage_text
from index.embedders.base import Embedder
from index.embedders.cache import CachedEmbedder
from index.errors import DocumentNotFound, EmbeddingModelMismatch, InvalidCollectionName
from index.fusion import RRF_K, reciprocal_rank_fusion
from index.glossary import expansion_concepts, is_english
from index.lexical import LexicalEntry, LexicalIndex
from index.restore import MarkRestorer, MarkStatisticsBuilder
from index.types import DocumentInfo, Filters, Hit
from index.vector_store import VectorRecord, VectorStore
from ingest.types import Chunk, Document, DocumentMeta, ResponsibilityRecord

ProgressFn = Callable[[str, int, int, str], None]

# RRF weights. Lexical counts 1.5x: on probe questions over the sample plans the
# glossary-expanded BM25 found the answering passage in its top 5 for 10/10 questions,
# the 4-bit multilingual-e5-small for 5/10 (its scores for passages of one plan differ
# by ~0.01, so its ranks there are mostly noise).
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.5
# English questions: the lexical weight is doubled (1.5 -> 3.0). The dense model meets an
# English question with Vietnamese passages poorly (passage hit@5 0.25 on the external dev
# set), while the glossary-expanded BM25 finds them (0.89); across the external, plan dev
# and sample-plan sets, 3.0 was at least as good as 1.5 for English on hit@5 and MRR.
ENGLISH_LEXICAL_BOOST = 2.0

_COLLECTION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]$")


@dataclass(frozen=True)
class _View:
    generation: int
    documents: tuple[DocumentInfo, ...]
    metas: dict[str, DocumentMeta]
    shas: dict[str, str]
    chunks: tuple[Chunk, ...]
    by_id: dict[str, Chunk]
    records: tuple[ResponsibilityRecord, ...]
    provinces: tuple[str, ...]
    lexical: LexicalIndex = field(repr=False)
    dense: DenseMatrix | None = field(default=None, repr=False)  # for filtered dense search
    restorer: MarkRestorer = field(default_factory=MarkRestorer.empty, repr=False)  # marks for unmarked questions


# up to this many chunks, unfiltered dense search is exact (a matrix product over the half-precision
# copy: ~10 ms at 100k chunks); beyond it, Chroma's approximate index answers
EXACT_DENSE_MAX_CHUNKS = 200_000


class PlanIndex:
    """Use ``PlanIndex.open(...)``; thread-safe for concurrent reads, writes are serialised."""

    def __init__(
        self,
        data_dir: Path,
        catalog: Catalog,
        store: VectorStore,
        embedder: Embedder,
        *,
        candidates: int,
        rrf_k: int,
        dense_weight: float,
        lexical_weight: float,
        province_bonus: bool,
        owned_cache: CachedEmbedder | None,
    ):
        self.data_dir = data_dir
        self.catalog = catalog
        self.store = store
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.dense_weight = dense_weight
        self.lexical_weight = lexical_weight
        self.english_lexical_boost = ENGLISH_LEXICAL_BOOST
        self._owned_cache = owned_cache
        self.province_bonus = province_bonus
        self._write_lock = threading.RLock()
        self._view_lock = threading.Lock()
        self._view: _View | None = None
        self._mark_statistics = MarkStatisticsBuilder()
        self._fresh_vectors: dict[str, object] = {}  # written by this process since the last view
        self._last_dense: DenseMatrix | None = None

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls,
        data_dir: str | Path,
        embedder: Embedder,
        *,
        chroma_url: str = "",
        collection: str = "planchat",
        candidates: int = 30,
        reindex: bool = False,
        cache_embeddings: bool = True,
        rrf_k: int = RRF_K,
        dense_weight: float = DENSE_WEIGHT,
        lexical_weight: float = LEXICAL_WEIGHT,
        province_bonus: bool = True,
        progress: ProgressFn | None = None,
    ) -> "PlanIndex":
        """Open (creating if needed) the index under ``data_dir`` and repair any interrupted ingest.

        ``reindex=True`` drops the vectors and re-embeds every stored chunk with
        ``embedder`` (how to switch embedding models without the source files).
        ``dense_weight``/``lexical_weight``/``rrf_k`` tune the fusion; ``province_bonus``
        makes a province named in the question a uniform lexical bonus for its plans'
        chunks instead of ordinary query words (see ``LexicalIndex.province_bonus``).

        One process writes at a time: repair treats 'pending' documents as abandoned,
        so do not open the same data dir for writing while another process ingests.
        """
        if not _COLLECTION_NAME.match(collection) or ".." in collection:
            raise InvalidCollectionName(collection)
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        owned_cache = None
        if cache_embeddings and not isinstance(embedder, CachedEmbedder):
            owned_cache = CachedEmbedder(embedder, data_dir / "embed_cache.sqlite")
            embedder = owned_cache
        catalog = Catalog(data_dir / "catalog.sqlite")
        try:
            model_id = embedder.model_id
            built_with = catalog.model_id()
            if built_with and built_with != model_id and not reindex and catalog.has_documents():
                raise EmbeddingModelMismatch(built_with, model_id)
            try:
                store = VectorStore.open(data_dir, model_id, chroma_url=chroma_url, collection=collection, reset=reindex)
            except EmbeddingModelMismatch:
                if catalog.has_documents():
                    raise
                # nothing in the catalog: the old vectors are orphans, start afresh
                store = VectorStore.open(data_dir, model_id, chroma_url=chroma_url, collection=collection, reset=True)
            if built_with != model_id:
                catalog.set_model_id(model_id)
        except BaseException:
            catalog.close()
            if owned_cache is not None:
                owned_cache.close()
            raise
        index = cls(
            data_dir,
            catalog,
            store,
            embedder,
            candidates=candidates,
            rrf_k=rrf_k,
            dense_weight=dense_weight,
            lexical_weight=lexical_weight,
            province_bonus=province_bonus,
            owned_cache=owned_cache,
        )
        index.repair(progress=progress)
        return index

    def close(self) -> None:
        self.catalog.close()
        if self._owned_cache is not None:
            self._owned_cache.close()

    def __enter__(self) -> "PlanIndex":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def generation(self) -> int:
        return self.catalog.generation()

    @property
    def model_id(self) -> str:
        return self.embedder.model_id

    # ------------------------------------------------------------------ repair
    def repair(self, progress: ProgressFn | None = None, *, full: bool = False) -> dict[str, int]:
        """Bring catalog and vectors back in step after an interrupted ingest; returns what was fixed.

        Pending documents are always cleaned up. The id-by-id comparison of catalog and
        vector store runs when their counts differ, or always with ``full=True`` (for a
        store edited behind the index's back, where an orphan and a lost vector could
        cancel out in the counts).
        """
        with self._write_lock:
            pending = self.catalog.pending_documents()
            for doc_id in pending:
                self.store.delete_document(doc_id)
                self.catalog.remove_document(doc_id)
            if not full and self.store.count() == self.catalog.chunk_count():
                # the usual clean start: listing every id costs O(corpus) (2-3 s at 100k
                # chunks); counts that agree with nothing pending mean nothing to do
                self._view = None
                self._current_view()
                return {"pending_removed": len(pending), "orphans_deleted": 0, "vectors_restored": 0}
            stored = self.store.all_ids()
            known = self.catalog.chunk_ids()
            orphans = sorted(stored - known)
            if orphans:
                self.store.delete_ids(orphans)
            missing = known - stored
            if missing:
                state = self.catalog.read_state()
                metas = {row.meta.doc_id: row.meta for row in state.documents}
                chunks = [c for c in state.chunks if c.id in missing]
                self._upsert_vectors(chunks, metas, progress=progress, event="reindex")
            self._view = None
            self._current_view()  # rebuild (or load) the lexical index now, not on the first query
            return {"pending_removed": len(pending), "orphans_deleted": len(orphans), "vectors_restored": len(missing)}

    # ------------------------------------------------------------------ writes
    def add(
        self,
        doc: Document,
        chunks: Sequence[Chunk],
        records: Sequence[ResponsibilityRecord] = (),
        progress: ProgressFn | None = None,
    ) -> int:
        """Insert or atomically replace one document; returns the number of chunks stored."""
        doc_id = doc.meta.doc_id
        chunks = list(chunks)
        records = list(records)
        _check_chunks(doc_id, chunks)
        with self._write_lock:
            clashes = self.catalog.foreign_chunk_ids(doc_id, [c.id for c in chunks])
            if clashes:
                raise ValueError(f"chunk ids of {doc_id} are already used by another document: {clashes[:3]}")
            vectors = self._embed_passages(chunks, progress=progress, detail=doc_id)
            self.catalog.mark_pending(doc)
            try:
                self.store.delete_document(doc_id)
                self.store.upsert(
                    [VectorRecord(c.id, doc_id, doc.meta.province, c.kind) for c in chunks], vectors
                )
                self.catalog.commit_document(doc, chunks, records)
            except BaseException:
                self._forget_after_failure(doc_id)
                raise
            self._remember_vectors(chunks, vectors)
        return len(chunks)

    def add_many(
        self,
        items: Sequence[tuple],
        progress: ProgressFn | None = None,
    ) -> int:
        """``add`` for several ``(doc, chunks[, records])``: one embedding pass, large vector-store batches.

        For bulk loads of many small documents, where per-document round trips to the
        vector store (~5 ms per call, embedded Chroma) dominate. Every document is still
        committed in its own catalog transaction after all vectors are written; a crash
        before that leaves them 'pending', which ``open`` removes. Returns chunks stored.
        """
        prepared = []
        seen_docs: set[str] = set()
        for item in items:
            doc, chunks, *rest = item  # (doc, chunks) or (doc, chunks, records)
            records = rest[0] if rest else ()
            doc_id = doc.meta.doc_id
            if doc_id in seen_docs:
                raise ValueError(f"document {doc_id} appears twice in one add_many call")
            seen_docs.add(doc_id)
            chunks = list(chunks)
            _check_chunks(doc_id, chunks)
            prepared.append((doc, chunks, list(records)))
        if not prepared:
            return 0
        all_ids = [c.id for _, chunks, _ in prepared for c in chunks]
        if len(set(all_ids)) != len(all_ids):
            raise ValueError("chunk ids repeat across the documents of one add_many call")
        with self._write_lock:
            for doc, chunks, _ in prepared:
                clashes = self.catalog.foreign_chunk_ids(doc.meta.doc_id, [c.id for c in chunks])
                if clashes:
                    raise ValueError(
                        f"chunk ids of {doc.meta.doc_id} are already used by another document: {clashes[:3]}"
                    )
            all_chunks = [c for _, chunks, _ in prepared for c in chunks]
            vectors = self._embed_passages(all_chunks, progress=progress, detail=f"{len(prepared)} documents")
            existing = [doc.meta.doc_id for doc, _, _ in prepared if self.catalog.has_document(doc.meta.doc_id)]
            for doc, _, _ in prepared:
                self.catalog.mark_pending(doc)
            try:
                for doc_id in existing:
                    self.store.delete_document(doc_id)
                self.store.upsert(
                    [VectorRecord(c.id, doc.meta.doc_id, doc.meta.province, c.kind)
                     for doc, chunks, _ in prepared for c in chunks],
                    vectors,
                )
                for doc, chunks, records in prepared:
                    self.catalog.commit_document(doc, chunks, records)
                self._remember_vectors(all_chunks, vectors)
            except BaseException:
                for doc, _, _ in prepared:
                    if self.catalog.document_sha(doc.meta.doc_id) is None:  # not committed yet
                        self._forget_after_failure(doc.meta.doc_id)
                raise
        return len(all_chunks)

    def remove(self, doc_id: str) -> None:
        with self._write_lock:
            if not self.catalog.has_document(doc_id):
                raise DocumentNotFound(doc_id)
            self.catalog.mark_pending_id(doc_id)  # a crash from here on is finished by repair()
            self.store.delete_document(doc_id)
            self.catalog.remove_document(doc_id)

    def _forget_after_failure(self, doc_id: str) -> None:
        """Best effort after a failed replace: drop the document entirely so the next ingest redoes it."""
        try:
            self.store.delete_document(doc_id)
            self.catalog.remove_document(doc_id)
        except Exception:
            pass  # still 'pending': open() will finish the job

    def _embed_passages(
        self, chunks: Sequence[Chunk], *, progress: ProgressFn | None, detail: str, event: str = "embed"
    ):
        texts = [passage_text(c) for c in chunks]
        batch = max(1, int(getattr(getattr(self.embedder, "inner", self.embedder), "batch_size", 32)))
        parts = []
        total = len(texts)
        if progress:
            progress(event, 0, total, detail)
        for start in range(0, total, batch):
            parts.append(self.embedder.embed(texts[start : start + batch], "passage"))
            if progress:
                progress(event, min(start + batch, total), total, detail)
        if not parts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.concatenate(parts).astype(np.float32, copy=False)

    def _upsert_vectors(self, chunks, metas, *, progress, event) -> None:
        vectors = self._embed_passages(chunks, progress=progress, detail="", event=event)
        records = [
            VectorRecord(c.id, c.doc_id, metas[c.doc_id].province if c.doc_id in metas else "", c.kind)
            for c in chunks
        ]
        self.store.upsert(records, vectors)
        self._remember_vectors(chunks, vectors)

    def _remember_vectors(self, chunks: Sequence[Chunk], vectors) -> None:
        for chunk, vector in zip(chunks, vectors):
            self._fresh_vectors[chunk.id] = vector

    # ------------------------------------------------------------------ the in-memory view
    def refresh(self) -> None:
        """Make sure the in-memory view (and the persisted lexical index) reflect the catalog now."""
        self._current_view()

    def _current_view(self) -> _View:
        view = self._view
        generation = self.catalog.generation()
        if view is not None and view.generation == generation:
            return view
        with self._view_lock:
            view = self._view
            if view is not None and view.generation == self.catalog.generation():
                return view
            view = self._build_view(self.catalog.read_state())
            self._view = view
            return view

    def _build_view(self, state: CatalogState) -> _View:
        metas = {row.meta.doc_id: row.meta for row in state.documents}
        documents = tuple(DocumentInfo(row.meta, row.chunk_count, row.ingested_at) for row in state.documents)
        lexical = self._lexical_for(state, metas)
        dense = self._dense_for(state)
        provinces = sorted({m.province for m in metas.values() if m.province}, key=fold_diacritics)
        return _View(
            generation=state.generation,
            documents=documents,
            metas=metas,
            shas={row.meta.doc_id: row.sha256 for row in state.documents},
            chunks=state.chunks,
            by_id={c.id: c for c in state.chunks},
            records=state.records,
            provinces=tuple(provinces),
            lexical=lexical,
            dense=dense,
            restorer=self._restorer_for(state),
        )

    def _dense_for(self, state: CatalogState) -> DenseMatrix | None:
        """The vectors of ``state.chunks`` in order (see ``index.dense``), or None to let Chroma filter."""
        directory = self.data_dir / "dense"
        ids = [c.id for c in state.chunks]
        keys = dict(generation=state.generation, catalog_id=self.catalog.catalog_id(), model_id=self.model_id)
        dense = DenseMatrix.load(directory, chunk_ids=ids, **keys)
        if dense is None:
            try:
                dense = DenseMatrix.assemble(
                    ids, previous=self._last_dense, fresh=self._fresh_vectors, fetch=self.store.vectors
                )
            except Exception:  # the vector store is unreachable: filtered queries go to Chroma
                dense = None
            if dense is not None:
                try:
                    dense.save(directory, **keys)
                    dense = DenseMatrix.load(directory, chunk_ids=ids, **keys) or dense  # map it, free the copy
                except OSError:
                    pass  # a read-only data dir keeps the matrix in memory
        self._fresh_vectors = {}
        self._last_dense = dense
        return dense

    def _lexical_for(self, state: CatalogState, metas: dict[str, DocumentMeta]) -> LexicalIndex:
        directory = self.data_dir / "lexical"
        catalog_id = self.catalog.catalog_id()
        loaded = LexicalIndex.load(directory, generation=state.generation, catalog_id=catalog_id)
        if loaded is not None and loaded.chunk_ids == [c.id for c in state.chunks]:
            return loaded
        def entries():  # a generator: the build streams chunk texts once and keeps no list of them
            for c in state.chunks:
                province = metas[c.doc_id].province if c.doc_id in metas else ""
                yield LexicalEntry(c.id, c.doc_id, province, c.context_text())

        try:
            # postings of chunks unchanged since the last build are copied from it, not re-tokenised
            return LexicalIndex.rebuild(directory, entries(), generation=state.generation, catalog_id=catalog_id,
                                        tokenize=lexical_tokens)
        except OSError:  # a read-only data dir still serves queries from memory
            return LexicalIndex.build(list(entries()))

    def _restorer_for(self, state: CatalogState) -> MarkRestorer:
        """Diacritic statistics of the chunks (``index.restore``), persisted like the lexical index."""
        directory = self.data_dir / "restore"
        keys = dict(generation=state.generation, catalog_id=self.catalog.catalog_id())
        loaded = MarkRestorer.load(directory, **keys)
        if loaded is not None:
            return loaded
        built = self._mark_statistics.build([(c.id, c.text) for c in state.chunks])
        try:
            built.save(directory, **keys)
        except OSError:
            pass  # a read-only data dir keeps the statistics in memory
        return built

    # ------------------------------------------------------------------ catalog reads
    def documents(self) -> list[DocumentInfo]:
        return list(self._current_view().documents)

    def document(self, doc_id: str) -> DocumentMeta:
        meta = self._current_view().metas.get(doc_id)
        if meta is None:
            raise DocumentNotFound(doc_id)
        return meta

    def document_text(self, doc_id: str) -> str:
        text = self.catalog.document_text(doc_id)
        if text is None:
            raise DocumentNotFound(doc_id)
        return text

    def document_sha(self, doc_id: str) -> str | None:
        """sha256 of the ingested file's bytes, or None if the document is not (fully) ingested."""
        return self.catalog.document_sha(doc_id)

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        view = self._current_view()
        if doc_id is None:
            return list(view.chunks)
        if doc_id not in view.metas:
            raise DocumentNotFound(doc_id)
        return [c for c in view.chunks if c.doc_id == doc_id]

    def responsibilities(self) -> list[ResponsibilityRecord]:
        return list(self._current_view().records)

    def provinces(self) -> list[str]:
        return list(self._current_view().provinces)

    # ------------------------------------------------------------------ retrieval
    def restore_marks(self, text: str) -> str:
        """``text`` with Vietnamese marks given back when it was typed without them
        ("ai ky quyet dinh 518" → "ai ký quyết định 518"), from the loaded documents' own
        words (``index.restore``), and province names written as stored. English text
        and text already written with marks come back unchanged (apart from province names)."""
        view = self._current_view()
        return restore_names(view.restorer.restore(text), view.provinces)

    def resolve_filters(self, filters: Filters | None) -> Filters | None:
        """Map province names typed without diacritics / in other case to the stored names."""
        if filters is None or filters.is_empty():
            return None
        view = self._current_view()
        by_key: dict[str, list[str]] = {}
        for name in view.provinces:
            by_key.setdefault(fold_diacritics(name), []).append(name)
        provinces: list[str] = []
        for p in filters.provinces:
            provinces.extend(by_key.get(fold_diacritics(p), [p]))
        docs_by_lower = {d.lower(): d for d in view.metas}
        documents = [d if d in view.metas else docs_by_lower.get(d.lower(), d) for d in filters.documents]
        return Filters(provinces=tuple(dict.fromkeys(provinces)), documents=tuple(dict.fromkeys(documents)))

    def dense(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """Dense retrieval only; ``Hit.score`` is cosine similarity."""
        view = self._current_view()
        return [
            Hit(view.by_id[cid], score, dense_rank=rank, dense_score=score)
            for rank, (cid, score) in enumerate(self._dense_ids(view, query, k, self.resolve_filters(filters)), 1)
        ]

    def lexical(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """BM25 only (over the glossary-expanded query); ``Hit.score`` is the BM25 score."""
        view = self._current_view()
        found = self._lexical_ids(view, query, k, self.resolve_filters(filters))
        return [
            Hit(view.by_id[cid], score, lexical_rank=rank, lexical_score=score)
            for rank, (cid, score) in enumerate(((c, s) for c, s in found if c in view.by_id), 1)
        ]

    def retrieve(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """Hybrid: dense and lexical top-``candidates`` fused by weighted reciprocal rank fusion."""
        if k <= 0 or not query.strip():
            return []
        view = self._current_view()
        resolved = self.resolve_filters(filters)
        n = max(self.candidates, k)
        dense = dict(self._dense_ids(view, query, n, resolved))
        lexical = dict(self._lexical_ids(view, query, n, resolved))
        lexical_weight = self.lexical_weight * (self.english_lexical_boost if is_english(query) else 1.0)
        fused = reciprocal_rank_fusion(
            [list(dense), list(lexical)], weights=[self.dense_weight, lexical_weight], k=self.rrf_k
        )
        return [
            Hit(
                view.by_id[f.item], f.score, dense_rank=f.ranks[0], lexical_rank=f.ranks[1],
                dense_score=dense.get(f.item), lexical_score=lexical.get(f.item),
            )
            for f in fused[:k]
        ]

    def _lexical_ids(self, view: _View, query: str, n: int, filters: Filters | None) -> list[tuple[str, float]]:
        """BM25 over the question plus its glossary concepts (English questions only); provinces
        the question names count as a uniform bonus for their plans' chunks, not as words."""
        expansions = expansion_concepts(query)
        rest, named = split_names(query, view.provinces) if self.province_bonus else (query, [])
        found = view.lexical.search(rest, n, filters, expansions=expansions, provinces=named)
        return [(cid, score) for cid, score in found if cid in view.by_id]

    def _dense_ids(self, view: _View, query: str, n: int, filters: Filters | None) -> list[tuple[str, float]]:
        if n <= 0 or not view.by_id or not query.strip():
            return []
        # the question as asked, except that a question typed without marks gets them back
        # from the corpus and known province names are written as stored
        restored = restore_names(view.restorer.restore(query), view.provinces)
        vector = self.embedder.embed([restored], "query")[0]
        exact = view.dense is not None and len(view.dense) == len(view.lexical) == len(view.chunks)
        if exact and filters is not None:
            rows = np.flatnonzero(view.lexical.mask(filters))
            return view.dense.search(vector, rows, n)
        if exact and len(view.dense) <= EXACT_DENSE_MAX_CHUNKS:
            # exact search over the in-memory copy: the same answer in every process (Chroma's
            # approximate HNSW search returned different top-5s for the same vector across runs)
            return view.dense.search(vector, np.arange(len(view.dense)), n)
        found = self.store.query(vector, n, filters)
        return [(cid, score) for cid, score in found if cid in view.by_id][:n]


def _check_chunks(doc_id: str, chunks: Sequence[Chunk]) -> None:
    seen: set[str] = set()
    for chunk in chunks:
        if chunk.doc_id != doc_id:
            raise ValueError(f"chunk {chunk.id} belongs to {chunk.doc_id}, not {doc_id}")
        if chunk.id in seen:
            raise ValueError(f"duplicate chunk id {chunk.id} in {doc_id}")
        seen.add(chunk.id)
