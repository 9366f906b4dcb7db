"""Is a PDF page's text layer readable Vietnamese, or garbled by a broken font mapping?

Some born-digital PDFs (re-saved by editors such as PDFill) carry fonts whose
ToUnicode map sends some glyphs to wrong code points: pypdf then returns "Thjnh phố",
"đҥt", "chӭng", "t̿ng" for "Thành phố", "đạt", "chứng", "tặng". Such a page has text, so
it is not a scan, yet its words cannot be found or quoted. Two signals, both general:

* ``foreign_share``: characters outside the repertoire of Vietnamese text (ASCII,
  Vietnamese and Western-European Latin letters, digits, punctuation, symbols), i.e.
  letters of other scripts (Cyrillic, Armenian, Greek …), combining marks left over after
  NFC (Vietnamese letters all have precomposed forms), private-use and unassigned code
  points, U+FFFD, when they stand inside a word. Counted per letter of the page.
* ``invalid_share``: among the words that look Vietnamese (two or more characters, one
  of them outside ASCII: English words do not count, nor vowel-less capitals such as
  "HĐND", nor "đ" for đồng), the share that are neither well-formed Vietnamese syllables
  (``ingest.normalize.is_vietnamese_syllable``) nor loanwords written as a run of them
  ("kilôgam", "Hêrôin").

A page is garbled when either share passes its threshold (and there are enough
characters or words to judge); in a file with a garbled page, any other page with a
foreign character inside a word is garbled too (``garbled_pages``). The thresholds sit between the worst clean page and the
mildest garbled page of the development documents; ``evals.bench.text_layer_scores``
prints both distributions.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from ingest.normalize import is_vietnamese_syllable, nfc

# thresholds (see the module docstring and evals/bench/text_layer_scores.py for the measurement)
MAX_FOREIGN_SHARE = 0.002  # foreign characters per letter
MIN_FOREIGN_CHARS = 3  # fewer foreign characters than this never make a page garbled
MAX_INVALID_SHARE = 0.03  # invalid syllables per Vietnamese-looking word
MIN_WORDS = 15  # fewer Vietnamese-looking words than this: the syllable share is not judged
MAX_LOANWORD_SYLLABLES = 4  # "kilôgam" (3), "côcain" (2) count as Vietnamese words
MAX_SYLLABLE_CHARS = 7  # "nghiêng", "khuyến": no Vietnamese syllable is longer

# Letter blocks of the Vietnamese/Latin repertoire: ASCII, Latin-1 Supplement and Latin
# Extended-A (names, French/German loanwords), ơ/ư and their capitals (Latin Extended-B),
# and the precomposed Vietnamese letters of Latin Extended Additional.
_LATIN_RANGES = ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0xFF), (0x100, 0x17F), (0x1A0, 0x1A1),
                 (0x1AF, 0x1B0), (0x1EA0, 0x1EF9))
_NOT_LETTERS = frozenset("\u00d7\u00f7")  # × ÷ sit in the Latin-1 letter block but are symbols
# a word: letters, combining marks and private-use glyphs (a garbled font can map letters to any of them)
WORD_RE = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff"
                      r"\ufe20-\ufe2f\ue000-\uf8ff])+")

# "HĐND", "QĐ", "ĐBQH": capitals without a vowel are abbreviations, not syllables
_ABBREVIATION_RE = re.compile(r"[B-DF-HJ-NP-TV-XZĐ]+")


@dataclass(frozen=True)
class TextLayerScore:
    """How a page's text layer reads: counts and the two shares (0 when there is nothing to count)."""

    letters: int = 0  # letters, combining marks and private-use/unassigned characters
    foreign_chars: int = 0  # characters outside the Vietnamese/Latin repertoire, inside words
    words: int = 0  # words that look Vietnamese (contain a non-ASCII character)
    invalid_words: int = 0  # of which not Vietnamese syllables

    @property
    def foreign_share(self) -> float:
        return self.foreign_chars / self.letters if self.letters else 0.0

    @property
    def invalid_share(self) -> float:
        return self.invalid_words / self.words if self.words else 0.0

    @property
    def error_share(self) -> float:
        """Both shares added: lower reads better (used to keep OCR text only when it beats the layer)."""
        return self.foreign_share + self.invalid_share

    @property
    def garbled(self) -> bool:
        return bool(self.reason)

    @property
    def reason(self) -> str:
        """Why the layer counts as garbled ("" when it does not), e.g. "1.9% characters outside Vietnamese"."""
        reasons = []
        if self.foreign_chars >= MIN_FOREIGN_CHARS and self.foreign_share > MAX_FOREIGN_SHARE:
            reasons.append(f"{self.foreign_share:.1%} characters outside Vietnamese")
        if self.words >= MIN_WORDS and self.invalid_share > MAX_INVALID_SHARE:
            reasons.append(f"{self.invalid_share:.0%} of words not Vietnamese syllables")
        return ", ".join(reasons)


