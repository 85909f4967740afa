"""The times evidence files record for their measurement, as their writers spell them.

Every spelling seen in real reports is read; any other is a ValueError the parser turns into
an error naming the file and where (a garbled time must not pass as no time, nor as a time).
A time written without its zone is read as the earliest moment it can name
(``freshness.ZONELESS_SHIFT``): never from the future, never younger than it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from gatekeeper.freshness import from_epoch, parse_iso_time, shown, utc

UNSET_YEAR = 1
""".NET's DateTime.MinValue (0001-01-01): a writer's "no time", not a time."""

_US = re.compile(r"(\d{2})/(\d{2})/(\d{4}) (\d{2}:\d{2}:\d{2})")
"""MM/DD/YYYY HH:MM:SS (xunit.net's and some JUnit writers' local time)."""
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)")
"""YYYYMMDD HH:MM:SS.fff (Robot Framework's)."""
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def report_time(text: str) -> dt.datetime | None:
    """A test report's time as aware UTC; None for a writer's "no time" (empty, or year 1)."""
    raw = text.strip()
    if not raw:
        return None
    if _DAY.fullmatch(raw):  # a day alone: its first moment, the earliest it can name
        moment = parse_iso_time(raw + "T00:00:00", zoneless="earliest")
    elif (us := _US.fullmatch(raw)) is not None:
        month, day, year, clock = us.groups()
        moment = parse_iso_time(f"{year}-{month}-{day}T{clock}", zoneless="earliest")
    elif (compact := _COMPACT.fullmatch(raw)) is not None:
        year, month, day, clock = compact.groups()
        moment = parse_iso_time(f"{year}-{month}-{day}T{clock}", zoneless="earliest")
    elif raw[:1].isalpha():  # RFC 1123: Sat, 03 Dec 2022 23:10:07 GMT
        import email.utils  # here: it loads socket, random and calendar (~25 ms at start-up)

        try:
            parsed = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{shown(text)} is not a date and time") from exc
        moment = utc(parsed) if parsed.tzinfo else utc(parsed) - dt.timedelta(hours=14)
    else:
        moment = parse_iso_time(raw, zoneless="earliest")
    return None if moment.year <= UNSET_YEAR else moment


Recorded = tuple[dt.datetime | None, str | None]
"""(the time, or None; why the time could not be read, or None): ``ParsedFile``'s
``measured_at`` and ``time_error``."""


def recorded_iso(value: object, display: str, key: str, zoneless: str = "earliest") -> Recorded:
    """A JSON key's ISO 8601 time; absent (None) is no time, anything unreadable is kept as
    the file's ``time_error``, naming the key."""
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, f"{display}: {key}: expected a date and time, got {type(value).__name__}"
    try:
        moment = parse_iso_time(value, zoneless=zoneless)
    except ValueError as exc:
        return None, f"{display}: {key}: {exc}"
    return (None if moment.year <= UNSET_YEAR else moment), None


def recorded_epoch(value: object, display: str, key: str, per_second: int = 1) -> Recorded:
    """A Unix time (seconds, or milliseconds with ``per_second=1000``), as ``recorded_iso``;
    a number written as a string is read too (XML attributes are strings)."""
    if value is None:
        return None, None
    try:
        number = float(value) if isinstance(value, str) else value
        if not isinstance(number, (int, float)) or isinstance(number, bool):
            raise ValueError(f"expected a Unix time, got {type(value).__name__}")
        return from_epoch(number, per_second), None
    except ValueError as exc:
        return None, f"{display}: {key}: {exc}"


class Oldest:
    """The oldest of the times a file's parts record (suites, assemblies, runs); each
    spelling is read once however many records share it (a suite's every test), and the
    first unreadable one is kept as the file's ``time_error``."""

    def __init__(self) -> None:
        self.seen: set[tuple[str | None, ...]] = set()
        self.moment: dt.datetime | None = None
        self.error: str | None = None

    def add(self, spelled: tuple[str | None, ...], read: Callable[[], Recorded]) -> None:
        """``read()`` is the time a part records as ``spelled`` (its attributes' text)."""
        if spelled in self.seen:
            return
        self.seen.add(spelled)
        moment, error = read()
        if error is not None and self.error is None:
            self.error = error
        if moment is not None and (self.moment is None or moment < self.moment):
            self.moment = moment

    @property
    def recorded(self) -> Recorded:
        return (None, self.error) if self.error is not None else (self.moment, None)


_ZONE_WORD = re.compile(r"(.*\d) ([A-Z]{2,5})")
"""A time followed by a zone's abbreviation (Java's ``z``: '2024-03-02T10:11:20 IST')."""


def recorded_java(value: str | None, display: str, key: str) -> Recorded:
    """A time as Java's SimpleDateFormat ``yyyy-MM-dd'T'HH:mm:ss z`` writes it: UTC and GMT
    are UTC; any other abbreviation is ambiguous (IST is India's, Israel's, Ireland's), so
    the time is read as zone-less (the earliest moment it can name)."""
    if value is None:
        return None, None
    found = _ZONE_WORD.fullmatch(value.strip())
    if found is not None:
        clock, zone = found.groups()
        value = clock + ("Z" if zone in ("UTC", "GMT") else "")
    return recorded_iso(value, display, key)
