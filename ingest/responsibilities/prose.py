"""Records from running text outside the implementation sections.

Patterns (each at the start of a paragraph, of a sentence, or after a colon):

* assignment lists: "- Phân công thực hiện: X chủ trì, phối hợp với Y …" (inline or in
  the following paragraphs, possibly "Label: X chủ trì …" per sub-task), with the
  task taken from the numbered item they belong to and the deadline from its
  "- Thời gian thực hiện: …" line;
* requests: "… đề nghị X chỉ đạo …", "… yêu cầu X, Y nghiêm túc triển khai …": X, Y lead;
* subjects: "Sở Giáo dục và Đào tạo chủ trì, phối hợp với …", "UBND các huyện, Thành phố
  chỉ đạo …", "Các sở, ban, ngành … căn cứ chức năng, nhiệm vụ được giao báo cáo …";
  roles follow ``ingest.responsibilities.roles``. Unknown agency names are accepted as
  subjects only at the start of a paragraph; mid-paragraph only known agencies count;
* "do X chủ trì (hoặc Y chủ trì); thành viên là Z": X, Y lead, Z coordinate.

Everything after the first "Nơi nhận"/signer line is skipped (appendix tables are
read by ``ingest.responsibilities.table_records``), as are "Nội dung:" descriptions and
paragraphs ending in ":" (they introduce a list, e.g. "… xây dựng Kế hoạch … như sau:").
"""
from __future__ import annotations

import re

from ingest.agencies import AgencyMention, is_known_agency
from ingest.responsibilities.blocks import Block, Work, clean
from ingest.responsibilities.deadlines import find_deadline, parse_deadline
from ingest.responsibilities.draft import Draft
from ingest.responsibilities.roles import assign, scan_in, subject_at
from ingest.structure import is_closing_start

_ASSIGN = re.compile(r"(?:phan\s+cong(?:\s+(?:thuc\s+hien|nhiem\s+vu|trach\s+nhiem))?|don\s+vi\s+(?:thuc\s+hien|chu\s+tri))\s*:\s*")
_TIMING = re.compile(r"(?:thoi\s+gian(?:\s+(?:thuc\s+hien|hoan\s+thanh))?|thoi\s+han|tien\s+do)\s*:\s*")
_CONTENT = re.compile(r"noi\s+dung(?:\s+thuc\s+hien)?\s*:")
# "đề nghị X …", "yêu cầu X …", "giao X chủ trì …" (not "bàn giao", "được giao", "đã giao")
_REQUEST = re.compile(r"(?<![a-z])(?:de\s+nghi|kien\s+nghi|yeu\s+cau|(?<!ban )(?<!duoc )(?<!da )giao)\s+")
_ADDRESSEE = re.compile(r"kinh\s+gui\s*:")
_CHAIRED_BY = re.compile(r"(?<![a-z])do\s+")
_CHAIR = re.compile(r"\s*chu\s+tri(?![a-z])")
_OR_ANOTHER = re.compile(r"\s*(?:hoac|va(?:\s+cac\s+doan)?(?:\s+do)?)\s+(?:do\s+)?")
_MEMBERS = re.compile(r"(?<![a-z])thanh\s+vien\s+(?:la|gom(?:\s+co)?)\s+")
_SENTENCE_START = re.compile(r"(?:[.!?]\s+(?=[A-ZĐÀ-Ỹ])|:\s+)")
_HEADING_KINDS = {"arabic", "dotted", "caps_arabic", "roman", "upper_letter", "part"}


def _label_at(work: Work, block: Block, rx: re.Pattern[str]) -> re.Match[str] | None:
    return rx.match(work.folded, block.body_start, block.end)


def _sentence_starts(work: Work, block: Block) -> tuple[list[int], set[int]]:
    """Offsets where a sentence or a "Label: …" clause starts; the second set holds the
    offsets that follow a colon (still inside the sentence that started before)."""
    starts = [block.body_start]
    after_colon: set[int] = set()
    for m in _SENTENCE_START.finditer(work.text, block.body_start, block.end):
        if m.end() < block.end:
            starts.append(m.end())
            if m.group().startswith(":"):
                after_colon.add(m.end())
    return starts, after_colon


