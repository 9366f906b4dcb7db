"""The answerer seam: compose a cited answer from retrieved passages."""
from __future__ import annotations

from typing import Protocol, Sequence

from assistant.types import Answer, Turn
from index.types import Hit


class Answerer(Protocol):
    """``answer(question, hits, language, history) -> Answer``.

    Every claim in ``Answer.text`` carries an inline ``[n]`` pointing at
    ``Answer.citations[n-1]``, which points at one of ``hits``; or the answer
    abstains. ``language`` is "vi" or "en" (framing words only; quoted facts stay
    in the plan's language).
    """

    name: str

    def answer(self, question: str, hits: Sequence[Hit], language: str, history: Sequence[Turn] = ()) -> Answer: ...
