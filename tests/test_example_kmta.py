"""The bundled KMTA example stays what its README says: the article's matrix, real evidence."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from junitparser import JUnitXml

from gatekeeper.cli import main
from gatekeeper.findfiles import find_files
from gatekeeper.matrix.load import read_matrix
from gatekeeper.model import Matrix
from gatekeeper.parsers import parse_file
from tests.conftest import child_env

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "kmta"
MATRIX = EXAMPLE / "gatekeeper.yml"
REPORTS = EXAMPLE / "reports"

PHASES = {
    "sandbox": "Sandbox",
    "stone": "Stone",
    "bronze": "Bronze",
    "iron": "Iron",
    "steel": "Steel",
    "titanium": "Titanium",
}
# (swimlane name, phase id) -> goal: the article's table, and nothing else.
CELLS = {
    ("Email Authentication", "steel"): "<10 DKIM keys (manual rotation)",
    ("Ingress API", "stone"): "Use account hot setting to divert traffic",
    ("Ingress API", "iron"): (
        "New multi-modal traffic splitter replacing current traffic split logic"
    ),
    ("Resilience / Availability", "stone"): "Initial infrastructure (MTA / HAProxy) stood up",
    ("Resilience / Availability", "iron"): "RFC for persistent volumes",
    ("Resilience / Availability", "steel"): (
        "Persistent volumes; network interfaces → HAProxy integration"
    ),
    ("Scalability", "iron"): "Build load testing harnesses for all components",
    ("Scalability", "titanium"): "All components load tested and verified to scale",
    ("Managed Configuration", "bronze"): (
        "Configuration tools to manage MTA / HAProxy configuration"
    ),
    ("Managed Configuration", "titanium"): "All configuration tools fully operational",
    ("Campaigns Integration", "stone"): "Limited (via account hot setting)",
    ("Campaigns Integration", "iron"): "Full (using multi-modal traffic splitter)",
}
GREY_ARTIFACTS = {"staging-e2e", "soak", "peak"}
"""Evidence that does not exist yet: Titanium is partly grey."""

DELIBERATE_FAILURE = (
    "unit",
    "tests.test_splitter.TestSplitter",
    "test_zero_rollout_keeps_every_account_on_legacy",
)

Outcomes = dict[tuple[str, str, str], str]


@pytest.fixture(scope="module")
def matrix() -> Matrix:
    return read_matrix(MATRIX)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kmta-reports")
    done = subprocess.run(
        [sys.executable, str(EXAMPLE / "regenerate.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        env=child_env(),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def junit_outcomes(folder: Path) -> Outcomes:
    """(suite, classname, name) -> passed / failure / error / skipped, for every JUnit file."""
    outcomes: Outcomes = {}
    for path in sorted((folder / "junit").glob("*.xml")):
        for suite in JUnitXml.fromfile(str(path)):
            for case in suite:
                kinds = [type(result).__name__.lower() for result in case.result]
                outcomes[(suite.name, case.classname, case.name)] = kinds[0] if kinds else "passed"
    return outcomes


def benchmark_names(folder: Path) -> set[str]:
    names = set()
    for path in (folder / "bench").glob("*.json"):
        names |= {b["fullname"] for b in json.loads(path.read_text())["benchmarks"]}
    return names


def test_the_matrix_is_the_articles(matrix: Matrix) -> None:
    assert matrix.project == "KMTA"
    assert matrix.current == "iron"
    assert {p.id: p.name for p in matrix.phases} == PHASES
    assert [p.id for p in matrix.phases] == list(PHASES)
    lanes = {lane.id: lane.name for lane in matrix.swimlanes}
    assert {(lanes[c.swimlane], c.phase): c.goal for c in matrix.cells} == CELLS
    assert all(1 <= len(cell.benchmarks) <= 3 for cell in matrix.cells)


def test_the_one_waiver_holds_an_earlier_phase_open(matrix: Matrix) -> None:
    (waiver,) = matrix.waivers
    assert str(waiver.expires) == "2030-12-31"
    phase = waiver.benchmark.split("/")[1]
    assert matrix.phase_index(phase) < matrix.phase_index("iron")


def test_the_committed_reports_hold_the_deliberate_failure() -> None:
    outcomes = junit_outcomes(REPORTS)
    failed = [test for test, outcome in outcomes.items() if outcome not in ("passed", "skipped")]
    assert failed == [DELIBERATE_FAILURE]
    assert outcomes[DELIBERATE_FAILURE] == "failure"
    assert sum(outcome == "skipped" for outcome in outcomes.values()) == 2


def test_regenerated_junit_has_the_committed_tests_and_outcomes(regenerated: Path) -> None:
    assert junit_outcomes(regenerated) == junit_outcomes(REPORTS)


def test_regenerated_benchmarks_have_the_committed_names(regenerated: Path) -> None:
    assert benchmark_names(regenerated) == benchmark_names(REPORTS)
    assert len(benchmark_names(REPORTS)) == 3


def test_regenerated_k6_summaries_are_the_committed_bytes(regenerated: Path) -> None:
    committed = sorted(p.name for p in (REPORTS / "k6").glob("*.json"))
    assert sorted(p.name for p in (regenerated / "k6").glob("*.json")) == committed
    for name in committed:
        assert (regenerated / "k6" / name).read_bytes() == (REPORTS / "k6" / name).read_bytes()


def coverage_counts(folder: Path) -> dict[str, dict[str, float]]:
    """Each file's and the report's covered and total lines and branches, by series."""
    report = folder / "coverage" / "coverage.xml"
    parsed = parse_file(report, "coverage.xml", "cobertura")
    keep = ("lines_covered", "lines_total", "branches_covered", "branches_total")
    return {m.name: {k: m.stats[k].value for k in keep} for m in parsed.metrics}


def findings(folder: Path) -> list[tuple[str, str, str, str, int | None]]:
    parsed = parse_file(folder / "sarif" / "bandit.sarif", "bandit.sarif", "sarif")
    assert [a.tool for a in parsed.analyses] == ["Bandit"]
    assert all(not a.failures for a in parsed.analyses)
    return [(f.tool, f.rule, f.level, f.file, f.line) for f in parsed.findings]


def test_regenerated_coverage_covers_the_committed_lines(regenerated: Path) -> None:
    committed = coverage_counts(REPORTS)
    assert coverage_counts(regenerated) == committed
    # paths relative to the matrix's folder, every module of the package (campaigns.py: 0 %)
    assert committed["suite/kmta/campaigns.py"]["lines_covered"] == 0
    assert committed["suite/kmta/dkim.py"] == {
        "lines_covered": 68,
        "lines_total": 75,
        "branches_covered": 14,
        "branches_total": 22,
    }


@pytest.mark.needs("bandit", "sarif_om")
def test_regenerated_bandit_log_has_the_committed_findings(regenerated: Path) -> None:
    assert findings(regenerated) == findings(REPORTS) == []


def test_coverage_and_static_analysis_pass_saying_what_they_measured(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "--matrix", str(MATRIX), "--phase", "steel", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    found = {b["ref"]: b for cell in report["cells"] for b in cell["benchmarks"]}
    coverage = found["email-auth/steel/dkim-coverage"]
    assert (coverage["outcome"], coverage["details"]) == (
        "pass",
        [
            "suite/kmta/dkim.py line = 90.67% (meets 'line >= 85%')",
            "suite/kmta/dkim.py branch = 63.64% (meets 'branch >= 60%')",
        ],
    )
    security = found["ingress-api/stone/no-security-findings"]
    assert (security["outcome"], security["summary"]) == ("pass", "0 findings; at most 0 allowed")
    assert security["found"]["counted"] == 0


def test_every_glob_finds_its_evidence_and_the_grey_ones_none(matrix: Matrix) -> None:
    assert GREY_ARTIFACTS.issubset(matrix.artifacts)
    for artifact in matrix.artifacts.values():
        for pattern in artifact.paths:
            found = find_files(EXAMPLE, (pattern,)).files
            if artifact.id in GREY_ARTIFACTS:
                assert not found, f"{artifact.id}: {pattern} should match nothing yet"
            else:
                assert found, f"{artifact.id}: {pattern} matches no committed file"


def test_check_fails_iron_for_the_splitter_and_stands_at_bronze(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["check", "--matrix", str(MATRIX), "--dry-run", "--format", "json"]
    assert main([*argv, "--as-of", "2026-12-04"]) == 1  # any day before the waiver expires
    report = json.loads(capsys.readouterr().out)
    assert (report["enforced_phase"], report["stands_at"]) == ("iron", "bronze")
    outcomes = {b["ref"]: b["outcome"] for cell in report["cells"] for b in cell["benchmarks"]}
    blocking = {ref for ref, outcome in outcomes.items() if outcome not in ("pass", "waived")}
    phases = {ref: ref.split("/")[1] for ref in blocking}
    assert {ref for ref, phase in phases.items() if phase == "iron"} == {
        "ingress-api/iron/splitter-tests",
        "ingress-api/iron/splitter-latency",
    }
    assert {outcomes[ref] for ref, phase in phases.items() if phase != "iron"} == {"missing"}
    assert outcomes["managed-config/bronze/config-apply-staging"] == "waived"
    found = {b["ref"]: b for cell in report["cells"] for b in cell["benchmarks"]}
    drill = found["resilience/steel/failover-drill"]  # passed, but in August: run it again
    assert drill["summary"] == "stale: last evidence 102 days old (max 13w)"
    assert drill["age"]["stale"] and drill["age"]["measured_at"] == "2026-08-24T10:15:42Z"
    assert outcomes["resilience/steel/shadow-availability"] == "pass"
    assert found["resilience/steel/shadow-availability"]["measurements"][0]["actual"] == "0.997"
    signoff = found["managed-config/titanium/runbook-reviewed"]  # no token here: unverified
    assert signoff["summary"].startswith("unverified: the sign-off on signoffs/failover-runbook.md")
    states = {f"{cell['swimlane']}/{cell['phase']}": cell["state"] for cell in report["cells"]}
    assert {ref for ref, state in states.items() if state != "green"} == {
        "ingress-api/iron",  # red
        "resilience/steel",  # grey, as is all of Titanium; DKIM's Steel cell is green
        "scalability/titanium",
        "managed-config/titanium",
    }
    assert states["ingress-api/iron"] == "red"


def test_the_example_json_report_follows_the_published_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads((Path(__file__).parents[1] / "schemas" / "report.schema.json").read_text())
    assert main(["check", "--matrix", str(MATRIX), "--format", "json"]) == 1
    Draft202012Validator(schema).validate(json.loads(capsys.readouterr().out))


def test_the_waiver_holds_bronze_open_until_it_expires(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["check", "--matrix", str(MATRIX), "--phase", "bronze", "--format", "none"]
    assert main([*argv, "--today", "2030-12-31"]) == 0
    assert main([*argv, "--today", "2031-01-01"]) == 1


def test_the_failover_drill_was_fresh_for_its_quarter(capsys: pytest.CaptureFixture[str]) -> None:
    """The README's claim: the drill of 2026-08-24 passes as of 2026-09-01, and is stale
    after 13 weeks (max_age on its artifact), never from the file's modification time."""
    argv = ["check", "--matrix", str(MATRIX), "--dry-run", "--format", "json", "--phase", "steel"]
    verdicts = {}
    for day in ("2026-09-01", "2026-11-22", "2026-11-23"):
        main([*argv, "--as-of", day])
        report = json.loads(capsys.readouterr().out)
        found = {b["ref"]: b for cell in report["cells"] for b in cell["benchmarks"]}
        verdicts[day] = found["resilience/steel/failover-drill"]["outcome"]
    assert verdicts == {"2026-09-01": "pass", "2026-11-22": "pass", "2026-11-23": "missing"}
