"""The benchmarks at a tiny size: they run, and every contender finds the same numbers.

At full size they measure speed and memory (see benchmarks/); here only that each script
runs its whole processes to their expected exit codes and that gatekeeper agrees with the
alternatives it is measured against: counts, failures and percentiles. The scripts time
with hyperfine and GNU time, which .ci/run installs (elsewhere a missing one skips).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, missing_tool

pytestmark = pytest.mark.slow  # real programs or whole processes: seconds each


def _quick(script: str, *args: str, timeout: float = 120) -> str:
    """Run ``benchmarks/SCRIPT --quick ARGS``; its output, once it has ended with exit 0."""
    if shutil.which("hyperfine") is None or not Path("/usr/bin/time").exists():
        missing_tool("hyperfine and GNU time are not installed (apt-get install hyperfine time)")
    argv = [sys.executable, str(REPO / "benchmarks" / script), "--quick", *args]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _results(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("results: {"))


@pytest.mark.parametrize(
    ("script", "numbers"),
    [
        pytest.param(
            "k6_stream.py",
            ("'http_req_duration{status:200}': {'count': ", "'p(95)': "),
            marks=pytest.mark.needs("orjson"),
        ),
        pytest.param(
            "jtl.py",
            ("'TOTAL': {'count': '20000', 'fails': ", "'p(95)': "),
            marks=pytest.mark.needs("pyarrow"),  # it times check with and without it
        ),
    ],
)
def test_quick_run_agrees_with_the_baselines(
    script: str, numbers: tuple[str, ...], tmp_path: Path
) -> None:
    out = _quick(script, "--dir", str(tmp_path))
    assert "[met] same numbers from every contender" in out
    assert all(number in _results(out) for number in numbers), _results(out)
    assert list(tmp_path.iterdir()), "the generated input goes to --dir"


@pytest.mark.needs("lxml")
def test_quick_junit_run_agrees_with_junitparser_and_lxml(tmp_path: Path) -> None:
    """Whole processes: gatekeeper check's counts per selection are junitparser's."""
    out = _quick("junit_stream.py", "--dir", str(tmp_path))
    assert "[met] same numbers from gatekeeper and junitparser" in out
    assert all(f'"by-{key}": [' in _results(out) for key in ("suite", "class", "file", "name"))
    assert list(tmp_path.iterdir()), "the generated input goes to --dir"


@pytest.mark.needs("lxml", "orjson")
def test_quick_coverage_run_agrees_with_lxml_and_lcov(tmp_path: Path) -> None:
    """Whole processes: check's line and branch counts of TOTAL and a folder are those of
    lxml iterparse (Cobertura), of lcov --summary / --extract (LCOV) and of orjson summing
    coverage.py's JSON report."""
    if shutil.which("lcov") is None:
        missing_tool("lcov is not installed (apt-get install lcov)")
    out = _quick("coverage.py", "--dir", str(tmp_path))
    assert "[met] same numbers from gatekeeper and lxml iterparse" in out
    assert "[met] same numbers from gatekeeper and lcov --summary/--extract" in out
    assert "[met] same numbers from gatekeeper and orjson.loads" in out
    results = [line for line in out.splitlines() if line.startswith("results: {")]
    assert len(results) == 3 and len(set(results)) == 1, results  # one project, three formats
    assert all('"TOTAL": {"branches": [' in r and '"pkg7/*": {' in r for r in results)
    assert list(tmp_path.iterdir()), "the generated input goes to --dir"


@pytest.mark.needs("orjson")
def test_quick_sarif_run_agrees_with_sarif_tools_and_orjson(tmp_path: Path) -> None:
    """Whole processes: check's findings per level are those of sarif-tools' `sarif summary`
    and of an orjson count of the same log."""
    if shutil.which("sarif", path=str(Path(sys.executable).parent)) is None:
        missing_tool("sarif-tools is not installed (pip install sarif-tools: the tools extra)")
    out = _quick("sarif.py", "--dir", str(tmp_path))
    assert "[met] same counts from every contender" in out
    counts = _results(out)
    assert all(f"'{level}': " in counts for level in ("error", "warning", "note")), counts
    assert "'error': 0," not in counts  # the generated log has findings of every level
    assert list(tmp_path.iterdir()), "the generated input goes to --dir"


