"""``extract_responsibilities``: every record of one document, tied to its section and chunk."""
from __future__ import annotations

from bisect import bisect_right
from typing import Sequence

from ingest.agencies import looks_like_agency
from ingest.responsibilities.articles import article_drafts
from ingest.responsibilities.blocks import Work, split_blocks
from ingest.responsibilities.draft import Draft
from ingest.responsibilities.prose import prose_drafts
from ingest.responsibilities.sections import agency_section_drafts
from ingest.responsibilities.table_records import table_drafts
from ingest.types import Chunk, Document, ResponsibilityRecord, Table

# Document types that report what was done: their sentences are facts, only requests assign work.
REPORT_TYPES = frozenset({"Báo cáo"})


def _read_tables(text: str) -> list[Table]:
    from ingest.tables import read_tables

    return read_tables(text.split("\n"))


def _best_chunk(chunks: Sequence[Chunk], start: int, end: int, prefer_rows: bool) -> Chunk | None:
    """The chunk that holds the quote: a table-row chunk for table records, else the
    smallest text chunk containing the whole span, else the one overlapping it most."""
    best: tuple[tuple, Chunk] | None = None
    for c in chunks:
        if c.start < 0 or c.end <= start or c.start >= end:
            continue
        overlap = min(end, c.end) - max(start, c.start)
        contains = c.start <= start and end <= c.end
        kind_ok = (c.kind == "table_row") == prefer_rows
        key = (kind_ok, contains, overlap, -(c.end - c.start))
        if best is None or key > best[0]:
            best = (key, c)
    return best[1] if best else None


class _SectionIndex:
    """Section path at an offset, from ``ingest.structure`` when no chunk covers it."""

    def __init__(self, text: str, tables: list[Table]):
        from ingest.structure import parse_sections

        self.sections = parse_sections(text, exclude=[(t.start, t.end) for t in tables])
        self.starts = [s.start for s in self.sections]

    def path(self, offset: int) -> tuple[str, ...]:
        k = bisect_right(self.starts, offset) - 1
        return self.sections[k].path if 0 <= k < len(self.sections) else ()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def extract_responsibilities(doc: Document, chunks: Sequence[Chunk] = ()) -> list[ResponsibilityRecord]:
    """Records (task, lead, coordinators, deadline, budget …) found in ``doc``, in text order.

    ``chunks`` are the document's chunks (``ingest.chunker.chunk_document``); each record
    gets the id and section path of the chunk holding its quote. Without chunks the
    section path comes from ``ingest.structure.parse_sections``.
    """
    text = doc.text
    tables = _read_tables(text)
    work = Work(text)
    blocks = split_blocks(text, skip=[(t.start, t.end) for t in tables])
    drafts: list[Draft] = table_drafts(text, tables)
    section_drafts, used = agency_section_drafts(work, blocks)
    drafts += section_drafts
    owned, used = article_drafts(work, blocks, used)
    drafts += owned
    drafts += prose_drafts(work, blocks, used, requests_only=doc.meta.doc_type in REPORT_TYPES)

    sections: _SectionIndex | None = None
    records: list[ResponsibilityRecord] = []
    seen: set[tuple] = set()
    for d in sorted(drafts, key=lambda d: (d.quote_start, d.quote_end)):
        qs, qe = _trim(text, d.quote_start, d.quote_end)
        # a lead must look like an agency: headings ("Các vấn đề cần lưu ý") never do
        lead = tuple(n for n in d.lead if looks_like_agency(n))
        coordinators = tuple(n for n in d.coordinators if looks_like_agency(n))
        if (d.lead or d.coordinators) and not lead and not coordinators:
            continue  # every name it had was a heading, not an agency (budget-only rows stay)
        key = (qs, qe, d.task, lead, coordinators)
        if key in seen or not d.task:
            continue
        seen.add(key)
        chunk = _best_chunk(chunks, qs, qe, d.source == "table")
        if chunk is not None and chunk.section_path:
            path = chunk.section_path
        else:
            sections = sections or _SectionIndex(text, tables)
            path = sections.path(qs)
        records.append(ResponsibilityRecord(
            task=d.task,
            lead=lead,
            coordinators=coordinators,
            document=doc.meta.doc_id,
            province=doc.meta.province,
            section=" › ".join(path),
            quote=text[qs:qe],
            deadline=d.deadline,
            deadline_iso=d.deadline_iso,
            budget=d.budget,
            target=d.target,
            source=d.source,
            chunk_id=chunk.id if chunk is not None else "",
            extra=d.extra,
        ))
    return records
