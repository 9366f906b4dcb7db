"""Check uploaded files before ingest and store them under the upload directory.

Type and size are checked before anything is copied or parsed: the size from the file
system, then the type from the extension and from the first bytes of the content. File names come
from the browser and are untrusted: only the last path component is kept, and
it is reduced to letters, digits, ``.``, ``_`` and ``-`` so it cannot escape
the upload directory or hide itself (no leading dot).
"""
from __future__ import annotations

import os
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ui.i18n import t

ALLOWED_EXTENSIONS = (".pdf", ".docx", ".doc", ".txt", ".html", ".htm", ".md")
MAX_STEM_CHARS = 100
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


class UploadRejected(Exception):
    """An uploaded file was refused before ingest; ``message(lang)`` is the one-line reason."""

    def __init__(self, name: str, key: str, **values: object):
        self.name = name
        self.key = key
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        return t(lang, self.key, name=self.name, **self.values)


@dataclass(frozen=True)
class StoredUpload:
    original_name: str
    path: Path


@dataclass(frozen=True)
class UploadBatch:
    stored: tuple[StoredUpload, ...] = ()
    rejected: tuple[UploadRejected, ...] = field(default=())


def allowed_types_text() -> str:
    return ", ".join(ext.lstrip(".").upper() for ext in ALLOWED_EXTENSIONS if ext != ".htm")


def safe_filename(name: str) -> str:
    """A file name that is safe to create inside one directory, keeping readable characters.

    ``"../../etc/passwd.txt"`` → ``"passwd.txt"``; ``"Kế hoạch 37/KH.pdf"`` → ``"KH.pdf"``
    (the slash makes "Kế hoạch 37" a directory); ``".bashrc.txt"`` → ``"bashrc.txt"``.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = _UNSAFE.sub("", ext).lower()
    stem = _UNSAFE.sub("-", stem.strip())
    stem = re.sub(r"-{2,}", "-", stem)
    stem = re.sub(r"\.{2,}", ".", stem).strip(".-_ ")
    stem = stem[:MAX_STEM_CHARS].rstrip(".-_ ") or "upload"
    return f"{stem}.{ext}" if ext else stem


def check_upload(name: str, size: int, max_bytes: int) -> None:
    """Raise :class:`UploadRejected` when the file type or size is not acceptable."""
    shown = safe_filename(name)
    if Path(shown).suffix.lower() not in ALLOWED_EXTENSIONS:
        raise UploadRejected(shown, "upload.bad_type", types=allowed_types_text())
    if size <= 0:
        raise UploadRejected(shown, "upload.empty")
    if max_bytes and size > max_bytes:
        raise UploadRejected(shown, "upload.too_big", size=human_size(size), limit=human_size(max_bytes))


def check_content(path: str | Path, name: str) -> None:
    """Raise :class:`UploadRejected` when the bytes of ``path`` are not what the extension of
    ``name`` claims (a ".pdf" that is a ZIP archive or a program, a ".txt" that is binary).

    Only the start of the file (and a ZIP's table of contents) is read, and only after
    :func:`check_upload` has accepted its size.
    """
    from ingest.errors import CorruptFile, EmptyDocument, IngestError, UnsupportedFileType
    from ingest.loaders import check_content_type

    shown = safe_filename(name)
    try:
        check_content_type(path, name=shown)
    except UnsupportedFileType:
        raise UploadRejected(shown, "upload.bad_type", types=allowed_types_text()) from None
    except EmptyDocument:
        raise UploadRejected(shown, "upload.empty") from None
    except CorruptFile:
        raise UploadRejected(shown, "upload.bad_content", expected=Path(shown).suffix.lstrip(".").upper()) from None
    except IngestError:
        raise UploadRejected(shown, "upload.unreadable") from None


def human_size(n: int) -> str:
    """``3 MB``, ``1.5 MB``, ``2 KB``, ``800 B``."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= factor:
            return f"{n / factor:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{n} B"


def store_uploads(
    files: Iterable[tuple[str | Path, str]], upload_dir: Path, max_bytes: int
) -> UploadBatch:
    """Validate ``(temporary path, original name)`` pairs and copy the good ones into ``upload_dir``.

    Names that collide within one batch get a ``-2``, ``-3`` … suffix; a name that
    already exists in ``upload_dir`` from an earlier upload is overwritten, so that
    re-uploading a plan replaces it in the index (its id is its file name).
    """
    upload_dir = Path(upload_dir)
    stored: list[StoredUpload] = []
    rejected: list[UploadRejected] = []
    used: set[str] = set()
    for src, original in files:
        try:
            size = os.path.getsize(src)
        except OSError:
            rejected.append(UploadRejected(safe_filename(original), "upload.unreadable"))
            continue
        try:
            check_upload(original, size, max_bytes)
            check_content(src, original)
        except UploadRejected as err:
            rejected.append(err)
            continue
        name = _unique(safe_filename(original), used)
        used.add(name)
        upload_dir.mkdir(parents=True, exist_ok=True)
        target = (upload_dir / name).resolve()
        if target.parent != upload_dir.resolve():  # defence in depth; safe_filename prevents this
            rejected.append(UploadRejected(name, "upload.unreadable"))
            continue
        try:
            shutil.copyfile(src, target)
        except OSError:
            rejected.append(UploadRejected(name, "upload.unreadable"))
            continue
        stored.append(StoredUpload(original_name=str(original), path=target))
    return UploadBatch(stored=tuple(stored), rejected=tuple(rejected))


def _unique(name: str, used: set[str]) -> str:
    if name not in used:
        return name
    stem, ext = os.path.splitext(name)
    i = 2
    while f"{stem}-{i}{ext}" in used:
        i += 1
    return f"{stem}-{i}{ext}"
