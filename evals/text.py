"""Text keys for matching gold facts and quotes, and tokens for token F1.

``normalize`` is the comparison key the test-set format promises: Unicode NFC,
case folding and whitespace folding (nothing else, so a fact written with
diacritics only matches text with the same diacritics). ``match_key`` (used by
``contains`` for facts and quotes) also drops markdown emphasis stars and table
``|`` separators, which are layout, not content: the raw plans write
``ngày **04** tháng **3**`` and one table cell per line between ``|`` lines,
while normalised chunks and answers may not.

``tokens`` is for SQuAD-style token F1. Vietnamese words are runs of syllables
separated by spaces, so syllables are the tokens; diacritics are folded
(``ingest.normalize.fold_diacritics`` when the ingest layer provides it) so that
an answer and a reference that differ only in tone-mark placement still overlap.
"""
from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)
# SQuAD drops English articles before comparing; Vietnamese has none to drop.
_ARTICLES = frozenset({"a", "an", "the"})


def normalize(text: str) -> str:
    """NFC, case-folded, runs of whitespace collapsed to one space, stripped."""
    text = unicodedata.normalize("NFC", text or "")
    text = unicodedata.normalize("NFC", text.casefold())
    return _WS.sub(" ", text).strip()


def fold_whitespace(text: str) -> str:
    """Runs of whitespace collapsed to one space (NFC), case kept: for display and quote keys."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def match_key(text: str) -> str:
    """:func:`normalize` with markdown ``*`` removed and ``|`` treated as whitespace."""
    return normalize((text or "").replace("*", "").replace("|", " "))


def contains(haystack: str, needle: str) -> bool:
    """True when ``needle`` occurs in ``haystack`` after :func:`match_key` (an empty needle never matches)."""
    n = match_key(needle)
    return bool(n) and n in match_key(haystack)


def _fallback_fold(text: str) -> str:
    """Used only when ``ingest.normalize.fold_diacritics`` is unavailable: strip marks, đ→d, lower-case."""
    text = normalize(text).replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fold(text: str) -> str:
    try:
        from ingest.normalize import fold_diacritics
    except ImportError:
        return _fallback_fold(text)
    return fold_diacritics(text)


def tokens(text: str) -> list[str]:
    """Syllable tokens with diacritics folded, punctuation dropped, English articles removed."""
    return [t for t in _WORD.findall(_fold(text or "").casefold()) if t not in _ARTICLES]
