"""Schema-valid bundle JSON -> records. Shapes are the schema's business (codec checks them
first); this module adds what a schema cannot say: samples in order, shard names unique,
values a tool can have measured (a file with a negative time or a NaN is unreadable, as
reading the file itself makes it), and counts that can have been counted (a selection that
runs more tests than it matched, or lists other tests as failing than it counts, is refused,
named by its key path), as is a finding of an analyser the file records no run of."""

from __future__ import annotations

import array
import datetime as dt
import math
from collections import Counter
from typing import Any

from gatekeeper.bundles import (
    SELECTION_KEYS,
    ArtifactRecord,
    Bundle,
    BundleError,
    CountedSelection,
    FileEvidence,
    RunIdentity,
    SelectionKey,
    Shard,
    Unreadable,
)
from gatekeeper.bundles.validate import key_path
from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import (
    Analysis,
    Finding,
    Metric,
    ParsedFile,
    QueryRecord,
    TestResult,
    TestStatus,
)
from gatekeeper.model import FlakyPolicy, TestCriterion
from gatekeeper.plausible import check_plausible
from gatekeeper.signoffs import Membership, RecordState, Review, SignoffRecord, TeamMember
from gatekeeper.tally import CLOSE_NAMES, MAX_FAILED_KEPT, counts_against
from gatekeeper.units import Dimension, Quantity

NON_FINITE: dict[str, float] = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
"""How the bundle writes the numbers JSON has no literal for."""


def _number(value: float | str) -> float:
    return NON_FINITE[value] if isinstance(value, str) else value


def _whole(value: float | None) -> int | None:
    """JSON Schema's integers include 1.0."""
    return None if value is None else int(value)


class _Impossible(Exception):
    """What no collecting can have given (counts, a finding without its run), named by key path."""


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


def _finding(raw: dict[str, Any]) -> Finding:
    # positional, and the pairs by map: an analyser can report tens of thousands
    severity = raw["severity"]
    pairs: tuple[tuple[str, str], ...] = tuple(map(tuple, raw["fingerprints"]))
    return Finding(
        raw["tool"], raw["rule"], raw["level"], raw["file"], _whole(raw["line"]), raw["message"],
        pairs, raw["context"], raw["suppressed"], None if severity is None else float(severity),
        raw["source"], raw["placed"],
    )  # fmt: skip


def _analysis(raw: dict[str, Any]) -> Analysis:
    return Analysis(raw["tool"], raw["version"], tuple(raw["failures"]), raw["severities"])


def _file(raw: dict[str, Any], path: tuple[Any, ...]) -> FileEvidence:
    analyses = tuple(_analysis(a) for a in raw["analyses"])
    findings = tuple(_finding(f) for f in raw["findings"])
    runs = {a.tool for a in analyses}
    for index, finding in enumerate(findings):
        if finding.tool not in runs:  # reading a file gives each finding its run's tool
            where = key_path((*path, "findings", index, "tool"))
            raise _Impossible(f"{where}: {finding.tool!r} has no run in the file's analyses")
    parsed = ParsedFile(
        path=raw["path"],
        format=raw["format"],
        metrics=tuple(_metric(m) for m in raw["metrics"]),
        streamed_tests=int(raw["tests"]),
        findings=findings,
        analyses=analyses,
        measured_at=_moment(raw["measured_at"], path),
        time_error=raw["time_error"],
        query=_query(raw.get("query")),
    )
    return FileEvidence(parsed, raw["sha256"])


def _moment(value: str | None, path: tuple[Any, ...]) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError as exc:  # the schema's pattern lets through a 13th month
        where = key_path((*path, "measured_at"))
        raise _Impossible(f"{where}: {value!r} is not a real date and time") from exc


def _query(raw: dict[str, Any] | None) -> QueryRecord | None:
    if raw is None:
        return None
    return QueryRecord(
        raw["query"], raw["server"], raw["time"], raw["range"], raw["step"], raw["response"]
    )


def _unreadable(raw: dict[str, Any]) -> Unreadable:
    error = raw["error"]
    position = Position(error["file"], _whole(error["line"]), _whole(error["column"]))
    return Unreadable(raw["path"], raw["sha256"], position, error["message"])


