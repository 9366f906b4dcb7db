"""Who-leads / who-coordinates / deadline / budget questions answered from responsibility records.

Records are made by hand the way ingest extracts them (``quote`` an exact span of the
document, ``chunk_id`` the passage holding it) over the sample chunks of ``assistant_samples``.
"""
import re

import pytest
from assistant_samples import (
    BAC_KAN,
    CB_DISTRICTS,
    CB_LEAD,
    CB_TARGET,
    DOCUMENTS,
    HD_ORG,
    HN_LABOUR,
    HN_TARGET,
    YB_ROW_26,
    YB_ROW_27,
    FakeRetriever,
)

from assistant.extractive import ExtractiveAnswerer
from assistant.record_writing import RECORDS_ANSWERER, locate_passage, short_task
from assistant.service import Assistant
from index.types import Filters
from ingest.types import Chunk, ResponsibilityRecord


def record(c: Chunk, quote: str, task: str, lead=(), coordinators=(), **fields) -> ResponsibilityRecord:
    assert quote in c.text or fields.get("source") == "table", "a record's quote is a span of its passage"
    return ResponsibilityRecord(
        task=task,
        lead=tuple(lead),
        coordinators=tuple(coordinators),
        document=c.doc_id,
        province=c.meta.province,
        section=c.section,
        quote=quote,
        chunk_id=c.id,
        **fields,
    )


