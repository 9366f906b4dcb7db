from __future__ import annotations

import codecs
import hashlib
import io
import random
import unicodedata
import zipfile
from pathlib import Path

import pytest

from ingest.errors import (
    CorruptFile,
    EmptyDocument,
    EncryptedDocument,
    FileTooLarge,
    IngestError,
    LegacyVietnameseEncoding,
    NoTextLayer,
    UnreadableFile,
    UnsupportedFileType,
)
from ingest.loaders import SUPPORTED_EXTENSIONS, load_document
from ingest.normalize import fold_diacritics

SAMPLE_FILES = sorted((Path(__file__).resolve().parents[2] / "data" / "sample_plans").glob("*.txt"))


def folded(text: str) -> str:
    return fold_diacritics(text)


# --- plain text ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample_plans_load_as_nfc_text_with_header_and_signature(path):
    doc = load_document(path)
    assert unicodedata.is_normalized("NFC", doc.text)
    assert doc.meta.file_type == "txt" and doc.meta.encoding == "utf-8"
    assert doc.meta.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.meta.source_path == str(path)
    assert doc.pages == ()
    assert "**" not in doc.text and "✓" not in doc.text
    if doc.meta.signer:  # the signature block survives normalisation and re-flow
        assert folded(doc.meta.signer) in folded(doc.text)
        assert folded(doc.meta.signer_title) in folded(doc.text)


def test_header_block_is_kept(sample_dir):
    text = folded(load_document(sample_dir / "bac-kan-37-KH-UBND-2022.txt").text)
    for part in ("uy ban nhan dan tinh bac kan", "cong hoa xa hoi chu nghia viet nam", "37/kh-ubnd",
                 "ngay 21 thang 01 nam 2022", "tm. uy ban nhan dan"):
        assert part in text


def test_web_boilerplate_is_dropped(sample_dir):
    doc = load_document(sample_dir / "yen-bai-49-KH-UBND-2020.txt")
    assert "doanh nghiep online" not in folded(doc.text)
    assert "dang tai noi dung" not in folded(doc.text)
    assert "\u00a0" not in doc.text
    assert folded(doc.text).startswith("uy ban nhan dan")


def test_markdown_file(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("# KẾ HOẠCH\n\n## I. MỤC ĐÍCH\n\n- *Nội dung:* đào tạo **6.000** người\n", encoding="utf-8")
    doc = load_document(path)
    assert doc.meta.file_type == "md"
    assert "#" not in doc.text and "*" not in doc.text
    assert "Nội dung: đào tạo 6.000 người" in doc.text


def test_windows_1258_text_file(tmp_path, cp1258_bytes):
    original = "KẾ HOẠCH\nĐào tạo nghề cho lao động nông thôn tỉnh Hòa Bình năm 2023\n\nỦy ban nhân dân tỉnh giao Sở Lao động chủ trì."
    path = tmp_path / "cp1258.txt"
    path.write_bytes(cp1258_bytes(original))
    doc = load_document(path)
    assert doc.meta.encoding == "cp1258"
    assert folded(doc.text) == folded(original)
    assert "Ủy ban nhân dân" in doc.text and unicodedata.is_normalized("NFC", doc.text)


@pytest.mark.parametrize("codec, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-8", codecs.BOM_UTF8)])
def test_text_file_with_bom(tmp_path, codec, bom):
    path = tmp_path / "bom.txt"
    path.write_bytes(bom + "Kế hoạch đào tạo nghề\nỦy ban nhân dân tỉnh Bắc Kạn".encode(codec))
    doc = load_document(path)
    assert doc.text.startswith("Kế hoạch")
    assert doc.meta.encoding in (codec, "utf-8-sig")


def test_tcvn3_text_file_is_refused(tmp_path):
    path = tmp_path / "abc.txt"
    path.write_bytes("Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc".encode("cp1252"))
    with pytest.raises(LegacyVietnameseEncoding):
        load_document(path)


# --- PDF -----------------------------------------------------------------------------------------

