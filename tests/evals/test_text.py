import unicodedata

from evals.text import contains, normalize, tokens


def test_normalize_folds_case_whitespace_and_unicode_form():
    decomposed = unicodedata.normalize("NFD", "Sở  Tài\nchính")
    assert normalize(decomposed) == "sở tài chính"
    assert normalize("ĐẢNG BỘ") == "đảng bộ"


def test_contains_ignores_line_breaks_and_case_but_not_diacritics():
    assert contains("Sở Lao động -\nThương binh", "sở lao động - thương binh")
    assert not contains("So Lao dong", "Sở Lao động")
    assert not contains("anything", "")


def test_tokens_are_folded_syllables_without_punctuation_or_articles():
    assert tokens("Cao Bằng, ĐÀO TẠO!") == ["cao", "bang", "dao", "tao"]
    assert tokens("The plan of a province") == ["plan", "of", "province"]
    assert tokens("31/12/2025") == ["31", "12", "2025"]


def test_contains_drops_markdown_stars_and_table_pipes():
    assert contains("ngày **04** tháng **3** năm 2022", "ngày 04 tháng 3 năm 2022")
    assert contains("Hội nghị tổng kết\n|\n01 hội nghị\n|\n30", "Hội nghị tổng kết | 01 hội nghị | 30")
