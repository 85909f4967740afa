"""Schema-valid bundle JSON -> records. Shapes are the schema's business (codec checks them
first); this module adds what a schema cannot say: samples in order, shard names unique, and
values a tool can have measured (a file with a negative time or a NaN is unreadable, as
reading the file itself makes it)."""

from __future__ import annotations

import array
import math
from collections import Counter
from typing import Any

from gatekeeper.bundles import (
    ArtifactRecord,
    Bundle,
    BundleError,
    FileEvidence,
    RunIdentity,
    Shard,
    Unreadable,
)
from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, TestResult, TestStatus
from gatekeeper.plausible import check_plausible
from gatekeeper.units import Dimension, Quantity

NON_FINITE: dict[str, float] = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
"""How the bundle writes the numbers JSON has no literal for."""


def _number(value: float | str) -> float:
    return NON_FINITE[value] if isinstance(value, str) else value


def _whole(value: float | None) -> int | None:
    """JSON Schema's integers include 1.0."""
    return None if value is None else int(value)


def _test(raw: dict[str, Any]) -> TestResult:
    duration = raw["duration"]
    return TestResult(
        suite=raw["suite"],
        classname=raw["classname"],
        name=raw["name"],
        file=raw["file"],
        line=_whole(raw["line"]),
        status=TestStatus(raw["status"]),
        flaky=raw["flaky"],
        reruns=int(raw["reruns"]),
        duration=None if duration is None else _number(duration),
        message=raw["message"],
        source=raw["source"],
    )


def _metric(raw: dict[str, Any]) -> Metric:
    stats = {
        key: Quantity(_number(q["value"]), Dimension(q["dimension"]))
        for key, q in raw["stats"].items()
    }
    # sorted: percentiles are read from sorted samples, and the bundle is only data
    samples = array.array("d", sorted(_number(v) for v in raw["samples"]))
    return Metric(
        name=raw["name"],
        tags=dict(raw["tags"]),
        stats=stats,
        kind=raw["kind"],
        aliases=tuple(raw["aliases"]),
        source=raw["source"],
        samples=samples,
        sample_dimension=Dimension(raw["sample_dimension"]),
        failures=tuple(raw["failures"]),
        subseries=raw.get("subseries", False),
    )


def _file(raw: dict[str, Any]) -> FileEvidence:
    parsed = ParsedFile(
        path=raw["path"],
        format=raw["format"],
        tests=tuple(_test(t) for t in raw["tests"]),
        metrics=tuple(_metric(m) for m in raw["metrics"]),
    )
    return FileEvidence(parsed, raw["sha256"])


def _unreadable(raw: dict[str, Any]) -> Unreadable:
    error = raw["error"]
    position = Position(error["file"], _whole(error["line"]), _whole(error["column"]))
    return Unreadable(raw["path"], raw["sha256"], position, error["message"])


def _artifact(raw: dict[str, Any]) -> ArtifactRecord:
    files: list[FileEvidence] = []
    unreadable = [_unreadable(u) for u in raw["unreadable"]]
    for item in raw["files"]:
        evidence = _file(item)
        try:  # the guard reading the file gives: a bundle cannot carry what a file cannot
            files.append(FileEvidence(check_plausible(evidence.parsed), evidence.sha256))
        except EvidenceError as exc:
            path = evidence.parsed.path
            unreadable.append(Unreadable(path, evidence.sha256, exc.position, exc.message))
    return ArtifactRecord(
        format=raw["format"],
        patterns=tuple(raw["patterns"]),
        files=tuple(files),
        unreadable=tuple(unreadable),
    )


def _shard(raw: dict[str, Any]) -> Shard:
    run = raw["run"]
    return Shard(
        name=raw["name"],
        run=RunIdentity(
            run["repository"], run["workflow"], run["job"], run["run_id"], run["run_attempt"]
        ),
        artifacts={key: _artifact(a) for key, a in raw["artifacts"].items()},
    )


def bundle_from_json(data: dict[str, Any], display: str) -> Bundle:
    """The records of a bundle that has passed the schema."""
    shards = [_shard(s) for s in data["shards"]]
    twice = sorted(n for n, count in Counter(s.name for s in shards).items() if count > 1)
    if twice:
        raise BundleError(f"{display}: shard {twice[0]!r} is in the bundle more than once")
    return Bundle(data["sha"], tuple(sorted(shards, key=lambda s: s.name)))
