"""Terminal progress for long work (ingest, eval), drawn on stderr."""
from __future__ import annotations

import sys
import threading


class TerminalProgress:
    """A ``progress(event, done, total, detail)`` callback that draws a tqdm bar per event kind."""

    def __init__(self, enabled: bool | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bars: dict[str, object] = {}
        self._lock = threading.Lock()  # "ocr" page events come from the ingest's reading thread

    def __call__(self, event: str, done: int, total: int, detail: str = "") -> None:
        if not self.enabled:
            return
        with self._lock:
            self._draw(event, done, total, detail)

    def _draw(self, event: str, done: int, total: int, detail: str) -> None:
        from tqdm import tqdm

        bar = self._bars.get(event)
        if bar is None:
            bar = tqdm(total=total or None, desc=event, unit="", leave=False, file=sys.stderr, dynamic_ncols=True)
            self._bars[event] = bar
        if total and bar.total != total:
            bar.total = total
        bar.n = done
        if detail:
            bar.set_postfix_str(detail[-40:], refresh=False)
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