CB_EDU_QUOTE = (
    "Sở Giáo dục và Đào tạo chủ trì, phối hợp với Sở Lao động - Thương binh và Xã hội, các đơn vị liên quan đẩy "
    "mạnh hoạt động tuyên truyền, phổ biến, giáo dục, hướng nghiệp, phân luồng trong các trường THCS, THPT"
)
CB_EDU = record(
    CB_LEAD,
    CB_EDU_QUOTE,
    "đẩy mạnh hoạt động tuyên truyền, phổ biến, giáo dục, hướng nghiệp, phân luồng trong các trường THCS, THPT để "
    "học sinh và phụ huynh có nhận thức đúng, đầy đủ về vai trò, ý nghĩa và mục đích của giáo dục nghề nghiệp",
    lead=["Sở Giáo dục và Đào tạo"],
    coordinators=["Sở Lao động - Thương binh và Xã hội", "Các đơn vị liên quan"],
    source="prose",
)
CB_LABOUR = record(
    CB_LEAD,
    "UBND tỉnh đề nghị Sở Lao động - Thương binh và Xã hội chỉ đạo, hướng dẫn các cơ sở tham gia hoạt động giáo dục "
    "nghề nghiệp trên địa bàn tỉnh tổ chức triển khai thực hiện kế hoạch",
    "chỉ đạo, hướng dẫn các cơ sở tham gia hoạt động giáo dục nghề nghiệp trên địa bàn tỉnh tổ chức triển khai thực "
    "hiện kế hoạch bảo đảm hiệu quả",
    lead=["Sở Lao động - Thương binh và Xã hội"],
    source="prose",
)
CB_DISTRICT_REC = record(
    CB_DISTRICTS,
    "UBND các huyện, Thành phố chỉ đạo UBND cấp xã rà soát, xác định nhu cầu đào tạo, xây dựng kế hoạch đào tạo "
    "nghề cho LĐNT",
    "chỉ đạo UBND cấp xã rà soát, xác định nhu cầu đào tạo, xây dựng kế hoạch đào tạo nghề cho LĐNT sát với thực tiễn",
    lead=["Ủy ban nhân dân các huyện, thị xã, thành phố"],
    source="prose",
)
HN_SME = record(
    HN_LABOUR,
    "Chủ trì, phối hợp với Ban Quản lý các Khu công nghiệp và Khu chế xuất Hà Nội, Hiệp hội doanh nghiệp nhỏ và "
    "vừa Thành phố xây dựng phương án hỗ trợ và tổ chức đào tạo, bồi dưỡng kỹ năng nghề cho lao động tại doanh nghiệp",
    "Chủ trì, phối hợp với Ban Quản lý các Khu công nghiệp và Khu chế xuất Hà Nội, Hiệp hội doanh nghiệp nhỏ và "
    "vừa Thành phố xây dựng phương án hỗ trợ và tổ chức đào tạo, bồi dưỡng kỹ năng nghề cho lao động tại doanh "
    "nghiệp, đặc biệt là lao động đang làm việc trong các doanh nghiệp nhỏ và vừa trên địa bàn Thành phố",
    lead=["Sở Lao động - Thương binh và Xã hội"],
    coordinators=["Ban Quản lý các Khu công nghiệp và Khu chế xuất", "Hiệp hội Doanh nghiệp nhỏ và vừa"],
    source="agency_section",
)
HD_GDNN_REPORT = record(
    HD_ORG,
    "1. Phòng Giáo dục nghề nghiệp: Chủ trì, phối hợp với các phòng, đơn vị liên quan tham mưu giúp Lãnh đạo Sở tổ "
    "chức triển khai Kế hoạch này; triển khai thực hiện các nội dung thuộc lĩnh vực giáo dục nghề nghiệp được phân "
    "công tại Kế hoạch; tổng hợp báo cáo kết quả thực hiện trước ngày 30/11/2023",
    "Chủ trì, phối hợp với các phòng, đơn vị liên quan tham mưu giúp Lãnh đạo Sở tổ chức triển khai Kế hoạch này; "
    "triển khai thực hiện các nội dung thuộc lĩnh vực giáo dục nghề nghiệp được phân công tại Kế hoạch; tổng hợp "
    "báo cáo kết quả thực hiện trước ngày 30/11/2023 để báo cáo Tỉnh ủy, UBND tỉnh theo quy định",
    lead=["Phòng Giáo dục nghề nghiệp"],
    coordinators=["Các phòng, đơn vị liên quan"],
    deadline="trước ngày 30/11/2023",
    deadline_iso="2023-11-30",
    source="agency_section",
)
HD_JOBS_REPORT = record(
    HD_ORG,
    "2. Phòng Lao động – Việc làm: Chủ trì, phối hợp với các phòng, đơn vị liên quan tham mưu giúp Lãnh đạo Sở triển "
    "khai thực hiện các nội dung thuộc lĩnh vực lao động, việc làm được phân công tại Kế hoạch; gửi báo cáo kết quả "
    "thực hiện về phòng Giáo dục nghề nghiệp trước ngày 15/11/2023",
    "Chủ trì, phối hợp với các phòng, đơn vị liên quan tham mưu giúp Lãnh đạo Sở triển khai thực hiện các nội dung "
    "thuộc lĩnh vực lao động, việc làm được phân công tại Kế hoạch; gửi báo cáo kết quả thực hiện về phòng Giáo dục "
    "nghề nghiệp trước ngày 15/11/2023 để tổng hợp",
    lead=["Phòng Lao động - Việc làm"],
    coordinators=["Các phòng, đơn vị liên quan"],
    deadline="trước ngày 15/11/2023",
    deadline_iso="2023-11-15",
    source="agency_section",
)
YB_26 = record(
    YB_ROW_26,
    "TT: 2.6\nNội dung công việc: Chỉ đạo triển khai thực hiện nhiệm vụ về tuyển sinh, đào tạo nghề trên địa bàn toàn tỉnh",
    "Chỉ đạo triển khai thực hiện nhiệm vụ về tuyển sinh, đào tạo nghề trên địa bàn toàn tỉnh, tăng cường tuyển "
    "sinh đào tạo nghề cho đối tượng học sinh tốt nghiệp THCS, THPT.",
    lead=["Sở Lao động - Thương binh và Xã hội"],
    coordinators=["Sở Giáo dục và Đào tạo", "Ủy ban nhân dân các huyện, thị xã, thành phố", "Các cơ sở giáo dục nghề nghiệp"],
    deadline="Xong trước ngày 15/12/2020",
    deadline_iso="2020-12-15",
    source="table",
    extra=(("row", "2.6"), ("table", "PHỤ LỤC 04")),
)
YB_27 = record(
    YB_ROW_27,
    "TT: 2.7\nNội dung công việc: Cập nhật, cung cấp theo định kỳ thông tin về năng lực đào tạo",
    "Cập nhật, cung cấp theo định kỳ thông tin về năng lực đào tạo, thông tin tuyển sinh của cơ sở giáo dục nghề "
    "nghiệp, chính sách đối với người học các trình độ giáo dục nghề nghiệp.",
    lead=["Sở Lao động - Thương binh và Xã hội"],
    coordinators=["Sở Giáo dục và Đào tạo", "Ủy ban nhân dân các huyện, thị xã, thành phố", "Các cơ sở giáo dục nghề nghiệp"],
    deadline="Xong trước ngày 15/12/2020",
    deadline_iso="2020-12-15",
    source="table",
    extra=(("row", "2.7"), ("table", "PHỤ LỤC 04")),
)

