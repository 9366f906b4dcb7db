"""Per-session chat state, held in ``gr.State`` (never in module globals).

The chatbot component is only an output: what it shows is kept here as HTML
messages, next to the plain conversation turns handed to the assistant for
follow-up questions and the answers (with their citations) for feedback,
copying and opening cited passages.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from assistant.types import Answer, Citation, Turn
from index.types import Filters

#: How many earlier turns are passed to the assistant with a follow-up question.
HISTORY_TURNS = 8


@dataclass(frozen=True)
class ChatMessage:
    role: str  # "user" or "assistant"
    html: str

    def to_gradio(self) -> dict:
        return {"role": self.role, "content": self.html}


@dataclass(frozen=True)
class AnswerRecord:
    answer_id: str
    question: str
    answer: Answer
    filters: Filters
    message_index: int  # position of the answer in ``ChatSession.messages``


@dataclass(frozen=True)
class ChatSession:
    messages: tuple[ChatMessage, ...] = ()
    turns: tuple[Turn, ...] = ()
    records: tuple[AnswerRecord, ...] = ()

    def chatbot_value(self) -> list[dict]:
        return [m.to_gradio() for m in self.messages]

    def history(self) -> tuple[Turn, ...]:
        return self.turns[-HISTORY_TURNS:]

    def with_messages(self, *messages: ChatMessage) -> "ChatSession":
        return replace(self, messages=self.messages + messages)

    def with_answer(self, question_html: str, answer_html: str, record: AnswerRecord) -> "ChatSession":
        """The session after one answered question (the record's message_index is set here)."""
        messages = self.messages + (ChatMessage("user", question_html), ChatMessage("assistant", answer_html))
        record = replace(record, message_index=len(messages) - 1)
        turns = self.turns + (Turn("user", record.question), Turn("assistant", record.answer.text))
        return ChatSession(messages=messages, turns=turns, records=self.records + (record,))

    @property
    def latest(self) -> AnswerRecord | None:
        return self.records[-1] if self.records else None

    def record(self, answer_id: str) -> AnswerRecord | None:
        return next((r for r in self.records if r.answer_id == answer_id), None)

    def record_at_message(self, index: int) -> AnswerRecord | None:
        return next((r for r in self.records if r.message_index == index), None)

    def find_citation(self, doc_id: str, chunk_id: str = "", n: int | None = None) -> Citation | None:
        """The most recent citation of ``doc_id`` (and ``chunk_id`` / number when given)."""
        for record in reversed(self.records):
            for c in record.answer.citations:
                if c.document != doc_id:
                    continue
                if chunk_id and c.chunk_id and c.chunk_id != chunk_id:
                    continue
                if not chunk_id and n is not None and c.n != n:
                    continue
                return c
        return None


def new_answer_id() -> str:
    return uuid.uuid4().hex[:10]
