"""Saved Prometheus answers: what curl of /api/v1/query and /api/v1/query_range saves, and
what ``promtool query instant|range -o json`` prints.

The fixtures under fixtures/prometheus/ are real answers of Prometheus 2.42 (Debian's
package) holding the series tests/test_prometheus.py backfills (``up`` 1 every minute for a
week from 2025-12-01, 0 for 30 minutes), asked at 2025-12-08T00:00:00Z. Broken, truncated and
altered answers must never yield a series a threshold can pass on.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import ParsedFile
from gatekeeper.parsers import AUTO, parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "prometheus"
AT = dt.datetime(2025, 12, 8, tzinfo=dt.timezone.utc)
AVAILABILITY = 1 - 30 / (7 * 24 * 60)
TAGS = {"instance": "a:80", "job": "api"}
GOOD = (
    "availability-7d.json",
    "instant-up.json",
    "range-up.json",
    "scalar.json",
    "promtool-instant.json",
    "promtool-range.json",
)


def _parse(path: Path, fmt: str = AUTO) -> ParsedFile:
    return parse_file(path, path.name, fmt)


def _values(parsed: ParsedFile) -> dict[str, dict[str, float]]:
    return {m.label: {k: q.value for k, q in m.stats.items()} for m in parsed.metrics}


@pytest.mark.parametrize("name", ["availability-7d.json", "promtool-instant.json"])
def test_a_computed_series_is_named_result(name: str) -> None:
    parsed = _parse(FIXTURES / name)
    assert parsed.format == "prometheus"
    assert [(m.name, dict(m.tags)) for m in parsed.metrics] == [("result", TAGS)]
    assert parsed.metrics[0].stats["value"].value == pytest.approx(AVAILABILITY, rel=1e-12)
    assert parsed.metrics[0].stats["value"].dimension.value == "number"
    assert parsed.measured_at == AT


def test_an_instant_series_keeps_its_name_and_labels() -> None:
    parsed = _parse(FIXTURES / "instant-up.json")
    assert _values(parsed) == {"up{instance:a:80,job:api}": {"value": 1.0}}


@pytest.mark.parametrize("name", ["range-up.json", "promtool-range.json"])
def test_a_range_series_has_samples_and_their_statistics(name: str) -> None:
    parsed = _parse(FIXTURES / name)
    (metric,) = parsed.metrics
    assert len(metric.samples) == 13
    stats = {k: q.value for k, q in metric.stats.items()}
    assert stats == {"value": 1, "last": 1, "min": 1, "max": 1, "avg": 1, "count": 13}
    assert parsed.measured_at == AT  # the window's end


def test_a_scalar_is_one_unnamed_series() -> None:
    assert _values(_parse(FIXTURES / "scalar.json")) == {"result": {"value": 1.0}}


def test_an_empty_result_is_no_series() -> None:
    parsed = _parse(FIXTURES / "empty.json")
    assert (parsed.metrics, parsed.measured_at) == ((), None)


def test_promtools_empty_and_scalar_output_need_the_format_stated(tmp_path: Path) -> None:
    (tmp_path / "empty.json").write_text("[]\n", encoding="utf-8")
    (tmp_path / "scalar.json").write_text('[1765152000,"2"]\n', encoding="utf-8")
    with pytest.raises(EvidenceError, match="cannot tell the format"):
        _parse(tmp_path / "scalar.json")
    assert _parse(tmp_path / "empty.json", "prometheus").metrics == ()
    assert _values(_parse(tmp_path / "scalar.json", "prometheus")) == {"result": {"value": 2.0}}


def test_a_refused_query_is_an_error_with_the_servers_reason() -> None:
    with pytest.raises(EvidenceError) as caught:
        _parse(FIXTURES / "bad-query.json")
    assert str(caught.value) == (
        'bad-query.json: the server refused the query (bad_data): invalid parameter "query": '
        "1:4: parse error: unexpected end of input inside braces"
    )


def _instant(value: object) -> dict[str, Any]:
    series = {"metric": {"__name__": "up"}, "value": [1765152000, value]}
    return {"status": "success", "data": {"resultType": "vector", "result": [series]}}


@pytest.mark.parametrize(
    ("document", "said"),
    [
        (_instant("NaN"), "the value is NaN, not a measurement"),
        (_instant("+Inf"), "the value is +Inf"),
        (_instant("-Inf"), "the value is -Inf"),
        (_instant("fast"), "'fast' is not a number"),
        (_instant(None), "None' is not a number"),
        (_instant(True), "True' is not a number"),
        ({**_instant("1"), "warnings": ["no data from store x"]}, "may be partial"),
        ({"status": "success", "data": {"resultType": "string", "result": [1, "x"]}}, "string"),
        ({"status": "partial", "data": {"resultType": "vector", "result": []}}, "status"),
        ({"status": "error", "errorType": "timeout", "error": "query timed out"}, "timed out"),
        (
            {
                "status": "success",
                "data": {
                    "resultType": "vector",
                    "result": [{"metric": {}, "histogram": [1, {"count": "2"}]}],
                },
            },
            "native histogram",
        ),
        (
            {
                "status": "success",
                "data": {"resultType": "matrix", "result": [{"metric": {}, "values": []}]},
            },
            "no values",
        ),
        (
            {
                "status": "success",
                "data": {"resultType": "matrix", "result": [{"metric": {}, "value": [1, "1"]}]},
            },
            "a matrix answer holds a series with value",
        ),
    ],
)
def test_what_is_no_measurement_is_an_error(
    tmp_path: Path, document: dict[str, Any], said: str
) -> None:
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        _parse(path, "prometheus")
    assert said in str(caught.value)


def _passable(path: Path) -> bool:
    """Whether the file yields a series whose value could pass a threshold."""
    try:
        parsed = _parse(path, "prometheus")
    except EvidenceError:
        return False
    return any("value" in m.stats for m in parsed.metrics)


@pytest.mark.parametrize("name", GOOD)
def test_no_truncation_of_an_answer_is_read(tmp_path: Path, name: str) -> None:
    """Every prefix of an answer (a download cut short) is an error, never a series."""
    data = (FIXTURES / name).read_bytes()
    path = tmp_path / name
    readable = []
    for end in range(len(data.rstrip())):
        path.write_bytes(data[:end])
        if _passable(path):
            readable.append(end)
    assert readable == []


def _mutations(document: Any) -> list[Any]:
    """The document with each scalar, in turn, replaced by what breaks it, and each member
    of each object, in turn, left out."""
    found: list[Any] = []
    breakers: list[object] = ["NaN", "+Inf", "-Inf", "", None, True, [], {}, "1e999", "x"]

    def walk(node: Any, rebuild: Any) -> None:
        if isinstance(node, dict):
            for key in node:
                rest = {k: v for k, v in node.items() if k != key}
                found.append(rebuild(rest))
                walk(node[key], lambda new, key=key: rebuild({**node, key: new}))
        elif isinstance(node, list):
            for index, item in enumerate(node):

                def put(new: Any, index: int = index) -> Any:
                    return rebuild([*node[:index], new, *node[index + 1 :]])

                walk(item, put)
        else:
            found.extend(rebuild(b) for b in breakers if b != node)

    walk(document, lambda new: new)
    return found


@pytest.mark.parametrize("name", GOOD)
def test_a_broken_value_or_a_missing_member_never_passes(tmp_path: Path, name: str) -> None:
    """Each value replaced by NaN, an infinity, text, null, ... and each member left out:
    the answer is an error, or yields no series with a value, or yields each series it shares
    with the answer as it was (a label's value changed is another series) with the same
    values."""
    document = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    original = _values(_parse(FIXTURES / name))
    path = tmp_path / name
    changed = []
    for mutated in _mutations(document):
        path.write_text(json.dumps(mutated), encoding="utf-8")
        if not _passable(path):
            continue
        values = _values(_parse(path, "prometheus"))
        if any(values[label] != original[label] for label in values.keys() & original.keys()):
            changed.append(json.dumps(mutated))
    assert changed == []
