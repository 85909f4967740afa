"""LitmusChaos ``ChaosResult`` resources (``kubectl get chaosresult [NAME] -o json``): each
experiment's verdict as a test, its probes as tests, its ``probeSuccessPercentage`` as a
metric.

A ChaosResult is named ``<engine>-<experiment>`` and reused by every run of that experiment
from that engine; ``status.experimentStatus`` holds the last run's ``verdict`` (chaos-operator
``api/litmuschaos/v1alpha1``: ``Pass``, ``Fail``, ``Awaited`` while it runs, ``Stopped``,
``Error``). Only ``Pass`` in phase ``Completed`` passes: ``Awaited`` has not finished,
``Stopped`` was aborted and ``Error`` could not run, all three errors, never a pass; a verdict
outside the set is refused. ``failStep`` (Litmus 1 and 2) or ``errorOutput`` (Litmus 3) says
why a run did not pass.

The test: suite the namespace, class the engine, name the experiment; each probe of
``status.probeStatuses`` (Litmus 2 and 3) is a test named ``<experiment>/<probe>``. The
metric ``probeSuccessPercentage`` (tags ``namespace``, ``engine``, ``experiment``) has the
statistic ``value``, a ratio; Litmus writes ``Awaited`` there until the run ends, and a
value that is not a number is a failure the tool recorded, never 100 %.

A ChaosResult records no time of its own: its time is when the API server last saw its
status written (``managedFields``, kept only by ``kubectl get … -o json
--show-managed-fields``; see ``_kube.status_written_at``); a list is as old as its oldest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest, TestResult, TestStatus
from gatekeeper.freshness import dated_by_oldest
from gatekeeper.parsers import _json
from gatekeeper.parsers.chaos import _kube
from gatekeeper.units import Dimension, Quantity

NAME = "litmus"
GROUP = "litmuschaos.io"
KINDS = ("ChaosResult",)
METRIC = "probeSuccessPercentage"
HOLDS_NOTHING = "the list holds no ChaosResult: no experiment has reported"

VERDICTS: dict[str, TestStatus] = {
    "Pass": TestStatus.PASSED,
    "Fail": TestStatus.FAILED,
    "Awaited": TestStatus.ERROR,
    "Stopped": TestStatus.ERROR,
    "Error": TestStatus.ERROR,
}
"""Every verdict chaos-operator defines (``ResultVerdict``), and what each is here."""

_SAID = {
    "Fail": "verdict Fail",
    "Awaited": "verdict Awaited: the experiment has not finished",
    "Stopped": "verdict Stopped: the experiment was stopped before it finished",
    "Error": "verdict Error: the experiment could not run to a verdict",
}

PROBE_VERDICTS: dict[str, TestStatus] = {
    "Passed": TestStatus.PASSED,
    "Failed": TestStatus.FAILED,
    "Awaited": TestStatus.ERROR,
    "N/A": TestStatus.SKIPPED,
}
"""Every probe verdict chaos-operator defines (``ProbeVerdict``): ``N/A``, a probe that did
not run, is skipped; ``Awaited``, one that has not finished, an error."""

_PERCENT = re.compile(r"\d{1,3}(?:\.\d+)?")


def detect_json(document: object) -> bool:
    """A ChaosResult (``litmuschaos.io``), or a list whose first item is one."""
    return _kube.claims(document, GROUP, KINDS)


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read ``kubectl get chaosresult -o json`` output: one ChaosResult or a list."""
    return parse_json(_json.load(path, display), path, display, wanted)


