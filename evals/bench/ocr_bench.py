"""``planchat bench --ocr``: Vietnamese OCR error rate per scan condition, OCR speed, engine and renderer.

Scans are made here from known text (``evals.bench.scans``): two sample plans typeset in
Liberation Serif (Times New Roman metrics), rasterised at 150 and 300 dpi, clean, skewed,
and skewed with salt-and-pepper noise. The character error rate (CER) is the edit
distance between what OCR read and the typeset page text, over the reference length,
whitespace folded and NFC on both sides. Figures measured in one run, on this machine.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from evals.bench.scans import ScanCondition, page_texts, rasterise, scanned_pdf

Say = Callable[[str], None]

BENCH_CONDITIONS: tuple[ScanCondition, ...] = (
    ScanCondition("300dpi clean", 300),
    ScanCondition("300dpi skew 1°", 300, skew_deg=1.0),
    ScanCondition("300dpi skew 1° + 1% noise", 300, skew_deg=1.0, noise=0.01),
    ScanCondition("150dpi clean", 150),
    ScanCondition("150dpi skew 1°", 150, skew_deg=1.0),
    ScanCondition("150dpi skew 1° + 1% noise", 150, skew_deg=1.0, noise=0.01),
)
_REPO = Path(__file__).resolve().parents[2]
DEFAULT_TEXTS = ("data/sample_plans/cao-bang-3058-KH-UBND-2024.txt", "data/sample_plans/ha-noi-72-KH-UBND-2022.txt")
TEXT_CHARS = 4500  # about two pages of each text


def fold_space(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row at a time (a page is ~2,500 characters)."""
    import numpy as np

    if not a or not b:
        return len(a) + len(b)
    target = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    steps = np.arange(len(target) + 1)
    previous = steps.copy()
    codes = np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32)
    for i, code in enumerate(codes, start=1):
        best = np.empty(len(target) + 1, dtype=np.int64)
        best[0] = i
        best[1:] = np.minimum(previous[1:] + 1, previous[:-1] + (target != code))
        previous = np.minimum.accumulate(best - steps) + steps  # insertions, left to right
    return int(previous[-1])


def cer(references: Sequence[str], hypotheses: Sequence[str]) -> float:
    """Character error rate over pages: total edits / total reference characters."""
    errors = total = 0
    for ref, hyp in zip(references, hypotheses):
        ref, hyp = fold_space(ref), fold_space(hyp)
        errors += edit_distance(ref, hyp)
        total += len(ref)
    return errors / max(total, 1)


@dataclass(frozen=True)
class _Corpus:
    references: list[str]
    pdfs: list[bytes]


def _corpus(texts: Sequence[str], condition: ScanCondition) -> _Corpus:
    refs, pdfs = [], []
    for seed, text in enumerate(texts):
        refs += page_texts(text)
        pdfs.append(scanned_pdf(text, condition, seed=seed))
    return _Corpus(refs, pdfs)


def _ocr_pdfs(pdfs: Sequence[bytes], workers: int, correct: bool = True) -> tuple[list[str], list[float], float, int]:
    """(page texts, confidences, wall seconds, pages denoised) through the ingest OCR path."""
    from ingest.ocr import OcrOptions
    from ingest.ocr_correct import correct_ocr_text
    from ingest.ocr_pdf import ocr_pdf_pages

    import pypdfium2 as pdfium

    texts, confidences, denoised = [], [], 0
    started = time.perf_counter()
    for pdf in pdfs:
        count = len(pdfium.PdfDocument(pdf))
        pages = ocr_pdf_pages(pdf, range(1, count + 1), OcrOptions(workers=workers, timeout_s=3600))
        for number in sorted(pages):
            page = pages[number]
            texts.append(correct_ocr_text(page.text) if correct else page.text)
            confidences.append(page.confidence)
            denoised += page.denoised
    return texts, confidences, time.perf_counter() - started, denoised