PDF_PAGES = [
    "ỦY BAN NHÂN DÂN\nTỈNH CAO BẰNG\nSố: 12/KH-UBND\nCao Bằng, ngày 05 tháng 6 năm 2023\n"
    "KẾ HOẠCH\nĐào tạo nghề cho lao động nông thôn năm 2023\n"
    "I. MỤC ĐÍCH, YÊU CẦU\nNâng cao chất lượng đào tạo nghề cho người lao động.",
    "II. NỘI DUNG\nSở Lao động - Thương binh và Xã hội chủ trì, phối hợp với các huyện "
    "tổ chức đào tạo nghề cho 6.000 người lao động ở khu vực nông thôn trong năm 2023.",
    "III. TỔ CHỨC THỰC HIỆN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An",
]


def test_pdf_keeps_page_numbers_and_vietnamese_text(make_pdf):
    doc = load_document(make_pdf(PDF_PAGES))
    assert doc.meta.file_type == "pdf" and doc.meta.encoding == ""
    assert [span.page for span in doc.pages] == [1, 2, 3]
    assert unicodedata.is_normalized("NFC", doc.text)
    markers = ["uy ban nhan dan", "6.000 nguoi lao dong", "nguyen van an"]
    for span, marker in zip(doc.pages, markers):
        assert marker in folded(doc.text[span.start : span.end])
        assert doc.page_at(span.start) == span.page
    # pages are consecutive and joined by a single newline
    assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)
    for before, after in zip(doc.pages, doc.pages[1:]):
        assert after.start == before.end + 1 and doc.text[before.end] == "\n"
    assert "so lao dong - thuong binh va xa hoi" in folded(doc.text)


def test_pdf_metadata(make_pdf):
    meta = load_document(make_pdf(PDF_PAGES)).meta
    assert (meta.number, meta.province, meta.issuer) == ("12/KH-UBND", "Cao Bằng", "Ủy ban nhân dân tỉnh Cao Bằng")
    assert (meta.issued_date, meta.title) == ("2023-06-05", "Đào tạo nghề cho lao động nông thôn năm 2023")
    assert (meta.signer, meta.signer_title) == ("Nguyễn Văn An", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH")


def test_pdf_blank_page_keeps_the_numbering_of_later_pages(make_pdf):
    doc = load_document(make_pdf([PDF_PAGES[0], "", PDF_PAGES[2]]))
    assert [span.page for span in doc.pages] == [1, 3]
    assert "nguyen van an" in folded(doc.text[doc.pages[1].start : doc.pages[1].end])


def test_pdf_without_text_layer(make_pdf):
    with pytest.raises(NoTextLayer) as err:
        load_document(make_pdf(["", ""], name="scan.pdf"))
    assert "no text layer" in str(err.value) and "scan.pdf" in str(err.value)


def _encrypted_copy(source: Path, target: Path, user_password: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password, "owner-secret", algorithm="RC4-128")
    with open(target, "wb") as fh:
        writer.write(fh)
    return target


def test_encrypted_pdf_with_a_password_is_refused(make_pdf, tmp_path):
    path = _encrypted_copy(make_pdf(PDF_PAGES), tmp_path / "locked.pdf", "user-secret")
    with pytest.raises(EncryptedDocument) as err:
        load_document(path)
    assert str(err.value).startswith("locked.pdf: ")


def test_encrypted_pdf_with_an_empty_user_password_opens(make_pdf, tmp_path):
    path = _encrypted_copy(make_pdf(PDF_PAGES), tmp_path / "owner-only.pdf", "")
    doc = load_document(path)
    assert [span.page for span in doc.pages] == [1, 2, 3]
    assert doc.meta.number == "12/KH-UBND"


def test_damaged_pdf_is_corrupt(make_pdf, tmp_path):
    data = make_pdf(PDF_PAGES).read_bytes()
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptFile):
        load_document(path)


# --- DOCX ----------------------------------------------------------------------------------------

DOCX_BLOCKS = [
    [["ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"],
     ["Số: 15/KH-UBND", "Lào Cai, ngày 10 tháng 02 năm 2023"]],
    "KẾ HOẠCH",
    "Đào tạo nghề cho lao động nông thôn năm 2023",
    "Căn cứ Luật Giáo dục nghề nghiệp năm 2014;",
    "II. PHÂN CÔNG NHIỆM VỤ",
    [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Kinh phí (triệu đồng)"],
     ["1", "Khảo sát nhu cầu học nghề", "Sở Lao động - Thương binh và Xã hội", "200"],
     ["2", "Tập huấn giáo viên", "Trường Cao đẳng Lào Cai", "150"]],
    "III. TỔ CHỨC THỰC HIỆN",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Nguyễn Văn An",
]


