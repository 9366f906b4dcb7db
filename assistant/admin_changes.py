"""Notes on the 2025 administrative changes, appended to answers that predate them.

When an answer cites a document written before a change and names a province that was merged
(or renamed) or a department that was merged or split, ``annotate_changes`` appends one note per
change ("Lưu ý: tỉnh Bắc Kạn nay thuộc tỉnh Thái Nguyên …") with a citation of its own:

- a passage of a loaded document that states the new arrangement in its own words (the new
  agency and one of the row's cue words, in a document from the change's year or later), when
  the library has one ("note" citations, shown as ordinary source cards), else
- the row's legal basis from ``ingest.admin_changes`` as a source card of its own kind
  ("legal_basis": the act, its date, the change and where the fact was read).

Note citations continue the answer's numbering, so the answer's own [n] markers are untouched;
``Answer.hits`` stays the retrieved passages.
Department rows are chosen by cue words: a split-off duty whose cues the question or answer
uses ("đào tạo nghề" → Sở Giáo dục và Đào tạo), else the department the rest merged into.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Protocol, Sequence

from assistant._provinces import province_mentions
from assistant._text import fold
from assistant.citations import citation_for
from assistant.types import Answer, Citation
from index.types import Filters, Hit
from ingest.admin_changes import DepartmentChange, LegalSource, ProvinceChange, load_admin_changes, vi_date
from ingest.types import Chunk, DocumentMeta

LEGAL_BASIS_PREFIX = "admin-changes-2025:"
MAX_NOTES = 3
SUPPORT_K = 8  # passages searched for a loaded text that states a change
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


class _Retriever(Protocol):
    def retrieve(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]: ...


@dataclass(frozen=True)
class ChangeNote:
    key: str  # one note per key
    vi: str  # the note without its marker
    en: str
    source: LegalSource
    statement: str  # the change in one sentence (Vietnamese), for the legal-basis card
    clause: str
    read_at: str
    new_name: str  # the agency / unit of today (a supporting passage must name it)
    cues: tuple[str, ...] = ()  # one of these must be in a supporting passage too (departments)
    effective: str = ""


# ---------------------------------------------------------------------------------------------
# which changes an answer touches
def document_year(meta: DocumentMeta | None) -> int | None:
    """The year a document was issued: its ISO date, else the first year written in its date text,
    number or file name."""
    if meta is None:
        return None
    if meta.issued_date:
        return int(meta.issued_date[:4])
    for text in (meta.issued_date_text, meta.number, meta.doc_id):
        m = _YEAR.search(text or "")
        if m:
            return int(m.group(0))
    return None


def _predates(meta: DocumentMeta | None, effective: str) -> bool:
    """True when the document was written before ``effective`` (or its date is unknown)."""
    if not effective:
        return False
    if meta is None:
        return True
    if meta.issued_date:
        return meta.issued_date < effective
    year = document_year(meta)
    return year is None or year < int(effective[:4])


def _province_note(row: ProvinceChange) -> ChangeNote:
    table = load_admin_changes()
    source = table.source(row.legal_basis)
    when = vi_date(row.effective)
    unit = f"{row.new_kind} {row.new_unit}" if not row.new_unit.lower().startswith("thành phố") else row.new_unit
    unit_en = row.new_unit if row.new_unit.lower().startswith("thành phố") else (
        f"{row.new_unit} {'city' if row.new_kind == 'thành phố' else 'province'}")
    if row.change == "renamed":
        vi = f"Lưu ý: {row.old_province} nay là {unit} (từ {when}, {source.citation})."
        en = f"Note: {row.old_province} is now {unit_en} (from {when}, {source.citation})."
        statement = f"{row.old_province} trở thành {unit} từ {when}."
    else:
        others = table.predecessors(row.new_unit)
        vi = f"Lưu ý: {row.old_province}, nay thuộc {unit} (từ {when}, {source.citation})."
        en = f"Note: {row.old_province} is now part of {unit_en} (from {when}, {source.citation})."
        statement = f"{unit[:1].upper()}{unit[1:]} được hình thành từ {', '.join(others)}; hoạt động từ {when}."
    return ChangeNote(
        key=f"province:{row.old_province}", vi=vi, en=en, source=source, statement=statement,
        clause=row.clause, read_at=row.read_at, new_name=row.new_unit, effective=row.effective,
    )


def _department_note(row: DepartmentChange) -> ChangeNote:
    source = load_admin_changes().source(row.legal_basis)
    when = vi_date(row.effective)
    if row.change == "split":
        duties = ", ".join(row.duties)
        vi = f"Lưu ý: nhiệm vụ {duties} của {row.old_agency} nay thuộc {row.new_agency} (từ {when}, {source.citation})."
        en = f"Note: the {duties} duties of {row.old_agency} passed to {row.new_agency} from {when} ({source.citation})."
    else:
        vi = f"Lưu ý: {row.old_agency} nay đã hợp nhất vào {row.new_agency} (từ {when}, {source.citation})."
        en = f"Note: {row.old_agency} was merged into {row.new_agency} from {when} ({source.citation})."
    return ChangeNote(
        key=f"department:{row.old_agency}>{row.new_agency}", vi=vi, en=en, source=source,
        statement=row.statement, clause="", read_at=row.read_at, new_name=row.new_agency,
        cues=row.cues or row.duties, effective=row.effective,
    )


def _mentions_cue(folded_text: str, cues: Sequence[str]) -> bool:
    return any(re.search(rf"(?<![a-z0-9]){re.escape(fold(c))}(?![a-z0-9])", folded_text) for c in cues if c)


def department_rows_for(old_agency: str, context: str) -> tuple[DepartmentChange, ...]:
    """The rows of ``old_agency`` that ``context`` (question and answer, agency names removed) is about:
    split-off duties whose cues it uses, else the department the rest merged into."""
    rows = load_admin_changes().department_changes(old_agency)
    folded = fold(context)
    split = tuple(r for r in rows if r.change == "split" and _mentions_cue(folded, r.cues))
    return split or tuple(r for r in rows if r.change == "merged")


def without_agencies(text: str) -> str:
    """``text`` with department and ministry names blanked ("Sở Lao động - …" holds the cue "lao
    động"); other named bodies stay ("các cơ sở giáo dục nghề nghiệp" is what the task is about)."""
    from ingest.agencies import find_agency_mentions

    chars = list(text)
    for m in find_agency_mentions(text):
        if m.name.startswith(("Sở ", "Bộ ")):
            for i in range(m.start, m.end):
                chars[i] = " "
    return "".join(chars)


def notes_for(text: str, question: str, metas: Sequence[DocumentMeta]) -> list[ChangeNote]:
    """Notes for the changes ``text`` (an answer citing documents ``metas``) runs into."""
    from ingest.agencies import find_agency_mentions

    table = load_admin_changes()
    notes: dict[str, ChangeNote] = {}
    provinces = [m.province for m in metas if m.province] + [p.name for p in province_mentions(text)]
    for name in dict.fromkeys(provinces):
        row = table.province_change(name)
        if row is not None and row.absorbed and any(_predates(m, row.effective) for m in metas or (None,)):
            note = _province_note(row)
            notes.setdefault(note.key, note)
    context = without_agencies(f"{question}\n{text}")
    for mention in find_agency_mentions(text):
        for row in department_rows_for(mention.name, context):
            if any(_predates(m, row.effective) for m in metas or (None,)):
                note = _department_note(row)
                notes.setdefault(note.key, note)
    return list(notes.values())[:MAX_NOTES]


# ---------------------------------------------------------------------------------------------
# what each note cites
def legal_basis_hit(note: ChangeNote) -> Hit:
    """A source card for the act behind a change (not a passage of the library)."""
    source = note.source
    meta = DocumentMeta(
        doc_id=f"{LEGAL_BASIS_PREFIX}{source.id}",
        title=source.title,
        number=source.act,
        issuer=source.issuer,
        issued_date=source.date,
        source_path=note.read_at,
    )
    lines = [note.statement, f"Căn cứ: {source.citation} ({source.issuer}) {source.title}."]
    if source.effective:
        lines.append(f"Hiệu lực: {source.effective}.")
    lines.append(f"Đã đọc tại: {note.read_at}")
    chunk = Chunk(
        id=f"{LEGAL_BASIS_PREFIX}{note.key}",
        doc_id=meta.doc_id,
        position=0,
        kind="legal_basis",
        text="\n".join(lines),
        section_path=(note.clause,) if note.clause else (),
        meta=meta,
    )
    return Hit(chunk=chunk, score=0.0)


def supporting_hit(
    note: ChangeNote,
    retriever: _Retriever | None,
    documents: Sequence[DocumentMeta],
    exclude: Sequence[str] = (),
) -> Hit | None:
    """A loaded passage that states ``note``'s change: it names the new agency and one of the
    note's cue words, in a document of the change's year or later (not one of ``exclude``).
    Searches only those documents, and not at all when the library has none."""
    if retriever is None or not note.cues or not note.effective:
        return None
    year = int(note.effective[:4])
    candidates = tuple(
        d.doc_id for d in documents if d.doc_id not in exclude and (document_year(d) or 0) >= year
    )
    if not candidates:
        return None
    new = fold(note.new_name)
    hits = retriever.retrieve(f"{note.new_name} {note.cues[0]}", SUPPORT_K, Filters(documents=candidates))
    for hit in hits:
        if hit.chunk.doc_id not in candidates:
            continue
        text = fold(hit.chunk.text)
        if new in text and _mentions_cue(text, note.cues):
            return hit
    return None


# ---------------------------------------------------------------------------------------------
# the answer with its notes
def annotate_changes(
    answer: Answer,
    question: str,
    documents: Sequence[DocumentMeta],
    retriever: _Retriever | None = None,
) -> Answer:
    """``answer`` with a cited note for each 2025 change it runs into (unchanged when none, or abstained)."""
    if answer.abstained or not answer.citations:
        return answer
    by_id = {d.doc_id: d for d in documents}
    cited = [c for c in answer.citations if c.kind == "passage"]
    metas = [by_id.get(c.document) or DocumentMeta(doc_id=c.document, province=c.province) for c in cited]
    notes = notes_for(answer.text, question, metas)
    if not notes:
        return answer
    citations = list(answer.citations)
    lines = []
    numbers: dict[str, int] = {}
    exclude = [c.document for c in cited]
    for note in notes:
        hit = supporting_hit(note, retriever, documents, exclude)
        kind = "note" if hit is not None else "legal_basis"
        hit = hit or legal_basis_hit(note)
        n = numbers.get(hit.chunk.id)
        if n is None:
            n = len(citations) + 1
            numbers[hit.chunk.id] = n
            citations.append(dataclasses.replace(citation_for(hit, n), kind=kind))
        text = note.en if answer.language == "en" else note.vi
        lines.append(f"{text[:-1]} [{n}].")
    # ``hits`` stay the retrieved passages: a note's source is in its citation
    return dataclasses.replace(answer, text=answer.text.rstrip() + "\n\n" + "\n".join(lines), citations=tuple(citations))


def is_note_citation(citation: Citation) -> bool:
    return citation.kind != "passage"
