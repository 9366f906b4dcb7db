"""Writing and citing an answer from chosen responsibility records.

Each record becomes one line in the question's language with the plans' own words for the
facts (vi "Sở X chủ trì: <task> (hạn: …; kinh phí: …) [1]", en "Lead: Sở X — <task> [1]"), the
plan framed once ("Theo Kế hoạch số 37/KH-UBND (Bắc Kạn): …") or named per line when several
plans answer. Every line cites the passage (``Chunk``) that holds the record's quote, found by
the record's ``chunk_id`` (or, if that passage changed, any passage of the document holding the
quote); the citation quotes the record's span. A record whose quote is found in no passage is
never used, so an answer from records always carries valid citations.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Sequence

from assistant._text import fold
from assistant.citations import validate_citations
from assistant.compose import frame, plan_name
from assistant.injection import strip_instructions
from assistant.query import QueryAnalysis
from assistant.records import RecordMatch, question_terms
from assistant.types import Answer
from index.types import Hit
from ingest.types import Chunk, DocumentMeta, ResponsibilityRecord

TASK_CHARS = 240  # a longer task is cut to its clauses that match the question best
TARGET_CHARS = 80  # a longer target (a paragraph of figures) is not repeated in the line
RECORDS_ANSWERER = "records"  # ``Answer.answerer`` of answers composed from responsibility records

_CLAUSE_END = re.compile(r"(?<=[;.])\s+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Located:
    """A chosen record and the passage that holds its quote."""

    match: RecordMatch
    chunk: Chunk
    quote: str  # the record's quote (the exact span of the document the citation shows)


# ---------------------------------------------------------------------------------------------
# passages
def _ws(text: str) -> str:
    return " ".join(text.split())


def locate_passage(record: ResponsibilityRecord, chunks: Sequence[Chunk], document_text: str = "") -> Chunk | None:
    """The passage holding the record's quote: its own ``chunk_id`` first, else any passage of the
    document whose text (or, for table rows shown as "header: value" lines, whose span of the
    document text) contains the quote. None when the quote is found nowhere."""
    quote = _ws(record.quote)
    if not quote:
        return None
    ordered = sorted(chunks, key=lambda c: (c.id != record.chunk_id, c.position))
    for chunk in ordered:
        if quote in _ws(chunk.text):
            return chunk
        if document_text and 0 <= chunk.start < chunk.end and quote in _ws(document_text[chunk.start : chunk.end]):
            return chunk
    return None


# ---------------------------------------------------------------------------------------------
# writing
def short_task(task: str, keywords: Sequence[str], limit: int = TASK_CHARS) -> str:
    """The task, or for a long one the clauses that share most words with the question."""
    task = _ws(task).rstrip(" ;,.")
    if len(task) <= limit:
        return task
    clauses = [c for c in _CLAUSE_END.split(task) if c]
    wanted = {p for k in keywords for p in k.split()}

    def score(clause: str) -> int:
        return len(wanted & set(_WORD.findall(fold(clause))))

    start = max(range(len(clauses)), key=lambda i: (score(clauses[i]), -i))
    rest = " ".join(clauses[start:])
    out = ""
    for clause in clauses[start:]:
        joined = f"{out} {clause}".strip()
        if len(joined) > limit:
            break
        out = joined
    if not out:  # one long clause: cut at a word boundary
        space = rest.rfind(" ", 0, limit)
        out = rest[: space if space > limit // 2 else limit]
    cut = len(out) < len(rest)
    out = out.rstrip(" ;,.:")
    return ("… " if start > 0 else "") + out + (" …" if cut else "")


def _partner_task(record: ResponsibilityRecord) -> bool:
    """A task written from the partner's side ("Phối hợp với Sở X …" under the partner's heading):
    the line names the partner too, or "Sở X chủ trì: Phối hợp với Sở X …" would read backwards."""
    return fold(record.task).startswith("phoi hop")


def _short_target(record: ResponsibilityRecord) -> bool:
    """A table row's target cell ("5 cuộc/năm", "20 hội nghị/năm") is shown; a long one is left to the quote."""
    return bool(record.target) and len(record.target) <= TARGET_CHARS


