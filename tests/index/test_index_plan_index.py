"""PlanIndex with the hash embedder and the embedded Chroma client."""
from __future__ import annotations

import threading

import pytest

from index.errors import DocumentNotFound, EmbeddingModelMismatch, InvalidCollectionName
from index.types import DocumentInfo, Filters, Hit

CAO_BANG_ID = "cao-bang-3058-KH-UBND-2024.txt"
YEN_BAI_ID = "yen-bai-49-KH-UBND-2020.txt"
HAI_DUONG_ID = "hai-duong-KH-SLDTBXH-2023.txt"


@pytest.fixture
def filled(open_index, cao_bang, yen_bai, hai_duong, record_for):
    index = open_index()
    for doc, chunks in (cao_bang, yen_bai, hai_duong):
        records = [record_for(doc, chunks[-1], "Tuyên truyền, hướng nghiệp", "Sở Giáo dục và Đào tạo")]
        index.add(doc, chunks, records)
    return index


def test_add_and_read_back(filled, cao_bang):
    doc, chunks = cao_bang
    infos = filled.documents()
    assert [i.meta.doc_id for i in infos] == sorted([CAO_BANG_ID, YEN_BAI_ID, HAI_DUONG_ID])
    info = next(i for i in infos if i.meta.doc_id == CAO_BANG_ID)
    assert isinstance(info, DocumentInfo) and info.chunk_count == len(chunks) and info.ingested_at
    assert filled.document(CAO_BANG_ID) == doc.meta
    assert filled.document_text(CAO_BANG_ID) == doc.text
    assert filled.document_sha(CAO_BANG_ID) == doc.meta.sha256
    assert filled.chunks(CAO_BANG_ID) == chunks  # every field round-trips, meta included
    assert len(filled.chunks()) == 11
    assert filled.provinces() == ["Cao Bằng", "Hải Dương", "Yên Bái"]
    records = filled.responsibilities()
    assert len(records) == 3 and {r.document for r in records} == {CAO_BANG_ID, YEN_BAI_ID, HAI_DUONG_ID}
    assert records[0].lead == ("Sở Giáo dục và Đào tạo",) and records[0].extra == (("note", "test"),)
    assert filled.store.count() == 11


def test_unknown_document_errors(filled):
    with pytest.raises(DocumentNotFound):
        filled.document("nope.txt")
    with pytest.raises(DocumentNotFound):
        filled.document_text("nope.txt")
    with pytest.raises(DocumentNotFound):
        filled.chunks("nope.txt")
    with pytest.raises(DocumentNotFound):
        filled.remove("nope.txt")
    assert filled.document_sha("nope.txt") is None


def test_readd_same_document_keeps_ids_and_vectors(filled, cao_bang, counting_embedder, open_index, tmp_path):
    doc, chunks = cao_bang
    before = filled.store.all_ids()
    generation = filled.generation()
    filled.add(doc, chunks)
    assert filled.store.all_ids() == before
    assert filled.store.count() == 11
    assert filled.generation() > generation


def test_changed_document_replaces_its_chunks(filled, cao_bang, changed_plan):
    doc, chunks = cao_bang
    new_doc, new_chunks = changed_plan(
        doc, chunks[:2], "UBND các huyện, Thành phố chỉ đạo UBND cấp xã rà soát, xác định nhu cầu đào tạo."
    )
    filled.add(new_doc, new_chunks)
    assert [c.text for c in filled.chunks(CAO_BANG_ID)] == [c.text for c in new_chunks]
    assert filled.document_sha(CAO_BANG_ID) == new_doc.meta.sha256 != doc.meta.sha256
    ids = filled.store.all_ids()
    assert f"{CAO_BANG_ID}#3" not in ids and f"{CAO_BANG_ID}#2" in ids
    assert filled.store.count() == 3 + 4 + 3
    hits = filled.lexical("rà soát nhu cầu đào tạo cấp xã", 1)
    assert hits[0].chunk.id == f"{CAO_BANG_ID}#2"
    # records of the old version are gone with it
    assert all(r.document != CAO_BANG_ID for r in filled.responsibilities())


