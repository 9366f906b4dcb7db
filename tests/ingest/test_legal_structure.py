"""Legal structure (Phần/Chương/Mục/Điều/khoản/điểm), attached documents, page furniture, article packing."""
from __future__ import annotations

import re

import pytest

from ingest.chunker import chunk_document
from ingest.furniture import strip_page_furniture
from ingest.legal import QuoteTracker, article_label, inner_mark, outer_mark, short_section
from ingest.loaders import load_document
from ingest.packing import range_label
from ingest.structure import CLOSING_LABEL, PREAMBLE_LABEL, is_closing_line, parse_sections
from ingest.tables import read_tables
from ingest.types import Document, DocumentMeta

ARTICLE_LINE = re.compile(r"^[ \t]*Điều\s+\d+[a-zđ]?\s*[.:]", re.M)


def paths(text: str) -> list[tuple[str, ...]]:
    tables = read_tables(text.split("\n"))
    return [s.path for s in parse_sections(text, exclude=[(t.start, t.end) for t in tables])]


LAW = """QUỐC HỘI
LUẬT
THANH TRA
Căn cứ Hiến pháp;
Chương I
NHỮNG QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Luật này quy định về tổ chức và hoạt động thanh tra.
Điều 2. Giải thích từ ngữ
Trong Luật này, các từ ngữ dưới đây được hiểu như sau:
1. Thanh tra là hoạt động xem xét.
2. Người tiến hành thanh tra bao gồm:
a) Người ra quyết định thanh tra;
b) Trưởng đoàn thanh tra.
Chương II
TỔ CHỨC CƠ QUAN THANH TRA
Mục 1. THANH TRA CHÍNH PHỦ
Điều 3. Vị trí và chức năng
Thanh tra Chính phủ là cơ quan của Chính phủ.
5. Chính phủ quy định chi tiết Điều này.
"""


def test_law_nests_chapter_section_article_clause_point():
    got = paths(LAW)
    assert got[0] == (PREAMBLE_LABEL,)
    assert ("Chương I. NHỮNG QUY ĐỊNH CHUNG", "Điều 1. Phạm vi điều chỉnh") in got
    assert ("Chương I. NHỮNG QUY ĐỊNH CHUNG", "Điều 2. Giải thích từ ngữ", "khoản 1") in got
    assert ("Chương I. NHỮNG QUY ĐỊNH CHUNG", "Điều 2. Giải thích từ ngữ", "khoản 2", "điểm b") in got
    assert ("Chương II. TỔ CHỨC CƠ QUAN THANH TRA", "Mục 1. THANH TRA CHÍNH PHỦ", "Điều 3. Vị trí và chức năng",
            "khoản 5") in got
    # a clause is never the section title of a passage: "5. Chính phủ quy định chi tiết Điều này."
    assert not any(p[-1].startswith("5. Chính phủ") for p in got)


def test_chunks_keep_whole_articles_and_render_the_article_path():
    doc = Document(DocumentMeta(doc_id="luat.docx"), LAW)
    chunks = [c for c in chunk_document(doc, max_chars=400, overlap_chars=50) if c.kind == "text"]
    for c in chunks:
        assert len(ARTICLE_LINE.findall(c.text)) <= 1
    article2 = next(c for c in chunks if "Điều 2." in c.text)
    assert article2.section == "Chương I. NHỮNG QUY ĐỊNH CHUNG › Điều 2. Giải thích từ ngữ"
    assert "b) Trưởng đoàn" in article2.text  # the whole article fits: one chunk


def test_short_section_cites_from_the_article_on():
    assert short_section(("Chương II. TỔ CHỨC", "Điều 3. Vị trí và chức năng", "khoản 1")) == "Điều 3 › khoản 1"
    assert short_section(("QUYẾT ĐỊNH", "Điều 2")) == "Điều 2"
    assert short_section(("III. TỔ CHỨC THỰC HIỆN", "1. Sở Tài chính")) == "III. TỔ CHỨC THỰC HIỆN › 1. Sở Tài chính"


