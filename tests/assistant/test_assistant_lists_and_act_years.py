"""A lead-in quoted with the list it announces, and years that name an act rather than a period.

The texts are made up in the style of a code of law (no third-party text is copied)."""
from __future__ import annotations

from assistant_samples import chunk, hits

from assistant.compose import LIST_QUOTE_CHARS
from assistant.extractive import ExtractiveAnswerer, shown_text
from assistant.query import analyze, document_years
from assistant.scoring import years_present
from assistant.units import introduced_list, logical_lines, split_units
from ingest.types import DocumentMeta

CODE = DocumentMeta(
    doc_id="bo-luat-mau-2015.txt",
    title="Bộ luật Mẫu",
    number="99/2015/QH13",
    doc_type="Luật",
    file_type="txt",
)
UNDATED = DocumentMeta(doc_id="bo-luat-khong-nam.txt", title="", number="07/VBHN-VPQH", doc_type="Luật", file_type="txt")

ARTICLE = (
    "Điều 12. Nhà lưu động và nhà cố định\n"
    "1. Nhà cố định bao gồm:\n"
    "a) Nhà gắn liền với nền móng;\n"
    "b) Công trình dựng trên đất có thời hạn sử dụng trên mười năm;\n"
    "c) Kho chứa được xây kiên cố.\n"
    "2. Nhà lưu động là những nhà không phải là nhà cố định."
)
BODY_LEAD = (
    "Điều 40. Tạm dừng hội chợ\n"
    "Việc tạm dừng hội chợ được thực hiện khi thuộc một trong các trường hợp sau đây:\n"
    "a) Có thiên tai kéo dài trên ba ngày;\n"
    "b) Có dịch bệnh được cơ quan có thẩm quyền công bố."
)


OTHER_ARTICLES = (
    "Điều 13. Hoa lợi và lợi tức\n1. Hoa lợi là sản vật tự nhiên mà tài sản mang lại.\n2. Lợi tức là khoản lợi thu được từ việc khai thác tài sản.",
    "Điều 14. Quyền sở hữu\nQuyền sở hữu bao gồm quyền chiếm hữu, quyền sử dụng và quyền định đoạt tài sản của chủ sở hữu theo quy định của luật.",
    "Điều 15. Giao dịch\nGiao dịch là hợp đồng hoặc hành vi pháp lý đơn phương làm phát sinh, thay đổi hoặc chấm dứt quyền, nghĩa vụ.",
)


def with_others(passage):
    """The passage first, then other articles of the code: retrieval never returns one passage alone."""
    return hits(passage, *(chunk(CODE, 20 + i, text) for i, text in enumerate(OTHER_ARTICLES)))


def test_lead_in_keeps_its_items_as_lines():
    lines = logical_lines("Tài sản gồm:\na) Tiền;\nb) Giấy tờ có giá.")
    assert lines == ["Tài sản gồm:", "a) Tiền;", "b) Giấy tờ có giá."]


def test_introduced_list_stops_at_the_sibling_clause():
    listed = introduced_list(ARTICLE, "1. Nhà cố định bao gồm:")
    assert listed[0] == "1. Nhà cố định bao gồm:"
    assert [line[:2] for line in listed[1:]] == ["a)", "b)", "c)"]
    assert not any("Nhà lưu động là" in line for line in listed)
    assert introduced_list(ARTICLE, "Nhà lưu động là những nhà không phải là nhà cố định.") == ()


# threshold 0: these tests are about what an answer quotes, not about when to abstain
def test_a_list_question_is_answered_with_the_whole_list():
    passage = chunk(CODE, 5, ARTICLE, section=("Điều 12. Nhà lưu động và nhà cố định",))
    answer = ExtractiveAnswerer(threshold=0.0).answer("Theo Bộ luật Mẫu, nhà cố định bao gồm những loại nào?", with_others(passage), "vi")
    assert not answer.abstained
    text = " ".join(answer.text.split())
    assert "a) Nhà gắn liền với nền móng; b) Công trình dựng trên đất" in text
    assert "c) Kho chứa được xây kiên cố." in text
    assert "[1]" in text


