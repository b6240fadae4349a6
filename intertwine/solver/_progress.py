"""Stage reports for long solves: silent for the first second, then every stage as it starts."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable


def print_progress(message: str) -> None:
    """The default progress sink: one line on stderr, flushed (what the CLI prints)."""
    print(message, file=sys.stderr, flush=True)


class Progress:
    """Stage reports for long solves. Silent for the first second; then every stage so far
    (with its start time) and each later one as it starts. A timer thread prints them at one
    second even while a single stage is still running."""

    DELAY = 1.0

    def __init__(self, callback: Callable[[str], None] | None):
        self.callback, self.start = callback, time.perf_counter()
        self.pending: list[str] = []
        self.live = False
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        if callback is not None:
            self.timer = threading.Timer(self.DELAY, self._flush)
            self.timer.daemon = True
            self.timer.start()

    def _line(self, message: str) -> str:
        return f"[{time.perf_counter() - self.start:6.1f} s] {message}"

    def _flush(self) -> None:
        with self.lock:
            self.live = True
            for line in self.pending:
                self.callback(line)  # type: ignore[misc]
            self.pending.clear()

    def __call__(self, message: str) -> None:
        if self.callback is None:
            return
        line = self._line(message)
        with self.lock:
            if self.live:
                self.callback(line)
            else:
                self.pending.append(line)

    def note(self, message: str) -> None:
        """A line shown at once, however short the solve (e.g. a damaged cache entry)."""
        if self.callback is not None:
            with self.lock:
                self.callback(self._line(message))

    def close(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
