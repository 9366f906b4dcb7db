from assistant_samples import BK_ROW_RURAL, CB_LEAD, HA_NOI, HD_TASK, HN_LABOUR, card

from assistant.agencies import heading_agency, line_subject
from assistant.evidence import lead_evidence
from assistant.units import clauses, logical_lines, split_units


def test_hard_wrapped_lines_are_joined():
    text = (
        "a. Sở Tài chính chủ trì phối hợp với Sở Lao động\n"
        "- Thương binh và Xã hội và Trường Cao đẳng Bắc Kạn tham mưu cho UBND tỉnh sắp xếp\n"
        "dồn cơ sở 2 của Trường cao đẳng Bắc Kạn về cơ sở 1.\n"
        "b. Hằng năm, căn cứ dự toán của các đơn vị"
    )
    lines = logical_lines(text)
    assert len(lines) == 2
    assert lines[0].startswith("a. Sở Tài chính chủ trì phối hợp với Sở Lao động - Thương binh và Xã hội")
    assert lines[0].endswith("về cơ sở 1.")


def test_label_line_is_joined_with_its_value():
    assert logical_lines("- Phân công thực hiện:\nPhòng Lao động Việc làm chủ trì.") == [
        "- Phân công thực hiện: Phòng Lao động Việc làm chủ trì."
    ]


def test_clauses_split_at_sentences_and_semicolons():
    line = "Tuyển sinh tốt; tổ chức đánh giá, tổng kết kế hoạch hằng năm. Hướng dẫn kiểm tra, giám sát các cơ sở."
    assert clauses(line) == ["Tuyển sinh tốt; tổ chức đánh giá, tổng kết kế hoạch hằng năm.", "Hướng dẫn kiểm tra, giám sát các cơ sở."]


def test_sentences_are_not_split_after_abbreviations():
    assert clauses("Trường THPT Nguyễn Huệ tại TP. Yên Bái tổ chức tư vấn tuyển sinh cho học sinh.") == [
        "Trường THPT Nguyễn Huệ tại TP. Yên Bái tổ chức tư vấn tuyển sinh cho học sinh."
    ]


def test_items_carry_their_agency_heading():
    units = split_units(0, HN_LABOUR)
    assert units[0].is_heading and units[0].text == "Sở Lao động - Thương binh và Xã hội"
    first_item = units[1]
    assert first_item.text.startswith("Chủ trì phối hợp với sở, ban, ngành")
    assert first_item.heading == "1. Sở Lao động - Thương binh và Xã hội"
    assert heading_agency(first_item.heading) == "Sở Lao động - Thương binh và Xã hội"
    evidence = lead_evidence(first_item)
    assert evidence.strength == 1.0 and evidence.agency == "Sở Lao động - Thương binh và Xã hội"
    coordinating = next(u for u in units if u.text.startswith("Phối hợp với Sở Giáo dục"))
    assert lead_evidence(coordinating).strength < 0.5


def test_agency_asked_to_direct_is_the_lead():
    unit = next(u for u in split_units(0, CB_LEAD) if "đề nghị" in u.text)
    evidence = lead_evidence(unit)
    assert evidence.agency == "Sở Lao động - Thương binh và Xã hội"
    assert unit.text[evidence.focus :].startswith("UBND tỉnh đề nghị")
    other = next(u for u in split_units(0, CB_LEAD) if u.text.startswith("Sở Giáo dục và Đào tạo chủ trì"))
    assert lead_evidence(other).agency == "Sở Giáo dục và Đào tạo"


def test_table_row_is_one_unit_with_fields():
    (unit,) = split_units(3, BK_ROW_RURAL)
    assert unit.kind == "row" and unit.hit_index == 3
    assert ("ĐƠN VỊ CHỦ TRÌ", "Sở Lao động- TB&XH") in unit.fields
    assert lead_evidence(unit).agency == "Sở Lao động- TB&XH"


def test_label_lines_keep_the_task_heading():
    units = split_units(0, HD_TASK)
    when = next(u for u in units if u.text.startswith("Thời gian thực hiện"))
    assert when.heading.startswith("4. Tổ chức hội nghị gắn kết")
    assert not when.text.startswith("-")


def test_card_lines_are_units():
    units = split_units(0, card(HA_NOI))
    assert all(u.kind == "card" for u in units)
    assert "Người ký / Signed by: Chủ Xuân Dũng (TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH)" in [u.text for u in units]


def test_clauses_after_an_agency_label_are_about_that_agency():
    from assistant_samples import HAI_DUONG, chunk

    c = chunk(
        HAI_DUONG,
        14,
        "1. Phòng Giáo dục nghề nghiệp: Chủ trì, phối hợp với các phòng, đơn vị liên quan tham mưu giúp Lãnh đạo Sở "
        "tổ chức triển khai Kế hoạch này; tổng hợp báo cáo kết quả thực hiện trước ngày 30/11/2023 để báo cáo Tỉnh ủy, "
        "UBND tỉnh theo quy định.",
        section=("III. TỔ CHỨC THỰC HIỆN",),
    )
    units = split_units(0, c)
    assert line_subject(c.text) == "Phòng Giáo dục nghề nghiệp"
    report = next(u for u in units if u.text.startswith("tổng hợp báo cáo"))
    assert report.subject == "Phòng Giáo dục nghề nghiệp"
