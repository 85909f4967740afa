"""``cargo bench`` with libtest's harness: ``test NAME ... bench:   1,234 ns/iter (+/- 56)``.

Each benchmark line becomes a metric with ``avg`` (time per iteration, in seconds) and
``deviation`` (libtest's ``+/-``: the spread between the fastest and slowest iteration
after outliers are trimmed), plus ``data_rate`` when the line ends in ``= N MB/s``.
Units other than time per iteration (``cycles/iter`` from custom measurements) are kept
as plain numbers. A benchmark that panicked (``... FAILED``) is kept without statistics and
with that line as a failure the tool recorded, so a benchmark judging it fails. Criterion's
``--output-format bencher`` prints the same lines, and such a file is detected as this format.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers._text import head_lines, line_error, read_lines
from gatekeeper.parsers.bench import _libtest
from gatekeeper.parsers.bench._criterion_text import is_console_line

NAME = "cargo-bench"

_LIBTEST_MARKER = re.compile(r"^(?:running \d+ tests?|test result: )")


def detect(head: bytes) -> bool:
    """A libtest benchmark line, and none of the lines only Criterion's console prints.

    A run without any benchmark line (``running 0 tests``) is not claimed: ``cargo test``
    prints the same lines.
    """
    lines = head_lines(head)
    if any(is_console_line(line) for line in lines):
        return False
    return any(_libtest.is_bench_line(line) for line in lines)


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read every benchmark line; a log of libtest runs without benchmarks has no metrics."""
    metrics: list[Metric] = []
    recognised = False
    for lineno, line in read_lines(path, display):
        if is_console_line(line):
            raise line_error(
                display,
                lineno,
                "this is Criterion's console output; set `format: criterion` to read it",
            )
        metric = _libtest.read_line(line, lineno, display)
        if metric is not None:
            metrics.append(metric)
        recognised = recognised or metric is not None or bool(_LIBTEST_MARKER.match(line))
    if not recognised:
        raise EvidenceError(
            Position(display),
            "no cargo bench output found: expected 'test NAME ... bench: N ns/iter (+/- M)' lines",
        )
    return ParsedFile(path=display, format=NAME, metrics=tuple(metrics))
