"""Agency names: one canonical name per agency, whatever abbreviation a plan uses.

Plans write the same department many ways ("Sở LĐ-TB&XH", "Sở Lao động, Thương binh
và Xã hội", "Sở Lao động- TB&XH", "các Sở: …, Lao động - Thương binh và Xã hội"), name a
person for the agency ("Giám đốc Sở Giáo dục và Đào tạo") and list several agencies in
one cell, where commas also occur *inside* names ("UBND các huyện, thị xã, thành phố",
"Sở Văn hóa, Thể thao và Du lịch"). This module turns all of that into canonical names.

Matching works on a folded copy of the text (lower case, no diacritics, one character
per input character, see ``ingest.normalize.fold_aligned``), so spans found there can be
cut from the original. Known agencies are regular expressions over folded text
(``_ALIASES``); anything else that starts like an agency ("Trường …", "Báo …") is kept
as written, tidied (see ``_tidy``).

The province is not part of the canonical name: ``Sở Nội vụ`` is the same *kind* of
agency everywhere. ``agency_id(name, province)`` gives the qualified identity
("Sở Nội vụ (Bắc Kạn)") that tells Bắc Kạn's department from Hà Nội's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.normalize import fold_aligned, nfc, unify_tone_placement

# --------------------------------------------------------------------------------------
# Known agencies: folded regular expressions → canonical names
# --------------------------------------------------------------------------------------

# Joiner between the parts of a compound name: "-", ",", "&", "/" or "và", spaces optional
# ("LĐ-TB&XH", "Lao động - Thương binh và Xã hội", "Lao động, Thương binh", "LĐTBXH").
_J = r"\s*(?:[-,&/]\s*|va\s+)?"
_END = r"(?![a-z0-9&])"
_RELATED = r"(?:\s+(?:co\s+)?lien\s+quan)?"
_UBND = r"(?:ubnd|uy\s+ban\s+nhan\s+dan)"

# Department names without the "Sở"/"Bộ" word: (canonical, folded regex).
# Order matters where one name is a prefix of another (VH-TT-DL before VH-TT).
_DEPARTMENT_NAMES: tuple[tuple[str, str], ...] = (
    ("Lao động - Thương binh và Xã hội", rf"(?:lao\s+dong|ld){_J}(?:thuong\s+binh|tb){_J}(?:xa\s+hoi|xh)"),
    ("Giáo dục và Đào tạo", rf"(?:giao\s+duc|gd){_J}(?:dao\s+tao|dt)"),
    ("Thông tin và Truyền thông", rf"(?:thong\s+tin|tt){_J}(?:truyen\s+thong|tt)"),
    ("Kế hoạch và Đầu tư", rf"(?:ke\s+hoach|kh){_J}(?:dau\s+tu|dt)"),
    ("Khoa học và Công nghệ", rf"(?:khoa\s+hoc|kh){_J}(?:cong\s+nghe|cn)"),
    ("Nông nghiệp và Phát triển nông thôn", rf"(?:nong\s+nghiep|nn){_J}(?:phat\s+trien\s+nong\s+thon|ptnt)"),
    ("Nông nghiệp và Môi trường", rf"(?:nong\s+nghiep|nn){_J}(?:moi\s+truong|mt)"),
    ("Dân tộc và Tôn giáo", rf"dan\s+toc{_J}ton\s+giao"),
    ("Văn hóa, Thể thao và Du lịch", rf"(?:van\s+hoa|vh){_J}(?:the\s+thao|tt){_J}(?:du\s+lich|dl)"),
    ("Văn hóa và Thể thao", rf"(?:van\s+hoa|vh){_J}(?:the\s+thao|tt)"),
    ("Tài nguyên và Môi trường", rf"(?:tai\s+nguyen|tn){_J}(?:moi\s+truong|mt)"),
    ("Giao thông vận tải", rf"(?:giao\s+thong{_J}van\s+tai|gtvt)"),
    ("Nội vụ", r"noi\s+vu"),
    ("Tài chính", r"tai\s+chinh"),
    ("Y tế", r"y\s+te"),
    ("Tư pháp", r"tu\s+phap"),
    ("Xây dựng", r"xay\s+dung"),
    ("Công Thương", r"cong\s+thuong"),
    ("Ngoại vụ", r"ngoai\s+vu"),
    ("Du lịch", r"du\s+lich"),
    ("Dân tộc", r"dan\s+toc"),
)

# Agency kinds: "state" agencies can lead a task another agency "phối hợp với";
# "group" names are generic collectives ("Các đơn vị liên quan").
STATE = "state"
GROUP = "group"
OTHER = "other"


@dataclass(frozen=True)
class _Alias:
    canonical: str
    pattern: re.Pattern[str]
    kind: str


def _alias(canonical: str, regex: str, kind: str) -> _Alias:
    return _Alias(canonical, re.compile(regex + _END), kind)


def _build_aliases() -> tuple[_Alias, ...]:
    out: list[_Alias] = []
    for name, rx in _DEPARTMENT_NAMES:
        if name == "Dân tộc":
            continue
        out.append(_alias(f"Sở {name}", rf"so\s+{rx}", STATE))
        out.append(_alias(f"Bộ {name}", rf"bo\s+{rx}", STATE))
    # Sở without its "Sở" word, as "Sở GD&ĐT" abbreviations often stand alone: "SLĐTBXH".
    out.append(_alias("Sở Lao động - Thương binh và Xã hội", r"sldtbxh", STATE))
    out.append(_alias("Sở Giáo dục và Đào tạo", r"sgd\s*(?:&|va)?\s*dt", STATE))
    out += [
        # People's committees. District level first (longest), then province/city level.
        _alias(
            "Ủy ban nhân dân các quận, huyện, thị xã",
            rf"{_UBND}\s+(?:cac\s+)?quan\s*(?:,|va)?\s*huyen(?:\s*(?:,|va)\s*(?:thi\s+xa|tx))?",
            STATE,
        ),
        _alias(
            "Ủy ban nhân dân các huyện, thị xã, thành phố",
            rf"{_UBND}\s+(?:cac\s+)?huyen(?:\s*(?:,|va)\s*(?:thi\s+xa|tx|thi)(?![a-z]))?"
            rf"(?:\s*(?:,|va)\s*(?:thanh\s+pho|tp)(?![a-z]))?",
            STATE,
        ),
        _alias(
            "Ủy ban nhân dân các xã, phường, thị trấn",
            rf"{_UBND}\s+(?:cac\s+)?(?:xa\s*(?:,|va)\s*phuong(?:\s*(?:,|va)\s*thi\s+tran)?|cap\s+xa|xa)",
            STATE,
        ),
        _alias("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
               rf"{_UBND}\s+(?:cac\s+)?tinh\s*(?:,|va)\s*(?:thanh\s+pho|tp)\s+truc\s+thuoc\s+(?:trung\s+uong|tw)",
               STATE),
        _alias("Văn phòng Ủy ban nhân dân tỉnh", rf"van\s+phong\s+{_UBND}\s+tinh", STATE),
        _alias("Văn phòng Ủy ban nhân dân Thành phố", rf"van\s+phong\s+{_UBND}\s+(?:thanh\s+pho|tp)(?!\s*,)", STATE),
        _alias("Các bộ, cơ quan ngang bộ",
               r"(?:cac\s+)?bo(?:\s+truong)?\s*,\s*(?:thu\s+truong\s+)?(?:cac\s+)?co\s+quan\s+ngang\s+bo", STATE),
        _alias("Các cơ quan thuộc Chính phủ", r"(?:cac\s+)?co\s+quan\s+(?:truc\s+)?thuoc\s+chinh\s+phu", STATE),
        _alias("Thuế tỉnh", r"thue\s+(?:tinh|thanh\s+pho)", STATE),
        _alias("Ủy ban nhân dân tỉnh", rf"{_UBND}\s+tinh", STATE),
        _alias("Ủy ban nhân dân Thành phố", rf"{_UBND}\s+thanh\s+pho(?!\s*,)", STATE),
        _alias("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
               r"(?:uy\s+ban\s+)?(?:mat\s+tran\s+to\s+quoc|mttq)(?:\s+viet\s+nam)?(?:\s+tinh)?", STATE),
        _alias("Ban Dân tộc", r"ban\s+dan\s+toc(?:\s+tinh)?", STATE),
        _alias("Tỉnh đoàn",
               r"(?:tinh\s+doan|doan\s+(?:thanh\s+nien\s+cong\s+san|tncs)\s*(?:ho\s+chi\s+minh|hcm)(?:\s+tinh)?"
               r"|doan\s+tncshcm(?:\s+tinh)?)", STATE),
        _alias("Hội Liên hiệp Phụ nữ tỉnh", r"hoi\s+(?:lien\s+hiep\s+phu\s+nu|lhpn)(?:\s+tinh)?", STATE),
        _alias("Hội Nông dân tỉnh", r"hoi\s+nong\s+dan(?:\s+tinh)?", STATE),
        _alias("Liên đoàn Lao động tỉnh", r"lien\s+doan\s+lao\s+dong(?:\s+tinh)?", STATE),
        _alias("Phòng Giáo dục nghề nghiệp", r"phong\s+(?:giao\s+duc\s+nghe\s+nghiep|gdnn)", STATE),
        _alias("Phòng Lao động - Việc làm", r"phong\s+lao\s+dong\s*(?:[-,]\s*)?viec\s+lam", STATE),
        _alias("Phòng Kế hoạch - Tài chính", r"phong\s+ke\s+hoach\s*(?:[-,]\s*|va\s+)?tai\s+chinh", STATE),
        _alias("Trung tâm Dịch vụ việc làm - Giáo dục nghề nghiệp",
               r"trung\s+tam\s+dich\s+vu\s+viec\s+lam\s*-\s*giao\s+duc\s+nghe\s+nghiep", OTHER),
        _alias("Đài Phát thanh và Truyền hình tỉnh",
               rf"dai\s+(?:phat\s+thanh{_J}truyen\s+hinh|ptth)(?:\s+tinh)?", OTHER),
        _alias("Cổng Thông tin điện tử tỉnh", r"cong\s+thong\s+tin\s+dien\s+tu(?:\s+tinh)?", OTHER),
        _alias("Ban Quản lý các Khu công nghiệp và Khu chế xuất",
               r"ban\s+quan\s+ly\s+cac\s+khu\s+cong\s+nghiep(?:\s+va\s+khu\s+che\s+xuat)?(?:\s+ha\s+noi)?", STATE),
        _alias("Hiệp hội Doanh nghiệp nhỏ và vừa",
               r"hiep\s+hoi\s+doanh\s+nghiep\s+nho\s+va\s+vua(?:\s+(?:thanh\s+pho(?:\s+ha\s+noi)?|tinh))?", OTHER),
        # Collectives.
        _alias("Các cơ sở giáo dục nghề nghiệp công lập",
               r"(?:cac\s+)?(?:co\s+so\s+(?:giao\s+duc\s+nghe\s+nghiep|gdnn)|csgdnn)\s+cong\s+lap", GROUP),
        _alias("Các cơ sở giáo dục nghề nghiệp",
               r"(?:cac\s+)?(?:co\s+so\s+(?:giao\s+duc\s+nghe\s+nghiep|gdnn)|csgdnn)", GROUP),
        _alias("Các cơ sở hoạt động giáo dục nghề nghiệp",
               r"(?:cac\s+)?co\s+so\s+(?:tham\s+gia\s+)?hoat\s+dong\s+(?:giao\s+duc\s+nghe\s+nghiep|gdnn)", GROUP),
        _alias("Các cơ sở giáo dục phổ thông", r"(?:cac\s+)?co\s+so\s+giao\s+duc\s+pho\s+thong", GROUP),
        _alias("Các sở, ban, ngành, đoàn thể",
               r"(?:cac\s+)?so(?:\s*,\s*|\s+)(?:ban(?:\s*,\s*|\s+))?nganh\s*,\s*doan\s+the(?:\s+tinh)?" + _RELATED,
               GROUP),
        _alias("Các sở, ban, ngành",
               r"(?:cac\s+)?(?:so(?:\s*,\s*|\s+)(?:ban(?:\s*,\s*|\s+))?nganh(?:\s+(?:thuoc\s+)?tinh)?" + _RELATED
               + r"|ban\s*,\s*nganh(?:\s+tinh)?" + _RELATED + r"(?:\s+cua\s+tinh)?|nganh\s+(?:co\s+)?lien\s+quan)", GROUP),
        _alias("Các bộ, ngành",
               r"(?:cac\s+)?bo\s*,\s*(?:ban\s*,\s*)?nganh(?:\s+(?:trung\s+uong|khac|chuc\s+nang))?" + _RELATED, GROUP),
        _alias("Các cơ quan, đơn vị liên quan", r"(?:cac\s+)?co\s+quan\s*,\s*don\s+vi" + _RELATED, GROUP),
        _alias("Các cơ quan, tổ chức liên quan", r"(?:cac\s+)?co\s+quan\s*,\s*to\s+chuc" + _RELATED, GROUP),
        _alias("Các đoàn thể", r"(?:cac\s+)?(?:to\s+chuc\s+)?doan\s+the" + _RELATED, GROUP),
        _alias("Các tổ chức chính trị - xã hội", r"(?:cac\s+)?to\s+chuc\s+chinh\s+tri\s*-\s*xa\s+hoi", GROUP),
        _alias("Các phòng, đơn vị liên quan", r"(?:cac\s+)?phong\s*,\s*don\s+vi" + _RELATED, GROUP),
        _alias("Các phòng, ban liên quan", r"(?:cac\s+)?phong\s*,\s*ban" + _RELATED, GROUP),
        _alias("Các phòng chuyên môn", r"(?:cac\s+)?phong\s+chuyen\s+mon(?:\s+cua\s+so)?" + _RELATED, GROUP),
        _alias("Các đơn vị liên quan", r"(?:cac\s+)?don\s+vi" + _RELATED, GROUP),
        _alias("Các cơ quan liên quan", r"(?:cac\s+)?co\s+quan\s+(?:co\s+)?lien\s+quan", GROUP),
        _alias("Các cơ quan chức năng", r"(?:cac\s+)?co\s+quan\s+chuc\s+nang", GROUP),
        _alias("Các địa phương", r"(?:cac\s+)?dia\s+phuong" + _RELATED, GROUP),
        _alias("Các doanh nghiệp", r"(?:cac\s+)?doanh\s+nghiep(?!\s+nho)", GROUP),
        _alias("Các xã, phường, thị trấn", r"(?:cac\s+)?xa\s*,\s*phuong\s*(?:,|va)\s*thi\s+tran", GROUP),
        _alias("Các huyện, thị xã, thành phố",
               r"(?:cac\s+)?huyen\s*,\s*(?:thi\s+xa|tx|thi)\s*(?:,|va)\s*(?:thanh\s+pho|tp)", GROUP),
    ]
    return tuple(out)


_ALIASES = _build_aliases()
_ALIAS_BY_NAME = {a.canonical: a for a in _ALIASES}

# "các Sở: Tài chính, Kế hoạch và Đầu tư, …": department names without "Sở".
_DEPARTMENT_LIST_HEAD = re.compile(r"(?:cac\s+)?(so|bo)\s*:\s*")
_BARE_DEPARTMENTS = tuple((name, re.compile(rx + _END)) for name, rx in _DEPARTMENT_NAMES)

# A person standing for the agency: "Giám đốc Sở …", "Chủ tịch UBND …", "Giám đốc/Thủ trưởng các Sở".
_ROLE_WORDS = (
    r"(?:pho\s+)?(?:giam\s+doc|chu\s+tich|thu\s+truong|truong\s+ban|truong\s+phong|cuc\s+truong|tong\s+cuc\s+truong"
    r"|chi\s+cuc\s+truong|vu\s+truong|hieu\s+truong|chanh\s+thanh\s+tra|tu\s+lenh)"
    r"|lanh\s+dao|nguoi\s+dung\s+dau|bo\s+truong(?=\s+bo\s)|chanh(?=\s+van\s+phong)"
)
_ROLE = re.compile(rf"((?:{_ROLE_WORDS})(?:\s*/\s*(?:{_ROLE_WORDS}))*)\s+(?=\S)")

# Head nouns an agency name starts with (folded), as data: an unknown name must start with
# one of them ("Các vấn đề cần lưu ý", "Các chứng từ giải ngân" are headings, not agencies).
AGENCY_HEAD_NOUNS: tuple[str, ...] = (
    "so", "bo", "ban", "ubnd", "uy ban", "phong", "truong", "trung tam", "bao", "dai", "cong thong tin", "doan",
    "hoi", "lien doan", "hiep hoi", "cuc", "tong cuc", "chi cuc", "van phong", "tinh doan", "cong an", "vien",
    "hoc vien", "co so", "doanh nghiep", "nganh", "dia phuong", "don vi", "co quan", "tinh uy", "hdnd",
    "hoi dong nhan dan", "hoi dong", "nha truong", "thanh tra", "kho bac", "bo chi huy", "bao hiem xa hoi",
    "mat tran", "to chuc", "thong tan xa", "cong ty", "toa an", "vien kiem sat", "ngan hang", "quan khu",
    "bo tu lenh", "chinh quyen", "thu tuong", "chinh phu", "phuong tien thong tin", "co quan bao chi",
)
_HEAD = re.compile(
    r"(?:(?:cac|nhung)\s+)?(?:" + "|".join(sorted((h.replace(" ", r"\s+") for h in AGENCY_HEAD_NOUNS), key=len,
                                                  reverse=True)) + r")(?![a-z0-9])"
)
# Heads that are ordinary words too ("sở, ban, ngành"): they need a following name word.
_WEAK_HEADS = {"ban", "hoi", "doan", "bao", "dai", "vien", "phong", "truong", "so", "bo", "nganh", "cuc",
               "hoi dong", "to chuc", "chinh quyen", "thanh tra", "ngan hang", "cong ty"}
# Generic heads whose next word qualifies them even in lower case ("cơ quan quản lý nhà nước")
_QUALIFIED_HEADS = ("co quan", "don vi", "to chuc", "co so")
_UNIT_AFTER_HEAD = re.compile(r"(?:tinh|thanh\s+pho|huyen|quan|thi\s+xa|chinh\s+phu)(?![a-z0-9])")
# Collective heads after "các" that name agencies without a capitalised name ("các đơn vị", "các tổ chức").
_COLLECTIVE_HEADS = {"nganh", "to chuc", "don vi", "co quan", "dia phuong", "doanh nghiep", "co so", "so", "bo",
                     "ban", "phong", "truong", "hoi", "doan", "chinh quyen", "cong ty", "trung tam",
                     "phuong tien thong tin", "co quan bao chi"}

# Words that end an unknown agency name: the task's verb, or a preposition.
_STOP = re.compile(
    r"(?<![a-z0-9])(?:tham\s+muu|xay\s+dung|to\s+chuc|trien\s+khai|thuc\s+hien|ra\s+soat|huong\s+dan|chi\s+dao|day\s+manh"
    r"|phan\s+bo|cung\s+cap|keu\s+goi|long\s+ghep|bo\s+tri|trong\s+viec|ve\s+viec|tuyen\s+truyen|hoan\s+thien"
    r"|de\s+xuat|kiem\s+tra|tang\s+cuong|phoi\s+hop|chu\s+tri|chiu\s+trach\s+nhiem|nghiem\s+tuc|tap\s+trung"
    r"|can\s+cu|chu\s+dong|tich\s+cuc|tao\s+dieu\s+kien|giam\s+sat|danh\s+gia|tong\s+hop|bao\s+cao|huy\s+dong"
    r"|nang\s+cao|doi\s+moi|cap\s+nhat|khao\s+sat|ho\s+tro|dam\s+bao|bao\s+dam|quan\s+ly|giup|gui|co\s+trach"
    r"|khuyen\s+khich|bieu\s+duong|phe\s+duyet|cung|de|nham|cho|theo|tai|duoc|da|se|can|phai|thanh\s+vien"
    r"|moi|lam|ban\s+hanh|tham\s+gia|hoac|la|cua|voi|khong|chiu|quy\s+dinh|bai\s+bo|dinh\s+chi|xem\s+xet"
    r"|thong\s+bao|bao\s+gom|gom|tien\s+hanh|giai\s+quyet|yeu\s+cau|de\s+nghi|kien\s+nghi|xu\s+ly|cu\s+nguoi)"
    r"(?![a-z0-9])"
)
# "có" (has) ends a name, unless it is "có thẩm quyền"/"có liên quan" (checked on the unfolded
# text: folded "co" is also "cơ" as in "cơ sở", "cơ quan")
_HAVE = re.compile(r"có\s+(?!thẩm\s+quyền|liên\s+quan)")
_SEP = re.compile(r"\s*(?:,|;|\bva\b|\bcung\b)\s*")
_TAIL = re.compile(r"\s+tren\s+dia\s+ban(?:\s+(?:toan\s+)?(?:tinh|thanh\s+pho|huyen|quan\s+ly))?(?![a-z0-9])")
_LEADING_NOISE = re.compile(r"(?:de\s+nghi|yeu\s+cau|giao|do|qua)\s+(?=\S)")
_PUNCT_END = re.compile(r"[\s:;,.\-–]+$")


def _fold(text: str) -> str:
    """Aligned fold with dashes unified and line breaks as spaces (same length as ``text``)."""
    return fold_aligned(text).translate(_DASHES)


def fold_for_matching(text: str) -> str:
    """The folded copy agency matching runs on: lower case, no diacritics, dashes unified,
    line breaks and markdown stars as spaces; one character per character of ``text``."""
    return _fold(text)


def is_known_agency(canonical: str) -> bool:
    """Whether ``canonical`` is one of the agencies this module knows by alias (not a tidied unknown name)."""
    return canonical in _ALIAS_BY_NAME


_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-", "‐": "-", "\n": " ", "\t": " ", "*": " "})


# --------------------------------------------------------------------------------------
# Public types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyKey:
    """An agency as a canonical name, the plan's province, and the role of a named person.

    ``role`` keeps e.g. "Giám đốc" from "Giám đốc Sở Giáo dục và Đào tạo": the person
    stands for the agency, so the agency is the key, but the role stays on record.
    """

    name: str
    province: str = ""
    role: str = ""

    @property
    def id(self) -> str:
        return qualify(self.name, self.province)

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True)
class AgencyMention:
    """An agency found in a text: canonical name, kind, person's role, span in that text."""

    name: str
    kind: str
    start: int
    end: int
    role: str = ""
    raw: str = ""
    listed: bool = False  # came from a "các Sở: A, B, C" list (the raw text lacks "Sở")