def is_foreign_char(ch: str) -> bool:
    """Whether ``ch`` (one NFC character) has no place in Vietnamese text: see the module docstring."""
    category = unicodedata.category(ch)
    if category in ("Co", "Cn") or ch == "\ufffd":
        return True
    if category.startswith("M"):
        return True
    if category.startswith("L"):
        code = ord(ch)
        return ch in _NOT_LETTERS or not any(lo <= code <= hi for lo, hi in _LATIN_RANGES)
    return False


def _counts_as_letter(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LM" or category in ("Co", "Cn") or ch == "\ufffd"


@lru_cache(maxsize=65536)
def is_vietnamese_word(word: str) -> bool:
    """A syllable, or a loanword written as syllables without spaces ("kilôgam", "Hêrôin", "Giơnevơ").

    Loanwords must have a letter outside ASCII: split freely, short ASCII strings pass too
    easily ("bio" = "bi" + "o").
    """
    if is_vietnamese_syllable(word):
        return True
    return not word.isascii() and _splits_into_syllables(word, MAX_LOANWORD_SYLLABLES)


@lru_cache(maxsize=65536)
def _splits_into_syllables(word: str, parts: int) -> bool:
    if parts == 0 or len(word) > parts * MAX_SYLLABLE_CHARS:
        return False
    for cut in range(min(len(word) - 1, MAX_SYLLABLE_CHARS), 0, -1):
        if is_vietnamese_syllable(word[:cut]) and (
                is_vietnamese_syllable(word[cut:]) or _splits_into_syllables(word[cut:], parts - 1)):
            return True
    return False


def score_text_layer(text: str) -> TextLayerScore:
    """Score one page of extracted text (any normalisation; it is NFC'd here).

    Foreign characters count only inside words of two or more characters: a lone symbol
    glyph (a Wingdings bullet that extracts as a private-use code point, a Greek variable)
    is not a broken font mapping; "đҥt" and "t̿ng" are.
    """
    text = nfc(text).replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")  # Ð/ð typed for Đ/đ
    letters = sum(_counts_as_letter(ch) for ch in text)
    foreign = words = invalid = 0
    for word in WORD_RE.findall(text):
        if len(word) < 2:
            continue
        foreign += sum(is_foreign_char(ch) for ch in word)
        if word.isascii() or _ABBREVIATION_RE.fullmatch(word):
            continue
        words += 1
        invalid += not is_vietnamese_word(word)
    return TextLayerScore(letters, foreign, words, invalid)


def garbled_pages(page_texts: Sequence[str]) -> dict[int, str]:
    """1-based numbers of the pages whose text layer is garbled, with the reason.

    A broken font mapping belongs to the file, not to one page: once a page of it is
    garbled, another page with even one foreign character inside a word uses the same
    fonts and is garbled too ("cӫa" in a table of an otherwise short page).
    """
    scores = [score_text_layer(text) for text in page_texts]
    found = {number: score.reason for number, score in enumerate(scores, start=1) if score.garbled}
    if found:
        for number, score in enumerate(scores, start=1):
            if number not in found and score.foreign_chars:
                found[number] = f"{score.foreign_chars} characters outside Vietnamese, in a file with garbled pages"
    return dict(sorted(found.items()))


def is_garbled(text: str) -> bool:
    return score_text_layer(text).garbled
