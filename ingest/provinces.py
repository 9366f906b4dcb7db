"""The 63 provinces and centrally-run cities of Viet Nam (before the 2025 merger).

``find_provinces`` names the provinces a text mentions, written with or without
diacritics ("Cao Bằng", "cao bang", "HÀ NỘI", "hanoi"). Matching is on folded text;
when the text itself carries diacritics they must agree with the name, so the
phrase "nâng cao bằng cách" is not Cao Bằng, nor "lòng an toàn" Long An.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ingest.normalize import fold_aligned, has_vietnamese_marks, nfc, search_key


@dataclass(frozen=True)
class Province:
    name: str  # canonical display name, e.g. "Bắc Kạn"
    kind: str  # "tỉnh" or "thành phố"
    aliases: tuple[str, ...] = ()  # other spellings, with diacritics where they have them

    @property
    def unit_name(self) -> str:
        """The administrative unit as written after an agency: "tỉnh Bắc Kạn", "thành phố Hà Nội"."""
        if search_key(self.name).startswith(search_key(self.kind)):
            return self.name
        return f"{self.kind} {self.name}"

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _p(name: str, *aliases: str, kind: str = "tỉnh") -> Province:
    return Province(name, kind, aliases)


_CITY = "thành phố"

PROVINCES: tuple[Province, ...] = (
    _p("Hà Nội", "Hanoi", "Thủ đô Hà Nội", kind=_CITY),
    _p("Thành phố Hồ Chí Minh", "TP Hồ Chí Minh", "TP. Hồ Chí Minh", "Hồ Chí Minh", "TPHCM", "TP.HCM",
       "TP HCM", "HCMC", "Sài Gòn", "Saigon", kind=_CITY),
    _p("Hải Phòng", "Haiphong", kind=_CITY),
    _p("Đà Nẵng", "Danang", kind=_CITY),
    _p("Cần Thơ", "Cantho", kind=_CITY),
    _p("An Giang"), _p("Bà Rịa - Vũng Tàu", "Bà Rịa Vũng Tàu", "BR-VT", "BRVT"), _p("Bắc Giang"),
    _p("Bắc Kạn", "Bắc Cạn", "Backan"), _p("Bạc Liêu"), _p("Bắc Ninh"), _p("Bến Tre"), _p("Bình Định"),
    _p("Bình Dương"), _p("Bình Phước"), _p("Bình Thuận"), _p("Cà Mau"), _p("Cao Bằng", "Caobang"),
    _p("Đắk Lắk", "Đắc Lắc", "Đắk Lăk", "Daklak"), _p("Đắk Nông", "Đắc Nông", "Đăk Nông", "Daknong"),
    _p("Điện Biên"), _p("Đồng Nai"), _p("Đồng Tháp"), _p("Gia Lai"), _p("Hà Giang"), _p("Hà Nam"),
    _p("Hà Tĩnh"), _p("Hải Dương"), _p("Hậu Giang"), _p("Hòa Bình"), _p("Hưng Yên"), _p("Khánh Hòa"),
    _p("Kiên Giang"), _p("Kon Tum", "Kontum"), _p("Lai Châu"), _p("Lâm Đồng"), _p("Lạng Sơn"),
    _p("Lào Cai"), _p("Long An"), _p("Nam Định"), _p("Nghệ An"), _p("Ninh Bình"), _p("Ninh Thuận"),
    _p("Phú Thọ"), _p("Phú Yên"), _p("Quảng Bình"), _p("Quảng Nam"), _p("Quảng Ngãi"), _p("Quảng Ninh"),
    _p("Quảng Trị"), _p("Sóc Trăng"), _p("Sơn La"), _p("Tây Ninh"), _p("Thái Bình"), _p("Thái Nguyên"),
    _p("Thanh Hóa"), _p("Thừa Thiên Huế", "Thừa Thiên - Huế", "TT-Huế", "Huế"), _p("Tiền Giang"),
    _p("Trà Vinh"), _p("Tuyên Quang"), _p("Vĩnh Long"), _p("Vĩnh Phúc"), _p("Yên Bái"),
)

_SEPARATORS = r"[\s\-–.]*"


def _compact_key(s: str) -> str:
    """search_key without spaces, hyphens and dots: compares spellings that differ only there."""
    return re.sub(r"[\s\-–.]+", "", search_key(s))


@lru_cache(maxsize=1)
def _index() -> tuple[re.Pattern[str], dict[str, Province], dict[str, set[str]]]:
    """Alternation over folded spellings, folded compact spelling → province, and → marked keys."""
    by_folded: dict[str, Province] = {}
    marked: dict[str, set[str]] = {}
    for province in PROVINCES:
        for spelling in province.spellings:
            folded = re.sub(r"[\s\-–.]+", "", fold_aligned(nfc(spelling)))
            by_folded[folded] = province
            marked.setdefault(folded, set()).add(_compact_key(spelling))
    patterns = []
    for province in PROVINCES:
        for spelling in province.spellings:
            words = re.split(r"[\s\-–.]+", fold_aligned(nfc(spelling)))
            patterns.append(_SEPARATORS.join(re.escape(w) for w in words if w))
    alternation = "|".join(sorted(set(patterns), key=len, reverse=True))
    pattern = re.compile(rf"(?<![^\W_])(?:{alternation})(?![^\W_])")
    return pattern, by_folded, marked


def _is_capitalised(span: str) -> bool:
    words = [w for w in re.split(r"[\s\-–.]+", span) if w]
    return all(w[0].isupper() for w in words)


def province_mentions(text: str, *, capitalised_only: bool = False) -> list[tuple[Province, int, int]]:
    """Every province mention in ``text`` as (province, start, end) in the NFC text.

    ``capitalised_only`` keeps only mentions written as a proper name (each word
    capitalised), which is how documents write them; questions may be lower-case.
    """
    text = nfc(text)
    pattern, by_folded, marked = _index()
    found = []
    for m in pattern.finditer(fold_aligned(text)):
        span = text[m.start() : m.end()]
        folded = re.sub(r"[\s\-–.]+", "", m.group())
        province = by_folded.get(folded)
        if province is None:
            continue
        if has_vietnamese_marks(span) and _compact_key(span) not in marked[folded]:
            continue  # diacritics present and they spell another word
        if capitalised_only and not _is_capitalised(span):
            continue
        found.append((province, m.start(), m.end()))
    return found


def find_provinces(text: str, *, capitalised_only: bool = False) -> list[str]:
    """Canonical names of the provinces ``text`` mentions, in order of first mention."""
    names: list[str] = []
    for province, _, _ in province_mentions(text, capitalised_only=capitalised_only):
        if province.name not in names:
            names.append(province.name)
    return names


def count_provinces(text: str, *, capitalised_only: bool = True) -> Counter[str]:
    return Counter(p.name for p, _, _ in province_mentions(text, capitalised_only=capitalised_only))


def get_province(name: str) -> Province | None:
    """The province a name or alias denotes, written any way ("ha noi", "HÀ NỘI")."""
    _, by_folded, _ = _index()
    return by_folded.get(re.sub(r"[\s\-–.]+", "", fold_aligned(nfc(name.strip()))))
