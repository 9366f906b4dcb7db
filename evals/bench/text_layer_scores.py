"""Text-layer quality scores (``ingest.text_layer``) of clean and garbled PDF pages.

``python -m evals.bench.text_layer_scores [external dir]`` scores every page of the
development PDFs (pypdf text, as the loader reads it) and of the development DOCX files
converted to PDF by LibreOffice (clean born-digital pages), prints the two shares per page
and per group, and the margin between the worst clean page and the mildest garbled one.
Pages the checker flags are marked "GARBLED". It reads files only; nothing is written
outside a temporary folder.
"""
from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ingest.text_layer import (MAX_FOREIGN_SHARE, MAX_INVALID_SHARE, MIN_WORDS, TextLayerScore, garbled_pages,
                               score_text_layer)

PAGE_CHARS = 2000


@dataclass(frozen=True)
class PageScore:
    source: str
    page: int
    score: TextLayerScore
    garbled: str = ""  # the reason ``ingest.text_layer.garbled_pages`` gives for its file, "" when clean


def pdf_page_texts(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def docx_to_pdf(path: Path, timeout_s: float = 180.0) -> bytes:
    """``path`` converted by LibreOffice headless (own profile, temporary folder)."""
    from ingest.doc_convert import soffice_path

    soffice = soffice_path()
    if soffice is None:
        raise RuntimeError("LibreOffice not installed (make ocr-tools)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run([soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                        "--norestore", "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "pdf",
                        "--outdir", str(work), str(path)],
                       check=True, capture_output=True, timeout=timeout_s)
        return (work / (path.stem + ".pdf")).read_bytes()


def text_pages(text: str, size: int = PAGE_CHARS) -> list[str]:
    """``text`` cut at line ends into pieces of about ``size`` characters (a printed page holds ~2,000)."""
    pages, current = [], ""
    for line in text.splitlines(keepends=True):
        current += line
        if len(current) >= size:
            pages.append(current)
            current = ""
    if current.strip():
        pages.append(current)
    return pages


def clean_text_sources(root: Path) -> list[tuple[str, str]]:
    """(name, text) of clean Vietnamese text: the dev-docs .txt/.md, the sample plans, the ALQAC laws."""
    import json

    repo = Path(__file__).resolve().parents[2]
    paths = sorted((root / "dev-docs").glob("*.txt")) + sorted((root / "dev-docs").glob("*.md"))
    paths += sorted((repo / "data" / "sample_plans").glob("*.txt"))
    sources = [(p.name, p.read_text(encoding="utf-8")) for p in paths if p.name != "SOURCES.md"]
    laws = root / "alqac2022" / "law.json"
    if laws.is_file():
        for law in json.loads(laws.read_text(encoding="utf-8")):
            sources.append(("alqac " + law["id"], "\n".join(a["text"] for a in law["articles"])))
    return sources


def score_pages(source: str, texts: list[str]) -> list[PageScore]:
    flagged = garbled_pages(texts)
    return [PageScore(source, number, score_text_layer(text), flagged.get(number, ""))
            for number, text in enumerate(texts, start=1)]


def _line(p: PageScore) -> str:
    s = p.score
    flag = f"  GARBLED ({p.garbled})" if p.garbled else ""
    return (f"  {p.source[:58]:58} p{p.page:<3} foreign {s.foreign_share:7.3%} ({s.foreign_chars:3}/{s.letters:5})"
            f"  invalid {s.invalid_share:6.1%} ({s.invalid_words:3}/{s.words:4}){flag}")


