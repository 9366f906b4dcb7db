"""Old Word (.doc, Word 97-2003) files, converted by LibreOffice headless to .docx.

The .docx then goes through the same reader as any .docx, so paragraphs, tables (one
" | " row per line) and therefore chunks come out as for the file saved as .docx.
antiword was measured against it on .doc twins of the real .docx files: it is faster,
but it flattens tables into space-aligned columns (cells lost), wraps or joins
paragraphs differently and drops text boxes; see the README's OCR and .doc section.

Each conversion runs in its own temporary folder with its own LibreOffice profile (two
instances sharing a profile block each other), under a time limit, and is killed with
its process group when the limit passes.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

_SOFFICE_NAMES = ("soffice", "libreoffice")


class DocConversionError(RuntimeError):
    """The .doc could not be converted; the message is one line."""


def soffice_path() -> str | None:
    for name in _SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def unavailable_reason() -> str | None:
    if soffice_path() is None:
        return "LibreOffice is not installed (needed for .doc files); run `make ocr-tools` or save the file as .docx"
    return None


def _run(argv: list[str], cwd: Path, timeout_s: float) -> subprocess.CompletedProcess:
    env = dict(os.environ, HOME=str(cwd), SAL_USE_VCLPLUGIN="svp")
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise DocConversionError(f"conversion took longer than {timeout_s:g} s") from None
    return subprocess.CompletedProcess(argv, process.returncode, out, err)


def doc_to_docx(data: bytes, *, timeout_s: float = 120.0) -> bytes:
    """The .docx bytes of a .doc file's ``data``, converted by LibreOffice headless."""
    soffice = soffice_path()
    if soffice is None:
        raise DocConversionError(unavailable_reason() or "LibreOffice missing")
    with tempfile.TemporaryDirectory(prefix="planchat-doc-") as tmp:
        work = Path(tmp)
        (work / "in.doc").write_bytes(data)
        profile = (work / "profile").as_uri()
        result = _run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo",
             "--nodefault", "--nolockcheck", "--infilter=MS Word 97", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"),
             str(work / "in.doc")],
            work, timeout_s,
        )
        out = work / "out" / "in.docx"
        if not out.is_file():
            lines = (result.stderr or b"").decode("utf-8", "replace").splitlines()
            errors = [line.strip() for line in lines if line.strip().lower().startswith("error")]
            detail = (errors[0] if errors else "")[:160]
            raise DocConversionError(f"LibreOffice could not convert it{': ' + detail if detail else ''}")
        return out.read_bytes()


def doc_to_text_antiword(data: bytes, *, timeout_s: float = 60.0) -> str:
    """Plain text of a .doc by antiword (kept for the measured comparison; not used by ingest)."""
    antiword = shutil.which("antiword")
    if antiword is None:
        raise DocConversionError("antiword is not installed")
    with tempfile.TemporaryDirectory(prefix="planchat-antiword-") as tmp:
        work = Path(tmp)
        (work / "in.doc").write_bytes(data)
        result = _run([antiword, "-w", "0", "-m", "UTF-8.txt", str(work / "in.doc")], work, timeout_s)
        if result.returncode != 0:
            detail = " ".join((result.stderr or b"").decode("utf-8", "replace").split())[:160]
            raise DocConversionError(f"antiword could not read it: {detail}")
        return result.stdout.decode("utf-8", "replace")