def _draft(work: Work, s: int, e: int, task_start: int, lead, coords, rule: str, people=()) -> Draft:
    found = find_deadline(work.text[s:e])
    extra = [("rule", rule)]
    if people:
        extra.append(("people", "; ".join(people)))
    return Draft(s, e, work.clean(task_start, e).rstrip(" ;:"), tuple(lead), tuple(coords), "prose",
                 found.text if found else "", found.iso if found else "", extra=tuple(extra))


# ----------------------------------------------------------------------------- assignments


def _assignment_drafts(work: Work, blocks: list[Block], used: set[int]) -> list[Draft]:
    """"- Phân công thực hiện: …" lists under numbered items (with "- Thời gian thực hiện: …")."""
    drafts: list[Draft] = []
    item_title = ""
    k = 0
    while k < len(blocks):
        block = blocks[k]
        if block.kind in _HEADING_KINDS:
            item_title = work.clean(block.body_start, block.end)
        m = _label_at(work, block, _ASSIGN)
        if not m or k in used:
            k += 1
            continue
        # the assignment sentences: inline after the colon, or the following unmarked paragraphs
        spans: list[tuple[int, int]] = []
        if work.text[m.end():block.end].strip():
            spans.append((m.end(), block.end))
        used.add(k)
        j = k + 1
        while j < len(blocks) and blocks[j].marker is None and not is_closing_start(work.text[blocks[j].start:blocks[j].end]):
            spans.append((blocks[j].start, blocks[j].end))
            used.add(j)
            j += 1
        # the timing line of the same item
        deadline, quote_end = None, spans[-1][1] if spans else block.end
        t = j
        while t < len(blocks) and blocks[t].kind not in _HEADING_KINDS:
            tm = _label_at(work, blocks[t], _TIMING)
            if tm:
                deadline = parse_deadline(work.text[tm.end():blocks[t].end])
                quote_end = blocks[t].end
                used.add(t)
                break
            t += 1
        for s, e in spans:
            label = ""
            colon = work.text.find(":", s, e)
            subject_start = s
            if colon != -1:
                # "Nội dung tích hợp vào quy hoạch tỉnh: Phòng Kế hoạch tài chính chủ trì, …"
                after = colon + 1
                subject, _ = subject_at(work, after + (len(work.text[after:e]) - len(work.text[after:e].lstrip())), e)
                if subject:
                    label = clean(work.text[s:colon])
                    subject_start = after
            roles = assign(work, subject_start, e, [])
            if not roles.lead and not roles.coordinators:
                continue
            task = item_title + (f" — {label}" if label else "") if item_title else work.clean(roles.task_start, e)
            extra = [("rule", roles.rule), ("assignment", clean(work.text[s:e]))]
            drafts.append(Draft(
                quote_start=block.start, quote_end=quote_end if len(spans) == 1 else e, task=task,
                lead=roles.lead, coordinators=roles.coordinators, source="prose",
                deadline=deadline.text if deadline else "", deadline_iso=deadline.iso if deadline else "",
                extra=tuple(extra),
            ))
        k = j
    return drafts


# ----------------------------------------------------------------------------- sentences


def _known(mentions: list[AgencyMention]) -> bool:
    return all(is_known_agency(m.name) for m in mentions)


