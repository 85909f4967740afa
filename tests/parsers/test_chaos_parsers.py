"""Chaos experiments (issue 16): LitmusChaos ``ChaosResult``s and Chaos Mesh experiments as
``kubectl get … -o json`` prints them.

The fixtures under fixtures/{litmus,chaos-mesh}/ are Litmus's and Chaos Mesh's documented
runs converted to JSON, and hand-written files of the newest shapes (each named in its
``SOURCES.md``); the answers below are read from them by hand. What no fixture shows (every
way a resource can be broken or hostile) is written here as small documents, each refusal
named by its key path.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import ParsedFile
from gatekeeper.parsers import detect_format, parse_file
from tests.parsers.claims import claimed

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LITMUS = sorted(p.name for p in (FIXTURES / "litmus").glob("*.json"))
MESH = sorted(p.name for p in (FIXTURES / "chaos-mesh").glob("*.json"))
UTC = dt.timezone.utc


def parse(folder: str, name: str) -> ParsedFile:
    return parse_file(FIXTURES / folder / name, name, "auto")


def rows(parsed: ParsedFile) -> list[tuple[str, str, str, str, str | None]]:
    return [(t.suite, t.classname, t.name, t.status.value, t.message) for t in parsed.tests]


@pytest.mark.parametrize(("folder", "name"), [("litmus", n) for n in LITMUS] + [
    ("chaos-mesh", n) for n in MESH
])  # fmt: skip
def test_each_fixture_is_claimed_by_its_format_alone(folder: str, name: str) -> None:
    assert claimed(FIXTURES / folder / name) == [folder]
    assert detect_format(FIXTURES / folder / name, name) == folder


# --- Litmus: the fixtures ------------------------------------------------------------------------


def test_litmus_1_13_pass_with_its_percentage_and_no_time() -> None:
    parsed = parse("litmus", "engine-nginx-pod-delete.json")
    assert rows(parsed) == [("default", "engine-nginx", "pod-delete", "passed", None)]
    [metric] = parsed.metrics
    assert metric.label == (
        "probeSuccessPercentage{engine:engine-nginx,experiment:pod-delete,namespace:default}"
    )
    assert metric.stats["value"].value == 1.0 and metric.failures == ()
    # creationTimestamp is when the result was first made, not this verdict: never used
    assert parsed.measured_at is None


def test_litmus_1_x_running_fail_in_the_old_key() -> None:
    parsed = parse("litmus", "nginx-chaos-container-kill-running.json")
    assert rows(parsed) == [
        ("nginx", "nginx-chaos", "container-kill", "failed", "verdict Fail; phase Running")
    ]
    assert parsed.metrics == ()  # no probeSuccessPercentage recorded: no series, not 100 %


def test_litmus_list_of_one() -> None:
    parsed = parse("litmus", "nginx-chaos-container-kill-list.json")
    assert rows(parsed) == [("nginx", "nginx-chaos", "container-kill", "passed", None)]


def test_litmus_3_verdicts_probes_percentages_and_the_oldest_status_time() -> None:
    parsed = parse("litmus", "litmus3-list.json")
    awaited = "verdict Awaited: the experiment has not finished; phase Running"
    failed = (
        "verdict Fail; phase Completed_With_Probe_Failure; error: HTTP_PROBE_ERROR Actual "
        "value: 503; expected value: 200; failed probes: smtp-submit-available"
    )
    assert rows(parsed) == [
        ("kmta", "kmta-failover", "pod-delete", "passed", None),
        ("kmta", "kmta-failover", "pod-delete/smtp-submit-available", "passed", None),
        ("kmta", "kmta-failover", "pod-delete/queue-drained", "passed", None),
        ("kmta", "kmta-dns", "pod-dns-error", "error", awaited),
        ("kmta", "kmta-dns", "pod-dns-error/resolver-answers", "error",
         "probe Awaited (cmdProbe, mode Edge)"),
        ("kmta", "kmta-network", "pod-network-loss", "failed", failed),
        ("kmta", "kmta-network", "pod-network-loss/smtp-submit-available", "failed",
         "probe Failed (httpProbe, mode Continuous): Actual value: 503; expected value: 200"),
        ("kmta", "kmta-network", "pod-network-loss/queue-drained", "passed", None),
    ]  # fmt: skip
    found = {m.tags["experiment"]: m for m in parsed.metrics}
    assert found["pod-delete"].stats["value"].value == 1.0
    assert found["pod-network-loss"].stats["value"].value == 0.5
    # "Awaited" is no number: no statistic to pass, and a failure the tool recorded
    assert found["pod-dns-error"].stats == {}
    assert found["pod-dns-error"].failures == (
        "probeSuccessPercentage is 'Awaited': the experiment has not finished",
    )
    # each result's time is its status write (the annotate at 10:13:58 is not one); the
    # list is as old as its oldest: pod-network-loss's
    assert parsed.measured_at == dt.datetime(2026, 11, 29, 22, 3, 11, tzinfo=UTC)


# --- Litmus: written here ------------------------------------------------------------------------


def result(name: str = "drill", **status: Any) -> dict[str, Any]:
    """One ChaosResult; ``status`` replaces the default passing one."""
    return {
        "apiVersion": "litmuschaos.io/v1alpha1",
        "kind": "ChaosResult",
        "metadata": {"name": f"kmta-{name}", "namespace": "kmta"},
        "spec": {"engine": "kmta", "experiment": name},
        "status": status or {"experimentStatus": {"phase": "Completed", "verdict": "Pass"}},
    }


def read(tmp_path: Path, document: Any, fmt: str = "litmus", raw: str | None = None) -> ParsedFile:
    path = tmp_path / "result.json"
    path.write_text(raw if raw is not None else json.dumps(document), encoding="utf-8")
    return parse_file(path, "result.json", fmt)


def refused(tmp_path: Path, document: Any, fmt: str = "litmus", raw: str | None = None) -> str:
    with pytest.raises(EvidenceError) as caught:
        read(tmp_path, document, fmt, raw)
    return str(caught.value)


def as_list(*items: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "List", "items": list(items), "metadata": {}}


@pytest.mark.parametrize(
    ("verdict", "phase", "status", "message"),
    [
        ("Pass", "Completed", "passed", None),
        ("Fail", "Completed", "failed", "verdict Fail; phase Completed"),
        ("Awaited", "Running", "error",
         "verdict Awaited: the experiment has not finished; phase Running"),
        ("Stopped", "Stopped", "error",
         "verdict Stopped: the experiment was stopped before it finished; phase Stopped"),
        ("Error", "Error", "error",
         "verdict Error: the experiment could not run to a verdict; phase Error"),
        ("Pass", "Running", "error",
         "verdict Pass, but the experiment has not finished; phase Running"),
    ],
)  # fmt: skip
def test_only_a_completed_pass_passes(
    tmp_path: Path, verdict: str, phase: str, status: str, message: str | None
) -> None:
    document = result(experimentStatus={"phase": phase, "verdict": verdict})
    assert rows(read(tmp_path, document)) == [("kmta", "kmta", "drill", status, message)]


def test_a_pass_beside_a_failed_probe_fails(tmp_path: Path) -> None:
    probe = {"name": "up", "type": "httpProbe", "status": {"verdict": "Failed"}}
    document = result(
        experimentStatus={"phase": "Completed", "verdict": "Pass"}, probeStatuses=[probe]
    )
    assert rows(read(tmp_path, document))[0][3:] == (
        "failed",
        "verdict Pass, but a probe failed; phase Completed; failed probes: up",
    )


def test_a_probe_that_did_not_run_is_skipped(tmp_path: Path) -> None:
    probe = {"name": "up", "status": {"verdict": "N/A"}}
    document = result(
        experimentStatus={"phase": "Error", "verdict": "Error"}, probeStatuses=[probe]
    )
    assert [t.status.value for t in read(tmp_path, document).tests] == ["error", "skipped"]


@pytest.mark.parametrize(
    ("percentage", "value", "failure"),
    [
        ("100", 1.0, None),
        ("0", 0.0, None),
        ("66.5", 0.665, None),
        (50, 0.5, None),
        ("Awaited", None, "probeSuccessPercentage is 'Awaited': the experiment has not finished"),
        ("N/A", None, "probeSuccessPercentage is 'N/A': not a percentage"),
        ("", None, "probeSuccessPercentage is '': not a percentage"),
    ],
)
def test_probe_success_percentage(
    tmp_path: Path, percentage: object, value: float | None, failure: str | None
) -> None:
    outcome = {"phase": "Completed", "verdict": "Pass", "probeSuccessPercentage": percentage}
    [metric] = read(tmp_path, result(experimentStatus=outcome)).metrics
    assert metric.tags == {"namespace": "kmta", "engine": "kmta", "experiment": "drill"}
    if value is None:
        assert metric.stats == {} and metric.failures == (failure,)
    else:
        assert metric.stats["value"].value == pytest.approx(value) and metric.failures == ()


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda d: d["status"]["experimentStatus"].update(verdict="Passed"),
         "result.json: status.experimentStatus.verdict: expected one of Pass, Fail, Awaited, "
         'Stopped, Error, got "Passed"'),
        (lambda d: d["status"]["experimentStatus"].pop("verdict"),
         "status.experimentStatus.verdict: expected one of Pass, Fail, Awaited, Stopped, "
         "Error, got null"),
        (lambda d: d.pop("status"),
         "status: the ChaosResult 'kmta-drill' has no status: the experiment has not reported"),
        (lambda d: d["status"].pop("experimentStatus"),
         "status.experimentStatus: missing: the ChaosResult records no verdict"),
        (lambda d: d["status"].update(experimentstatus={"verdict": "Fail", "phase": "Running"}),
         "status: both experimentStatus and experimentstatus: which holds the verdict?"),
        (lambda d: d["spec"].pop("experiment"), "spec.experiment: expected a string, got null"),
        (lambda d: d["metadata"].update(name=""), "metadata.name: expected a name, got \"\""),
        (lambda d: d["status"]["experimentStatus"].update(probeSuccessPercentage="101"),
         "status.experimentStatus.probeSuccessPercentage: expected a percentage from 0 to 100"),
        (lambda d: d["status"].update(probeStatuses=[{"name": "p", "status": {"verdict": "ok"}}]),
         "status.probeStatuses[0].status.verdict: expected one of Passed, Failed, Awaited, N/A"),
        (lambda d: d["metadata"].update(managedFields=[
            {"manager": "experiments", "fieldsV1": {"f:status": {}}, "time": "yesterday"}]),
         "metadata.managedFields[0].time: expected an RFC 3339 time with its offset"),
        (lambda d: d["metadata"].update(managedFields=[
            {"manager": "experiments", "fieldsV1": {"f:status": {}},
             "time": "2026-11-30T10:15:42"}]),
         "metadata.managedFields[0].time: expected an RFC 3339 time with its offset"),
        (lambda d: d["metadata"].update(managedFields=[
            {"manager": "experiments", "fieldsV1": {"f:status": {}},
             "time": "2026-02-30T10:15:42Z"}]),
         "metadata.managedFields[0].time: expected a real date and time"),
        (lambda d: d.update(kind="ChaosEngine"),
         "(top level): expected a ChaosResult (litmuschaos.io), got kind 'ChaosEngine'"),
        (lambda d: d.update(apiVersion="example.com/v1"),
         "got kind 'ChaosResult' of apiVersion 'example.com/v1'"),
    ],
)  # fmt: skip
def test_broken_results_are_refused_by_key_path(tmp_path: Path, change: Any, said: str) -> None:
    document = result()
    change(document)
    assert said in refused(tmp_path, document)


def test_another_kind_in_a_list_is_refused_never_skipped(tmp_path: Path) -> None:
    engine = {"apiVersion": "litmuschaos.io/v1alpha1", "kind": "ChaosEngine", "metadata": {}}
    said = refused(tmp_path, as_list(result(), engine))
    assert "items[1]: expected a ChaosResult (litmuschaos.io), got kind 'ChaosEngine'" in said


def test_an_empty_list_holds_nothing_and_is_not_detected(tmp_path: Path) -> None:
    parsed = read(tmp_path, as_list())
    assert parsed.tests == () and parsed.metrics == () and parsed.measured_at is None
    assert "cannot tell the format" in refused(tmp_path, as_list(), fmt="auto")


def test_truncated_and_duplicate_keys_are_refused_with_their_place(tmp_path: Path) -> None:
    text = json.dumps(result(), indent=1)
    assert "invalid JSON" in refused(tmp_path, None, raw=text[: len(text) // 2])
    twice = text.replace('"verdict": "Pass"', '"verdict": "Fail", "verdict": "Pass"')
    said = refused(tmp_path, None, raw=twice)
    assert said.startswith("result.json:") and "verdict" in said
    assert "verdict" in refused(tmp_path, None, fmt="auto", raw=twice)


def test_the_time_is_the_last_status_write_and_a_list_is_as_old_as_its_oldest(
    tmp_path: Path,
) -> None:
    def timed(name: str, *times: tuple[str, bool]) -> dict[str, Any]:
        document = result(name)
        document["metadata"]["managedFields"] = [
            {"manager": "m", "fieldsV1": {"f:status": {}} if status else {"f:metadata": {}},
             "time": time}
            for time, status in times
        ]  # fmt: skip
        return document

    one = timed("a", ("2026-11-01T10:00:00Z", True), ("2026-11-03T10:00:00+02:00", True),
                ("2026-12-01T00:00:00Z", False))  # fmt: skip
    two = timed("b", ("2026-11-02T00:00:00.123456789Z", True))
    assert read(tmp_path, one).measured_at == dt.datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    assert read(tmp_path, as_list(one, two)).measured_at == dt.datetime(
        2026, 11, 2, 0, 0, 0, 123456, tzinfo=UTC
    )
    # one result that records no time: the list cannot show all it holds is recent
    assert read(tmp_path, as_list(one, result("c"))).measured_at is None
    only_labels = timed("d", ("2026-11-05T00:00:00Z", False))
    assert read(tmp_path, only_labels).measured_at is None


# --- Chaos Mesh ----------------------------------------------------------------------------------


def test_chaos_mesh_fixtures() -> None:
    running = parse("chaos-mesh", "pod-failure-tikv.json")
    assert rows(running) == [
        ("tidb-cluster", "PodChaos", "pod-failure-tikv: fault injected and recovered", "error",
         "tidb-cluster/basic-tikv-0: the fault is still injected: the experiment has not "
         "finished"),
    ]  # fmt: skip
    assert running.measured_at is None and running.metrics == ()
    drills = parse("chaos-mesh", "drills-list.json")
    assert rows(drills) == [
        ("kmta", "PodChaos", "failover-pod-kill: fault injected and recovered", "passed",
         "fault injected and recovered in 1 target; Chaos Mesh gives no verdict of the "
         "system's health"),
        ("kmta", "NetworkChaos", "smtp-partition: fault injected and recovered", "failed",
         "kmta/smtp-ingress-7d9c5b6f4-x2k8p: the fault was never injected; apply failed: "
         "failed to apply for pod kmta/smtp-ingress-7d9c5b6f4-x2k8p: unable to flush ip sets"),
    ]  # fmt: skip
    assert drills.measured_at == dt.datetime(2026, 11, 30, 9, 0, 6, tzinfo=UTC)


def experiment(*records: dict[str, Any], desired: str = "Stop", paused: str = "False") -> Any:
    return {
        "apiVersion": "chaos-mesh.org/v1alpha1",
        "kind": "PodChaos",
        "metadata": {"name": "kill", "namespace": "kmta"},
        "status": {
            "conditions": [{"type": "Paused", "status": paused}],
            "experiment": {"containerRecords": list(records), "desiredPhase": desired},
        },
    }


def record(phase: str = "Not Injected", injected: int | None = 1, recovered: int | None = 1,
           **extra: Any) -> dict[str, Any]:  # fmt: skip
    counts = {"injectedCount": injected, "recoveredCount": recovered}
    return {"id": "kmta/pod", "phase": phase, **{k: v for k, v in counts.items() if v is not None},
            **extra}  # fmt: skip


@pytest.mark.parametrize(
    ("document", "status", "said"),
    [
        (experiment(record()), "passed",
         "fault injected and recovered in 1 target; Chaos Mesh gives no verdict of the "
         "system's health"),
        (experiment(record(), paused="True"), "error", "paused: the experiment has not finished"),
        (experiment(), "failed", "selected no target: no fault was injected"),
        (experiment(record(injected=0, recovered=0)), "failed",
         "kmta/pod: the fault was never injected"),
        (experiment(record("Injected", 1, 0), desired="Run"), "error",
         "kmta/pod: the fault is still injected: the experiment has not finished"),
        (experiment(record("Injected", 1, 0)), "failed",
         "kmta/pod: not recovered (phase 'Injected', desiredPhase Stop)"),
        (experiment(record("Injected/Recover", 1, 0)), "failed",
         "kmta/pod: not recovered (phase 'Injected/Recover', desiredPhase Stop)"),
        (experiment(record(recovered=0)), "failed", "kmta/pod: never recovered"),
        # Chaos Mesh before 2.3 counts nothing: a finished record cannot show an injection
        (experiment(record(injected=None, recovered=None)), "failed",
         "kmta/pod: the fault was never injected (this Chaos Mesh counts no injections)"),
        (experiment(record("Injected", None, None), desired="Run"), "error",
         "kmta/pod: the fault is still injected: the experiment has not finished"),
    ],
)  # fmt: skip
def test_chaos_mesh_passes_only_a_fault_injected_and_recovered(
    tmp_path: Path, document: Any, status: str, said: str
) -> None:
    [test] = read(tmp_path, document, "chaos-mesh").tests
    assert test.name == "kill: fault injected and recovered"
    assert (test.status.value, test.message) == (status, said)


def test_chaos_mesh_a_later_success_clears_an_earlier_failure(tmp_path: Path) -> None:
    def event(kind: str, operation: str, at: str, message: str = "") -> dict[str, str]:
        said = {"message": message} if message else {}
        return {"type": kind, "operation": operation, "timestamp": at, **said}

    events = [
        event("Failed", "Apply", "2026-11-01T00:00:00Z", "busy"),
        event("Succeeded", "Apply", "2026-11-01T00:00:05Z"),
        event("Failed", "Recover", "2026-11-01T00:01:00Z", "gone"),
    ]
    [test] = read(tmp_path, experiment(record("Injected", 1, 0, events=events)), "chaos-mesh").tests
    assert test.message == "kmta/pod: not recovered (phase 'Injected', desiredPhase Stop); " \
                           "recover failed: gone"  # fmt: skip
    parsed = read(tmp_path, experiment(record(events=events[:2])), "chaos-mesh")
    assert parsed.tests[0].status.value == "passed"
    assert parsed.measured_at == dt.datetime(2026, 11, 1, 0, 0, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda d: d.pop("status"),
         "status: the PodChaos 'kill' has no status: the Chaos Mesh controller has not seen it"),
        (lambda d: d["status"]["experiment"].update(desiredPhase="Pause"),
         "status.experiment.desiredPhase: expected one of Run, Stop"),
        (lambda d: d["status"]["experiment"]["containerRecords"][0].update(injectedCount=-1),
         "status.experiment.containerRecords[0].injectedCount: expected a count"),
        (lambda d: d["status"]["experiment"]["containerRecords"][0].update(
            events=[{"type": "Succeeded", "operation": "Apply", "timestamp": "now"}]),
         "status.experiment.containerRecords[0].events[0].timestamp: expected an RFC 3339"),
        (lambda d: d["status"]["conditions"][0].update(status="yes"),
         "status.conditions[0].status: expected one of True, False, Unknown"),
        (lambda d: d.update(kind="Workflow"),
         "expected a PodChaos or NetworkChaos or"),
    ],
)  # fmt: skip
def test_broken_chaos_mesh_experiments_are_refused_by_key_path(
    tmp_path: Path, change: Any, said: str
) -> None:
    document = copy.deepcopy(experiment(record()))
    change(document)
    assert said in refused(tmp_path, document, "chaos-mesh")


def test_neither_format_claims_the_other(tmp_path: Path) -> None:
    path = tmp_path / "mesh.json"
    path.write_text(json.dumps(experiment(record())), encoding="utf-8")
    assert claimed(path) == ["chaos-mesh"]
    path.write_text(json.dumps(as_list(result())), encoding="utf-8")
    assert claimed(path) == ["litmus"]
    assert "expected a PodChaos" in refused(tmp_path, result(), "chaos-mesh")
    assert "expected a ChaosResult" in refused(tmp_path, experiment(record()), "litmus")