def _selection(raw: dict[str, Any], tests: int, path: tuple[Any, ...]) -> CountedSelection:
    """A selection whose counts can have been counted from ``tests`` test cases."""
    select = raw["select"]
    globs = [tuple(select[key]) for key in SELECTION_KEYS]
    key = (globs[0], globs[1], globs[2], globs[3], select["flaky"])
    counts = {name: int(raw[name]) for name in ("matched", "skipped", "run", "failed", "flaky")}
    failing = tuple(_test(t) for t in raw["failing"])
    unmatched = raw["unmatched"]

    def refuse(where: tuple[Any, ...], why: str) -> _Impossible:
        return _Impossible(f"{key_path((*path, *where))}: {why}")

    if counts["matched"] > tests:
        raise refuse(("matched",), f"{counts['matched']} tests matched of {tests} in the files")
    if counts["skipped"] + counts["run"] != counts["matched"]:
        raise refuse(("run",), "skipped and run tests do not add up to those matched")
    for name in ("failed", "flaky"):
        if counts[name] > counts["run"]:
            raise refuse((name,), f"{counts[name]} {name} of {counts['run']} run")
    if len(failing) != min(counts["failed"], MAX_FAILED_KEPT):
        why = f"{len(failing)} tests listed for {counts['failed']} failed"
        raise refuse(("failing",), f"{why} (the first {MAX_FAILED_KEPT} are listed)")
    policy = TestCriterion("", flaky=FlakyPolicy(select["flaky"]))
    for index, test in enumerate(failing):
        if not counts_against(policy, test):
            raise refuse(("failing", index), f"a {test.status.value} test does not count against")
    if (unmatched is None) != (counts["matched"] > 0):
        why = "null when, and only when, a test matched"
        raise refuse(("unmatched",), why)
    close: dict[str, tuple[str, ...]] | None = None
    if unmatched is not None:
        close = {}
        for name, values in unmatched.items():
            written = globs[SELECTION_KEYS.index(name)]
            if not written or len(values) > CLOSE_NAMES * len(written):
                raise refuse(("unmatched", name), f"more values than {name} globs can suggest")
            close[name] = tuple(values)
    return CountedSelection(key, **counts, failing=failing, unmatched=close)


def _artifact(raw: dict[str, Any], path: tuple[Any, ...]) -> ArtifactRecord:
    files: list[FileEvidence] = []
    unreadable = [_unreadable(u) for u in raw["unreadable"]]
    for index, item in enumerate(raw["files"]):
        evidence = _file(item, (*path, "files", index))
        try:  # the guard reading the file gives: a bundle cannot carry what a file cannot
            files.append(FileEvidence(check_plausible(evidence.parsed), evidence.sha256))
        except EvidenceError as exc:
            name = evidence.parsed.path
            unreadable.append(Unreadable(name, evidence.sha256, exc.position, exc.message))
    tests = sum(int(item["tests"]) for item in raw["files"])
    selections = tuple(
        _selection(item, tests, (*path, "selections", index))
        for index, item in enumerate(raw["selections"])
    )
    seen: set[SelectionKey] = set()
    for index, counted in enumerate(selections):
        if counted.key in seen:
            where = key_path((*path, "selections", index, "select"))
            raise _Impossible(f"{where}: the same selection is counted more than once")
        seen.add(counted.key)
    return ArtifactRecord(
        format=raw["format"],
        patterns=tuple(raw["patterns"]),
        files=tuple(files),
        unreadable=tuple(unreadable),
        selections=selections,
    )


def signoff_from_json(path: str, raw: dict[str, Any]) -> SignoffRecord:
    """One record's sign-off facts, as ``codec.signoff_record`` writes them."""
    return SignoffRecord(
        path, raw["commit"], RecordState(raw["state"]), raw["reason"], raw["changed_in"],
        _whole(raw["pull"]), raw["author"], raw["last_change"],
        tuple(
            Review(r["login"], r["state"], r["submitted_at"], r["commit"], r["current"])
            for r in raw["reviews"]
        ),
        tuple(
            TeamMember(m["team"], m["login"], Membership(m["membership"]), m["reason"])
            for m in raw["members"]
        ),
    )  # fmt: skip


def _shard(raw: dict[str, Any], index: int) -> Shard:
    run = raw["run"]
    signoffs = raw.get("signoffs")
    return Shard(
        name=raw["name"],
        run=RunIdentity(
            run["repository"], run["workflow"], run["job"], run["run_id"], run["run_attempt"]
        ),
        artifacts={
            key: _artifact(a, ("shards", index, "artifacts", key))
            for key, a in raw["artifacts"].items()
        },
        signoffs=None
        if signoffs is None
        else {path: signoff_from_json(path, f) for path, f in signoffs.items()},
    )


def bundle_from_json(data: dict[str, Any], display: str) -> Bundle:
    """The records of a bundle that has passed the schema."""
    try:
        shards = [_shard(s, index) for index, s in enumerate(data["shards"])]
    except _Impossible as exc:
        raise BundleError(f"{display}: not a gatekeeper bundle: {exc}") from exc
    twice = sorted(n for n, count in Counter(s.name for s in shards).items() if count > 1)
    if twice:
        raise BundleError(f"{display}: shard {twice[0]!r} is in the bundle more than once")
    return Bundle(data["sha"], tuple(sorted(shards, key=lambda s: s.name)))
