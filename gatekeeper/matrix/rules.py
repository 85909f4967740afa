"""Rules a JSON Schema cannot express: references, uniqueness, order, cycles.

Written defensively so they run even on a file with schema errors: a user
sees every problem in one go, not one per attempt.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterator
from typing import Any

from gatekeeper.matrix.pairing import unpaired_faults
from gatekeeper.matrix.problems import KeyPath, Problem
from gatekeeper.matrix.queries import query_problems
from gatekeeper.matrix.yamlpos import Located
from gatekeeper.model import QUERY_FORMAT
from gatekeeper.parsers import AUTO, holds_findings
from gatekeeper.parsers.dimensions import (
    NEVER,
    SAMPLED,
    declared_dimension,
    unknown_statistic,
)
from gatekeeper.pathglob import SHARD, split_glob
from gatekeeper.selector import parse_metric_selector
from gatekeeper.threshold import (
    Change,
    Threshold,
    ThresholdSyntaxError,
    parse_change,
    parse_threshold,
)
from gatekeeper.units import UNITS, Dimension


def _dicts(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, dict[str, Any]]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield (*path, i), item


def _cells(data: dict[str, Any]) -> Iterator[tuple[KeyPath, str, str, dict[str, Any]]]:
    for lane_path, lane in _dicts(data.get("swimlanes"), ("swimlanes",)):
        cells = lane.get("cells")
        if isinstance(cells, dict):
            for phase, cell in cells.items():
                if isinstance(cell, dict):
                    yield (*lane_path, "cells", phase), str(lane.get("id")), phase, cell


class _Checker:
    def __init__(self, located: Located) -> None:
        self.located = located
        self.problems: list[Problem] = []
        data = located.data if isinstance(located.data, dict) else {}
        self.data = data
        self.phases = [str(p.get("id")) for _, p in _dicts(data.get("phases"), ("phases",))]
        artifacts = data.get("artifacts")
        self.artifacts = set(artifacts) if isinstance(artifacts, dict) else set()
        self.formats = {
            key: str(artifact.get("format", QUERY_FORMAT if "query" in artifact else AUTO))
            for key, artifact in (artifacts.items() if isinstance(artifacts, dict) else ())
            if isinstance(artifact, dict)
        }
        self.cells = {f"{lane}/{phase}": path for path, lane, phase, _ in _cells(data)}

    def report(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.located.position(path), path, message))

    def unique(self, items: Iterator[tuple[KeyPath, dict[str, Any]]], what: str) -> None:
        seen: dict[str, KeyPath] = {}
        for path, item in items:
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in seen:
                line = self.located.position(seen[ident]).line
                self.report((*path, "id"), f"duplicate {what} id {ident!r} (first at line {line})")
            else:
                seen[ident] = (*path, "id")

    def check(self) -> list[Problem]:
        self.unique(_dicts(self.data.get("phases"), ("phases",)), "phase")
        self.unique(_dicts(self.data.get("swimlanes"), ("swimlanes",)), "swimlane")
        current = self.data.get("current")
        if isinstance(current, str) and current not in self.phases:
            self.report(("current",), f"unknown phase {current!r}{self.known_phases()}")
        self.check_artifact_paths()
        for path, _lane, phase, cell in _cells(self.data):
            self.check_cell(path, phase, cell)
        self.check_cycles()
        self.check_waivers()
        self.check_baseline_runs()
        return sorted(self.problems, key=lambda p: (p.position.line or 0, p.position.column or 0))

    def check_artifact_paths(self) -> None:
        artifacts = self.data.get("artifacts")
        for ident, artifact in artifacts.items() if isinstance(artifacts, dict) else ():
            paths = artifact.get("paths") if isinstance(artifact, dict) else None
            items = paths if isinstance(paths, list) else [paths]
            for i, pattern in enumerate(items):
                if isinstance(pattern, str):
                    where = ("artifacts", ident, "paths", *((i,) if paths is items else ()))
                    try:
                        split_glob(pattern)
                    except ValueError as exc:
                        self.report(where, str(exc))
            shards = artifact.get("shards") if isinstance(artifact, dict) else None
            name = shards.get("name") if isinstance(shards, dict) else None
            if isinstance(name, str):
                self.check_shard_name(("artifacts", ident, "shards", "name"), name)

    def check_shard_name(self, where: KeyPath, name: str) -> None:
        """One {shard}, wildcards ``*``, ``?`` and ``**`` only, nothing that climbs folders."""
        segments = name.split("/")
        if name.count(SHARD) != 1:
            self.report(where, f"{name!r} must hold {SHARD} once: where a shard's number is")
        elif any(c in name for c in "[]"):
            self.report(where, f"{name!r}: a shard's name takes *, ? and ** only, no [...]")
        elif ".." in segments or "" in segments:
            self.report(where, f"{name!r}: the end of a path, without '..' or empty folders")

    def known_phases(self) -> str:
        return f" (phases: {', '.join(self.phases)})" if self.phases else ""

    def check_cell(self, path: KeyPath, phase: str, cell: dict[str, Any]) -> None:
        if phase not in self.phases:
            self.report(path, f"unknown phase {phase!r}{self.known_phases()}")
        benchmarks = list(_dicts(cell.get("benchmarks"), (*path, "benchmarks")))
        self.unique(iter(benchmarks), "benchmark")
        for bench_path, bench in benchmarks:
            self.check_benchmark(bench_path, bench)
            self.check_changes(bench_path, bench)
            self.check_confidence(bench_path, bench)
            self.check_paired(bench_path, bench)
            self.check_self_baseline(bench_path, bench)
            self.check_drift(bench_path, bench)
        for where, message in unpaired_faults(benchmarks, self.formats):
            self.report(where, message)
        depends = cell.get("depends_on")
        for i, ref in enumerate(depends if isinstance(depends, list) else []):
            dep_path = (*path, "depends_on", i)
            if not isinstance(ref, str) or ref not in self.cells:
                self.report(dep_path, f"depends on {ref!r}, which is not a cell of this matrix")
                continue
            dep_phase = ref.split("/", 1)[1]
            if phase in self.phases and self.phases.index(dep_phase) > self.phases.index(phase):
                self.report(
                    dep_path,
                    f"depends on {ref!r} of a later phase ({dep_phase} comes after {phase}): "
                    "a cell can only depend on cells of its own or earlier phases",
                )

    def check_pass_rate(self, path: KeyPath, bench: dict[str, Any]) -> None:
        """The schema caps a number of percent at 100 but cannot cap the text '150%'; and a
        bare number up to 1 reads as a fraction to anyone used to thresholds, where here it
        is that many per cent (`pass_rate: 0.95` would pass with 1 test in 100)."""
        tests = bench.get("tests")
        rate = tests.get("pass_rate") if isinstance(tests, dict) else None
        where = (*path, "tests", "pass_rate")
        if isinstance(rate, int | float) and not isinstance(rate, bool) and 0 < rate <= 1:
            self.report(
                where,
                f"a bare {rate:g} is {rate:g} per cent here, not a fraction: write "
                f"'{rate:g}%' if you mean it, or '{rate * 100:g}%'",
            )
        if isinstance(rate, str) and rate.endswith("%"):
            try:
                number = float(rate[:-1])
            except ValueError:  # not of the form N%: the schema says so
                return
            if not number <= 100:
                shown = rate if len(rate) <= 24 else f"{rate[:12]}… ({len(rate)} characters)"
                self.report(where, f"{shown!r} is more than 100 %")

    def check_benchmark(self, path: KeyPath, bench: dict[str, Any]) -> None:
        self.check_pass_rate(path, bench)
        if "signoff" in bench and "max_age" in bench:
            self.report(
                (*path, "max_age"),
                "max_age does not apply to a sign-off: it is judged from the record's last "
                "approval at the judged commit, not from measured evidence",
            )
        for kind in ("tests", "metric", "findings", "baseline"):
            source = bench.get(kind)
            artifact = source.get("from") if isinstance(source, dict) else None
            if isinstance(artifact, str) and artifact not in self.artifacts:
                known = ", ".join(sorted(self.artifacts)) or "none declared"
                self.report(
                    (*path, kind, "from"), f"unknown artifact {artifact!r} (artifacts: {known})"
                )
        self.check_evidence_kind(path, bench)
        self.check_findings(path, bench)
        metric = bench.get("metric")
        if isinstance(metric, dict) and isinstance(metric.get("name"), str):
            try:
                parse_metric_selector(metric["name"])
            except ValueError as exc:
                self.report((*path, "metric", "name"), str(exc))
        thresholds = bench.get("threshold")
        items = thresholds if isinstance(thresholds, list) else [thresholds]
        for i, text in enumerate(items):
            if isinstance(text, str):
                where = (
                    (*path, "threshold", i)
                    if isinstance(thresholds, list)
                    else (*path, "threshold")
                )
                try:
                    threshold = parse_threshold(text)
                except ThresholdSyntaxError as exc:
                    self.report(where, str(exc))
                    continue
                self.check_dimension(where, metric, threshold)

    def check_evidence_kind(self, path: KeyPath, bench: dict[str, Any]) -> None:
        """Findings are read from an analysis format only, and only findings from one; a
        baseline compares what its criterion reads (max_change series, max_new findings)."""
        baseline = bench.get("baseline")
        findings = "findings" in bench
        if isinstance(baseline, dict):
            wrong = "max_change" if findings else "max_new"
            if wrong in baseline:
                right = "max_new" if findings else "max_change"
                what = "findings" if findings else "a metric's series"
                self.report(
                    (*path, "baseline", wrong),
                    f"{wrong} does not apply to {what}: its baseline takes {right}",
                )
        for kind in ("tests", "metric", "findings", "baseline"):
            source = bench.get(kind)
            artifact = source.get("from") if isinstance(source, dict) else None
            fmt = self.formats.get(artifact) if isinstance(artifact, str) else None
            if fmt is None or fmt == AUTO:
                continue
            wants_findings = kind == "findings" or (kind == "baseline" and findings)
            if wants_findings and not holds_findings(fmt):
                message = f"{artifact!r} is read as {fmt}, which holds no static-analysis " \
                          "findings: they are read from SARIF (format: sarif, or auto)"  # fmt: skip
            elif not wants_findings and holds_findings(fmt):
                message = f"{artifact!r} is read as {fmt}, which holds static-analysis " \
                          "findings only: count them with findings:"  # fmt: skip
            else:
                continue
            self.report((*path, kind, "from"), message)

    def check_findings(self, path: KeyPath, bench: dict[str, Any]) -> None:
        """What can only pass: a baseline read from the findings' own artifact (the log
        compared with itself: never a new finding), and a file glob no finding's path can
        fit (paths are relative to the project's root and name files, not folders)."""
        findings, baseline = bench.get("findings"), bench.get("baseline")
        if not isinstance(findings, dict):
            return
        artifact = findings.get("from")
        if (
            isinstance(baseline, dict)
            and isinstance(artifact, str)
            and baseline.get("from") == artifact
        ):
            self.report(
                (*path, "baseline", "from"),
                f"the baseline is {artifact!r}, the findings' own artifact: the log would be "
                "compared with itself and no finding could be new; name the artifact of "
                "the base branch's analysis",
            )
        globs = findings.get("file")
        items = globs if isinstance(globs, list) else [globs]
        for i, glob in enumerate(items):
            if not isinstance(glob, str):
                continue
            where = (*path, "findings", "file", *((i,) if globs is items else ()))
            why = []
            if glob.startswith("/"):
                why.append(
                    "starts with /, and findings' paths are relative to the project's root "
                    "(an absolute one is outside it)"
                )
            if glob.endswith("/"):
                why.append("ends with /, and a finding's path names a file, never a folder")
            if why:
                instead = glob.lstrip("/")
                instead += "**" if not instead or instead.endswith("/") else ""
                self.report(where, f"{glob!r} {'; it '.join(why)}: write {instead!r}")

    def check_dimension(self, where: KeyPath, metric: Any, threshold: Threshold) -> None:
        """A statistic its format never reports ('p95' for p(95)), or a threshold in another
        dimension than the statistic measures ('count < 5ms' against Locust, 'error_rate <
        1', 'rate < 250ms' anywhere) is wrong whatever the evidence: say so now, not at
        check."""
        artifact = metric.get("from") if isinstance(metric, dict) else None
        fmt = self.formats.get(artifact) if isinstance(artifact, str) else None
        unknown = unknown_statistic(fmt, threshold.statistic) if fmt else None
        if unknown is not None:
            self.report(where, f"{threshold.text!r}: {unknown}")
            return
        dimension = declared_dimension(fmt, threshold.statistic) if fmt else None
        if dimension is not None:
            try:
                threshold.limit_for(dimension)
            except ThresholdSyntaxError as exc:
                self.report(
                    where, f"{threshold.text!r} against {fmt}'s {threshold.statistic}: {exc}"
                )
            return
        # 'auto', or it depends on the series: what the name alone rules out is said now
        never = NEVER.get(threshold.statistic, frozenset())
        unit = UNITS[threshold.unit][0] if threshold.unit else None
        if unit in never:
            self.report(
                where,
                f"{threshold.text!r}: unit {threshold.unit!r} measures {unit.value}, which "
                f"{threshold.statistic} measures in no format",
            )

    def check_changes(self, path: KeyPath, bench: dict[str, Any]) -> None:
        baseline = bench.get("baseline")
        changes = baseline.get("max_change") if isinstance(baseline, dict) else None
        items = changes if isinstance(changes, list) else [changes]
        parsed: list[tuple[KeyPath, Change]] = []
        for i, text in enumerate(items):
            if isinstance(text, str):
                where = (
                    *path,
                    "baseline",
                    "max_change",
                    *((i,) if isinstance(changes, list) else ()),
                )
                try:
                    change = parse_change(text)
                except ThresholdSyntaxError as exc:
                    self.report(where, str(exc))
                    continue
                self.check_change(where, bench, change)
                parsed.append((where, change))
        self.check_direction(bench, parsed)

    def check_direction(self, bench: dict[str, Any], changes: list[tuple[KeyPath, Change]]) -> None:
        """A time (or a size) regresses by growing and a throughput by dropping: limits of a
        statistic only in the other direction ('median -10%') hold back an improvement and
        let any regression through (HEAD twice as slow passes). Beside a limit the right way
        they may stay (a benchmark that suddenly stopped doing its work)."""
        metric = bench.get("metric")
        artifact = metric.get("from") if isinstance(metric, dict) else None
        fmt = self.formats.get(artifact) if isinstance(artifact, str) else None
        if fmt is None:
            return
        by_statistic: dict[str, list[tuple[KeyPath, Change]]] = {}
        for where, change in changes:
            by_statistic.setdefault(change.statistic, []).append((where, change))
        for statistic, limits in by_statistic.items():
            dimension = declared_dimension(fmt, statistic)
            if dimension in (Dimension.TIME, Dimension.SIZE):
                worse, wrong = "growing", [c for _, c in limits if not c.grows]
            elif dimension in (Dimension.THROUGHPUT, Dimension.DATA_RATE):
                worse, wrong = "dropping", [c for _, c in limits if c.grows]
            else:
                continue
            if len(wrong) == len(limits):
                right = (
                    wrong[0].text.replace("-", "+")
                    if worse == "growing"
                    else (wrong[0].text.replace("+", "-"))
                )
                self.report(
                    limits[0][0],
                    f"{wrong[0].text!r} only limits an improvement: {statistic} "
                    f"({dimension.value}) regresses by {worse}, so any regression would pass; "
                    f"write {right!r} (a limit the other way may stay beside it)",
                )

    def check_confidence(self, path: KeyPath, bench: dict[str, Any]) -> None:
        """A confidence is judged on raw samples: it applies to a metric's changes of the
        mean, the median or the throughput (``Change.sampled_refusal``), read from formats
        that carry samples (``SAMPLED``); anything else cannot work, whatever the files."""
        baseline = bench.get("baseline")
        if not isinstance(baseline, dict) or "confidence" not in baseline:
            return
        where = (*path, "baseline", "confidence")
        if "findings" in bench:
            self.report(where, "confidence does not apply to findings: they are counted")
            return
        if baseline.get("paired") is True:
            return  # the rounds are the samples: one figure per file, of any format and
            # statistic (check_paired says what the rounds cannot judge)
        for refusal in _sampled_refusals(baseline.get("max_change")):
            self.report(where, refusal)
        for kind in ("metric", "baseline"):
            source = bench.get(kind)
            artifact = source.get("from") if isinstance(source, dict) else None
            fmt = self.formats.get(artifact) if isinstance(artifact, str) else None
            if fmt is None or fmt == AUTO or fmt in SAMPLED:
                continue
            self.report(
                where,
                f"confidence needs raw samples on both sides, but {artifact!r} is read as "
                f"{fmt}, which carries none (formats that do: {', '.join(sorted(SAMPLED))}); "
                "compare without a confidence",
            )

    def check_drift(self, path: KeyPath, bench: dict[str, Any]) -> None:
        """A drift widens the limit of an unpaired comparison at a confidence: without a
        confidence there is no interval to widen, and paired rounds have no drift to allow."""
        baseline = bench.get("baseline")
        if not isinstance(baseline, dict):
            return
        fetched = "metric" in bench and "from" not in baseline and "confidence" in baseline
        if fetched and "drift" not in baseline and baseline.get("paired") is not True:
            # another run's evidence (the merge base's bundle) differs by the machine's drift
            # as well as the code: the comparison must say how much it allows
            self.report(
                (*path, "baseline"),
                "a baseline from another run (the merge base's evidence) at a confidence "
                "carries the drift between runs: say how much to allow with drift (e.g. "
                'drift: "15%", measured by judging a commit against its own re-run; "0%" '
                "allows none), or measure the base in this job (from: ARTIFACT, or paired)",
            )
        if "drift" not in baseline:
            return
        where = (*path, "baseline", "drift")
        if "findings" in bench:
            self.report(where, "drift does not apply to findings: they are counted")
        elif baseline.get("paired") is True:
            self.report(
                where,
                "paired rounds measure base and HEAD together: there is no drift between runs "
                "to allow (remove drift, or paired)",
            )
        elif "confidence" not in baseline:
            self.report(
                where,
                "drift widens the interval's limit at a confidence: add confidence (e.g. 0.95), "
                "or widen max_change itself",
            )

    def check_paired(self, path: KeyPath, bench: dict[str, Any]) -> None:
        """Paired rounds judge a metric's change of the mean, the median or the throughput
        in % (``Change.sampled_refusal``), between two artifacts of round files."""
        baseline = bench.get("baseline")
        if not isinstance(baseline, dict) or baseline.get("paired") is not True:
            return
        where = (*path, "baseline", "paired")
        if "findings" in bench:
            self.report(where, "paired does not apply to findings: they are counted")
            return
        metric = bench.get("metric")
        if "from" not in baseline:
            self.report(
                where,
                "paired rounds are the base's round files of this run (gatekeeper bench's "
                "base/round-*): name their artifact in from, not the merge base's evidence",
            )
        elif isinstance(metric, dict) and metric.get("from") == baseline.get("from"):
            self.report(
                where,
                f"paired rounds need two artifacts, HEAD's rounds and the base's, not "
                f"{baseline.get('from')!r} twice",
            )
        for refusal in _sampled_refusals(baseline.get("max_change"), rounds=True):
            self.report(where, f"paired rounds: {refusal}")

    def check_self_baseline(self, path: KeyPath, bench: dict[str, Any]) -> None:
        """What can only pass: a metric's baseline read from the metric's own artifact (each
        series compared with itself: no change, ever). Paired rounds say it their way."""
        baseline, metric = bench.get("baseline"), bench.get("metric")
        if not (isinstance(baseline, dict) and isinstance(metric, dict)):
            return
        artifact = metric.get("from")
        if baseline.get("paired") is True or not isinstance(artifact, str):
            return
        if baseline.get("from") == artifact:
            self.report(
                (*path, "baseline", "from"),
                f"the baseline is {artifact!r}, the metric's own artifact: each series would "
                "be compared with itself and could never change; name the artifact of the "
                "base branch's run (or leave from out for the merge base's evidence)",
            )
        elif (
            isinstance(baseline.get("from"), str)
            and self._paths(baseline["from"])
            and (self._paths(baseline["from"]) == self._paths(artifact))
        ):
            self.report(
                (*path, "baseline", "from"),
                f"the baseline {baseline['from']!r} reads the same files as {artifact!r} "
                f"({', '.join(self._paths(artifact))}): each series would be compared with "
                "itself; point the baseline's paths at the base branch's results",
            )

    def _paths(self, artifact: str) -> tuple[str, ...]:
        """An artifact's path globs as written, normalised (``./a.json`` is ``a.json``)."""
        declared = self.data.get("artifacts")
        entry = declared.get(artifact) if isinstance(declared, dict) else None
        paths = entry.get("paths") if isinstance(entry, dict) else None
        globs = [paths] if isinstance(paths, str) else paths if isinstance(paths, list) else []
        return tuple(sorted({posixpath.normpath(g) for g in globs if isinstance(g, str)}))

    def check_change(self, where: KeyPath, bench: dict[str, Any], change: Change) -> None:
        """A statistic the format of either side never reports, or a change in points on one
        that is not a ratio ('mean -0.5pt' against pytest-benchmark), is wrong whatever the
        evidence: say so now. With 'auto', or where it depends on the series, check says it
        for the benchmark (an error, never a pass)."""
        for kind in ("metric", "baseline"):
            source = bench.get(kind)
            artifact = source.get("from") if isinstance(source, dict) else None
            fmt = self.formats.get(artifact) if isinstance(artifact, str) else None
            if fmt is None:
                continue
            unknown = unknown_statistic(fmt, change.statistic)
            if unknown is not None:
                self.report(where, f"{change.text!r}: {unknown}")
                return
            dimension = declared_dimension(fmt, change.statistic)
            if dimension is not None:
                try:
                    change.applies_to(dimension, f"{fmt}'s ")
                except ThresholdSyntaxError as exc:
                    self.report(where, str(exc))
                    return

    def check_cycles(self) -> None:
        graph: dict[str, list[str]] = {}
        for _path, lane, phase, cell in _cells(self.data):
            deps = cell.get("depends_on")
            graph[f"{lane}/{phase}"] = (
                [d for d in deps if isinstance(d, str)] if isinstance(deps, list) else []
            )
        done: set[str] = set()
        for start in graph:
            stack: list[str] = []
            self.visit(start, graph, stack, done)

    def visit(
        self, node: str, graph: dict[str, list[str]], stack: list[str], done: set[str]
    ) -> None:
        if node in done:
            return
        if node in stack:
            cycle = [*stack[stack.index(node) :], node]
            self.report(
                (*self.cells[node], "depends_on"), f"dependency cycle: {' -> '.join(cycle)}"
            )
            return
        stack.append(node)
        for dep in graph.get(node, []):
            if dep in graph:
                self.visit(dep, graph, stack, done)
        stack.pop()
        done.add(node)

    def check_waivers(self) -> None:
        benchmarks = {
            f"{lane}/{phase}/{b.get('id')}"
            for _p, lane, phase, cell in _cells(self.data)
            for _bp, b in _dicts(cell.get("benchmarks"), ())
        }
        seen: set[str] = set()
        for path, waiver in _dicts(self.data.get("waivers"), ("waivers",)):
            ref = waiver.get("benchmark")
            if not isinstance(ref, str):
                continue
            if ref not in benchmarks:
                self.report((*path, "benchmark"), f"waives {ref!r}, which is not a benchmark")
            elif ref in seen:
                self.report((*path, "benchmark"), f"{ref!r} is waived twice")
            seen.add(ref)
            expires = waiver.get("expires")
            if isinstance(expires, str):
                try:
                    dt.date.fromisoformat(expires)
                except ValueError:
                    self.report((*path, "expires"), f"{expires!r} is not a real date")

    def check_baseline_runs(self) -> None:
        """A run excluded twice, or both pinned and excluded, says two things at once."""
        runs = self.data.get("baselines")
        if not isinstance(runs, dict):
            return
        seen: set[int] = set()
        for path, choice in _dicts(runs.get("exclude"), ("baselines", "exclude")):
            run = choice.get("run")
            if isinstance(run, int) and run in seen:
                self.report((*path, "run"), f"run {run} is excluded twice")
            if isinstance(run, int):
                seen.add(run)
        pin = runs.get("pin")
        run = pin.get("run") if isinstance(pin, dict) else None
        if isinstance(run, int) and run in seen:
            self.report(("baselines", "pin", "run"), f"run {run} is both pinned and excluded")


def rule_problems(located: Located) -> list[Problem]:
    """Every rule violation in the file, in file order."""
    return _Checker(located).check() + query_problems(located)


def _sampled_refusals(changes: Any, rounds: bool = False) -> list[str]:
    """Why each readable ``max_change`` cannot be judged from samples (or, ``rounds``, from
    the rounds of a paired run); one that cannot be read: ``max_change`` says why."""
    refusals = []
    for text in changes if isinstance(changes, list) else [changes]:
        try:
            change = parse_change(text) if isinstance(text, str) else None
            refusal = (
                None
                if change is None
                else (change.rounds_refusal() if rounds else change.sampled_refusal())
            )
        except ThresholdSyntaxError:
            continue
        if refusal is not None:
            refusals.append(refusal)
    return refusals
