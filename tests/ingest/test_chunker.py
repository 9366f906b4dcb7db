"""Chunks follow the structure, cover the whole text, keep table headers with values."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from ingest.card import card_text
from ingest.chunker import chunk_document, split_span
from ingest.reflow import reflow
from ingest.structure import CLOSING_LABEL, PREAMBLE_LABEL, parse_sections
from ingest.tables import read_tables
from ingest.types import CHUNK_KINDS, Document, DocumentMeta, PageSpan

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample_plans"
NAMES = sorted(p.name for p in SAMPLES.glob("*.txt"))

META = {
    "bac-kan-37-KH-UBND-2022.txt": dict(
        number="37/KH-UBND", province="Bắc Kạn", issuer="Ủy ban nhân dân tỉnh Bắc Kạn", issued_date="2022-01-21",
        issued_date_text="ngày 21 tháng 01 năm 2022", signer="Phạm Duy Hưng", signer_title="KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        title="Triển khai thực hiện Nghị quyết số 96/NQ-HĐND về phát triển giáo dục nghề nghiệp giai đoạn 2021-2025"),
    "yen-bai-49-KH-UBND-2020.txt": dict(
        number="49/KH-UBND", province="Yên Bái", issuer="Ủy ban nhân dân tỉnh Yên Bái", issued_date="2020-03-03",
        issued_date_text="ngày 03 tháng 3 năm 2020", signer="Dương Văn Tiến", signer_title="KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        title="Triển khai thực hiện Đề án giáo dục hướng nghiệp và định hướng phân luồng học sinh năm 2020"),
    "ha-noi-72-KH-UBND-2022.txt": dict(
        number="72/KH-UBND", province="Hà Nội", issuer="Ủy ban nhân dân thành phố Hà Nội", issued_date="2022-03-04",
        signer="Chủ Xuân Dũng", signer_title="KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        title="Khắc phục hạn chế, khuyết điểm trong công tác giáo dục nghề nghiệp năm 2021"),
    "hai-duong-KH-SLDTBXH-2023.txt": dict(
        number="KH-SLĐTBXH", province="Hải Dương", issued_date_text="tháng 9 năm 2023", signer="Bùi Quốc Trình"),
    "cao-bang-3058-KH-UBND-2024.txt": dict(number="3058/KH-UBND", province="Cao Bằng", issued_date="2024-11-12"),
}


def own_document(name: str) -> Document:
    """NFC, emphasis and web boilerplate removed, re-flowed; metadata filled by hand; two pages."""
    text = unicodedata.normalize("NFC", (SAMPLES / name).read_text(encoding="utf-8"))
    text = re.sub(r"\*\*", "", text)
    text = re.sub(r"(?<![\w*])\*(\S[^*\n]*?)\*(?![\w*])", r"\1", text)
    lines = [line for line in text.split("\n")
             if line.strip() not in ("Dịch vụ doanh nghiệp online toàn quốc", "Đang tải nội dung, vui lòng chờ giây lát...")]
    text = reflow("\n".join(lines))
    half = len(text) // 2
    return Document(DocumentMeta(doc_id=name, **META[name]), text, (PageSpan(1, 0, half), PageSpan(2, half, len(text))))


def loader_document(name: str) -> Document:
    loaders = pytest.importorskip("ingest.loaders")
    return loaders.load_document(SAMPLES / name)


BUILDERS = {"own": own_document, "loader": loader_document}


@pytest.fixture(scope="module")
def chunked():
    cache: dict = {}

    def get(name: str, builder: str = "own", **kwargs):
        key = (name, builder, tuple(sorted(kwargs.items())))
        if key not in cache:
            doc = BUILDERS[builder](name)
            cache[key] = (doc, chunk_document(doc, **kwargs))
        return cache[key]

    return get


def sections_for(doc: Document):
    tables = read_tables(doc.text.split("\n"))
    return parse_sections(doc.text, exclude=[(t.start, t.end) for t in tables])


# ------------------------------------------------------------------ invariants, every sample


@pytest.mark.parametrize("builder", sorted(BUILDERS))
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("max_chars,overlap", [(1200, 200), (500, 100)])
def test_chunk_invariants(chunked, name, builder, max_chars, overlap):
    doc, chunks = chunked(name, builder, max_chars=max_chars, overlap_chars=overlap)
    text = doc.text
    assert chunks[0].kind == "card" and chunks[0].position == 0 and chunks[0].start == -1
    assert [c.position for c in chunks] == list(range(len(chunks)))
    assert all(c.kind in CHUNK_KINDS and c.doc_id == doc.meta.doc_id and c.meta == doc.meta for c in chunks)
    assert len({c.id for c in chunks}) == len(chunks)

    sections = sections_for(doc)
    for chunk in (c for c in chunks if c.kind == "text"):
        assert text[chunk.start:chunk.end] == chunk.text and chunk.text.strip() == chunk.text
        assert 0 < len(chunk.text) <= max_chars
        # Inside the one section whose heading path it carries.
        home = [s for s in sections if s.path == chunk.section_path and s.start <= chunk.start and chunk.end <= s.end]
        assert len(home) == 1, (chunk.section_path, chunk.start, chunk.end)
        assert chunk.page == doc.page_at(chunk.start)

    # Nothing lost: every non-space character lies in some text or table-row chunk.
    covered = bytearray(len(text))
    for chunk in chunks[1:]:
        covered[chunk.start:chunk.end] = b"\x01" * (chunk.end - chunk.start)
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert not missing, text[missing[0] - 40:missing[0] + 40]

    # Pieces of one section overlap by at most overlap_chars, and never skip text.
    texts = [c for c in chunks if c.kind == "text"]
    for a, b in zip(texts, texts[1:]):
        assert b.start >= a.start
        if a.section_path == b.section_path and b.start < a.end:
            assert a.end - b.start <= overlap


@pytest.mark.parametrize("name", NAMES)
def test_chunk_ids_are_stable_across_runs(name):
    doc = own_document(name)
    first, second = chunk_document(doc), chunk_document(own_document(name))
    assert [c.id for c in first] == [c.id for c in second]
    assert [(c.text, c.start, c.end, c.section_path) for c in first] == [
        (c.text, c.start, c.end, c.section_path) for c in second]


def test_ids_change_with_content():
    doc = own_document("cao-bang-3058-KH-UBND-2024.txt")
    edited = Document(doc.meta, doc.text.replace("6.000", "7.000"), doc.pages)
    before, after = chunk_document(doc), chunk_document(edited)
    assert {c.id for c in before} != {c.id for c in after}
    assert before[0].id == after[0].id  # the card did not change


# ------------------------------------------------------------------ structure in chunks


def test_heading_paths_and_preamble_and_closing(chunked):
    _, chunks = chunked("bac-kan-37-KH-UBND-2022.txt")
    paths = {c.section_path for c in chunks if c.kind == "text"}
    assert ("III. TỔ CHỨC THỰC HIỆN", "7. Sở Nông nghiệp và Phát triển nông thôn") in paths
    preamble = next(c for c in chunks if c.section_path == (PREAMBLE_LABEL,))
    assert "Số: 37/KH-UBND" in preamble.text and "KẾ HOẠCH" in preamble.text
    closing = next(c for c in chunks if c.section_path == (CLOSING_LABEL,))
    assert closing.text.startswith("Nơi nhận:") and "Phạm Duy Hưng" in closing.text and "KT. CHỦ TỊCH" in closing.text
    # The heading-only "III." is folded into its first child's chunk, not a chunk of its own.
    first_iii = next(c for c in chunks if c.section_path and c.section_path[0] == "III. TỔ CHỨC THỰC HIỆN")
    assert first_iii.text.startswith("III. TỔ CHỨC THỰC HIỆN\n1. Sở Lao động - Thương binh và Xã hội")
    assert not any(c.text.strip() in ("III. TỔ CHỨC THỰC HIỆN", "2. Mục tiêu cụ thể") for c in chunks)


def test_long_section_is_split_with_overlap_at_sentence_or_line_starts(chunked):
    doc, chunks = chunked("yen-bai-49-KH-UBND-2020.txt")

    def text_before(chunk, n):
        return doc.text[max(0, chunk.start - n):chunk.start]

    path = ("V. TỔ CHỨC THỰC HIỆN", "1. Sở Giáo dục và Đào tạo")
    pieces = [c for c in chunks if c.section_path == path]
    assert len(pieces) >= 2
    for a, b in zip(pieces, pieces[1:]):
        assert a.end - b.start <= 200 and b.start <= a.end + 2
        assert b.text[0].isupper() or b.text.startswith("- ") or text_before(b, 2).rstrip().endswith((";", ":"))
    doc, all_chunks = chunked("cao-bang-3058-KH-UBND-2024.txt")
    body = [c for c in all_chunks if c.kind == "text"]
    assert any(a.end > b.start for a, b in zip(body, body[1:]))  # overlapping where sentences allow


def test_hai_duong_and_ha_noi_closing_chunks(chunked):
    for name, signer in (("hai-duong-KH-SLDTBXH-2023.txt", "Bùi Quốc Trình"), ("ha-noi-72-KH-UBND-2022.txt", "Chủ Xuân Dũng")):
        _, chunks = chunked(name)
        closing = [c for c in chunks if c.section_path == (CLOSING_LABEL,)]
        assert closing and signer in closing[-1].text


# ------------------------------------------------------------------ table rows


def _row_chunk(chunks, needle: str):
    return next(c for c in chunks if c.kind == "table_row" and needle in c.text)


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_bac_kan_table_rows_keep_headers_with_values(chunked, builder):
    doc, chunks = chunked("bac-kan-37-KH-UBND-2022.txt", builder)
    row = _row_chunk(chunks, "NỘI DUNG CÔNG VIỆC: Tuyên truyền, truyền thông GDNN")
    lines = row.text.split("\n")
    assert lines[0] == ("BIỂU KẾ HOẠCH TRIỂN KHAI THỰC HIỆN NGHỊ QUYẾT SỐ 96/NQ-HĐND NGÀY 07/12/2021 CỦA HĐND TỈNH"
                        " › I Tăng cường sự lãnh đạo, chỉ đạo, tuyên truyền, triển khai công tác giáo dục nghề nghiệp")
    assert "ĐƠN VỊ CHỦ TRÌ: Sở Thông tin và Truyền thông, Sở Lao động-TB&XH" in lines
    assert any(line.endswith("Năm 2022: 150") for line in lines)
    assert any(line.endswith("TỔNG KINH PHÍ GIAI ĐOẠN 2021-2025: 600") for line in lines)
    assert not any(line.startswith("KINH PHÍ CÁC CHƯƠNG TRÌNH MTQG") for line in lines)  # empty cells left out
    assert row.section_path[0].startswith("BIỂU KẾ HOẠCH") and row.section_path[1].startswith("I Tăng cường")
    span = doc.text[row.start:row.end]
    assert span.startswith("1\n|\nTuyên truyền, truyền thông GDNN") and "600" in span
    total = _row_chunk(chunks, "NỘI DUNG CÔNG VIỆC: TỔNG KINH PHÍ")
    assert total.section_path == (row.section_path[0],) and "TỔNG KINH PHÍ GIAI ĐOẠN 2021-2025: 5.000" in total.text


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_yen_bai_table_rows(chunked, builder):
    doc, chunks = chunked("yen-bai-49-KH-UBND-2020.txt", builder)
    row = _row_chunk(chunks, "TT: 1.1\n")
    assert "Cơ quan/Lãnh đạo chủ trì chịu: Sở Thông tin và Truyền thông" in row.text.split("\n")
    assert "Thời gian hoàn thành: Xong trước ngày 05/3/2020" in row.text.split("\n")
    assert row.section_path[0].startswith("PHỤ LỤC 04 KẾ HOẠCH TRIỂN KHAI CÁC NỘI DUNG")
    assert row.section_path[1] == "II CÁC NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU"
    assert row.text.split("\n")[0].startswith("PHỤ LỤC 04") and " › II CÁC NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU › " in row.text
    assert doc.text[row.start:row.end].startswith("1.1\n\nXây dựng Kế hoạch thông tin")

    tp = _row_chunk(chunks, "ĐƠN VỊ: TP Yên Bái\nTỶ LỆ % HỌC SINH SAU TỐT NGHIỆP THCS")
    assert tp.section_path[0].startswith("PHỤ LỤC 02") and tp.text.endswith(": 9,3%")
    header_chunk = next(c for c in chunks if c.kind == "text" and c.section_path == (tp.section_path[0],))
    assert "TT" in header_chunk.text and "GHI CHÚ" in header_chunk.text and "(Kèm theo" in header_chunk.text


def test_table_rows_are_not_also_text_chunks(chunked):
    _, chunks = chunked("yen-bai-49-KH-UBND-2020.txt")
    rows = [(c.start, c.end) for c in chunks if c.kind == "table_row"]
    for chunk in (c for c in chunks if c.kind == "text"):
        assert not any(a < chunk.end and chunk.start < b for a, b in rows)


def test_inline_table_inside_a_section():
    text = "\n".join([
        "I. KINH PHÍ", "Kinh phí thực hiện như sau:",
        "TT | Nội dung | Kinh phí (triệu đồng)", "1 | Tuyên truyền | 150", "2 | Hội nghị | ",
        "Các đơn vị bố trí kinh phí.", "II. TỔ CHỨC THỰC HIỆN", "Sở Tài chính chủ trì.",
    ])
    doc = Document(DocumentMeta(doc_id="x.txt"), text)
    chunks = chunk_document(doc)
    rows = [c for c in chunks if c.kind == "table_row"]
    assert [r.text.split("\n")[1:] for r in rows] == [
        ["TT: 1", "Nội dung: Tuyên truyền", "Kinh phí (triệu đồng): 150"],
        ["TT: 2", "Nội dung: Hội nghị"],
    ]
    assert rows[0].section_path == ("Kinh phí thực hiện như sau:",)
    texts = [(c.section_path, c.text) for c in chunks if c.kind == "text"]
    assert texts[0] == (("I. KINH PHÍ",), "I. KINH PHÍ\nKinh phí thực hiện như sau:\nTT | Nội dung | Kinh phí (triệu đồng)")
    assert texts[1] == (("I. KINH PHÍ",), "Các đơn vị bố trí kinh phí.")
    assert texts[2] == (("II. TỔ CHỨC THỰC HIỆN",), "II. TỔ CHỨC THỰC HIỆN\nSở Tài chính chủ trì.")


# ------------------------------------------------------------------ card


def test_card_states_metadata_in_words(chunked):
    _, chunks = chunked("yen-bai-49-KH-UBND-2020.txt")
    card = chunks[0]
    assert card.kind == "card" and card.start == card.end == -1
    assert card.text.startswith("Kế hoạch số 49/KH-UBND")
    for fact in ("Ngày ban hành / Issued on: 03/03/2020", "Người ký / Signed by: Dương Văn Tiến (KT. CHỦ TỊCH PHÓ CHỦ TỊCH)",
                 "Cơ quan ban hành / Issued by: Ủy ban nhân dân tỉnh Yên Bái", "Tỉnh, thành phố / Province: Yên Bái",
                 "Kế hoạch 49", "3 March 2020", "signed by Dương Văn Tiến"):
        assert fact in card.text


def test_card_leaves_out_unknown_facts():
    text = card_text(DocumentMeta(doc_id="hd.txt", number="KH-SLĐTBXH", issued_date_text="tháng 9 năm 2023"))
    assert "Ngày ban hành / Issued on: tháng 9 năm 2023" in text
    assert "Người ký" not in text and "Issued by" not in text
    assert text.endswith("Tệp / File: hd.txt")


# ------------------------------------------------------------------ splitting


def test_split_span_prefers_sentences_and_overlaps():
    sentences = [f"Câu số {k} nói về đào tạo nghề cho lao động nông thôn tại địa phương." for k in range(40)]
    text = " ".join(sentences)
    pieces = split_span(text, 0, len(text), 300, 80)
    assert all(b - a <= 300 for a, b in pieces)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    for (a0, a1), (b0, b1) in zip(pieces, pieces[1:]):
        assert text[b0:].startswith("Câu số") and text[a0:a1].endswith(".")
        assert 0 < a1 - b0 <= 80 and b1 > a1


def test_split_span_hard_splits_a_word_longer_than_the_budget():
    text = "x" * 950
    pieces = split_span(text, 0, len(text), 400, 50)
    assert all(b - a <= 400 for a, b in pieces) and pieces[-1][1] == 950
    assert all(b0 == a1 for (_, a1), (b0, _) in zip(pieces, pieces[1:]))
    words = " ".join(["nghề"] * 300)
    pieces = split_span(words, 0, len(words), 400, 50)  # no sentence at all: overlap by words
    assert all(0 < a1 - b0 <= 50 for (_, a1), (b0, _) in zip(pieces, pieces[1:]))


def test_bad_budgets_are_rejected():
    doc = Document(DocumentMeta(doc_id="x.txt"), "Nội dung.")
    with pytest.raises(ValueError):
        chunk_document(doc, max_chars=50)
    with pytest.raises(ValueError):
        chunk_document(doc, max_chars=400, overlap_chars=300)


def test_empty_document_gives_only_the_card():
    chunks = chunk_document(Document(DocumentMeta(doc_id="x.txt"), "  \n\n"))
    assert [c.kind for c in chunks] == ["card"]