# --------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------


def _match_alias(folded: str, pos: int) -> tuple[_Alias, int] | None:
    best: tuple[_Alias, int] | None = None
    for alias in _ALIASES:
        m = alias.pattern.match(folded, pos)
        if m and (best is None or m.end() > best[1]):
            best = (alias, m.end())
    return best


def _match_head(text: str, folded: str, pos: int) -> int | None:
    """End of the head word at ``pos`` when an unknown agency name can start there, else None.

    Weak heads ("ban", "các", "sở" …) are ordinary words too, so they need a following
    name word that is not a verb: "ban" in "sở, ban, ngành" is not an agency.
    """
    m = _HEAD.match(folded, pos)
    if not m:
        return None
    words = m.group().split()
    collective = words[0] in ("cac", "nhung")
    head = " ".join(words[1:] if collective else words)
    if collective and head in _COLLECTIVE_HEADS:
        return m.end()  # "các đơn vị", "các sở", "các tổ chức": a collective of agencies
    if head in _WEAK_HEADS:
        nxt = re.compile(r"[ ]+(?=[a-z0-9&])").match(folded, m.end())
        if not nxt:
            return None
        if _UNIT_AFTER_HEAD.match(folded, nxt.end()):
            return m.end()  # "Thanh tra tỉnh", "Ban … huyện": a head noun and its administrative unit
        word = _WORD.match(text, nxt.end())
        title_case = bool(word) and word.group()[0].isupper() and not word.group().isupper()
        stop = _STOP.match(folded, nxt.end())
        if stop and head not in {"phong", "truong"} and not title_case:
            return None  # "ban hành", "hội nghị tổ chức" are not names; "Ban Chỉ đạo" is
        if head != "nganh" and not text[nxt.end()].isupper():
            return None  # "Sở có văn bản", "ban hành": a name word is capitalised
    return m.end()


