"""OCR of the PDF pages that have no usable text layer, or a garbled one.

A page is read by OCR when its text layer has fewer than ``USABLE_TEXT_CHARS`` letters
(a scan) or when ``ingest.text_layer`` finds it garbled (a broken font mapping: "Thjnh
phố", "đҥt"); ``ocr_reasons`` says which applies to each page.

Pages are rendered with pypdfium2 (in-process, faster than spawning pdftoppm, and it
draws form widgets such as signature stamps) at the resolution of the scan itself:
upsampling a 150 dpi scan to 300 dpi made Tesseract read noise specks as marks (CER
23% instead of 2.5% on a noisy 150 dpi page). A 3x3 median filter removes salt-and-pepper
noise, but it also erodes thin strokes of clean low-resolution scans, so it is applied
only to pages whose isolated-speck share says they are noisy. The measurements are in
the README's OCR section (``planchat bench --ocr`` repeats them).

PDFium is not thread-safe: rendering happens on the calling thread under one lock;
recognition runs on ``OcrOptions.workers`` threads.
"""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Collection, Sequence

from ingest.ocr import OcrDeadline, OcrOptions, OcrText, shared_engine
from ingest.text_layer import garbled_pages

PDFIUM_LOCK = threading.RLock()  # every pypdfium2 call in this process goes through it

MIN_DPI, MAX_DPI, DEFAULT_DPI = 150, 300, 300
NOISY_SPECK_SHARE = 0.0005  # isolated dark pixels per pixel above which a page is denoised
MAX_PIXELS = 40_000_000  # a page image larger than this is rendered smaller (a 300 dpi A3 page is 17 M)
USABLE_TEXT_CHARS = 20  # a page with fewer letters/digits in its text layer is treated as having none
NO_TEXT_LAYER = "no usable text layer"
GARBLED_TEXT_LAYER = "garbled text layer"  # a reason starting with this: the layer exists but reads wrong
ALWAYS = "OCR mode always"

PageProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class OcrPage:
    page: int  # 1-based
    text: str
    confidence: float
    dpi: int
    denoised: bool = False


class OcrTooManyPages(RuntimeError):
    def __init__(self, pages: int, limit: int):
        self.pages, self.limit = pages, limit
        super().__init__(f"{pages} pages need OCR, more than the limit of {limit}")


class OcrTimedOut(RuntimeError):
    def __init__(self, done: int, total: int, limit_s: float):
        self.done, self.total, self.limit_s = done, total, limit_s
        super().__init__(f"OCR stopped at the time limit of {limit_s:g} s ({done} of {total} pages read)")


def has_usable_text(text: str) -> bool:
    return sum(ch.isalnum() for ch in text) >= USABLE_TEXT_CHARS


def ocr_reasons(page_texts: Sequence[str], mode: str) -> dict[int, str]:
    """1-based numbers of the pages to OCR, each with why, in page order.

    "off": none. "always": every page. "auto": pages without usable text (``NO_TEXT_LAYER``)
    and pages whose text layer is garbled (``GARBLED_TEXT_LAYER`` and the measured shares).
    """
    if mode == "off":
        return {}
    if mode == "always":
        return {number: ALWAYS for number in range(1, len(page_texts) + 1)}
    reasons = {i: NO_TEXT_LAYER for i, text in enumerate(page_texts, start=1) if not has_usable_text(text)}
    for number, why in garbled_pages(page_texts).items():
        reasons.setdefault(number, f"{GARBLED_TEXT_LAYER} ({why})")
    return dict(sorted(reasons.items()))


def pages_to_ocr(page_texts: Sequence[str], mode: str) -> list[int]:
    """1-based numbers of the pages to OCR (``ocr_reasons`` without the reasons)."""
    return list(ocr_reasons(page_texts, mode))


def scan_dpi(page) -> int:
    """Resolution at which to render a pdfium page: that of its largest image, within [150, 300]."""
    import pypdfium2.raw as pdfium_c

    width_pt = page.get_width() or 595
    best_px, best_dpi = 0, DEFAULT_DPI
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            px_w, px_h = obj.get_px_size()
            left, bottom, right, top = obj.get_bounds()
        except Exception:  # a damaged image object: its size is unknown
            continue
        shown_w = max(right - left, 1.0)
        if px_w * px_h > best_px and shown_w > width_pt * 0.3:
            best_px, best_dpi = px_w * px_h, round(px_w / (shown_w / 72))
    return int(min(max(best_dpi, MIN_DPI), MAX_DPI))


