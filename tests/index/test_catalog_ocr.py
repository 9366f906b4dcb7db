"""OCR confidence of chunks in the catalog, and catalogs written before the column existed."""
from __future__ import annotations

import sqlite3

from index.catalog import Catalog
from ingest.types import Chunk, Document, DocumentMeta, PageSpan


def _doc():
    meta = DocumentMeta(doc_id="scan.pdf", ocr_pages=1, ocr_confidence=0.91, number_source="header_ocr")
    return Document(meta=meta, text="Trang một.\nTrang hai.", pages=(PageSpan(1, 0, 10), PageSpan(2, 11, 21, 0.91)))


def test_ocr_confidence_round_trips(tmp_path):
    catalog = Catalog(tmp_path / "catalog.sqlite")
    doc = _doc()
    chunks = [Chunk("a", "scan.pdf", 1, "text", "Trang một.", page=1, start=0, end=10, meta=doc.meta),
              Chunk("b", "scan.pdf", 2, "text", "Trang hai.", page=2, start=11, end=21, meta=doc.meta,
                    ocr_confidence=0.91)]
    catalog.mark_pending(doc)
    catalog.commit_document(doc, chunks, [])
    read = catalog.chunks()
    assert [c.ocr_confidence for c in read] == [None, 0.91]
    assert read[1].meta.ocr_confidence == 0.91 and read[1].meta.number_source == "header_ocr"
    catalog.close()


def test_catalog_from_before_ocr_opens_and_gains_the_column(tmp_path):
    path = tmp_path / "catalog.sqlite"
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE documents (doc_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL DEFAULT '', meta TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, ingested_at TEXT NOT NULL DEFAULT '');
        CREATE TABLE chunks (id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, position INTEGER NOT NULL, kind TEXT NOT NULL,
            text TEXT NOT NULL, section_path TEXT NOT NULL DEFAULT '[]', page INTEGER,
            start_offset INTEGER NOT NULL DEFAULT -1, end_offset INTEGER NOT NULL DEFAULT -1, meta TEXT);
        INSERT INTO documents VALUES ('old.txt', 'x', '{"doc_id": "old.txt", "number": "1/KH"}', 'Văn bản cũ.', 'ready', '');
        INSERT INTO chunks VALUES ('c1', 'old.txt', 1, 'text', 'Văn bản cũ.', '[]', NULL, 0, 11, '');
    """)
    db.commit()
    db.close()
    catalog = Catalog(path)
    (chunk,) = catalog.chunks()
    assert chunk.text == "Văn bản cũ." and chunk.ocr_confidence is None and chunk.meta.number == "1/KH"
    assert chunk.meta.ocr_pages == 0 and chunk.meta.date_source == ""
    catalog.close()
