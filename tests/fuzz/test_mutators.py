"""The fuzzer's own footing: a rewrite said to keep the meaning keeps it (as Python's own
json, csv and XML canonicalisation read it), mutations replay exactly, and every kind of
mutation finds something to work on in the suite's files."""

from __future__ import annotations

import csv
import io
import json
import math
from xml.etree.ElementTree import canonicalize

import pytest

from tests.conftest import REPO
from tests.fuzz import lines
from tests.fuzz.cases import Case, discover, shape
from tests.fuzz.mutators import KINDS, Doc, Effect, mutate

CASES = discover()
TURNS = 3
"""Mutations of each kind tried per file."""


def _doc(case_id: str, fmt: str) -> Doc:
    data = (REPO / case_id).read_bytes()
    return Doc(data, shape(data, fmt))


def _json(text: str) -> object:
    def finite(value: str) -> object:
        return {"NaN": "nan", "Infinity": "inf", "-Infinity": "-inf"}[value]

    return json.loads(text, parse_constant=finite)


def _json_or_text(line: str) -> object:
    try:
        return _json(line)
    except ValueError:
        return line


def _meaning(doc: Doc, data: bytes) -> object:
    """What an independent reader makes of the bytes."""
    text = data.decode("utf-8").removeprefix("\ufeff")
    if doc.shape == "json":
        return _json(text)
    if doc.shape == "ndjson":  # a fixture's broken line (issue9-corrupted) must stay as it is
        return [_json_or_text(line) for line in text.splitlines() if line.strip()]
    if doc.shape == "xml":
        return canonicalize(text)
    if doc.shape == "csv":
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=lines.delimiter(text)))
    return text


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rewrites_keep_the_meaning(case: Case) -> None:
    doc = _doc(case.id, case.format)
    for index in range(len(KINDS[doc.shape]) * TURNS):
        mutation = mutate(doc, "self-test", case.id, index)
        if mutation.effect is Effect.SAME:
            assert _meaning(doc, mutation.data) == _meaning(doc, doc.data), (
                mutation.kind,
                mutation.detail,
            )


def test_mutations_replay_exactly() -> None:
    case = next(c for c in CASES if c.id.endswith("splitter-summary.json"))
    doc = _doc(case.id, case.format)
    first = [mutate(doc, "7", case.id, i) for i in range(40)]
    again = [mutate(doc, "7", case.id, i) for i in range(40)]
    other = [mutate(doc, "8", case.id, i) for i in range(40)]
    assert first == again
    assert first != other


def test_every_kind_works_somewhere() -> None:
    """A kind that never applies is a kind that tests nothing."""
    for kind_shape, kinds in KINDS.items():
        docs = [_doc(c.id, c.format) for c in CASES]
        docs = [d for d in docs if d.shape == kind_shape]
        applied = {m.kind for d in docs for i in range(len(kinds) * TURNS)
                   for m in [mutate(d, "self-test", "x", i)]}  # fmt: skip
        assert len(applied - {"none"}) == len(kinds), (kind_shape, sorted(applied))


def test_a_bound_is_crossed_by_any_real_change() -> None:
    from tests.fuzz.cases import MARGIN

    assert 0 < MARGIN < 1e-3
    assert not math.isclose(1.0, 1.0 + MARGIN, rel_tol=1e-9)  # gatekeeper's own tolerance


def test_sample_statistics_are_computed_as_documented() -> None:
    from tests.fuzz.cases import sample_statistic

    ordered = [1.0, 2.0, 3.0, 4.0]
    assert sample_statistic(ordered, "count") == 4
    assert sample_statistic(ordered, "med") == 2.5
    assert sample_statistic(ordered, "p(90)") == pytest.approx(3.7)  # rank (n-1)p = 2.7
    assert sample_statistic(ordered, "stddev") == pytest.approx(math.sqrt(1.25))  # population
    assert sample_statistic([], "avg") is None