def _cli_engine(images, dpi: int) -> tuple[list[str], float]:
    """The tesseract command line, as pytesseract runs it (one process and one image file per page)."""
    out, started = [], time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i, image in enumerate(images):
            path = Path(tmp) / f"p{i}.png"
            image.save(path)
            result = subprocess.run(["tesseract", str(path), "stdout", "-l", "vie", "--dpi", str(dpi)],
                                    capture_output=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
            out.append(result.stdout.decode("utf-8", "replace"))
    return out, time.perf_counter() - started


def _render_times(pdf: bytes, dpi: int) -> dict:
    figures = {}
    started = time.perf_counter()
    pages = rasterise(pdf, dpi)
    figures["render_pypdfium2_s_per_page"] = round((time.perf_counter() - started) / len(pages), 3)
    if shutil.which("pdftoppm"):
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "in.pdf").write_bytes(pdf)
            started = time.perf_counter()
            subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "in.pdf", "p"], cwd=tmp, check=True)
            figures["render_pdftoppm_s_per_page"] = round((time.perf_counter() - started) / len(pages), 3)
    return figures


def run_ocr_bench(*, texts: Sequence[str] | None = None, conditions: Sequence[ScanCondition] = BENCH_CONDITIONS,
                  compare_engines: bool = True, say: Say = lambda _m: None) -> dict:
    """Every OCR figure as one flat dict (CER as a fraction, speeds in pages per second)."""
    from ingest.ocr import unavailable_reason

    reason = unavailable_reason("vie")
    if reason:
        return {"ocr_available": False, "notes": [reason]}
    if texts is None:
        texts = [(_REPO / p).read_text(encoding="utf-8")[:TEXT_CHARS] for p in DEFAULT_TEXTS]
    out: dict = {"ocr_available": True, "ocr_engine": "tesserocr (Tesseract LSTM, vie)"}
    from evals.bench.measure import cpu_count, load_average

    out["machine_cores"] = cpu_count()
    out["load_avg_start"] = load_average()
    clean_300 = None
    for condition in conditions:
        say(f"ocr: {condition.name}")
        corpus = _corpus(texts, condition)
        raw, confidences, wall, denoised = _ocr_pdfs(corpus.pdfs, workers=1, correct=False)
        key = condition.name
        out[f"cer[{key}]"] = round(cer(corpus.references, raw), 4)
        from ingest.ocr_correct import correct_ocr_text

        out[f"cer_corrected[{key}]"] = round(cer(corpus.references, [correct_ocr_text(t) for t in raw]), 4)
        out[f"confidence[{key}]"] = round(sum(confidences) / max(len(confidences), 1), 3)
        out[f"pages_denoised[{key}]"] = f"{denoised}/{len(raw)}"
        out[f"s_per_page_1_thread[{key}]"] = round(wall / max(len(raw), 1), 2)
        if condition.dpi == 300 and not condition.skew_deg and not condition.noise:
            clean_300 = corpus
    if clean_300 is not None:
        say("ocr: pages per second, 1 and 2 worker threads (300 dpi)")
        _, _, wall_1, _ = _ocr_pdfs(clean_300.pdfs, workers=1)
        _, _, wall_2, _ = _ocr_pdfs(clean_300.pdfs, workers=2)
        pages = len(clean_300.references)
        out["ocr_pages_per_s_1_worker"] = round(pages / wall_1, 3)
        out["ocr_pages_per_s_2_workers"] = round(pages / wall_2, 3)
        out["ocr_2_vs_1_worker_speedup"] = round(wall_1 / wall_2, 2)
        out.update(_render_times(clean_300.pdfs[0], 300))
        if compare_engines and shutil.which("tesseract"):
            say("ocr: tesserocr against the tesseract command line (what pytesseract runs)")
            images = [im for pdf in clean_300.pdfs for im in rasterise(pdf, 300)]
            cli_text, cli_wall = _cli_engine(images, 300)
            api_text, _, api_wall, _ = _ocr_pdfs(clean_300.pdfs, workers=1, correct=False)
            out["engine_tesserocr_s_per_page"] = round(api_wall / len(images), 2)
            out["engine_tesseract_cli_s_per_page"] = round(cli_wall / len(images), 2)
            out["engine_tesserocr_cer"] = round(cer(clean_300.references, api_text), 4)
            out["engine_tesseract_cli_cer"] = round(cer(clean_300.references, cli_text), 4)
    out["load_avg_end"] = load_average()
    return out
