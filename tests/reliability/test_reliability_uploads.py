"""Uploads through the UI's own functions: file names cannot escape the upload directory,
the type is judged by content (a ".pdf" that is a ZIP or a program is refused before
ingest) and the size limit is enforced from the file size, before anything is read.
"""
from __future__ import annotations

import builtins
import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from planchat_reliability_helpers import make_docx, make_pdf

from ui.uploads import UploadRejected, store_uploads

PLAN = (
    "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\n\nSố: 12/KH-UBND\n\nKẾ HOẠCH\nĐào tạo nghề năm 2024\n\n"
    "I. TỔ CHỨC THỰC HIỆN\n\n1. Sở Lao động - Thương binh và Xã hội chủ trì đào tạo nghề cho 5.000 người.\n"
)
HOSTILE_NAMES = [
    "../../etc/cron.d/evil.txt",
    "..\\..\\..\\windows\\evil.txt",
    "/etc/passwd.txt",
    "....//....//evil.txt",
    "a/../../../evil.txt",
    "%2e%2e%2f%2e%2e%2fevil.txt",
    "evil.txt\x00.pdf",
    "\u202eevil\u202c.txt",
    ".evil.txt",
    "..",
    "../",
    "~/.ssh/authorized_keys.txt",
    "C:\\Windows\\System32\\evil.txt",
    "plan\n../../evil.txt",
]


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("payload.bin", os.urandom(100))
    return buf.getvalue()


def _files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def test_hostile_names_stay_inside_the_upload_dir(tmp_path: Path):
    src = tmp_path / "src" / "plan.txt"
    src.parent.mkdir()
    src.write_text(PLAN, encoding="utf-8")
    upload_dir = tmp_path / "deep" / "uploads"
    before = _files_under(tmp_path)
    batch = store_uploads([(src, name) for name in HOSTILE_NAMES], upload_dir, max_bytes=10_000)
    created = _files_under(tmp_path) - before
    for stored in batch.stored:
        assert stored.path.parent == upload_dir.resolve(), stored
        assert not stored.path.name.startswith("."), stored
        assert "/" not in stored.path.name and "\\" not in stored.path.name and "\x00" not in stored.path.name
    assert created == {s.path for s in batch.stored}, "a file was created outside the upload directory"
    assert all(p.parent == upload_dir.resolve() for p in created)
    # every name is either stored under a safe name or refused with a message: none vanishes
    assert len(batch.stored) + len(batch.rejected) == len(HOSTILE_NAMES)


def test_a_symlink_planted_in_the_upload_dir_is_not_followed(tmp_path: Path):
    victim = tmp_path / "outside" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("do not overwrite", encoding="utf-8")
    upload_dir = tmp_path / "uploads"
    upload_dir.mkdir()
    os.symlink(victim, upload_dir / "plan.txt")
    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    batch = store_uploads([(src, "plan.txt")], upload_dir, max_bytes=10_000)
    assert victim.read_text(encoding="utf-8") == "do not overwrite"
    assert all(s.path.parent == upload_dir.resolve() for s in batch.stored)


@pytest.fixture
def disguised(tmp_path: Path) -> dict[str, Path]:
    """Files whose extension lies about their content, and honest ones."""
    d = tmp_path / "disguised"
    d.mkdir()
    files = {
        "zip-as.pdf": _zip_bytes(),
        "program-as.pdf": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + os.urandom(3000),
        "elf-as.txt": b"\x7fELF\x02\x01\x01\x00" + bytes(64) + os.urandom(3000),
        "png-as.docx": b"\x89PNG\r\n\x1a\n" + os.urandom(3000),
        "zip-as.docx": _zip_bytes(),
        "binary-as.md": bytes(range(256)) * 20,
    }
    out = {}
    for name, data in files.items():
        (d / name).write_bytes(data)
        out[name] = d / name
    shutil.copy(make_pdf(d / "real.src", [PLAN]), d / "pdf-as.docx")
    out["pdf-as.docx"] = d / "pdf-as.docx"
    out["real.pdf"] = make_pdf(d / "real.pdf", [PLAN])
    out["real.docx"] = make_docx(d / "real.docx", PLAN.split("\n"))
    (d / "real.txt").write_text(PLAN, encoding="utf-8")
    out["real.txt"] = d / "real.txt"
    (d / "real-utf16.txt").write_bytes(PLAN.encode("utf-16"))
    out["real-utf16.txt"] = d / "real-utf16.txt"
    return out


HONEST = ("real.pdf", "real.docx", "real.txt", "real-utf16.txt")


