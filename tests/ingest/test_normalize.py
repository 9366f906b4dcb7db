from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.normalize import (
    clean_text,
    detect_language,
    drop_boilerplate,
    fold_aligned,
    fold_diacritics,
    is_vietnamese_syllable,
    nfc,
    search_key,
    strip_markdown_emphasis,
    strip_markdown_headings,
    strip_stray_symbols,
    tokenize,
    unify_tone_placement,
)


def test_nfc_composes_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Việt Nam")
    assert decomposed != "Việt Nam"
    assert nfc(decomposed) == "Việt Nam"


@pytest.mark.parametrize(
    "old, new",
    [
        ("hoà", "hòa"), ("thuý", "thúy"), ("uỷ", "ủy"), ("khoẻ", "khỏe"),
        ("Uỷ ban", "Ủy ban"), ("HOÀ BÌNH", "HÒA BÌNH"), ("Khánh Hoà", "Khánh Hòa"),
        ("thuỷ lợi", "thủy lợi"), ("xoè", "xòe"), ("tuỳ", "tùy"),
    ],
)
def test_search_key_unifies_old_and_new_tone_placement(old, new):
    assert old != new
    assert search_key(old) == search_key(new)


@pytest.mark.parametrize(
    "word, expected",
    [
        ("hoàng", "hoàng"),  # a final consonant: the tone stays on the second vowel
        ("hòan", "hoàn"),  # ... and is moved there when misplaced
        ("toán", "toán"),
        ("thúê", "thuế"),  # ê carries the tone in "uê"
        ("quý", "quý"),  # "qu" is an onset: y carries the tone
        ("già", "già"),  # "gi" is an onset
        ("gìn", "gìn"),
        ("ngoài", "ngoài"),  # three vowels: the middle one
        ("người", "người"),  # ươ: on ơ
        ("múa", "múa"),
        ("nghiêng", "nghiêng"),
    ],
)
def test_tone_placement_follows_the_rule_not_a_word_list(word, expected):
    assert unify_tone_placement(word) == expected


def test_unify_tone_placement_keeps_case_and_non_vietnamese_words():
    assert unify_tone_placement("Uỷ ban nhân dân TỈNH KHÁNH HOÀ") == "Ủy ban nhân dân TỈNH KHÁNH HÒA"
    assert unify_tone_placement("café naïve 3058/KH-UBND") == "café naïve 3058/KH-UBND"


def test_search_key_case_folds_and_collapses_whitespace():
    assert search_key("  Ủy   BAN\n nhân\tdân ") == "ủy ban nhân dân"


@pytest.mark.parametrize("text", ["CAO BẰNG", "Cao Bằng", "Cao Bang", "cao  bằng", "CAO BANG"])
def test_fold_diacritics_spellings_of_a_province_meet(text):
    assert fold_diacritics(text) == "cao bang"


def test_fold_diacritics_maps_d_with_stroke_and_all_marks():
    assert fold_diacritics("Đắk Lắk, đường Điện Biên") == "dak lak, duong dien bien"
    assert fold_diacritics("Thuỷ") == fold_diacritics("Thủy") == "thuy"


def test_fold_aligned_keeps_one_character_per_character():
    text = "Ủy ban nhân dân tỉnh Bắc Kạn"
    folded = fold_aligned(text)
    assert len(folded) == len(text)
    assert folded == "uy ban nhan dan tinh bac kan"


def test_tokenize_keeps_numbers_and_document_numbers():
    tokens = tokenize("Mỗi năm đào tạo 6.000 người, đạt 72,2% theo Kế hoạch số 3058/KH-UBND (2021-2025).")
    assert tokens[:4] == ["moi", "nam", "dao", "tao"]
    for expected in ("6.000", "72,2%", "3058/kh-ubnd", "3058", "ubnd", "2021-2025", "2025"):
        assert expected in tokens
    assert "nguoi" in tokens and "nguoi," not in tokens


def test_tokenize_splits_word_compounds_and_ignores_punctuation():
    assert tokenize("Lao động-Thương binh; Xã hội!") == ["lao", "dong", "thuong", "binh", "xa", "hoi"]
    assert tokenize("Hoà Bình") == tokenize("HÒA BINH") == ["hoa", "binh"]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Hà Nội tuyển sinh bao nhiêu năm 2022?", "vi"),
        ("ha noi tuyen sinh bao nhieu nam 2022", "vi"),
        ("ubnd tinh cao bang giao nhiem vu gi", "vi"),
        ("who leads rural vocational training in Cao Bang?", "en"),
        ("What is the total budget of the Bac Kan plan?", "en"),
        ("Who signed the Ha Noi plan?", "en"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize("word", ["Việt", "nghiêng", "giường", "quốc", "hòa", "hoà", "Nam", "khuỷu", "kết", "xoong"])
def test_is_vietnamese_syllable_accepts_real_syllables(word):
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["ViÖt", "Hµ", "training", "strength", "kềt", "nghĩă", "3058"])
def test_is_vietnamese_syllable_rejects_non_syllables(word):
    assert not is_vietnamese_syllable(word)


def test_drop_boilerplate_removes_site_chrome_lines_only():
    text = (
        "Dịch vụ doanh nghiệp online toàn quốc\n"
        "Đang tải nội dung, vui lòng chờ giây lát...\n"
        "ĐANG TẢI NỘI DUNG, VUI LÒNG CHỜ GIÂY LÁT...\n"
        "Trang chủ > Văn bản pháp luật > Lao động\n"
        "ỦY BAN NHÂN DÂN\n"
        "Dịch vụ doanh nghiệp online toàn quốc được nêu trong kế hoạch này là một nhiệm vụ."
    )
    assert drop_boilerplate(text) == (
        "ỦY BAN NHÂN DÂN\nDịch vụ doanh nghiệp online toàn quốc được nêu trong kế hoạch này là một nhiệm vụ."
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Số: **72** /KH-UBND", "Số: 72 /KH-UBND"),
        ("- *Nội dung:* Tổ chức", "- Nội dung: Tổ chức"),
        ("- *Phân công thực hiện*: Phòng", "- Phân công thực hiện: Phòng"),
        ("“*tỷ lệ lao động*” như sau", "“tỷ lệ lao động” như sau"),
        ("**KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC**", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"),
        ("* mục một\n2 * 3 = 6", "* mục một\n2 * 3 = 6"),
    ],
)
def test_strip_markdown_emphasis(text, expected):
    assert strip_markdown_emphasis(text) == expected


def test_strip_markdown_headings():
    assert strip_markdown_headings("## II. NỘI DUNG\nvăn bản #1") == "II. NỘI DUNG\nvăn bản #1"


def test_strip_stray_symbols_and_clean_text():
    assert strip_stray_symbols("KT. CHỦ TỊCH ✓") == "KT. CHỦ TỊCH "
    raw = "KT. CHỦ TỊCH ✓\r\nPHÓ\u00a0CHỦ TỊCH\u200b\r\n" + unicodedata.normalize("NFD", "Việt") + "\x07"
    assert clean_text(raw) == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nViệt"


_VIETNAMESE_TEXT = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyAĐÊàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ \n", max_size=60)


@given(_VIETNAMESE_TEXT)
def test_keys_are_idempotent_and_fold_is_ascii(text):
    assert search_key(search_key(text)) == search_key(text)
    folded = fold_diacritics(text)
    assert fold_diacritics(folded) == folded
    assert folded.isascii()
    assert fold_diacritics(search_key(text)) == folded
    assert len(fold_aligned(nfc(text))) == len(nfc(text))
