"""Decode the bytes of a text file, detecting (not guessing) its encoding.

Order: byte-order marks (UTF-8, UTF-16, UTF-32); BOM-less UTF-16 recognised by its
NUL-byte pattern; binary garbage rejected; strict UTF-8; otherwise Windows-1258
(Vietnamese Windows code page, whose tone marks are combining characters, hence the
NFC) or what charset-normalizer finds, chosen by how many words are real Vietnamese
syllables. Text in the pre-Unicode Vietnamese font encodings TCVN3 (ABC) and VNI is
recognised by its tell-tale characters and refused with ``LegacyVietnameseEncoding``
rather than indexed as mojibake.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from ingest.errors import CorruptFile, EncodingProblem, LegacyVietnameseEncoding
from ingest.normalize import has_vietnamese_marks, nfc, vietnamese_syllable_share

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Share of words that must be Vietnamese syllables for an 8-bit decoding to be believed.
MIN_VIETNAMESE_SHARE = 0.6
# charset-normalizer's "chaos" (0..1) below which its answer is trusted for non-Vietnamese text.
MAX_CHAOS = 0.1

# TCVN3 (ABC) puts precomposed Vietnamese letters at 0xA1-0xFE; read as Windows-125x the
# ones below appear inside words ("Hµ Néi", "§éc lËp", "x· héi"), which real text never does.
_TCVN3_MARKERS = frozenset("¡¢£¤¥¦§¨©ª«¬®µ¶·¸¹»¼½¾")
# VNI writes a base vowel followed by a mark character ("Vieät Nam", "Coäng hoøa", "ñaøo").
_VNI_PAIR_RE = re.compile(
    r"[aeiouyAEIOUYôöÔÖ][øûïåäëüØÛÏÅÄËÜ]|[ñÑ][aeiouyAEIOUYôöÔÖ]|[öÖ][ôÔ]"
)
# VNI typed but never converted: tone and shape as digits after the letter ("Vie65t", "d9")
_VNI_TYPED_RE = re.compile(r"[A-Za-z]*[AaEeIiOoUuYyDd][1-9]{1,2}[A-Za-z]*")
_MIN_LEGACY_WORDS = 3
_MIN_LEGACY_SHARE = 0.08
# Encoding evidence is taken from the start of a text: enough words, bounded time on big files.
_SAMPLE_CHARS = 200_000


def decode_text(data: bytes, path: str | Path) -> tuple[str, str]:
    """(NFC text, encoding name) of a text file's bytes.

    Raises CorruptFile for binary data, LegacyVietnameseEncoding for TCVN3/VNI text
    and EncodingProblem when no encoding gives believable text.
    """
    text, encoding = _decode(data, path)
    text = nfc(text)
    reject_legacy_encoding(text, path)
    return text, encoding


def reject_legacy_encoding(text: str, path: str | Path) -> None:
    """Raise LegacyVietnameseEncoding if ``text`` is TCVN3/VNI mojibake (any file format)."""
    legacy = detect_legacy_encoding(text)
    if legacy:
        raise LegacyVietnameseEncoding(
            path, f"text uses the legacy {legacy} Vietnamese font encoding; convert it to Unicode first"
        )


def _decode(data: bytes, path: str | Path) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding.replace("-sig", ""), path), encoding
    utf16 = _bomless_utf16(data)
    if utf16:
        return _strict(data, utf16, path), utf16
    _reject_binary(data, path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        _reject_damaged_utf8(data, exc, path)
        return _decode_8bit(data, path)


def _strict(data: bytes, encoding: str, path: str | Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CorruptFile(path, f"invalid {encoding.upper()} text at byte {exc.start}") from None


def _bomless_utf16(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when NULs sit on one byte parity only (as ASCII and
    Vietnamese letters up to U+1EFF do in UTF-16), else None."""
    if len(data) < 4 or len(data) % 2:
        return None
    half = len(data) / 2
    odd_nuls = data[1::2].count(0) / half
    even_nuls = data[0::2].count(0) / half
    if odd_nuls >= 0.3 and even_nuls <= 0.05:
        return "utf-16-le"
    if even_nuls >= 0.3 and odd_nuls <= 0.05:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """True when ``data`` (a whole file or its start) is not text in any encoding we read:
    no byte-order mark, not UTF-16 by its NUL pattern, and NULs or control bytes in it."""
    if not data or any(data.startswith(bom) for bom, _ in _BOMS) or _bomless_utf16(data):
        return False
    try:
        _reject_binary(data, "")
    except CorruptFile:
        return True
    return False