# The Bắc Kạn budget table: the document writes the row one cell per line between "|" lines;
# the passage shows it as "header: value" lines, so the quote is found through the document text.
BK_TABLE_TEXT = (
    "BIỂU KẾ HOẠCH TRIỂN KHAI\n"
    "3\n|\nRà soát, đánh giá cập nhật tỷ lệ lao động qua đào tạo, nhu cầu học nghề các cấp trình độ (LĐNT)\n|\n"
    "Sở Lao động - TB&XH\n|\nUBND các huyện, thành phố, các cơ sở GDNN\n|\n\n|\n500\n|\n\n|\n\n|\n500\n"
)
BK_ROW_QUOTE = BK_TABLE_TEXT[BK_TABLE_TEXT.index("3\n|") : BK_TABLE_TEXT.index("\n|\n\n|\n500") + len("\n|\n\n|\n500")]
BK_ROW = Chunk(
    id=f"{BAC_KAN.doc_id}#61",
    doc_id=BAC_KAN.doc_id,
    position=61,
    kind="table_row",
    text=(
        "TT: 3\nNỘI DUNG CÔNG VIỆC: Rà soát, đánh giá cập nhật tỷ lệ lao động qua đào tạo, nhu cầu học nghề các cấp "
        "trình độ (LĐNT)\nĐƠN VỊ CHỦ TRÌ: Sở Lao động - TB&XH\nĐƠN VỊ PHỐI HỢP: UBND các huyện, thành phố, các cơ sở "
        "GDNN\nTHỜI GIAN, KINH PHÍ NGÂN SÁCH ĐỊA PHƯƠNG (triệu đồng) / Năm 2023: 500"
    ),
    section_path=("BIỂU KẾ HOẠCH TRIỂN KHAI", "III Công tác tuyển sinh, đào tạo nghề"),
    start=BK_TABLE_TEXT.index("3\n|"),
    end=len(BK_TABLE_TEXT),
    meta=BAC_KAN,
)
BK_SURVEY = record(
    BK_ROW,
    BK_ROW_QUOTE,
    "Rà soát, đánh giá cập nhật tỷ lệ lao động qua đào tạo, nhu cầu học nghề các cấp trình độ (LĐNT)",
    lead=["Sở Lao động - Thương binh và Xã hội"],
    coordinators=["Ủy ban nhân dân các huyện, thị xã, thành phố", "Các cơ sở giáo dục nghề nghiệp"],
    budget="Năm 2022: 0 triệu đồng; Năm 2023: 500 triệu đồng; Năm 2024: 0 triệu đồng; Năm 2025: 0 triệu đồng; "
    "Tổng kinh phí giai đoạn 2021-2025: 500 triệu đồng",
    source="table",
    extra=(("row", "3"),),
)

RECORDS = (CB_LABOUR, CB_EDU, CB_DISTRICT_REC, HN_SME, HD_GDNN_REPORT, HD_JOBS_REPORT, YB_26, YB_27, BK_SURVEY)
RETRIEVED = [CB_TARGET, CB_LEAD, CB_DISTRICTS, HN_LABOUR, HN_TARGET, HD_ORG, YB_ROW_26, YB_ROW_27]


def make(records=RECORDS, retrieved=RETRIEVED, *, extra=(BK_ROW,), k=5, answerer=None):
    retriever = FakeRetriever(list(retrieved), texts={BAC_KAN.doc_id: BK_TABLE_TEXT}, extra_chunks=list(extra))
    assistant = Assistant(retriever, answerer or ExtractiveAnswerer(), documents=DOCUMENTS, records=records, k=k)
    return assistant, retriever


def assert_cited_consistently(answer):
    """Every [n] has its citation, which points at hits[n-1] and quotes a span of that passage or its document."""
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == set(range(1, len(answer.citations) + 1))
    for i, citation in enumerate(answer.citations):
        assert citation.n == i + 1
        assert citation.chunk_id == answer.hits[i].chunk.id
        assert citation.document == answer.hits[i].chunk.doc_id
        assert citation.quote


