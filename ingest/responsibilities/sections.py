"""Records from "TỔ CHỨC THỰC HIỆN" sections: numbered headings name agencies, items are their tasks.

Recognised layouts (no file-specific rules):

* "1. Sở Lao động - Thương binh và Xã hội" then items "a. …", "- …" or plain paragraphs;
* "5. Sở Kế hoạch và Đầu tư, Sở Tài chính": several agencies share the heading; an item
  that opens with one of them ("- Sở Tài chính tham mưu …") belongs to that one;
* "1. Phòng Giáo dục nghề nghiệp: Chủ trì, …" (agency and task on one line);
* "3. Các cơ sở giáo dục nghề nghiệp, các doanh nghiệp căn cứ …, phối hợp với …"
  (a numbered sentence with its own subject);
* "12. Đề nghị Ủy ban Mặt trận Tổ quốc …, Tỉnh đoàn, …" (requests to mass organisations);
* "g. Trường Cao đẳng Bắc Kạn:" inside a heading's items: a sub-agency for the "-" items
  that follow it;
* "2. Giao Sở Xây dựng" (an assignment heading, like "Đề nghị …").

A paragraph that asks named agencies to act and introduces a list ("Thủ tướng Chính phủ
yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương:", "… yêu cầu
Công an tỉnh, các sở, ban, ngành … thực hiện một số nhiệm vụ sau:") opens such a section
too; its numbered items that name no agency of their own are tasks of the agencies it
names (unless those are only a generic collective such as "các cơ quan, đơn vị").

Roles inside each item follow ``ingest.responsibilities.roles``. An item whose clauses
change role ("Chủ trì rà soát …; phối hợp với Sở X tổ chức …") gives one record per
clause. A closing paragraph ("Ủy ban nhân dân Thành phố yêu cầu …") ends the section's
agency scope and is left to the prose patterns.
"""
from __future__ import annotations

import re

from ingest.agencies import GROUP, AgencyMention, agency_kind
from ingest.responsibilities.blocks import Block, Work
from ingest.responsibilities.deadlines import find_deadline
from ingest.responsibilities.draft import Draft
from ingest.responsibilities.roles import assign, clauses, scan_in
from ingest.structure import is_appendix_title, is_closing_start

_SECTION_TITLE = re.compile(
    r"(?:to\s+chuc\s+thuc\s+hien|phan\s+cong\s+(?:trach\s+nhiem|nhiem\s+vu|thuc\s+hien)"
    r"|trach\s+nhiem\s+(?:thuc\s+hien|cua\s+cac)|giai\s+phap\s+to\s+chuc\s+thuc\s+hien)"
)
_TOP_KINDS = {"roman", "caps_arabic", "part", "upper_letter"}
_HEADING_KINDS = {"arabic", "dotted"}
_REQUEST = re.compile(r"(?:de\s+nghi|kinh\s+de\s+nghi|giao)\s+")
_LEAD_IN = re.compile(r"(?<![a-z])(?:yeu\s+cau|de\s+nghi|giao)(?:\s+va\s+(?:yeu\s+cau|de\s+nghi))?\s+")
_DIRECTIVE = re.compile(r"(?:yeu\s+cau|de\s+nghi|tren\s+day)(?![a-z])")


def _is_section_head(work: Work, block: Block) -> bool:
    if block.kind not in _TOP_KINDS:
        return False
    return bool(_SECTION_TITLE.search(work.folded, block.body_start, block.end))


def _ends_section(work: Work, block: Block) -> bool:
    line = work.text[block.start:block.end]
    return block.kind in _TOP_KINDS or block.kind == "article" or is_closing_start(line) or is_appendix_title(line)


def _lead_in(work: Work, block: Block) -> list[AgencyMention] | None:
    """Agencies a paragraph ending in ":" asks to carry out the list that follows, or None.

    "…, Thủ tướng Chính phủ yêu cầu Chủ tịch Ủy ban nhân dân các tỉnh …:" → [UBND các tỉnh …];
    "Chủ tịch UBND tỉnh yêu cầu và đề nghị các cơ quan, đơn vị thực hiện … như sau:" → []
    (a generic collective: items must name their own agencies)."""
    if block.marker is not None and block.kind not in ("list",):
        return None
    if not work.text[block.start:block.end].rstrip().endswith(":"):
        return None
    for m in _LEAD_IN.finditer(work.folded, block.body_start, block.end):
        mentions, _ = scan_in(work, m.end(), block.end)
        if mentions:
            return [x for x in mentions if agency_kind(x.name) != GROUP]
    return None


