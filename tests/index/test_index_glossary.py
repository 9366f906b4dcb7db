"""English -> Vietnamese query expansion for the lexical side."""
from __future__ import annotations

from index.glossary import FOCUS_WEIGHT, GLOSSARY, expand_query, expansion_concepts, glossary_terms


def test_glossary_is_large_enough():
    assert len(GLOSSARY) >= 100
    assert sum(len(e.english) for e in GLOSSARY) >= 300


def test_english_question_gets_vietnamese_terms():
    expanded = expand_query("Who leads rural vocational training in Cao Bằng?")
    assert expanded.startswith("Who leads rural vocational training in Cao Bằng?")
    for term in ("chủ trì", "đào tạo nghề", "nông thôn", "giáo dục nghề nghiệp"):
        assert term in expanded


def test_multi_word_phrases_win_over_their_words():
    terms = glossary_terms("the Department of Labour, Invalids and Social Affairs")
    assert "Sở Lao động - Thương binh và Xã hội" in terms
    assert "thương binh" not in terms  # "invalids" was consumed by the longer phrase
    terms = glossary_terms("rural workers")
    assert terms[:2] == ["lao động nông thôn", "LĐNT"]


def test_agencies_money_and_dates():
    terms = glossary_terms("How much funding does the Department of Finance give and what is the deadline?")
    for t in ("kinh phí", "ngân sách", "Sở Tài chính", "thời gian", "trước ngày"):
        assert t in terms
    assert "Ủy ban nhân dân" in glossary_terms("people's committee of Yen Bai")
    # "Yen Bai" already matches "Yên Bái" lexically (folded): no duplicate term is added
    assert "Yên Bái" not in glossary_terms("people's committee of Yen Bai")
    assert "Hà Nội" in glossary_terms("Hanoi enrolment targets")
    assert "tuyển sinh" in glossary_terms("Hanoi enrolment targets")


def test_plural_forms_match():
    assert "giáo viên" in glossary_terms("teachers")
    assert "huyện" in glossary_terms("all districts")
    assert "cao đẳng" in glossary_terms("colleges")


def test_vietnamese_questions_are_left_alone():
    for q in ("Ai chủ trì đào tạo nghề cho lao động nông thôn ở Cao Bằng?", "ai chu tri dao tao nghe o cao bang"):
        assert expand_query(q) == q


def test_no_partial_word_matches():
    assert glossary_terms("leadership") == []  # "lead" must not match inside a word
    assert expand_query("") == ""


def test_concepts_carry_focus_weights():
    concepts = expansion_concepts("Who leads rural vocational training in Cao Bằng?")
    by_first = {c.alternatives[0]: c for c in concepts}
    assert by_first["chủ trì"].weight == FOCUS_WEIGHT > 1.0  # what the question asks for
    assert by_first["đào tạo nghề"].weight == 1.0  # what it is about
    assert "giáo dục nghề nghiệp" in by_first["đào tạo nghề"].alternatives
    assert expansion_concepts("Ai chủ trì đào tạo nghề?") == []