# ---------------------------------------------------------------------------------------------
# who leads
def test_lead_question_is_answered_from_the_matching_record():
    assistant, _ = make()
    answer = assistant.ask("Cao Bằng: sở nào chủ trì tuyên truyền, hướng nghiệp, phân luồng trong trường THCS, THPT?")
    assert answer.answerer == RECORDS_ANSWERER and not answer.abstained and answer.language == "vi"
    assert answer.text.startswith("Theo Kế hoạch số 3058/KH-UBND (Cao Bằng): Sở Giáo dục và Đào tạo chủ trì: đẩy mạnh")
    assert answer.text.endswith("[1]")
    (citation,) = answer.citations
    assert citation.quote == CB_EDU_QUOTE  # the record's own span, not the whole passage
    assert citation.chunk_id == CB_LEAD.id and citation.province == "Cao Bằng" and citation.number == "3058/KH-UBND"
    assert_cited_consistently(answer)


def test_english_lead_question_keeps_the_plans_words():
    assistant, _ = make()
    answer = assistant.ask("Which department leads career guidance and streaming in lower and upper secondary schools in Cao Bằng?")
    assert answer.answerer == RECORDS_ANSWERER and answer.language == "en"
    assert answer.text.startswith("According to plan 3058/KH-UBND (Cao Bằng): Lead: Sở Giáo dục và Đào tạo — đẩy mạnh")
    assert_cited_consistently(answer)


def test_question_naming_an_agency_lists_its_tasks():
    assistant, _ = make()
    answer = assistant.ask("Phòng Lao động - Việc làm Hải Dương chủ trì những việc gì?")
    assert answer.answerer == RECORDS_ANSWERER
    assert "Phòng Lao động – Việc làm chủ trì:" in answer.text  # as the plan writes it (en dash)
    assert "Phòng Giáo dục nghề nghiệp chủ trì" not in answer.text
    assert "hạn: trước ngày 15/11/2023" in answer.text
    assert_cited_consistently(answer)


# ---------------------------------------------------------------------------------------------
# who coordinates
def test_coordinate_question_names_the_partners_and_the_lead():
    assistant, _ = make()
    answer = assistant.ask("Hà Nội: ai phối hợp xây dựng phương án đào tạo cho lao động doanh nghiệp nhỏ và vừa?")
    assert answer.answerer == RECORDS_ANSWERER
    # partners as the quote writes them; the lead (from the section heading) by its canonical name
    assert answer.text.startswith(
        "Theo Kế hoạch số 72/KH-UBND (Hà Nội): Ban Quản lý các Khu công nghiệp và Khu chế xuất Hà Nội, Hiệp hội "
        "doanh nghiệp nhỏ và vừa Thành phố phối hợp (Sở Lao động - Thương binh và Xã hội chủ trì): "
    )
    assert answer.citations[0].chunk_id == HN_LABOUR.id
    assert_cited_consistently(answer)


# ---------------------------------------------------------------------------------------------
# by when
def test_deadline_question_gives_the_date_as_written():
    assistant, _ = make()
    answer = assistant.ask("Hải Dương: Phòng Giáo dục nghề nghiệp tổng hợp báo cáo kết quả trước ngày nào?")
    assert answer.answerer == RECORDS_ANSWERER
    assert answer.text.startswith("Theo Kế hoạch KH-SLĐTBXH (Hải Dương): Hạn: trước ngày 30/11/2023 — Phòng Giáo dục nghề nghiệp chủ trì:")
    assert "15/11/2023" not in answer.text
    assert_cited_consistently(answer)


def test_deadline_of_a_table_row_named_by_its_number():
    assistant, _ = make()
    answer = assistant.ask("Yen Bai appendix 04 row 2.6: who leads it and what is the deadline?")
    assert answer.answerer == RECORDS_ANSWERER
    assert "Lead: Sở Lao động - Thương binh và Xã hội" in answer.text
    assert "deadline: Xong trước ngày 15/12/2020" in answer.text
    assert [c.chunk_id for c in answer.citations] == [YB_ROW_26.id]


# ---------------------------------------------------------------------------------------------
# with what money
def test_budget_question_cites_the_table_row_with_the_cells_span():
    # the row's passage is never retrieved: it is fetched by the record's chunk id
    assistant, retriever = make()
    answer = assistant.ask("bac kan kinh phi ra soat danh gia ty le lao dong qua dao tao nam 2023")
    assert answer.answerer == RECORDS_ANSWERER
    assert "Kinh phí: Năm 2022: 0 triệu đồng; Năm 2023: 500 triệu đồng" in answer.text
    assert "Sở Lao động - TB&XH chủ trì" in answer.text  # the table cell's wording
    (citation,) = answer.citations
    assert citation.chunk_id == BK_ROW.id and citation.quote == BK_ROW_QUOTE
    assert citation.quote in BK_TABLE_TEXT[BK_ROW.start : BK_ROW.end]
    assert answer.hits[0].chunk == BK_ROW
    assert_cited_consistently(answer)


