"""Tesseract OCR of page images, through tesserocr (the C++ API in-process).

Why tesserocr: on the same pages it reads exactly what pytesseract (the tesseract
command line) and ocrmypdf read, because all three run the same engine and the same
``vie`` model, but it is the fastest of the three here (no process and no image file
per page, the model loaded once per thread), it releases the GIL while recognising
(two pages in two threads use two cores), its word confidences come with the text, and
``Recognize(timeout=…)`` stops a page at the file's deadline. The README's OCR section
has the measured comparison.

The wheel bundles libtesseract; the trained ``vie`` model comes from Debian
(``tesseract-ocr-vie``, installed by ``make ocr-tools``) or ``$TESSDATA_PREFIX``.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

OCR_MODES = ("auto", "off", "always")

_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)


@dataclass(frozen=True)
class OcrOptions:
    """How scanned pages are read.

    ``mode``: "auto" OCRs the pages of a PDF that have no usable text layer; "always"
    OCRs every page (for PDFs whose text layer is garbage); "off" never OCRs (a scanned
    PDF is refused as before). ``max_pages`` and ``timeout_s`` bound the work for one
    file: a longer scan is refused before any page is read, a slower one is stopped.
    """

    mode: str = "auto"
    max_pages: int = 200
    timeout_s: float = 600.0
    lang: str = "vie"
    workers: int = 2

    @property
    def enabled(self) -> bool:
        return self.mode != "off"


@dataclass(frozen=True)
class OcrText:
    """What OCR read on one image: text (lines separated by "\\n") and mean word confidence in [0, 1]."""

    text: str
    confidence: float
    words: int = 0


class OcrUnavailable(RuntimeError):
    """Tesseract or its language data is missing; the message says what to install."""


class OcrDeadline(RuntimeError):
    """The file's OCR time limit passed while a page was being read."""


def tessdata_dir(lang: str = "vie") -> Path | None:
    """The folder holding ``<lang>.traineddata``: ``$TESSDATA_PREFIX`` first, then the usual system places."""
    candidates = []
    prefix = os.environ.get("TESSDATA_PREFIX", "").strip()
    if prefix:
        candidates += [Path(prefix), Path(prefix) / "tessdata"]
    candidates += [Path(p) for p in _TESSDATA_DIRS]
    for folder in candidates:
        if (folder / f"{lang}.traineddata").is_file():
            return folder
    return None


def unavailable_reason(lang: str = "vie") -> str | None:
    """Why OCR cannot run here (one line), or None when it can."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return "OCR engine not installed (python package tesserocr); run `make setup`"
    if tessdata_dir(lang) is None:
        return f"Tesseract '{lang}' language data not found; run `make ocr-tools` (Debian: tesseract-ocr-{lang})"
    return None


class OcrEngine:
    """Recognises PIL images. A Tesseract instance is not thread-safe, so each call borrows
    one from a free list (created on demand, kept for reuse: loading the model costs ~0.3 s)."""

    def __init__(self, lang: str = "vie"):
        reason = unavailable_reason(lang)
        if reason:
            raise OcrUnavailable(reason)
        self.lang = lang
        self._path = str(tessdata_dir(lang))
        self._free: list = []
        self._lock = threading.Lock()

    def _borrow(self):
        with self._lock:
            if self._free:
                return self._free.pop()
        import tesserocr

        return tesserocr.PyTessBaseAPI(path=self._path, lang=self.lang)

    def _give_back(self, api) -> None:
        api.Clear()
        with self._lock:
            self._free.append(api)

    def read(self, image, *, dpi: int = 300, deadline: float | None = None) -> OcrText:
        """Text and confidence of ``image`` (a PIL image); ``deadline`` is a ``time.monotonic()`` value."""
        api = self._borrow()
        try:
            _recognize(api, image, dpi, deadline)
            text = api.GetUTF8Text() or ""
            confidences = [c for c in api.AllWordConfidences() if c >= 0]
        finally:
            self._give_back(api)
        mean = sum(confidences) / len(confidences) / 100 if confidences else 0.0
        return OcrText(text=text, confidence=round(mean, 3), words=len(confidences))

    def read_digits(self, image, *, dpi: int = 300, deadline: float | None = None) -> str:
        """The digits on a one-line image (a stamped number or day), read with a digits-only alphabet."""
        api = self._borrow()
        import tesserocr

        try:
            api.SetPageSegMode(tesserocr.PSM.SINGLE_LINE)
            api.SetVariable("tessedit_char_whitelist", "0123456789")
            _recognize(api, image, dpi, deadline)
            return (api.GetUTF8Text() or "").strip()
        finally:
            api.SetVariable("tessedit_char_whitelist", "")
            api.SetPageSegMode(tesserocr.PSM.AUTO)
            self._give_back(api)

    def close(self) -> None:
        with self._lock:
            for api in self._free:
                api.End()
            self._free.clear()


_SHARED: dict[str, OcrEngine] = {}
_SHARED_LOCK = threading.Lock()


def shared_engine(lang: str = "vie") -> OcrEngine:
    """One engine per language for the process: loading the model takes a noticeable fraction of a second."""
    with _SHARED_LOCK:
        engine = _SHARED.get(lang)
        if engine is None:
            engine = _SHARED[lang] = OcrEngine(lang)
        return engine


def _recognize(api, image, dpi: int, deadline: float | None) -> None:
    """Give ``image`` to the engine and recognise it, within ``deadline`` (a ``time.monotonic()`` value)."""
    api.SetImage(image)
    api.SetSourceResolution(int(dpi))
    if deadline is not None:
        remaining_ms = int((deadline - time.monotonic()) * 1000)
        if remaining_ms <= 0 or not api.Recognize(timeout=remaining_ms):
            raise OcrDeadline("time limit reached")