def _sentence_drafts(work: Work, block: Block, requests_only: bool = False) -> list[Draft]:
    starts, after_colon = _sentence_starts(work, block)
    hits: list[tuple[int, int, object]] = []  # (quote start, task start, roles-or-draft factory)
    chaired_until = -1
    for n, s in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else block.end
        sentence_end = next((x for x in starts[n + 1:] if x not in after_colon), block.end)
        at_block_start = s == block.body_start
        # "Đoàn kiểm tra: do X chủ trì (hoặc Y chủ trì); thành viên là Z" (the whole sentence is the task)
        if s < chaired_until:
            continue
        m = _CHAIRED_BY.search(work.folded, s, sentence_end)
        if m:
            leads: list[AgencyMention] = []
            pos = m.end()
            while True:
                mentions, stop = scan_in(work, pos, sentence_end)
                ch = _CHAIR.match(work.folded, stop, sentence_end) if mentions else None
                if not ch:
                    break
                leads += mentions
                nxt = _OR_ANOTHER.match(work.folded, ch.end(), sentence_end)
                if not nxt:
                    break
                pos = nxt.end()
            if leads:
                coords: list[AgencyMention] = []
                mm = _MEMBERS.search(work.folded, m.end(), block.end)
                if mm:
                    coords, _ = scan_in(work, mm.end(), block.end)
                lead_names = tuple(dict.fromkeys(x.name for x in leads))
                coord_names = tuple(dict.fromkeys(x.name for x in coords if x.name not in lead_names))
                hits.append((s, s, ("do chủ trì", lead_names, coord_names)))
                chaired_until = sentence_end
                continue
        # "… đề nghị X chỉ đạo …", "… yêu cầu X, Y …"
        requested = None
        for m in _REQUEST.finditer(work.folded, s, end):
            mentions, stop = subject_at(work, m.end(), end)
            if mentions:
                requested = assign(work, stop, end, mentions, allow_subject=False)
                break
        if requested is not None:
            hits.append((s, requested.task_start, requested))
            continue
        if requests_only:
            continue  # a report states what was done; only its requests assign work
        # "X chủ trì, …", "UBND các huyện, Thành phố chỉ đạo …"
        mentions, stop = subject_at(work, s, end)
        if not mentions and end < sentence_end:
            # the subject may run over a colon: "Giám đốc các Sở: Tài chính, Y tế chịu trách nhiệm …"
            mentions, stop = subject_at(work, s, sentence_end)
            if mentions:
                end = next((x for x in starts[n + 1:] if x > stop), block.end)
                chaired_until = end
        if not mentions or (not at_block_start and not _known(mentions)):
            continue
        if _REQUEST.match(work.folded, stop + 1) or _REQUEST.match(work.folded, stop):
            continue  # the requester ("UBND tỉnh yêu cầu …") is not the one who acts
        if work.text[s:block.end].rstrip().endswith(":") and n == len(starts) - 1:
            continue
        roles = assign(work, s, end, mentions)
        hits.append((s, roles.task_start, roles))
    drafts: list[Draft] = []
    for n, (s, task_start, roles) in enumerate(hits):
        e = hits[n + 1][0] if n + 1 < len(hits) else block.end
        e = len(work.text[:e].rstrip())
        if isinstance(roles, tuple):
            rule, lead, coords = roles
            drafts.append(_draft(work, s, e, s, lead, coords, rule))
        elif roles.lead or roles.coordinators:
            drafts.append(_draft(work, s, e, roles.task_start, roles.lead, roles.coordinators, "prose; " + roles.rule,
                                 roles.people))
    return drafts


def prose_drafts(work: Work, blocks: list[Block], used: set[int], *, requests_only: bool = False) -> list[Draft]:
    """Records from assignment lists and sentences in blocks not already ``used``.

    ``requests_only``: keep only requests ("đề nghị/kiến nghị X …"), for reports, whose
    other sentences tell what agencies did rather than what they are to do.
    """
    used = set(used)
    drafts = _assignment_drafts(work, blocks, used)
    for k, block in enumerate(blocks):
        if is_closing_start(work.text[block.start:block.end]):
            break
        if k in used or _label_at(work, block, _CONTENT) or _label_at(work, block, _TIMING):
            continue
        if _ADDRESSEE.match(work.folded, block.body_start, block.end):
            continue  # "Kính gửi: Sở X": the addressee, not a task
        if work.text[block.start:block.end].rstrip().endswith(":") and block.kind != "list":
            continue
        drafts.extend(_sentence_drafts(work, block, requests_only))
    return drafts
