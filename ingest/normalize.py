"""Text normalisation and matching keys for Vietnamese plan text.

Three keys, each a superset-match of the one before:

* ``nfc``: Unicode NFC, the form all stored text uses.
* ``search_key``: NFC, case-folded, tone marks moved to one canonical vowel so the
  old ("hoà", "thuý") and new ("hòa", "thúy") placement styles meet, whitespace folded.
* ``fold_diacritics``: ``search_key`` without any diacritics and with đ→d, so
  "CAO BẰNG", "Cao Bằng" and "Cao Bang" all become "cao bang".

Plus the cleaning steps of the load pipeline (``clean_text``: stray symbols,
markdown emphasis, odd spaces, control characters; ``drop_boilerplate``: web page
chrome) and two cheap classifiers (``is_vietnamese_syllable``, ``detect_language``).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# --- Vietnamese letters and syllables -----------------------------------------------

# The five tone marks as combining characters: grave, acute, tilde, hook above, dot below.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS = frozenset("aăâeêioôơuưy")
_MARKED_VOWELS = frozenset("ăâêôơư")  # vowels with a non-tone diacritic: the tone goes here
_VI_LETTERS_WITH_MARKS = frozenset(
    "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)

_ONSETS = "ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnpqrstvx]"
# Written vowel clusters (nuclei plus glides) of Vietnamese syllables, tone marks removed.
_NUCLEI = (
    "a ă â e ê i o ô ơ u ư y "
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê "
    "iêu yêu oai oao oay oeo uây uôi ươi ươu uya uyê uyu"
).split()
_CODAS = "ch|ng|nh|[cmnpt]"
_STOP_CODAS = {"c", "ch", "p", "t"}  # after these only the acute or dot-below tone is possible
_STOP_CODA_TONES = frozenset("\u0301\u0323")


def _alternation(items) -> str:
    return "|".join(sorted(set(items), key=len, reverse=True))


_SYLLABLE_RE = re.compile(f"(?:{_ONSETS})?(?:{_alternation(_NUCLEI)})(?:{_CODAS})?")
_FOLDED_SYLLABLE_RE = re.compile(
    "(?:{})?(?:{})(?:{})?".format(
        _ONSETS.replace("đ", ""),
        _alternation(n.translate(str.maketrans("ăâêôơư", "aaeoou")) for n in _NUCLEI),
        _CODAS,
    )
)
# onset / vowel run / coda of a tone-stripped lower-case word, used to place the tone
_PARTS_RE = re.compile(r"([bcdđghklmnpqrstvx]*)([aăâeêioôơuưy]+)([cghmnpt]*)")

_WORD_RE = re.compile(r"[^\W\d_]+")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _split_tone(word: str) -> tuple[str, str | None, int]:
    """(word without tone marks in NFC, the tone mark or None, number of tone marks)."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in TONE_MARKS]
    bare = nfc("".join(c for c in decomposed if c not in TONE_MARKS))
    return bare, (tones[0] if tones else None), len(tones)


def _tone_index(onset: str, nucleus: str, coda: str) -> int:
    """Index in ``nucleus`` of the vowel that carries the tone (traditional placement).

    A vowel with its own diacritic (ê, ơ, â, …) takes the tone, the last one for "ươ";
    otherwise the last vowel when a consonant follows ("hoàn"), the middle one of three
    ("ngoài"), the first of two at the end of a syllable ("hòa", "thúy", "khỏe", "múa").
    """
    marked = [i for i, c in enumerate(nucleus) if c in _MARKED_VOWELS]
    if marked:
        return marked[-1]
    if coda:
        return len(nucleus) - 1
    if len(nucleus) == 3:
        return 1
    return 0


def _split_syllable(bare_lower: str) -> tuple[str, str, str] | None:
    m = _PARTS_RE.fullmatch(bare_lower)
    if not m:
        return None
    onset, nucleus, coda = m.groups()
    # "qu" and "gi" (before another vowel) are onsets: "quý" → qu+y, "già" → gi+a
    if onset == "q" and nucleus.startswith("u") and len(nucleus) > 1:
        onset, nucleus = "qu", nucleus[1:]
    elif onset == "g" and nucleus.startswith("i") and len(nucleus) > 1:
        onset, nucleus = "gi", nucleus[1:]
    return onset, nucleus, coda


