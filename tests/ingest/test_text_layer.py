"""The text-layer quality check: garbled font mappings are told from clean Vietnamese, English, symbols."""
from __future__ import annotations

from ingest.ocr_pdf import GARBLED_TEXT_LAYER, NO_TEXT_LAYER, ocr_reasons, pages_to_ocr
from ingest.text_layer import garbled_pages, is_foreign_char, is_garbled, score_text_layer

CLEAN = (
    "Điều 2. Đối tượng áp dụng\n"
    "1. Sở, ban, ngành; Mặt trận Tổ quốc và các tổ chức chính trị - xã hội Thành phố; "
    "Ủy ban nhân dân các quận, huyện, thị xã; các cơ quan, đơn vị thuộc Thành phố và các "
    "cơ quan, đơn vị có liên quan.\n"
    "2. Cá nhân là người Việt Nam đang cư trú trên địa bàn thành phố Hà Nội đạt "
    "tiêu chuẩn theo quy định tại Điều 4 của Quy chế này.\n"
)
# the same paragraph as the PDFill-edited decision's text layer gives it
GARBLED = (
    "Điều 2. Đối tượng ip dөng\n"
    "1. Sở, ban, ngjnh; Mặt trận Tổ quốc vj cic tổ chӭc chtnh trị - xm hội Thjnh phố; "
    "Ủy ban nhân dân cic quận, huyện, thị xm; cic cơ quan, đơn vị thuộc Thjnh phố vj cic "
    "cơ quan, đơn vị cy liên quan.\n"
    "2. Ci nhân lj người Việt Nam đang cư trú trên địa bàn thành phố Hà Nội đҥt "
    "tiêu chuẩn theo quy định tҥi Điều 4 của Quy chế njy.\n"
)


def test_clean_vietnamese_scores_zero():
    score = score_text_layer(CLEAN)
    assert score.foreign_chars == 0 and score.invalid_words == 0 and score.words > 15
    assert not score.garbled and score.reason == ""


def test_garbled_layer_is_caught_with_its_reason():
    score = score_text_layer(GARBLED)
    assert score.foreign_chars == 4  # ө, ӭ and ҥ twice, all inside words
    assert score.garbled and "characters outside Vietnamese" in score.reason


def test_invalid_syllables_alone_make_a_page_garbled():
    # no foreign character, but words with marks that are no syllables (a mapping into Latin letters)
    text = " ".join(["Quy chế xét tặng danh hiệu"] * 4 + ["chẩnt đượcn bấtx thẩmp"] * 3)
    score = score_text_layer(text)
    assert score.foreign_chars == 0 and score.invalid_share > 0.03
    assert score.garbled and "not Vietnamese syllables" in score.reason


def test_english_abbreviations_loanwords_and_currency_do_not_count():
    english = "The committee shall publish the annual report on the website before the end of March. " * 5
    assert score_text_layer(english).words == 0 and not is_garbled(english)
    text = CLEAN + " HĐND QĐ-UBND NĐ-CP ĐBQH 5 kilôgam Hêrôin 100.000 đ " * 3
    assert score_text_layer(text).invalid_words == 0


def test_symbols_alone_are_not_foreign_letters_in_words():
    bullets = "\n".join(f"\uf0b7 {line}" for line in CLEAN.splitlines())  # Wingdings bullets as private use
    assert score_text_layer(bullets).foreign_chars == 0 and not is_garbled(bullets)
    assert score_text_layer("x ≥ 5 × 3 ÷ 2, α = 0,5; © 2024 • ✓ " + CLEAN).foreign_chars == 0
    assert score_text_layer("Th\uf0e0nh ph\uf0f4 H\uf0e0 N\uf0f4i " * 3).foreign_chars == 12


def test_foreign_characters():
    assert all(is_foreign_char(c) for c in "ҥӭԱα\u033f\ue000\ufffd")
    assert not any(is_foreign_char(c) for c in "aĐđưƠếỹçéüñ×1 ,“")


def test_one_foreign_letter_marks_a_page_only_in_a_garbled_file():
    table_page = "Số, ngày, tháng, năm cӫa quyết đӏnh khen thưởng; cơ quan ban hành quyết định"
    assert garbled_pages([CLEAN, table_page]) == {}
    found = garbled_pages([GARBLED, CLEAN, table_page])
    assert sorted(found) == [1, 3] and "in a file with garbled pages" in found[3]


def test_ocr_reasons_name_scans_and_garbled_layers():
    pages = [CLEAN, "", GARBLED]
    reasons = ocr_reasons(pages, "auto")
    assert reasons[2] == NO_TEXT_LAYER and reasons[3].startswith(GARBLED_TEXT_LAYER)
    assert list(reasons) == pages_to_ocr(pages, "auto") == [2, 3]
    assert pages_to_ocr(pages, "off") == [] and pages_to_ocr(pages, "always") == [1, 2, 3]
