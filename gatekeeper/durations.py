"""Durations as Prometheus writes them (``30s``, ``7d``, ``1h30m``) and RFC 3339 times, for
live queries' windows, timeouts and evaluation times."""

from __future__ import annotations

import datetime as dt
import re

_UNIT_SECONDS: dict[str, float] = {
    "ms": 0.001,
    "s": 1,
    "m": 60,
    "h": 3600,
    "d": 86400,
    "w": 7 * 86400,
    "y": 365 * 86400,
}
_PART = re.compile(r"(\d+)(ms|s|m|h|d|w|y)")
PATTERN = r"^([0-9]+(ms|s|m|h|d|w|y))+$"
"""What the matrix schema accepts (the same spelling as ``parse_duration``)."""


def parse_duration(text: str) -> float:
    """Seconds in ``text`` (``7d``, ``1h30m``, ``500ms``); ValueError when it is not one or
    is zero."""
    parts = list(_PART.finditer(text))
    if not parts or "".join(p.group(0) for p in parts) != text:
        raise ValueError(
            f"{text!r} is not a duration: write a number and a unit (ms, s, m, h, d, w, y)"
        )
    seconds = sum(int(p.group(1)) * _UNIT_SECONDS[p.group(2)] for p in parts)
    if seconds <= 0:
        raise ValueError(f"{text!r} is no time at all")
    return seconds


def parse_time(text: str) -> dt.datetime:
    """An RFC 3339 time with its offset (``2026-12-01T00:00:00Z``); ValueError otherwise."""
    written = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    parsed = dt.datetime.fromisoformat(written)
    if parsed.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset: write Z or +HH:MM")
    return parsed.astimezone(dt.timezone.utc)
