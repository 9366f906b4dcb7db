"""Issue 12 in the assistant (fakes): today's province names widen the scope, answers carry cited
notes on the 2025 changes, replaced documents give way to current ones, the matrix's "today" column."""
from __future__ import annotations

import dataclasses

import pytest
from assistant_samples import BAC_KAN, BK_AGRI, BK_ROW_RURAL, CB_LEAD, DOCUMENTS, HN_LABOUR, YB_EDU, FakeRetriever, chunk, hits

from assistant.admin_changes import annotate_changes, department_rows_for, notes_for
from assistant.citations import validate_citations
from assistant.extractive import ExtractiveAnswerer
from assistant.scope import expand_filters, expand_provinces, province_choices, resolve_province
from assistant.service import Assistant
from assistant.standing import mark_standing, prefer_current
from assistant.today import record_today
from assistant.types import Answer, Citation
from index.doc_status import library_status
from index.types import Filters
from ingest.admin_changes import UnknownProvince
from ingest.types import DocumentMeta, ResponsibilityRecord

ALL = [YB_EDU, HN_LABOUR, BK_AGRI, BK_ROW_RURAL, CB_LEAD]


def make(chunks=ALL, documents=DOCUMENTS, notes=True):
    retriever = FakeRetriever(list(chunks))
    return Assistant(retriever, ExtractiveAnswerer(), documents=documents, change_notes=notes), retriever


# --- scope -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Thái Nguyên", "thai nguyen", "THÁI NGUYÊN"])
def test_a_unit_of_today_covers_its_predecessors(name):
    assert expand_provinces((name,), DOCUMENTS)[1:] == ("Bắc Kạn",)
    assert expand_filters(Filters(provinces=(name,)), DOCUMENTS).provinces[1:] == ("Bắc Kạn",)


def test_a_former_name_stays_itself_and_unchanged_provinces_are_untouched():
    assert expand_provinces(("Bắc Kạn",), DOCUMENTS) == ("Bắc Kạn",)
    assert expand_provinces(("Cao Bằng",), DOCUMENTS) == ("Cao Bằng",)
    assert expand_filters(None) is None and expand_filters(Filters(documents=("a",))) == Filters(documents=("a",))


@pytest.mark.parametrize(
    "name, canonical",
    [("Lào Cai", "Lào Cai"), ("lao cai", "Lào Cai"), ("Yên Bái", "Yên Bái"), ("yen bai", "Yên Bái"),
     ("Huế", "Thừa Thiên Huế"), ("hue", "Thừa Thiên Huế"), ("HN", "Hà Nội")],
)
def test_resolve_province_takes_former_and_current_names(name, canonical):
    assert resolve_province(name) == canonical


def test_unknown_province_is_a_one_line_error():
    with pytest.raises(UnknownProvince) as err:
        resolve_province("Atlantis")
    assert "\n" not in str(err.value) and "Atlantis" in str(err.value)


def test_picker_lists_former_and_current_names():
    assert province_choices(["Yên Bái", "Cao Bằng", "Bắc Kạn"]) == ("Bắc Kạn", "Cao Bằng", "Lào Cai", "Thái Nguyên", "Yên Bái")


def test_question_in_todays_name_answers_from_the_predecessors_plan_with_the_merger_note():
    assistant, retriever = make()
    answer = assistant.ask("Tỉnh Thái Nguyên giao ai chủ trì phân bổ ngân sách đào tạo nghề cho lao động nông thôn?")
    assert retriever.calls[0][2] == Filters(provinces=("Thái Nguyên", "Bắc Kạn"))
    assert not answer.abstained
    assert answer.citations[0].document == BAC_KAN.doc_id
    assert "Lưu ý: Bắc Kạn, nay thuộc tỉnh Thái Nguyên (từ 01/07/2025, Nghị quyết 202/2025/QH15 ngày 12/06/2025)" in answer.text
    basis = next(c for c in answer.citations if c.kind == "legal_basis")
    assert basis.number == "Nghị quyết 202/2025/QH15" and "Điều 1 khoản 3" in basis.section
    assert "dvhcvn/20250701" in basis.quote  # where it was read


def test_filter_in_todays_name_includes_the_predecessors_documents():
    assistant, retriever = make()
    assistant.ask("Ai chủ trì?", filters=Filters(provinces=("Lào Cai",)))
    assert retriever.calls[0][2] == Filters(provinces=("Lào Cai", "Yên Bái"))