_WORD = re.compile(r"[^\s,;:.()\[\]\"“”?!]+")
_HARD_STOP = ",;:.()[]\"“”?!"


def _unknown_end(text: str, folded: str, pos: int, head_end: int, *, stop_at_verbs: bool = True) -> int:
    """End of an unknown agency name starting at ``pos``: before a separator, punctuation or verb.

    The first word after the head is never a stop ("Ban Chỉ đạo", "Phòng Tổ chức").
    """
    i = head_end
    first_word = True
    n = len(folded)
    while i < n:
        j = i
        while j < n and folded[j] == " ":
            j += 1
        if j >= n or folded[j] in _HARD_STOP:
            break
        exempt = first_word and (text[j].isupper() or folded[pos:head_end].endswith(_QUALIFIED_HEADS))
        # the first word after the head is part of the name when capitalised ("Ban Chỉ đạo") or
        # when it qualifies a generic head ("cơ quan quản lý nhà nước")
        if not exempt and stop_at_verbs and (_STOP.match(folded, j) or _HAVE.match(text, j)):
            break
        if not first_word and folded.startswith("va ", j) and _starts_agency(text, folded, j + 3):
            break
        if first_word and folded.startswith("va ", j) and _starts_agency(text, folded, j + 3):
            break
        w = _WORD.match(folded, j)
        if not w:
            break
        i = w.end()
        first_word = False
        if len(folded[pos:i].split()) >= 16:
            break
    return i