def test_remove(filled):
    filled.remove(YEN_BAI_ID)
    assert YEN_BAI_ID not in [i.meta.doc_id for i in filled.documents()]
    assert not any(i.startswith("yen-bai") for i in filled.store.all_ids())
    assert all(h.chunk.doc_id != YEN_BAI_ID for h in filled.retrieve("kinh phí ngân sách nhà nước", k=10))
    assert filled.provinces() == ["Cao Bằng", "Hải Dương"]
    with pytest.raises(DocumentNotFound):
        filled.remove(YEN_BAI_ID)


def test_state_survives_reopen(filled, open_index, tmp_path):
    before = filled.retrieve("hướng nghiệp phân luồng", k=3)
    filled.close()
    again = open_index(data_dir=tmp_path / "data")
    assert len(again.documents()) == 3
    after = again.retrieve("hướng nghiệp phân luồng", k=3)
    assert [h.chunk.id for h in after] == [h.chunk.id for h in before]


def test_retrieve_is_hybrid_with_ranks(filled):
    hits = filled.retrieve("Sở Kế hoạch và Đầu tư bố trí nguồn vốn", k=3)
    assert all(isinstance(h, Hit) for h in hits)
    assert hits[0].chunk.id == f"{YEN_BAI_ID}#3"
    assert hits[0].dense_rank is not None and hits[0].lexical_rank is not None
    assert hits == sorted(hits, key=lambda h: -h.score)
    assert filled.retrieve("", k=3) == [] and filled.retrieve("đào tạo", k=0) == []


def test_dense_and_lexical_alone(filled):
    dense = filled.dense("đào tạo nghề cho lao động nông thôn", k=4)
    assert len(dense) == 4 and [h.dense_rank for h in dense] == [1, 2, 3, 4]
    assert all(h.lexical_rank is None for h in dense)
    assert dense[0].score >= dense[-1].score
    lexical = filled.lexical("đào tạo nghề cho lao động nông thôn", k=4)
    assert [h.lexical_rank for h in lexical] == list(range(1, len(lexical) + 1))
    assert lexical[0].chunk.doc_id == CAO_BANG_ID


@pytest.mark.parametrize("method", ["retrieve", "dense", "lexical"])
def test_province_filter(filled, method):
    hits = getattr(filled, method)("chủ trì phối hợp kinh phí", 10, Filters(provinces=("Hải Dương",)))
    assert hits and {h.chunk.doc_id for h in hits} == {HAI_DUONG_ID}
    # names typed without diacritics resolve to the stored province
    folded = getattr(filled, method)("chủ trì phối hợp kinh phí", 10, Filters(provinces=("hai duong",)))
    assert [h.chunk.id for h in folded] == [h.chunk.id for h in hits]


@pytest.mark.parametrize("method", ["retrieve", "dense", "lexical"])
def test_document_filter(filled, method):
    hits = getattr(filled, method)("chủ trì phối hợp kinh phí", 10, Filters(documents=(YEN_BAI_ID, CAO_BANG_ID)))
    assert hits and {h.chunk.doc_id for h in hits} <= {YEN_BAI_ID, CAO_BANG_ID}
    assert len({h.chunk.doc_id for h in hits}) == 2


@pytest.mark.parametrize("method", ["retrieve", "dense", "lexical"])
def test_combined_filters_and_no_match(filled, method):
    hits = getattr(filled, method)(
        "chủ trì phối hợp", 10, Filters(provinces=("Yên Bái",), documents=(YEN_BAI_ID, CAO_BANG_ID))
    )
    assert hits and {h.chunk.doc_id for h in hits} == {YEN_BAI_ID}
    assert getattr(filled, method)("chủ trì", 10, Filters(provinces=("Hà Nội",))) == []


def test_lexical_matches_without_diacritics(filled):
    hits = filled.lexical("cao bang", 3)
    assert hits and all(h.chunk.doc_id == CAO_BANG_ID for h in hits)
    folded = filled.lexical("so lao dong thuong binh va xa hoi chi dao, huong dan", 2)
    marked = filled.lexical("Sở Lao động - Thương binh và Xã hội chỉ đạo, hướng dẫn", 2)
    assert folded[0].chunk.id == marked[0].chunk.id == f"{CAO_BANG_ID}#2"
    assert folded[0].score == pytest.approx(marked[0].score)


