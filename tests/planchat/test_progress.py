"""Ingest progress: chunks, rate and an ETA from bytes, drawn on the files bar."""
from __future__ import annotations

from planchat.progress import IngestEta, TerminalProgress, format_eta


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_eta_is_remaining_bytes_at_the_rate_so_far():
    clock = Clock()
    eta = IngestEta(now=clock)
    assert eta.eta_s() is None  # nothing read yet
    clock.t += 60
    eta.update("bytes", 1_000, 4_000)
    eta.update("chunks", 120, 0)
    assert eta.eta_s() == 180.0
    assert eta.chunks_per_s() == 2.0
    assert eta.summary() == "120 chunks, 2.0/s, ETA 3m00s"


def test_format_eta():
    assert format_eta(None) == "?"
    assert format_eta(59.6) == "1m00s"
    assert format_eta(3 * 3600 + 7 * 60) == "3h07m"


def test_bytes_and_chunks_events_annotate_the_files_bar(capsys):
    progress = TerminalProgress(enabled=True)
    progress("files", 0, 2, "")
    progress("bytes", 10, 20, "")
    progress("chunks", 7, 0, "")
    progress("files", 1, 2, "a.txt")
    assert set(progress._bars) == {"files"}  # no bar of their own
    err = capsys.readouterr().err
    assert "7 chunks" in err and "ETA" in err and "a.txt" in err
    progress("ocr", 1, 3, "scan.pdf")  # any other event (e.g. a loader's pages) gets its own bar
    assert set(progress._bars) == {"files", "ocr"}
    progress.close()