def _agencies(names: Sequence[str], record: ResponsibilityRecord) -> str:
    """The agencies as the plan writes them where the record's quote or task names them
    ("UBND các huyện, Thành phố", "Sở Lao động-TB&XH"), else their canonical names."""
    from ingest.agencies import agency_match_key, find_agency_mentions

    written: dict[str, str] = {}
    for text in (record.quote, record.task):
        for mention in find_agency_mentions(text):
            raw = " ".join(mention.raw.split()).strip(" ,;:")
            if raw and not mention.listed:
                written.setdefault(agency_match_key(mention.name), raw)
    return ", ".join(written.get(agency_match_key(name), name) for name in names)


def record_line(match: RecordMatch, intent: str, language: str, keywords: Sequence[str]) -> str:
    """One record as a line of the answer (without its [n])."""
    r = match.record
    task = short_task(strip_instructions(r.task), keywords)
    leads, coords = _agencies(r.lead, r), _agencies(r.coordinators, r)
    notes: list[str] = []
    if language == "vi":
        who = f"{leads} chủ trì: {task}" if leads else task
        if intent == "coordinate":
            line = f"{coords} phối hợp" + (f" ({leads} chủ trì)" if leads else "") + f": {task}"
        elif intent == "deadline":
            line = f"Hạn: {r.deadline} — {who}"
        elif intent == "budget":
            line = f"Kinh phí: {r.budget} — {who}"
        else:
            line = who
        if intent != "coordinate" and coords and (match.role == "coordinator" or _partner_task(r)):
            notes.append(f"phối hợp: {coords}")
        if r.deadline and intent != "deadline":
            notes.append(f"hạn: {r.deadline}")
        if r.budget and intent != "budget":
            notes.append(f"kinh phí: {r.budget}")
        if _short_target(r):
            notes.append(f"mục tiêu: {r.target}")
    else:
        who = f"Lead: {leads} — {task}" if leads else task
        if intent == "coordinate":
            line = f"Coordinating: {coords}" + (f" (lead: {leads})" if leads else "") + f" — {task}"
        elif intent == "deadline":
            line = f"Deadline: {r.deadline} — {who}"
        elif intent == "budget":
            line = f"Budget: {r.budget} — {who}"
        else:
            line = who
        if intent != "coordinate" and coords and (match.role == "coordinator" or _partner_task(r)):
            notes.append(f"coordinating: {coords}")
        if r.deadline and intent != "deadline":
            notes.append(f"deadline: {r.deadline}")
        if r.budget and intent != "budget":
            notes.append(f"budget: {r.budget}")
        if _short_target(r):
            notes.append(f"target: {r.target}")
    if notes:
        line += " (" + "; ".join(notes) + ")"
    return line


def compose(
    located: Sequence[Located],
    markers: Sequence[int],
    intent: str,
    language: str,
    keywords: Sequence[str],
) -> str:
    """The answer text: one plan framed once, several plans named per line; each line ends in its [n]."""
    lines = [f"{record_line(l.match, intent, language, keywords)} [{n}]" for l, n in zip(located, markers)]
    docs = list(dict.fromkeys(l.chunk.doc_id for l in located))
    if len(docs) == 1:
        first = located[0].chunk
        head = frame(first.meta, first.doc_id, language)
        if len(lines) == 1:
            return f"{head}: {lines[0]}"
        return f"{head}:\n" + "\n".join(f"- {line}" for line in lines)
    intro = "Theo các kế hoạch đã nạp:" if language == "vi" else "From the loaded plans:"
    named = [f"- {plan_name(l.chunk.meta, l.chunk.doc_id, language)}: {line}" for l, line in zip(located, lines)]
    return intro + "\n" + "\n".join(named)


