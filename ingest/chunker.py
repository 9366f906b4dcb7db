"""Cut a document into retrievable chunks that follow its structure.

* Position 0 is the document card (``ingest.card``).
* Text chunks never straddle two sections (``ingest.structure``); each carries its
  heading path, and ``doc.text[chunk.start:chunk.end] == chunk.text``. A section
  that fits the size budget is one chunk; a longer one is cut at line, then
  sentence, then word boundaries, consecutive pieces overlapping by up to
  ``overlap_chars``. The preamble and the "Nơi nhận"/signer block are sections too.
* Articles of legal documents ("Điều 3") are packed by ``ingest.packing``: the whole
  article when it fits, else runs of its clauses ("Điều 3. … › khoản 1–2"), never
  two articles in one chunk.
* Each table row (``ingest.tables``) is a "table_row" chunk: the table title and
  group-row labels, then one "Header: value" line per non-empty cell; its
  start/end is the row's span in ``doc.text``. The table's title and header lines
  stay in the text chunks of the section around the table.

Chunk ids hash the document id, position and text, so re-ingesting an unchanged
file gives the same ids.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass

from ingest.card import card_text
from ingest.packing import pack_sections
from ingest.structure import Section, parse_sections
from ingest.tables import read_tables, row_contexts
from ingest.types import Chunk, Document, Table

_SENTENCE_BREAK = re.compile(r"(?<=[.!?…;])\s+(?=[\"“(\-–+•]?[0-9A-ZĐÀ-ỸẠ-Ỹ])")
_CLAUSE_BREAK = re.compile(r"(?<=[;:])\s+(?=\S)")
_MIN_FILL = 0.3  # a piece is at least this share of max_chars before we break early


def chunk_id(doc_id: str, position: int, text: str) -> str:
    return hashlib.sha1(f"{doc_id}\x1f{position}\x1f{text}".encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class _Piece:
    kind: str
    text: str
    path: tuple[str, ...]
    start: int
    end: int


def chunk_document(doc: Document, *, max_chars: int = 1200, overlap_chars: int = 200) -> list[Chunk]:
    """Card chunk, then text and table-row chunks in document order."""
    if max_chars < 100:
        raise ValueError("max_chars must be at least 100")
    if not 0 <= overlap_chars < max_chars // 2:
        raise ValueError("overlap_chars must be between 0 and max_chars / 2")
    text = doc.text
    tables = read_tables(text.split("\n"))
    sections = parse_sections(text, exclude=[(t.start, t.end) for t in tables])
    row_regions = [(t.row_spans[0][0], t.end) for t in tables if t.row_spans]

    pieces: list[_Piece] = []
    for span in pack_sections(text, sections, max_chars):
        for seg_start, seg_end in _subtract(span.start, span.end, row_regions):
            for start, end in split_span(text, seg_start, seg_end, max_chars, overlap_chars):
                pieces.append(_Piece("text", text[start:end], span.path, start, end))
    for table in tables:
        pieces.extend(_table_pieces(table, sections))
    pieces.sort(key=lambda p: (p.start, p.end))

    card = card_text(doc.meta)
    chunks = [Chunk(chunk_id(doc.meta.doc_id, 0, card), doc.meta.doc_id, 0, "card", card, ("Thông tin văn bản",),
                    None, -1, -1, doc.meta)]
    for position, piece in enumerate(pieces, start=1):
        chunks.append(Chunk(
            id=chunk_id(doc.meta.doc_id, position, piece.text),
            doc_id=doc.meta.doc_id,
            position=position,
            kind=piece.kind,
            text=piece.text,
            section_path=piece.path,
            page=doc.page_at(piece.start),
            start=piece.start,
            end=piece.end,
            meta=doc.meta,
            ocr_confidence=doc.ocr_confidence_at(piece.start),
        ))
    return chunks


def _subtract(start: int, end: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """[start, end) minus the hole spans."""
    spans = [(start, end)]
    for a, b in holes:
        nxt = []
        for s, e in spans:
            if b <= s or a >= e:
                nxt.append((s, e))
                continue
            if s < a:
                nxt.append((s, a))
            if b < e:
                nxt.append((b, e))
        spans = nxt
    return spans


def _table_title(table: Table, sections: list[Section]) -> str:
    if table.title:
        return table.title
    for section in sections:
        if section.start <= table.start < section.end and section.path:
            return section.path[-1]
    return "Bảng"


def _table_pieces(table: Table, sections: list[Section]) -> list[_Piece]:
    title = _table_title(table, sections)
    pieces = []
    for row, context, (start, end) in zip(table.rows, row_contexts(table), table.row_spans):
        path = (title,) + context
        lines = [" › ".join(path)]
        for j, value in enumerate(row):
            if value:
                label = table.header[j] if j < len(table.header) and table.header[j] else f"Cột {j + 1}"
                lines.append(f"{label}: {value}")
        pieces.append(_Piece("table_row", "\n".join(lines), path, start, end))
    return pieces


# --------------------------------------------------------------------------- splitting


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _boundaries(text: str, start: int, end: int) -> tuple[list[int], list[int], list[int], list[int]]:
    """Candidate piece starts inside [start, end): line, sentence, clause ("; ") and word starts."""
    segment = text[start:end]
    lines = [start + m.end() for m in re.finditer(r"\n\s*(?=\S)", segment)]
    sentences = [start + m.end() for m in _SENTENCE_BREAK.finditer(segment)]
    clauses = [start + m.end() for m in _CLAUSE_BREAK.finditer(segment)]
    words = [start + m.end() for m in re.finditer(r"\s+(?=\S)", segment)]
    return lines, sentences, clauses, words


def _last_in(points: list[int], low: int, high: int) -> int | None:
    """Largest point p with low < p <= high (points sorted)."""
    k = bisect.bisect_right(points, high)
    return points[k - 1] if k and points[k - 1] > low else None


def _first_in(points: list[int], low: int, high: int) -> int | None:
    """Smallest point p with low <= p < high (points sorted)."""
    k = bisect.bisect_left(points, low)
    return points[k] if k < len(points) and points[k] < high else None


def split_span(text: str, start: int, end: int, max_chars: int, overlap_chars: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into pieces of at most ``max_chars`` (trimmed spans).

    Breaks prefer line starts, then sentence starts, then clause starts (after ";"
    or ":"), then word starts; a new piece starts up to ``overlap_chars`` before the
    previous piece's end, at the earliest line/sentence/clause start in that window. When the window holds none, the pieces only
    overlap if the cut had to fall mid-sentence (then from a word start).
    """
    start, end = _trim(text, start, end)
    if start >= end:
        return []
    if end - start <= max_chars:
        return [(start, end)]
    lines, sentences, clauses, words = _boundaries(text, start, end)
    clean_starts = sorted(set(lines) | set(sentences) | set(clauses))
    pieces: list[tuple[int, int]] = []
    cur = start
    prev_end = start  # each piece must reach past the previous one
    while cur < end:
        if end - cur <= max_chars:
            pieces.append(_trim(text, cur, end))
            break
        limit = cur + max_chars
        clean = (
            _last_in(lines, max(cur + int(max_chars * 0.5), prev_end), limit)
            or _last_in(sentences, max(cur + int(max_chars * _MIN_FILL), prev_end), limit)
            or _last_in(clauses, max(cur + int(max_chars * _MIN_FILL), prev_end), limit)
        )
        cut = clean or _last_in(words, max(cur + int(max_chars * _MIN_FILL), prev_end), limit) or limit
        piece = _trim(text, cur, cut)
        pieces.append(piece)
        prev_end = piece[1]
        window = max(cur + 1, piece[1] - overlap_chars)
        nxt = None
        if overlap_chars > 0:
            # Overlap from a line/sentence start; from a word start only when the cut
            # itself fell inside a sentence (then the next piece starts mid-sentence anyway).
            nxt = _first_in(clean_starts, window, piece[1])
            if nxt is None and clean is None:
                nxt = _first_in(words, window, piece[1])
        if nxt is None or nxt <= cur:
            nxt = cut
        cur = _trim(text, nxt, end)[0]
    return [p for p in pieces if p[0] < p[1]]
