"""JMeter XML results: ``<testResults>`` with one ``<httpSample>`` or ``<sample>`` per sample.

Read as a SAX stream, so nothing accumulates but the tally, and every error
names its line. Entity declarations and external references are refused.

Only the samples directly under ``<testResults>`` count. The elements nested in
a sample are its sub-results (redirects followed, embedded resources, a
Transaction Controller's children): their time is already inside the parent's
``t``, so counting them too would count those requests twice. JMeter's own
Aggregate Report counts the parent samples the same way.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

import defusedxml.sax
from defusedxml import DefusedXmlException

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.parsers.load import _jmeter_tally
from gatekeeper.parsers.load._jmeter_tally import Tally, is_millis

_SAMPLES = frozenset({"httpSample", "sample"})
_TRUNCATED = ("no element found", "unclosed token")


class _Samples(ContentHandler):
    def __init__(self, display: str) -> None:
        super().__init__()
        self.display = display
        self.depth = 0
        self.tally: Tally | None = None
        self.where: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:  # SAX's names
        self.where = locator

    def position(self) -> Position:
        if self.where is None:
            return Position(self.display)
        column = self.where.getColumnNumber()
        return Position(
            self.display, self.where.getLineNumber(), None if column is None else column + 1
        )

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        self.depth += 1
        if self.depth == 1 and name != "testResults":
            message = f"not JMeter XML results: the root element is <{name}>, not <testResults>"
            raise EvidenceError(self.position(), message)
        if self.depth == 2 and name in _SAMPLES:
            self.add(name, attrs)

    def endElement(self, name: str) -> None:
        self.depth -= 1

    def add(self, name: str, attrs: AttributesImpl) -> None:
        tally = self.tally
        if tally is None:  # the first sample shows which attributes this file records
            stamp = attrs.get("ts", "")
            timed = "t" in attrs
            spanned = timed and is_millis(stamp)
            tally = self.tally = Tally(timed=timed, flagged="s" in attrs, spanned=spanned)
        label = self.attribute(name, attrs, "lb")
        series = tally.get(label)
        if series is None:
            raise EvidenceError(
                self.position(), f"more than {_jmeter_tally.MAX_LABELS} distinct labels"
            )
        series.count += 1
        if tally.flagged:
            flag = self.attribute(name, attrs, "s")
            if flag not in ("true", "false"):
                message = f"<{name}> s={flag[:40]!r}, expected true or false"
                raise EvidenceError(self.position(), message)
            series.fails += flag == "false"
        if tally.timed:
            ms = self.millis(name, attrs, "t")
            series.elapsed[ms] += 1
            if tally.spanned:
                start = self.millis(name, attrs, "ts")
                series.span(start, start + ms)

    def attribute(self, name: str, attrs: AttributesImpl, key: str) -> str:
        value = attrs.get(key)
        if value is None:
            message = f"<{name}> has no {key} attribute, which the first sample has"
            if key == "lb":
                message = f"<{name}> has no lb (label) attribute"
            raise EvidenceError(self.position(), message)
        return str(value)

    def millis(self, name: str, attrs: AttributesImpl, key: str) -> int:
        text = self.attribute(name, attrs, key)
        if not is_millis(text):
            shown = text if len(text) <= 40 else text[:37] + "..."
            message = f"<{name}> {key}={shown!r}, expected whole milliseconds"
            raise EvidenceError(self.position(), message)
        return int(text)


def read(path: Path, display: str) -> Tally:
    """Add up the top-level samples of an XML results file."""
    handler = _Samples(display)
    try:
        with path.open("rb") as handle:
            defusedxml.sax.parse(handle, handler, forbid_entities=True, forbid_external=True)
    except SAXParseException as exc:
        reason = exc.getMessage()
        if reason in _TRUNCATED:
            reason += " (is the file truncated?)"
        column = exc.getColumnNumber()
        where = Position(display, exc.getLineNumber(), None if column is None else column + 1)
        raise EvidenceError(where, f"malformed XML: {reason}") from exc
    except DefusedXmlException as exc:
        raise EvidenceError(handler.position(), f"refused: {exc}") from exc
    except LookupError as exc:  # an encoding declaration Python does not know
        raise EvidenceError(Position(display), f"unreadable XML: {exc}") from exc
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    return handler.tally or Tally(timed=False, flagged=False, spanned=False)