def render_page(page, dpi: int, *, crop_top_share: float | None = None):
    """A greyscale PIL image of ``page`` at ``dpi`` (forms and annotations drawn); optionally only its top band."""
    width, height = page.get_size()
    scale = dpi / 72
    if width * height * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / (width * height)) ** 0.5
    crop = (0, height * (1 - crop_top_share), 0, 0) if crop_top_share else (0, 0, 0, 0)  # amounts cut (l, b, r, t)
    bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=True, crop=crop)
    return bitmap.to_pil().convert("L")


def speck_share(image) -> float:
    """Share of pixels that are dark with no dark neighbour: salt-and-pepper noise, not text strokes."""
    import numpy as np

    dark = np.asarray(image, dtype=np.uint8) < 128
    if dark.shape[0] < 3 or dark.shape[1] < 3:
        return 0.0
    padded = np.pad(dark, 1)
    neighbours = np.zeros(dark.shape, dtype=np.uint8)
    h, w = dark.shape
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            if dy == 1 and dx == 1:
                continue
            neighbours += padded[dy : dy + h, dx : dx + w]
    return float((dark & (neighbours == 0)).mean())


def prepare_image(image) -> tuple[object, bool]:
    """(image to recognise, whether it was denoised)."""
    from PIL import ImageFilter

    if speck_share(image) > NOISY_SPECK_SHARE:
        return image.filter(ImageFilter.MedianFilter(3)), True
    return image, False


def ocr_pdf_pages(
    data: bytes,
    pages: Sequence[int],
    options: OcrOptions,
    *,
    progress: PageProgress | None = None,
    vector_pages: Collection[int] = (),
) -> dict[int, OcrPage]:
    """OCR the given 1-based ``pages`` of the PDF ``data``.

    ``vector_pages`` (pages whose garbled text layer is being replaced: their letters are
    vector glyphs, not a scan) are rendered at ``MAX_DPI`` whatever images they hold.

    Raises ``OcrTooManyPages`` before reading anything when there are more than
    ``options.max_pages``, ``OcrTimedOut`` when ``options.timeout_s`` passes, and lets
    ``ingest.ocr.OcrUnavailable`` through. ``progress(done, total)`` is called after each page.
    """
    import pypdfium2 as pdfium

    pages = list(pages)
    if len(pages) > options.max_pages:
        raise OcrTooManyPages(len(pages), options.max_pages)
    if not pages:
        return {}
    engine = shared_engine(options.lang)
    deadline = time.monotonic() + options.timeout_s
    total = len(pages)
    results: dict[int, OcrPage] = {}
    workers = max(1, options.workers)
    if progress:
        progress(0, total)

    def recognise(number: int, image, dpi: int, denoised: bool) -> OcrPage:
        read: OcrText = engine.read(image, dpi=dpi, deadline=deadline)
        return OcrPage(number, read.text, read.confidence, dpi, denoised)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") as pool:
        pending = []
        try:
            with PDFIUM_LOCK:
                document = pdfium.PdfDocument(data)
            try:
                for number in pages:
                    if time.monotonic() > deadline:
                        raise OcrTimedOut(len(results), total, options.timeout_s)
                    with PDFIUM_LOCK:
                        page = document[number - 1]
                        try:
                            dpi = MAX_DPI if number in vector_pages else scan_dpi(page)
                            image = render_page(page, dpi)
                        finally:
                            page.close()
                    image, denoised = prepare_image(image)
                    pending.append(pool.submit(recognise, number, image, dpi, denoised))
                    while len(pending) > workers:  # keep at most a few rendered pages in memory
                        _collect(pending.pop(0), results, total, options, progress)
                while pending:
                    _collect(pending.pop(0), results, total, options, progress)
            finally:
                with PDFIUM_LOCK:
                    document.close()
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return results


def _collect(future, results: dict[int, OcrPage], total: int, options: OcrOptions, progress) -> None:
    try:
        page = future.result()
    except OcrDeadline:
        raise OcrTimedOut(len(results), total, options.timeout_s) from None
    results[page.page] = page
    if progress:
        progress(len(results), total)