# --- notes -----------------------------------------------------------------------------------------


def _answer(text, *chunks, language="vi"):
    body, citations = validate_citations(text, hits(*chunks))
    return Answer(text=body, citations=citations, abstained=False, language=language, hits=tuple(hits(*chunks)))


def test_vocational_duty_of_the_labour_department_gets_the_handover_note():
    answer = _answer(
        "Sở Lao động - Thương binh và Xã hội chủ trì triển khai kế hoạch đào tạo nghề cho lao động nông thôn [1].",
        BK_ROW_RURAL,
    )
    out = annotate_changes(answer, "Ai chủ trì đào tạo nghề?", DOCUMENTS)
    assert "nhiệm vụ giáo dục nghề nghiệp của Sở Lao động - Thương binh và Xã hội nay thuộc Sở Giáo dục và Đào tạo " \
           "(từ 01/03/2025, Nghị định 45/2025/NĐ-CP ngày 28/02/2025) [3]." in out.text
    assert out.text.startswith(answer.text)  # the answer's own markers are untouched
    kinds = [(c.n, c.kind) for c in out.citations]
    assert kinds == [(1, "passage"), (2, "legal_basis"), (3, "legal_basis")]
    assert out.hits == answer.hits


def test_english_answers_get_english_notes():
    answer = _answer("The Sở Lao động - Thương binh và Xã hội leads vocational training [1].", BK_ROW_RURAL, language="en")
    out = annotate_changes(answer, "Who leads vocational training?", DOCUMENTS)
    assert "Note: Bắc Kạn is now part of Thái Nguyên province (from 01/07/2025, Nghị quyết 202/2025/QH15" in out.text
    assert "Sở Lao động - Thương binh và Xã hội passed to Sở Giáo dục và Đào tạo from 01/03/2025 (Nghị định 45/2025/NĐ-CP" in out.text


def test_department_rows_are_chosen_by_the_duty_the_text_is_about():
    def news(context):
        return [r.new_agency for r in department_rows_for("Sở Lao động - Thương binh và Xã hội", context)]

    assert news("đào tạo nghề cho lao động nông thôn") == ["Sở Giáo dục và Đào tạo"]
    assert news("chính sách bảo trợ xã hội cho trẻ em") == ["Sở Y tế"]
    assert news("tuyển dụng, việc làm") == ["Sở Nội vụ"]  # the rest of the department merged into Sở Nội vụ
    assert [r.new_agency for r in department_rows_for("Sở Kế hoạch và Đầu tư", "")] == ["Sở Tài chính"]


def test_documents_written_after_a_change_get_no_note():
    late = DocumentMeta(doc_id="late.txt", province="Yên Bái", issued_date="2025-08-01")
    assert notes_for("Sở Kế hoạch và Đầu tư chủ trì", "", [late]) == []
    early = dataclasses.replace(late, issued_date="2025-02-01")
    assert [n.key for n in notes_for("Sở Kế hoạch và Đầu tư chủ trì", "", [early])] == [
        "province:Yên Bái", "department:Sở Kế hoạch và Đầu tư>Sở Tài chính"]


def test_a_loaded_text_that_states_the_change_is_cited_instead_of_the_act():
    qd11 = DocumentMeta(doc_id="hanoi_qd11-2025-qdubnd.pdf", province="Hà Nội", issued_date_text="năm 2025")
    support = chunk(qd11, 3, "Điều 1. Vị trí và chức năng. 1. Sở Giáo dục và Đào tạo thành phố Hà Nội ... quản lý nhà "
                             "nước về giáo dục mầm non, giáo dục phổ thông, giáo dục nghề nghiệp ...")
    retriever = FakeRetriever([support])
    answer = _answer("Sở Lao động - Thương binh và Xã hội chủ trì đào tạo nghề [1].", CB_LEAD)
    out = annotate_changes(answer, "", (*DOCUMENTS, qd11), retriever)
    note = next(c for c in out.citations if c.kind == "note")
    assert note.document == qd11.doc_id and note.chunk_id == support.id
    assert retriever.calls[0][2] == Filters(documents=(qd11.doc_id,))  # only documents of 2025 or later


def test_no_support_search_without_a_recent_document():
    retriever = FakeRetriever([CB_LEAD])
    annotate_changes(_answer("Sở Lao động - Thương binh và Xã hội chủ trì đào tạo nghề [1].", CB_LEAD), "", DOCUMENTS, retriever)
    assert retriever.calls == []


