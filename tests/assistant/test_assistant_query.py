import pytest
from assistant_samples import DOCUMENTS

from assistant.query import analyze, contextualize, is_follow_up
from assistant.types import Turn


@pytest.mark.parametrize(
    "question, language",
    [
        ("Who leads rural vocational training in Cao Bằng?", "en"),
        ("Ai chủ trì đào tạo nghề ở Cao Bằng?", "vi"),
        ("ai chu tri dao tao nghe o cao bang", "vi"),
        ("ha noi tuyen sinh bao nhieu nam 2022", "vi"),
        ("what about Hanoi?", "en"),
        ("còn Hà Nội thì sao?", "vi"),
        ("Which tasks does Sở Giáo dục và Đào tạo lead in Yên Bái?", "en"),
        ("When was plan 72 issued?", "en"),
        ("Kế hoạch 49 do ai ký?", "vi"),
    ],
)
def test_language(question, language):
    assert analyze(question, DOCUMENTS).language == language


@pytest.mark.parametrize(
    "question, provinces",
    [
        ("Ai chủ trì đào tạo nghề ở Cao Bằng?", ("Cao Bằng",)),
        ("ai chu tri dao tao nghe o cao bang", ("Cao Bằng",)),
        ("Kế hoạch của Hà Nội và Bắc Cạn", ("Hà Nội", "Bắc Kạn")),
        ("còn HN thì sao?", ("Hà Nội",)),
        ("What about Hanoi?", ("Hà Nội",)),
        ("Giá vé đi Đà Nẵng?", ("Đà Nẵng", "Quảng Nam")),  # Đà Nẵng of today took in Quảng Nam (issue 12)
        ("kỹ năng nghề an toàn lao động", ()),  # "nghề an" is not Nghệ An
    ],
)
def test_provinces_with_and_without_diacritics(question, provinces):
    assert analyze(question, DOCUMENTS).provinces == provinces


@pytest.mark.parametrize(
    "question, numbers, documents",
    [
        ("Kế hoạch 49 do ai ký?", ("49",), ("yen-bai-49-KH-UBND-2020.txt",)),
        ("who signed plan 72?", ("72",), ("ha-noi-72-KH-UBND-2022.txt",)),
        ("3058/KH-UBND ban hành ngày nào?", ("3058",), ("cao-bang-3058-KH-UBND-2024.txt",)),
        ("ke hoach so 37 cua bac kan", ("37",), ("bac-kan-37-KH-UBND-2022.txt",)),
        ("Kế hoạch số 375 về đào tạo nghề", ("375",), ()),  # named but not loaded
        ("kế hoạch năm 2022 của Hà Nội", (), ()),  # a year, not a plan number
    ],
)
def test_plan_numbers_map_to_documents(question, numbers, documents):
    analysis = analyze(question, DOCUMENTS)
    assert analysis.plan_numbers == numbers
    assert analysis.document_ids == documents


@pytest.mark.parametrize(
    "question, intent",
    [
        ("Ai chủ trì đào tạo nghề ở Cao Bằng?", "lead"),
        ("Who is responsible for career guidance in Yên Bái?", "lead"),
        ("Which department handles vocational training?", "lead"),
        ("Sở nào phụ trách tuyển sinh?", "lead"),
        ("Ai phối hợp với Sở Lao động - Thương binh và Xã hội?", "coordinate"),
        ("Who supports the Department of Education?", "coordinate"),
        ("Khi nào phải gửi báo cáo?", "deadline"),
        ("By when must districts report?", "deadline"),
        ("Kinh phí thực hiện là bao nhiêu?", "budget"),
        ("How much money is allocated?", "budget"),
        ("Tỷ lệ lao động qua đào tạo đạt bao nhiêu?", "number"),
        ("How many people will be trained each year?", "number"),
        ("Ai ký kế hoạch 72?", "signer"),
        ("Who signed plan 49?", "signer"),
        ("Kế hoạch 49 ban hành ngày nào?", "issue_date"),
        ("When was plan 72 issued?", "issue_date"),
        ("Những tỉnh nào có kế hoạch đào tạo nghề cho lao động nông thôn?", "list"),
        ("Which provinces plan vocational training for rural workers?", "list"),
        ("Mục tiêu tổng quát của kế hoạch Bắc Kạn", "general"),
        ("ai chu tri dao tao nghe o cao bang", "lead"),
        ("khi nao phai gui bao cao", "deadline"),
    ],
)
def test_intent(question, intent):
    assert analyze(question, DOCUMENTS).intent == intent


def test_budget_question_about_the_source_does_not_ask_for_an_amount():
    assert analyze("Kinh phí lấy từ nguồn nào?").asks_amount is False
    assert analyze("What is the budget of the Hà Nội plan?").asks_amount is True


def test_keywords_drop_stop_words_cues_and_names_and_keep_the_question_spelling():
    analysis = analyze("Ai chủ trì đào tạo nghề cho lao động nông thôn ở Cao Bằng?", DOCUMENTS)
    assert analysis.marked
    assert analysis.keywords == ("đào", "tạo", "nghề", "lao", "động", "nông", "thôn")
    assert "nông thôn" in analysis.phrases
    plain = analyze("ai chu tri dao tao nghe cho lao dong nong thon o cao bang", DOCUMENTS)
    assert not plain.marked
    assert plain.keywords == ("dao", "tao", "nghe", "lao", "dong", "nong", "thon")
    assert "nong thon" in plain.phrases


