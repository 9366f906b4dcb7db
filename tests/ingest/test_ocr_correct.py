"""Vietnamese OCR post-correction: hook tones put back only inside known word pairs."""
from ingest.ocr_correct import correct_ocr_text


def test_hook_read_as_acute_is_restored_in_known_pairs():
    assert correct_ocr_text("Công tác tuyến sinh, triến khai và Tố chức") == "Công tác tuyển sinh, triển khai và Tổ chức"
    assert correct_ocr_text("ĐẤY MẠNH phố biến, kiếm tra") == "ĐẨY MẠNH phổ biến, kiểm tra"


def test_real_acute_words_are_left_alone():
    text = "phát huy lợi thế của tỉnh; tuyến đường; phố cổ; cúa"
    assert correct_ocr_text(text) == text
    assert correct_ocr_text("cúa các sở") == "của các sở"


def test_output_is_nfc():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Kế hoạch tuyển sinh")
    assert correct_ocr_text(decomposed) == "Kế hoạch tuyển sinh"
