"""Terminal progress for long work (ingest, eval), drawn on stderr."""
from __future__ import annotations

import sys
import threading
import time

# events that annotate the "files" bar instead of drawing their own
_FILE_EVENTS = ("bytes", "chunks")


def format_eta(seconds: float | None) -> str:
    if seconds is None or seconds != seconds or seconds < 0:
        return "?"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


class IngestEta:
    """Chunks and an ETA for the files bar: remaining bytes at the byte rate seen so far.

    Bytes, not files: plans range from a few KB to MBs, so the file count alone
    predicts badly. ``now`` is injectable for tests.
    """

    def __init__(self, now=time.monotonic):
        self._now = now
        self._start = now()
        self.bytes_done = 0
        self.bytes_total = 0
        self.chunks = 0

    def update(self, event: str, done: int, total: int) -> None:
        if event == "bytes":
            self.bytes_done, self.bytes_total = done, total
        elif event == "chunks":
            self.chunks = done

    def eta_s(self) -> float | None:
        elapsed = self._now() - self._start
        if self.bytes_done <= 0 or elapsed <= 0:
            return None
        return (self.bytes_total - self.bytes_done) * elapsed / self.bytes_done

    def chunks_per_s(self) -> float:
        elapsed = self._now() - self._start
        return self.chunks / elapsed if elapsed > 0 else 0.0

    def summary(self) -> str:
        return f"{self.chunks} chunks, {self.chunks_per_s():.1f}/s, ETA {format_eta(self.eta_s())}"


class TerminalProgress:
    """A ``progress(event, done, total, detail)`` callback that draws a tqdm bar per event kind.

    Ingest's "bytes" and "chunks" events do not get bars: they annotate the "files" bar
    with the chunks stored, the rate and an ETA. Any other event (e.g. "embed", or a
    loader's per-page "ocr") gets its own bar.
    """

    def __init__(self, enabled: bool | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bars: dict[str, object] = {}
        self._lock = threading.Lock()  # "ocr" page events come from the ingest's reading thread
        self._eta = IngestEta()

    def __call__(self, event: str, done: int, total: int, detail: str = "") -> None:
        if not self.enabled:
            return
        if event in _FILE_EVENTS:
            self._eta.update(event, done, total)
            return
        with self._lock:
            self._draw(event, done, total, detail)

    def _draw(self, event: str, done: int, total: int, detail: str) -> None:
        from tqdm import tqdm

        bar = self._bars.get(event)
        if bar is None:
            bar = tqdm(total=total or None, desc=event, unit="", leave=False, file=sys.stderr, dynamic_ncols=True,
                       bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} {postfix}"
                       if event == "files" else None)
            self._bars[event] = bar
        if total and bar.total != total:
            bar.total = total
        bar.n = done
        postfix = detail[-40:] if detail else ""
        if event == "files":
            postfix = f"{self._eta.summary()}" + (f" | {postfix}" if postfix else "")
        if postfix:
            bar.set_postfix_str(postfix, refresh=False)
        bar.refresh()
        if total and done >= total:
            bar.close()
            del self._bars[event]

    def close(self) -> None:
        with self._lock:
            self._close_all()

    def _close_all(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()
