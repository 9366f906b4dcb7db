"""The streaming BM25 build (index.lexical_build): same scores as bm25s and as the previous
builder, whatever the memory budget; reuse of unchanged chunks; what is on disk."""
from __future__ import annotations

import json

import numpy as np
import pytest

from index._text import lexical_tokens
from index.glossary import Expansion
from index.lexical import LexicalEntry, LexicalIndex, Postings, Vocabulary, build_bm25
from index.lexical_build import META_FILE, build_postings, read_meta, token_hashes
from index.types import Filters

CORPUS = [
    "Sở Lao động - Thương binh và Xã hội chủ trì đào tạo nghề cho lao động nông thôn",
    "Sở Giáo dục và Đào tạo phối hợp tuyên truyền, hướng nghiệp, phân luồng học sinh",
    "kinh phí ngân sách năm 2022: 50 triệu đồng; năm 2023: 50 triệu đồng",
    "",
    "đào tạo đào tạo đào tạo nghề",
    "Kế hoạch số 3058/KH-UBND của UBND tỉnh Cao Bằng về đào tạo nghề",
    "Yên Bái: giáo dục hướng nghiệp và định hướng phân luồng học sinh",
]
PROVINCES = ["Cao Bằng", "Yên Bái", "Cao Bằng", "Hải Dương", "Yên Bái", "Cao Bằng", "Yên Bái"]
QUERIES = ("đào tạo nghề", "lao dong nong thon", "năm 2022 kinh phí", "so giao duc", "3058", "phân luồng học sinh")


def _entries(texts=CORPUS):
    return [LexicalEntry(f"c{i}", f"d{i % 3}.txt", PROVINCES[i % len(PROVINCES)], t) for i, t in enumerate(texts)]


def _reference(entries):
    vocabulary = Vocabulary()
    model = build_bm25([vocabulary.ids(lexical_tokens(e.text)) for e in entries], vocabulary)
    return LexicalIndex(Postings.of_bm25s(model), [e.chunk_id for e in entries],
                        [e.doc_id for e in entries], [e.province for e in entries])


def test_scores_equal_bm25s():
    import bm25s

    entries = _entries()
    tokens = [lexical_tokens(e.text) for e in entries]
    reference = bm25s.BM25()
    reference.index([t or [""] for t in tokens], show_progress=False)
    built = LexicalIndex.build(entries)
    for query in QUERIES:
        q = [t for t in dict.fromkeys(lexical_tokens(query)) if t in reference.vocab_dict]
        assert np.allclose(built.scores(query), reference.get_scores(q), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("budget", [8, 64, 1 << 20])  # bytes: one column per pass, a few, all at once
def test_any_memory_budget_gives_the_previous_builders_index(tmp_path, budget):
    entries = _entries()
    stats = build_postings(tmp_path, entries, budget_bytes=budget)
    assert stats.passes >= 1 and (budget > 64 or stats.passes > 1)
    built = LexicalIndex._open(tmp_path, read_meta(tmp_path), mmap=True)
    reference = _reference(entries)
    expansions = [Expansion(("kinh phí", "ngân sách")), Expansion(("chỉ đạo",), weight=2.0)]
    for query in QUERIES:
        assert np.array_equal(built.scores(query, expansions), reference.scores(query, expansions))
        assert built.search(query, 5) == reference.search(query, 5)
        assert built.search(query, 5, Filters(provinces=("Yên Bái",))) == reference.search(
            query, 5, Filters(provinces=("Yên Bái",)))
    assert built.search("", 10, provinces=["Cao Bằng"]) == reference.search("", 10, provinces=["Cao Bằng"])


def test_postings_are_token_major_with_rows_ascending(tmp_path):
    stats = build_postings(tmp_path, _entries(), budget_bytes=64)
    meta = read_meta(tmp_path)
    postings = LexicalIndex._open(tmp_path, meta, mmap=True)._postings
    assert postings.indptr[-1] == stats.postings == len(postings.indices)
    for c in range(postings.vocabulary_size()):
        rows = np.asarray(postings.indices[postings.indptr[c] : postings.indptr[c + 1]])
        assert rows.size and np.all(np.diff(rows) > 0)


def test_unchanged_chunks_are_not_tokenised_again(tmp_path):
    calls: list[str] = []

    def counting(text: str) -> list[str]:
        calls.append(text)
        return lexical_tokens(text)

    first = _entries()
    LexicalIndex.rebuild(tmp_path / "lex", first, generation=1, catalog_id="x", tokenize=counting)
    assert len(calls) == len(first)
    calls.clear()
    # one chunk edited, one removed, one added: only the edited and the new one are tokenised
    changed = [e for e in first if e.chunk_id != "c1"]
    changed[0] = LexicalEntry("c0", "d0.txt", "Cao Bằng", "ngân sách tỉnh cho đào tạo nghề")
    changed.append(LexicalEntry("c9", "d9.txt", "Hải Dương", "phân luồng học sinh sau THCS"))
    rebuilt = LexicalIndex.rebuild(tmp_path / "lex", changed, generation=2, catalog_id="x", tokenize=counting)
    assert sorted(calls) == sorted([changed[0].text, changed[-1].text])
    assert rebuilt.build_stats.reused == len(changed) - 2
    fresh = LexicalIndex.build(changed)
    for query in QUERIES + ("ngân sách tỉnh", "THCS"):
        assert rebuilt.search(query, 10) == fresh.search(query, 10)
    # tokens only the removed chunk had are gone from the vocabulary
    assert rebuilt.vocabulary_size() == fresh.vocabulary_size()


def test_rebuild_accepts_a_generator_and_persists_with_its_generation(tmp_path):
    entries = _entries()
    built = LexicalIndex.rebuild(tmp_path / "lex", (e for e in entries), generation=3, catalog_id="cat")
    assert built.chunk_ids == [e.chunk_id for e in entries]
    meta = json.loads((tmp_path / "lex" / META_FILE).read_text(encoding="utf-8"))
    assert meta["generation"] == 3 and meta["chunk_ids"] == built.chunk_ids
    assert LexicalIndex.load(tmp_path / "lex", generation=3, catalog_id="cat") is not None
    assert LexicalIndex.load(tmp_path / "lex", generation=4, catalog_id="cat") is None
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".lexical-")]  # no temp dir left