def test_quick_bundles_run_agrees_with_the_raw_files(tmp_path: Path) -> None:
    """Whole processes: check --bundle on merged shard bundles counts as check on the files."""
    out = _quick("bundles.py", "--dir", str(tmp_path))
    assert "[met] same numbers from the bundle as from the files" in out
    assert all(f'"by-{key}": [' in _results(out) for key in ("suite", "class", "file", "name"))
    assert list(tmp_path.iterdir()), "the generated input goes to --dir"


def test_quick_xml_tokens_run_reads_under_the_cap_and_refuses_junk(tmp_path: Path) -> None:
    """Whole processes: check reads a report with a 1-2 MB token (exit 0) and refuses junk
    named as XML (exit 3): the script checks each exit code before timing."""
    out = _quick("xml_tokens.py", "--dir", str(tmp_path))
    assert "attribute of 2 MB" in out and "junk of 30 MB" in out


def test_quick_path_globs_run_judges_every_case(tmp_path: Path) -> None:
    """Whole processes: every hostile swimlane pattern and artifact walk ends in its verdict
    (the script checks each exit code before timing)."""
    out = _quick("path_globs.py", "--dir", str(tmp_path), timeout=300)
    assert "KMTA, 3,000 changed files" in out
    assert "*a*a*a*a*a*a*a*a*b vs 100,000 chars" in out
    assert "tree/**/**/**/**/**/unit.xml" in out


def test_quick_startup_run_measures_the_same_report_twice() -> None:
    """startup.py times the check whole-process; compared with itself, both reports agree."""
    gatekeeper = Path(sys.executable).with_name("gatekeeper")
    if not gatekeeper.exists():
        missing_tool("no gatekeeper command beside the interpreter (pip install -e .)")
    out = _quick("startup.py", "--compare", str(gatekeeper))
    assert "[met] the same report from every check: 2 checks" in out
    assert "not judged (--quick)" in out


def test_quick_compare_run_regresses_exactly_the_slowed_series(tmp_path: Path) -> None:
    """Whole processes: at a confidence, check fails the slowed fifth of the series, each
    judged from its samples, and no other."""
    out = _quick("compare.py", "--dir", str(tmp_path))
    assert "[met] the slowed series, and only they, regressed at 95 %" in out
    assert _results(out) == "results: {'failed': 4, 'of': 20}"
    assert list(tmp_path.iterdir()), "the generated input goes to --dir"


@pytest.mark.needs("orjson")
@pytest.mark.parametrize(
    ("script", "said", "numbers"),
    [
        ("prometheus.py", "same numbers from every contender", ("'min': '", "'avg': '")),
        ("chaos.py", "same counts from every contender", ("'passed': 40, 'total': 80",)),
    ],
)
def test_quick_evidence_run_agrees_with_orjson(
    script: str, said: str, numbers: tuple[str, ...], tmp_path: Path
) -> None:
    """Whole processes: check's min and avg of one Prometheus series are orjson's (and jq's,
    when installed); its counts of Litmus verdicts and probes are an orjson script's."""
    out = _quick(script, "--dir", str(tmp_path))
    assert f"[met] {said}" in out
    assert all(number in _results(out) for number in numbers), _results(out)
    assert list(tmp_path.iterdir()), "the generated input goes to --dir"


@pytest.mark.needs("orjson")
def test_quick_history_run_agrees_with_orjson(tmp_path: Path) -> None:
    """Whole processes: `gatekeeper history --format json` finds every benchmark's latest
    value and the dates the gates first passed that an orjson script finds."""
    out = _quick("history.py", "--dir", str(tmp_path))
    assert "[met] same numbers from every contender" in out
    assert "'benchmarks': 4}" in _results(out)
    assert list(tmp_path.iterdir()), "the generated input goes to --dir"


@pytest.mark.needs("orjson")
def test_quick_history_page_run_agrees_with_orjson(tmp_path: Path) -> None:
    """Whole processes: the page `check --format html --history` draws has, as each chart's
    newest value, the latest value an orjson script reads from the same history."""
    out = _quick("history_page.py", "--dir", str(tmp_path))
    assert "[met] the page's newest value of each chart is the script's latest: 4 charts" in out
