"""Old Word .doc files: converted by LibreOffice, they give the same chunks as their .docx twin."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from ingest.chunker import chunk_document
from ingest.doc_convert import soffice_path
from ingest.errors import CorruptFile
from ingest.loaders import load_document

needs_soffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice not installed (make ocr-tools)")


def _docx_with_table(path):
    import docx

    document = docx.Document()
    document.add_paragraph("ỦY BAN NHÂN DÂN TỈNH LÀO CAI")
    document.add_paragraph("Số: 12/KH-UBND")
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Triển khai công tác quản lý khoáng sản năm 2026")
    document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    document.add_paragraph("Tăng cường quản lý nhà nước về khoáng sản trên địa bàn tỉnh.")
    document.add_paragraph("II. NHIỆM VỤ")
    table = document.add_table(rows=3, cols=4)
    for row, cells in zip(table.rows, [("TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"),
                                        ("1", "Rà soát giấy phép khai thác", "Sở Nông nghiệp và Môi trường", "Quý I/2026"),
                                        ("2", "Kiểm tra bảo vệ khoáng sản chưa khai thác", "UBND các huyện", "Thường xuyên")]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    document.add_paragraph("III. TỔ CHỨC THỰC HIỆN")
    document.add_paragraph("Sở Nông nghiệp và Môi trường chủ trì, phối hợp với các sở, ngành theo dõi thực hiện.")
    document.save(path)
    return path


def _to_doc(docx_path, out_dir):
    subprocess.run([soffice_path(), f"-env:UserInstallation={(out_dir / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(out_dir), str(docx_path)],
                   check=True, capture_output=True, timeout=180)
    return out_dir / (docx_path.stem + ".doc")


def _same_chunks(docx_path, doc_path):
    a = chunk_document(load_document(docx_path))
    b = chunk_document(load_document(doc_path))
    assert b[0].kind == "card" and load_document(doc_path).meta.file_type == "doc"
    assert [(c.kind, c.text, c.section_path) for c in a[1:]] == [(c.kind, c.text, c.section_path) for c in b[1:]]
    return a, b


@needs_soffice
def test_doc_twin_gives_the_same_chunks_and_keeps_the_table(tmp_path):
    docx_path = _docx_with_table(tmp_path / "ke-hoach.docx")
    doc_path = _to_doc(docx_path, tmp_path / "doc")
    a, b = _same_chunks(docx_path, doc_path)
    rows = [c for c in b if c.kind == "table_row"]
    assert rows and any("Cơ quan chủ trì: Sở Nông nghiệp và Môi trường" in c.text for c in rows)


@needs_soffice
def test_real_docx_and_its_doc_twin_give_the_same_chunks(external_dir, tmp_path):
    source = external_dir / "dev-docs" / "lao-cai_kh-du-thao-2026_trien-khai-chi-thi-11-quan-ly-khoang-san.docx"
    docx_path = tmp_path / source.name
    shutil.copy(source, docx_path)
    a, b = _same_chunks(docx_path, _to_doc(docx_path, tmp_path / "doc"))
    assert sum(c.kind == "table_row" for c in b) >= 10


@needs_soffice
def test_damaged_doc_is_one_line_error(tmp_path):
    path = tmp_path / "hong.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00garbage" * 100)
    with pytest.raises(CorruptFile) as err:
        load_document(path)
    assert str(err.value).startswith("hong.doc: ") and "\n" not in str(err.value)


def test_docx_named_doc_is_told_to_be_renamed(tmp_path):
    import docx

    path = tmp_path / "really-docx.doc"
    docx.Document().save(path)
    with pytest.raises(CorruptFile, match="rename it to .docx"):
        load_document(path)
