"""Optional LLM-judge metrics (RAGAS-style): faithfulness and answer relevancy.

Never run by default: only ``planchat eval --judge`` with an LLM configured.
Takes any LangChain chat model (``invoke(messages) -> AIMessage``); an unparseable
judgement yields None for that question rather than a guess.

- faithfulness: the judge splits the answer into claims and marks each as supported
  or not by the retrieved passages; score = supported / claims.
- answer relevancy: with an embedder, the judge writes questions the answer would
  answer and the score is their mean cosine similarity to the real question (as in
  RAGAS); without one, the judge rates relevance 1–5, mapped to 0–1.
Abstentions and unanswerable questions are not judged (None).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from evals.metrics import mean
from evals.stats import bootstrap_ci

FAITHFULNESS_PROMPT = """You check whether an answer is supported by source passages.
Split the ANSWER into short factual claims. For each claim decide if the PASSAGES support it.
Reply with JSON only: {{"claims": [{{"claim": "...", "supported": true}}]}}

QUESTION: {question}

PASSAGES:
{passages}

ANSWER: {answer}"""

QUESTIONS_PROMPT = """Write {n} different questions that the ANSWER below answers, in the language of the answer.
Reply with JSON only: {{"questions": ["...", "..."]}}

ANSWER: {answer}"""

RATING_PROMPT = """Rate how well the ANSWER addresses the QUESTION, from 1 (not at all) to 5 (fully, directly).
Reply with JSON only: {{"score": 3}}

QUESTION: {question}

ANSWER: {answer}"""


@dataclass(frozen=True)
class JudgeScore:
    id: str
    faithfulness: float | None
    answer_relevancy: float | None


@dataclass(frozen=True)
class JudgeReport:
    scores: tuple[JudgeScore, ...]
    model: str

    def to_dict(self) -> dict:
        out: dict = {"model": self.model, "metrics": {}, "per_question": [s.__dict__ for s in self.scores]}
        for name in ("faithfulness", "answer_relevancy"):
            vals = [getattr(s, name) for s in self.scores if getattr(s, name) is not None]
            ci = bootstrap_ci(vals)
            out["metrics"][name] = {"value": mean(vals), "ci_low": ci[0] if ci else None, "ci_high": ci[1] if ci else None, "n": len(vals)}
        return out


def _content(message) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, list):
        return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content)


def parse_json_object(text: str) -> dict | None:
    """The JSON object in a model reply (tolerates code fences and chatter around it)."""
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        value = json.loads(text[start : end + 1])
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _ask(chat_model, prompt: str) -> dict | None:
    from langchain_core.messages import HumanMessage

    return parse_json_object(_content(chat_model.invoke([HumanMessage(content=prompt)])))


_MARKERS = re.compile(r"\s*\[\d{1,2}(?:\s*[,;]\s*\d{1,2})*\]")


def faithfulness(chat_model, question: str, answer: str, passages: Sequence[str]) -> float | None:
    answer = _MARKERS.sub("", answer).strip()
    if not answer:
        return None
    listing = "\n\n".join(f"[{i}] {p}" for i, p in enumerate(passages, start=1)) or "(none)"
    data = _ask(chat_model, FAITHFULNESS_PROMPT.format(question=question, passages=listing, answer=answer))
    claims = data.get("claims") if data else None
    if not isinstance(claims, list) or not claims:
        return None
    verdicts = [c.get("supported") is True for c in claims if isinstance(c, dict)]
    return sum(verdicts) / len(verdicts) if verdicts else None


def answer_relevancy(chat_model, question: str, answer: str, embedder=None, n_questions: int = 3) -> float | None:
    answer = _MARKERS.sub("", answer).strip()
    if not answer:
        return None
    if embedder is None:
        data = _ask(chat_model, RATING_PROMPT.format(question=question, answer=answer))
        score = data.get("score") if data else None
        if not isinstance(score, (int, float)) or isinstance(score, bool):
            return None
        return (min(max(float(score), 1.0), 5.0) - 1.0) / 4.0
    data = _ask(chat_model, QUESTIONS_PROMPT.format(n=n_questions, answer=answer))
    generated = [q for q in (data.get("questions") if data else None) or [] if isinstance(q, str) and q.strip()]
    if not generated:
        return None
    import numpy as np

    vecs = np.asarray(embedder.embed([question] + generated, "query"), dtype=float)
    norms = np.linalg.norm(vecs, axis=1)
    norms[norms == 0] = 1.0
    vecs = vecs / norms[:, None]
    sims = vecs[1:] @ vecs[0]
    return float(np.clip(sims, 0.0, 1.0).mean())


def judge_run(run, chat_model, *, embedder=None, progress: Callable[[int, int], None] | None = None) -> JudgeReport:
    """Judge every answered, answerable question of an ``EvalRun``."""
    scores = []
    total = len(run.results)
    for done, r in enumerate(run.results, start=1):
        if r.item.answerable and not r.abstained and r.answer_text.strip():
            passages = list(dict.fromkeys([p.text for p in r.retrieved] + [c.quote for c in r.citations if c.quote]))
            scores.append(JudgeScore(
                r.item.id,
                faithfulness(chat_model, r.item.question, r.answer_text, passages),
                answer_relevancy(chat_model, r.item.question, r.answer_text, embedder),
            ))
        else:
            scores.append(JudgeScore(r.item.id, None, None))
        if progress:
            progress(done, total)
    model = getattr(chat_model, "model_name", None) or getattr(chat_model, "model", None) or type(chat_model).__name__
    return JudgeReport(tuple(scores), str(model))