@lru_cache(maxsize=65536)
def _retone_word(word: str) -> str:
    bare, tone, n_tones = _split_tone(word)
    if n_tones != 1:
        return word
    parts = _split_syllable(bare.lower())
    if parts is None:
        return word
    onset, nucleus, coda = parts
    pos = len(onset) + _tone_index(onset, nucleus, coda)
    return nfc(bare[: pos + 1] + tone + bare[pos + 1 :])


def unify_tone_placement(s: str) -> str:
    """Move each syllable's tone mark to its traditional vowel: "hoà"→"hòa", "uỷ"→"ủy".

    Case is kept; words that are not Vietnamese syllables are left alone.
    """
    return _WORD_RE.sub(lambda m: _retone_word(m.group()), nfc(s))


def search_key(s: str) -> str:
    """NFC, case-folded, tone placement unified, whitespace collapsed."""
    return " ".join(unify_tone_placement(nfc(s).casefold()).split())


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in "đĐðÐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[0]
    low = base.lower()
    return low if len(low) == 1 else base


def fold_aligned(s: str) -> str:
    """Lower-case, diacritics removed, đ→d, one output character per input character.

    ``s`` must be NFC. Spans found in the result can be cut from ``s`` unchanged.
    """
    return "".join(_fold_char(c) for c in s)


