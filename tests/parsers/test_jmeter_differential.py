"""JMeter CSV results: every engine (pyarrow's, the fast loop, the careful loop) against a
plain read.

Hypothesis writes results files with any of JMeter's columns in any order, any
delimiter JMeter offers, fields quoted when they must be and now and then when they need
not, quotes doubled, failure messages over several lines, CRLF or LF, blank lines. The
test reads each file with ``csv.reader`` and computes the statistics itself; each engine
must give exactly those: counts, fails, error_rate, min, max, med, p(90), p(95), p(99),
throughput and the samples are equal; avg may differ by 1e-12 relative (the engines
divide the whole milliseconds by 1000 x count, the test averages seconds with fsum).
"""

from __future__ import annotations

import csv
import io
import math
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gatekeeper.evidence import Metric
from gatekeeper.parsers.load import (
    _jmeter_arrow,
    _jmeter_csv,
    _jmeter_lines,
    _jmeter_rows,
    _jmeter_tally,
    jmeter,
)
from gatekeeper.stats import percentile
from tests.parsers.fuzz_budget import budget

pytestmark = pytest.mark.needs("pyarrow")

LABELS = ("GET /a", "POST /b", 'say "hi"', "x,y;z|w\tv", "é ü 🚀", "", "TOTAL ")
MESSAGES = ("OK", "", 'Internal; "Server" Error', "expected 200,\ngot 500", "a\r\nb", " padded ")
OPTIONAL = ("responseCode", "responseMessage", "threadName", "failureMessage", "bytes", "URL")


@st.composite
def results(draw: st.DrawFn) -> tuple[bytes, str]:
    """A results file and its delimiter."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    wanted = ["label"] + [c for c in ("elapsed", "success", "timeStamp") if draw(st.booleans())]
    columns = draw(st.permutations(wanted + draw(st.lists(st.sampled_from(OPTIONAL), unique=True))))
    formatted_time = draw(st.integers(0, 9)) == 0
    crlf = draw(st.booleans())
    quote_all = draw(st.floats(0, 1))
    lines = [delimiter.join(columns)]
    for n in range(draw(st.integers(0, 60))):
        values = {
            "label": draw(st.sampled_from(LABELS)),
            "elapsed": str(draw(st.integers(0, 10**6))),
            "success": draw(st.sampled_from(["true", "true", "false"])),
            "timeStamp": "2024/05/01 10:00:00"
            if formatted_time
            else str(1_700_000_000_000 + n * 7),
            "responseCode": draw(st.sampled_from(["200", "500", "Non HTTP response code"])),
            "bytes": str(draw(st.integers(0, 10**5))),
        }
        fields = [
            _field(
                values.get(c) or draw(st.sampled_from(MESSAGES)),
                delimiter,
                draw(st.floats(0, 1)) < quote_all,
            )
            for c in columns
        ]
        lines.append(delimiter.join(fields))
        if draw(st.integers(0, 19)) == 0:
            lines.append("")  # a blank line: no row
    text = ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")
    return text.encode("utf-8"), delimiter


def _field(value: str, delimiter: str, quote_anyway: bool) -> str:
    if quote_anyway or any(c in value for c in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def expected_metrics(content: bytes, delimiter: str) -> dict[str, dict[str, float]]:
    """Each label's statistics, and TOTAL's, from a plain csv.reader read."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"), newline=""), delimiter=delimiter))
    names, rows = rows[0], [row for row in rows[1:] if row]
    by_label: dict[str, list[list[str]]] = {}
    for row in rows:
        assert len(row) == len(names)
        by_label.setdefault(row[names.index("label")], []).append(row)
    spanned = "elapsed" in names and "timeStamp" in names
    if spanned and rows:
        spanned = rows[0][names.index("timeStamp")].isdigit()
    found = {label: _stats(names, rows_of, spanned) for label, rows_of in by_label.items()}
    found["TOTAL"] = _stats(names, rows, spanned)
    return found