def test_in_memory_index_saves_and_loads(tmp_path):
    built = LexicalIndex.build(_entries())
    built.save(tmp_path / "lex", generation=1, catalog_id="x")
    loaded = LexicalIndex.load(tmp_path / "lex", generation=1, catalog_id="x")
    for query in QUERIES:
        assert loaded.search(query, 5) == built.search(query, 5)
    # and a loaded (memory-mapped) index saves a copy of its files
    loaded.save(tmp_path / "copy", generation=2, catalog_id="x")
    again = LexicalIndex.load(tmp_path / "copy", generation=2, catalog_id="x")
    assert again.search("đào tạo nghề", 5) == built.search("đào tạo nghề", 5)


def test_empty_corpus_and_empty_chunks(tmp_path):
    empty = LexicalIndex.rebuild(tmp_path / "lex", [], generation=1, catalog_id="x")
    assert len(empty) == 0 and empty.search("đào tạo", 5) == []
    only_blank = LexicalIndex.build([LexicalEntry("c0", "d.txt", "", ""), LexicalEntry("c1", "d.txt", "", "")])
    assert only_blank.search("đào tạo", 5) == []


def test_old_format_directory_is_rebuilt_not_read(tmp_path):
    directory = tmp_path / "lex"
    directory.mkdir()
    (directory / META_FILE).write_text(json.dumps({"generation": 1, "catalog_id": "x", "chunk_ids": []}))
    assert LexicalIndex.load(directory, generation=1, catalog_id="x") is None
    rebuilt = LexicalIndex.rebuild(directory, _entries(), generation=1, catalog_id="x")
    assert rebuilt.build_stats.reused == 0 and len(rebuilt) == len(CORPUS)


def test_token_hash_lookup_finds_exactly_the_indexed_tokens(tmp_path):
    build_postings(tmp_path, _entries())
    index = LexicalIndex._open(tmp_path, read_meta(tmp_path), mmap=True)
    lookup = index._postings.lookup
    assert lookup.columns(["dao_tao", "khong_co_token_nay", "nghe"]) == lookup.columns(["dao_tao", "nghe"])
    assert len(lookup.columns(["dao_tao", "nghe"])) == 2
    hashes = token_hashes(["a", "b", "a"])
    assert hashes[0] == hashes[2] != hashes[1]