def test_docx_paragraphs_and_tables_in_document_order(make_docx):
    doc = load_document(make_docx(DOCX_BLOCKS))
    lines = doc.text.split("\n")
    header = lines.index("STT | Nhiệm vụ | Cơ quan chủ trì | Kinh phí (triệu đồng)")
    assert lines[header + 1] == "1 | Khảo sát nhu cầu học nghề | Sở Lao động - Thương binh và Xã hội | 200"
    assert lines[header + 2] == "2 | Tập huấn giáo viên | Trường Cao đẳng Lào Cai | 150"
    order = [doc.text.index(s) for s in ("KẾ HOẠCH", "II. PHÂN CÔNG", "STT | Nhiệm vụ", "III. TỔ CHỨC", "Nguyễn Văn An")]
    assert order == sorted(order)
    assert doc.meta.file_type == "docx" and doc.meta.encoding == "" and doc.pages == ()


def test_docx_metadata_from_header_table(make_docx):
    meta = load_document(make_docx(DOCX_BLOCKS)).meta
    assert (meta.number, meta.issuer, meta.province) == ("15/KH-UBND", "Ủy ban nhân dân tỉnh Lào Cai", "Lào Cai")
    assert (meta.issued_date, meta.title) == ("2023-02-10", "Đào tạo nghề cho lao động nông thôn năm 2023")
    assert (meta.signer, meta.signer_title) == ("Nguyễn Văn An", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH")


def test_docx_merged_cell_appears_once_per_row(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for c, value in enumerate(["TT", "Nội dung", "Ghi chú"]):
        table.cell(0, c).text = value
    merged = table.cell(1, 1).merge(table.cell(1, 2))
    merged.text = "Tập huấn giáo viên"
    table.cell(1, 0).text = "1"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    assert "1 | Tập huấn giáo viên" in load_document(path).text.split("\n")


# --- HTML ----------------------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Trang tin tỉnh</title>
<style>body { color: red; }</style><script>var tracking = "Đang tải";</script></head>
<body>
<header>Cổng thông tin điện tử</header>
<nav><a href="/">Trang chủ</a> <a href="/tin">Tin tức</a></nav>
<p>Dịch vụ doanh nghiệp online toàn quốc</p>
<h1>Triển khai Kế hoạch số 3058/KH-UBND về đào tạo nghề</h1>
<p>Ngày 12/11/2024, UBND tỉnh Cao Bằng ban hành Kế hoạch số 3058/KH-UBND
   về đổi mới công tác đào tạo nghề&nbsp;cho lao động nông thôn.<br>Mỗi năm đào tạo 6.000 người.</p>
<table><tr><th>STT</th><th>Nhiệm vụ</th><th>Chủ trì</th></tr>
<tr><td>1</td><td><p>Tuyên truyền</p><p>về học nghề</p></td><td>Sở Lao động</td></tr></table>
<!-- a comment -->
<footer>Bản quyền thuộc về Báo Cao Bằng</footer>
<script>console.log("x")</script>
</body></html>"""


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_html_visible_text_blocks_and_tables(tmp_path, suffix):
    path = tmp_path / f"article{suffix}"
    path.write_text(HTML_PAGE, encoding="utf-8")
    doc = load_document(path)
    lines = [line for line in doc.text.split("\n") if line.strip()]
    assert lines[0] == "Triển khai Kế hoạch số 3058/KH-UBND về đào tạo nghề"
    assert "Mỗi năm đào tạo 6.000 người." in lines  # <br> starts a new line
    assert "STT | Nhiệm vụ | Chủ trì" in lines
    assert "1 | Tuyên truyền về học nghề | Sở Lao động" in lines
    for dropped in ("tracking", "color", "Trang chủ", "Cổng thông tin", "Bản quyền", "comment", "doanh nghiệp online"):
        assert dropped not in doc.text
    assert doc.meta.file_type == "html" and doc.meta.encoding == "utf-8"
    assert (doc.meta.number, doc.meta.issued_date, doc.meta.province) == ("3058/KH-UBND", "2024-11-12", "Cao Bằng")


# --- errors --------------------------------------------------------------------------------------


def _zip_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buffer.getvalue()


ERROR_CASES = {
    "missing": (None, UnreadableFile),
    "plan.wpd": (b"\xffWPC old WordPerfect", UnsupportedFileType),
    "plan.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 damaged old word", (CorruptFile, UnsupportedFileType)),
    "plan.xlsx": (_zip_bytes({"xl/workbook.xml": "<x/>"}), UnsupportedFileType),
    "empty.txt": (b"", EmptyDocument),
    "blank.txt": (b"  \n\t\r\n  ", EmptyDocument),
    "blank16.txt": (codecs.BOM_UTF16_LE + "   \n  ".encode("utf-16-le"), EmptyDocument),
    "chrome.txt": ("Dịch vụ doanh nghiệp online toàn quốc\nĐang tải nội dung, vui lòng chờ giây lát...".encode(), EmptyDocument),
    "text.pdf": ("KẾ HOẠCH đào tạo".encode(), CorruptFile),
    "garbage.pdf": (b"%PDF-1.7\nthis is not really a pdf", CorruptFile),
    "pdf.txt": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", CorruptFile),
    "text.docx": (b"plain text, not a zip", CorruptFile),
    "old.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, CorruptFile),
    "archive.docx": (_zip_bytes({"readme.txt": "hi"}), CorruptFile),
    "broken.docx": (_zip_bytes({"[Content_Types].xml": "<Types", "word/document.xml": "<w:document"}), CorruptFile),
    "archive.html": (_zip_bytes({"index.html": "<p>hi</p>"}), CorruptFile),
    "binary.txt": (bytes(range(256)) * 8, CorruptFile),
}


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_each_failure_is_a_one_line_ingest_error_naming_the_file(tmp_path, name):
    content, expected = ERROR_CASES[name]
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(expected) as err:
        load_document(path)
    message = str(err.value)
    assert message.startswith(f"{name}: ") and "\n" not in message


def test_directory_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile):
        load_document(tmp_path)


def test_file_too_large_is_refused_from_its_size_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text("Kế hoạch " * 200, encoding="utf-8")

    def must_not_read(self):
        raise AssertionError("read the file before checking its size")

    monkeypatch.setattr(Path, "read_bytes", must_not_read)
    with pytest.raises(FileTooLarge) as err:
        load_document(path, max_bytes=100)
    assert str(err.value).startswith("big.txt: ")


def test_file_at_the_size_limit_loads(tmp_path):
    path = tmp_path / "ok.txt"
    path.write_text("Kế hoạch đào tạo nghề", encoding="utf-8")
    assert load_document(path, max_bytes=path.stat().st_size).text == "Kế hoạch đào tạo nghề"


def test_supported_extensions():
    assert set(SUPPORTED_EXTENSIONS) == {".txt", ".md", ".pdf", ".docx", ".doc", ".html", ".htm"}


def test_random_bytes_never_escape_as_library_exceptions(tmp_path, make_pdf):
    """Fuzz: damaged PDFs, zips with junk XML, random text — only IngestError may come out."""
    rng = random.Random(7)
    pdf = make_pdf(PDF_PAGES).read_bytes()
    for i in range(60):
        suffix = rng.choice(SUPPORTED_EXTENSIONS)
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2000)))
        if suffix == ".pdf":
            data = bytearray(pdf)
            for _ in range(30):
                data[rng.randrange(len(data))] = rng.randrange(256)
            data = bytes(data)
        elif suffix == ".docx":
            data = _zip_bytes({"[Content_Types].xml": junk[:80].decode("latin-1"), "word/document.xml": junk.decode("latin-1")})
        else:
            data = junk
        path = tmp_path / f"fuzz{i}{suffix}"
        path.write_bytes(data)
        try:
            load_document(path)
        except IngestError as err:
            assert "\n" not in str(err)
