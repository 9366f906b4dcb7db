"""Feedback becomes test data: thumbs-down and comments from the app turn into draft test items.

The app appends one JSON line per rating or comment to ``<data_dir>/feedback.jsonl``
(see ``ui/feedback.py``: ``answer_id``, ``question``, ``answer``, ``citations``,
``feedback`` "up"/"down", ``comment``, ``time``, …). Lines that share an
``answer_id`` are one answer rated and commented on. An answer becomes a *draft*
when it was rated down or commented on; the draft is a native test item
(``evals/dataset.py``) with an empty ``reference`` and ``must_include`` for the
evaluator to complete, and what the user saw kept in ``extra``:
``answer_given``, ``passages_seen`` (the cited passages), ``feedback``,
``comment``, ``feedback_time``, ``draft: true``.

A draft is *complete* when it has a reference and at least one must_include
fact, or when it is marked unanswerable. :func:`join_set` moves complete drafts
into a named set (a JSONL file in the native schema) and leaves the rest.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from evals.dataset import EvalItem, parse_item
from evals.errors import DatasetError, EvalError

DRAFT_ONLY_FIELDS = ("draft", "answer_given", "passages_seen", "filters")
SETS_DIR_NAME = "eval_sets"
DEFAULT_DRAFTS_NAME = "feedback-drafts.jsonl"
_SET_NAME = re.compile(r"^[\w][\w.-]{0,80}$")


@dataclass(frozen=True)
class FeedbackAnswer:
    """Every line about one answer, merged."""

    answer_id: str
    question: str
    answer: str
    citations: tuple[dict, ...]
    ratings: tuple[str, ...]
    comments: tuple[str, ...]
    time: str
    abstained: bool = False

    @property
    def wants_review(self) -> bool:
        return "down" in self.ratings or bool(self.comments)


def read_feedback(path: str | Path) -> list[FeedbackAnswer]:
    """The answers in a feedback log, in order of first mention; malformed lines are skipped."""
    path = Path(path)
    if not path.is_file():
        return []
    merged: dict[str, dict] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if not isinstance(row, dict) or not str(row.get("question") or "").strip():
            continue
        key = str(row.get("answer_id") or row.get("time") or len(merged))
        entry = merged.setdefault(key, {"row": row, "ratings": [], "comments": [], "time": str(row.get("time") or "")})
        if row.get("feedback") in ("up", "down"):
            entry["ratings"].append(row["feedback"])
        comment = str(row.get("comment") or "").strip()
        if comment and comment not in entry["comments"]:
            entry["comments"].append(comment)
        entry["time"] = str(row.get("time") or entry["time"])
    out = []
    for key, entry in merged.items():
        row = entry["row"]
        citations = tuple(c for c in (row.get("citations") or ()) if isinstance(c, dict))
        out.append(FeedbackAnswer(
            answer_id=key,
            question=str(row["question"]).strip(),
            answer=str(row.get("answer") or ""),
            citations=citations,
            ratings=tuple(entry["ratings"]),
            comments=tuple(entry["comments"]),
            time=entry["time"],
            abstained=bool(row.get("abstained")),
        ))
    return out


def draft_item(answer: FeedbackAnswer) -> EvalItem:
    passages = [
        {k: c.get(k) for k in ("n", "document", "number", "section", "page", "quote") if c.get(k) not in (None, "")}
        for c in answer.citations
    ]
    return EvalItem(
        id=f"fb-{answer.answer_id}",
        question=answer.question,
        extra={
            "draft": True,
            "origin": "feedback",
            "feedback": answer.ratings[-1] if answer.ratings else "",
            "comment": " / ".join(answer.comments),
            "feedback_time": answer.time,
            "answer_given": answer.answer,
            "passages_seen": passages,
        },
    )


def drafts_from_feedback(path: str | Path, *, skip_ids: Iterable[str] = ()) -> list[EvalItem]:
    """Draft items for every answer rated down or commented on, except ids in ``skip_ids``."""
    skip = set(skip_ids)
    drafts = [draft_item(a) for a in read_feedback(path) if a.wants_review]
    return [d for d in drafts if d.id not in skip]


def is_complete(item: EvalItem) -> bool:
    return (not item.answerable) or (bool(item.reference.strip()) and bool(item.must_include))


def finished_item(item: EvalItem) -> EvalItem:
    """The item as it joins a set: draft-only fields dropped, provenance kept."""
    extra = {k: v for k, v in item.extra.items() if k not in DRAFT_ONLY_FIELDS}
    return EvalItem(item.id, item.question, item.reference, item.must_include, item.sources, item.answerable, extra)


def read_items(path: str | Path) -> list[EvalItem]:
    """Items of a native JSONL file; [] when it does not exist yet."""
    path = Path(path)
    if not path.is_file() or not path.read_text(encoding="utf-8").strip():
        return []
    from evals.dataset import load_dataset

    return load_dataset(path)


def write_items(path: str | Path, items: Sequence[EvalItem]) -> None:
    """Replace ``path`` with ``items`` (atomically: written aside, then renamed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_text("".join(json.dumps(i.to_dict(), ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    os.replace(partial, path)


@dataclass(frozen=True)
class ExportReport:
    path: Path
    added: int
    total: int


def sets_in(folder: str | Path) -> list[Path]:
    """The named sets kept in a folder (``*.jsonl`` except the drafts file)."""
    folder = Path(folder)
    return sorted(p for p in folder.glob("*.jsonl") if p.name != DEFAULT_DRAFTS_NAME) if folder.is_dir() else []


def export_drafts(feedback_path: str | Path, drafts_path: str | Path, *, skip_sets: Iterable[str | Path] = ()) -> ExportReport:
    """Append new drafts to ``drafts_path``; answers already drafted there or already in one of ``skip_sets`` are skipped."""
    existing = read_items(drafts_path)
    known = {i.id for i in existing}
    for set_path in skip_sets:
        known |= {i.id for i in read_items(set_path)}
    new = drafts_from_feedback(feedback_path, skip_ids=known)
    write_items(drafts_path, existing + new)
    return ExportReport(Path(drafts_path), len(new), len(existing) + len(new))


@dataclass(frozen=True)
class JoinReport:
    set_path: Path
    joined: tuple[str, ...]
    replaced: tuple[str, ...]
    incomplete: tuple[str, ...]


def join_set(drafts: Sequence[EvalItem], set_path: str | Path) -> tuple[JoinReport, list[EvalItem]]:
    """Add the complete drafts to the set (an id already there is replaced); return the report and the drafts left."""
    current = read_items(set_path)
    by_id = {i.id: i for i in current}
    joined, replaced, left = [], [], []
    for d in drafts:
        if not is_complete(d):
            left.append(d)
            continue
        item = finished_item(d)
        (replaced if item.id in by_id else joined).append(item.id)
        by_id[item.id] = item
    write_items(set_path, list(by_id.values()))
    return JoinReport(Path(set_path), tuple(joined), tuple(replaced), tuple(d.id for d in left)), left


def set_path_for(name_or_path: str, data_dir: str | Path) -> Path:
    """A set named ``name`` lives in ``<data_dir>/eval_sets/<name>.jsonl``; a path is taken as it is."""
    text = (name_or_path or "").strip()
    if not text:
        raise EvalError("give the test set a name (letters, digits, - _ .)")
    if "/" in text or os.sep in text or text.endswith(".jsonl"):
        return Path(text)
    if not _SET_NAME.match(text):
        raise EvalError(f"set name {text!r}: use letters, digits, '-', '_' or '.'")
    return Path(data_dir) / SETS_DIR_NAME / f"{text}.jsonl"


def parse_facts(text: str) -> list[list[str]]:
    """Facts typed in one box: facts separated by ';' or new lines, alternatives by '|' (as in the Vietnamese CSV)."""
    return [alts for alts in ([a.strip() for a in f.split("|") if a.strip()] for f in re.split(r"[;\n]", text or "")) if alts]


def format_facts(facts) -> str:
    return "; ".join(" | ".join(f) for f in facts)


def complete_draft(item: EvalItem, *, reference: str, facts_text: str, answerable: bool = True) -> EvalItem:
    """The draft with the evaluator's reference, facts and answerability (validated like any item)."""
    data = {**item.to_dict(), "reference": reference or "", "must_include": parse_facts(facts_text), "answerable": bool(answerable)}
    try:
        return parse_item(data, path="draft", line=None)
    except DatasetError as e:
        raise EvalError(f"{item.id}: {e.detail}") from None
