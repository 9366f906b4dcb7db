"""Assistant errors: bad user input and bad answerer configuration, each with a one-line message."""
from __future__ import annotations


class AssistantError(Exception):
    """Base class for problems the assistant reports to users."""


class EmptyQuestion(AssistantError):
    def __init__(self) -> None:
        super().__init__("the question is empty; type a question about the loaded plans")


class ChatModelConfigError(AssistantError):
    """An LLM answerer was requested with an unknown backend or missing model name."""
