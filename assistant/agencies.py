"""Recognising agency names in plan text, and which agency a clause is about.

Plans name agencies with a head word ("Sở", "Phòng", "Ủy ban", "Trường" …) followed by
capitalised components ("Sở Lao động - Thương binh và Xã hội"). An item often does not
repeat its agency: it sits under an agency heading ("1. Sở Giáo dục và Đào tạo" in
"TỔ CHỨC THỰC HIỆN") or after an agency label ("1. Phòng Giáo dục nghề nghiệp: Chủ trì
…; tổng hợp báo cáo … trước ngày 30/11/2023"). ``line_subject`` and ``heading_agency``
recover that agency, the subject of the clauses that follow it.
"""
from __future__ import annotations

import re

HEAD = (
    r"(?:Sở|Phòng|Ban|Ủy ban|Uỷ ban|UBND|Trường|Trung tâm|Tỉnh đoàn|Đoàn|Hội đồng|Hội|Báo|Đài|Bộ|Chi cục|Cục|"
    r"Liên đoàn|Văn phòng|Công an|Giám đốc|Chủ tịch|Thủ trưởng|Hiệp hội|Các sở|Các Sở|Các cơ sở|Các phòng|"
    r"Cơ quan|Mặt trận|Bảo hiểm|Ngân hàng|Kho bạc|Thanh tra)"
)
AGENCY = rf"{HEAD}(?![^\W_])[^;:.()\"“”]{{0,100}}?"
LEAD_VERB = r"(?:[Cc]hủ trì|chịu trách nhiệm|phụ trách|là cơ quan thường trực|làm đầu mối|là đầu mối)"

_DIRECT_VERB = r"(?:chỉ đạo|hướng dẫn|tổ chức|triển khai|tham mưu|xây dựng|thực hiện)"

# "do Ủy ban nhân dân tỉnh chủ trì"
DO_X_LEAD = re.compile(rf"\bdo\s+(?P<agency>{AGENCY})\s+{LEAD_VERB}")
# "UBND tỉnh đề nghị Sở Lao động - Thương binh và Xã hội chỉ đạo"
ASK_X = re.compile(
    rf"(?:đề nghị|giao cho|giao|yêu cầu|phân công)\s+(?P<agency>{AGENCY})\s+(?:{LEAD_VERB}|{_DIRECT_VERB})"
)
# "Sở Giáo dục và Đào tạo chủ trì, phối hợp …" (at the start of a clause)
X_LEADS = re.compile(rf"(?:^|(?<=[:,;]\s)|(?<=[:,;]))\s*(?P<agency>{AGENCY})\s*:?\s+{LEAD_VERB}")
# "Phòng Giáo dục nghề nghiệp: Chủ trì, …"
X_COLON_LEADS = re.compile(rf"^(?P<agency>{AGENCY}):\s*{LEAD_VERB}")
# "UBND các huyện, Thành phố chỉ đạo UBND cấp xã …"
X_DIRECTS = re.compile(rf"^(?P<agency>{AGENCY})\s+{_DIRECT_VERB}")
AGENCY_MENTION = re.compile(rf"(?<![^\W_]){HEAD}\s+[A-ZĐÀ-Ỹ]")
_STARTS_WITH_AGENCY = re.compile(rf"^\s*(?:[-–+•]\s*)?{HEAD}(?![^\W_])")

_NUMBERING = r"^\s*(?:[-–+•]\s*)?(?:(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s*)?"
_AGENCY_HEADING = re.compile(rf"{_NUMBERING}(?:Đề nghị\s+)?(?P<agency>{HEAD}(?![^\W_]).{{0,150}})$")
_AGENCY_LABEL = re.compile(rf"{_NUMBERING}(?P<agency>{HEAD}(?![^\W_])[^;:.()\"“”]{{0,100}}):\s+\S")
_BULLET = re.compile(r"^\s*(?:[-–—+•*]|\d+(?:\.\d+)*[.)]|[a-zđ][.)])\s+")


def strip_bullet(text: str) -> str:
    return _BULLET.sub("", text, count=1).strip()


