"""Coverage reports: Cobertura, JaCoCo, coverage.py JSON, LCOV and Go cover profiles.

The fixtures under fixtures/{cobertura,lcov,coverage-json,go-cover}/ were written by the
real tools (coverage.py 7.17.5, gcovr 8.8 with g++, Go 1.19; see tools/README.md);
fixtures/jacoco/ holds files written by hand to JaCoCo's report DTD (1.1), since no JaCoCo
report is in the corpus. The values below are the ones the tools printed. Broken and
hostile reports are written here, each refused with the file and where.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekeeper.engine.metrics import evaluate_metric
from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, ParsedFile
from gatekeeper.model import MetricCriterion
from gatekeeper.parsers import detect_format, parse_file
from gatekeeper.parsers._text import MAX_LINE
from gatekeeper.results import Outcome
from gatekeeper.threshold import parse_threshold
from gatekeeper.units import Dimension
from tests.parsers.claims import claimed, claimed_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def parse(path: Path, fmt: str = "auto") -> ParsedFile:
    return parse_file(path, path.name, fmt)


def values(path: Path) -> dict[str, dict[str, float]]:
    """Each series' statistics as plain numbers, by series name."""
    parsed = parse(path)
    assert all(m.kind.startswith("coverage") and m.source == path.name for m in parsed.metrics)
    return {m.name: {k: q.value for k, q in m.stats.items()} for m in parsed.metrics}


def broken(tmp_path: Path, content: str | bytes, fmt: str, name: str = "report") -> str:
    """The message of the EvidenceError reading ``content`` as ``fmt``."""
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    with pytest.raises(EvidenceError) as caught:
        parse_file(path, name, fmt)
    return str(caught.value)


@pytest.mark.parametrize(
    ("relative", "fmt"),
    [
        ("cobertura/coveragepy-branch.xml", "cobertura"),
        ("cobertura/gcovr.xml", "cobertura"),
        ("jacoco/handmade-dtd.xml", "jacoco"),
        ("jacoco/groups.xml", "jacoco"),
        ("coverage-json/coveragepy-branch.json", "coverage-json"),
        ("lcov/coveragepy-branch.info", "lcov"),
        ("lcov/gcovr.info", "lcov"),
        ("go-cover/set.out", "go-cover"),
        ("go-cover/coverpkg-count.out", "go-cover"),
    ],
)
def test_each_fixture_is_claimed_by_its_format_alone(relative: str, fmt: str) -> None:
    path = FIXTURES / relative
    assert claimed(path) == [fmt]
    assert detect_format(path, relative) == fmt


# coverage.py on the same run (--branch): 11 of 15 statements, 1 of 4 branches; calc.py 4/8, 1/4
COVERAGEPY_TOTAL = {"line": 11 / 15, "lines_covered": 11, "lines_total": 15}
COVERAGEPY_BRANCHES = {"branch": 0.25, "branches_covered": 1, "branches_total": 4}


def test_coveragepy_reports_agree_in_every_format() -> None:
    xml = values(FIXTURES / "cobertura/coveragepy-branch.xml")
    as_json = values(FIXTURES / "coverage-json/coveragepy-branch.json")
    info = values(FIXTURES / "lcov/coveragepy-branch.info")
    for found in (xml, as_json, info):
        assert found["TOTAL"].items() >= {**COVERAGEPY_TOTAL, **COVERAGEPY_BRANCHES}.items()
        assert found["pkg/calc.py"]["line"] == 0.5
        assert found["pkg/calc.py"]["branch"] == 0.25
        assert found["pkg/sub/more.py"]["line"] == 1.0
        # an __init__.py without statements has counts, and no ratio to hold
        assert found["pkg/__init__.py"]["lines_total"] == 0
        assert "line" not in found["pkg/__init__.py"]
    # packages only where the format has them
    assert xml["pkg"]["lines_total"] == 8 and xml["pkg.sub"]["line"] == 1.0
    assert "pkg" not in as_json and "pkg" not in info
    # LCOV alone carries functions: sign and unused in calc.py, f, test_sign
    assert info["TOTAL"]["function"] == 0.75
    assert "function" not in xml["TOTAL"] and "function" not in as_json["TOTAL"]


