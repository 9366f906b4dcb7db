"""Text keys the index needs: diacritic folding, language guess and lexical tokens.

``fold_diacritics`` and ``detect_language`` come from ``ingest.normalize`` when that
module provides them; the small fallbacks below exist only so the index layer works
(and is testable) before / without it. Lexical tokens are made here because their
shape (syllables + syllable bigrams + kept numbers) is a property of the BM25 index.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable

_VI_LETTERS = "ăâđêôơưĂÂĐÊÔƠƯ"
_VI_FOLDED_WORDS = frozenset(
    "cua va cac nhung ai la nao gi bao nhieu tinh huyen xa so nam ngay thang duoc khong "
    "nguoi trong cho voi theo ve de tai cung da se dang co mot hai ba bon nam".split()
)
_EN_WORDS = frozenset(
    "the a an of in on for to by with who what which when where why how is are was were "
    "does do did has have will should must and or from about any all plan plans leads lead "
    "responsible budget deadline training vocational rural workers students teachers schools "
    "province provinces department committee people much many target targets list show tell "
    "me my there their this that these those it its be been until before after per each "
    "year years funding cost costs signed issued coordinate coordinates".split()
)


def english_word_share(text: str) -> tuple[int, int]:
    """(English function/plan words, Vietnamese-looking words) in ``text``.

    A question such as "Who leads vocational training in Cao Bằng?" is English even
    though a diacritic appears in the province name: it has more English words.
    """
    words = re.findall(r"[^\W\d_]+", text.lower())
    en = sum(w in _EN_WORDS for w in words)
    vi = 0
    for w in words:
        nfd = unicodedata.normalize("NFD", w)
        if any(ch in _VI_LETTERS.lower() for ch in w) or any(unicodedata.category(c) == "Mn" for c in nfd):
            vi += 1
        elif w in _VI_FOLDED_WORDS and w not in _EN_WORDS:
            vi += 1
    return en, vi


def _fallback_fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(unicodedata.normalize("NFC", stripped).split())


def _fallback_detect_language(text: str) -> str:
    """'vi' when Vietnamese-looking words outnumber English ones, else 'en'."""
    en, vi = english_word_share(text)
    return "en" if en > vi else "vi"


@lru_cache(maxsize=1)
def _normalize_module():
    try:
        from ingest import normalize  # type: ignore[attr-defined]
    except ImportError:
        return None
    return normalize


def _provided(name: str) -> Callable[[str], str] | None:
    module = _normalize_module()
    return getattr(module, name, None) if module is not None else None


def fold_diacritics(text: str) -> str:
    """'Cao Bằng' -> 'cao bang' (lower-case, no diacritics, đ -> d)."""
    fn = _provided("fold_diacritics")
    return fn(text) if fn is not None else _fallback_fold(text)


def detect_language(text: str) -> str:
    """'vi' or 'en' (anything not Vietnamese is treated as English for query expansion)."""
    fn = _provided("detect_language")
    if fn is None:
        return _fallback_detect_language(text)
    return "vi" if str(fn(text)).lower().startswith("vi") else "en"


# A word: letters/digits, optionally joined by . , / - when the next part continues
# the token ("6.000", "55,8", "3058/kh-ubnd", "37-ct/tw", "2021-2025").
_WORD = re.compile(r"[^\W_]+(?:[./,\-–][^\W_]+)*")
_SEGMENT_BREAK = re.compile(r"[\n;:!?()\[\]{}\"“”«»…|]+|[.,](?=\s|$)|\s[-–—]\s")
_PART_SPLIT = re.compile(r"[/\-–]")
_NUMBER_WITH_SEPARATORS = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")


def _word_tokens(word: str) -> list[str]:
    """The word itself plus its parts for compounds ("3058/kh-ubnd" -> 3058, kh, ubnd)."""
    out = [word]
    if _NUMBER_WITH_SEPARATORS.match(word):
        out.append(re.sub(r"[.,]", "", word))  # 6.000 -> 6000
    parts = [p for p in _PART_SPLIT.split(word) if p]
    if len(parts) > 1:
        out.extend(parts)
    elif "," in word and not _NUMBER_WITH_SEPARATORS.match(word):
        out.extend(p for p in word.split(",") if p)
    return out


def lexical_tokens(text: str) -> list[str]:
    """BM25 tokens of ``text``: folded syllables, syllable bigrams (``dao_tao``) and kept numbers.

    Bigrams never cross punctuation (a clause boundary), so "…nông thôn; Sở…" does
    not produce ``thon_so``. Text is folded first so queries with or without
    diacritics produce the same tokens.
    """
    folded = fold_diacritics(text)
    tokens: list[str] = []
    for segment in _SEGMENT_BREAK.split(folded):
        words = _WORD.findall(segment)
        for word in words:
            tokens.extend(_word_tokens(word))
        tokens.extend(f"{a}_{b}" for a, b in zip(words, words[1:]))
    return tokens


def tokenizer_fingerprint() -> str:
    """Changes when folding/tokenising changes, so persisted lexical indexes get rebuilt."""
    probe = "Kế hoạch số 3058/KH-UBND: Sở Lao động – Thương binh và Xã hội; 6.000 người, 55,8%. Hoà Thuý Đắk"
    return "v1:" + "|".join(lexical_tokens(probe))
