"""Repair a garbled PDF text layer with the OCR reading of the same page.

A broken font mapping spoils only some glyphs ("Thjnh" for "Thành", "đҥt" for "đạt",
"cic" for "các"); the rest of the layer is exact and keeps the page's reading order
(header columns, the blank "Số: /2024/QĐ-UBND" that ``ingest.stamped`` looks for).
Tesseract reads those glyphs right but makes mistakes of its own, nearly all on
diacritics: on the Hà Nội decision 35/2024 it drops or swaps tone marks ("số" → "sô",
"quyền" → "quyên", "Thi đua" → "Thị đua") in 127 of its 2,518 words. So the layer is kept
and only its wrong letters are taken from OCR:

1. The layer and the OCR text of the page are aligned character by character
   (difflib). Short letter-for-letter differences inside a layer word are candidate
   fixes; a fix never changes letter case.
2. A fix is taken when the layer word does not read as Vietnamese (a character of another
   script, or not a syllable: "Thjnh", "đҥt") and the fixed word does.
3. A fix is also taken when the fixed word reads as Vietnamese and each replaced letter
   has another base letter than OCR's ("i" → "á", "y" → "ó"): a broken glyph map turns
   a letter into an unrelated one, while OCR keeps the base letter and gets the marks
   wrong ("ố" → "ô"), so differences in marks alone keep the layer's reading.

A glyph of another script stands for one letter throughout the file, so its reading is
the commonest OCR reading of it over all the garbled pages given together
(``glyph_readings``).
"""
from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from ingest.normalize import is_vietnamese_syllable, nfc
from ingest.text_layer import WORD_RE, is_foreign_char

MAX_SEGMENT = 3  # longest letter run replaced in one place (a broken glyph, or a letter and its marks)
# difflib's alignment is quadratic: 0.6 s for decision 35/2024's 9 pages (~2,000 characters each), 4 s for one
# 10,000-character text; a longer page is not repaired (the loader then keeps plain OCR text for it)
MAX_ALIGN_CHARS = 12_000


@dataclass(frozen=True)
class WordFix:
    """One word of a page's text layer and what OCR says it should read."""

    start: int  # offsets of the word in the (NFC) layer text
    end: int
    layer: str
    fixed: str
    pairs: tuple[tuple[str, str], ...]  # (layer letters, OCR letters) replaced inside the word

    @property
    def proven(self) -> bool:
        """The layer word is not Vietnamese and the fixed word is."""
        return not reads_vietnamese(self.layer) and reads_vietnamese(self.fixed)

    @property
    def changes_base_letters(self) -> bool:
        return all(_base(ours) != _base(theirs) for ours, theirs in self.pairs)

    @property
    def taken(self) -> bool:
        return self.proven or (self.changes_base_letters and reads_vietnamese(self.fixed))


def reads_vietnamese(word: str) -> bool:
    """A well-formed Vietnamese syllable with no foreign character (loanword runs do not count here:
    split freely, "xuư" = "xu" + "ư" would pass)."""
    return not any(is_foreign_char(ch) for ch in word) and is_vietnamese_syllable(word)


def _base(letters: str) -> str:
    """Letters without their diacritics, lower-case, đ→d: "Ố" → "o"; other scripts stay as they are."""
    decomposed = unicodedata.normalize("NFD", letters.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)) or decomposed


def _is_letters(segment: str) -> bool:
    """Letters, combining marks or private-use glyphs only: what a broken glyph can turn into."""
    return bool(segment) and WORD_RE.fullmatch(segment) is not None


def _squeeze(text: str) -> tuple[str, list[int]]:
    """``text`` with each whitespace run made one space, and the offset in ``text`` of each kept character.

    Justified PDF lines extract with double spaces that OCR reads as one; aligned as they
    are, such runs pull difflib off the letters around them.
    """
    out, where, previous_space = [], [], False
    for offset, ch in enumerate(text):
        space = ch.isspace()
        if space and previous_space:
            continue
        out.append(" " if space else ch)
        where.append(offset)
        previous_space = space
    return "".join(out), where