def test_long_articles_are_packed_by_clauses():
    clauses = "\n".join(f"{k}. Nội dung khoản {k} " + "rất dài " * 30 for k in range(1, 6))
    text = f"Điều 4. Nguyên tắc\n{clauses}\nĐiều 5. Hiệu lực\nLuật này có hiệu lực.\n"
    doc = Document(DocumentMeta(doc_id="x.docx"), text)
    chunks = [c for c in chunk_document(doc, max_chars=600, overlap_chars=50) if c.kind == "text"]
    art4 = [c for c in chunks if c.section_path[0] == "Điều 4. Nguyên tắc"]
    assert [c.section_path[-1] for c in art4] == ["khoản 1–2", "khoản 3–4", "khoản 5"]
    assert art4[0].text.startswith("Điều 4. Nguyên tắc")
    assert all(c.text == text[c.start:c.end] for c in chunks)
    assert not any("Điều 5" in c.text for c in art4)


def test_quoted_amended_articles_are_content():
    text = (
        "CHÍNH PHỦ\nNGHỊ ĐỊNH\nSửa đổi Nghị định số 75/2021/NĐ-CP\n"
        "Điều 1. Sửa đổi, bổ sung một số điều của Nghị định số 75/2021/NĐ-CP\n"
        "1. Sửa đổi, bổ sung Điều 3 như sau:\n“Điều 3. Mức chuẩn trợ cấp ưu đãi\n"
        "1. Mức chuẩn là 2.055.000 đồng.\n2. Mức chuẩn làm căn cứ tính trợ cấp.”.\n"
        "2. Bổ sung khoản 4 Điều 5.\nĐiều 2. Điều khoản thi hành\nNghị định này có hiệu lực.\n"
    )
    got = paths(text)
    assert ("Điều 1. Sửa đổi, bổ sung một số điều của Nghị định số 75/2021/NĐ-CP", "khoản 1") in got
    assert ("Điều 1. Sửa đổi, bổ sung một số điều của Nghị định số 75/2021/NĐ-CP", "khoản 2") in got
    assert not any(any(part.startswith("Điều 3") for part in p) for p in got)
    assert ("Điều 2. Điều khoản thi hành",) in got


DECISION_WITH_ATTACHMENT = """| UỶ BAN NHÂN DÂN TỈNH GIA LAI | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
|---|---|
| Số: 31/2011/QĐ-UBND | Gia Lai, ngày 10 tháng 11 năm 2011 |

QUYẾT ĐỊNH

VỀ VIỆC BAN HÀNH QUY ĐỊNH MIỄN, GIẢM TIỀN SỬ DỤNG ĐẤT

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này là Quy định về miễn, giảm tiền sử dụng đất.

Điều 2. Quyết định này có hiệu lực thi hành sau 10 ngày, kể từ ngày ký.

Điều 3. Chánh văn phòng UBND tỉnh; Giám đốc các Sở chịu trách nhiệm thi hành Quyết định này./.

|  | TM. UỶ BAN NHÂN DÂN TỈNH CHỦ TỊCH Phạm Thế Dũng |
|---|---|

QUY ĐỊNH

VỀ TRÌNH TỰ, THỦ TỤC MIỄN, GIẢM TIỀN SỬ DỤNG ĐẤT (Ban hành kèm theo Quyết định số 31/2011/QĐ-UBND)

Chương I

QUY ĐỊNH CHUNG

Điều 1. Nguyên tắc chung

1. Quy định này quy định về trình tự, thủ tục.

Điều 2. Điều kiện

Phải có hồ sơ gốc.
"""


def test_decision_articles_and_attached_regulation_have_different_outer_titles():
    got = paths(DECISION_WITH_ATTACHMENT)
    assert ("QUYẾT ĐỊNH", "Điều 1") in got and ("QUYẾT ĐỊNH", "Điều 3") in got
    assert (CLOSING_LABEL,) in got
    attached = "QUY ĐỊNH VỀ TRÌNH TỰ, THỦ TỤC MIỄN, GIẢM TIỀN SỬ DỤNG ĐẤT"
    assert (attached, "Chương I. QUY ĐỊNH CHUNG", "Điều 2. Điều kiện") in got
    assert any(p[:3] == (attached, "Chương I. QUY ĐỊNH CHUNG", "Điều 1. Nguyên tắc chung") for p in got)
    # "QUY ĐỊNH CHUNG" under "Chương I" is a chapter title, not another attachment
    assert not any(p[0] == "QUY ĐỊNH CHUNG" for p in got)


