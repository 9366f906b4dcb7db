"""The assistant: question (+ conversation) in, cited ``Answer`` out.

``ask`` makes a follow-up standalone, works out what the question names, retrieves
(restricted to the named provinces/plans first, then topped up without the
restriction so cross-plan questions still see everything), and hands the passages to
the configured answerer. The retriever and answerer are seams; nothing here knows
about Chroma, BM25 or LangChain.
"""
from __future__ import annotations

import dataclasses
from typing import Protocol, Sequence

from assistant.answerer import Answerer
from assistant.errors import EmptyQuestion
from assistant.query import QueryAnalysis, analyze, contextualize
from assistant.types import Answer, Turn
from index.types import Filters, Hit
from ingest.types import DocumentMeta, ResponsibilityRecord


PER_PLAN_K = 2  # passages per plan added for cross-plan questions


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
    ) -> None:
        if k < 1:
            raise ValueError("k must be at least 1")
        self.retriever = retriever
        self.answerer = answerer
        self.documents = tuple(documents)
        self.records = tuple(records)
        self.k = k

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
        standalone = contextualize(str(question), history)
        analysis = analyze(standalone, self.documents)
        from_records = self._answer_from_records(standalone, analysis, filters)
        if from_records is not None:
            return from_records
        hits = self.retrieve(analysis, filters, k)
        answer = self.answerer.answer(standalone, hits, analysis.language, history)
        return dataclasses.replace(answer, hits=tuple(hits))

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
        """For "which provinces / plans …?": the overall top ``k`` plus the best passages of each
        plan, so one plan cannot crowd the others out (at most ``2 * k`` passages)."""
        hits = list(self.retriever.retrieve(query, k, None))
        seen = {h.chunk.id for h in hits}
        per_plan = [
            list(self.retriever.retrieve(query, PER_PLAN_K, Filters(documents=(doc.doc_id,)))) for doc in self.documents
        ]
        for rank in range(PER_PLAN_K):
            for plan_hits in per_plan:
                if rank < len(plan_hits) and plan_hits[rank].chunk.id not in seen:
                    hits.append(plan_hits[rank])
                    seen.add(plan_hits[rank].chunk.id)
        return hits[: 2 * k]

    def _answer_from_records(
        self, question: str, analysis: QueryAnalysis, filters: Filters | None
    ) -> Answer | None:
        """Hook: answer who/when/how-much questions from extracted ``ResponsibilityRecord``s.

        Returns None (answer from retrieved passages) for now. A later implementation can
        match ``analysis.intent`` in {"lead", "coordinate", "deadline", "budget"} and the
        question's keywords against ``self.records`` (restricted by ``analysis.provinces`` /
        ``analysis.document_ids`` / ``filters``) and return an Answer whose citations point
        at the records' chunks.
        """
        return None


def scope_filters(analysis: QueryAnalysis) -> Filters | None:
    """Retrieval filters for the provinces / plans a question names (None when it names none)."""
    if analysis.document_ids:
        return Filters(documents=analysis.document_ids)
    if analysis.provinces:
        return Filters(provinces=analysis.provinces)
    return None
