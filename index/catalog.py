"""The sqlite catalog: the source of truth for documents, chunks and responsibility records.

Each document is written in one transaction (``commit_document``) and carries a
status: 'pending' while its vectors are being replaced, 'ready' once chunks and
vectors agree. A ``generation`` counter in the key/value table is bumped by every
change so in-memory views (chunk objects, the BM25 index) know when to refresh,
also across processes.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

from index._serde import meta_from_json, meta_to_json, record_from_json, record_to_json
from ingest.types import Chunk, Document, DocumentMeta, ResponsibilityRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL DEFAULT '',
    meta TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('pending', 'ready')),
    ingested_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    section_path TEXT NOT NULL DEFAULT '[]',
    page INTEGER,
    start_offset INTEGER NOT NULL DEFAULT -1,
    end_offset INTEGER NOT NULL DEFAULT -1,
    meta TEXT,  -- NULL: chunk.meta is None; '': same as the document's meta; else JSON
    ocr_confidence REAL  -- NULL: text layer; else the OCR confidence (0-1) of the chunk's page
);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks (doc_id, position);
CREATE TABLE IF NOT EXISTS records (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (doc_id, position)
);
CREATE TABLE IF NOT EXISTS kv (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

KEY_MODEL = "embedding_model"
KEY_GENERATION = "generation"
KEY_CATALOG_ID = "catalog_id"


@dataclass(frozen=True)
class DocumentRow:
    meta: DocumentMeta
    sha256: str
    status: str
    ingested_at: str
    chunk_count: int


@dataclass(frozen=True)
class CatalogState:
    generation: int
    documents: tuple[DocumentRow, ...]
    chunks: tuple[Chunk, ...]
    records: tuple[ResponsibilityRecord, ...]


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Catalog:
    """One autocommit connection shared by threads behind a lock; writes use BEGIN IMMEDIATE."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30)
        self._lock = threading.RLock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            _add_missing_columns(self._db)
            with self._transaction():
                self._db.execute("INSERT OR IGNORE INTO kv VALUES (?, ?)", (KEY_GENERATION, "0"))
                self._db.execute("INSERT OR IGNORE INTO kv VALUES (?, ?)", (KEY_CATALOG_ID, uuid.uuid4().hex))

    # -- plumbing ------------------------------------------------------------
    class _Tx:
        def __init__(self, catalog: "Catalog"):
            self.catalog = catalog

        def __enter__(self):
            self.catalog._lock.acquire()
            try:
                self.catalog._db.execute("BEGIN IMMEDIATE")
            except BaseException:
                self.catalog._lock.release()
                raise
            return self.catalog._db

        def __exit__(self, exc_type, exc, tb):
            try:
                self.catalog._db.execute("ROLLBACK" if exc_type else "COMMIT")
            finally:
                self.catalog._lock.release()
            return False

    def _transaction(self) -> "Catalog._Tx":
        return Catalog._Tx(self)

    def _query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- key/value -----------------------------------------------------------
    def get(self, key: str, default: str = "") -> str:
        rows = self._query("SELECT value FROM kv WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def set(self, key: str, value: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (key, value))

    def generation(self) -> int:
        return int(self.get(KEY_GENERATION, "0"))

    def catalog_id(self) -> str:
        return self.get(KEY_CATALOG_ID)

    def model_id(self) -> str:
        return self.get(KEY_MODEL)

    def set_model_id(self, model_id: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (KEY_MODEL, model_id))
            _bump(db)

    # -- writes ----------------------------------------------------------------
    def mark_pending(self, doc: Document) -> None:
        """Record that ``doc`` is being (re)written; its old chunks stay until commit."""
        with self._transaction() as db:
            updated = db.execute(
                "UPDATE documents SET status = 'pending' WHERE doc_id = ?", (doc.meta.doc_id,)
            ).rowcount
            if not updated:
                db.execute(
                    "INSERT INTO documents (doc_id, sha256, meta, text, status, ingested_at) "
                    "VALUES (?, ?, ?, '', 'pending', '')",
                    (doc.meta.doc_id, doc.meta.sha256, meta_to_json(doc.meta)),
                )
            _bump(db)

    def mark_pending_id(self, doc_id: str) -> bool:
        """Mark an existing document pending (before removing it); False if unknown."""
        with self._transaction() as db:
            updated = db.execute("UPDATE documents SET status = 'pending' WHERE doc_id = ?", (doc_id,)).rowcount
            if updated:
                _bump(db)
            return bool(updated)

    def commit_document(
        self, doc: Document, chunks: Sequence[Chunk], records: Iterable[ResponsibilityRecord]
    ) -> None:
        """Replace the document's chunks and records and mark it ready, atomically."""
        meta = doc.meta
        with self._transaction() as db:
            db.execute("DELETE FROM chunks WHERE doc_id = ?", (meta.doc_id,))
            db.execute("DELETE FROM records WHERE doc_id = ?", (meta.doc_id,))
            db.execute(
                "INSERT OR REPLACE INTO documents (doc_id, sha256, meta, text, status, ingested_at) "
                "VALUES (?, ?, ?, ?, 'ready', ?)",
                (meta.doc_id, meta.sha256, meta_to_json(meta), doc.text, _now()),
            )
            db.executemany(
                "INSERT INTO chunks (id, doc_id, position, kind, text, section_path, page, "
                "start_offset, end_offset, meta, ocr_confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_chunk_row(c, meta) for c in chunks],
            )
            db.executemany(
                "INSERT INTO records (doc_id, position, data) VALUES (?, ?, ?)",
                [(meta.doc_id, i, record_to_json(r)) for i, r in enumerate(records)],
            )
            _bump(db)

    def remove_document(self, doc_id: str) -> bool:
        with self._transaction() as db:
            db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            db.execute("DELETE FROM records WHERE doc_id = ?", (doc_id,))
            removed = db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,)).rowcount
            if removed:
                _bump(db)
            return bool(removed)

    def clear_documents(self) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM chunks")
            db.execute("DELETE FROM records")
            db.execute("DELETE FROM documents")
            _bump(db)

    # -- reads -----------------------------------------------------------------
    def read_state(self) -> "CatalogState":
        """Generation, ready documents, their chunks and records, read in one consistent snapshot."""
        with self._lock:
            self._db.execute("BEGIN")  # deferred: a WAL read snapshot, never blocks writers of other processes
            try:
                generation = self.generation()
                rows = self.document_rows()
                chunks = self.chunks({row.meta.doc_id: row.meta for row in rows})
                records = self.records()
            finally:
                self._db.execute("COMMIT")
        return CatalogState(generation, tuple(rows), tuple(chunks), tuple(records))

    def pending_documents(self) -> list[str]:
        return [r[0] for r in self._query("SELECT doc_id FROM documents WHERE status = 'pending' ORDER BY doc_id")]

    def has_documents(self) -> bool:
        return bool(self._query("SELECT 1 FROM documents LIMIT 1"))

    def has_document(self, doc_id: str) -> bool:
        """True for a ready or pending document."""
        return bool(self._query("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)))

    def foreign_chunk_ids(self, doc_id: str, ids: Sequence[str]) -> list[str]:
        """Those of ``ids`` already used by chunks of another document."""
        clashes: list[str] = []
        ids = list(ids)
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ",".join("?" * len(part))
            clashes.extend(
                r[0]
                for r in self._query(
                    f"SELECT id FROM chunks WHERE doc_id != ? AND id IN ({marks})", (doc_id, *part)
                )
            )
        return clashes

    def document_rows(self) -> list[DocumentRow]:
        rows = self._query(
            "SELECT d.meta, d.sha256, d.status, d.ingested_at, "
            "(SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.doc_id) "
            "FROM documents d WHERE d.status = 'ready' ORDER BY d.doc_id"
        )
        return [DocumentRow(meta_from_json(m), sha, status, at, int(n)) for m, sha, status, at, n in rows]

    def document_sha(self, doc_id: str) -> str | None:
        rows = self._query("SELECT sha256 FROM documents WHERE doc_id = ? AND status = 'ready'", (doc_id,))
        return rows[0][0] if rows else None

    def document_text(self, doc_id: str) -> str | None:
        rows = self._query("SELECT text FROM documents WHERE doc_id = ? AND status = 'ready'", (doc_id,))
        return rows[0][0] if rows else None

    def chunks(self, metas: dict[str, DocumentMeta] | None = None) -> list[Chunk]:
        """All chunks of ready documents, ordered by document then position."""
        if metas is None:
            metas = {row.meta.doc_id: row.meta for row in self.document_rows()}
        rows = self._query(
            "SELECT c.id, c.doc_id, c.position, c.kind, c.text, c.section_path, c.page, "
            "c.start_offset, c.end_offset, c.meta, c.ocr_confidence FROM chunks c JOIN documents d ON d.doc_id = c.doc_id "
            "WHERE d.status = 'ready' ORDER BY c.doc_id, c.position"
        )
        return [_chunk_from_row(row, metas.get(row[1])) for row in rows]

    def chunk_count(self) -> int:
        """Chunks of ready documents."""
        return int(self._query(
            "SELECT COUNT(*) FROM chunks c JOIN documents d ON d.doc_id = c.doc_id WHERE d.status = 'ready'"
        )[0][0])

    def chunk_ids(self, *, include_pending: bool = False) -> set[str]:
        sql = "SELECT c.id FROM chunks c"
        if not include_pending:
            sql += " JOIN documents d ON d.doc_id = c.doc_id WHERE d.status = 'ready'"
        return {r[0] for r in self._query(sql)}

    def records(self) -> list[ResponsibilityRecord]:
        rows = self._query(
            "SELECT r.data FROM records r JOIN documents d ON d.doc_id = r.doc_id "
            "WHERE d.status = 'ready' ORDER BY r.doc_id, r.position"
        )
        return [record_from_json(r[0]) for r in rows]


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """Columns added after a catalog was first written (``CREATE TABLE IF NOT EXISTS`` keeps old tables)."""
    chunk_columns = {row[1] for row in db.execute("PRAGMA table_info(chunks)")}
    if "ocr_confidence" not in chunk_columns:
        db.execute("ALTER TABLE chunks ADD COLUMN ocr_confidence REAL")


def _bump(db: sqlite3.Connection) -> None:
    db.execute("UPDATE kv SET value = CAST(value AS INTEGER) + 1 WHERE key = ?", (KEY_GENERATION,))


def _chunk_row(chunk: Chunk, doc_meta: DocumentMeta) -> tuple:
    if chunk.meta is None:
        meta = None
    elif chunk.meta == doc_meta:
        meta = ""
    else:
        meta = meta_to_json(chunk.meta)
    return (
        chunk.id,
        doc_meta.doc_id,
        chunk.position,
        chunk.kind,
        chunk.text,
        json.dumps(list(chunk.section_path), ensure_ascii=False),
        chunk.page,
        chunk.start,
        chunk.end,
        meta,
        chunk.ocr_confidence,
    )


def _chunk_from_row(row: tuple, doc_meta: DocumentMeta | None) -> Chunk:
    cid, doc_id, position, kind, text, section_path, page, start, end, meta, ocr_confidence = row
    if meta is None:
        chunk_meta = None
    elif meta == "":
        chunk_meta = doc_meta
    else:
        chunk_meta = meta_from_json(meta)
    return Chunk(
        id=cid,
        doc_id=doc_id,
        position=int(position),
        kind=kind,
        text=text,
        section_path=tuple(json.loads(section_path)),
        page=page,
        start=int(start),
        end=int(end),
        meta=chunk_meta,
        ocr_confidence=ocr_confidence,
    )
