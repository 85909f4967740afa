"""Evidence that expires: ``max_age`` as written in the matrix, and the times evidence records.

A benchmark or an artifact may state ``max_age: 30d`` (``h`` hours, ``d`` days, ``w`` weeks;
a whole number above 0). Age is measured from the time the evidence itself records for when
the measurement happened (``ParsedFile.measured_at``), never a file's modification time, and
compared with the run's one clock (``--as-of``, else now).

Layer: base. Imports nothing of gatekeeper's but ``records``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from gatekeeper.records import record

MAX_AGE = re.compile(r"[1-9][0-9]{0,5}[hdw]")
"""``max_age``'s spelling: a whole number above 0 and a unit (the schema holds the same)."""
_UNITS = {"h": dt.timedelta(hours=1), "d": dt.timedelta(days=1), "w": dt.timedelta(weeks=1)}

FUTURE_SKEW = dt.timedelta(minutes=5)
"""How far after the check's time evidence may say it was measured (clocks of CI runners
drift) before it is refused as evidence from the future."""


def shown(text: object, limit: int = 60) -> str:
    """``text`` as a message quotes it, cut to ``limit`` characters (an attribute of a
    megabyte is no message)."""
    quoted = repr(text)
    return quoted if len(quoted) <= limit else quoted[: limit - 1] + "…"


@record
class MaxAge:
    """How old evidence may be before it is stale."""

    text: str
    """As written: '30d'."""
    span: dt.timedelta


def parse_max_age(text: str) -> MaxAge:
    """``30d`` -> MaxAge; ValueError for anything else (0, negative, no unit, garbage)."""
    if not isinstance(text, str) or MAX_AGE.fullmatch(text) is None:
        raise ValueError(
            f"max_age {shown(text)}: expected a whole number above 0 and a unit, h, d or w (30d)"
        )
    return MaxAge(text, int(text[:-1]) * _UNITS[text[-1]])


def utc(moment: dt.datetime) -> dt.datetime:
    """An aware datetime in UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


ZONELESS_SHIFT = dt.timedelta(hours=14)
"""A time written without its zone is some zone's local time: read as the earliest moment
it can name (UTC+14's), so that it is never from the future and never younger than it is."""


def parse_iso_time(text: str, *, zoneless: str = "utc") -> dt.datetime:
    """An ISO 8601 date-time as aware UTC; ``Z``, an offset or `` UTC`` accepted, fractions
    of any length cut to microseconds. Without a zone: ``zoneless`` "utc" reads it as UTC,
    "earliest" as the earliest moment it can name (``ZONELESS_SHIFT``), "refuse" refuses it.
    ValueError naming the text for anything else."""
    raw = text.strip()
    if raw.endswith(" UTC"):
        raw = raw[:-4] + "Z"
    match = _ISO.fullmatch(raw)
    if match is None:
        raise ValueError(f"{shown(text)} is not an ISO 8601 date and time")
    date, clock, fraction, zone = match.group("date", "clock", "fraction", "zone")
    spelled = f"{date}T{clock}"
    if fraction:
        spelled += "." + fraction[:6].ljust(6, "0")
    if zone:
        spelled += "+00:00" if zone in ("Z", "z") else zone
    elif zoneless == "refuse":
        raise ValueError(f"{shown(text)} does not say its time zone")
    try:
        moment = utc(dt.datetime.fromisoformat(spelled))
    except ValueError as exc:
        raise ValueError(f"{shown(text)} is not a real date and time ({exc})") from exc
    if zone or zoneless != "earliest" or moment.year <= 1:  # year 1: .NET's "no time"
        return moment
    return moment - ZONELESS_SHIFT


_ISO = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})(?:T ?| )(?P<clock>\d{2}:\d{2}(?::\d{2})?)"
    r"(?:[.,](?P<fraction>\d+))?"
    r"(?P<zone>[Zz]|[+-]\d{2}:?\d{2})?"
)


def from_epoch(value: float, per_second: int = 1) -> dt.datetime:
    """A Unix time (seconds, or milliseconds with ``per_second=1000``) as aware UTC;
    ValueError when it is not a plausible time (before 1970 or after 9999)."""
    seconds = value / per_second
    if not 0 < seconds < 253402300800:
        raise ValueError(f"{value!r} is not a Unix time")
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


def oldest(times: list[dt.datetime | None]) -> tuple[dt.datetime | None, bool]:
    """(the oldest time, whether every one was known): an artifact's evidence is as old as
    its oldest file; a file with no time leaves the artifact undated."""
    known = [t for t in times if t is not None]
    return (min(known) if known else None), len(known) == len(times) and bool(known)


def dated_by_oldest(times: Iterable[dt.datetime | None]) -> dt.datetime | None:
    """A file's time from the times of what it holds (suites, runs, resources): the oldest,
    or None when it holds none or any of them records no time (the file cannot show that
    all it holds is recent)."""
    found, dated = oldest(list(times))
    return found if dated else None


def age_text(age: dt.timedelta, max_age: MaxAge) -> str:
    """'41 days', '50 hours': in days unless the limit is in hours or the age under two days;
    over the limit by less than the unit shows, with the rest (30 days 00:00:01), so that it
    never reads as within the limit."""
    seconds = int(age.total_seconds())
    hours, rest = divmod(seconds, 3600)
    if max_age.text.endswith("h") or age < dt.timedelta(days=2):
        text = f"{hours} hour{'s' if hours != 1 else ''}"
        shown = dt.timedelta(hours=hours)
        exact = f" {rest // 60:02d}:{rest % 60:02d}"
    else:
        days, within = divmod(seconds, 86400)
        text = f"{days} days"
        shown = dt.timedelta(days=days)
        exact = f" {within // 3600:02d}:{within % 3600 // 60:02d}:{within % 60:02d}"
    if age > max_age.span >= shown:
        text += exact
    return text