def test_cơ_sở_is_one_word_and_never_meets_sở():
    assert analyze("cơ sở giáo dục nghề nghiệp").keywords[0] == "cơsở"
    assert analyze("co so giao duc nghe nghiep").keywords[0] == "coso"
    assert analyze("Sở Tài chính").keywords == ("sở", "tài", "chính")


def test_english_keywords_go_through_the_glossary():
    analysis = analyze("Who leads rural vocational training in Cao Bằng?", DOCUMENTS)
    assert analysis.marked
    assert set(analysis.keywords) == {"nông", "thôn", "đào", "tạo", "nghề"}
    assert ("đào tạo nghề", "học nghề") in analysis.alternates
    assert analysis.foreign_terms == ()
    assert analyze("What is the capital of France?").foreign_terms == ("capital", "france")


def test_abbreviations_are_expanded_in_keywords():
    assert {"lao", "động", "nông", "thôn"} <= set(analyze("Đào tạo nghề cho LĐNT").keywords)


# --- follow-ups -------------------------------------------------------------------
HISTORY = (Turn("user", "Ai chủ trì đào tạo nghề ở Cao Bằng?"), Turn("assistant", "Đơn vị phụ trách là … [1]"))


@pytest.mark.parametrize(
    "follow_up, expected",
    [
        ("còn Hà Nội thì sao?", "Ai chủ trì đào tạo nghề ở Hà Nội?"),
        ("what about Hanoi?", "Ai chủ trì đào tạo nghề ở Hà Nội?"),
        ("con HN thi sao", "Ai chủ trì đào tạo nghề ở Hà Nội?"),
        ("Còn kế hoạch 49?", "Ai chủ trì đào tạo nghề trong kế hoạch 49?"),
    ],
)
def test_follow_up_swaps_the_province_or_plan(follow_up, expected):
    assert contextualize(follow_up, HISTORY) == expected


def test_follow_up_in_english_keeps_the_previous_question_language():
    history = [Turn("user", "Who leads rural vocational training in Cao Bằng?"), Turn("assistant", "… [1]")]
    assert contextualize("What about Hanoi?", history) == "Who leads rural vocational training in Hà Nội?"


def test_chained_follow_ups_use_the_contextualised_previous_question():
    history = list(HISTORY) + [Turn("user", "còn Hà Nội thì sao?"), Turn("assistant", "… [1]")]
    assert contextualize("và Yên Bái thì sao?", history) == "Ai chủ trì đào tạo nghề ở Yên Bái?"


def test_follow_up_province_replaces_a_plan_number():
    assert contextualize("còn Yên Bái?", [Turn("user", "Ai ký kế hoạch 72?")]) == "Ai ký kế hoạch ở Yên Bái?"


def test_standalone_questions_are_unchanged():
    assert contextualize("Ai ký kế hoạch 72?", HISTORY) == "Ai ký kế hoạch 72?"
    assert contextualize("còn Hà Nội thì sao?", ()) == "còn Hà Nội thì sao?"
    assert not is_follow_up("Ai chủ trì đào tạo nghề cho lao động nông thôn ở Cao Bằng trong năm 2024 và 2025 theo kế hoạch?")


def test_english_question_keeps_quoted_vietnamese_names_and_acronyms():
    analysis = analyze("Appendix 03 of Yen Bai plan 49: what rate is set for Huyện Mù Cang Chải after THPT?", DOCUMENTS)
    assert {"huyện", "mù", "cang", "chải", "trung", "học", "phổ", "thông", "03"} <= set(analysis.keywords)
    assert analysis.foreign_terms == ()
    assert analysis.document_ids == ("yen-bai-49-KH-UBND-2020.txt",)


def test_further_facts_items_and_row_numbers_asked():
    analysis = analyze("Mục 2.2 phụ lục 04 (khảo sát nhu cầu học tập) hạn chót khi nào, ai chủ trì?")
    assert analysis.intent == "lead" and analysis.also == ("deadline",)
    assert analysis.row_refs == ("2.2",)
    assert "mục" not in analysis.keywords
    assert analyze("Kế hoạch 49 Yên Bái dùng những nguồn kinh phí nào?").plural
    assert not analyze("Ai chủ trì đào tạo nghề ở Cao Bằng?").plural
    assert analyze("Bac Kan: what is the total for section III in the budget table?").row_refs == ("III",)
    assert analyze("Tỉnh nào đặt mục tiêu đào tạo 6.000 người mỗi năm?").row_refs == ()


def test_figures_weigh_more_and_everyday_plan_words_less():
    analysis = analyze("Tỉnh nào đặt mục tiêu đào tạo 6.000 người cho lao động nông thôn?")
    assert analysis.weight("6.000") == 2.0
    assert analysis.weight("nông") == 1.0
    assert analysis.weight("đào") == 0.5