def _stats(names: list[str], rows: list[list[str]], spanned: bool) -> dict[str, float]:
    if not rows:
        return {}
    stats: dict[str, float] = {"count": len(rows)}
    if "success" in names:
        fails = sum(row[names.index("success")] != "true" for row in rows)
        stats |= {"fails": fails, "error_rate": fails / len(rows)}
    if "elapsed" in names:
        ms = [int(row[names.index("elapsed")]) for row in rows]
        seconds = sorted(m / 1000 for m in ms)
        stats |= {"avg": math.fsum(seconds) / len(seconds), "min": seconds[0], "max": seconds[-1]}
        stats["med"] = percentile(seconds, 50)
        for p in (90, 95, 99):
            stats[f"p({p})"] = percentile(seconds, p)
        stats["samples"] = seconds  # type: ignore[assignment]
        if spanned:
            starts = [int(row[names.index("timeStamp")]) for row in rows]
            span = (max(s + m for s, m in zip(starts, ms, strict=True)) - min(starts)) / 1000
            if span > 0:
                stats["throughput"] = len(rows) / span
    return stats


ENGINES = ("arrow", "fast", "careful")
"""pyarrow's; without it the fast loop (``_jmeter_rows``), and the careful loop it falls
back to (``_jmeter_csv._add_rows``), which must read every valid file alike."""


@contextmanager
def engine(name: str) -> Iterator[None]:
    """Files of any size through one engine, in small blocks and flushes."""
    saved = (
        _jmeter_csv.ARROW_FROM_BYTES, _jmeter_arrow.BLOCK_BYTES, _jmeter_arrow.PENDING_ROWS,
        _jmeter_lines.BLOCK_BYTES, _jmeter_rows.read,
    )  # fmt: skip
    _jmeter_csv.ARROW_FROM_BYTES = 0 if name == "arrow" else 1 << 62
    _jmeter_arrow.BLOCK_BYTES, _jmeter_arrow.PENDING_ROWS = 4096, 7
    _jmeter_lines.BLOCK_BYTES = 97  # quoted records across blocks
    if name == "careful":
        _jmeter_rows.read = lambda lines, header: None
    try:
        yield
    finally:
        (
            _jmeter_csv.ARROW_FROM_BYTES, _jmeter_arrow.BLOCK_BYTES, _jmeter_arrow.PENDING_ROWS,
            _jmeter_lines.BLOCK_BYTES, _jmeter_rows.read,
        ) = saved  # fmt: skip


def read(content: bytes, name: str) -> dict[str, Metric]:
    with tempfile.TemporaryDirectory() as folder, engine(name):
        path = Path(folder) / "r.jtl"
        path.write_bytes(content)
        header = _jmeter_csv.read_header(path, "r.jtl")
        if name == "arrow":  # the accelerators take every valid file: they must not step aside
            assert _jmeter_arrow.read(path, header) is not None
        if name == "fast":
            with path.open("rb") as handle:
                handle.readline()
                lines = _jmeter_lines.lines(handle, "r.jtl", _jmeter_csv.MAX_LINE)
                assert _jmeter_rows.read(lines, header) is not None
        return {m.name: m for m in jmeter.parse(path, "r.jtl").metrics}


@pytest.mark.slow
@budget(examples=150)
@given(results(), st.sampled_from(ENGINES))
def test_each_engine_gives_the_statistics_of_a_plain_csv_read(
    case: tuple[bytes, str], name: str
) -> None:
    content, delimiter = case
    expected = expected_metrics(content, delimiter)
    found = read(content, name)
    assert set(found) == set(expected)
    for label, metric in found.items():
        want = dict(expected[label])
        samples = want.pop("samples", [])
        assert list(metric.samples) == samples, label
        got = {stat: quantity.value for stat, quantity in metric.stats.items()}
        assert set(got) == set(want), label
        assert math.isclose(got.pop("avg", 0.0), want.pop("avg", 0.0), rel_tol=1e-12), label
        assert got == want, label


def test_the_statistics_the_test_computes_match_jmeter_tally_names() -> None:
    """The test's names are the parser's: a p(N) renamed there must fail here, not pass."""
    assert _jmeter_tally.PERCENTILES == (90.0, 95.0, 99.0)
