"""Shared fixtures for ingest tests: sample plans and builders for real PDF/DOCX/cp1258 files."""
from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "sample_plans"
SAMPLE_FILES = sorted(SAMPLE_DIR.glob("*.txt"))

_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
_TONE_MARKS = set("\u0300\u0301\u0303\u0309\u0323")


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    assert len(SAMPLE_FILES) == 5, f"expected the 5 bundled sample plans in {SAMPLE_DIR}"
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def unicode_font() -> str:
    """A TTF font with Vietnamese glyphs (DejaVu Sans on Debian: fonts-dejavu-core)."""
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=vi", "file"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            path = line.split(":")[0].strip()
            if path.endswith(".ttf"):
                return path
    pytest.fail("no Unicode TTF font found: apt-get install fonts-dejavu-core")


@pytest.fixture
def make_pdf(tmp_path, unicode_font):
    """make_pdf(pages, name) -> Path: one PDF page per string; "" makes a page with no text."""
    from fpdf import FPDF

    def build(pages: list[str], name: str = "plan.pdf") -> Path:
        pdf = FPDF()
        pdf.add_font("DejaVu", fname=unicode_font)
        pdf.set_font("DejaVu", size=11)
        for text in pages:
            pdf.add_page()
            if text:
                pdf.multi_cell(0, 7, text)
            else:
                pdf.rect(20, 20, 80, 40)  # a drawing only, like a scanned page without OCR
        path = tmp_path / name
        pdf.output(str(path))
        return path

    return build


@pytest.fixture
def make_docx(tmp_path):
    """make_docx(blocks, name) -> Path: blocks are paragraph strings or tables (lists of rows)."""
    import docx

    def build(blocks: list, name: str = "plan.docx") -> Path:
        document = docx.Document()
        for block in blocks:
            if isinstance(block, str):
                document.add_paragraph(block)
                continue
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for r, row in enumerate(block):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
        path = tmp_path / name
        document.save(str(path))
        return path

    return build


def encode_cp1258(text: str) -> bytes:
    """``text`` as a real Windows-1258 file stores it.

    cp1258 has precomposed letters for ă â ê ô ơ ư (and a few toned ones) but writes
    most tones as combining marks, so each character is decomposed (NFD), its
    shape marks recomposed, its tone mark kept separate. (A plain NFD string cannot
    be encoded: cp1258 has no combining circumflex, breve or horn.)
    """
    out = []
    for ch in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        out.append(base + "".join(c for c in decomposed if c in _TONE_MARKS))
    return "".join(out).encode("cp1258")


@pytest.fixture
def cp1258_bytes():
    return encode_cp1258
