"""The kind of fact a question asks for, read from the cue table, and whether a unit shows it."""
import pytest

from assistant.answer_types import SECONDARY_WEIGHT, answer_types, asked_types, type_match


def test_every_type_has_cues_and_patterns():
    names = {t.name for t in answer_types()}
    assert {"money", "percent", "date", "duration", "count", "agency", "person", "place", "document"} <= names
    assert all(t.cues and t.patterns for t in answer_types())


@pytest.mark.parametrize(
    "question, first",
    [
        ("Quyết định có hiệu lực từ ngày nào?", "date"),
        ("quyet dinh co hieu luc tu ngay nao", "date"),
        ("When does the decision take effect?", "date"),
        ("Mức hỗ trợ tối đa bao nhiêu tiền?", "money"),
        ("muc ho tro toi da bao nhieu tien", "money"),
        ("What share of the council must approve a nomination?", "percent"),
        ("Ai ký quyết định này?", "person"),
        ("Who signed the decision?", "person"),
        ("Cơ quan nào thẩm định hồ sơ?", "agency"),
        ("Which ministry leads the housing support policy?", "agency"),
        ("How often are people sent on convalescence?", "duration"),
        ("Phạt tù lên đến bao nhiêu năm?", "duration"),
        ("Trụ sở chính của Sở đặt ở đâu?", "place"),
        ("Which decree sets the allowance levels?", "document"),
        ("Có bao nhiêu trường trung học phổ thông?", "count"),
    ],
)
def test_asked_type(question, first):
    assert asked_types(question)[0] == first


def test_a_question_without_cues_asks_no_type():
    assert asked_types("Tài sản chung của các thành viên hợp tác là gì?") == ()
    assert type_match("Tài sản chung gồm …", ()) == 0.5


def test_accented_cues_do_not_match_a_folded_word_in_an_accented_question():
    # "ai" (who) is a cue; "Hải" folds to "hai", which must not look like "ai" or anything else
    assert "agency" not in asked_types("Hải Dương tổ chức hội nghị năm 2023.")


@pytest.mark.parametrize(
    "text, asked, expected",
    [
        ("Quyết định này có hiệu lực thi hành kể từ ngày 05 tháng 02 năm 2025.", ("date",), 1.0),
        ("Hỗ trợ 2.500.000,0 đồng/hộ, nếu khoảng cách di chuyển dưới 10 km", ("money", "count"), 1.0),
        ("Đơn vị chủ trì tự kiểm tra 100% khối lượng", ("percent",), 1.0),
        ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Huy Tưởng |", ("person",), 1.0),
        ("Sở Nội vụ thẩm định hồ sơ đề nghị", ("agency",), 1.0),
        ("Thực hiện chế độ điều dưỡng luân phiên 02 năm một lần", ("duration",), 1.0),
        ("Trụ sở chính đặt tại Số 4, phố Sơn Tây, Hà Nội", ("place",), 1.0),
        ("theo Nghị định số 75/2021/NĐ-CP của Chính phủ", ("document",), 1.0),
        ("Khuyến khích các cơ quan tổ chức đào tạo bồi dưỡng", ("date",), 0.0),
        ("Khuyến khích các cơ quan tổ chức đào tạo bồi dưỡng", ("money",), 0.0),
        ("Tỷ lệ lao động qua đào tạo đạt 65%", ("money", "percent"), SECONDARY_WEIGHT),
    ],
)
def test_type_match(text, asked, expected):
    assert type_match(text, asked) == expected


def test_zero_padded_numbers_match_the_question_s_number():
    from assistant.query import analyze
    from assistant.scoring import _credits

    analysis = analyze("Bỏ nhiều hơn 2 thương binh thì bị phạt bao nhiêu năm?", [])
    assert "2" in _credits("Đối với 02 thương binh hoặc 02 tử sỹ trở lên.", analysis)
    assert "2" not in _credits("Đối với 12 thương binh.", analysis)


def test_how_much_funding_needs_an_amount_not_any_figure():
    from assistant_samples import HAI_DUONG, chunk, hits
    from assistant.extractive import ExtractiveAnswerer

    options = chunk(HAI_DUONG, 9, "Tổng kinh phí thực hiện kế hoạch gồm 3 nguồn: ngân sách tỉnh, xã hội hóa và nguồn hợp pháp khác.")
    answer = ExtractiveAnswerer().answer("Kế hoạch của Hải Dương có tổng kinh phí bao nhiêu?", hits(options), "vi")
    assert answer.abstained


@pytest.mark.parametrize(
    "question, first",
    [
        # the unit word after "bao nhiêu" decides; "tối đa" (at most) says nothing about money
        ("Gây hậu quả nghiêm trọng có thể bị phạt tù tối đa bao nhiêu năm?", "duration"),
        # "bao nhiêu năm 2022" is "how many, in 2022", not "how many years"
        ("Hà Nội tuyển sinh bao nhiêu năm 2022?", "count"),
        ("ha noi tuyen sinh bao nhieu nam 2022?", "count"),
        # "người nào …" opening a legal question is "whoever", not "which person"
        ("Người nào đánh bạc trái phép thì bị phạt như thế nào?", None),
        # "căn cứ" (grounds) and "thời hạn" (a time limit) as topics are no document / date question
        ("Quyền đối với bất động sản liền kề được xác lập theo căn cứ nào?", None),
        ("Mỗi bên có quyền hủy bỏ việc chấm dứt trước khi hết thời hạn báo trước nhưng phải làm gì?", None),
    ],
)
def test_cue_words_that_are_topics_ask_no_type(question, first):
    asked = asked_types(question)
    assert (asked[0] if asked else None) == first


@pytest.mark.parametrize(
    "text, asked, expected",
    [
        ("Ngày ban hành: 30 tháng 12 năm 2011", ("duration",), 0.0),  # a date, not a duration
        ("sơ cấp và dưới 3 tháng 171.500", ("duration",), 1.0),  # a figure after the duration is no date
        ("1 lần/năm", ("duration",), 1.0),
        # a percentage and "năm 2022" (the year) are no count: "tuyển sinh bao nhiêu năm 2022?"
        ("Chỉ tiêu năm 2022: tỷ lệ lao động qua đào tạo đạt từ 72,2%", ("count",), 0.0),
        ("Tuyển sinh và đào tạo khoảng 224.500 lượt người", ("count",), 1.0),
        ("mở năm lớp sơ cấp", ("count",), 1.0),
        ("điều dưỡng luân phiên 02 năm một lần", ("duration",), 1.0),
        ("khởi tố, điều tra theo quy định của Bộ luật Tố tụng hình sự", ("document",), 1.0),
    ],
)
def test_dates_are_no_durations_and_codes_are_documents(text, asked, expected):
    assert type_match(text, asked) == expected


def test_counted_noun_skips_function_words():
    from assistant.evidence import counted_noun

    assert counted_noun("Hà Nội có bao nhiêu cơ sở giáo dục nghề nghiệp?") == "co"
    assert counted_noun("Trồng với số lượng bao nhiêu thì bị phạt tù đến 07 năm?") == ""
    assert counted_noun("Có bao nhiêu người được đào tạo?") == "nguoi"