def _starts_agency(text: str, folded: str, pos: int) -> bool:
    while pos < len(folded) and folded[pos] == " ":
        pos += 1
    if _match_alias(folded, pos) or _match_head(text, folded, pos) is not None:
        return True
    rm = _ROLE.match(folded, pos)
    return bool(rm) and (_match_alias(folded, rm.end()) is not None or _match_head(text, folded, rm.end()) is not None)


def _mention_at(text: str, folded: str, pos: int, *, stop_at_verbs: bool = True) -> AgencyMention | None:
    """The agency mention starting exactly at ``pos`` (after an optional person's role)."""
    role = ""
    start = pos
    rm = _ROLE.match(folded, pos)
    if rm and (_match_alias(folded, rm.end()) or _match_head(text, folded, rm.end()) is not None):
        role = _tidy_spaces(text[rm.start(1):rm.end(1)])
        pos = rm.end()
    hit = _match_alias(folded, pos)
    if hit:
        alias, end = hit
        return AgencyMention(alias.canonical, alias.kind, start, end, role, text[start:end])
    head_end = _match_head(text, folded, pos)
    if head_end is None:
        return None
    end = _unknown_end(text, folded, pos, head_end, stop_at_verbs=stop_at_verbs)
    raw = text[pos:end]
    if not raw.strip():
        return None
    return AgencyMention(_tidy(raw), OTHER, start, end, role, text[start:end])


