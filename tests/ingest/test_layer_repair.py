"""Repairing a garbled text layer with OCR: take its broken glyphs from OCR, keep its right letters."""
from __future__ import annotations

from ingest.layer_repair import glyph_readings, letter_edits, repair_layer, repair_pages, word_fixes

LAYER = "Điều 3. Chinh Văn phòng; thủ trưởng cic sở, ngjnh trực thuộc Thjnh phố; cic tổ chӭc chtnh trị - xm hội"
# OCR reads the broken glyphs right but drops tone marks of its own (phố -> phó, tổ -> tô, Điều -> Điêu)
OCR = "Điêu 3. Chánh Văn phòng; thủ trưởng các sở, ngành trực thuộc Thành phó; các tô chức chính trị - xã hội"
TRUE = "Điều 3. Chánh Văn phòng; thủ trưởng các sở, ngành trực thuộc Thành phố; các tổ chức chính trị - xã hội"


def test_broken_glyphs_come_from_ocr_and_the_rest_from_the_layer():
    assert repair_layer(LAYER, OCR) == TRUE


def test_mark_only_differences_keep_the_layer_unless_the_layer_word_is_no_syllable():
    fixes = {f.layer: f for f in word_fixes(LAYER, letter_edits(LAYER, OCR))}
    assert not fixes["phố"].taken and not fixes["tổ"].taken  # OCR's misreadings
    assert fixes["Thjnh"].proven and fixes["chӭc"].proven  # not Vietnamese -> fixed
    assert fixes["cic"].taken and not fixes["cic"].proven  # a syllable, but "i" -> "á" changes the base letter


def test_justified_double_spaces_do_not_throw_the_alignment_off():
    layer = "Tập\ntrung  khắc  phục  những  tӗn  tҥi,  hạn  chế,  Nghӏ  quyết"
    ocr = "Tập trung khắc phục những tồn tại, hạn chế, Nghị quyết"
    assert repair_layer(layer, ocr) == "Tập\ntrung  khắc  phục  những  tồn  tại,  hạn  chế,  Nghị  quyết"


def test_a_glyph_reads_as_the_files_majority():
    layers = ["thị trҩn cҩp xuҩt", "chҩp hành"]
    ocrs = ["thị trần cấp xuất", "châp hành"]  # OCR misread two of the four
    edits = [letter_edits(l, o) for l, o in zip(layers, ocrs)]
    assert glyph_readings(layers, edits) == {"ҩ": "ấ"}
    assert repair_pages(layers, ocrs) == ["thị trấn cấp xuất", "chấp hành"]


def test_case_follows_the_layer_for_latin_letters_and_ocr_for_foreign_glyphs():
    assert repair_layer("Sở, ban, ngjnh vj", "Sở, ban, ngành Và") == "Sở, ban, ngành và"
    assert repair_layer("Đӄ NGHӎ XÉT TҺNG; Hӑ tên", "ĐỀ NGHỊ XÉT TẶNG; Họ tên") == "ĐỀ NGHỊ XÉT TẶNG; Họ tên"


def test_layout_differences_are_not_edits():
    layer = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: /2024/QĐ-UBND"
    ocr = "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTHÀNH PHÓ HÀ NỘI\nSố: 35/2024/QĐÐ-UBND"
    assert repair_layer(layer, ocr) == layer