def _reject_binary(data: bytes, path: str | Path) -> None:
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1A))
    if sample.count(0) / len(sample) > 0.01 or controls / len(sample) > 0.05:
        raise CorruptFile(path, "binary data, not text")


def _reject_damaged_utf8(data: bytes, exc: UnicodeDecodeError, path: str | Path) -> None:
    """UTF-8 text with a few broken bytes is not an 8-bit encoding: say so instead of
    reading the whole file as mojibake (its multi-byte letters would look like TCVN3)."""
    decoded = data.decode("utf-8", errors="replace")
    invalid = decoded.count("\ufffd")
    valid_non_ascii = sum(1 for c in decoded if c > "\x7f" and c != "\ufffd")
    if valid_non_ascii >= 5 * invalid:
        raise EncodingProblem(
            path, f"UTF-8 text with {invalid} invalid byte sequence(s), first at byte {exc.start}; re-save it as UTF-8"
        )


def _decode_8bit(data: bytes, path: str | Path) -> tuple[str, str]:
    """Not UTF-8: Windows-1258 or what charset-normalizer finds, whichever reads as Vietnamese."""
    reject_legacy_encoding(data.decode("cp1252", errors="replace"), path)
    candidates: list[tuple[str, str]] = []
    try:
        candidates.append((nfc(data.decode("cp1258")), "cp1258"))
    except UnicodeDecodeError:
        pass
    best_guess = _charset_normalizer_best(data)
    if best_guess is not None:
        candidates.append(best_guess[:2])
    scored = [
        (vietnamese_syllable_share(text[:_SAMPLE_CHARS]), text, enc)
        for text, enc in candidates
        if has_vietnamese_marks(text[:_SAMPLE_CHARS])
    ]
    if scored:
        share, text, encoding = max(scored, key=lambda s: s[0])
        if share >= MIN_VIETNAMESE_SHARE:
            return text, encoding
    if best_guess is not None and best_guess[2] <= MAX_CHAOS:
        return best_guess[0], best_guess[1]
    raise EncodingProblem(path, "text encoding could not be determined (not UTF-8, UTF-16 or Windows-1258)")


def _charset_normalizer_best(data: bytes) -> tuple[str, str, float] | None:
    """(text, encoding, chaos) of charset-normalizer's best guess, or None."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    return nfc(str(best)), best.encoding, float(best.chaos)


def detect_legacy_encoding(text: str) -> str | None:
    """"TCVN3", "VNI" or None: whether ``text`` is a legacy font encoding read as Latin text."""
    words = [w for w in text[:_SAMPLE_CHARS].split() if any("a" <= c <= "z" or "A" <= c <= "Z" for c in w)]
    if not words:
        return None
    tcvn3 = sum(1 for w in words if any(c in _TCVN3_MARKERS for c in w))
    vni = sum(1 for w in words if _VNI_PAIR_RE.search(w))
    vni_typed = sum(1 for w in words if _VNI_TYPED_RE.fullmatch(w.strip(".,;:!?()\"'“”")))
    threshold = max(_MIN_LEGACY_WORDS, _MIN_LEGACY_SHARE * len(words))
    best = max((tcvn3, "TCVN3 (ABC)"), (vni, "VNI"), (vni_typed, "VNI (typed, unconverted)"))
    return best[1] if best[0] >= threshold else None
