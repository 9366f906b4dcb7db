"""BM25 over folded tokens: diacritics, numbers, bigrams, filters, persistence."""
from __future__ import annotations

from index._text import lexical_tokens, phrase_tokens, restore_names, split_names
from index.glossary import Expansion
from index.lexical import LexicalEntry, LexicalIndex
from index.types import Filters


def _entries(*plans):
    return [LexicalEntry.of(c) for _, chunks in plans for c in chunks]


def test_tokens_fold_diacritics_and_keep_numbers_and_bigrams():
    tokens = lexical_tokens("Kế hoạch số 3058/KH-UBND: đào tạo cho 6.000 người lao động nông thôn")
    for expected in ("ke", "hoach", "3058/kh-ubnd", "3058", "ubnd", "6.000", "6000", "dao_tao", "nong_thon"):
        assert expected in tokens
    assert lexical_tokens("Cao Bằng") == lexical_tokens("cao bang") == lexical_tokens("CAO BẰNG")


def test_bigrams_do_not_cross_punctuation():
    tokens = lexical_tokens("nông thôn; Sở Tài chính")
    assert "thon_so" not in tokens and "nong_thon" in tokens and "tai_chinh" in tokens


def test_search_with_and_without_diacritics(cao_bang, yen_bai, hai_duong):
    index = LexicalIndex.build(_entries(cao_bang, yen_bai, hai_duong))
    for query in ("Cao Bằng lao động nông thôn", "cao bang lao dong nong thon"):
        top = index.search(query, 3)
        assert top and top[0][0].startswith("cao-bang-3058")
    assert index.search("cao bang", 1)[0][0].startswith("cao-bang")


def test_search_by_document_number(cao_bang, yen_bai):
    index = LexicalIndex.build(_entries(cao_bang, yen_bai))
    top = index.search("3058", 2)
    assert top[0][0].startswith("cao-bang")


def test_filters_are_exact_masks(cao_bang, yen_bai, hai_duong):
    index = LexicalIndex.build(_entries(cao_bang, yen_bai, hai_duong))
    query = "kinh phí ngân sách chủ trì phối hợp"
    unfiltered = {cid.split("#")[0] for cid, _ in index.search(query, 20)}
    assert len(unfiltered) >= 2
    by_province = index.search(query, 20, Filters(provinces=("Hải Dương",)))
    assert by_province and all(cid.startswith("hai-duong") for cid, _ in by_province)
    by_doc = index.search(query, 20, Filters(documents=("yen-bai-49-KH-UBND-2020.txt",)))
    assert by_doc and all(cid.startswith("yen-bai") for cid, _ in by_doc)
    assert index.search(query, 20, Filters(provinces=("Hải Dương",), documents=("yen-bai-49-KH-UBND-2020.txt",))) == []


def test_no_match_and_empty_index(cao_bang):
    index = LexicalIndex.build(_entries(cao_bang))
    assert index.search("zzzz qqqq", 5) == []
    assert index.search("", 5) == []
    assert LexicalIndex.build([]).search("đào tạo", 5) == []


def test_persistence_is_tied_to_generation(tmp_path, cao_bang, yen_bai):
    built = LexicalIndex.build(_entries(cao_bang, yen_bai))
    built.save(tmp_path / "lexical", generation=7, catalog_id="abc")
    loaded = LexicalIndex.load(tmp_path / "lexical", generation=7, catalog_id="abc")
    assert loaded is not None
    assert loaded.search("phân luồng học sinh", 3) == built.search("phân luồng học sinh", 3)
    assert LexicalIndex.load(tmp_path / "lexical", generation=8, catalog_id="abc") is None
    assert LexicalIndex.load(tmp_path / "lexical", generation=7, catalog_id="other") is None
    assert LexicalIndex.load(tmp_path / "missing", generation=7, catalog_id="abc") is None
    # saving again replaces the directory atomically
    LexicalIndex.build([]).save(tmp_path / "lexical", generation=9, catalog_id="abc")
    empty = LexicalIndex.load(tmp_path / "lexical", generation=9, catalog_id="abc")
    assert empty is not None and len(empty) == 0


def test_phrase_tokens_are_bigrams():
    assert phrase_tokens("chỉ đạo") == ["chi_dao"]
    assert phrase_tokens("Sở") == ["so"]


def test_expansion_alternatives_score_as_phrases_with_dis_max(cao_bang, yen_bai):
    index = LexicalIndex.build(_entries(cao_bang, yen_bai))
    # "chỉ đạo" must not match the "đào"/"đạo" of "đào tạo": only the passage with the phrase scores
    found = index.search("", 10, expansions=[Expansion(("chỉ đạo",))])
    assert [cid for cid, _ in found] == ["cao-bang-3058-KH-UBND-2024.txt#2"]
    # a concept with many synonyms counts once (the best), not once per synonym
    one = index.scores("", [Expansion(("kinh phí",))])
    many = index.scores("", [Expansion(("kinh phí", "nguồn kinh phí", "kinh phí ngân sách"))])
    single_terms = index.scores("kinh phí nguồn kinh phí kinh phí ngân sách")
    assert many.max() < single_terms.max()
    assert many.max() >= one.max()
    # weights scale a concept
    doubled = index.scores("", [Expansion(("kinh phí",), weight=2.0)])
    assert doubled.max() == 2 * one.max()


def test_named_province_is_a_uniform_bonus(cao_bang, yen_bai):
    index = LexicalIndex.build(_entries(cao_bang, yen_bai))
    found = dict(index.search("", 10, provinces=["Cao Bằng"]))
    assert set(found) == {c.id for c in cao_bang[1]}
    assert len(set(found.values())) == 1  # every chunk of the plan gets the same bonus
    assert index.search("", 10, provinces=["Hà Nội"]) == []


def test_restore_and_split_names():
    names = ["Cao Bằng", "Yên Bái"]
    assert restore_names("Who leads training in Cao Bang and yen bai?", names) == (
        "Who leads training in Cao Bằng and Yên Bái?"
    )
    assert restore_names("Cao Bangkok", names) == "Cao Bangkok"  # whole words only
    rest, named = split_names("đào tạo nghề ở cao bang", names)
    assert named == ["Cao Bằng"] and "cao" not in rest and "đào tạo nghề" in rest
