"""Vietnamese post-correction of OCR text, kept only where it lowered the measured error rate.

Tesseract's commonest error on Vietnamese scans at 150 dpi or with noise is the tone
mark on a circumflex or breve vowel: hỏi (hook) read as sắc (acute), "tuyển sinh" →
"tuyến sinh", "tổ chức" → "tố chức", "triển khai" → "triến khai". Both readings are often
real syllables, so the context decides: ``ocr_hook_bigrams.txt`` lists word pairs with
a hook whose acute twin never occurs in the plans it was built from, and a pair read with
the acute is put back. Tone-mark placement (hoà/hòa) was measured too and left alone:
Tesseract keeps the placement of the page, so normalising it only moved characters.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from ingest.normalize import nfc

_ACUTE, _HOOK = "\u0301", "\u0309"
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def hook_pairs() -> dict[tuple[str, str], frozenset[int]]:
    """(left word, right word) -> positions (0, 1) of the word(s) whose hook may be restored."""
    path = Path(__file__).with_name("ocr_hook_bigrams.txt")
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2 and not line.startswith("#"):
            key = (parts[0].rstrip("*"), parts[1].rstrip("*"))
            pairs[key] = frozenset(i for i, part in enumerate(parts) if part.endswith("*"))
    return pairs


def _with_hook(word: str) -> str | None:
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", decomposed.replace(_ACUTE, _HOOK)) if _ACUTE in decomposed else None


def _same_case(model: str, word: str) -> str:
    if model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def correct_ocr_text(text: str) -> str:
    """OCR output as NFC text with hook tones restored inside known word pairs."""
    text = nfc(text)
    pairs = hook_pairs()
    matches = list(_WORD.finditer(text))
    replacements: dict[int, str] = {}
    for left, right in zip(matches, matches[1:]):
        if "\n" in text[left.end() : right.start()] and text[left.end() : right.start()].count("\n") > 1:
            continue  # not across paragraphs
        a, b = left.group().lower(), right.group().lower()
        if (a, b) in pairs:
            continue
        fixed_a, fixed_b = _with_hook(a), _with_hook(b)
        if fixed_a and 0 in pairs.get((fixed_a, b), ()):
            replacements[left.start()] = _same_case(left.group(), fixed_a)
        elif fixed_b and 1 in pairs.get((a, fixed_b), ()):
            replacements[right.start()] = _same_case(right.group(), fixed_b)
    if not replacements:
        return text
    out, last = [], 0
    for match in matches:
        if match.start() in replacements:
            out.append(text[last : match.start()])
            out.append(replacements[match.start()])
            last = match.end()
    out.append(text[last:])
    return "".join(out)