def test_type_is_checked_by_content_not_extension(tmp_path: Path, disguised):
    upload_dir = tmp_path / "uploads"
    batch = store_uploads([(p, name) for name, p in disguised.items()], upload_dir, max_bytes=1_000_000)
    assert sorted(s.path.name for s in batch.stored) == sorted(HONEST)
    refused = {e.name: e.message("en") for e in batch.rejected}
    assert sorted(refused) == sorted(set(disguised) - set(HONEST))
    for name, message in refused.items():
        assert message.startswith(f"{name}: "), message
        assert "\n" not in message
    assert "PDF" in refused["zip-as.pdf"] and "PDF" in refused["program-as.pdf"]
    assert not any((upload_dir / name).exists() for name in refused), "a refused file was copied into the upload dir"
    for e in batch.rejected:  # both interface languages have a message for it
        assert e.message("vi").startswith(f"{e.name}: ") and e.message("vi") != e.message("en")


def test_size_limit_is_enforced_before_the_file_is_opened(tmp_path: Path, monkeypatch):
    """A 4 GB sparse file (no disk used) must be refused from its size alone: nothing opens it."""
    big = tmp_path / "huge.pdf"
    with big.open("wb") as fh:
        fh.truncate(4 * 1024**3)
    opened: list[str] = []
    real_open = builtins.open

    def spying_open(file, *args, **kwargs):
        if str(file) == str(big):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    real_copy = shutil.copyfile

    def spying_copy(src, dst, *args, **kwargs):
        if str(src) == str(big):
            opened.append(f"copy {src}")
        return real_copy(src, dst, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spying_open)
    monkeypatch.setattr(io, "open", spying_open)
    monkeypatch.setattr(shutil, "copyfile", spying_copy)
    batch = store_uploads([(big, "huge.pdf")], tmp_path / "uploads", max_bytes=20 * 1024 * 1024)
    assert [e.key for e in batch.rejected] == ["upload.too_big"]
    assert "4 GB" in batch.rejected[0].message("en") or "4096 MB" in batch.rejected[0].message("en")
    assert opened == []
    assert not (tmp_path / "uploads" / "huge.pdf").exists()


def test_loader_refuses_an_oversized_file_without_reading_it(tmp_path: Path, monkeypatch):
    from ingest.errors import FileTooLarge
    from ingest.loaders import load_document

    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.truncate(4 * 1024**3)

    def no_read(self, *a, **k):
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    monkeypatch.setattr(Path, "open", no_read)
    with pytest.raises(FileTooLarge, match="huge.txt"):
        load_document(big, max_bytes=50 * 1024 * 1024)


def test_ingest_run_does_not_hash_an_oversized_file(tmp_path: Path, monkeypatch):
    """The unchanged-file check hashes files; it must not stream a 4 GB file to do so."""
    from index.ingest_run import _sha256_of

    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.truncate(4 * 1024**3)
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: (_ for _ in ()).throw(AssertionError("opened")))
    assert _sha256_of(big, 50 * 1024 * 1024) is None


def test_upload_rejected_is_a_one_line_message_for_every_reason(tmp_path: Path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    batch = store_uploads(
        [(tmp_path / "empty.pdf", "empty.pdf"), (tmp_path / "missing.txt", "missing.txt"), (tmp_path / "empty.pdf", "x.exe")],
        tmp_path / "uploads",
        max_bytes=1000,
    )
    assert len(batch.rejected) == 3 and not batch.stored
    for err in batch.rejected:
        assert isinstance(err, UploadRejected)
        for lang in ("vi", "en"):
            assert "\n" not in err.message(lang) and err.message(lang).startswith(err.name)


# --- the library tab's upload handler with the real index ---------------------------------------------


@pytest.fixture(scope="module")
def real_app(tmp_path_factory):
    harness = pytest.importorskip("planchat_ui_harness")
    if not harness.real_layers_available():
        pytest.skip("index/assistant layers not available yet")
    from ui.app import build_app

    services = harness.RealServices(tmp_path_factory.mktemp("uploads-real"))
    yield services, build_app(services)
    services.close()


def _handler(demo, name):
    return next(fn.fn for fn in demo.fns.values() if fn.name == name)


def test_library_upload_handler_refuses_disguised_files_and_ingests_honest_ones(real_app, disguised, tmp_path):
    services, demo = real_app
    # Gradio hands the handler temporary paths named like the uploaded files
    staged = tmp_path / "gradio-tmp"
    staged.mkdir()
    paths = []
    for name, path in disguised.items():
        target = staged / name
        shutil.copy(path, target)
        paths.append(str(target))
    html, _ = _handler(demo, "ingest_files")(paths, "en", progress=lambda *a, **k: None)
    ids = {info.meta.doc_id for info in services.index.documents()}
    assert ids == set(HONEST)
    for name in set(disguised) - set(HONEST):
        assert f"{name}: " in html, f"no failure line for {name}"
    assert "<script" not in html
    stored = {p.name for p in services.upload_dir.iterdir()}
    assert stored == set(HONEST)
