"""Chaos experiments judged end to end (issue 16): `gatekeeper check`, `validate` and `inspect`
on LitmusChaos ChaosResults and Chaos Mesh experiments, with exit codes.

The files are the fixtures of tests/parsers/fixtures/{litmus,chaos-mesh} (their sources in
each ``SOURCES.md``) and small documents written here for what they do not show.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from tests.conftest import compare_or_regenerate
from tests.matrices import Cell, Lane, matrix_yaml

FIXTURES = Path(__file__).parent / "parsers" / "fixtures"
EXPECTED = Path(__file__).parent / "inspect_expected"
DRILLS = FIXTURES / "litmus" / "litmus3-list.json"
MESH = FIXTURES / "chaos-mesh" / "drills-list.json"


def write(tmp_path: Path, benchmarks: list[str], fmt: str = "litmus", name: str = "drills") -> Path:
    text = matrix_yaml(
        phases=["one"],
        artifacts={name: (fmt, f"{name}.json")},
        lanes=[Lane("resilience", "Resilience", {"one": Cell("drills", tuple(benchmarks))})],
    )
    (tmp_path / "gatekeeper.yml").write_text(text, encoding="utf-8")
    return tmp_path / "gatekeeper.yml"


def judge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], benchmarks: list[str], **kw: Any
) -> tuple[int, dict[str, dict[str, Any]]]:
    matrix = write(tmp_path, benchmarks, **kw)
    capsys.readouterr()
    code = main(["check", "--matrix", str(matrix), "--format", "json"])
    out = capsys.readouterr().out
    return code, {b["id"]: b for b in json.loads(out)["cells"][0]["benchmarks"]}


def test_a_passing_drill_passes_and_an_awaited_one_fails_with_its_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(DRILLS, tmp_path / "drills.json")
    failover = "{id: failover, tests: {from: drills, class: kmta-failover, name: pod-delete}}"
    code, found = judge(tmp_path, capsys, [failover])
    assert code == ExitCode.PASSED
    assert (found["failover"]["outcome"], found["failover"]["summary"]) == (
        "pass",
        "1/1 tests passed",
    )
    dns = "{id: dns, tests: {from: drills, class: kmta-dns, name: pod-dns-error}}"
    code, found = judge(tmp_path, capsys, [failover, dns])
    assert code == ExitCode.FAILED
    assert found["dns"]["outcome"] == "fail"
    assert found["dns"]["failed_tests"][0]["message"] == (
        "verdict Awaited: the experiment has not finished; phase Running"
    )
    main(["check", "--matrix", str(tmp_path / "gatekeeper.yml"), "--color", "never"])
    text = capsys.readouterr().out
    assert "error: kmta-dns::pod-dns-error — verdict Awaited: the experiment has not finished" in (
        text
    )


def test_the_drill_and_its_probes_and_percentage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(DRILLS, tmp_path / "drills.json")
    code, found = judge(tmp_path, capsys, [
        "{id: all, tests: {from: drills, class: kmta-failover, min: 3}}",
        "{id: probes, tests: {from: drills, name: 'pod-network-loss/*'}}",
        "id: pct\n"
        "metric: {from: drills, name: 'probeSuccessPercentage{experiment:pod-delete}'}\n"
        "threshold: value >= 100%",
        "id: awaited\n"
        "metric: {from: drills, name: 'probeSuccessPercentage{experiment:pod-dns-error}'}\n"
        "threshold: value >= 100%",
    ])  # fmt: skip
    assert code == ExitCode.FAILED
    outcome = {key: bench["outcome"] for key, bench in found.items()}
    assert outcome == {"all": "pass", "probes": "fail", "pct": "pass", "awaited": "fail"}
    assert found["probes"]["summary"] == "1/2 tests passed: pass rate 50% < required 100%"
    # "Awaited" is no percentage: the failure Litmus recorded fails it, never 100 %
    assert "probeSuccessPercentage is 'Awaited'" in json.dumps(found["awaited"])


def test_no_result_yet_never_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = {"apiVersion": "v1", "kind": "List", "items": [], "metadata": {}}
    (tmp_path / "drills.json").write_text(json.dumps(empty), encoding="utf-8")
    code, found = judge(tmp_path, capsys, ["{id: d, tests: {from: drills, name: pod-delete}}"])
    assert code == ExitCode.FAILED
    assert (found["d"]["outcome"], found["d"]["summary"]) == (
        "fail",
        "0/0 tests passed: the selection matched no test in drills.json",
    )


def test_a_broken_result_is_an_error_naming_the_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(DRILLS.read_text(encoding="utf-8"))
    document["items"][1]["status"]["experimentStatus"]["verdict"] = "Unknown"
    (tmp_path / "drills.json").write_text(json.dumps(document), encoding="utf-8")
    code, found = judge(tmp_path, capsys, ["{id: d, tests: {from: drills, name: pod-delete}}"])
    assert code == ExitCode.NO_EVIDENCE
    assert found["d"]["outcome"] == "error"
    said = json.dumps(found["d"])
    assert "drills.json" in said and "items[1].status.experimentStatus.verdict" in said


def test_hostile_names_are_inert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evil = "::error file=x::pwned|x ##[group]y"
    document = {
        "apiVersion": "litmuschaos.io/v1alpha1",
        "kind": "ChaosResult",
        "metadata": {"name": "r", "namespace": "kmta"},
        "spec": {"engine": "kmta", "experiment": evil},
        "status": {"experimentStatus": {"phase": "Completed", "verdict": "Fail",
                                        "errorOutput": {"reason": "\n::error::again"}}},
    }  # fmt: skip
    (tmp_path / "drills.json").write_text(json.dumps(document), encoding="utf-8")
    write(tmp_path, ["{id: d, tests: {from: drills, class: kmta}}"])
    for output in (["--color", "never"], ["--format", "markdown"]):
        capsys.readouterr()
        code = main(["check", "--matrix", str(tmp_path / "gatekeeper.yml"), *output])
        assert code == ExitCode.FAILED
        text = capsys.readouterr().out
        assert "pwned" in text  # shown, where the runner obeys nothing
        assert not any(line.lstrip().startswith("::") for line in text.splitlines()), text
        assert "##[group]" not in text
    assert "pwned\\|x" in text  # a Markdown table's pipe, escaped
    capsys.readouterr()
    assert main(["inspect", str(tmp_path / "drills.json")]) == ExitCode.PASSED
    shown = capsys.readouterr().out
    assert not any(line.lstrip().startswith("::") for line in shown.splitlines())


def test_chaos_mesh_alone_in_a_cell_is_refused_and_passes_beside_a_metric(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(MESH, tmp_path / "faults.json")
    alone = ["{id: kill, tests: {from: faults, name: 'failover-pod-kill:*'}}"]
    matrix = write(tmp_path, alone, fmt="chaos-mesh", name="faults")
    capsys.readouterr()
    assert main(["validate", str(matrix)]) == ExitCode.USAGE
    said = capsys.readouterr()
    assert (
        "'faults' is read as chaos-mesh, which records that a fault was injected and "
        "recovered, never whether the system stayed healthy: pair it with a metric benchmark "
        "in the same cell (availability or error rate during the fault)"
    ) in said.out + said.err
    text = matrix_yaml(
        phases=["one"],
        artifacts={"faults": ("chaos-mesh", "faults.json"), "drills": ("litmus", "drills.json")},
        lanes=[Lane("resilience", "Resilience", {"one": Cell("drills", (
            *alone,
            "id: up\nmetric: {from: drills, name: 'probeSuccessPercentage{experiment:pod-delete}'}"
            "\nthreshold: value >= 100%",
        ))})],
    )  # fmt: skip
    matrix.write_text(text, encoding="utf-8")
    shutil.copy(DRILLS, tmp_path / "drills.json")
    assert main(["validate", str(matrix)]) == ExitCode.PASSED
    capsys.readouterr()
    assert main(["check", "--matrix", str(matrix), "--format", "json"]) == ExitCode.PASSED
    [cell] = json.loads(capsys.readouterr().out)["cells"]
    assert [b["outcome"] for b in cell["benchmarks"]] == ["pass", "pass"]


@pytest.mark.parametrize("name", ["litmus/litmus3-list.json", "chaos-mesh/drills-list.json"])
def test_inspect_shows_the_drills_tests_and_series(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(FIXTURES)
    capsys.readouterr()
    assert main(["inspect", name]) == ExitCode.PASSED
    compare_or_regenerate(EXPECTED / (name.replace("/", "__") + ".txt"), capsys.readouterr().out)


def test_init_from_proposes_no_chaos_mesh_benchmark_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A draft `validate` accepts: the Chaos Mesh tests are listed with their benchmark, to
    add beside a metric of health, never proposed alone."""
    shutil.copy(MESH, tmp_path / "faults.json")
    shutil.copy(DRILLS, tmp_path / "drills.json")
    matrix = tmp_path / "gatekeeper.yml"
    assert main(["init", "--from", str(tmp_path), str(matrix)]) == ExitCode.PASSED
    text = matrix.read_text(encoding="utf-8")
    assert 'tests: {from: "chaos-mesh"' not in text.split("# Found, but not judged")[0]
    assert (
        "#   chaos-mesh: tests PodChaos: says the fault was injected and recovered, not that "
        "the system stayed healthy: add it to a cell beside a metric of the system's health "
        "during the fault"
    ) in text
    assert 'tests: {from: "litmus", class: "kmta-failover", min: 3' in text
    capsys.readouterr()
    assert main(["validate", str(matrix)]) == ExitCode.PASSED
