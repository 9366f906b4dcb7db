"""Cut retrieved passages into answer units: sentences/clauses, table rows, card lines.

Plans are lists more than prose: numbered headings ("1. Sở Lao động - Thương binh và
Xã hội"), lettered or dashed items, clauses joined by ";", and label lines
("- Thời gian thực hiện: Tháng 10/2023"). A unit is one clause or item, and carries the
nearest heading above it, because the heading often holds what the item is about (the
agency of an "III. TỔ CHỨC THỰC HIỆN" subsection, the task of a "Thời gian" line).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from assistant._text import nfc
from assistant.agencies import has_own_subject, heading_agency, line_subject, stated_agency, strip_bullet
from ingest.types import Chunk

MAX_HEADING_CHARS = 240


@dataclass(frozen=True)
class Unit:
    """One quotable piece of a retrieved chunk."""

    hit_index: int  # 0-based position of the chunk's hit in the retrieved list
    text: str  # the chunk's own words (bullet markers stripped)
    heading: str = ""  # nearest heading above it in the chunk (or the chunk's last section heading)
    section: str = ""  # the chunk's section path, " › "-joined
    kind: str = "text"  # "text" | "row" | "card"
    fields: tuple[tuple[str, str], ...] = ()  # table row: (column header, cell) pairs
    is_heading: bool = False
    subject: str = ""  # the agency the unit is about when it does not say (line label or agency heading)


_NUMBERED = re.compile(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*)[.)]?\s+\S")
_LETTERED = re.compile(r"^\s*(?:[a-zđ]|[a-zđ]\d?)[.)]\s+\S")
_ENUMERATED = re.compile(r"^\s*(?:[a-zđ]|\d+(?:\.\d+)*)[.)]\s+\S")  # "a) …", "2. …": an item of its own
_LIST_ITEM = re.compile(r"^\s*(?:[a-zđ][.)]|\d+(?:\.\d+)*[.)]|[-–+•])\s*\S")
_AGENCY_FRAGMENT = re.compile(r"^\s*[-–]\s*(?:Thương binh|TB&XH|TB & XH|Đào tạo|Xã hội|Giáo dục thường xuyên|GDTX|PTNT)")


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_HEADING_CHARS:
        return False
    if _NUMBERED.match(stripped) and not _LETTERED.match(stripped):
        return True
    letters = [c for c in stripped if c.isalpha()]
    return len(letters) >= 6 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def logical_lines(text: str) -> list[str]:
    """Lines with hard wraps undone: a line that starts in lower case, continues an agency
    name ("Sở Lao động" / "- Thương binh và Xã hội"), or follows a short label ending in ":",
    belongs to the line before."""
    out: list[str] = []
    for raw in nfc(text).split("\n"):
        line = raw.strip()
        if not line:
            continue
        if out:
            prev = out[-1]
            first = line[0]
            continues = (
                (first.islower() and not _LETTERED.match(line))
                or prev.endswith(("-", "–", ","))
                or _AGENCY_FRAGMENT.match(line) is not None and not prev.endswith((".", ";", ":"))
                or (prev.endswith(":") and len(prev) <= 60 and not _is_heading(prev) and not _ENUMERATED.match(line))
            )
            if continues:
                out[-1] = f"{prev} {line}"
                continue
        out.append(line)
    return out


_SENTENCE_END = re.compile(r"[.!?](?:\s+)(?=[\"“(]?[^\W\d_])")
_ABBREVIATION_BEFORE = re.compile(r"(?:^|\s)(?:[A-ZĐ]|TP|TX|Tp|TT|Th\.S|TS|ThS|PGS|GS|KT|TM|St)$")


def _sentences(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(line):
        nxt = line[m.end() : m.end() + 1]
        if not nxt or not nxt[0].isupper() and nxt not in "\"“(":
            continue
        if _ABBREVIATION_BEFORE.search(line[start : m.start()]):
            continue
        pieces.append(line[start : m.start() + 1])
        start = m.end()
    pieces.append(line[start:])
    return [p.strip() for p in pieces if p.strip()]


_CONTINUES = re.compile(r"^(?:hoặc|hay|và|cũng như|đồng thời)\s")


def clauses(line: str, *, min_chars: int = 25) -> list[str]:
    """Sentences of ``line`` split again at ";" (a piece shorter than ``min_chars`` stays
    joined to its neighbour within the sentence: "Tuyển sinh tốt; tổ chức …" is one clause)."""
    out: list[str] = []
    for sentence in _sentences(line):
        parts = [p.strip() for p in re.split(r";\s*", sentence) if p.strip()]
        merged: list[str] = []
        pending = ""
        for part in parts:
            part = f"{pending}; {part}" if pending else part
            pending = ""
            if merged and _CONTINUES.match(part):  # "…: Giữ nguyên trường …; hoặc sáp nhập …" is one list
                merged[-1] = f"{merged[-1]}; {part}"
                continue
            if len(part) < min_chars:
                if merged:
                    merged[-1] = f"{merged[-1]}; {part}"
                else:
                    pending = part
                continue
            merged.append(part)
        if pending:
            merged.append(pending)
        out.extend(merged)
    return out


def _row_fields(text: str) -> tuple[tuple[str, str], ...]:
    fields: list[list[str]] = []
    for line in nfc(text).split("\n"):
        line = line.strip()
        if not line:
            continue
        if ": " in line or line.endswith(":"):
            head, _, value = line.partition(":")
            if 0 < len(head) <= 160:
                fields.append([head.strip(" -*"), value.strip()])
                continue
        if fields:
            fields[-1][1] = f"{fields[-1][1]} {line}".strip()
        else:
            fields.append(["", line])
    return tuple((h, v) for h, v in fields)


_WORD = re.compile(r"[^\W\d_]{2,}")


def _has_words(text: str) -> bool:
    """A list marker left alone ("a.", "2)") is not a unit."""
    return _WORD.search(text) is not None


def split_units(hit_index: int, chunk: Chunk) -> list[Unit]:
    """All units of one retrieved chunk, in reading order."""
    section = chunk.section
    if chunk.kind == "card":
        return [
            Unit(hit_index, line, section=section, kind="card")
            for line in (ln.strip() for ln in nfc(chunk.text).split("\n"))
            if line
        ]
    if chunk.kind == "table_row":
        fields = _row_fields(chunk.text)
        heading = chunk.section_path[-1] if chunk.section_path else ""
        if fields and not fields[0][0]:  # the first line is the table title / group path
            heading, fields = fields[0][1], fields[1:]
        text = "; ".join(f"{h}: {v}" if h else v for h, v in fields if v or h)
        return [Unit(hit_index, text, heading=heading, section=section, kind="row", fields=fields)]

    heading = chunk.section_path[-1] if chunk.section_path else ""
    units: list[Unit] = []
    for line in logical_lines(chunk.text):
        if _is_heading(line):
            units.append(Unit(hit_index, strip_bullet(line) or line, heading=heading, section=section, is_heading=True))
            heading = line
            continue
        subject = line_subject(line) or heading_agency(heading)
        carried = ""  # Vietnamese drops the subject of follow-on sentences: "…đề nghị Sở X chỉ đạo…. Hướng dẫn kiểm tra…"
        # the list marker goes first: "a. Sở Tài chính …" must not split into "a." and "Sở Tài chính …"
        for clause in clauses(strip_bullet(line) or line):
            text = strip_bullet(clause)
            if not _has_words(text):
                continue
            own_subject = subject
            if not subject and carried and not has_own_subject(text):
                own_subject = carried
            units.append(Unit(hit_index, text, heading=heading, section=section, subject=own_subject))
            carried = stated_agency(text) or (carried if not has_own_subject(text) else "")
    return units


def _depth(line: str) -> int:
    m = re.match(r"\s*(\d+(?:\.\d+)*)[.)]", line)
    return m.group(1).count(".") + 1 if m else 0


@functools.lru_cache(maxsize=4096)
def introduced_list(chunk_text: str, lead: str) -> tuple[str, ...]:
    """The lines of the list that ``lead`` announces ("… trong trường hợp sau đây:", "Bất động sản
    bao gồm:"), as written with their markers, lead-in first; empty when ``lead`` does not end in ":"
    or no list follows it in the chunk. A quoted lead-in without its items says nothing. Cached: the
    answerer asks it of every unit of a chunk, several times per question."""
    wanted = " ".join(lead.split()).rstrip()
    if not wanted.endswith(":"):
        return ()
    lines = logical_lines(chunk_text)
    for i, line in enumerate(lines):
        flat = " ".join(line.split())
        if not flat.endswith(wanted):
            continue
        depth = _depth(line) if not _LETTERED.match(line) else 0
        items: list[str] = []
        for nxt in lines[i + 1 :]:
            if not _LIST_ITEM.match(nxt):
                break
            if depth and not _LETTERED.match(nxt) and 0 < _depth(nxt) <= depth:
                break  # "2. …" after the lead-in "1. … sau đây:" is its sibling, not its item
            items.append(" ".join(nxt.split()))
        return (flat, *items) if items else ()
    return ()