def fold_diacritics(s: str) -> str:
    """``search_key`` with every diacritic removed and đ→d: "CAO BẰNG" → "cao bang"."""
    decomposed = unicodedata.normalize("NFD", search_key(s))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return nfc(stripped).replace("đ", "d").replace("ð", "d")


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` is a well-formed Vietnamese syllable, with or without diacritics."""
    low = nfc(word).lower()
    if not low.isalpha():
        return False
    if all(c.isascii() for c in low):
        return _FOLDED_SYLLABLE_RE.fullmatch(low) is not None
    bare, tone, n_tones = _split_tone(low)
    if n_tones > 1 or _SYLLABLE_RE.fullmatch(bare) is None:
        return False
    parts = _split_syllable(bare)
    if tone and parts and parts[2] in _STOP_CODAS and tone not in _STOP_CODA_TONES:
        return False
    return True


def vietnamese_syllable_share(text: str) -> float:
    """Share of the alphabetic words of ``text`` that are Vietnamese syllables (0.0 if none)."""
    words = _WORD_RE.findall(nfc(text))
    if not words:
        return 0.0
    return sum(is_vietnamese_syllable(w) for w in words) / len(words)


def has_vietnamese_marks(s: str) -> bool:
    return any(c in _VI_LETTERS_WITH_MARKS for c in nfc(s).lower())


# --- tokens and language --------------------------------------------------------------

_TOKEN_RE = re.compile(r"[^\W_]+(?:[.,/\-][^\W_]+)*%?")


def tokenize(s: str) -> list[str]:
    """Folded word tokens for lexical search.

    Numbers keep their internal ``. , / -`` ("6.000", "72,2%", "2021-2025"); a
    compound with "/" or "-" such as a document number "3058/kh-ubnd" is also
    emitted as its parts ("3058", "kh", "ubnd") so a query for "3058" finds it.
    Word-only compounds ("lao động-thương binh") are split.
    """
    tokens: list[str] = []
    for tok in _TOKEN_RE.findall(fold_diacritics(s)):
        if not any(c.isdigit() for c in tok):
            tokens.extend(p for p in re.split(r"[.,/\-]", tok) if p)
            continue
        tokens.append(tok)
        if "/" in tok or "-" in tok:
            tokens.extend(p for p in re.split(r"[/\-]", tok) if p)
    return tokens


# Short English words that are also valid (diacritic-less) Vietnamese syllables: they
# say nothing about the language, so they are not counted either way.
_AMBIGUOUS_WORDS = frozenset(
    "a an at in it on to the do so no me he be my by can man may hang long sang tin ten top set let".split()
)


def detect_language(s: str) -> str:
    """"vi" or "en" for a question or passage.

    Vietnamese if it has Vietnamese diacritics, or if more of its words are
    Vietnamese syllables than not (written without diacritics, "ha noi tuyen sinh
    bao nhieu" is Vietnamese; "who leads training in Cao Bang?" is English).
    Defaults to "vi" when there is no signal (e.g. only numbers).
    """
    if has_vietnamese_marks(s):
        return "vi"
    vi = en = 0
    for word in re.findall(r"[a-z]+", fold_diacritics(s)):
        if word in _AMBIGUOUS_WORDS:
            continue
        if _FOLDED_SYLLABLE_RE.fullmatch(word):
            vi += 1
        else:
            en += 1
    return "en" if en > vi else "vi"


# --- cleaning ---------------------------------------------------------------------------

_ODD_SPACES_RE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\ufe0f\ufe0e]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Check marks, dingbats, emoji, private-use glyphs (Wingdings from Word conversions).
_STRAY_SYMBOL_RE = re.compile(
    r"[\u2600-\u27bf\u2b00-\u2bff\U0001f300-\U0001faff\ue000-\uf8ff\ufffd]"
)
_BOLD_RE = re.compile(r"\*\*|__")
_ITALIC_RE = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_MD_HEADING_RE = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)


def strip_markdown_emphasis(s: str) -> str:
    """Remove markdown bold/italic markers: "Số: **72** /KH-UBND" → "Số: 72 /KH-UBND".

    Bold markers are removed wherever they are (they may open and close on different
    lines); single ``*`` only when it wraps text ("*Nội dung:*"), so "* item" bullets
    and "2 * 3" stay.
    """
    return _ITALIC_RE.sub(r"\1", _BOLD_RE.sub("", s))


def strip_markdown_headings(s: str) -> str:
    """"## II. NỘI DUNG" → "II. NỘI DUNG" (used for .md files only)."""
    return _MD_HEADING_RE.sub(r"\1", s)


def strip_stray_symbols(s: str) -> str:
    """Drop check marks, dingbats, emoji and private-use glyphs ("KT. CHỦ TỊCH ✓")."""
    return _STRAY_SYMBOL_RE.sub("", s)


def clean_text(s: str) -> str:
    """The character-level cleaning every loaded text gets, keeping its line structure.

    NFC; CR/LF unified; odd spaces to " "; invisible and control characters removed;
    stray symbols and markdown emphasis removed; trailing spaces stripped.
    """
    s = nfc(s).replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    s = _ODD_SPACES_RE.sub(" ", s)
    s = _INVISIBLE_RE.sub("", s)
    s = _CONTROL_RE.sub("", s)
    s = strip_markdown_emphasis(strip_stray_symbols(s))
    return "\n".join(line.rstrip() for line in s.split("\n"))


# Lines of web-page chrome, matched in full against the folded, whitespace-collapsed line.
BOILERPLATE_PATTERNS: tuple[str, ...] = (
    r"dich vu doanh nghiep online( toan quoc)?",
    r"dang tai noi dung(,? vui long (cho|doi)( trong)?( giay lat)?)?\W*",
    r"vui long (cho|doi)( trong)?( giay lat)?\W*",
    r"(dang nhap|dang ky|dang xuat)( tai khoan)?( \W? ?(dang nhap|dang ky))?",
    r"(tai ve|tai van ban|tai file|in van ban|ban in|chia se|gui email|luu van ban|theo doi van ban)( \W? ?(tai ve|in|chia se|luu|ban in))*",
    r"(quang cao|advertisement|loading)\W*",
    r"(tin|bai viet|van ban) lien quan\W*",
    r"xem them\W*",
    r"(trang chu|home) ?(>|/|»|›).*",
    r"(hotline|tong dai)\W.*\d{3,}.*",
    r"(facebook|twitter|zalo|youtube|tiktok)( ?[|,] ?(facebook|twitter|zalo|youtube|tiktok))*",
    r"(copyright|©|ban quyen thuoc ve).*",
    r"(website|trang web) (nay )?(su dung|dung) cookies?.*",
)
_BOILERPLATE_RE = re.compile("|".join(f"(?:{p})" for p in BOILERPLATE_PATTERNS))


def is_boilerplate(line: str) -> bool:
    folded = fold_diacritics(line)
    return bool(folded) and _BOILERPLATE_RE.fullmatch(folded) is not None


def drop_boilerplate(text: str) -> str:
    """Remove whole lines of web boilerplate ("Đang tải nội dung, vui lòng chờ giây lát...")."""
    return "\n".join(line for line in text.split("\n") if not is_boilerplate(line))


def reflow(text: str) -> str:
    """Re-flow hard-wrapped lines; delegates to ``ingest.reflow.reflow`` (imported lazily)."""
    from ingest.reflow import reflow as _reflow

    return _reflow(text)
