"""Records from the articles of decisions and regulations: an article that names an agency
owns the clauses and points below it.

Layouts (general, from the way Vietnamese legal texts assign work):

* "Điều 2. Giao Giám đốc Sở Giáo dục và Đào tạo" then "1. Tổ chức chỉ đạo …", "2. Chủ trì,
  phối hợp với …": the clauses are the agency's tasks;
* "Điều 4. Sở Lao động - Thương binh và Xã hội có nhiệm vụ" / "… có trách nhiệm:" /
  "Điều 9. Trách nhiệm của Sở Tài chính" / "Nhiệm vụ, quyền hạn của …": likewise;
* inside any article, a clause that is an agency heading ("2. Giám đốc Sở Công Thương:",
  "1. Ủy ban nhân dân xã, phường, thị trấn: Khi nhận được hồ sơ … có trách nhiệm:") owns
  the points below it; a clause with its own subject ("1. Chủ tịch UBND các huyện có trách
  nhiệm chỉ đạo …") is a task of that subject.

Roles inside each item follow ``ingest.responsibilities.roles``. An article whose own line
is a whole sentence ("Điều 3. Giao Sở X chủ trì, phối hợp với Y tổ chức thực hiện …",
"Điều 3. Chánh Văn phòng …; Giám đốc các Sở … chịu trách nhiệm thi hành Quyết định này")
is read by the prose rules.
"""
from __future__ import annotations

import re

from ingest.agencies import AgencyMention
from ingest.responsibilities.blocks import Block, Work
from ingest.responsibilities.draft import Draft
from ingest.responsibilities.roles import scan_in
from ingest.responsibilities.sections import _agency_heading, _item_drafts
from ingest.structure import is_appendix_title, is_closing_start

# Words before the agency in an article title (folded): "Giao", "Đề nghị", "Trách nhiệm của" …
_TITLE_PREFIX = re.compile(
    r"(?:giao|de\s+nghi|trach\s+nhiem\s+cua|nhiem\s+vu(?:\s*,\s*quyen\s+han)?\s+cua"
    r"|nhiem\s+vu\s+va\s+quyen\s+han\s+cua|quyen\s+han\s+va\s+trach\s+nhiem\s+cua)\s+"
)
# What may follow the agency in an article title: "có nhiệm vụ", "có trách nhiệm:", "thực hiện các nhiệm vụ sau:"
_TITLE_REST = re.compile(
    r"(?:(?:co|chiu)\s+(?:nhiem\s+vu|trach\s+nhiem)(?:\s*(?:,|va)\s*quyen\s+han)?(?:\s+(?:sau|nhu\s+sau))?"
    r"|thuc\s+hien\s+(?:cac\s+)?nhiem\s+vu(?:\s+(?:sau|nhu\s+sau))?)?\s*[:.]?\s*$"
)
_ITEM_KINDS = {"arabic", "dotted", "letter", "upper_letter", "list"}
_END_KINDS = {"article", "part", "roman", "caps_arabic"}


def _title_actors(work: Work, block: Block) -> list[AgencyMention] | None:
    """Agencies an article's own line names as the owner of the clauses below, or None."""
    start = block.body_start
    prefix = _TITLE_PREFIX.match(work.folded, start, block.end)
    if prefix:
        start = prefix.end()
    mentions, stop = scan_in(work, start, block.end)
    if not mentions:
        return None
    if not _TITLE_REST.fullmatch(work.folded, stop, block.end) and not _TITLE_REST.match(
            work.folded, _skip_spaces(work, stop), block.end):
        return None
    return mentions


def _skip_spaces(work: Work, i: int) -> int:
    while i < len(work.folded) and work.folded[i] == " ":
        i += 1
    return i


def _ends(work: Work, block: Block) -> bool:
    line = work.text[block.start:block.end]
    return block.kind in _END_KINDS or is_closing_start(line) or is_appendix_title(line)


def article_drafts(work: Work, blocks: list[Block], used: set[int]) -> tuple[list[Draft], set[int]]:
    """Records of articles that name their agencies; also the indexes of the blocks used."""
    drafts: list[Draft] = []
    used = set(used)
    k = 0
    while k < len(blocks):
        block = blocks[k]
        if block.kind != "article" or k in used:
            k += 1
            continue
        owners = _title_actors(work, block)
        heading = work.clean(block.start, block.end).rstrip(":")
        if owners:
            used.add(k)
        k += 1
        sub: list[AgencyMention] | None = None
        sub_heading = ""
        while k < len(blocks) and not _ends(work, blocks[k]):
            item = blocks[k]
            if item.kind not in _ITEM_KINDS or k in used:
                k += 1
                continue
            if item.kind in ("arabic", "dotted"):
                sub = None
                parsed = _agency_heading(work, item)
                if parsed is not None:
                    mentions, stop, form = parsed
                    label = work.clean(item.start, item.end if form != "inline" else stop).rstrip(":")
                    if form == "heading":
                        sub, sub_heading = mentions, label
                    elif form == "inline":
                        sub, sub_heading = mentions, label
                        if not work.text[stop:item.end].rstrip().endswith(":"):
                            drafts.extend(_item_drafts(work, stop, item.end, mentions, label))
                    else:
                        drafts.extend(_item_drafts(work, stop, item.end, mentions, label))
                    used.add(k)
                    k += 1
                    continue
            actors = sub or owners
            if actors and not work.text[item.start:item.end].rstrip().endswith(":"):
                drafts.extend(_item_drafts(work, item.body_start, item.end, actors, sub_heading if sub else heading))
                used.add(k)
            k += 1
    return drafts, used