def letter_edits(layer: str, ocr: str) -> list[tuple[int, int, str]]:
    """(start, end, OCR letters): short letter runs of ``layer`` that OCR reads otherwise (both NFC)."""
    if max(len(layer), len(ocr)) > MAX_ALIGN_CHARS:
        return []
    ours_all, where = _squeeze(layer)
    theirs_all = " ".join(ocr.split())
    edits = []
    matcher = difflib.SequenceMatcher(None, ours_all, theirs_all, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        ours, theirs = ours_all[i1:i2], theirs_all[j1:j2]
        if op != "replace" or len(ours) > MAX_SEGMENT or len(theirs) > MAX_SEGMENT:
            continue
        if not _is_letters(ours) or not theirs.isalpha():
            continue
        start = where[i1]  # a letter run has no whitespace: its characters are consecutive in ``layer``
        if len(ours) == len(theirs):  # letter by letter, so that "vj" -> "Và" fixes only the "j"
            edits.extend((start + k, start + k + 1, b) for k, (a, b) in enumerate(zip(ours, theirs))
                         if a.lower() != b.lower())
        else:
            edits.append((start, start + len(ours), theirs))
    return edits


def glyph_readings(layers: Sequence[str], edits: Sequence[Sequence[tuple[int, int, str]]]) -> dict[str, str]:
    """For each foreign character of the layers, OCR's commonest reading of it in the file.

    A font map sends one glyph to one code point, so "ҩ" stands for the same letter
    everywhere ("ấ" 16 times on decision 35/2024); where OCR misread it once ("trҩn" →
    "trần" for "trấn"), the file's majority puts it right.
    """
    votes: dict[str, Counter] = {}
    for layer, page_edits in zip(layers, edits):
        for i1, i2, theirs in page_edits:
            ours = layer[i1:i2]
            if len(ours) == 1 and len(theirs) == 1 and is_foreign_char(ours):
                votes.setdefault(ours, Counter())[theirs.lower()] += 1
    return {glyph: counts.most_common(1)[0][0] for glyph, counts in votes.items()}


def _cased(ours: str, theirs: str) -> str:
    """OCR letters in the layer's case where the layer's letters are Latin; a foreign glyph's case means
    nothing ("ӄ" stands for "Ề" in "Đӄ NGHӎ"), so there OCR's case stands."""
    if len(ours) == len(theirs) and not any(is_foreign_char(ch) for ch in ours):
        return "".join(b.upper() if a.isupper() else b.lower() for a, b in zip(ours, theirs))
    return theirs


def _read_as(ours: str, theirs: str, readings: dict[str, str]) -> str:
    """``theirs`` (OCR's letter for the layer's ``ours``) replaced by the file's reading of the glyph, in OCR's case."""
    reading = readings.get(ours) if len(theirs) == 1 else None
    if reading is None:
        return theirs
    return reading.upper() if theirs.isupper() else reading


def word_fixes(layer: str, edits: Sequence[tuple[int, int, str]], readings: dict[str, str] | None = None) -> list[WordFix]:
    """The fixes ``edits`` make to the words of ``layer``, one per word; ``readings`` from ``glyph_readings``."""
    readings = readings or {}
    words = [(m.start(), m.end()) for m in WORD_RE.finditer(layer)]
    word_at = {offset: index for index, (start, end) in enumerate(words) for offset in range(start, end)}
    per_word: dict[int, list[tuple[int, int, str]]] = {}
    for i1, i2, theirs in edits:
        index = word_at.get(i1)
        if index is None or word_at.get(i2 - 1) != index:
            continue
        ours = layer[i1:i2]
        per_word.setdefault(index, []).append((i1, i2, _cased(ours, _read_as(ours, theirs, readings))))
    fixes = []
    for index, word_edits in sorted(per_word.items()):
        start, end = words[index]
        parts, last = [], start
        for i1, i2, theirs in word_edits:
            parts.append(layer[last:i1] + theirs)
            last = i2
        parts.append(layer[last:end])
        pairs = tuple((layer[i1:i2], theirs) for i1, i2, theirs in word_edits)
        fixes.append(WordFix(start, end, layer[start:end], nfc("".join(parts)), pairs))
    return fixes


def _apply(layer: str, fixes: Sequence[WordFix]) -> str:
    out, last = [], 0
    for fix in fixes:
        if fix.taken:
            out.append(layer[last:fix.start] + fix.fixed)
            last = fix.end
    out.append(layer[last:])
    return nfc("".join(out))


def repair_pages(layers: Sequence[str], ocrs: Sequence[str]) -> list[str]:
    """Each garbled page ``layers[i]`` with the letters ``ocrs[i]`` reads better put in; all else as the layer has it.

    Give all garbled pages of one file together: the readings of its broken glyphs are pooled.
    """
    layers, ocrs = [nfc(t) for t in layers], [nfc(t) for t in ocrs]
    edits = [letter_edits(layer, ocr) for layer, ocr in zip(layers, ocrs)]
    readings = glyph_readings(layers, edits)
    return [_apply(layer, word_fixes(layer, page_edits, readings)) for layer, page_edits in zip(layers, edits)]


def repair_layer(layer: str, ocr: str) -> str:
    """One page: ``repair_pages([layer], [ocr])[0]``."""
    return repair_pages([layer], [ocr])[0]
