"""Chaos Mesh experiments (``kubectl get podchaos NAME -o json``, any of its fault kinds, one
or a list): whether each fault was injected and recovered, as a test. NOT a verdict of the
system's health.

Chaos Mesh judges nothing: its status (chaos-mesh ``api/v1alpha1``, ``ChaosStatus``) says
which targets were selected, whether the fault is injected in them now (``containerRecords``,
each ``Injected`` or ``Not Injected`` with counts of injections and recoveries and their
events), what the controller is driving them towards (``desiredPhase``: ``Run`` or ``Stop``)
and whether it is paused. So each experiment becomes one test, named ``<name>: fault
injected and recovered`` (suite the namespace, class the kind), that passes when every
selected target had the fault injected at least once and recovered from it; that the system
stayed healthy meanwhile must come from elsewhere: a metric of the same window (availability
from Prometheus, a load test's error rate). ``validate`` refuses a cell whose only evidence
is such a test (``matrix.rules``).

Fail closed: paused, or still injected while the experiment runs (``desiredPhase: Run``), is
an error (not finished); nothing selected, a target never injected, or one left injected
after the experiment stopped, a failure with the controller's last failed event. The time of
a file is its oldest experiment's last record event (each event's ``timestamp``); one with
none has no time.

Workflows and Schedules have no records of their own (they create experiments, which are
read instead); they are refused as resources of another kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import ParsedFile, SeriesRequest, TestResult, TestStatus
from gatekeeper.freshness import dated_by_oldest
from gatekeeper.parsers import _json
from gatekeeper.parsers.chaos import _kube

NAME = "chaos-mesh"
GROUP = "chaos-mesh.org"
KINDS = (
    "PodChaos",
    "NetworkChaos",
    "IOChaos",
    "StressChaos",
    "TimeChaos",
    "KernelChaos",
    "DNSChaos",
    "HTTPChaos",
    "JVMChaos",
    "BlockChaos",
    "AWSChaos",
    "GCPChaos",
    "AzureChaos",
    "PhysicalMachineChaos",
)
"""Every fault kind chaos-mesh ``api/v1alpha1`` defines with a ``ChaosStatus``."""
TEST_SUFFIX = ": fault injected and recovered"
"""What every test's name ends with: what it says, and all it says."""
HOLDS_NOTHING = "the list holds no Chaos Mesh experiment"

_INJECTED, _NOT_INJECTED = "Injected", "Not Injected"
_PHASES = ("Run", "Stop")


def detect_json(document: object) -> bool:
    """A Chaos Mesh fault (``chaos-mesh.org``), or a list whose first item is one."""
    return _kube.claims(document, GROUP, KINDS)


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read ``kubectl get <kind> -o json`` output of Chaos Mesh experiments."""
    return parse_json(_json.load(path, display), path, display, wanted)


def parse_json(
    document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """``parse`` of the decoded document; a list of none is a file of nothing."""
    if _kube.is_empty_list(document):
        return ParsedFile(path=display, format=NAME)
    tests = []
    times = []
    for resource in _kube.resources(document, display, GROUP, KINDS):
        test, time = _experiment(resource, display)
        tests.append(test)
        times.append(time)
    return ParsedFile(
        path=display, format=NAME, tests=tuple(tests), measured_at=dated_by_oldest(times)
    )


def _experiment(resource: _kube.Resource, display: str) -> tuple[TestResult, dt.datetime | None]:
    key = resource.key
    if "status" not in resource.body:
        message = (
            f"{key('status')}: the {resource.kind} {resource.name!r} has no status: "
            "the Chaos Mesh controller has not seen it"
        )
        raise EvidenceError(Position(display), message)
    status = _json.expect_object(resource.body["status"], display, key("status"))
    paused = _paused(status, display, key("status", "conditions"))
    experiment = _json.expect_object(status.get("experiment"), display, key("status", "experiment"))
    here = key("status", "experiment")
    raw_phase = experiment.get("desiredPhase")
    desired = None
    if raw_phase is not None:
        desired = _json.expect_choice(raw_phase, _PHASES, display, f"{here}.desiredPhase")
    records = _json.expect_list(
        experiment.get("containerRecords", []), display, f"{here}.containerRecords"
    )
    read = [_record(raw, display, f"{here}.containerRecords[{i}]") for i, raw in enumerate(records)]
    state, said = _judge(read, paused, desired)
    test = TestResult(
        suite=resource.namespace,
        classname=resource.kind,
        name=resource.name + TEST_SUFFIX,
        file=None,
        line=None,
        status=state,
        message=said,
        source=display,
    )
    stamps = [time for record in read for time in record.times]
    return test, max(stamps, default=None)


class _Record(NamedTuple):
    """One target's record."""

    target: str
    phase: str
    injected: int | None
    """Successful injections; None where Chaos Mesh (before 2.3) counted none."""
    recovered: int | None
    times: list[dt.datetime]
    """Its events' times."""
    failure: str
    """The last event, when it failed: the controller's words."""