# ---------------------------------------------------------------------------------------------
# the answer
class PassageFinder:
    """The passage holding a record's quote, from the retriever's ``chunks(doc_id)`` (cached per document).

    A document that cannot be read (removed meanwhile, a retriever without ``document_text``)
    just yields fewer citable records.
    """

    def __init__(self, retriever: object, metas: dict[str, DocumentMeta]) -> None:
        self._retriever = retriever
        self._metas = metas
        self._chunks: dict[str, list[Chunk]] = {}
        self._texts: dict[str, str] = {}

    def _load(self, doc_id: str) -> None:
        if doc_id in self._chunks:
            return
        try:
            self._chunks[doc_id] = list(self._retriever.chunks(doc_id))
        except Exception:  # noqa: BLE001 - an unreadable document only means no citation from it
            self._chunks[doc_id] = []
        text = ""
        document_text = getattr(self._retriever, "document_text", None)
        if document_text is not None:
            try:
                text = document_text(doc_id) or ""
            except Exception:  # noqa: BLE001
                text = ""
        self._texts[doc_id] = text

    def find(self, record: ResponsibilityRecord) -> Chunk | None:
        self._load(record.document)
        chunk = locate_passage(record, self._chunks[record.document], self._texts[record.document])
        if chunk is not None and chunk.meta is None and record.document in self._metas:
            chunk = dataclasses.replace(chunk, meta=self._metas[record.document])
        return chunk


def records_answer(located: Sequence[Located], analysis: QueryAnalysis, retrieved: list[Hit] | None) -> Answer | None:
    """The cited answer for the chosen records: one [n] per passage (records sharing a passage
    share it), citations quoting the records' spans. None if the citations do not check out.

    Two records that read the same (one task found both in the prose and in a table row) are
    shown once.
    """
    keywords, _ = question_terms(analysis, tuple(a for item in located for a in item.match.agencies))
    seen_lines: set[str] = set()
    distinct: list[Located] = []
    for item in located:
        line = fold(record_line(item.match, analysis.intent, analysis.language, keywords))
        if line not in seen_lines:
            seen_lines.add(line)
            distinct.append(item)
    located = distinct
    hits: list[Hit] = []
    quotes: list[list[str]] = []
    markers: list[int] = []
    index: dict[str, int] = {}
    for item in located:
        if item.chunk.id not in index:
            index[item.chunk.id] = len(hits)
            hits.append(Hit(chunk=item.chunk, score=float(item.match.overlap)))
            quotes.append([])
        position = index[item.chunk.id]
        if item.quote not in quotes[position]:
            quotes[position].append(item.quote)
        markers.append(position + 1)
    draft = compose(located, markers, analysis.intent, analysis.language, keywords)
    text, citations = validate_citations(draft, hits)
    if len(citations) != len(hits) or any(c.n != i + 1 for i, c in enumerate(citations)):
        return None
    citations = tuple(
        dataclasses.replace(c, quote=joined_quote(quotes[i], hits[i].chunk)) for i, c in enumerate(citations)
    )
    shown = list(hits)
    if retrieved:
        seen = {h.chunk.id for h in hits}
        shown += [h for h in retrieved if h.chunk.id not in seen]
    return Answer(
        text=text,
        citations=citations,
        abstained=False,
        language=analysis.language,
        hits=tuple(shown),
        answerer=RECORDS_ANSWERER,
    )


def joined_quote(quotes: list[str], chunk: Chunk) -> str:
    """One record's quote as is; several records of one passage: the span of the passage covering
    all their quotes (still an exact span), else the quotes joined with " … "."""
    if len(quotes) == 1:
        return quotes[0]
    starts = [chunk.text.find(q) for q in quotes]
    if all(s >= 0 for s in starts):
        end = max(s + len(q) for s, q in zip(starts, quotes))
        return chunk.text[min(starts) : end]
    return " … ".join(quotes)