def _department_list_at(text: str, folded: str, pos: int) -> tuple[list[AgencyMention], int] | None:
    """"các Sở: Tài chính, Kế hoạch và Đầu tư, Lao động - Thương binh và Xã hội" → three Sở
    (also after a person's role: "Giám đốc các Sở: …")."""
    m = _DEPARTMENT_LIST_HEAD.match(folded, pos)
    if not m:
        rm = _ROLE.match(folded, pos)
        m = _DEPARTMENT_LIST_HEAD.match(folded, rm.end()) if rm else None
    if not m:
        return None
    word = "Sở" if m.group(1) == "so" else "Bộ"
    out: list[AgencyMention] = []
    i = m.end()
    while True:
        best = None
        for name, rx in _BARE_DEPARTMENTS:
            dm = rx.match(folded, i)
            if dm and (best is None or dm.end() > best[1]):
                best = (name, dm.end())
        if best is None:
            break
        name, end = best
        canonical = f"{word} {name}" if name != "Dân tộc" else "Ban Dân tộc"
        out.append(AgencyMention(canonical, STATE, i, end, "", text[i:end], listed=True))
        i = end
        sep = re.compile(r"\s*(?:,|;|va\b)\s*").match(folded, end)
        if not sep or not any(rx.match(folded, sep.end()) for _, rx in _BARE_DEPARTMENTS):
            break
        i = sep.end()
    if not out:
        return None
    return out, i


