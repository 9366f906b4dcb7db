"""Feedback is appended as one JSON line per rating, with question, answer, citations, feedback and time."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from assistant.types import Answer, Citation
from index.types import Filters
from ui.feedback import FeedbackError, FeedbackLog, FeedbackRecord

ANSWER = Answer(
    "Sở Lao động - Thương binh và Xã hội chủ trì [1].",
    (Citation(1, "cao-bang.txt", "Kế hoạch 3058", "3058/KH-UBND", "II", 2, "Sở Lao động … chủ trì", "cb#3", "Cao Bằng"),),
    False,
    answerer="fake",
)


def test_records_are_appended_as_json_lines(tmp_path: Path):
    log = FeedbackLog(tmp_path / "data" / "feedback.jsonl")
    log.append(FeedbackRecord("a1", "Ai chủ trì?", ANSWER, "up", filters=Filters(provinces=("Cao Bằng",))))
    log.append(FeedbackRecord("a1", "Ai chủ trì?", ANSWER, "down", comment="thiếu Sở Giáo dục", ui_language="en"))
    lines = (tmp_path / "data" / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["question"] == "Ai chủ trì?"
    assert first["answer"] == ANSWER.text
    assert first["citations"] == [
        {"n": 1, "document": "cao-bang.txt", "title": "Kế hoạch 3058", "number": "3058/KH-UBND", "section": "II",
         "page": 2, "quote": "Sở Lao động … chủ trì", "chunk_id": "cb#3", "province": "Cao Bằng"}
    ]
    assert first["feedback"] == "up" and first["comment"] == ""
    assert first["filters"] == {"provinces": ["Cao Bằng"], "documents": []}
    assert datetime.fromisoformat(first["time"]).tzinfo is not None
    assert second["feedback"] == "down" and second["comment"] == "thiếu Sở Giáo dục" and second["ui_language"] == "en"
    assert "Sở Lao động" in lines[0]  # UTF-8 kept readable, not \\u-escaped


def test_bad_rating_and_unwritable_file_raise_feedback_error(tmp_path: Path):
    log = FeedbackLog(tmp_path)
    with pytest.raises(FeedbackError, match="must be one of"):
        log.append(FeedbackRecord("a", "q", ANSWER, "meh"))
    with pytest.raises(FeedbackError, match="cannot write feedback"):
        log.append(FeedbackRecord("a", "q", ANSWER, "up"))  # the path is a directory