def test_year_the_record_does_not_have_is_not_answered_from_it():
    assistant, _ = make()
    answer = assistant.ask("Bắc Kạn bố trí kinh phí năm 2026 cho rà soát tỷ lệ lao động qua đào tạo bao nhiêu?")
    assert answer.answerer != RECORDS_ANSWERER


# ---------------------------------------------------------------------------------------------
# scope
def test_province_filter_keeps_records_of_other_provinces_out():
    question = "Ai chủ trì tuyên truyền, hướng nghiệp, phân luồng trong trường THCS, THPT?"
    assistant, retriever = make()
    assert assistant.ask(question).answerer == RECORDS_ANSWERER
    answer = assistant.ask(question, filters=Filters(provinces=("Hà Nội",)))
    assert answer.answerer != RECORDS_ANSWERER
    assert all(c.province == "Hà Nội" for c in answer.citations)
    assert retriever.calls[-1][2] == Filters(provinces=("Hà Nội",))


def test_province_named_in_the_question_restricts_records():
    assistant, _ = make()
    answer = assistant.ask("Hà Nội: sở nào chủ trì tuyên truyền, hướng nghiệp, phân luồng trong trường THCS, THPT?")
    assert answer.answerer != RECORDS_ANSWERER
    assert all(c.province == "Hà Nội" for c in answer.citations)


def test_document_filter_restricts_records():
    question = "Ai chủ trì tuyên truyền, hướng nghiệp, phân luồng trong trường THCS, THPT?"
    assistant, _ = make()
    answer = assistant.ask(question, filters=Filters(documents=(CB_LEAD.doc_id,)))
    assert answer.answerer == RECORDS_ANSWERER
    answer = assistant.ask(question, filters=Filters(documents=(HN_LABOUR.doc_id,)))
    assert answer.answerer != RECORDS_ANSWERER


# ---------------------------------------------------------------------------------------------
# falling back to passages
def test_question_no_record_matches_falls_back_to_passages():
    assistant, retriever = make()
    answer = assistant.ask("Ai chủ trì xây dựng sân bay ở Cao Bằng?")
    assert answer.answerer == "extractive"
    assert retriever.calls  # the passage pipeline ran


def test_not_a_records_question_never_uses_records():
    assistant, _ = make()
    answer = assistant.ask("Kế hoạch 3058 của Cao Bằng phấn đấu mỗi năm đào tạo bao nhiêu người?")
    assert answer.answerer == "extractive" and "6.000" in answer.text


def test_question_about_the_whole_plan_is_left_to_passages():
    # the question's words are the plan's title ("… đào tạo nghề cho lao động nông thôn"): it asks who
    # leads the plan, not one of its tasks (CB_DISTRICT_REC would match it word for word)
    assistant, _ = make()
    answer = assistant.ask("Ai chủ trì đào tạo nghề cho lao động nông thôn ở Cao Bằng?")
    assert answer.answerer == "extractive"
    assert "Sở Lao động - Thương binh và Xã hội" in answer.text


def test_moderate_match_needs_retrieval_to_agree():
    question = "Hải Dương: phòng nào gửi báo cáo về phòng Giáo dục nghề nghiệp, hạn khi nào?"
    with_passage, _ = make()
    assert with_passage.ask(question).answerer == RECORDS_ANSWERER
    without_passage, retriever = make(retrieved=[c for c in RETRIEVED if c is not HD_ORG], extra=(BK_ROW, HD_ORG))
    answer = without_passage.ask(question)
    assert answer.answerer != RECORDS_ANSWERER
    assert len([c for c in retriever.calls if c[2] == Filters(provinces=("Hải Dương",))]) == 1  # retrieved once, reused


def test_record_whose_quote_is_in_no_passage_is_never_cited():
    broken = ResponsibilityRecord(**{**CB_EDU.__dict__, "quote": "Sở Giáo dục và Đào tạo chủ trì một việc không có trong văn bản"})
    assistant, _ = make(records=(broken,) + RECORDS[2:])
    answer = assistant.ask("Cao Bằng: sở nào chủ trì tuyên truyền, hướng nghiệp, phân luồng trong trường THCS, THPT?")
    assert answer.answerer != RECORDS_ANSWERER


