"""The k6 stream's fast paths against a plain full parse (``k6_reference``).

Random streams in k6's spelling and in any other valid one (``k6_spelling``) must give
exactly the series a ``json.loads`` of every line gives: the requested series (names,
tag filters, patterns) with their samples and statistics, and the per-metric tallies of
inspection. Broken lines must be errors at their line: any broken line when inspecting;
with series requested, a broken line that holds a requested name (the lines of other
metrics are not read: see the README). Blocks of 64 and 333 bytes put block edges
everywhere. Tally sums may differ from adding one by one by 1e-12 of the sum of the
absolute values (blocks are summed with ``math.fsum``); everything else is equal.
"""

from __future__ import annotations

import math
import random
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric, SeriesRequest
from gatekeeper.parsers.load import _k6_lines, k6_ndjson
from tests.parsers import k6_reference as reference
from tests.parsers.fuzz_budget import budget
from tests.parsers.k6_spelling import KINDS, Line, cases, streams, write

odds = st.sampled_from([0.0, 0.0, 0.05, 0.3, 1.0])
blocks = st.sampled_from([None, 64, 64, 333])


@contextmanager
def block_size(size: int | None) -> Iterator[None]:
    saved = _k6_lines.BLOCK_SIZE
    _k6_lines.BLOCK_SIZE = size or saved
    try:
        yield
    finally:
        _k6_lines.BLOCK_SIZE = saved


def parse(content: bytes, wanted: tuple[SeriesRequest, ...], size: int | None) -> list[Metric]:
    with tempfile.TemporaryDirectory() as folder, block_size(size):
        path = Path(folder) / "run.ndjson"
        path.write_bytes(content)
        return list(k6_ndjson.parse(path, "run.ndjson", wanted).metrics)


def error_line(content: bytes, wanted: tuple[SeriesRequest, ...], size: int | None) -> int | None:
    with pytest.raises(EvidenceError) as caught:
        parse(content, wanted, size)
    return caught.value.position.line


@pytest.mark.slow
@budget(examples=150)
@given(cases(), st.randoms(use_true_random=False), odds, blocks)
def test_requested_series_are_what_json_loads_gives(
    case: tuple[list[Line], tuple[SeriesRequest, ...]], rng: random.Random, odd: float,
    size: int | None,
) -> None:  # fmt: skip
    lines, wanted = case
    content = write(lines, rng, odd)
    expected = reference.collected(content, wanted)
    found = {m.label: m for m in parse(content, wanted, size)}
    assert found == expected
    assert repr(found) == repr(expected)  # -0.0 == 0.0, but json.loads reads -0 as 0


@budget(examples=150)
@given(streams(), st.randoms(use_true_random=False), odds, blocks)
def test_inspected_tallies_are_what_json_loads_gives(
    lines: list[Line], rng: random.Random, odd: float, size: int | None
) -> None:
    content = write(lines, rng, odd)
    expected = reference.inspected(content)
    found = {m.name: m for m in parse(content, (), size)}
    assert set(found) == set(expected)
    for name, metric in found.items():
        tally, kind, contains, span = expected[name]
        plain = reference.inspected_metric(name, tally, kind, contains, span)
        assert (metric.kind, set(metric.stats)) == (plain.kind, set(plain.stats))
        scale = sum(abs(v) for v in _values(lines, name, content)) * 1e-12
        for stat, quantity in metric.stats.items():
            want = plain.stats[stat]
            assert quantity.dimension == want.dimension
            summed = stat == "avg" or (kind == "counter" and stat in ("count", "rate"))
            if summed:
                divisor = want.value and abs(plain.stats[stat].value) / max(
                    abs(tally.total), 1e-300
                )
                assert math.isclose(
                    quantity.value, want.value, rel_tol=0, abs_tol=scale * (divisor or 1) + 1e-300
                )
            else:
                assert quantity.value == want.value, (name, stat)


def _values(lines: list[Line], name: str, content: bytes) -> list[float]:
    return [value for metric, value, _, _ in reference.decode(content).points if metric == name]


def _breaks(text: str, how: int, at: int) -> bytes:
    """One way a line goes wrong: cut before its last ``}``, a byte inserted or deleted, a
    value that is not a finite number, a byte that is not UTF-8."""
    line = text.encode("utf-8")
    at %= max(1, len(line))
    if how == 0:
        return line[: min(at, line.rfind(b"}"))]
    if how == 1:
        return line[:at] + b',:{}[]"x\x01'[at % 9 : at % 9 + 1] + line[at:]
    if how == 2:
        return line[:at] + line[at + 1 :]
    if how == 3:
        return line[:at] + b"\xff" + line[at:]
    found = re.search(rb'"value"\s*:\s*([^,}\s]+)', line)
    if found is None:
        return line.replace(b"Metric", b"Metrix")
    bad = (b'"12"', b"true", b"null", b"NaN", b"1e400", b"[1]", b"1_0", b"+1", b".5")[at % 9]
    return line[: found.start(1)] + bad + line[found.end(1) :]


@pytest.mark.slow
@budget(examples=150)
@given(
    streams(), st.randoms(use_true_random=False), odds, blocks, st.integers(0, 4),
    st.integers(0, 10**6), st.booleans(),
)  # fmt: skip
def test_a_broken_line_is_an_error_at_its_line(
    lines: list[Line], rng: random.Random, odd: float, size: int | None, how: int, at: int,
    inspecting: bool,
) -> None:  # fmt: skip
    content = write(lines, rng, odd)
    pieces = content.split(b"\n")
    number = rng.randrange(len(pieces) - 1)
    pieces[number] = _breaks(pieces[number].decode("utf-8", "surrogatepass"), how, at)
    broken = b"\n".join(pieces)
    assume(_judged(broken) == number + 1)  # the change broke that line
    note(f"line {number + 1} broken: {broken!r}")
    if inspecting:
        wanted: tuple[SeriesRequest, ...] = ()
    else:  # the contract: a line holding a requested name is read
        named = [name for name in KINDS if name.encode() in pieces[number]]
        assume(named)
        wanted = (SeriesRequest(rng.choice(named)),)
    assert error_line(broken, wanted, size) == number + 1


@budget(examples=60)
@given(streams(), st.randoms(use_true_random=False), odds, st.integers(1, 10**6), st.booleans())
def test_a_stream_cut_inside_its_last_line_is_an_error(
    lines: list[Line], rng: random.Random, odd: float, at: int, inspecting: bool
) -> None:
    content = write(lines, rng, odd)
    last_start = content.rstrip(b"\n").rfind(b"\n") + 1
    cut = content[: last_start + at % max(1, len(content) - 1 - last_start)]
    assume(cut[last_start:].strip(b" \t\r"))
    wanted = () if inspecting else (SeriesRequest(lines[-1].metric),)
    assert error_line(cut, wanted, None) == content.count(b"\n", 0, last_start) + 1


def _judged(content: bytes) -> int | None:
    """The line the full parse refuses, or 0 when it reads the stream."""
    try:
        reference.decode(content)
    except reference.Invalid as exc:
        return exc.line
    return 0
