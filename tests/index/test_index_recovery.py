"""Crash recovery: open() repairs what an interrupted ingest left behind."""
from __future__ import annotations

import json

from index.vector_store import VectorRecord

CAO_BANG_ID = "cao-bang-3058-KH-UBND-2024.txt"
YEN_BAI_ID = "yen-bai-49-KH-UBND-2020.txt"


def _write_vectors(index, doc, chunks):
    vectors = index.embedder.embed([c.context_text() for c in chunks], "passage")
    index.store.upsert([VectorRecord(c.id, doc.meta.doc_id, doc.meta.province, c.kind) for c in chunks], vectors)


def test_pending_new_document_is_removed_on_open(open_index, tmp_path, cao_bang, yen_bai):
    index = open_index()
    index.add(*cao_bang)
    # simulate a crash after step 3 of add(): pending in the catalog, vectors written, no commit
    doc, chunks = yen_bai
    index.catalog.mark_pending(doc)
    _write_vectors(index, doc, chunks)
    index.store.upsert(  # and a stray vector nobody knows about
        [VectorRecord("ghost#0", "ghost.txt", "", "text")], index.embedder.embed(["ghost"], "passage")
    )
    assert index.store.count() == len(cao_bang[1]) + len(chunks) + 1
    index.close()

    reopened = open_index(data_dir=tmp_path / "data")
    assert [i.meta.doc_id for i in reopened.documents()] == [CAO_BANG_ID]
    assert reopened.catalog.pending_documents() == []
    assert reopened.catalog.has_document(YEN_BAI_ID) is False
    assert reopened.document_sha(YEN_BAI_ID) is None  # so the next ingest redoes it
    assert reopened.store.all_ids() == {c.id for c in cao_bang[1]}
    assert all(h.chunk.doc_id == CAO_BANG_ID for h in reopened.retrieve("phân luồng học sinh ngân sách", k=10))
    # the lexical index on disk reflects the repaired catalog
    meta = json.loads((tmp_path / "data" / "lexical" / "planchat_lexical.json").read_text(encoding="utf-8"))
    assert meta["generation"] == reopened.generation()
    assert set(meta["chunk_ids"]) == {c.id for c in cao_bang[1]}
    # and re-ingesting the interrupted document works
    reopened.add(*yen_bai)
    assert len(reopened.documents()) == 2


def test_interrupted_replacement_is_rolled_forward_to_absent(open_index, tmp_path, cao_bang, yen_bai, changed_plan):
    index = open_index()
    index.add(*cao_bang)
    index.add(*yen_bai)
    doc, chunks = cao_bang
    new_doc, new_chunks = changed_plan(doc, chunks, "Đoạn mới của kế hoạch.")
    # crash after the old vectors were deleted and some new ones written
    index.catalog.mark_pending(new_doc)
    index.store.delete_document(doc.meta.doc_id)
    _write_vectors(index, new_doc, new_chunks[:2])
    index.close()

    reopened = open_index(data_dir=tmp_path / "data")
    assert [i.meta.doc_id for i in reopened.documents()] == [YEN_BAI_ID]
    assert reopened.store.all_ids() == {c.id for c in yen_bai[1]}
    assert all(h.chunk.doc_id == YEN_BAI_ID for h in reopened.lexical("cao bang lao dong nong thon", 5))


def test_missing_vectors_are_restored_from_the_cache(open_index, tmp_path, cao_bang, make_counting_embedder):
    embedder = make_counting_embedder()
    index = open_index(embedder)
    index.add(*cao_bang)
    lost = [c.id for c in cao_bang[1][:2]]
    index.store.delete_ids(lost)
    index.close()

    embedder2 = make_counting_embedder()
    reopened = open_index(embedder2, data_dir=tmp_path / "data")
    assert reopened.store.all_ids() == {c.id for c in cao_bang[1]}
    assert embedder2.texts["passage"] == 0  # restored from embed_cache.sqlite


def test_failed_add_leaves_no_half_document(open_index, cao_bang, yen_bai, monkeypatch):
    index = open_index()
    index.add(*cao_bang)

    def broken_upsert(records, vectors):
        raise RuntimeError("vector store went away")

    monkeypatch.setattr(index.store, "upsert", broken_upsert)
    try:
        index.add(*yen_bai)
    except RuntimeError:
        pass
    else:  # pragma: no cover
        raise AssertionError("add should have failed")
    monkeypatch.undo()
    assert [i.meta.doc_id for i in index.documents()] == [CAO_BANG_ID]
    assert index.catalog.pending_documents() == []
    assert index.document_sha(YEN_BAI_ID) is None