def test_a_lead_in_in_the_body_of_an_article_brings_its_items():
    passage = chunk(CODE, 7, BODY_LEAD, section=("Điều 40. Tạm dừng hội chợ",))
    answer = ExtractiveAnswerer(threshold=0.0).answer("Hội chợ được tạm dừng trong những trường hợp nào?", with_others(passage), "vi")
    assert not answer.abstained
    assert "b) Có dịch bệnh được cơ quan có thẩm quyền công bố." in answer.text
    # the calibration labels read the same text the answer shows
    lead = next(u for u in split_units(0, passage) if u.text.endswith("sau đây:"))
    assert "a) Có thiên tai kéo dài trên ba ngày;" in shown_text(lead, hits(passage)[0])


def test_a_long_list_is_cut_between_items():
    items = "\n".join(f"{chr(ord('a') + i)}) Trường hợp thứ {i + 1} được mô tả khá dài để vượt quá giới hạn trích dẫn của câu trả lời;" for i in range(20))
    text = f"Việc này được làm trong các trường hợp sau đây:\n{items}"
    passage = chunk(CODE, 9, text)
    answer = ExtractiveAnswerer(threshold=0.0).answer("Việc này được làm trong các trường hợp nào?", with_others(passage), "vi")
    assert not answer.abstained
    quoted = answer.text.split('"')[1]
    assert len(quoted) <= LIST_QUOTE_CHARS + 2
    assert quoted.endswith("…") and "a) Trường hợp thứ 1" in quoted


def test_years_that_name_an_act_are_told_from_period_years():
    assert document_years("Theo Bộ luật Hình sự 2017, hình phạt là gì?") == ("2017",)
    assert document_years("Compare Circular 101/2018 with Decree 55/2023.") == ("2018", "2023")
    assert document_years("Luật Đất đai năm 2013 quy định gì?") == ("2013",)
    assert document_years("Chỉ tiêu tuyển sinh năm 2022 của Hà Nội là bao nhiêu?") == ()
    assert document_years("Who coordinates propaganda in the 2013 plan, and under HCMC's 2012 regulation?") == ("2013", "2012")
    assert document_years("Được giảm bao nhiêu theo quy định của Gia Lai năm 2011?") == ("2011",)


def test_an_act_year_checks_the_document_not_the_clause():
    clause = chunk(CODE, 3, "Hình phạt là biện pháp cưỡng chế do Tòa án quyết định.")
    undated = chunk(UNDATED, 3, "Hình phạt là biện pháp cưỡng chế do Tòa án quyết định.")
    other = chunk(DocumentMeta(doc_id="luat-2019.txt", number="45/2019/QH14", file_type="txt"), 3, "Hình phạt là biện pháp.")
    unit = lambda c: split_units(0, c)[0]  # noqa: E731
    q2015 = analyze("Theo Bộ luật Mẫu 2015, hình phạt là gì?")
    assert years_present(unit(clause), hits(clause)[0], q2015)  # the number 99/2015/QH13 carries the year
    assert years_present(unit(undated), hits(undated)[0], q2015)  # a document without any year is not ruled out
    assert not years_present(unit(other), hits(other)[0], q2015)  # a 2019 act is another act
    # a period year still has to be around the clause itself
    period = analyze("Chỉ tiêu năm 2022 là bao nhiêu?")
    assert not years_present(unit(clause), hits(clause)[0], period)


PENALTY = (
    "Điều 50. Tội trồng cây cấm\n"
    "1. Người nào trồng cây cấm, thì bị phạt tù từ 06 tháng đến 03 năm.\n"
    "2. Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 03 năm đến 07 năm:\n"
    "a) Có tổ chức;\n"
    "b) Với số lượng từ 3.000 cây trở lên."
)


def test_a_lead_in_is_measured_with_its_items():
    from assistant.extractive import as_quoted

    passage = chunk(CODE, 11, PENALTY)
    units = split_units(0, passage)
    lead = next(u for u in units if u.text.endswith("sau đây:") or u.text.endswith("07 năm:"))
    assert "a) Có tổ chức; b) Với số lượng từ 3.000 cây trở lên." in as_quoted(lead, hits(passage)[0]).text
    base = next(u for u in units if u.text.startswith("Người nào trồng"))
    assert as_quoted(base, hits(passage)[0]) == base


def test_a_figure_only_its_items_show_lets_the_lead_in_answer():
    passage = chunk(CODE, 11, PENALTY)
    answerer = ExtractiveAnswerer(threshold=0.0)
    analysis = analyze("Trồng cây cấm với số lượng bao nhiêu cây thì bị phạt tù đến 07 năm?")
    texts = [u.text for u, _ in answerer.candidates(analysis, with_others(passage))]
    assert any(t.endswith("07 năm:") for t in texts)  # its items show "3.000 cây"