def scan_agencies(text: str, pos: int = 0, *, whole: bool = False) -> tuple[list[AgencyMention], int]:
    """Read a list of agencies starting at ``pos`` in ``text``.

    Returns the mentions and the offset where the list ends (where the task's verb
    begins, e.g. after "phối hợp với Sở Tài chính, các sở, ngành liên quan"). Items are
    separated by ",", ";" or "và"; a comma piece that does not start like an agency name
    ("thị xã", "truyền hình", "THPT") continues the previous unknown name. With
    ``whole=True`` the text is a list and nothing else (a table cell, a heading): every
    piece is kept and unknown names do not stop at verbs. Returns ``([], pos)`` when no
    agency starts at ``pos``.
    """
    text = nfc(text)
    folded = _fold(text)
    n = len(folded.rstrip())
    i = pos
    while i < n and folded[i] == " ":
        i += 1
    out: list[AgencyMention] = []
    while i < n:
        # 1. one item (or a "các Sở: A, B" run of items)
        listed = _department_list_at(text, folded, i)
        if listed:
            mentions, i = listed
            out.extend(mentions)
        else:
            mention = _mention_at(text, folded, i, stop_at_verbs=not whole)
            if mention is None:
                if not whole:
                    break
                j = _next_separator(folded, i)
                if j <= i:
                    break
                raw = text[i:j]
                i = j
                if not re.search(r"[^\W\d_]{2,}", raw):
                    # a mark ("x", "-") or a number, not a name: skip it and its separator
                    sep = _SEP.match(folded, i)
                    if sep:
                        i = sep.end()
                    continue
                key = parse_agency(raw)
                mention = AgencyMention(key.name, _kind_of(key.name), i - len(raw), j, key.role, raw)
            out.append(mention)
            i = mention.end
        tail = _TAIL.match(folded, i) or _place_tail(text, folded, i)
        if tail:
            out[-1] = _with_end(out[-1], tail.end(), text)
            i = tail.end()
        # 2. separators; pieces that are not agencies continue the previous name
        next_item = None
        while True:
            sep = _SEP.match(folded, i)
            if not sep or sep.end() >= n:
                if whole and i < n:
                    # leftovers after a name ("(chủ trì)"): skip to the next separator
                    j = _next_separator(folded, i + 1)
                    if i < j < n:
                        i = j
                        continue
                break
            nxt = sep.end()
            if _starts_agency(text, folded, nxt) or _DEPARTMENT_LIST_HEAD.match(folded, nxt):
                next_item = nxt
                break
            if not whole and not ("," in folded[i:nxt] and out[-1].name not in _ALIAS_BY_NAME):
                break
            j = _next_separator(folded, nxt)
            paren = folded.find("(", nxt, j)
            if paren != -1:
                j = paren  # "…, thành phố (sau đây gọi chung là …)": a parenthesis ends the name
            ends_list = False
            if not whole:
                # ", trung học phổ thông tổ chức tư vấn": the name goes on until the verb
                stop = _STOP.search(folded, nxt, j)
                if stop:
                    j, ends_list = stop.start(), True
            if not folded[nxt:j].strip():
                break
            out[-1] = _extend(out[-1], text, len(text[:j].rstrip()))
            i = out[-1].end
            if ends_list:
                break
        if next_item is None:
            break
        i = next_item
    return out, i