def test_english_question_finds_vietnamese_passage_lexically(filled):
    hits = filled.lexical("Who leads rural vocational training in Cao Bang?", 3)
    assert hits and hits[0].chunk.doc_id == CAO_BANG_ID
    hits = filled.lexical("Which agency is responsible for the state budget funding?", 3)
    assert hits[0].chunk.id in {f"{YEN_BAI_ID}#2", f"{YEN_BAI_ID}#3"}
    # without the glossary, the English words alone share no token with the plans
    from index._text import lexical_tokens

    vocabulary = {t for c in filled.chunks() for t in lexical_tokens(c.context_text())}
    assert not {"budget", "funding", "agency", "responsible"} & vocabulary


def test_model_mismatch(filled, tmp_path, open_index, make_counting_embedder):
    filled.close()
    with pytest.raises(EmbeddingModelMismatch) as err:
        open_index(make_counting_embedder(model_id="other-model"), data_dir=tmp_path / "data")
    assert "re-ingest" in str(err.value) and "hash-256" in str(err.value)


def test_reindex_with_new_model(filled, tmp_path, open_index, make_counting_embedder):
    filled.close()
    embedder = make_counting_embedder(model_id="other-model")
    index = open_index(embedder, data_dir=tmp_path / "data", reindex=True)
    assert embedder.texts["passage"] == 11
    assert index.store.count() == 11 and len(index.documents()) == 3
    assert index.catalog.model_id() == "other-model"
    assert index.retrieve("phân luồng học sinh", 1)


def test_empty_catalog_accepts_a_new_model(open_index, tmp_path, make_counting_embedder):
    open_index().close()
    index = open_index(make_counting_embedder(model_id="fresh"), data_dir=tmp_path / "data")
    assert index.store.model_id == "fresh"


def test_embedding_goes_through_the_cache(open_index, cao_bang, make_counting_embedder, tmp_path):
    embedder = make_counting_embedder()
    index = open_index(embedder)
    doc, chunks = cao_bang
    index.add(doc, chunks)
    assert embedder.texts["passage"] == len(chunks)
    index.remove(doc.meta.doc_id)
    index.add(doc, chunks)
    assert embedder.texts["passage"] == len(chunks)  # re-ingest after removal: all cache hits
    index.retrieve("đào tạo nghề", 3)
    index.retrieve("đào tạo nghề", 3)
    assert embedder.texts["query"] == 1


def test_bad_input(open_index, cao_bang, yen_bai):
    index = open_index()
    doc, chunks = cao_bang
    with pytest.raises(ValueError):
        index.add(doc, chunks + [chunks[0]])
    index.add(doc, chunks)
    other_doc, other_chunks = yen_bai
    from dataclasses import replace

    stolen = [replace(other_chunks[0], id=chunks[0].id)]
    with pytest.raises(ValueError, match="already used"):
        index.add(other_doc, stolen)
    with pytest.raises(InvalidCollectionName):
        open_index(collection="x")


def test_progress_events(open_index, cao_bang):
    events = []
    index = open_index()
    doc, chunks = cao_bang
    index.add(doc, chunks, progress=lambda event, done, total, detail: events.append((event, done, total, detail)))
    assert events[0] == ("embed", 0, 4, doc.meta.doc_id)
    assert events[-1] == ("embed", 4, 4, doc.meta.doc_id)


def test_concurrent_queries_during_writes(filled, cao_bang, changed_plan):
    errors = []
    doc, chunks = cao_bang

    def reader():
        try:
            for _ in range(15):
                hits = filled.retrieve("đào tạo nghề phân luồng", k=5)
                assert hits and {h.chunk.doc_id for h in hits} <= {CAO_BANG_ID, YEN_BAI_ID, HAI_DUONG_ID}
                assert len(filled.documents()) in (2, 3)  # the plan being replaced may be hidden briefly
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for i in range(4):
        new_doc, new_chunks = changed_plan(doc, chunks, f"Đoạn bổ sung số {i} về đào tạo nghề.")
        filled.add(new_doc, new_chunks)
    for t in threads:
        t.join()
    assert errors == []
    assert len(filled.chunks(CAO_BANG_ID)) == 5
