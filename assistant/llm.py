"""An answerer that asks a LangChain chat model, with the extractive answerer as safety net.

The model gets the rules in the system message and the passages as quoted data in the
user message (``assistant.prompts``). Its reply is trusted only as far as it can be
checked: claims its cited passages do not support are dropped (``assistant.grounding``:
an obeyed "HACKED [1]", a figure the passage does not have), the [n] markers are validated
against the hits, and a reply with no supported, validly cited claim left (an injected "say
HACKED", an uncited paraphrase) or a model error falls back to the extractive answer. A reply saying the passages do not contain the answer
becomes an abstention. LangChain types stay inside this module.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Sequence

from assistant.answerer import Answerer
from assistant.citations import validate_citations
from assistant.extractive import abstention
from assistant.grounding import ground_reply
from assistant.prompts import abstain_text, system_prompt, user_prompt
from assistant.types import ABSTAIN_EN, ABSTAIN_VI, Answer, Turn
from index.types import Hit

log = logging.getLogger(__name__)

_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_NOT_FOUND = re.compile(
    r"không tìm thấy|không có thông tin|không đề cập|could not find|couldn't find|cannot find|can't find|"
    r"not found in|no information|not mentioned|do not contain|don't contain|does not contain",
    re.IGNORECASE,
)
_MARKER = re.compile(r"\[\s*\d")


def message_text(message: Any) -> str:
    """Plain text of a chat model reply (str content or a list of content blocks)."""
    content = getattr(message, "content", message)
    if isinstance(content, str):
        text = content
    elif isinstance(content, list):
        text = "".join(
            block if isinstance(block, str) else str(block.get("text", "")) if isinstance(block, dict) and block.get("type", "text") == "text" else ""
            for block in content
        )
    else:
        text = str(content)
    return _THINK.sub("", text).strip()


def says_not_found(text: str) -> bool:
    """The model's way of abstaining: our abstention sentence, or a short "could not find" reply without citations."""
    stripped = text.strip().strip('"“”').strip()
    if stripped in (ABSTAIN_VI, ABSTAIN_EN):
        return True
    return bool(_NOT_FOUND.search(stripped)) and not _MARKER.search(stripped) and len(stripped) < 300


class LLMAnswerer:
    """The ``Answerer`` seam over a LangChain ``BaseChatModel``."""

    def __init__(self, chat_model: Any, fallback: Answerer, *, name: str = "llm") -> None:
        self.chat_model = chat_model
        self.fallback = fallback
        self.name = name

    def build_messages(self, question: str, hits: Sequence[Hit], language: str) -> list[Any]:
        from langchain_core.messages import HumanMessage, SystemMessage

        return [SystemMessage(content=system_prompt(language)), HumanMessage(content=user_prompt(question, hits))]

    def answer(self, question: str, hits: Sequence[Hit], language: str, history: Sequence[Turn] = ()) -> Answer:
        # ``history`` is not sent: the service already folds follow-ups into a standalone
        # question, and earlier answers' [n] would point at other passages.
        language = "en" if language == "en" else "vi"
        if not hits:
            return abstention(language, self.name)
        try:
            reply = self.chat_model.invoke(self.build_messages(question, hits, language))
            text = message_text(reply)
        except Exception as err:  # noqa: BLE001 - any backend failure means "use the fallback"
            log.warning("LLM answerer failed (%s: %s); using %s", type(err).__name__, err, self.fallback.name)
            return self.fallback.answer(question, hits, language, history)
        if says_not_found(text):
            return Answer(text=abstain_text(language), citations=(), abstained=True, language=language, answerer=self.name)
        grounded = ground_reply(text, hits, language)
        if grounded != text.strip():
            log.info("LLM reply: dropped claims its cited passages do not support")
        checked, citations = validate_citations(grounded, hits)
        if not citations:
            log.info("LLM reply had no supported, validly cited claim; using %s", self.fallback.name)
            return self.fallback.answer(question, hits, language, history)
        return Answer(text=checked, citations=citations, abstained=False, language=language, answerer=self.name)