def _record(raw: object, display: str, at: str) -> _Record:
    record = _json.expect_object(raw, display, at)
    target = _json.expect_str(record.get("id"), display, f"{at}.id")
    phase = _json.expect_str(record.get("phase"), display, f"{at}.phase")
    injected = _count(record.get("injectedCount"), display, f"{at}.injectedCount")
    recovered = _count(record.get("recoveredCount"), display, f"{at}.recoveredCount")
    times = []
    failure = ""
    events = _json.expect_list(record.get("events", []), display, f"{at}.events")
    for index, item in enumerate(events):
        where = f"{at}.events[{index}]"
        event = _json.expect_object(item, display, where)
        kind = _json.expect_choice(
            event.get("type"), ("Succeeded", "Failed"), display, f"{where}.type"
        )
        operation = _json.expect_choice(
            event.get("operation"), ("Apply", "Recover"), display, f"{where}.operation"
        )
        times.append(_kube.parse_time(event.get("timestamp"), display, f"{where}.timestamp"))
        if kind == "Failed":
            text = _json.expect_str(event.get("message", ""), display, f"{where}.message")
            failure = f"{operation.lower()} failed: {text}" if text else f"{operation} failed"
        else:
            failure = ""  # a later success supersedes an earlier failure
    return _Record(target, phase, injected, recovered, times, failure)


def _count(value: object, display: str, key_path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _json.shape_error(display, key_path, "a count", value)
    return value


def _paused(status: dict[str, object], display: str, here: str) -> bool:
    conditions = _json.expect_list(status.get("conditions", []), display, here)
    for index, raw in enumerate(conditions):
        condition = _json.expect_object(raw, display, f"{here}[{index}]")
        kind = _json.expect_str(condition.get("type"), display, f"{here}[{index}].type")
        value = _json.expect_choice(
            condition.get("status"),
            ("True", "False", "Unknown"),
            display,
            f"{here}[{index}].status",
        )
        if kind == "Paused" and value != "False":
            return True
    return False


def _judge(
    records: list[_Record], paused: bool, desired: str | None
) -> tuple[TestStatus, str | None]:
    if paused:
        return TestStatus.ERROR, "paused: the experiment has not finished"
    if not records:
        return TestStatus.FAILED, "selected no target: no fault was injected"
    for record in records:
        why = f"; {record.failure}" if record.failure else ""
        if record.injected == 0 or (record.injected is None and record.phase != _INJECTED):
            if record.injected is None:
                why = f" (this Chaos Mesh counts no injections){why}"
            return TestStatus.FAILED, f"{record.target}: the fault was never injected{why}"
    for record in records:
        why = f"; {record.failure}" if record.failure else ""
        if record.phase != _NOT_INJECTED:
            if desired == "Run" and record.phase == _INJECTED:
                said = "the fault is still injected: the experiment has not finished"
                return TestStatus.ERROR, f"{record.target}: {said}"
            said = f"not recovered (phase {record.phase!r}, desiredPhase {desired or '(none)'})"
            return TestStatus.FAILED, f"{record.target}: {said}{why}"
        if not record.recovered:
            return TestStatus.FAILED, f"{record.target}: never recovered{why}"
    targets = len(records)
    return TestStatus.PASSED, (
        f"fault injected and recovered in {targets} target{'s' if targets != 1 else ''}; "
        "Chaos Mesh gives no verdict of the system's health"
    )