_PLACE_UNIT = re.compile(r"\s+(?:tinh|thanh\s+pho|tp\.?|huyen|quan|thi\s+xa)\s+(?=\S)")


def _place_tail(text: str, folded: str, pos: int) -> re.Match[str] | None:
    """" tỉnh Quảng Ngãi" after an agency name: the place it belongs to (capitalised words)."""
    unit = _PLACE_UNIT.match(folded, pos)
    if not unit:
        return None
    end = unit.end()
    words = 0
    for w in re.finditer(r"\S+", text[end:end + 60]):
        word = w.group().rstrip(",;.:")
        if not word or not word[0].isupper():
            break
        words += 1
        end = unit.end() + w.start() + len(word)
        if word != w.group():
            break
    return re.compile(r"[\s\S]{%d}" % (end - pos)).match(folded, pos) if words else None


def _next_separator(folded: str, pos: int) -> int:
    m = re.compile(r"[,;]|\s+va\s+(?=\S)").search(folded, pos)
    return m.start() if m else len(folded.rstrip())


def _extend(mention: AgencyMention, text: str, end: int) -> AgencyMention:
    raw = text[mention.start:end]
    key = parse_agency(raw)
    return AgencyMention(key.name, _kind_of(key.name), mention.start, end, key.role or mention.role, raw)


def _with_end(mention: AgencyMention, end: int, text: str) -> AgencyMention:
    return AgencyMention(mention.name, mention.kind, mention.start, end, mention.role, text[mention.start:end])


def _kind_of(canonical: str) -> str:
    alias = _ALIAS_BY_NAME.get(canonical)
    return alias.kind if alias else OTHER


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def split_agencies(text: str) -> list[str]:
    """Split a list of agencies into names as written (department lists get their "Sở").

    "Sở Tài chính, Sở Kế hoạch và Đầu tư; Sở Giáo dục và Đào tạo" → three names;
    "các Sở: Tài chính, Kế hoạch và Đầu tư, Lao động - Thương binh và Xã hội" → "Sở Tài
    chính", "Sở Kế hoạch và Đầu tư", "Sở Lao động - Thương binh và Xã hội"; commas inside
    names ("Sở Lao động, Thương binh và Xã hội", "UBND các huyện, thị xã, thành phố") do
    not split.
    """
    text = _strip_leading_noise(_tidy_spaces(nfc(text)))
    mentions, _ = scan_agencies(text, 0, whole=True)
    out = []
    for m in mentions:
        raw = _PUNCT_END.sub("", m.raw).strip()
        if m.listed:
            raw = f"{m.name.split()[0]} {raw}"  # from a "các Sở: …" list
        if raw:
            out.append(raw)
    return out


def canonical_agencies(text: str, province: str = "") -> tuple[str, ...]:
    """Canonical names of every agency listed in ``text``, in order, without repeats."""
    del province  # canonical names are province-free; see ``agency_id``
    text = _strip_leading_noise(_tidy_spaces(nfc(text)))
    mentions, _ = scan_agencies(text, 0, whole=True)
    seen: dict[str, None] = {}
    for m in mentions:
        if m.name:
            seen.setdefault(m.name, None)
    return tuple(seen)


@lru_cache(maxsize=8192)
def parse_agency(name: str, province: str = "") -> AgencyKey:
    """One agency name → ``AgencyKey`` (canonical name, province, role of a named person)."""
    text = _strip_leading_noise(_tidy_spaces(nfc(name)))
    text = _PUNCT_END.sub("", text)
    folded = _fold(text)
    role = ""
    rm = _ROLE.match(folded)
    if rm:
        role = _tidy_spaces(text[rm.start(1):rm.end(1)])
        text = text[rm.end():]
        folded = folded[rm.end():]
    tail = _TAIL.search(folded)
    if tail and tail.end() == len(folded):
        text, folded = text[: tail.start()], folded[: tail.start()]
    hit = _match_alias(folded, 0)
    if hit and hit[1] >= len(folded.rstrip()):
        return AgencyKey(hit[0].canonical, province, role)
    listed = _department_list_at(text, folded, 0)
    if listed and len(listed[0]) == 1 and listed[1] >= len(folded.rstrip()):
        return AgencyKey(listed[0][0].name, province, role)
    # A bare compound department name ("Lao động - Thương binh và Xã hội", "Kế hoạch và Đầu
    # tư") names the Sở; one-word names ("Tài chính", "Nội vụ") are ordinary words and stay.
    for dept, rx in _BARE_DEPARTMENTS:
        m = rx.match(folded)
        if m and m.end() >= len(folded.rstrip()) and " và " in dept:
            return AgencyKey(f"Sở {dept}", province, role)
    return AgencyKey(_tidy(text), province, role)


