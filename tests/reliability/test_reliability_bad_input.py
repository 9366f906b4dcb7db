"""Bad input through the real CLI: one ``planchat ingest`` run over every kind of bad file
mixed with good ones. Each bad file gets exactly one "FAILED  <file>: <reason>" line,
the good files are ingested, the run ends with a summary and exit status 1, and no
traceback (or stray library chatter) reaches the terminal.
"""
from __future__ import annotations

import io
import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from planchat_reliability_helpers import (
    SAMPLE_PLANS,
    encode_cp1258,
    encrypt_pdf,
    make_docx,
    make_pdf,
    run_planchat,
)

GOOD_PLAN = (
    "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\n\nSố: 12/KH-UBND\n\nLào Cai, ngày 02 tháng 01 năm 2024\n\nKẾ HOẠCH\n"
    "Đào tạo nghề cho lao động nông thôn năm 2024\n\nI. TỔ CHỨC THỰC HIỆN\n\n"
    "1. Sở Lao động - Thương binh và Xã hội chủ trì đào tạo nghề cho 5.000 lao động nông thôn, "
    "hoàn thành trước ngày 31/12/2024.\n"
)
TCVN3_TEXT = (
    "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\n"
    "ñy ban nh©n d©n tØnh B¾c K¹n\nKÕ ho¹ch ®µo t¹o nghÒ cho lao ®éng n«ng th«n\n"
)
VNI_TEXT = (
    "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc\n"
    "Uûy ban nhaân daân tænh Baéc Kaïn\nKeá hoaïch ñaøo taïo ngheà\n"
)
MAX_FILE_MB = 1


@dataclass(frozen=True)
class Bad:
    name: str  # file name as it will appear in the FAILED line
    reason: str  # regex the reason must match