def clean_agency(name: str) -> str:
    name = strip_bullet(name.strip())
    name = re.sub(r"^(?:Đề nghị|đề nghị)\s+", "", name)
    name = re.sub(r"(?:\s+(?:và|các|với|cùng))+\s*$", "", name)  # "Ủy ban MTTQ tỉnh và các" → "Ủy ban MTTQ tỉnh"
    return name.strip(" ,;:-–.")


def heading_agency(heading: str) -> str:
    """The agency a "TỔ CHỨC THỰC HIỆN" subsection is about ("1. Sở Lao động - …" → "Sở Lao động - …")."""
    if not heading:
        return ""
    label = line_subject(heading)
    if label:
        return label
    m = _AGENCY_HEADING.match(heading.strip())
    if not m:
        return ""
    agency = m.group("agency")
    if re.search(LEAD_VERB + "|phối hợp", agency) or agency.rstrip().endswith((".", ";")):
        return ""  # a sentence, not a heading
    return clean_agency(agency)


def line_subject(line: str) -> str:
    """The agency of an "Agency: task …" line ("1. Phòng Giáo dục nghề nghiệp: Chủ trì …"), else ""."""
    m = _AGENCY_LABEL.match(line)
    return clean_agency(m.group("agency")) if m else ""


def stated_agency(text: str) -> str:
    """The agency a clause puts in charge ("UBND tỉnh đề nghị Sở X chỉ đạo …" → "Sở X"), else ""."""
    for pattern in (X_COLON_LEADS, DO_X_LEAD, X_LEADS, ASK_X, X_DIRECTS):
        m = pattern.search(text)
        if m:
            return clean_agency(m.group("agency"))
    return ""


def has_own_subject(clause: str) -> bool:
    """Whether a clause opens on an agency (else its subject is the one of the clause before)."""
    return _STARTS_WITH_AGENCY.match(clause) is not None


# "Sở nào thẩm định …?", "Cơ quan nào phê duyệt …?", "Ai ký …?": the verb the asked agency performs
_ASKED_VERB = re.compile(
    r"\b(?:so|co quan|don vi|bo|ban|phong|nganh|uy ban|to chuc|cap) nao\s+(?:se\s+|phai\s+|duoc giao\s+)?(?P<verb>\w+ \w+)"
    r"|\bai\s+(?:se\s+|phai\s+)?(?P<verb2>\w+ \w+)"
)
_CLAUSE_START = re.compile(r"(?:^|(?<=[.;:\n])\s*|(?<=\n))(?:[-–+•]\s*)?(?=" + HEAD + r"(?![^\W_]))")


def asked_verb(question: str) -> str:
    """The (folded, two-word) verb of a Vietnamese "which agency does X?" question, or ""."""
    from assistant._text import fold

    m = _ASKED_VERB.search(fold(question))
    if not m:
        return ""
    return m.group("verb") or m.group("verb2") or ""


def agency_doing(text: str, verb: str) -> tuple[str, int] | None:
    """(agency, offset) when a clause of ``text`` opens on an agency whose verb is ``verb``
    ("Sở Nội vụ thẩm định phương án …" for "thẩm định"); None otherwise."""
    from assistant._text import fold

    if not verb:
        return None
    folded = fold(text)
    if len(folded) != len(text):
        return None
    forms = [verb] + ([verb.split()[0]] if " " in verb else [])  # "ký quyết định": "ký" alone
    for m in _CLAUSE_START.finditer(text):
        start = m.end()
        window = re.split(r"[.;\n]", folded[start:start + 110], maxsplit=1)[0]
        at = None
        for form in forms:
            at = re.search(r"(?<![\w])" + re.escape(form) + r"(?![\w])", window)
            if at:
                break
        if not at or at.start() < 3:
            continue
        name = text[start:start + at.start()].strip(" ,")
        if "," in name or ";" in name:
            continue
        agency = clean_agency(name)
        if agency:
            return agency, start
    return None


_COLLECTIVE = re.compile(
    r"^\s*(?:(?:Chủ tịch\s+)?(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+)?(?:các|tất cả các)(?![^\W_])", re.IGNORECASE
)


def is_collective(agency: str) -> bool:
    """"UBND các huyện", "các sở, ngành": a set of bodies that carry out a task, not one that leads it."""
    return bool(agency) and _COLLECTIVE.match(agency) is not None
