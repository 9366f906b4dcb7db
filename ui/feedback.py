"""User feedback on answers, appended as JSON lines (usable later as eval data).

One line per rating or comment::

    {"time": "2025-01-01T10:00:00+00:00", "answer_id": "…", "question": "…",
     "answer": "… [1]", "citations": [{"n": 1, "document": "…", …}],
     "feedback": "up" | "down", "comment": "", "filters": {…},
     "abstained": false, "answerer": "extractive", "ui_language": "vi"}

A quick thumbs rating and a later comment on the same answer are two lines that
share ``answer_id``.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from assistant.types import Answer
from index.types import Filters

RATINGS = ("up", "down")


class FeedbackError(Exception):
    """Feedback could not be recorded (bad rating value or unwritable file)."""


@dataclass(frozen=True)
class FeedbackRecord:
    answer_id: str
    question: str
    answer: Answer
    feedback: str  # "up" or "down"
    comment: str = ""
    filters: Filters = field(default_factory=Filters)
    ui_language: str = "vi"
    time: str = ""

    def to_dict(self) -> dict:
        return {
            "time": self.time or datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "answer_id": self.answer_id,
            "question": self.question,
            "answer": self.answer.text,
            "citations": [c.to_dict() | {"chunk_id": c.chunk_id, "province": c.province} for c in self.answer.citations],
            "feedback": self.feedback,
            "comment": self.comment,
            "filters": {"provinces": list(self.filters.provinces), "documents": list(self.filters.documents)},
            "abstained": self.answer.abstained,
            "answerer": self.answer.answerer,
            "ui_language": self.ui_language,
        }


class FeedbackLog:
    """Appends records to one JSONL file; one instance per app, shared by its sessions."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def append(self, record: FeedbackRecord) -> dict:
        if record.feedback not in RATINGS:
            raise FeedbackError(f"feedback must be one of {RATINGS}, got {record.feedback!r}")
        data = record.to_dict()
        line = json.dumps(data, ensure_ascii=False) + "\n"
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(line)
        except OSError as e:
            raise FeedbackError(f"cannot write feedback to {self.path}: {e.strerror or e}") from None
        return data