def test_stale_chunk_id_is_replaced_by_the_passage_that_holds_the_quote():
    moved = ResponsibilityRecord(**{**CB_EDU.__dict__, "chunk_id": "gone#1"})
    assert locate_passage(moved, [CB_TARGET, CB_LEAD]) == CB_LEAD
    assert locate_passage(moved, [CB_TARGET]) is None


def test_retriever_without_passage_access_answers_from_passages():
    class RetrieveOnly:
        def __init__(self):
            self.inner = FakeRetriever(list(RETRIEVED))

        def retrieve(self, query, k=5, filters=None):
            return self.inner.retrieve(query, k, filters)

    assistant = Assistant(RetrieveOnly(), ExtractiveAnswerer(), documents=DOCUMENTS, records=RECORDS)
    answer = assistant.ask("Cao Bằng: sở nào chủ trì tuyên truyền, hướng nghiệp, phân luồng trong trường THCS, THPT?")
    assert answer.answerer == "extractive"


def test_records_sharing_a_passage_share_one_citation_quoting_both():
    assistant, _ = make()
    answer = assistant.ask("Hải Dương: các phòng báo cáo kết quả thực hiện trước ngày nào?")
    assert answer.answerer == RECORDS_ANSWERER
    assert "30/11/2023" in answer.text and "15/11/2023" in answer.text
    (citation,) = answer.citations
    assert citation.chunk_id == HD_ORG.id
    assert HD_GDNN_REPORT.quote in citation.quote and HD_JOBS_REPORT.quote in citation.quote
    assert citation.quote in HD_ORG.text  # still one exact span of the passage
    assert answer.text.count("[1]") == 2
    assert_cited_consistently(answer)


def test_records_answer_without_calling_the_llm():
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from assistant.llm import LLMAnswerer

    model = FakeListChatModel(responses=["HACKED [1]"])
    assistant, _ = make(answerer=LLMAnswerer(model, ExtractiveAnswerer()))
    answer = assistant.ask("Cao Bằng: sở nào chủ trì tuyên truyền, hướng nghiệp, phân luồng trong trường THCS, THPT?")
    assert answer.answerer == RECORDS_ANSWERER and "HACKED" not in answer.text


@pytest.mark.parametrize(
    "task, expected",
    [
        ("Tổ chức hội nghị.", "Tổ chức hội nghị"),
        ("Việc một; " + "x " * 150 + "; tổng hợp báo cáo kết quả trước ngày 30/11", "… tổng hợp báo cáo kết quả trước ngày 30/11"),
    ],
)
def test_long_tasks_are_cut_to_the_clause_the_question_is_about(task, expected):
    assert short_task(task, ["bao cao", "ket", "qua"], limit=100) == expected


SME_TASK = "tổ chức đào tạo, bồi dưỡng kỹ năng nghề cho lao động tại doanh nghiệp"
SME_LEADS = ("Sở Lao động - Thương binh và Xã hội", "Sở Kế hoạch và Đầu tư", "Sở Công Thương")


@pytest.mark.parametrize("leads, from_records", [(SME_LEADS[:2], True), (SME_LEADS, False)])
def test_equally_good_records_that_disagree_are_shown_side_by_side_up_to_two(leads, from_records):
    records = tuple(record(HN_LABOUR, SME_TASK, SME_TASK, lead=[lead], source="agency_section") for lead in leads)
    assistant, _ = make(records=records)
    answer = assistant.ask("Hà Nội: ai chủ trì bồi dưỡng kỹ năng nghề cho lao động tại doanh nghiệp?")
    assert (answer.answerer == RECORDS_ANSWERER) is from_records
    if from_records:
        assert all(f"{lead} chủ trì: {SME_TASK} [1]" in answer.text for lead in leads)
        assert [c.quote for c in answer.citations] == [SME_TASK]


def test_record_without_the_date_asked_alongside_is_left_to_passages():
    assistant, _ = make()
    question = "bac kan kinh phi ra soat danh gia ty le lao dong qua dao tao nam 2023"
    assert assistant.ask(question).answerer == RECORDS_ANSWERER
    answer = assistant.ask(question + ", han hoan thanh khi nao?")  # BK_SURVEY has no deadline
    assert answer.answerer != RECORDS_ANSWERER
