"""Upload validation: type and size checked before ingest, names sanitised, files kept inside upload_dir."""
from __future__ import annotations

from pathlib import Path

import pytest

from ui.uploads import UploadRejected, check_upload, human_size, safe_filename, store_uploads


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\win.ini.txt", "win.ini.txt"),
        ("/abs/path/Kế hoạch 37.pdf", "Kế-hoạch-37.pdf"),
        (".bashrc.txt", "bashrc.txt"),
        ("..txt", "upload.txt"),
        ("a\x00b\nc.DOCX", "abc.docx"),
        ("plan<script>.md", "plan-script.md"),
        ("", "upload"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_limits_length_and_keeps_extension():
    out = safe_filename("x" * 500 + ".pdf")
    assert out.endswith(".pdf") and len(out) <= 104


def test_bad_extension_is_refused_with_a_clear_message():
    with pytest.raises(UploadRejected) as info:
        check_upload("malware.exe", 10, 1000)
    assert info.value.message("en") == "malware.exe: unsupported file type (accepted: PDF, DOCX, DOC, TXT, HTML, MD)"
    assert info.value.message("vi").startswith("malware.exe: loại tệp không được hỗ trợ")


def test_too_big_and_empty_are_refused():
    with pytest.raises(UploadRejected) as info:
        check_upload("plan.pdf", 3 * 1024 * 1024, 2 * 1024 * 1024)
    assert info.value.message("en") == "plan.pdf: file is 3 MB, over the 2 MB limit"
    with pytest.raises(UploadRejected, match="empty"):
        check_upload("plan.txt", 0, 1000)
    check_upload("plan.HTML", 999, 1000)  # accepted: no exception
    assert human_size(1536) == "1.5 KB" and human_size(20 * 1024 * 1024) == "20 MB"


def test_store_uploads_copies_good_files_and_reports_each_bad_one(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    good = src / "good.txt"
    good.write_text("Kế hoạch", encoding="utf-8")
    big = src / "big.txt"
    big.write_bytes(b"x" * 2000)
    exe = src / "tool.exe"
    exe.write_bytes(b"MZ")
    upload_dir = tmp_path / "uploads"
    batch = store_uploads(
        [
            (good, "../../etc/passwd.txt"),
            (good, "passwd.txt"),  # same sanitised name in one batch → passwd-2.txt
            (big, "big.txt"),
            (exe, "tool.exe"),
            (src / "missing.txt", "missing.txt"),
        ],
        upload_dir,
        max_bytes=1000,
    )
    assert [s.path.name for s in batch.stored] == ["passwd.txt", "passwd-2.txt"]
    assert all(s.path.parent == upload_dir.resolve() for s in batch.stored)
    assert (upload_dir / "passwd.txt").read_text(encoding="utf-8") == "Kế hoạch"
    assert not (tmp_path / "etc").exists()
    assert [e.message("en") for e in batch.rejected] == [
        "big.txt: file is 2 KB, over the 1000 B limit",
        "tool.exe: unsupported file type (accepted: PDF, DOCX, DOC, TXT, HTML, MD)",
        "missing.txt: the uploaded file cannot be read",
    ]
