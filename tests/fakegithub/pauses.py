"""Answers the fake holds back, outside its lock, so that concurrent clients interleave where
a test needs them to: the race a real API shows under load, made certain.

A pause matches requests by method and path (re.search on the path relative to the API
root); the request is carried out at once under the server's lock, as every request is, and
only its answer waits: ``seconds`` for each match, or, with ``together``, until that many
matching requests have been carried out (each of the first ``together`` is released when the
last of them arrives; later ones pass), so that, for instance, eight writers all read a
branch before any of them moves it.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Pause:
    method: str
    path: re.Pattern[str]
    seconds: float = 0.0
    together: int = 0
    """Hold the first this many matching answers until all of them are ready."""
    hits: int = 0
    _barrier: threading.Barrier | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.together > 1:
            self._barrier = threading.Barrier(self.together)

    def claim(self, method: str, path: str) -> bool:
        """Whether this request's answer waits (called under the server's lock)."""
        if self.method not in ("*", method) or self.path.search(path) is None:
            return False
        self.hits += 1
        return self.seconds > 0 or (self._barrier is not None and self.hits <= self.together)

    def wait(self) -> None:
        """Called outside the lock. A barrier that never fills breaks after 10 s (the test
        then sees its clients' requests answered late, not a hung run)."""
        if self._barrier is not None and not self._barrier.broken:
            with contextlib.suppress(threading.BrokenBarrierError):
                self._barrier.wait(timeout=10)
        if self.seconds > 0:
            time.sleep(self.seconds)


def make_pause(method: str, path_regex: str, seconds: float = 0.0, together: int = 0) -> Pause:
    return Pause(method.upper(), re.compile(path_regex), seconds, together)
