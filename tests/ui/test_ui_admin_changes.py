"""Issue 12 in the UI: legal-basis source cards, citation standing, the library's standing and today columns,
the responsibility matrix's "today" column and the province picker in today's names."""
from __future__ import annotations

from assistant.types import Answer, Citation
from index.types import DocumentInfo
from ingest.types import DocumentMeta, ResponsibilityRecord
from ui.catalog import Catalog
from ui.render import answer_plain_text, library_table, render_answer
from ui.responsibilities_view import RecordQuery, csv_rows, filter_records, render_table

PASSAGE = Citation(1, "bac-kan-37-KH-UBND-2022.txt", "Kế hoạch", "37/KH-UBND", "II", None, "đào tạo nghề",
                   chunk_id="bk#1", province="Bắc Kạn", status="hết thời hạn (2025)")
BASIS = Citation(2, "admin-changes-2025:nq202-2025", "về sắp xếp đơn vị hành chính cấp tỉnh", "Nghị quyết 202/2025/QH15",
                 "Điều 1 khoản 3", None, "Tỉnh Thái Nguyên được hình thành từ Thái Nguyên, Bắc Kạn.\nĐã đọc tại: x",
                 chunk_id="admin-changes-2025:province:Bắc Kạn", issuer="Quốc hội", kind="legal_basis")
ANSWER = Answer("30.000 người [1]\n\nLưu ý: Bắc Kạn, nay thuộc tỉnh Thái Nguyên [2].", (PASSAGE, BASIS), False)


def test_legal_basis_card_has_no_open_link_and_passage_card_shows_its_standing():
    html = render_answer(ANSWER, "q", "a1", "vi")
    assert 'class="pc-card pc-card-legal"' in html and "Căn cứ pháp lý: Nghị quyết 202/2025/QH15" in html
    legal = html.split('pc-card-legal', 1)[1]
    assert "pc-open" not in legal.split("</div></div>", 1)[0]
    assert "hết thời hạn (2025)" in html and html.count('class="pc-cite"') == 2
    text = answer_plain_text("q", ANSWER, "en")
    assert "[2] Legal basis: Nghị quyết 202/2025/QH15" in text and "Standing: hết thời hạn (2025)" in text


def test_library_shows_standing_and_the_province_of_today():
    meta = DocumentMeta(doc_id="bk.txt", number="37/KH-UBND", province="Bắc Kạn", issued_date="2022-01-21", period_end="2025")
    table = library_table([DocumentInfo(meta, 3, "")], "en")
    assert table["headers"][-2:] == ["Standing", "Province today"]
    assert table["data"][0][-1] == "Thái Nguyên" and table["data"][0][-2].startswith(("expired", "current"))


def test_plan_picker_in_todays_name_lists_the_predecessors_plans():
    infos = (DocumentInfo(DocumentMeta(doc_id="bk.txt", province="Bắc Kạn"), 1, ""),
             DocumentInfo(DocumentMeta(doc_id="cb.txt", province="Cao Bằng"), 1, ""))
    catalog = Catalog(infos=infos, provinces=("Bắc Kạn", "Cao Bằng", "Thái Nguyên"), labels={"bk.txt": "BK", "cb.txt": "CB"})
    assert catalog.plan_choices(["Thái Nguyên"]) == [("BK", "bk.txt")]


def test_responsibility_matrix_today_column_with_its_legal_basis():
    record = ResponsibilityRecord(task="Chỉ đạo các cơ sở giáo dục nghề nghiệp nâng cao chất lượng đào tạo",
                                  lead=("Sở Lao động - Thương binh và Xã hội",), coordinators=(), document="bk.txt",
                                  province="Bắc Kạn", section="", quote="q")
    view = filter_records((record,), RecordQuery())
    html = render_table(view, {}, "vi")
    assert "Sở Giáo dục và Đào tạo (Thái Nguyên)" in html and "Nghị định 45/2025/NĐ-CP" in html
    rows = csv_rows(view, {}, "en")
    assert rows[0][-2:] == ["Today (after the 2025 mergers)", "Legal basis (today)"]
    assert rows[1][-2] == "Sở Giáo dục và Đào tạo (Thái Nguyên)" and rows[1][-1].startswith("Nghị định 45/2025/NĐ-CP")
