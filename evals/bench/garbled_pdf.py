"""Born-digital PDFs with a broken font mapping, made from known text, and what ingest reads from them.

``garble_text_layer`` rewrites the ToUnicode map of the fonts fpdf2 embeds so that some
glyphs extract as wrong code points, as in the PDFill-edited Hà Nội decision 35/2024
("à" → "j", "ạ" → "ҥ", "ứ" → "ӭ"): the page looks right and its text layer reads wrong.

``python -m evals.bench.garbled_pdf`` typesets two sample plans, garbles them with
``QD35_LIKE`` and prints the character error rate (``evals.bench.ocr_bench.cer``)
against the typeset text of: the garbled layer (OCR off), plain OCR of every page
(``--ocr-mode always``), and the default ingest (garbled pages detected, OCR'd and the
layer repaired with OCR's letters).
"""
from __future__ import annotations

import io
import re
import sys
import tempfile
from pathlib import Path
from typing import Mapping

# Wrong code points for some glyphs, as decision 35/2024's text layer has them (Latin
# letters and Cyrillic letters of similar shape).
QD35_LIKE: dict[str, str] = {
    "à": "j", "á": "i", "é": "p", "í": "t", "ó": "y", "ã": "m", "ì": "u", "è": "q", "ò": "z",
    "ạ": "ҥ", "ả": "ҧ", "ấ": "ҩ", "ẫ": "ү", "ồ": "ӗ", "ọ": "ӑ", "ớ": "ӟ", "ứ": "ӭ", "ử": "ӱ", "ị": "ӏ",
}
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4,8})>")


def garble_text_layer(pdf: bytes, wrong: Mapping[str, str]) -> bytes:
    """``pdf`` with every font's ToUnicode map sending the glyph of each key of ``wrong`` to its value.

    Handles the one-to-one ``bfchar`` maps fpdf2 writes; the page content is untouched.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    targets = {f"{ord(k):04X}".encode(): f"{ord(v):04X}".encode() for k, v in wrong.items()}

    def remap(match: re.Match) -> bytes:
        code, target = match.group(1), match.group(2).upper()
        return b"<" + code + b"> <" + targets.get(target, target) + b">"

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    done = set()
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            cmap_ref = font.get(NameObject("/ToUnicode"))
            if cmap_ref is None or id(cmap_ref.get_object()) in done:
                continue
            stream = cmap_ref.get_object()
            stream.set_data(_BFCHAR.sub(remap, stream.get_data()))
            done.add(id(stream))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def garbled_plan_pdf(text: str, wrong: Mapping[str, str] = QD35_LIKE, *, font_size: float = 13) -> bytes:
    """``text`` typeset (``evals.bench.scans.typeset_pdf``) with a text layer garbled per ``wrong``."""
    from evals.bench.scans import typeset_pdf

    return garble_text_layer(typeset_pdf(text, font_size=font_size), wrong)


def main(argv: list[str]) -> int:
    from evals.bench.ocr_bench import DEFAULT_TEXTS, TEXT_CHARS, cer
    from evals.bench.scans import page_texts
    from ingest.loaders import load_document
    from ingest.ocr import OcrOptions
    from ingest.text_layer import score_text_layer

    repo = Path(__file__).resolve().parents[2]
    texts = [(repo / name).read_text(encoding="utf-8")[:TEXT_CHARS] for name in DEFAULT_TEXTS]
    rows: dict[str, tuple[list[str], list[str]]] = {"garbled layer (OCR off)": ([], []),
                                                    "plain OCR (mode always)": ([], []),
                                                    "default ingest (repair)": ([], [])}
    scores: dict[str, list] = {name: [] for name in rows}
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(texts):
            refs = page_texts(text)
            path = Path(tmp) / f"garbled{i}.pdf"
            path.write_bytes(garbled_plan_pdf(text))
            for name, mode in zip(rows, ("off", "always", "auto")):
                doc = load_document(path, ocr=OcrOptions(mode=mode))
                hyps = [doc.text[s.start:s.end] for s in doc.pages]
                rows[name][0].extend(refs)
                rows[name][1].extend(hyps)
                scores[name].extend(score_text_layer(h) for h in hyps)
                if mode == "auto":
                    print(f"{path.name}: {len(refs)} pages, garbled pages replaced: {doc.meta.garbled_pages!r}")
    for name, (refs, hyps) in rows.items():
        invalid = sum(s.invalid_words for s in scores[name]) / max(sum(s.words for s in scores[name]), 1)
        print(f"{name:28} CER {cer(refs, hyps):7.2%}   invalid syllables {invalid:6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
