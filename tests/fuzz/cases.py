"""The cases: every evidence file in the test suite, what gatekeeper reads in it, and
matrices whose benchmarks fail (or pass) on it as it is.

A case is one file to mutate. Its benchmarks come from reading the original once with
gatekeeper: for tests, one that fails (a failing test present, or ``min:`` above the run
count); for metrics, per series and statistic, an upper bound and a lower bound that the
value breaks by a millionth of itself, in a unit of the statistic's kind. A few benchmarks
pass, to hold rewrites to the same verdict. Each benchmark reads the file twice: through an
artifact with the declared format and through one with ``auto``.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import (
    FALLBACK_STATS,
    Metric,
    ParsedFile,
    SeriesRequest,
    TestResult,
    TestStatus,
)
from gatekeeper.matrix.pairing import UNJUDGED
from gatekeeper.parsers import PARSER_MODULES, detect_format, holds_findings, parse_file
from gatekeeper.threshold import ThresholdSyntaxError, parse_threshold
from gatekeeper.units import UNITS, Dimension, Quantity
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "parsers" / "fixtures"
KMTA = REPO / "examples" / "kmta" / "reports"
COMPANIONS = {"estimates.json": ("benchmark.json", "sample.json")}
"""Files a parser reads beside the evidence file (Criterion): mutated as cases of their own."""
COUNTS = frozenset({"count", "rounds", "iterations", "passes", "fails"})
"""Statistics that count things whatever the tool: a bare number, never a time."""
MARGIN = 1e-6
"""How far past the value a bound sits, relative to it: any real change crosses it."""
CHUNK = 120
"""Failing benchmarks per matrix; a case with more gets several matrices, used in turn."""
PASSING = 12
"""At most this many passing benchmarks per case."""
_FROM_SAMPLES = ("count", "avg", "min", "max", "med", "stddev", "p(50)", "p(90)", "p(99)")


@dataclass(frozen=True)
class Case:
    id: str
    """The mutated file, relative to the repository."""
    files: tuple[tuple[str, str], ...]
    """(repository path, path in the case's folder) of every file copied."""
    evidence: str
    """The path the artifacts read, in the case's folder."""
    target: str
    """The path the mutations rewrite, in the case's folder."""
    format: str
    """The declared format."""


def discover() -> list[Case]:
    """A case per file under tests/parsers/fixtures and examples/kmta/reports, but for the
    notes on where they came from (``SOURCES.md``)."""
    found = []
    for base in (FIXTURES, KMTA):
        for path in sorted(p for p in base.rglob("*") if p.is_file() and p.suffix != ".md"):
            found.append(_case(path))
    return found


def _case(path: Path) -> Case:
    folder = path.parent
    evidence = path
    for main, companions in COMPANIONS.items():
        if path.name in companions and (folder / main).is_file():
            evidence = folder / main
    beside = [folder / n for n in COMPANIONS.get(evidence.name, ()) if (folder / n).is_file()]
    base = FIXTURES / "criterion" if FIXTURES / "criterion" in path.parents else folder
    files = tuple((_rel(p, REPO), _rel(p, base)) for p in dict.fromkeys([evidence, path, *beside]))
    return Case(_rel(path, REPO), files, _rel(evidence, base), _rel(path, base), _format(evidence))


def _rel(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix()


def _format(path: Path) -> str:
    try:
        return detect_format(path, path.name)
    except EvidenceError:  # the fixture folder names the format (wrk/refused.txt)
        folder = path.relative_to(FIXTURES).parts[0] if FIXTURES in path.parents else ""
        return folder if folder in PARSER_MODULES else "auto"


def shape(data: bytes, fmt: str) -> str:
    """How the file is built: json, ndjson, xml, csv or text."""
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return "xml"
    if stripped.startswith((b"{", b"[")):
        lines = [line for line in stripped.splitlines() if line.strip()]
        return "ndjson" if fmt in ("k6-ndjson", "go-bench") and len(lines) > 1 else "json"
    return "csv" if fmt in ("jmeter", "locust") else "text"


@dataclass(frozen=True)
class Check:
    """One benchmark of a generated matrix."""

    id: str
    expect: str
    """fail or pass: what it does on the original file."""
    body: dict[str, Any]
    """The benchmark as the matrix file writes it, without its id."""
    signed: bool = False
    """Its statistic may be negative: a number without a unit (a k6 gauge, a figure of the
    tool's own)."""


def learn(case: Case, folder: Path) -> ParsedFile | None:
    """What gatekeeper reads in the original, with raw samples for every series (as check
    reads them); None when it cannot read it at all."""
    path = folder / case.evidence
    try:
        first = parse_file(path, case.evidence, case.format)
        wanted = [SeriesRequest(m.name, tuple(sorted(m.tags.items()))) for m in first.metrics]
        return parse_file(path, case.evidence, case.format, wanted) if wanted else first
    except EvidenceError:
        return None


def names(case: Case, folder: Path) -> set[str] | None:
    """Every test and series gatekeeper reads in the evidence file; None when it cannot."""
    try:
        parsed = parse_file(folder / case.evidence, case.evidence, case.format)
    except EvidenceError:
        return None
    tests = {"::".join((t.suite, t.classname, t.name)) for t in parsed.tests}
    # a finding moved to another file or rule, or an analyser renamed, is a rename too
    findings = {f"finding {f.tool} {f.rule} {f.file}" for f in parsed.findings}
    runs = {f"analysis {a.tool}" for a in parsed.analyses}
    return tests | {m.label for m in parsed.metrics} | findings | runs


def stream_metrics(data: bytes) -> set[str] | None:
    """The metric names a JSON-lines stream's lines give, as json.loads reads each line; None
    when a line does not decode. A flip that renames a k6 sample's metric (one with no
    declaration) is refused by gatekeeper's full reading but passed over where a matrix asks
    for other metrics: a rename either way, found here by an independent reading."""
    found: set[str] = set()
    for line in data.splitlines():
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            return None
        if isinstance(value, dict) and isinstance(value.get("metric"), str):
            found.add(value["metric"])
    return found


class Spec(NamedTuple):
    """A benchmark before it is given an id and an artifact."""

    expect: str
    body: dict[str, Any]
    """{"tests": {...}} or {"metric": {...}, "threshold": ...}, without ``from``."""
    signed: bool = False


def checks(parsed: ParsedFile, rng: random.Random) -> list[Check]:
    """The failing and passing benchmarks for one file, each for both artifacts."""
    specs = [*_test_specs(parsed.tests), *_metric_specs(parsed.metrics, rng),
             *_finding_specs(parsed)]  # fmt: skip
    passing = [s for s in specs if s.expect == "pass"]
    rng.shuffle(passing)
    chosen = [s for s in specs if s.expect == "fail"] + passing[:PASSING]
    return [
        Check(
            f"{spec.expect[0]}{index}-{artifact}",
            spec.expect,
            _bind(spec.body, artifact),
            spec.signed,
        )
        for index, spec in enumerate(chosen)
        for artifact in ("declared", "auto")
    ]


def _bind(body: dict[str, Any], artifact: str) -> dict[str, Any]:
    if "tests" in body:
        return {"tests": {"from": artifact, **body["tests"]}}
    if "findings" in body:
        return {"findings": {"from": artifact, **body["findings"]}}
    return {"metric": {"from": artifact, **body["metric"]}, "threshold": body["threshold"]}


def _test_specs(tests: Sequence[TestResult]) -> Iterator[Spec]:
    if not tests:
        return
    run = [t for t in tests if t.status is not TestStatus.SKIPPED]
    failed = [t for t in run if t.status in (TestStatus.FAILED, TestStatus.ERROR)]
    if failed:
        yield Spec("fail", {"tests": {}})
    yield Spec("fail", {"tests": {"min": len(run) + 1}})
    if run:
        rate = math.floor((len(run) - len(failed)) / len(run) * 100 * 1e6) / 1e6
        at_most = {"max_skipped": len(tests) - len(run)}
        yield Spec("pass", {"tests": {"min": len(run), "pass_rate": f"{rate}%", **at_most}})
    by_class: dict[str, list[TestResult]] = {}
    for test in run:
        by_class.setdefault(test.classname, []).append(test)
    for name, members in by_class.items():
        if name and all(t not in failed for t in members):
            yield Spec("pass", {"tests": {"class": name, "min": len(members)}})
    for test in run:  # a name exactly as inspect shows it selects that test
        if test not in failed and test.name:
            same = [t for t in run if (t.classname, t.name) == (test.classname, test.name)]
            selector = {"class": test.classname} if test.classname else {}
            yield Spec("pass", {"tests": {**selector, "name": test.name, "min": len(same)}})


def _finding_specs(parsed: ParsedFile) -> Iterator[Spec]:
    """For an analysis: one finding fewer than there are allowed fails, in all, per level and
    per rule; as many passes."""
    if not parsed.analyses:
        return
    counted = [f for f in parsed.findings if not f.suppressed]
    order = ("note", "warning", "error")
    selections: list[tuple[dict[str, Any], int]] = [({}, len(counted))]
    for level in order:
        at_least = [f for f in counted if order.index(f.level) >= order.index(level)]
        selections.append(({"level": level}, len(at_least)))
    # per rule (a file glob would need the files): a rule id with * or ? is no exact selector
    for rule in sorted({f.rule for f in counted if f.rule and not {"*", "?"} & set(f.rule)}):
        selections.append(({"rule": rule}, sum(f.rule == rule for f in counted)))
    for selection, found in selections:
        if found:
            yield Spec("fail", {"findings": {**selection, "max": found - 1}})
        yield Spec("pass", {"findings": {**selection, "max": found}})


def _metric_specs(metrics: Sequence[Metric], rng: random.Random) -> Iterator[Spec]:
    labels = Counter(m.label for m in metrics)
    seen: set[str] = set()
    for metric in metrics:
        if metric.label in seen:
            continue
        seen.add(metric.label)
        stats = dict(metric.stats)
        for name in _FROM_SAMPLES:  # what check computes from raw samples when asked
            value = sample_statistic(metric.samples, name)
            if value is not None and name not in stats:
                stats[name] = Quantity(value, metric.sample_dimension)
        selector, bounds = {"name": metric.label}, []
        for name, quantity in sorted(stats.items()):
            if not math.isfinite(quantity.value) or not _reads(stats, name):
                continue
            dimension = Dimension.COUNT if name in COUNTS else quantity.dimension
            low, high = (quantity.value - abs(quantity.value) * MARGIN,
                          quantity.value + abs(quantity.value) * MARGIN)  # fmt: skip
            signed = dimension is Dimension.NUMBER
            for op, limit in (("<", low), (">", high)):
                threshold = _threshold(name, op, limit, dimension, rng)
                yield Spec("fail", {"metric": selector, "threshold": threshold}, signed)
            bounds += [_threshold(name, "<=", high, dimension, rng),
                       _threshold(name, ">=", low, dimension, rng)]  # fmt: skip
        if bounds and labels[metric.label] == 1:  # a label twice: both series must pass
            yield Spec("pass", {"metric": selector, "threshold": rng.choice(bounds)})


def sample_statistic(ordered: Sequence[float], name: str) -> float | None:
    """A statistic of ascending raw samples as the README documents it (k6's way: population
    standard deviation, percentiles interpolated at rank (n-1)p): computed here, not taken
    from gatekeeper, so a bound derived from it also checks gatekeeper's arithmetic."""
    if not ordered:
        return None
    if name == "count":
        return float(len(ordered))
    if name in ("min", "max"):
        return ordered[0] if name == "min" else ordered[-1]
    if name in ("avg", "stddev"):
        mean = math.fsum(ordered) / len(ordered)
        if name == "avg":
            return mean
        return math.sqrt(math.fsum((x - mean) ** 2 for x in ordered) / len(ordered))
    percent = 50.0 if name == "med" else float(name[2:-1])
    rank = (len(ordered) - 1) * percent / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _reads(stats: dict[str, Quantity], name: str) -> bool:
    """Whether a threshold on ``name`` reads exactly that statistic (``mean`` reads ``avg``)."""
    try:
        canonical = parse_threshold(f"{name} < 1").statistic
    except ThresholdSyntaxError:
        return False
    for key in (canonical, *FALLBACK_STATS.get(canonical, ())):
        if key in stats:
            return key == name or stats[key] == stats[name]
    return False


def _threshold(stat: str, op: str, value: float, dimension: Dimension, rng: random.Random) -> str:
    units = [u for u, (d, _) in UNITS.items() if d is dimension]
    if not units:
        return f"{stat} {op} {value!r}"
    unit = rng.choice(units)
    return f"{stat} {op} {value / UNITS[unit][1]!r}{unit}"


def matrices(case: Case, found: Sequence[Check]) -> list[str]:
    """Matrix files (YAML text) holding every check: failing ones split in chunks, each with
    all the passing ones. A failing benchmark sits in phase ``fail``, a passing one in
    ``pass``, which is the enforced gate: the original exits 0 when it has passing ones."""
    passing = [c for c in found if c.expect == "pass"]
    failing = [c for c in found if c.expect == "fail"]
    chunks = [failing[i : i + CHUNK] for i in range(0, len(failing), CHUNK)] or [[]]
    return [_matrix(case, passing, chunk) for chunk in chunks]


def _matrix(case: Case, passing: Sequence[Check], failing: Sequence[Check]) -> str:
    phases, cells = [], {}
    for phase, members in (("pass", passing), ("fail", failing)):
        if members:
            phases.append({"id": phase, "name": phase.title()})
            cells[phase] = {"goal": f"{phase} on the original",
                            "benchmarks": [{"id": c.id, **c.body} for c in members]}  # fmt: skip
    if not phases:  # nothing to judge in the file: one benchmark, missing
        phases = [{"id": "fail", "name": "Fail"}]
        # what the declared format holds: a file refused whole (semgrep's word severities)
        kind = "findings" if holds_findings(case.format) else "tests"
        cells = {"fail": {"goal": "read the file", "benchmarks": [
            {"id": "read", kind: {"from": "declared"}}]}}  # fmt: skip
    waivers = []
    if case.format in UNJUDGED:  # validate wants a metric beside a fault that judges no health
        for phase, cell in cells.items():
            health = {"id": "health", "metric": {"from": "auto", "name": "health"}}
            cell["benchmarks"].append({**health, "threshold": "value >= 1"})
            waivers.append({"benchmark": f"fuzz/{phase}/health", "reason": "not fuzzed here",
                            "approved_by": "fuzz", "expires": "2999-12-31"})  # fmt: skip
    document = {
        "version": 1,
        "project": f"fuzz {case.id}",
        "current": phases[0]["id"],
        "phases": phases,
        "artifacts": {
            "declared": {"format": case.format, "paths": [case.evidence]},
            "auto": {"format": "auto", "paths": [case.evidence]},
        },
        "swimlanes": [{"id": "fuzz", "name": "Fuzz", "cells": cells}],
        **({"waivers": waivers} if waivers else {}),
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1000)