def _summary(name: str, pages: list[PageScore]) -> str:
    if not pages:
        return f"{name}: no pages"
    judged = [p.score.invalid_share for p in pages if p.score.words >= MIN_WORDS]
    foreign = sorted(p.score.foreign_share for p in pages)
    invalid = sorted(judged)
    return (f"{name}: {len(pages)} pages, {sum(bool(p.garbled) for p in pages)} flagged; foreign share "
            f"min {foreign[0]:.3%} median {foreign[len(foreign) // 2]:.3%} max {foreign[-1]:.3%}; invalid share "
            f"({len(invalid)} pages with >= {MIN_WORDS} words) "
            + (f"min {invalid[0]:.1%} median {invalid[len(invalid) // 2]:.1%} max {invalid[-1]:.1%}" if invalid else "-"))


def per_file(pages: list[PageScore]) -> list[str]:
    """One line per file: pages, pages flagged, worst foreign share and worst invalid share of its pages."""
    lines = []
    for source in dict.fromkeys(p.source for p in pages):
        own = [p for p in pages if p.source == source]
        lines.append(f"  {source[:62]:62} {len(own):3} p.  flagged {sum(bool(p.garbled) for p in own):2}  "
                     f"max foreign {max(p.score.foreign_share for p in own):6.3%}  "
                     f"max invalid {max(p.score.invalid_share for p in own):5.1%}")
    return lines


def main(argv: list[str]) -> int:
    from evals.external import external_dir

    root = Path(argv[0]) if argv else external_dir()
    dev = root / "dev-docs"
    garbled_names = {"ha-noi_qd35-2024_quy-che-cong-dan-thu-do-uu-tu.pdf"}  # the known broken font mapping
    clean: list[PageScore] = []
    garbled: list[PageScore] = []
    for path in sorted(dev.glob("*.pdf")):
        pages = score_pages(path.name, pdf_page_texts(path.read_bytes()))
        (garbled if path.name in garbled_names else clean).extend(pages)
    converted: list[PageScore] = []
    for path in sorted(dev.glob("*.docx")):
        converted.extend(score_pages(path.name + " (as PDF)", pdf_page_texts(docx_to_pdf(path))))
    plain: list[PageScore] = []
    for name, text in clean_text_sources(root):
        plain.extend(score_pages(name, text_pages(text)))
    print(f"thresholds: foreign share > {MAX_FOREIGN_SHARE:.2%}, invalid share > {MAX_INVALID_SHARE:.0%} "
          f"(with >= {MIN_WORDS} Vietnamese-looking words)")
    for title, group in (("clean PDF pages", clean), ("DOCX converted to PDF", converted),
                         ("garbled file (qd35)", garbled)):
        print(title)
        for p in group:
            print(_line(p))
    print("per file (PDF text layers, and DOCX converted to PDF):")
    for line in per_file(clean + garbled + converted):
        print(line)
    print(_summary("clean PDF pages", clean))
    print(_summary("DOCX->PDF pages", converted))
    print(_summary("clean text pages (txt/md, sample plans, ALQAC laws)", plain))
    print("worst clean text pages:")
    for p in sorted(plain, key=lambda p: (bool(p.garbled), p.score.foreign_share, p.score.invalid_share))[-8:]:
        if p.score.foreign_chars or p.score.invalid_words:
            print(_line(p))
    print(_summary("qd35 pages", garbled))
    all_clean = clean + converted + plain
    worst_foreign = max(p.score.foreign_share for p in all_clean)
    worst_invalid = max((p.score.invalid_share for p in all_clean if p.score.words >= MIN_WORDS), default=0.0)
    by_foreign = [p.score.foreign_share for p in garbled if "characters outside" in p.score.reason]
    by_syllables = [p.score.invalid_share for p in garbled if "syllables" in p.score.reason]
    if by_foreign:
        print(f"mildest qd35 page flagged on foreign characters: {min(by_foreign):.3%} "
              f"(threshold {MAX_FOREIGN_SHARE:.2%}, worst clean page {worst_foreign:.3%})")
    if by_syllables:
        print(f"mildest qd35 page flagged on invalid syllables: {min(by_syllables):.1%} "
              f"(threshold {MAX_INVALID_SHARE:.0%}, worst clean page {worst_invalid:.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
