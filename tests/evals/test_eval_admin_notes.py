"""Notes on the 2025 changes are not scored: their citations and their words stay out of the metrics."""
from __future__ import annotations

from evals.run import _without_markers


def test_note_lines_are_left_out_of_scoring():
    text = "Sở Lao động chủ trì [1].\n\nLưu ý: … nay thuộc Sở Giáo dục và Đào tạo [2].\nLưu ý: Bắc Kạn … [3]."
    assert _without_markers(text, {2, 3}) == "Sở Lao động chủ trì [1]."
    assert _without_markers(text, set()) == text
    assert _without_markers("A [1] và B [2].", {2}) == "A [1] và B [2]."  # a line of the answer itself stays