def test_gcovr_cobertura_and_lcov() -> None:
    """gcovr printed `TOTAL 10 6 60%`; lines 6 and 8 hold four branches, one taken."""
    xml = values(FIXTURES / "cobertura/gcovr.xml")
    info = values(FIXTURES / "lcov/gcovr.info")
    assert list(xml) == ["shapes.cpp", "TOTAL"]  # gcovr's package "" is no series
    assert xml["TOTAL"]["line"] == info["TOTAL"]["line"] == 0.6
    assert xml["TOTAL"]["branch"] == info["TOTAL"]["branch"] == 0.25
    assert info["TOTAL"]["functions_covered"] == 2 and info["TOTAL"]["functions_total"] == 3
    assert list(info) == ["/tmp/gc/shapes.cpp", "TOTAL"]  # SF: as gcovr wrote it


def test_jacoco_files_packages_and_totals() -> None:
    found = values(FIXTURES / "jacoco/groups.xml")
    assert list(found) == [
        "org/shop/ingress/Router.java",
        "org/shop/ingress/Legacy.java",
        "org/shop/billing/Invoice.java",
        "org/shop/ingress",
        "org/shop/billing",
        "TOTAL",
    ]
    assert found["TOTAL"]["lines_covered"] == 13 and found["TOTAL"]["lines_total"] == 17
    assert found["TOTAL"]["branch"] == 0.75
    assert found["TOTAL"]["function"] == 5 / 7
    # a file JaCoCo wrote no BRANCH counter for has no branch coverage, not 0 % or 100 %
    assert "branch" not in found["org/shop/ingress/Legacy.java"]
    assert found["org/shop/ingress"]["line"] == 8 / 12


def test_go_cover_profile_counts_statements() -> None:
    """`go tool cover -func` printed `total: (statements) 40.0%` and 33.3% for -coverpkg."""
    found = values(FIXTURES / "go-cover/set.out")
    assert found["TOTAL"] == {"line": 0.4, "lines_covered": 2, "lines_total": 5}
    assert found["example.com/m/calc"]["line"] == 0.4
    counted = values(FIXTURES / "go-cover/coverpkg-count.out")
    assert counted["TOTAL"]["line"] == pytest.approx(1 / 3)
    assert counted["example.com/m"]["line"] == 0.0
    assert counted["example.com/m/main.go"]["lines_total"] == 1


def test_every_statistic_has_its_dimension() -> None:
    for metric in parse(FIXTURES / "lcov/gcovr.info").metrics:
        for name, quantity in metric.stats.items():
            want = Dimension.COUNT if "_" in name else Dimension.RATIO
            assert quantity.dimension is want, (metric.name, name)


def _judge(parsed: ParsedFile, name: str, threshold: str) -> tuple[Outcome, str]:
    evidence = ArtifactEvidence("cov", ArtifactState.READ, files=(parsed,))
    criterion = MetricCriterion("cov", name, {}, (parse_threshold(threshold),))
    outcome, summary, _, _ = evaluate_metric(criterion, evidence)
    return outcome, summary


def test_thresholds_on_total_and_on_one_file() -> None:
    parsed = parse(FIXTURES / "cobertura/coveragepy-branch.xml")
    assert _judge(parsed, "TOTAL", "line >= 70%")[0] is Outcome.PASS
    assert _judge(parsed, "TOTAL", "line >= 80%")[0] is Outcome.FAIL
    assert _judge(parsed, "pkg/calc.py", "branch >= 25%")[0] is Outcome.PASS
    assert _judge(parsed, "pkg/calc.py", "lines_covered >= 5")[0] is Outcome.FAIL
    # a kind the report does not measure is no pass
    assert _judge(parsed, "TOTAL", "function >= 1%")[0] is not Outcome.PASS
    assert _judge(parsed, "pkg/__init__.py", "line >= 1%")[0] is not Outcome.PASS


# --- broken and hostile reports ---------------------------------------------------------

COBERTURA = """<?xml version="1.0" ?>
<coverage line-rate="{rate}" branch-rate="0" lines-valid="2" lines-covered="1">
  <packages><package name="p" line-rate="{rate}">
    <classes><class name="a" filename="p/a.py" line-rate="{rate}">
      <lines><line number="1" hits="{hits}"/><line number="2" hits="0"/></lines>
    </class></classes>
  </package></packages>
</coverage>
"""


def test_cobertura_well_formed_reference(tmp_path: Path) -> None:
    path = tmp_path / "c.xml"
    path.write_text(COBERTURA.format(rate="0.5", hits="3"))
    assert values(path)["TOTAL"]["line"] == 0.5