def _zip_bytes(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buf.getvalue()


def build_corpus(root: Path) -> tuple[list[Path], list[Bad], list[str]]:
    """(paths to pass to the CLI, the bad files with their expected reasons, ids of the good files)."""
    bad_dir = root / "incoming"
    bad_dir.mkdir()
    bad: list[Bad] = []

    def add(name: str, reason: str, data: bytes | None = None) -> Path:
        path = bad_dir / name
        if data is not None:
            path.write_bytes(data)
        bad.append(Bad(name, reason))
        return path

    add("empty.txt", r"contains no text", b"")
    add("blank.md", r"contains no text", b"   \n\n \t \n")
    make_pdf(bad_dir / "scan.pdf", ["", ""])
    bad.append(Bad("scan.pdf", r"no text layer"))
    text_pdf = make_pdf(root / "source.pdf", [GOOD_PLAN])
    encrypt_pdf(text_pdf, bad_dir / "locked.pdf", "user-secret")
    bad.append(Bad("locked.pdf", r"encrypted"))
    encrypt_pdf(text_pdf, bad_dir / "owner-only.pdf", "")  # opens with the empty user password: good
    pdf_bytes = text_pdf.read_bytes()
    add("truncated.pdf", r"PDF|corrupt|damaged", pdf_bytes[: len(pdf_bytes) // 3])
    add("garbage.pdf", r"PDF|corrupt|damaged", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + os.urandom(3000))
    docx_bytes = make_docx(root / "source.docx", GOOD_PLAN.split("\n")).read_bytes()
    add("truncated.docx", r"damaged|corrupt", docx_bytes[: len(docx_bytes) // 2])
    add("not-a-document.docx", r"not a \.docx", _zip_bytes({"hello.txt": "xin chào"}))
    add("program.pdf", r"not a PDF", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + os.urandom(4000))
    add("archive.pdf", r"not a PDF", _zip_bytes({"a.txt": "a"}))
    add("picture.docx", r"not a DOCX", b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    add("random.txt", r"binary", os.urandom(5000))
    add("elf.html", r"binary|program", b"\x7fELF\x02\x01\x01\x00" + bytes(200) + os.urandom(2000))
    add("huge.txt", r"larger than the limit", (GOOD_PLAN + "Nội dung kế hoạch chi tiết. " * 60_000).encode())
    add("sheet.xlsx", r"unsupported file type", _zip_bytes({"xl/workbook.xml": "<x/>"}))
    add("notes.rtf", r"unsupported file type", b"{\\rtf1 hello}")
    add("tcvn3.txt", r"TCVN3", TCVN3_TEXT.encode("cp1252"))
    add("vni.txt", r"VNI", VNI_TEXT.encode("cp1252"))
    make_docx(bad_dir / "tcvn3-font.docx", TCVN3_TEXT.split("\n"))  # .VnTime text typed into Word
    bad.append(Bad("tcvn3-font.docx", r"TCVN3"))
    (bad_dir / "folder.txt").mkdir()  # a directory that looks like a file
    bad.append(Bad("folder.txt", r"folder|director"))
    os.symlink(bad_dir / "was-deleted.txt", bad_dir / "dangling.txt")
    bad.append(Bad("dangling.txt", r"not found"))
    # root reads any file whatever its mode bits, but not /proc/self/mem at offset 0 (EIO)
    os.symlink("/proc/self/mem", bad_dir / "unreadable.txt")
    bad.append(Bad("unreadable.txt", r"cannot be read"))
    os.mkfifo(bad_dir / "pipe.txt")  # must not block the run
    bad.append(Bad("pipe.txt", r"not a regular file"))
    add("multi\nline.txt", r"contains no text", b"")  # a newline in a name must not split its line

    good_dir = root / "good"
    good_dir.mkdir()
    (good_dir / "lao-cai-12-KH-UBND-2024.txt").write_text(GOOD_PLAN, encoding="utf-8")
    (good_dir / "lao-cai-13-cp1258.txt").write_bytes(encode_cp1258(GOOD_PLAN.replace("12/KH", "13/KH")))
    good = ["lao-cai-12-KH-UBND-2024.txt", "lao-cai-13-cp1258.txt", "owner-only.pdf"]
    good += sorted(p.name for p in SAMPLE_PLANS.glob("*.txt"))

    # files passed one by one (a folder would skip the unsupported and non-regular ones), then folders
    paths = sorted(bad_dir.iterdir()) + [good_dir, SAMPLE_PLANS]
    return paths, bad, good


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-input")
    paths, bad, good = build_corpus(root)
    data_dir = root / "data"
    result = run_planchat("ingest", *paths, "--max-file-mb", str(MAX_FILE_MB), "--no-progress", data_dir=data_dir)
    docs = run_planchat("documents", "--json", data_dir=data_dir)
    assert docs.returncode == 0, docs.stderr
    return result, bad, good, json.loads(docs.stdout)["documents"], data_dir


def test_no_traceback_anywhere(run):
    result, *_ = run
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, stream
        assert not re.search(r'^\s+File "', stream, re.MULTILINE), stream


def test_exit_status_is_non_zero(run):
    result, *_ = run
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])


def test_every_bad_file_has_exactly_one_line_naming_it_and_the_reason(run):
    result, bad, *_ = run
    lines = result.stderr.splitlines()
    for item in bad:
        shown = " ".join(item.name.split())  # whitespace in names is folded into one line
        mine = [line for line in lines if line.startswith(f"FAILED  {shown}: ")]
        assert len(mine) == 1, f"{item.name!r}: expected one FAILED line, got {mine}\n{result.stderr}"
        reason = mine[0][len(f"FAILED  {shown}: "):]
        assert re.search(item.reason, reason), f"{item.name}: reason {reason!r} does not match {item.reason!r}"


def test_stderr_holds_only_the_failed_lines(run):
    """Library warnings (pypdf's "EOF marker not found", Python warnings) would be lines
    that name no file: everything on stderr is one FAILED line per bad file."""
    result, bad, *_ = run
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert all(line.startswith("FAILED  ") for line in lines), "\n".join(lines)
    assert len(lines) == len(bad)


def test_summary_counts_match(run):
    result, bad, good, *_ = run
    summary = result.stdout.strip().splitlines()[-1]
    m = re.fullmatch(
        r"ingested (\d+) new, (\d+) changed, (\d+) unchanged \(skipped\), (\d+) failed; (\d+) chunks added", summary
    )
    assert m, summary
    new, changed, unchanged, failed, chunks = map(int, m.groups())
    assert (new, changed, unchanged, failed) == (len(good), 0, 0, len(bad))
    assert chunks > 0


def test_good_files_are_ingested_and_bad_ones_are_not(run):
    _, bad, good, documents, _ = run
    ids = {d["doc_id"] for d in documents}
    assert ids == set(good)
    assert all(d["chunks"] > 0 for d in documents)


def test_windows_1258_file_is_decoded_to_unicode(run):
    *_, documents, _ = run
    doc = next(d for d in documents if d["doc_id"] == "lao-cai-13-cp1258.txt")
    assert doc["encoding"] == "cp1258"
    assert doc["title"] == "Đào tạo nghề cho lao động nông thôn năm 2024"
    assert doc["number"] == "13/KH-UBND" and doc["province"] == "Lào Cai"


def test_pdf_with_empty_user_password_is_opened(run):
    *_, documents, _ = run
    doc = next(d for d in documents if d["doc_id"] == "owner-only.pdf")
    assert doc["file_type"] == "pdf" and doc["number"] == "12/KH-UBND"


def test_ingested_good_file_answers_a_question(run):
    *_, data_dir = run
    out = run_planchat("ask", "Ai chủ trì đào tạo nghề cho lao động nông thôn ở Lào Cai?", "--json", data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert not answer["abstained"]
    assert {c["document"] for c in answer["citations"]} & {"lao-cai-12-KH-UBND-2024.txt", "lao-cai-13-cp1258.txt", "owner-only.pdf"}


def test_file_name_that_is_not_utf8_is_reported_not_a_crash(tmp_path):
    """Linux file names are bytes; one that is not UTF-8 must fail alone, not abort the run."""
    folder = tmp_path / "names"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/ke-hoach-\xff\xfe.txt"
    with open(raw, "wb") as fh:
        fh.write(GOOD_PLAN.encode("utf-8"))
    (folder / "lao-cai-12-KH-UBND-2024.txt").write_text(GOOD_PLAN, encoding="utf-8")
    result = run_planchat("ingest", folder, "--no-progress", data_dir=tmp_path / "data")
    assert "Traceback" not in result.stderr + result.stdout, result.stderr[-3000:]
    assert result.returncode == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("FAILED  ")]
    assert len(failed) == 1 and "ke-hoach-" in failed[0] and "UTF-8" in failed[0], result.stderr
    assert "ingested 1 new" in result.stdout


def test_second_run_skips_good_files_and_reports_bad_ones_again(tmp_path):
    """Idempotent: nothing half-ingested by a failure is picked up as "unchanged" later."""
    folder = tmp_path / "mix"
    folder.mkdir()
    (folder / "lao-cai-12-KH-UBND-2024.txt").write_text(GOOD_PLAN, encoding="utf-8")
    (folder / "tcvn3.txt").write_bytes(TCVN3_TEXT.encode("cp1252"))
    (folder / "empty.md").write_bytes(b"")
    data_dir = tmp_path / "data"
    first = run_planchat("ingest", folder, "--no-progress", data_dir=data_dir)
    second = run_planchat("ingest", folder, "--no-progress", data_dir=data_dir)
    for result in (first, second):
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert sorted(line.split(":")[0] for line in result.stderr.splitlines()) == ["FAILED  empty.md", "FAILED  tcvn3.txt"]
    assert "ingested 1 new" in first.stdout
    assert "ingested 0 new, 0 changed, 1 unchanged (skipped), 2 failed" in second.stdout
