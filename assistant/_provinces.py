"""Where a question names a province: canonical names with character spans.

``ingest.provinces`` knows the 63 provinces and their spellings (with or without
diacritics, diacritics checked when present); the assistant adds the all-caps short
forms people type in chat ("HN", "ĐN"), matched case-sensitively so the letters "hn"
inside a word never count. Spans let a follow-up swap the province of the previous
question and let the language guess ignore Vietnamese names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant._text import fold_chars, nfc
from ingest.provinces import get_province
from ingest.provinces import province_mentions as _ingest_mentions

# all-caps chat short forms not in ingest.provinces (matched case-sensitively)
# (not "HP", "CB", "HD": those are học phí, cán bộ, hướng dẫn in plan language)
_ABBREVIATIONS: dict[str, str] = {"HN": "Hà Nội", "HCM": "Thành phố Hồ Chí Minh", "ĐN": "Đà Nẵng"}


@dataclass(frozen=True)
class ProvinceMention:
    name: str  # canonical display name
    start: int  # character span in the NFC text
    end: int


@lru_cache(maxsize=1)
def _abbrev_pattern() -> re.Pattern[str]:
    body = "|".join(map(re.escape, sorted(_ABBREVIATIONS, key=len, reverse=True)))
    return re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])")


def province_mentions(text: str) -> list[ProvinceMention]:
    """Province names in ``text`` (NFC), in order, with their spans."""
    text = nfc(text)
    found = [ProvinceMention(p.name, start, end) for p, start, end in _ingest_mentions(text)]
    for m in _abbrev_pattern().finditer(text):
        if not any(f.start <= m.start() < f.end for f in found):
            found.append(ProvinceMention(_ABBREVIATIONS[m.group(0)], m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def canonical_province(name: str) -> str:
    """The display spelling of a province written any way ("cao bang" → "Cao Bằng"); "" if unknown."""
    province = get_province(name)
    if province is not None:
        return province.name
    hits = province_mentions(name)
    return hits[0].name if hits else ""


def same_province(a: str, b: str) -> bool:
    """True when two spellings name the same province ("Hà Nội" / "Thành phố Hà Nội" / "ha noi")."""
    if not a or not b:
        return False
    ca, cb = canonical_province(a) or _key(a), canonical_province(b) or _key(b)
    return ca == cb


def _key(name: str) -> str:
    return " ".join(fold_chars(nfc(name)).split())