def test_attachment_header_cells_stay_out_of_body_sections():
    text = DECISION_WITH_ATTACHMENT.replace(
        "QUY ĐỊNH\n\nVỀ TRÌNH TỰ",
        "ỦY BAN NHÂN DÂN TỈNH GIA LAI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "QUY ĐỊNH\n\nVỀ TRÌNH TỰ",
    )
    sections = parse_sections(text)
    motto = text.index("Độc lập")
    holder = next(s for s in sections if s.start <= motto < s.end)
    assert holder.kind in ("appendix", "closing") and len(holder.path) == 1


def test_flattened_signer_rows_close_the_body():
    assert is_closing_line("| Nơi nhận: - Như Điều 3; - Lưu: VT. | TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Nguyễn Văn A |")
    assert is_closing_line("|  | TM. UỶ BAN NHÂN DÂN TỈNH CHỦ TỊCH Phạm Thế Dũng |")
    assert not is_closing_line("| STT | Nội dung | Đơn vị chủ trì |")
    assert not is_closing_line("Điều 3. Tổ chức thực hiện")


def test_marks_and_labels():
    assert outer_mark("Chương II").label == "Chương II"
    assert outer_mark("Mục 1. THANH TRA CHÍNH PHỦ").title == "THANH TRA CHÍNH PHỦ"
    assert outer_mark("Điều 44 Nghị định số 105/2025/NĐ-CP") is None  # a citation, not an article
    assert inner_mark("1. Thanh tra là hoạt động").label == "khoản 1"
    assert inner_mark("đ) Xây dựng cổng thông tin").label == "điểm đ"
    assert article_label(outer_mark("Điều 3. Mục đích hoạt động thanh tra")) == "Điều 3. Mục đích hoạt động thanh tra"
    assert article_label(outer_mark("Điều 2. Quyết định này có hiệu lực kể từ ngày ký.")) == "Điều 2"
    assert article_label(outer_mark("Điều 2. Thời hạn ủy quyền: Từ ngày ký đến hết năm 2027.")) == \
        "Điều 2. Thời hạn ủy quyền"
    assert range_label(["khoản 1", "khoản 2", "khoản 3"]) == "khoản 1–3"
    assert range_label(["khoản 4"]) == "khoản 4"


def test_quote_tracker_follows_quotation_marks_and_resets_at_a_real_article():
    q = QuoteTracker()
    assert [q.inside(x) for x in ["1. Sửa đổi Điều 3 như sau:", "“Điều 3. Mức chuẩn", "1. Mức chuẩn.”.", "2. Tiếp"]] == \
        [False, True, True, False]
    q = QuoteTracker()
    assert [q.inside(x) for x in ["“Điều 3. Mức chuẩn", "nội dung không đóng ngoặc", "Điều 4. Hiệu lực"]] == \
        [True, True, False]


def test_page_numbers_and_running_headers_are_removed():
    pages = ["BỘ TÀI CHÍNH\nNội dung trang một", "2\nCông báo số 5\nNội dung trang hai", "Công báo số 5\nNội dung ba\n- 3 -",
             "4\nCông báo số 5\nNội dung bốn"]
    out = strip_page_furniture(pages)
    assert out[0].strip() == "BỘ TÀI CHÍNH\nNội dung trang một"
    assert [p.strip() for p in out[1:]] == ["Nội dung trang hai", "Nội dung ba", "Nội dung bốn"]
    # a number that is not the page's own number stays
    assert strip_page_furniture(["a", "7\nb"])[1].strip() == "7\nb"


# ------------------------------------------------------------------ real documents


@pytest.fixture(scope="module")
def dev_docs(external_dir):
    return external_dir / "dev-docs"