def _agency_heading(work: Work, block: Block) -> tuple[list[AgencyMention], int, str] | None:
    """(agencies, offset after them, form) for an agency heading; form is "heading", "inline" or "sentence"."""
    start = block.body_start
    req = _REQUEST.match(work.folded, start, block.end)
    if req:
        start = req.end()
    mentions, stop = scan_in(work, start, block.end)
    if not mentions:
        return None
    rest = work.text[stop:block.end].strip()
    if not rest:
        return mentions, stop, "heading"
    if rest.startswith(":"):
        colon = work.text.index(":", stop)
        if not work.text[colon + 1:block.end].strip():
            return mentions, block.end, "heading"
        return mentions, colon + 1, "inline"
    if rest[0].islower():
        return mentions, start, "sentence"  # from the subject on ("Đề nghị X chủ trì, …")
    return None


def _is_directive(work: Work, block: Block) -> bool:
    """"Ủy ban nhân dân Thành phố yêu cầu …", "Yêu cầu các phòng …", "Trên đây là …"."""
    window = work.folded[block.body_start:min(block.end, block.body_start + 90)]
    m = _DIRECTIVE.search(window)
    if not m:
        return False
    before = window[: m.start()].strip()
    if not before:
        return True
    mentions, stop = scan_in(work, block.body_start, block.body_start + m.start())
    return bool(mentions) and stop >= block.body_start + len(before)


def _item_drafts(work: Work, start: int, end: int, actors: list[AgencyMention], heading: str) -> list[Draft]:
    out = []
    for cs, ce in clauses(work, start, end):
        roles = assign(work, cs, ce, actors)
        if not roles.lead and not roles.coordinators:
            continue
        task = work.clean(roles.task_start, ce).rstrip(" ;")
        found = find_deadline(work.text[cs:ce])
        extra = [("heading", heading), ("rule", roles.rule)]
        if roles.people:
            extra.append(("people", "; ".join(roles.people)))
        out.append(Draft(
            quote_start=cs, quote_end=ce, task=task, lead=roles.lead, coordinators=roles.coordinators,
            source="agency_section", deadline=found.text if found else "", deadline_iso=found.iso if found else "",
            extra=tuple(extra),
        ))
    return out


def agency_section_drafts(work: Work, blocks: list[Block]) -> tuple[list[Draft], set[int]]:
    """Records from every implementation section; also the indexes of the blocks used."""
    drafts: list[Draft] = []
    used: set[int] = set()
    k = 0
    while k < len(blocks):
        default = _lead_in(work, blocks[k])
        if not _is_section_head(work, blocks[k]) and default is None:
            k += 1
            continue
        if default is not None:
            used.add(k)
        default_heading = work.clean(blocks[k].body_start, blocks[k].end).rstrip(":") if default else ""
        k += 1
        current: list[AgencyMention] | None = None
        heading = ""
        sub: list[AgencyMention] | None = None
        while k < len(blocks) and not _ends_section(work, blocks[k]):
            block = blocks[k]
            if default is not None and block.marker is None and _is_directive(work, block):
                break  # the closing paragraph of a directive-led list
            if block.kind in _HEADING_KINDS:
                parsed = _agency_heading(work, block)
                sub = None
                if parsed is None:
                    if default and block.kind == "arabic":
                        # an item of a directive-led list: a task of the agencies the lead-in names
                        drafts.extend(_item_drafts(work, block.body_start, block.end, default, default_heading))
                        used.add(k)
                        current = None
                        k += 1
                        continue
                    if block.kind == "arabic" or current is None:
                        current = None
                        k += 1
                        continue
                    # a dotted sub-item of an agency heading: an ordinary item
                else:
                    mentions, stop, form = parsed
                    current = mentions
                    heading = work.clean(block.start, block.end if form != "inline" else stop).rstrip(":")
                    used.add(k)
                    if form == "inline":
                        drafts.extend(_item_drafts(work, stop, block.end, mentions, heading))
                    elif form == "sentence":
                        drafts.extend(_item_drafts(work, stop, block.end, mentions, heading))
                    k += 1
                    continue
            if current is None:
                k += 1
                continue
            if block.marker is None and _is_directive(work, block):
                current = None  # closing paragraph: prose patterns handle it
                k += 1
                continue
            if block.kind in ("letter", "upper_letter"):
                sub = None
            # "g. Trường Cao đẳng Bắc Kạn:" introduces a sub-agency
            mentions, stop = scan_in(work, block.body_start, block.end)
            if mentions and work.text[stop:block.end].strip() == ":":
                sub = mentions
                used.add(k)
                k += 1
                continue
            actors = sub or current
            label = heading if not sub else f"{heading} › {work.clean(block.start, block.end)}"
            drafts.extend(_item_drafts(work, block.body_start, block.end, actors, heading if not sub else label))
            used.add(k)
            k += 1
    return drafts, used
