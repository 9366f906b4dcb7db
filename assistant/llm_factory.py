"""Build a LangChain chat model for the LLM answerer ("ollama" or any OpenAI-compatible server).

Imports are lazy: the default extractive answerer never loads LangChain's model clients.
Nothing here connects to the server; the first question does.
"""
from __future__ import annotations

from typing import Any

from assistant.errors import ChatModelConfigError

KINDS = ("ollama", "openai")


def make_chat_model(
    kind: str,
    model: str,
    base_url: str = "",
    api_key: str = "",
    temperature: float = 0.0,
    timeout: float = 60.0,
) -> Any:
    """A ``BaseChatModel`` for ``kind``:

    * "ollama": ``langchain_ollama.ChatOllama`` (``base_url`` defaults to the local Ollama);
    * "openai": ``langchain_openai.ChatOpenAI`` against ``base_url`` (vLLM, llama.cpp server,
      or OpenAI itself when empty). Local servers ignore the key, so a placeholder is sent.
    """
    kind = (kind or "").strip().lower()
    if kind not in KINDS:
        raise ChatModelConfigError(f"unknown LLM backend '{kind}' (choose one of: {', '.join(KINDS)})")
    if not model.strip():
        raise ChatModelConfigError(f"the '{kind}' answerer needs a model name (set llm_model / --llm-model)")
    if kind == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(
            model=model,
            base_url=base_url or None,
            temperature=temperature,
            client_kwargs={"timeout": timeout},
        )
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=model,
        base_url=base_url or None,
        api_key=api_key or "not-needed",
        temperature=temperature,
        timeout=timeout,
        max_retries=1,
    )
