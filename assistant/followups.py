"""Follow-up questions: "còn Hà Nội thì sao?" / "what about Hanoi?" become standalone questions."""
from __future__ import annotations

import re
from typing import Sequence

from assistant._provinces import province_mentions
from assistant._text import detect_language, nfc
from assistant.references import plan_references
from assistant.types import Turn

_FOLLOW_UP_START = re.compile(
    r"^\s*(?:(?:thế|vậy|the|vay)\s+)?(?:còn|con)\b|^\s*(?:and\s+)?(?:what|how)\s+about\b|^\s*and\s+(?:for|in)\b|^\s*(?:same|likewise)\b",
    re.IGNORECASE,
)
_FOLLOW_UP_END = re.compile(r"(?:thì\s+sao|thi\s+sao|thế\s+nào|the\s+nao|ra\s+sao|nữa|nua)\s*\??\s*$", re.IGNORECASE)


def is_follow_up(question: str) -> bool:
    """Short questions like "còn Hà Nội thì sao?", "what about Hanoi?", "and in Yên Bái?"."""
    q = nfc(question).strip()
    if not q or len(q.split()) > 12:
        return False
    return bool(_FOLLOW_UP_START.search(q) or _FOLLOW_UP_END.search(q))


def _previous_question(history: Sequence[Turn]) -> tuple[str, Sequence[Turn]]:
    for i in range(len(history) - 1, -1, -1):
        turn = history[i]
        if turn.role == "user" and turn.content.strip():
            return turn.content.strip(), history[:i]
    return "", ()


def contextualize(question: str, history: Sequence[Turn] = ()) -> str:
    """Make a follow-up question standalone using the previous user question.

    "còn Hà Nội thì sao?" after "Ai chủ trì đào tạo nghề ở Cao Bằng?" becomes
    "Ai chủ trì đào tạo nghề ở Hà Nội?". A follow-up that names a plan number swaps the
    plan reference the same way. Questions that are not follow-ups come back unchanged.
    """
    q = " ".join(nfc(question).split())
    if not history or not is_follow_up(q):
        return q
    previous, earlier = _previous_question(history)
    if not previous:
        return q
    previous = contextualize(previous, earlier)  # the previous question may itself be a follow-up

    new_provinces = list(dict.fromkeys(m.name for m in province_mentions(q)))
    new_refs = plan_references(q)
    if not new_provinces and not new_refs:
        return f"{previous.rstrip(' ?')} {q}".strip()

    result = previous
    if new_provinces and not new_refs:
        result = _drop_plan_numbers(result)  # a new province replaces the old plan's scope
    if new_refs and not new_provinces:
        result = _drop_provinces(result)  # and a new plan replaces the old province
    if new_provinces:
        result = _swap_provinces(result, new_provinces)
    if new_refs:
        result = _swap_plan_numbers(result, [n for n, _, _ in new_refs])
    return result


_PREPOSITION_BEFORE = re.compile(r"(?:\s+(?:ở|tại|của|thuộc|o|tai|cua|in|of|for|at))?\s*$", re.IGNORECASE)


def _drop_provinces(text: str) -> str:
    for m in reversed(province_mentions(text)):
        head = _PREPOSITION_BEFORE.sub("", text[: m.start])
        text = head + text[m.end :]
    return " ".join(text.split()).replace(" ?", "?")


def _drop_plan_numbers(text: str) -> str:
    for number, start, end in reversed(plan_references(text)):
        span = text[start:end]
        if "/" in span:
            keep = "the plan" if detect_language(text) == "en" else "kế hoạch"
        else:
            keep = re.sub(r"\s*(?:số|so|number|no\.?|#)?\s*\d+\s*$", "", span, flags=re.IGNORECASE)
        text = text[:start] + keep + text[end:]
    return " ".join(text.split()).replace(" ?", "?")


def _swap_provinces(previous: str, new_names: list[str]) -> str:
    old = province_mentions(previous)
    replacement = new_names[0] if len(new_names) == 1 else ", ".join(new_names)
    if not old:
        stem = previous.rstrip().rstrip("?").rstrip()
        joiner = " in " if detect_language(previous) == "en" else " ở "
        return f"{stem}{joiner}{replacement}?"
    out = previous[: old[0].start] + replacement
    cursor = old[0].end
    for m in old[1:]:  # further mentions are dropped with their connector ("Cao Bằng và Bắc Kạn")
        between = previous[cursor : m.start]
        if re.fullmatch(r"\s*(?:,|và|va|and|or|hoặc|hoac)\s*", between, flags=re.IGNORECASE):
            cursor = m.end
            continue
        out += between + replacement
        cursor = m.end
    return out + previous[cursor:]


def _swap_plan_numbers(previous: str, numbers: list[str]) -> str:
    refs = plan_references(previous)
    if not refs:
        stem = previous.rstrip().rstrip("?").rstrip()
        word = " in plan " if detect_language(previous) == "en" else " trong kế hoạch "
        return f"{stem}{word}{numbers[0]}?"
    number, start, end = refs[0]
    span = previous[start:end]
    return previous[:start] + span.replace(number, numbers[0], 1) + previous[end:]
