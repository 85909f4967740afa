"""History lines: built from a report, held to schemas/history.schema.json, read back strictly
line by line (a bad line is a problem naming its file and line, never a crash or a record)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

from gatekeeper.history.model import (
    TagMark,
    bounded_lines,
    build,
    first_reached,
    read_blobs,
    read_paths,
)
from gatekeeper.history.records import Evaluation, Problem, dumps, from_report, read_lines
from gatekeeper.reporters.common import verdict
from tests.reporters.scenarios import SCENARIOS

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "schemas" / "history.schema.json").read_text()
)
WHEN = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.timezone.utc)


def _line(name: str = "failing", *, key: str = "k1", when: dt.datetime = WHEN) -> str:
    scenario = SCENARIOS[name]()
    report = scenario.report
    built = from_report(
        report, verdict(report, scenario.exit_code), commit="a" * 40, key=key, when=when,
        ref="refs/heads/main", run_url="https://github.com/o/r/actions/runs/7",
    )  # fmt: skip
    return dumps(built)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_scenario_line_fits_the_schema_and_reads_back(name: str) -> None:
    line = _line(name)
    assert "\n" not in line
    jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(line))
    [read] = read_lines("h.jsonl", [line.encode() + b"\n"])
    assert isinstance(read, Evaluation), read
    report = SCENARIOS[name]().report
    assert read.stands_at == report.stands_at
    assert read.passed == tuple(g.phase.id for g in report.gates if g.passed)
    assert [b.ref for b in read.benchmarks] == [b.benchmark.ref for b in report.benchmarks]
    assert read.source == "h.jsonl:1"


def test_values_are_base_units_beside_the_display() -> None:
    read = next(read_lines("h", [_line("failing").encode()]))
    assert isinstance(read, Evaluation)
    points = [p for b in read.benchmarks for p in b.points if p.unit == "s"]
    assert points, "the failing scenario measures times"
    for point in points:
        assert point.value is not None and point.actual
        # the display string is the same value in a friendlier unit
        found = re.fullmatch(r"([0-9.,]+) ?(ns|µs|ms|s)", point.actual)
        assert found, point.actual
        shown, unit = float(found[1].replace(",", "")), found[2]
        scale = {"s": 1, "ms": 1e-3, "µs": 1e-6, "ns": 1e-9}[unit]
        assert shown * scale == pytest.approx(point.value, rel=0.01)


BAD = [
    (b"{not json", "not JSON"),
    (b"[1, 2]", "the line: expected an object"),
    (b'{"history_version": 2}', "'history_version' 2"),
    (b"\xff\xfe", "not UTF-8"),
    (b'{"a": NaN}', "NaN is not a number JSON allows"),
    (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
]


@pytest.mark.parametrize(("raw", "message"), BAD)
def test_a_bad_line_is_a_problem_with_its_line(raw: bytes, message: str) -> None:
    good = _line().encode()
    items = list(read_lines("h.jsonl", [good, b"\n", raw, good]))
    assert isinstance(items[0], Evaluation) and isinstance(items[2], Evaluation)
    problem = items[1]
    assert isinstance(problem, Problem)
    assert (problem.file, problem.line) == ("h.jsonl", 3)
    assert message in problem.message, problem.message


def _mutated(change: str, value: object) -> bytes:
    obj = json.loads(_line())
    target = obj
    *path, last = change.split(".")
    for part in path:
        target = target[int(part)] if part.isdigit() else target[part]
    target[last] = value
    return json.dumps(obj).encode()


@pytest.mark.parametrize(
    ("change", "value", "message"),
    [
        ("date", "yesterday", "'date' 'yesterday'"),
        ("date", "2026-12-01T09:30:00", "expected a time zone"),
        ("benchmarks.0.outcome", "green", "'outcome'"),
        ("benchmarks.0.ref", "a/b", "expected swimlane/phase/benchmark"),
        ("phases.0.gate", "maybe", "'gate'"),
        ("benchmarks.0.points", "many", "'points': expected a list"),
        ("key", "", "'key'"),
        ("commit", 7, "'commit'"),
    ],
)
def test_a_wrong_field_is_named(change: str, value: object, message: str) -> None:
    [problem] = read_lines("h", [_mutated(change, value)])
    assert isinstance(problem, Problem) and message in problem.message, problem


def test_impossible_numbers_are_problems() -> None:
    obj = json.loads(_line())
    bench = next(b for b in obj["benchmarks"] if b["points"])
    bench["points"][0]["value"] = 1e400  # json reads it as infinity
    [problem] = read_lines("h", [json.dumps(obj).encode().replace(b"Infinity", b"1e400")])
    assert isinstance(problem, Problem) and "finite number" in problem.message


def test_text_from_a_line_is_one_line_and_bounded() -> None:
    obj = json.loads(_line())
    obj["run_url"] = "x\n::error::owned\n" + "y" * 10000
    [read] = read_lines("h", [json.dumps(obj).encode()])
    assert isinstance(read, Evaluation) and read.run_url is not None
    assert "\n" not in read.run_url and len(read.run_url) <= 2000


def test_an_overlong_line_is_skipped_without_being_held() -> None:
    data = _line().encode() + b"\n" + b"x" * 50 + b"\n" + _line(key="k2").encode() + b"\n"
    lines = list(bounded_lines(io.BytesIO(data), limit=40))
    assert [len(x) for x in lines][1] <= 41
    items = list(read_lines("h", bounded_lines(io.BytesIO(b"y" * 100 + b"\n"), limit=40)))
    assert isinstance(items[0], Problem)


def test_history_orders_by_date_and_keeps_a_key_once(tmp_path: Path) -> None:
    late = _line(key="late", when=WHEN + dt.timedelta(days=2))
    early = _line(key="early", when=WHEN)
    (tmp_path / "2026-12.jsonl").write_text(f"{late}\n{early}\n{early}\n", encoding="utf-8")
    (tmp_path / "2026-11.jsonl").write_text("oops\n", encoding="utf-8")
    history = read_paths([tmp_path])
    assert [e.key for e in history.evaluations] == ["early", "late"]
    assert [str(p) for p in history.problems] == [
        f"{tmp_path / '2026-11.jsonl'}:1: not JSON: Expecting value (column 1)"
    ]
    assert read_blobs([("b:2026-12.jsonl", f"{late}\n{early}\n".encode())]).evaluations == tuple(
        build(read_lines("b:2026-12.jsonl", [late.encode(), early.encode()])).evaluations
    )


def test_trend_gathers_each_series_oldest_first() -> None:
    lines = [_line(key=f"k{i}", when=WHEN + dt.timedelta(days=i)) for i in (3, 1, 2)]
    history = build(read_lines("h", [x.encode() for x in lines]))
    ref = next(r for r in history.benchmark_refs() if history.trend(r))
    for points in history.trend(ref).values():
        assert [e.key for e, _ in points] == ["k1", "k2", "k3"]


def test_first_reached_takes_the_earlier_of_gate_and_tag() -> None:
    lines = [_line("passing", key=f"k{i}", when=WHEN + dt.timedelta(days=i)) for i in (1, 2)]
    history = build(read_lines("h", [x.encode() for x in lines]))
    phases = ["stone", "bronze", "iron"]
    passed = history.evaluations[0].passed
    assert passed, "the passing scenario passes some gate"
    reached = first_reached(history, phases)
    assert {p: r.date for p, r in reached.items()} == {
        p: WHEN + dt.timedelta(days=1) for p in passed
    }
    tag = TagMark(passed[0], f"phase/{passed[0]}", WHEN - dt.timedelta(days=30), "c" * 40)
    late_tag = TagMark("iron", "phase/iron", WHEN + dt.timedelta(days=40), "d" * 40)
    reached = first_reached(history, phases, [tag, late_tag])
    assert reached[passed[0]].by == "tag" and reached[passed[0]].date == tag.date
    if "iron" in passed:
        assert reached["iron"].by == "gate"
    else:
        assert reached["iron"].by == "tag"
    assert first_reached(history, ["other"], [tag]) == {}
