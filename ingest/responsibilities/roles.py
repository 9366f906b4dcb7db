"""Who leads and who coordinates one task clause.

``assign`` reads a clause whose acting agencies are known from context (the numbered
heading it sits under, or the subject that opens it) and applies these rules, in order:

1. An agency list that opens the clause and is followed by a verb is the clause's own
   subject and replaces the context agencies ("- Sở Tài chính tham mưu …" under
   "5. Sở Kế hoạch và Đầu tư, Sở Tài chính").
2. Leading adverbials are skipped ("Căn cứ chức năng, nhiệm vụ", "Chủ động",
   "Tích cực", "Hằng năm,", "Trên cơ sở …,").
3. "Chủ trì[, phối hợp (với) Y]" → lead = the actors, coordinators = Y.
4. "Phối hợp (với) Y …" where Y names at least one *state* agency (Sở, Ban, UBND,
   Phòng …): the plan assigns the actors a supporting part in Y's task, so
   lead = those state agencies, coordinators = the actors plus any generic partners
   ("Phối hợp với Sở Lao động - Thương binh và Xã hội tổ chức đào tạo nghề …" under
   "7. Sở Nông nghiệp …" → lead Sở LĐTBXH, coordinator Sở NN&PTNT).
5. "Phối hợp (với) Y …" where Y is only generic ("các đơn vị liên quan", "các cơ sở
   giáo dục phổ thông", "doanh nghiệp"): nobody else is named to lead, so the actors
   stay the lead and Y are the coordinators.
6. "Phối hợp …" with no partner ("Phối hợp triển khai …", "Phối hợp, hướng dẫn …") or
   "Tham gia …": the actors only coordinate; lead is empty (the plan names no lead).
7. Anything else ("Tham mưu …", "Chịu trách nhiệm …", "Chỉ đạo …"): the actors lead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ingest.agencies import STATE, AgencyMention, agency_kind, scan_agencies
from ingest.responsibilities.blocks import Work

_ADVERBIALS = re.compile(
    r"(?:can\s+cu\s+(?:vao\s+)?chuc\s+nang\s*,?\s*nhiem\s+vu(?:\s+(?:duoc\s+giao|cua\s+[a-z\s]+?))?"
    r"|can\s+cu\s+[^,;]{1,80}?,|tren\s+co\s+so\s+[^,;]{1,120}?,|hang\s+nam\s*,|dinh\s+ky\s*,"
    r"|chu\s+dong(?!\s+phoi)|tich\s+cuc(?!\s+phoi)|thuong\s+xuyen|dong\s+thoi|tiep\s+tuc(?=\s+phoi))"
    r"\s*,?\s*"
)
_LEAD = re.compile(r"chu\s+tri(?![a-z])\s*,?\s*")
_COORD = re.compile(
    r"(?:(?:tang\s+cuong|chu\s+dong|tich\s+cuc|tiep\s+tuc)\s*,?\s+)?phoi\s+(?:ket\s+)?hop(?:\s+chat\s+che)?"
    r"(?:\s+(?:voi|cung))?(?![a-z])\s*"
)
_PARTICIPATE = re.compile(r"tham\s+gia(?![a-z])")
MAX_SUBJECT_WORDS = 16
# Words after a name that make it no subject: "X là …", "X của …"; "có" (has) only assigns
# work as "có trách nhiệm/nhiệm vụ …" ("các cơ sở … có trình độ đại học" states a fact)
_NOT_A_VERB = re.compile(
    r"(?:la|cua|da|duoc|se|nay|thi|va|voi|trong|tai|ve|theo|o|nhu"
    r"|co(?!\s+(?:trach\s+nhiem|nhiem\s+vu|van\s+ban|y\s+kien|ke\s+hoach|bao\s+cao|quyen)))(?![a-z])"
)


@dataclass(frozen=True)
class Roles:
    lead: tuple[str, ...]
    coordinators: tuple[str, ...]
    task_start: int  # where the task wording starts (after an explicit subject)
    rule: str  # which rule decided, for the record's ``extra``
    people: tuple[str, ...] = ()  # "Giám đốc Sở …": roles of named people


def _skip_spaces(folded: str, i: int, end: int) -> int:
    while i < end and folded[i] in " ,":
        i += 1
    return i


def _names(mentions: Sequence[AgencyMention]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for m in mentions:
        seen.setdefault(m.name, None)
    return tuple(seen)


def _people(mentions: Sequence[AgencyMention]) -> tuple[str, ...]:
    return tuple(f"{m.role} ({m.name})" for m in mentions if m.role)


def scan_in(work: Work, start: int, end: int) -> tuple[list[AgencyMention], int]:
    """``scan_agencies`` over ``work.text[start:end]``; the returned stop is a document offset."""
    mentions, stop = scan_agencies(work.text[start:end], 0)
    return mentions, start + stop


def subject_at(work: Work, start: int, end: int) -> tuple[list[AgencyMention], int]:
    """Agencies opening ``text[start:end]`` when a verb follows them, else ``([], start)``."""
    mentions, stop = scan_in(work, start, end)
    if not mentions or any(len(m.raw.split()) >= MAX_SUBJECT_WORDS for m in mentions):
        return [], start  # a "name" that long is a clause cut at the length limit, not a subject
    j = stop
    while j < end and work.text[j] == " ":
        j += 1
    if j >= end or not work.text[j].islower() or _NOT_A_VERB.match(work.folded, j):
        return [], start
    return mentions, stop


def assign(
    work: Work,
    start: int,
    end: int,
    actors: Sequence[AgencyMention],
    *,
    allow_subject: bool = True,
) -> Roles:
    """Lead and coordinators of the clause ``work.text[start:end]`` (see module rules)."""
    folded = work.folded
    i = _skip_spaces(folded, start, end)
    task_start = i
    rule_prefix = ""
    if allow_subject:
        subject, stop = subject_at(work, i, end)
        if subject:
            actors = subject
            i = task_start = _skip_spaces(folded, stop, end)
            rule_prefix = "subject; "
    while True:
        m = _ADVERBIALS.match(folded, i, end)
        if not m or m.end() == i:
            break
        i = m.end()
    actor_names = _names(actors)
    people = _people(actors)

    m = _LEAD.match(folded, i, end)
    if m:
        j = m.end()
        partners: list[AgencyMention] = []
        c = _COORD.match(folded, j, end)
        if c:
            partners, _ = scan_in(work, c.end(), end)
        coords = tuple(n for n in _names(partners) if n not in actor_names)
        return Roles(actor_names, coords, task_start, rule_prefix + "chủ trì", people + _people(partners))

    c = _COORD.match(folded, i, end)
    if c:
        partners, _ = scan_in(work, c.end(), end) if c.end() < end else ([], c.end())
        partner_names = [n for n in _names(partners) if n not in actor_names]
        people += _people(partners)
        if not partner_names:
            return Roles((), actor_names, task_start, rule_prefix + "phối hợp (không nêu đơn vị chủ trì)", people)
        state = tuple(n for n in partner_names if agency_kind(n) == STATE)
        others = tuple(n for n in partner_names if n not in state)
        if state:
            return Roles(state, actor_names + others, task_start, rule_prefix + "phối hợp với (đơn vị được phối hợp chủ trì)",
                         people)
        return Roles(actor_names, others, task_start, rule_prefix + "phối hợp với đơn vị chung", people)

    if _PARTICIPATE.match(folded, i, end):
        return Roles((), actor_names, task_start, rule_prefix + "tham gia", people)
    return Roles(actor_names, (), task_start, rule_prefix + "thực hiện", people)


_CLAUSE_BREAK = re.compile(
    r";\s*(?=(?:(?:tich\s+cuc|chu\s+dong|dong\s+thoi|tiep\s+tuc|tang\s+cuong)\s*,?\s+)?(?:phoi\s+hop|chu\s+tri)(?![a-z]))"
)


def clauses(work: Work, start: int, end: int) -> list[tuple[int, int]]:
    """Split an item at ";" where the next clause changes the role ("…; phối hợp với Sở X …")."""
    spans = []
    s = start
    for m in _CLAUSE_BREAK.finditer(work.folded, start, end):
        spans.append((s, m.start()))
        s = m.end()
    spans.append((s, end))
    return [(a, b) for a, b in spans if work.text[a:b].strip()]
