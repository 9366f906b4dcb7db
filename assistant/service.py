"""The assistant: question (+ conversation) in, cited ``Answer`` out.

``ask`` makes a follow-up standalone, works out what the question names, and for
who-leads / who-coordinates / deadline / budget questions first tries the extracted
responsibility records (``_answer_from_records``: answered as data, each line cited to the
passage holding the record's quote). Otherwise it retrieves (restricted to the named
provinces/plans first, then topped up without the restriction so cross-plan questions still
see everything) and hands the passages to the configured answerer. The retriever and
answerer are seams; nothing here knows about Chroma, BM25 or LangChain.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from typing import Callable, Protocol, Sequence

from assistant.admin_changes import annotate_changes
from assistant.answerer import Answerer
from assistant.errors import EmptyQuestion
from assistant.injection import strip_instructions
from assistant.query import QueryAnalysis, analyze, contextualize
from assistant.record_answers import RecordStats, carries_asked_facts, choose_records, years_match
from assistant.record_writing import Located, PassageFinder, records_answer
from assistant.records import RECORD_INTENTS, answer_from_records
from assistant.scope import expand_filters
from assistant.standing import mark_standing, prefer_current
from assistant.types import Answer, Turn
from index.doc_status import DocumentStatus, library_status
from index.types import Filters, Hit
from ingest.types import DocumentMeta, ResponsibilityRecord


PER_PLAN_K = 2  # passages per plan added for cross-plan questions
GROUPED_CANDIDATES = 60  # passages retrieved once and grouped by document for cross-plan questions
_YEAR = re.compile(r"(?:19|20)\d\d")


class _Retriever(Protocol):
    def retrieve(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]: ...


class Assistant:
    def __init__(
        self,
        retriever: _Retriever,
        answerer: Answerer,
        *,
        documents: Sequence[DocumentMeta] = (),
        records: Sequence[ResponsibilityRecord] = (),
        k: int = 5,
        change_notes: bool = False,
    ) -> None:
        if k < 1:
            raise ValueError("k must be at least 1")
        self.retriever = retriever
        self.answerer = answerer
        self.documents = tuple(documents)
        self.records = tuple(records)
        self.k = k
        self.change_notes = change_notes  # issue 12: notes on the 2025 changes (on in the app, see planchat.wiring)

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        history: Sequence[Turn] = (),
        k: int | None = None,
    ) -> Answer:
        """Answer ``question``; ``history`` is the conversation so far (oldest first).

        Raises ``EmptyQuestion`` for an empty or whitespace-only question.
        """
        if question is None or not str(question).strip():
            raise EmptyQuestion()
        k = self.k if k is None or k < 1 else k
        filters = expand_filters(filters, self.documents)  # issue 12: a province of today covers its predecessors
        standalone = contextualize(str(question), history)
        analysis = analyze(standalone, self.documents)
        retrieved = _Once(lambda: self.retrieve(analysis, filters, k))
        from_records = self._answer_from_records(standalone, analysis, filters, retrieved=retrieved)
        if from_records is not None:
            return self._today(from_records, standalone)
        hits = prefer_current(retrieved(), self.statuses)  # issue 12: current documents first
        answer = self.answerer.answer(standalone, hits, analysis.language, history)
        return self._today(dataclasses.replace(answer, hits=tuple(hits)), standalone)

    def _today(self, answer: Answer, question: str) -> Answer:
        """Issue 12: each citation's standing, a word on replaced documents left out, and notes on
        the 2025 changes the answer runs into (``assistant.standing``, ``assistant.admin_changes``)."""
        answer = mark_standing(answer, answer.hits, self.statuses)
        if not self.change_notes:
            return answer
        return annotate_changes(answer, question, self.documents, self.retriever)

    @functools.cached_property
    def statuses(self) -> dict[str, DocumentStatus]:
        """Which loaded documents still stand (``index.doc_status``)."""
        return library_status(self.documents)

    def analyze(self, question: str, history: Sequence[Turn] = ()) -> QueryAnalysis:
        """What ``ask`` would understand of ``question`` (for debugging and the UI)."""
        return analyze(contextualize(question, history), self.documents)

    def retrieve(self, analysis: QueryAnalysis, filters: Filters | None, k: int) -> list[Hit]:
        """Explicit filters win; else the question's own scope first, topped up unrestricted."""
        query = analysis.question
        if filters is not None and not filters.is_empty():
            return list(self.retriever.retrieve(query, k, filters))
        scope = scope_filters(analysis)
        if scope is None and analysis.intent == "list" and len(self.documents) > 1:
            return self._retrieve_across_plans(query, k)
        if scope is None:
            return list(self.retriever.retrieve(query, k, None))
        scoped = list(self.retriever.retrieve(query, k, scope))
        if len(scoped) >= k:
            return scoped[:k]
        seen = {h.chunk.id for h in scoped}
        rest = [h for h in self.retriever.retrieve(query, k, None) if h.chunk.id not in seen]
        return (scoped + rest)[:k]

    def _retrieve_across_plans(self, query: str, k: int) -> list[Hit]:
        """For "which provinces / plans …?": one retrieval of a wide candidate list, grouped by
        document — the overall top ``k``, then the best ``PER_PLAN_K`` passages of every other
        document that has any — so one plan cannot crowd the others out (at most ``2 * k``)."""
        wide = list(self.retriever.retrieve(query, max(GROUPED_CANDIDATES, 4 * k), None))
        hits = wide[:k]
        seen = {h.chunk.id for h in hits}
        by_document: dict[str, list[Hit]] = {}
        for hit in wide:
            by_document.setdefault(hit.chunk.doc_id, []).append(hit)
        for rank in range(PER_PLAN_K):
            for document_hits in by_document.values():
                if rank < len(document_hits) and document_hits[rank].chunk.id not in seen:
                    hits.append(document_hits[rank])
                    seen.add(document_hits[rank].chunk.id)
        return hits[: 2 * k]

    def _answer_from_records(
        self,
        question: str,
        analysis: QueryAnalysis,
        filters: Filters | None,
        retrieved: Callable[[], list[Hit]] | None = None,
    ) -> Answer | None:
        """Answer a who-leads / who-coordinates / deadline / budget question from the extracted
        ``ResponsibilityRecord``s, or None to answer from retrieved passages.

        Records are restricted like retrieval (explicit ``filters`` win, else the provinces and
        plans the question names). ``assistant.record_answers.choose_records`` decides whether
        they match well enough (``retrieved()`` — the passages the fallback would use, fetched at
        most once — must agree with a moderate match). Each chosen record is cited
        through the passage that holds its quote, fetched from the retriever's ``chunks(doc_id)``;
        the citation's quote is the record's quote. Any record that cannot be cited is dropped,
        and with none left the passages answer.
        """
        if not self.records or not hasattr(self.retriever, "chunks"):
            return None
        if analysis.intent not in RECORD_INTENTS:
            return None
        # a budget record's amount is the number "kinh phí bao nhiêu?" asks for; other facts asked
        # alongside ("bao nhiêu đại biểu, khi nào?") are not in records
        answerable = RECORD_INTENTS + (("number",) if analysis.intent == "budget" else ())
        if any(a not in answerable for a in analysis.also):
            return None
        records = self.records
        provinces = None
        if filters is not None and not filters.is_empty():
            if filters.documents:
                records = tuple(r for r in records if r.document in filters.documents)
            provinces = filters.provinces or None
        matches = answer_from_records(analysis, records, documents=self.documents, provinces=provinces, limit=20)
        if not matches:
            # a name read as an agency that holds no such role ("lao động tại doanh nghiệp") was
            # probably not meant as one: match the question's words alone
            matches = answer_from_records(
                analysis, records, documents=self.documents, provinces=provinces, agencies=(), limit=20
            )
        metas = {d.doc_id: d for d in self.documents}
        years = [k for k in analysis.keywords if _YEAR.fullmatch(k)]
        matches = [
            m for m in matches
            if years_match(m.record, years, metas.get(m.record.document))
            and carries_asked_facts(m.record, analysis)
            and strip_instructions(m.record.task)  # a "task" that only gives the assistant orders
        ]
        if not matches:
            return None
        passages = PassageFinder(self.retriever, metas)
        retrieved = retrieved or _Once(lambda: self.retrieve(analysis, filters, self.k))

        def retrieved_rank(record: ResponsibilityRecord) -> int | None:
            chunk = passages.find(record)
            if chunk is None:
                return None
            return next((i for i, h in enumerate(retrieved()) if h.chunk.id == chunk.id), None)

        titles = {d.doc_id: d.title for d in self.documents}
        chosen = choose_records(matches, analysis, self._record_stats, retrieved_rank, titles)
        located = [Located(m, chunk, m.record.quote) for m in chosen if (chunk := passages.find(m.record)) is not None]
        if not located:
            return None
        done = getattr(retrieved, "done", False)
        return records_answer(located, analysis, retrieved() if done else None)

    @functools.cached_property
    def _record_stats(self) -> RecordStats:
        return RecordStats(self.records)


class _Once:
    """A zero-argument function called at most once; later calls return the first result."""

    def __init__(self, fn: Callable[[], list[Hit]]) -> None:
        self._fn = fn
        self.done = False
        self.value: list[Hit] = []

    def __call__(self) -> list[Hit]:
        if not self.done:
            self.value = list(self._fn())
            self.done = True
        return self.value


def scope_filters(analysis: QueryAnalysis) -> Filters | None:
    """Retrieval filters for the provinces / plans a question names (None when it names none)."""
    if analysis.document_ids:
        return Filters(documents=analysis.document_ids)
    if analysis.provinces:
        return Filters(provinces=analysis.provinces)
    return None