def canonical_agency(name: str, province: str = "") -> str:
    """The canonical name of one agency: "Sở LĐ-TB&XH" → "Sở Lao động - Thương binh và Xã hội".

    A person stands for the agency ("Giám đốc Sở Giáo dục và Đào tạo" → "Sở Giáo dục và
    Đào tạo"); names we do not know are kept as written, tidied. ``province`` is accepted
    for symmetry with ``agency_id`` but does not change the name.
    """
    return parse_agency(name, province).name


def qualify(canonical: str, province: str) -> str:
    """"Sở Nội vụ", "Bắc Kạn" → "Sở Nội vụ (Bắc Kạn)"; ministries (Bộ …) are national."""
    if not province or not canonical or canonical.startswith("Bộ "):
        return canonical
    return f"{canonical} ({province})"


def agency_id(name: str, province: str = "") -> str:
    """Province-qualified identity of an agency: Sở Nội vụ of Bắc Kạn is not Sở Nội vụ of Hà Nội."""
    return qualify(canonical_agency(name), province)


def agency_kind(canonical: str) -> str:
    """"state" (can lead: Sở, UBND, Ban, Phòng …), "group" (generic collective) or "other"."""
    kind = _kind_of(canonical)
    if kind == OTHER and _fold(canonical).startswith(("so ", "bo ", "ban ", "phong ", "uy ban ")):
        return STATE
    return kind


def looks_like_agency(name: str) -> bool:
    """Whether a name can be an agency: a known alias, or it starts with an agency head noun
    (``AGENCY_HEAD_NOUNS``), after an optional person's role. "Các vấn đề cần lưu ý" cannot."""
    text = _tidy_spaces(nfc(name))
    folded = _fold(text)
    pos = 0
    rm = _ROLE.match(folded)
    if rm:
        pos = rm.end()
    return (
        _match_alias(folded, pos) is not None
        or _department_list_at(text, folded, pos) is not None
        or _match_head(text, folded, pos) is not None
    )


def agency_match_key(name: str) -> str:
    """Comparison key for two canonical names: folded, punctuation dropped, spaces collapsed."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", _fold(nfc(name))).split())


def same_agency(a: str, b: str) -> bool:
    """Whether two names (any spelling) denote the same agency kind (province not compared)."""
    return agency_match_key(canonical_agency(a)) == agency_match_key(canonical_agency(b))


def find_agency_mentions(text: str) -> list[AgencyMention]:
    """Every known agency named anywhere in ``text`` (for search: "what does Sở Nội vụ do")."""
    text = nfc(text)
    folded = _fold(text)
    out: list[AgencyMention] = []
    i = 0
    n = len(folded)
    while i < n:
        if i == 0 or not folded[i - 1].isalnum():
            rm = _ROLE.match(folded, i)
            j = rm.end() if rm else i
            hit = _match_alias(folded, j)
            if hit:
                alias, end = hit
                role = _tidy_spaces(text[rm.start(1):rm.end(1)]) if rm else ""
                out.append(AgencyMention(alias.canonical, alias.kind, i, end, role, text[i:end]))
                i = end
                continue
        i += 1
    return out


# --------------------------------------------------------------------------------------
# Tidying unknown names
# --------------------------------------------------------------------------------------

_ABBREVIATIONS = (
    (re.compile(r"\bGDNN\b"), "giáo dục nghề nghiệp"),
    (re.compile(r"\bUBND\b"), "Ủy ban nhân dân"),
    (re.compile(r"\bCĐ\b"), "Cao đẳng"),
    (re.compile(r"\bGDTX\b"), "giáo dục thường xuyên"),
)
_CAPITALISED_PREFIXES = (
    (re.compile(r"^(Trường)\s+cao đẳng\b", re.IGNORECASE), r"\1 Cao đẳng"),
    (re.compile(r"^(Trường)\s+đại học\b", re.IGNORECASE), r"\1 Đại học"),
    (re.compile(r"^(Trường)\s+trung cấp\b", re.IGNORECASE), r"\1 Trung cấp"),
)


def _tidy_spaces(text: str) -> str:
    text = text.replace("*", " ")
    text = re.sub(r"\s*[–—‑−]\s*", " - ", text)
    text = re.sub(r"(?<=\w)-\s+(?=\w)|(?<=\w)\s+-(?=\w)", " - ", text)
    return " ".join(text.split())


def _strip_leading_noise(text: str) -> str:
    folded = _fold(text)
    m = _LEADING_NOISE.match(folded)
    return text[m.end():] if m else text


def _tidy(raw: str) -> str:
    """Unknown agency name as written, tidied: spaces, dashes, tone marks, first capital."""
    text = _tidy_spaces(nfc(raw))
    text = _PUNCT_END.sub("", text).strip()
    text = re.sub(r"\bcó liên quan\b", "liên quan", text)
    for rx, repl in _ABBREVIATIONS:
        text = rx.sub(repl, text)
    for rx, repl in _CAPITALISED_PREFIXES:
        text = rx.sub(repl, text)
    text = unify_tone_placement(text)
    return text[:1].upper() + text[1:] if text else text