@pytest.mark.parametrize(
    ("rate", "hits", "expected"),
    [
        ("1.5", "3", "line-rate: expected a rate from 0 to 1, got '1.5'"),
        ("NaN", "3", "line-rate: expected a rate from 0 to 1, got 'NaN'"),
        ("-0.5", "3", "expected a rate from 0 to 1"),
        ("0.9", "3", "line-rate is 0.9 but its counts say 1/2 = 0.5000: the report contradicts"),
        ("0.5", "-1", "negative hits of line 1"),
        ("0.5", "lots", "hits of line 1: expected a whole number, got 'lots'"),
    ],
)
def test_cobertura_numbers_that_cannot_be(
    tmp_path: Path, rate: str, hits: str, expected: str
) -> None:
    assert expected in broken(tmp_path, COBERTURA.format(rate=rate, hits=hits), "cobertura")


def test_cobertura_errors_name_the_class_line(tmp_path: Path) -> None:
    message = broken(tmp_path, COBERTURA.format(rate="0.5", hits="-1"), "cobertura", "c.xml")
    assert message.startswith("c.xml:4:")  # the <class> start tag


def test_cobertura_stated_counts_that_disagree(tmp_path: Path) -> None:
    report = COBERTURA.format(rate="0.5", hits="1").replace(
        'lines-covered="1"', 'lines-covered="2"'
    )
    report = report.replace('<coverage line-rate="0.5"', '<coverage line-rate="1"')
    message = broken(tmp_path, report, "cobertura")
    assert "contradicts itself" in message


def test_cobertura_branches_that_do_not_add_up(tmp_path: Path) -> None:
    report = COBERTURA.format(rate="0.5", hits="1").replace(
        'hits="1"/>', 'hits="1" branch="true" condition-coverage="150% (3/2)"/>'
    )
    assert "branches: 3 covered of only 2: counts do not add up" in broken(tmp_path, report, "auto")


def test_cobertura_truncated(tmp_path: Path) -> None:
    whole = COBERTURA.format(rate="0.5", hits="1")
    message = broken(tmp_path, whole[: len(whole) // 2], "auto")
    assert "malformed XML" in message and "truncated" in message


def test_cobertura_of_no_file(tmp_path: Path) -> None:
    report = '<coverage line-rate="0" branch-rate="0"><packages/></coverage>\n'
    assert "the report covers no file" in broken(tmp_path, report, "auto")


def test_clover_shares_the_root_name_but_is_not_claimed() -> None:
    clover = b'<?xml version="1.0"?>\n<coverage generated="1" clover="4.4"><project/></coverage>'
    assert claimed_bytes(clover) == []


JACOCO_DOCTYPE = '<!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">'
JACOCO = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}<report name="r">'
    '<sessioninfo id="s" start="1" dump="2"/><package name="p"><sourcefile name="A.java">'
    '<counter type="LINE" missed="{missed}" covered="3"/></sourcefile>'
    '<counter type="LINE" missed="{missed}" covered="3"/></package>'
    '<counter type="LINE" missed="1" covered="3"/></report>'
)


def test_jacoco_doctype_is_read_and_never_fetched(tmp_path: Path) -> None:
    """The DTD named is not opened: a local one declaring entities would be refused if read."""
    (tmp_path / "evil.dtd").write_text('<!ENTITY lol "lol"><!ENTITY % p "x">')
    for doctype in (JACOCO_DOCTYPE, '<!DOCTYPE report SYSTEM "evil.dtd">', ""):
        path = tmp_path / "jacoco.xml"
        path.write_text(JACOCO.format(doctype=doctype, missed=1))
        assert values(path)["TOTAL"]["line"] == 0.75


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE report [<!ENTITY lol "lol">]>',
        '<!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd" '
        '[<!ENTITY % remote SYSTEM "http://example.invalid/x.dtd"> %remote;]>',
    ],
)
def test_jacoco_entity_declarations_are_still_refused(tmp_path: Path, doctype: str) -> None:
    message = broken(tmp_path, JACOCO.format(doctype=doctype, missed=1), "jacoco")
    assert "refused: XML entity declarations are not allowed" in message


def test_jacoco_totals_that_disagree_with_the_files(tmp_path: Path) -> None:
    message = broken(tmp_path, JACOCO.format(doctype=JACOCO_DOCTYPE, missed=2), "auto")
    assert "the report's counters (3/4 lines) differ from its source files' sum (3/5 lines)" in (
        message
    )


def test_jacoco_negative_counter(tmp_path: Path) -> None:
    report = JACOCO.format(doctype=JACOCO_DOCTYPE, missed=1).replace(
        'missed="1" covered="3"/></s', 'missed="-1" covered="3"/></s', 1
    )
    assert "negative LINE missed" in broken(tmp_path, report, "jacoco")


LCOV = "TN:\nSF:src/a.c\nDA:1,1\nDA:2,0\nLF:{lf}\nLH:{lh}\nend_of_record\n"