def _straddlers(doc, chunks) -> list[str]:
    heads = [m.start() for m in ARTICLE_LINE.finditer(doc.text)]
    bad = []
    for c in chunks:
        if c.kind != "text":
            continue
        inside = [h for h in heads if c.start < h < c.end]
        if len(inside) >= 2:
            bad.append(c.text[:80])
        elif inside:
            prefix = [ln.strip() for ln in doc.text[c.start:inside[0]].split("\n") if ln.strip()]
            if any(any(ch.islower() for ch in ln) and not re.match(r"^(?:Chương|Mục|Phần)\s", ln)
                   and "kèm theo" not in ln.lower() and "Độc lập" not in ln for ln in prefix):
                bad.append(c.text[:80])
    return bad


@pytest.mark.parametrize("name", [
    "national_luat84-2025_thanh-tra.docx",
    "gia-lai_qd31-2011_mien-giam-tien-su-dung-dat-nguoi-co-cong.md",
    "hcm_qd49-2012-qdubnd_quy-che-kinh-phi-uu-dai-nguoi-co-cong.txt",
    "national_tt101-2018_kinh-phi-uu-dai-nguoi-co-cong.md",
    "ha-noi_qd03-2025_su-dung-kinh-phi-chi-thuong-xuyen-luat-thu-do.pdf",
    "ha-noi_qd35-2024_quy-che-cong-dan-thu-do-uu-tu.pdf",
    "national_nd55-2023_sua-doi-nd75-2021-uu-dai-nguoi-co-cong.pdf",
])
def test_no_chunk_straddles_two_articles(dev_docs, name):
    doc = load_document(dev_docs / name)
    assert _straddlers(doc, chunk_document(doc)) == []


def test_law_passages_are_labelled_by_article_and_clause(dev_docs):
    doc = load_document(dev_docs / "national_luat84-2025_thanh-tra.docx")
    chunks = [c for c in chunk_document(doc) if c.kind == "text"]
    assert not any(re.match(r"\d+\. ", c.section_path[-1]) for c in chunks)
    art7 = [c for c in chunks if any(p.startswith("Điều 7. ") for p in c.section_path)]
    assert art7 and art7[0].section_path[0].startswith("Chương II")
    assert any(p.startswith("Mục 1. THANH TRA CHÍNH PHỦ") for c in chunks for p in c.section_path)


def test_gia_lai_decision_keeps_its_articles_and_the_attached_regulation(dev_docs):
    doc = load_document(dev_docs / "gia-lai_qd31-2011_mien-giam-tien-su-dung-dat-nguoi-co-cong.md")
    chunks = [c for c in chunk_document(doc) if c.kind == "text"]
    decision = {p for c in chunks for p in c.section_path[1:2] if c.section_path[0] == "QUYẾT ĐỊNH"}
    assert {"Điều 1", "Điều 2", "Điều 3"} <= {p.split(".")[0] for p in decision}
    regulation = [c for c in chunks if c.section_path[0].startswith("QUY ĐỊNH VỀ TRÌNH TỰ, THỦ TỤC")]
    numbers = {re.match(r"Điều (\d+)", p).group(1) for c in regulation for p in c.section_path if p.startswith("Điều ")}
    assert numbers == {str(k) for k in range(1, 10)}


def test_pdf_page_numbers_do_not_reach_the_text(dev_docs):
    doc = load_document(dev_docs / "national_nd55-2023_sua-doi-nd75-2021-uu-dai-nguoi-co-cong.pdf")
    for span in doc.pages[1:]:
        first = doc.text[span.start:span.end].strip().split("\n", 1)[0]
        assert first.strip() != str(span.page)


def test_plan_attached_to_a_decision_keeps_its_plan_structure(dev_docs):
    doc = load_document(dev_docs / "national_qd773-2018_ke-hoach-thuc-hien-chi-thi-14-nguoi-co-cong.md")
    got = {s.path for s in parse_sections(doc.text)}
    plan = next(p[0] for p in got if p[0].startswith("KẾ HOẠCH THỰC HIỆN CHỈ THỊ"))
    assert (plan, "III. TỔ CHỨC THỰC HIỆN", "2. Bộ Quốc phòng") in got
    assert ("QUYẾT ĐỊNH", "Điều 3") in got
