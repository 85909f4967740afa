"""JMeter results (JTL), CSV or XML: one request series per label, and TOTAL over all.

Each series is named by the sample label (``lb``) exactly as JMeter wrote it,
with no tags, and reports count, fails, error_rate (samples whose success flag
is not ``true``), avg, min, max, med, p(90), p(95), p(99) of the elapsed times,
throughput, and the raw elapsed times as samples so any p(N) can be asked for. A series
whose every sample failed also carries that as a failure the tool recorded.

Throughput is the number of samples over the span from the earliest start
(``timeStamp``) to the latest end (``timeStamp`` + ``elapsed``), per series,
which is how JMeter's Aggregate Report and HTML dashboard compute it. A file
that does not record elapsed times or start timestamps (JMeter's save settings)
simply lacks the statistics that need them; a threshold on one of those then
fails as unreported rather than passing.

A CSV row is one sample; in XML only the samples directly under
``<testResults>`` count (see ``_jmeter_xml``). Large CSV files stream through
pyarrow when it is installed (``_jmeter_arrow``) and the ``csv`` module
otherwise, with the same results either way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import ParsedFile, SeriesRequest
from gatekeeper.parsers import SNIFF_BYTES
from gatekeeper.parsers.load import _jmeter_csv, _jmeter_tally

NAME = "jmeter"

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_PROLOG_ITEM = re.compile(
    rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.DOTALL
)
_ROOT = re.compile(rb"\s*<testResults[\s/>]")


def detect(head: bytes) -> bool:
    """A ``<testResults>`` root element, or a first line of JMeter's CSV column names."""
    return _is_xml(head) or _jmeter_csv.sniff(head) is not None


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read a JTL file; ``wanted`` decides which series keep their raw samples."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    if _is_xml(head) or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"<", *_BOMS[1:])):
        # Imported here: its SAX reader imports urllib.request (some 20 ms), and detection
        # (`format: auto`) imports every parser to ask whether it claims a JSON or text file.
        from gatekeeper.parsers.load import _jmeter_xml

        tally = _jmeter_xml.read(path, display)
    else:
        tally = _jmeter_csv.read(path, display)
    return ParsedFile(
        path=display,
        format=NAME,
        metrics=_jmeter_tally.metrics(tally, display, wanted),
        measured_at=_ended(tally),
    )


def _ended(tally: _jmeter_tally.Tally) -> dt.datetime | None:
    """The latest sample's end (timeStamp + elapsed, milliseconds since 1970): when the load
    test ended. None when the file records no millisecond timeStamp (a formatted one, or
    none: JMeter's save settings)."""
    ends = [s.last for s in tally.series.values() if s.last is not None]
    if not tally.spanned or not ends:
        return None
    return dt.datetime.fromtimestamp(max(ends) / 1000, dt.timezone.utc)


def _is_xml(head: bytes) -> bool:
    for bom in _BOMS[1:]:
        if head.startswith(bom):  # UTF-16: look at it as ASCII
            encoding = "utf-16-le" if bom == b"\xff\xfe" else "utf-16-be"
            head = head[2:].decode(encoding, errors="ignore").encode("ascii", errors="ignore")
    head = head.removeprefix(_BOMS[0])
    position = 0
    while item := _PROLOG_ITEM.match(head, position):
        position = item.end()
    return _ROOT.match(head, position) is not None