def test_abstentions_and_unchanged_answers_are_left_alone():
    abstained = Answer(text="Không tìm thấy.", citations=(), abstained=True)
    assert annotate_changes(abstained, "", DOCUMENTS) is abstained
    cao_bang = _answer("Kế hoạch triển khai bảo đảm hiệu quả [1].", CB_LEAD)
    assert annotate_changes(cao_bang, "", DOCUMENTS) is cao_bang


def test_notes_are_off_unless_asked_for():
    assistant, _ = make(notes=False)
    answer = assistant.ask("Tỉnh Thái Nguyên giao ai chủ trì phân bổ ngân sách đào tạo nghề cho lao động nông thôn?")
    assert all(c.kind == "passage" for c in answer.citations) and "Lưu ý" not in answer.text


# --- standing ----------------------------------------------------------------------------------------


OLD = DocumentMeta(doc_id="qd22.pdf", number="22/2024/QĐ-UBND", province="Hà Nội", issued_date="2024-03-07")
NEW = DocumentMeta(doc_id="qd11.pdf", number="11/2025/QĐ-UBND", province="Hà Nội", replaces=("22/2024/QĐ-UBND|2024",))
OLD_TEXT = chunk(OLD, 1, "Sở Giáo dục và Đào tạo quản lý nhà nước về giáo dục mầm non, phổ thông.")
NEW_TEXT = chunk(NEW, 1, "Sở Giáo dục và Đào tạo quản lý nhà nước về giáo dục mầm non, phổ thông, giáo dục nghề nghiệp.")


def test_current_documents_come_before_the_ones_they_replace():
    statuses = library_status([OLD, NEW])
    assert [h.chunk.doc_id for h in prefer_current(hits(OLD_TEXT, NEW_TEXT), statuses)] == ["qd11.pdf", "qd22.pdf"]
    # a replaced document whose replacement was not retrieved keeps its place
    assert [h.chunk.doc_id for h in prefer_current(hits(OLD_TEXT, CB_LEAD), statuses)] == ["qd22.pdf", CB_LEAD.doc_id]


def test_answer_from_the_current_document_mentions_the_replaced_one():
    statuses = library_status([OLD, NEW])
    retrieved = prefer_current(hits(OLD_TEXT, NEW_TEXT), statuses)
    body, citations = validate_citations("Sở Giáo dục và Đào tạo quản lý giáo dục nghề nghiệp [1].", retrieved)
    out = mark_standing(Answer(body, citations, False), retrieved, statuses)
    assert "Lưu ý: 22/2024/QĐ-UBND cũng đề cập nội dung này nhưng đã bị thay thế bởi 11/2025/QĐ-UBND [2]." in out.text
    assert out.citations[1].document == "qd22.pdf" and out.citations[1].kind == "note"
    assert out.citations[1].status == "bị thay thế bởi 11/2025/QĐ-UBND"
    assert out.citations[1].to_dict()["status"] == "bị thay thế bởi 11/2025/QĐ-UBND"


def test_citation_dict_keeps_its_keys_for_plain_passages():
    c = Citation(1, "a.txt", "T", "1/KH", "", None, "q")
    assert set(c.to_dict()) == {"n", "document", "title", "number", "section", "page", "quote"}
    assert dataclasses.replace(c, kind="legal_basis").to_dict()["kind"] == "legal_basis"


# --- today column --------------------------------------------------------------------------------


def _record(lead, task, province="Bắc Kạn"):
    return ResponsibilityRecord(task=task, lead=lead, coordinators=(), document=BAC_KAN.doc_id, province=province,
                                section="", quote=task)


def test_today_column_for_a_vocational_task_of_the_labour_department():
    today = record_today(_record(("Sở Lao động - Thương binh và Xã hội",), "Chỉ đạo các cơ sở giáo dục nghề nghiệp nâng cao chất lượng"))
    assert today.changed and today.text() == "Sở Giáo dục và Đào tạo (Thái Nguyên)"
    assert today.basis == ("Nghị định 45/2025/NĐ-CP ngày 28/02/2025 (từ 01/03/2025); "
                           "Nghị quyết 202/2025/QH15 ngày 12/06/2025 (từ 01/07/2025)")


def test_today_column_is_empty_when_nothing_changed():
    today = record_today(_record(("Sở Giáo dục và Đào tạo",), "Tuyển sinh", province="Cao Bằng"))
    assert not today.changed and today.text() == "" and today.basis == ""
