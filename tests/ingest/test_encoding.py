from __future__ import annotations

import codecs
import random
import unicodedata

import pytest

from ingest.encoding import decode_text, detect_legacy_encoding
from ingest.errors import CorruptFile, EncodingProblem, LegacyVietnameseEncoding

PLAN_TEXT = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "Ủy ban nhân dân tỉnh Bắc Kạn ban hành kế hoạch phát triển giáo dục nghề nghiệp "
    "giai đoạn 2021-2025; Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với "
    "các huyện thực hiện đào tạo nghề cho người lao động ở khu vực nông thôn.\n"
)
# The same words as they appear when a file in a legacy font encoding is read as Latin text.
TCVN3_TEXT = "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\nñy ban nh©n d©n tØnh B¾c K¹n"
VNI_TEXT = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc\nUûy ban nhaân daân tænh"
VNI_TYPED_TEXT = "Co65ng ho2a xa4 ho65i chu3 nghi4a Vie65t Nam, d9o65c la65p tu75 do ha5nh phu1c"


def test_utf8():
    assert decode_text(PLAN_TEXT.encode("utf-8"), "a.txt") == (PLAN_TEXT, "utf-8")


def test_utf8_with_bom_drops_the_bom():
    text, encoding = decode_text(codecs.BOM_UTF8 + PLAN_TEXT.encode("utf-8"), "a.txt")
    assert (text, encoding) == (PLAN_TEXT, "utf-8-sig")
    assert not text.startswith("\ufeff")


@pytest.mark.parametrize(
    "data, encoding",
    [
        (codecs.BOM_UTF16_LE + PLAN_TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + PLAN_TEXT.encode("utf-16-be"), "utf-16-be"),
        (PLAN_TEXT.encode("utf-16"), "utf-16-le"),  # Python writes a little-endian BOM
        (PLAN_TEXT.encode("utf-16-le"), "utf-16-le"),  # no BOM: recognised by where the NULs are
        (PLAN_TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_utf16_with_and_without_bom(data, encoding):
    assert decode_text(data, "a.txt") == (PLAN_TEXT, encoding)


def test_nfd_utf8_is_returned_as_nfc():
    text, _ = decode_text(unicodedata.normalize("NFD", PLAN_TEXT).encode("utf-8"), "a.txt")
    assert text == PLAN_TEXT


def test_windows_1258_is_detected_and_recomposed(cp1258_bytes):
    data = cp1258_bytes(PLAN_TEXT)
    # it really is a cp1258 file: not UTF-8, and tones stored as cp1258's combining-mark bytes
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert {0xCC, 0xEC, 0xD2, 0xDE, 0xF2} & set(data)  # grave, acute, hook, tilde, dot below
    assert not unicodedata.is_normalized("NFC", data.decode("cp1258"))
    assert decode_text(data, "a.txt") == (PLAN_TEXT, "cp1258")


@pytest.mark.parametrize(
    "data, kind",
    [
        (TCVN3_TEXT.encode("cp1252"), "TCVN3"),  # the bytes of a TCVN3 (.VnTime) file
        (TCVN3_TEXT.encode("utf-8"), "TCVN3"),  # the same mojibake saved as UTF-8
        (VNI_TEXT.encode("cp1252"), "VNI"),  # VNI-Windows font bytes
        (VNI_TEXT.encode("utf-8"), "VNI"),
        (VNI_TYPED_TEXT.encode("ascii"), "VNI"),  # typed with VNI digits, never converted
    ],
)
def test_legacy_vietnamese_font_encodings_are_reported(data, kind):
    with pytest.raises(LegacyVietnameseEncoding) as err:
        decode_text(data, "old-plan.txt")
    message = str(err.value)
    assert message.startswith("old-plan.txt: ") and kind in message and "\n" not in message


def test_legacy_detector_does_not_fire_on_unicode_vietnamese_or_english():
    assert detect_legacy_encoding(PLAN_TEXT) is None
    assert detect_legacy_encoding("The plan (© 2022) covers «vocational training» in 63 provinces.") is None
    assert detect_legacy_encoding("Mã COVID19 và biểu mẫu A4") is None


def test_binary_garbage_is_a_corrupt_file():
    with pytest.raises(CorruptFile) as err:
        decode_text(bytes(range(256)) * 20, "image.txt")
    assert "binary" in str(err.value) and "image.txt" in str(err.value)


def test_invalid_utf16_after_bom_is_corrupt():
    with pytest.raises(CorruptFile):
        decode_text(codecs.BOM_UTF16_LE + b"\x00\xd8\x41\x00", "a.txt")  # lone high surrogate


def test_utf8_with_a_few_broken_bytes_is_reported_not_read_as_mojibake():
    data = PLAN_TEXT.encode("utf-8") + b"\xff\xfe" + "đào tạo nghề".encode("utf-8")
    with pytest.raises(EncodingProblem) as err:
        decode_text(data, "a.txt")
    assert "UTF-8" in str(err.value)


def test_undeterminable_bytes_raise_encoding_problem():
    # a fixed jumble of bytes undefined in Windows-1258 that charset-normalizer cannot place
    rng = random.Random(0)
    data = bytes(rng.choice([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xA4, 0xB1, 0xFE, 0x41]) for _ in range(300))
    with pytest.raises(EncodingProblem) as err:
        decode_text(data, "a.txt")
    assert str(err.value).startswith("a.txt: text encoding could not be determined")