def parse_json(
    document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """``parse`` of the decoded document. A list of none is a file of nothing: a benchmark
    on it selects no test, which never passes."""
    if _kube.is_empty_list(document):
        return ParsedFile(path=display, format=NAME)
    tests: list[TestResult] = []
    metrics: list[Metric] = []
    times = []
    for resource in _kube.resources(document, display, GROUP, KINDS):
        found_tests, metric = _result(resource, display)
        tests += found_tests
        metrics += [metric] if metric is not None else []
        times.append(_kube.status_written_at(resource, display))
    return ParsedFile(
        path=display,
        format=NAME,
        tests=tuple(tests),
        metrics=tuple(metrics),
        measured_at=dated_by_oldest(times),
    )


def _result(resource: _kube.Resource, display: str) -> tuple[list[TestResult], Metric | None]:
    key = resource.key
    spec = _json.expect_object(resource.body.get("spec"), display, key("spec"))
    experiment = _json.expect_str(spec.get("experiment"), display, key("spec", "experiment"))
    engine = _json.expect_str(spec.get("engine", ""), display, key("spec", "engine"))
    if "status" not in resource.body:
        message = (
            f"{key('status')}: the ChaosResult {resource.name!r} has no status: "
            "the experiment has not reported"
        )
        raise EvidenceError(Position(display), message)
    status = _json.expect_object(resource.body["status"], display, key("status"))
    field = _experiment_field(status, display, key("status"))
    outcome = _json.expect_object(status[field], display, key("status", field))
    here = key("status", field)
    verdict = _json.expect_choice(
        outcome.get("verdict"), list(VERDICTS), display, f"{here}.verdict"
    )
    phase = _json.expect_str(outcome.get("phase", ""), display, f"{here}.phase")
    probes = _probes(status, resource, display, experiment, engine)
    failed = [
        p.name.removeprefix(f"{experiment}/") for p in probes if p.status is TestStatus.FAILED
    ]
    state, said = VERDICTS[verdict], _SAID.get(verdict, "")
    if verdict == "Pass" and phase != "Completed":
        state, said = TestStatus.ERROR, "verdict Pass, but the experiment has not finished"
    elif verdict == "Pass" and failed:
        state, said = TestStatus.FAILED, "verdict Pass, but a probe failed"
    details = [said] if said else []
    if phase and state is not TestStatus.PASSED:
        details.append(f"phase {phase}")
    details += _why(outcome, display, here)
    if failed and state is not TestStatus.PASSED:
        details.append("failed probes: " + ", ".join(failed))
    verdict_test = TestResult(
        suite=resource.namespace,
        classname=engine,
        name=experiment,
        file=None,
        line=None,
        status=state,
        message="; ".join(details) or None,
        source=display,
    )
    tags = {"namespace": resource.namespace, "engine": engine, "experiment": experiment}
    metric = _percentage(outcome, display, here, {k: v for k, v in tags.items() if v})
    return [verdict_test, *probes], metric


def _experiment_field(status: dict[str, object], display: str, where: str) -> str:
    """``experimentStatus``; Litmus 1.13.2 and earlier wrote ``experimentstatus``. Both at once is
    refused: which one holds the verdict cannot be told."""
    present = [f for f in ("experimentStatus", "experimentstatus") if f in status]
    if not present:
        message = f"{where}.experimentStatus: missing: the ChaosResult records no verdict"
        raise EvidenceError(Position(display), message)
    if len(present) > 1:
        message = f"{where}: both experimentStatus and experimentstatus: which holds the verdict?"
        raise EvidenceError(Position(display), message)
    return present[0]


def _why(outcome: dict[str, object], display: str, here: str) -> list[str]:
    """Why a run did not pass, in Litmus's words: ``failStep`` (Litmus 1 and 2), or
    ``errorOutput``'s code and reason (Litmus 3)."""
    found = []
    step = outcome.get("failStep")
    if step is not None:
        step = _json.expect_str(step, display, f"{here}.failStep")
        if step.strip() and step != "N/A":
            found.append(f"failed step: {step}")
    error = outcome.get("errorOutput")
    if error is not None:
        error = _json.expect_object(error, display, f"{here}.errorOutput")
        code = _json.expect_str(
            error.get("errorCode", ""), display, f"{here}.errorOutput.errorCode"
        )
        reason = _json.expect_str(error.get("reason", ""), display, f"{here}.errorOutput.reason")
        shown = " ".join(part for part in (code, reason) if part)
        if shown:
            found.append(f"error: {shown}")
    return found


def _probes(
    status: dict[str, object],
    resource: _kube.Resource,
    display: str,
    experiment: str,
    engine: str,
) -> list[TestResult]:
    raw = status.get("probeStatuses")
    if raw is None:
        return []
    here = resource.key("status", "probeStatuses")
    found = []
    for index, item in enumerate(_json.expect_list(raw, display, here)):
        at = f"{here}[{index}]"
        probe = _json.expect_object(item, display, at)
        name = _json.expect_str(probe.get("name"), display, f"{at}.name")
        state = _json.expect_object(probe.get("status"), display, f"{at}.status")
        verdict = _json.expect_choice(
            state.get("verdict"), list(PROBE_VERDICTS), display, f"{at}.status.verdict"
        )
        text = _json.expect_str(state.get("description", ""), display, f"{at}.status.description")
        mode = _json.expect_str(probe.get("mode", ""), display, f"{at}.mode")
        kind = _json.expect_str(probe.get("type", ""), display, f"{at}.type")
        about = ", ".join(part for part in (kind, mode and f"mode {mode}") if part)
        said = f"probe {verdict}" + (f" ({about})" if about else "") + (f": {text}" if text else "")
        found.append(
            TestResult(
                suite=resource.namespace,
                classname=engine,
                name=f"{experiment}/{name}",
                file=None,
                line=None,
                status=PROBE_VERDICTS[verdict],
                message=None if verdict == "Passed" else said,
                source=display,
            )
        )
    return found


def _percentage(
    outcome: dict[str, object], display: str, here: str, tags: dict[str, str]
) -> Metric | None:
    """``probeSuccessPercentage`` as a ratio; None when the result has none (no probes, or
    Litmus before 1.6). A value that is no number (``Awaited`` until the run ends) is
    recorded as a failure, with no statistics: nothing can pass on it."""
    raw = outcome.get("probeSuccessPercentage")
    if raw is None:
        return None
    key = f"{here}.probeSuccessPercentage"
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = str(raw)  # Litmus writes a string; a hand-made file may not
    text = _json.expect_str(raw, display, key)
    if not _PERCENT.fullmatch(text.strip()):
        said = "the experiment has not finished" if text == "Awaited" else "not a percentage"
        failure = f"{METRIC} is {text[:40]!r}: {said}"
        return Metric(name=METRIC, tags=tags, kind="probes", source=display, failures=(failure,))
    percent = float(text)
    if percent > 100:
        raise _json.shape_error(display, key, "a percentage from 0 to 100", raw)
    stats = {"value": Quantity(percent / 100, Dimension.RATIO)}
    return Metric(name=METRIC, tags=tags, stats=stats, kind="probes", source=display)
