"""Synthetic scans of known text: the ground truth for OCR error rates and OCR tests.

Text is typeset with fpdf2 (a dev extra) in a Times-like serif (Liberation Serif 2 is
metric-compatible with Times New Roman, the font of most Vietnamese official documents;
DejaVu Serif when Liberation is missing), rasterised with pypdfium2 at a given dpi,
optionally skewed and sprinkled with noise, and saved as an image-only PDF (no text
layer), like a document that went through a scanner.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

_FONT_CANDIDATES = (
    ("Liberation Serif", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    ("DejaVu Serif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
)


@dataclass(frozen=True)
class ScanCondition:
    """How a page is "scanned": resolution, skew in degrees, share of pixels flipped by noise."""

    name: str
    dpi: int
    skew_deg: float = 0.0
    noise: float = 0.0


CONDITIONS: tuple[ScanCondition, ...] = (
    ScanCondition("300dpi clean", 300),
    ScanCondition("300dpi skew 1.5° + noise", 300, skew_deg=1.5, noise=0.02),
    ScanCondition("150dpi clean", 150),
    ScanCondition("150dpi skew 1.5° + noise", 150, skew_deg=1.5, noise=0.02),
)


def find_serif_font() -> tuple[str, Path]:
    """(family name, path) of a Times-like serif with Vietnamese glyphs; FileNotFoundError if none."""
    for family, path in _FONT_CANDIDATES:
        if Path(path).is_file():
            return family, Path(path)
    raise FileNotFoundError("no serif font with Vietnamese glyphs found (install fonts-liberation2: `make ocr-tools`)")


def typeset_pdf(text: str, *, font_size: float = 13, font: Path | None = None) -> bytes:
    """``text`` (paragraphs separated by newlines) as an A4 PDF with a text layer, official-document margins."""
    from fpdf import FPDF

    if font is None:
        font = find_serif_font()[1]
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(30, 20, 15)  # left, top, right: the official layout (Nghị định 30/2020)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("body", "", str(font))
    pdf.set_font("body", size=font_size)
    pdf.add_page()
    for paragraph in text.split("\n"):
        if paragraph.strip():
            pdf.multi_cell(0, font_size * 0.5, paragraph.strip(), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(font_size * 0.3)
    return bytes(pdf.output())


def rasterise(pdf: bytes, dpi: int) -> list:
    """Each page of ``pdf`` as a greyscale PIL image at ``dpi``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def degrade(image, *, skew_deg: float = 0.0, noise: float = 0.0, seed: int = 0):
    """The page rotated by ``skew_deg`` and with a ``noise`` share of pixels flipped (salt and pepper)."""
    import numpy as np
    from PIL import Image

    if skew_deg:
        image = image.rotate(skew_deg, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if noise:
        pixels = np.asarray(image, dtype=np.uint8).copy()
        rng = np.random.default_rng(seed)
        mask = rng.random(pixels.shape) < noise
        pixels[mask] = np.where(rng.random(int(mask.sum())) < 0.5, 0, 255).astype(np.uint8)
        image = Image.fromarray(pixels, mode="L")
    return image


def images_to_pdf(images: Sequence, dpi: int) -> bytes:
    """An image-only PDF, one page per image, page size from the image size and ``dpi``."""
    if not images:
        raise ValueError("no pages")
    out = io.BytesIO()
    first, *rest = [im.convert("L") for im in images]
    first.save(out, "PDF", save_all=True, append_images=rest, resolution=float(dpi))
    return out.getvalue()


def scanned_pdf(text: str, condition: ScanCondition, *, seed: int = 0, font_size: float = 13) -> bytes:
    """``text`` typeset, rasterised and degraded per ``condition``: an image-only PDF."""
    pages = rasterise(typeset_pdf(text, font_size=font_size), condition.dpi)
    rng = random.Random(seed)
    degraded = [
        degrade(page, skew_deg=condition.skew_deg * (1 if rng.random() < 0.5 else -1), noise=condition.noise,
                seed=seed + i)
        for i, page in enumerate(pages)
    ]
    return images_to_pdf(degraded, condition.dpi)


def page_texts(text: str, *, font_size: float = 13) -> list[str]:
    """The text of each page as typeset by ``typeset_pdf`` (read back from its text layer)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(typeset_pdf(text, font_size=font_size)))
    return [page.extract_text() or "" for page in reader.pages]