def test_lcov_summaries_must_match_the_entries(tmp_path: Path) -> None:
    assert values_of(tmp_path, LCOV.format(lf=2, lh=1))["TOTAL"]["line"] == 0.5
    message = broken(tmp_path, LCOV.format(lf=2, lh=2), "auto", "a.info")
    assert message.startswith("a.info:2: LF/LH of 'src/a.c' say 2/2 covered")
    assert "covered of only" in broken(tmp_path, LCOV.format(lf=1, lh=2), "lcov")


def values_of(tmp_path: Path, content: str, name: str = "report") -> dict[str, dict[str, float]]:
    path = tmp_path / name
    path.write_text(content)
    return values(path)


def test_lcov_records_of_one_file_are_merged(tmp_path: Path) -> None:
    one = "SF:a.c\nDA:1,1\nDA:2,0\nend_of_record\n"
    two = f"TN:unit\n{one}TN:e2e\n{one.replace('1,1', '1,0').replace('2,0', '2,3')}"
    assert values_of(tmp_path, two)["a.c"] == {"line": 1.0, "lines_covered": 2, "lines_total": 2}


def test_lcov_truncated_and_broken(tmp_path: Path) -> None:
    assert "no end_of_record: the file is truncated" in broken(tmp_path, "SF:a.c\nDA:1,1\n", "lcov")
    assert "the last line has no line end" in broken(tmp_path, "SF:a.c\nDA:1,1", "lcov")
    assert "DA hits: expected a count, got 'x'" in broken(tmp_path, "SF:a.c\nDA:1,x\n", "lcov")
    assert "negative DA line number" in broken(tmp_path, "SF:a.c\nDA:-1,1\n", "lcov")
    assert "the report covers no file" in broken(tmp_path, "TN:\n", "lcov")


def test_lcov_huge_line_is_refused(tmp_path: Path) -> None:
    huge = "SF:a.c\nDA:1," + "9" * (MAX_LINE + 10) + "\nend_of_record\n"
    assert "line is longer than" in broken(tmp_path, huge, "lcov", "h.info")


GO = "mode: set\nexample.com/m/a.go:3.1,4.2 2 1\nexample.com/m/a.go:5.1,6.2 {stmts} {count}\n"


def test_go_cover_broken(tmp_path: Path) -> None:
    assert values_of(tmp_path, GO.format(stmts=2, count=0))["TOTAL"]["line"] == 0.5
    repeated = GO.format(stmts=2, count=0) + "example.com/m/a.go:5.1,6.2 3 1\n"
    assert "listed with 2 and 3 statements" in broken(tmp_path, repeated, "go-cover")
    covered_later = GO.format(stmts=2, count=0) + "mode: set\nexample.com/m/a.go:5.1,6.2 2 1\n"
    assert values_of(tmp_path, covered_later)["TOTAL"]["line"] == 1.0
    message = broken(tmp_path, GO.format(stmts=-2, count=0), "auto", "c.out")
    assert message.startswith("c.out:3: cannot read")
    assert "the report covers no file" in broken(tmp_path, "mode: count\n", "go-cover")


JSON = (
    '{{"meta": {{"format": 3, "branch_coverage": false}}, "files": {{"a.py": {{"summary": '
    '{{"covered_lines": {covered}, "num_statements": 4, "percent_covered": {percent}}}}}}}, '
    '"totals": {{"covered_lines": {total}, "num_statements": 4, "percent_covered": {percent}}}}}'
)


def test_coverage_json_broken(tmp_path: Path) -> None:
    good = JSON.format(covered=3, total=3, percent=75.0)
    assert values_of(tmp_path, good)["TOTAL"]["line"] == 0.75
    message = broken(tmp_path, JSON.format(covered=3, total=2, percent=75.0), "auto")
    assert "totals.percent_covered is 75 but its counts say 2/4" in message
    mismatched = JSON.format(covered=3, total=2, percent=50.0).replace(
        '"percent_covered": 50.0}}', '"percent_covered": 75.0}}', 1
    )
    message = broken(tmp_path, mismatched, "coverage-json")
    assert "totals: 2/4 lines but the files add up to 3/4 lines" in message
    message = broken(tmp_path, JSON.format(covered=5, total=5, percent=100), "coverage-json")
    assert "files.a.py.summary: lines: 5 covered of only 4: counts do not add up" in message
    message = broken(tmp_path, JSON.format(covered=-1, total=3, percent=75.0), "coverage-json")
    assert "files.a.py.summary.covered_lines: expected a count" in message
    message = broken(tmp_path, JSON.format(covered=3, total=3, percent="NaN"), "coverage-json")
    assert "percent_covered: expected a finite number" in message
