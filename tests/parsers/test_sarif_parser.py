"""SARIF 2.1.0: the findings gatekeeper reads from real analysers' logs, and SARIF's rules.

The fixtures under fixtures/sarif/ were written by the analysers named in their
``SOURCES.md`` (ruff, Bandit and ESLint here; CodeQL, Semgrep, SpotBugs, Grype and Trivy
copied from DefectDojo's and Trivy's test data); the answers below are read from the files
by hand. What a real file does not show (SARIF's defaults, extensions, suppressions under
review, hostile values) is written here as small logs, each refusal named by its key path.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Finding, ParsedFile
from gatekeeper.parsers import detect_format, parse_file
from gatekeeper.parsers.analysis.sarif import MAX_MESSAGE
from tests.parsers.claims import claimed

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sarif"
REAL = sorted(p.name for p in FIXTURES.glob("*.sarif"))

Row = tuple[str, str, str, str, "int | None", bool, "float | None"]


def parse(name: str) -> ParsedFile:
    return parse_file(FIXTURES / name, name, "auto")


def rows(parsed: ParsedFile) -> list[Row]:
    """Each finding's tool, rule, level, file, line, suppressed and severity, in order."""
    return [
        (f.tool, f.rule, f.level, f.file, f.line, f.suppressed, f.severity) for f in parsed.findings
    ]


@pytest.mark.parametrize("name", REAL)
def test_each_real_log_is_claimed_by_sarif_alone(name: str) -> None:
    assert claimed(FIXTURES / name) == ["sarif"]
    assert detect_format(FIXTURES / name, name) == "sarif"


def test_ruff() -> None:
    parsed = parse("ruff.sarif")
    assert rows(parsed) == [
        ("ruff", "S602", "error", "/tmp/sarifpkg/src/ingress/run.py", 8, False, None),
        ("ruff", "S101", "error", "/tmp/sarifpkg/src/tools.py", 8, False, None),
        ("ruff", "S301", "error", "/tmp/sarifpkg/src/tools.py", 9, False, None),
    ]
    assert [(a.tool, a.version, a.failures) for a in parsed.analyses] == [("ruff", "0.17.6", ())]
    assert parsed.findings[1].message == "Use of `assert` detected"


def test_bandit_takes_the_default_level_where_a_result_gives_none() -> None:
    parsed = parse("bandit.sarif")
    # B307 and B301 carry no level and their rules no default: SARIF's default, warning
    assert rows(parsed) == [
        ("Bandit", "B404", "note", "src/ingress/run.py", 3, False, None),
        ("Bandit", "B602", "error", "src/ingress/run.py", 8, False, None),
        ("Bandit", "B307", "warning", "src/ingress/run.py", 13, False, None),
        ("Bandit", "B403", "note", "src/tools.py", 3, False, None),
        ("Bandit", "B101", "note", "src/tools.py", 8, False, None),
        ("Bandit", "B301", "warning", "src/tools.py", 9, False, None),
    ]
    assert parsed.findings[1].context == "return subprocess.call(command, shell=True)"
    assert [(a.tool, a.version, a.failures) for a in parsed.analyses] == [("Bandit", "1.9.4", ())]


def test_eslint_counts_a_disabled_line_as_suppressed_and_an_empty_list_as_not() -> None:
    parsed = parse("eslint-9.39.5.sarif")
    ingress, split = "/tmp/sr/eslint/src/ingress.js", "/tmp/sr/eslint/src/split.js"
    # ESLint writes "suppressions": [] on every finding it did not suppress, and
    # [{"kind": "inSource", "justification": …}] (no status: accepted) for the
    # `eslint-disable-next-line no-console` one
    assert rows(parsed) == [
        ("ESLint", "no-unused-vars", "warning", ingress, 1, False, None),
        ("ESLint", "eqeqeq", "error", ingress, 4, False, None),
        ("ESLint", "no-eval", "error", ingress, 5, False, None),
        ("ESLint", "no-console", "warning", ingress, 8, True, None),
        ("ESLint", "no-console", "warning", split, 2, False, None),
        ("ESLint", "eqeqeq", "error", split, 3, False, None),
    ]
    assert parsed.analyses[0].version == "9.39.5"


def test_trivy_gives_each_rule_s_security_severity_to_its_findings() -> None:
    parsed = parse("trivy.sarif")
    image = "testdata/fixtures/images/alpine-310.tar.gz"
    assert rows(parsed) == [
        ("Trivy", cve, "warning", image, 1, False, 5.3)
        for cve in ("CVE-2019-1549", "CVE-2019-1551") * 2
    ]
    assert parsed.analyses[0].severities is True
    assert parsed.findings[0].message == "Package: libcrypto1.1"  # the first line only


def test_grype_severities() -> None:
    parsed = parse("grype-0.34.7.sarif")
    assert len(parsed.findings) == 22
    assert Counter(f.level for f in parsed.findings) == {"warning": 22}
    assert Counter(f.severity for f in parsed.findings) == {
        2.1: 6,
        7.8: 6,
        7.5: 5,
        6.1: 2,
        6.5: 1,
        9.8: 1,
        5.3: 1,
    }
    assert len({f.file for f in parsed.findings}) == 6
    assert parsed.findings[-1][:5] == (
        "Grype",
        "GHSA-57j2-w4cx-62h2-jackson-databind",
        "warning",
        "lib/jackson-databind-2.11.4.jar",
        1,
    )


def test_codeql_levels_come_from_its_rules_and_partial_fingerprints_are_kept() -> None:
    parsed = parse("codeql-2.5.4.sarif")
    assert len(parsed.findings) == 72
    # CodeQL writes no level on a result: each comes from its rule's defaultConfiguration
    assert Counter(f.level for f in parsed.findings) == {"note": 57, "error": 11, "warning": 4}
    rules = Counter(f.rule for f in parsed.findings)
    assert rules.most_common(3) == [
        ("py/unused-import", 40),
        ("py/empty-except", 7),
        ("py/flask-debug", 4),
    ]
    first = parsed.findings[0]
    assert first[:5] == ("CodeQL", "py/empty-except", "note", "good/db_init.py", 39)
    assert first.fingerprints == (
        ("partial:primaryLocationLineHash", "9cbc869fbfffeb60:1"),
        ("partial:primaryLocationStartColumnFingerprint", "0"),
    )
    assert all(f.fingerprints for f in parsed.findings)
    assert [(a.tool, a.version, a.severities) for a in parsed.analyses] == [
        ("CodeQL", "2.5.4", False)
    ]


def test_spotbugs_messages_from_message_strings_and_its_failed_run() -> None:
    parsed = parse("spotbugs-4.4.0.sarif")
    assert len(parsed.findings) == 56
    assert Counter(f.level for f in parsed.findings) == {"note": 56}
    first = parsed.findings[0]
    assert first[:5] == ("SpotBugs", "DMI_HARDCODED_ABSOLUTE_FILENAME", "note", "Boot.java", 23)
    # {"id": "default", "arguments": ["Boot.main(String[])"]} put into the rule's text
    assert first.message == "Hard coded reference to an absolute pathname in Boot.main(String[])."
    failures = parsed.analyses[0].failures
    assert failures[0] == "SpotBugs: the invocation did not succeed (exit code 3)"
    assert failures[1].startswith("SpotBugs: Classes needed for analysis were missing: [")
    assert all(len(failure) <= MAX_MESSAGE for failure in failures)


def test_semgrep_with_a_word_for_security_severity_is_refused_at_its_key_path() -> None:
    """Semgrep copies a rule's ``security-severity`` metadata as written: GitLab's rule pack
    writes words ("MEDIUM", "CRITICAL"), not the 0-10 number GitHub defines. A criterion on
    severity cannot be judged from a word, so the file is refused, naming where."""
    with pytest.raises(EvidenceError) as caught:
        parse("semgrep-1.69.0.sarif")
    assert str(caught.value) == (
        "semgrep-1.69.0.sarif: runs[0].tool.driver.rules[0].properties.security-severity: "
        'expected a number from 0 to 10, got "MEDIUM"'
    )


# --- SARIF's rules, on small logs ------------------------------------------------------------


def log(*results: dict[str, object], **run: object) -> dict[str, object]:
    """A SARIF log of one run of "t" with ``results`` and other members of the run."""
    body: dict[str, object] = {"tool": {"driver": {"name": "t"}}, "results": list(results)}
    body.update(run)
    return {"version": "2.1.0", "runs": [body]}


def read(tmp_path: Path, document: object) -> ParsedFile:
    path = tmp_path / "log.sarif"
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    return parse_file(path, "log.sarif", "sarif")


def refused(tmp_path: Path, document: object) -> str:
    with pytest.raises(EvidenceError) as caught:
        read(tmp_path, document)
    return str(caught.value)


def at(file: str, line: int | None = None) -> dict[str, object]:
    region = {} if line is None else {"region": {"startLine": line}}
    return {"physicalLocation": {"artifactLocation": {"uri": file}, **region}}


def only(parsed: ParsedFile) -> Finding:
    assert len(parsed.findings) == 1
    return parsed.findings[0]


def test_level_defaults_to_the_rule_s_then_warning(tmp_path: Path) -> None:
    driver = {
        "name": "t",
        "rules": [{"id": "R0", "defaultConfiguration": {"level": "error"}}, {"id": "R1"}],
    }
    parsed = read(
        tmp_path,
        {
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {"driver": driver},
                    "results": [
                        {"ruleId": "R0", "ruleIndex": 0, "message": {"text": "a"}},
                        {"ruleId": "R1", "ruleIndex": 1, "message": {"text": "b"}},
                        {"ruleId": "R0", "message": {"text": "by id"}},
                        {"ruleId": "R0", "level": "note", "message": {"text": "own"}},
                        {"ruleId": "X", "message": {"text": "no rule"}},
                    ],
                }
            ],
        },
    )
    assert [(f.rule, f.level) for f in parsed.findings] == [
        ("R0", "error"),
        ("R1", "warning"),
        ("R0", "error"),
        ("R0", "note"),
        ("X", "warning"),
    ]


@pytest.mark.parametrize("kind", ["pass", "informational", "notApplicable"])
def test_a_kind_other_than_fail_is_not_a_finding(tmp_path: Path, kind: str) -> None:
    parsed = read(tmp_path, log({"ruleId": "R", "kind": kind, "message": {"text": "x"}}))
    assert parsed.findings == ()


def test_a_kind_other_than_fail_with_a_level_is_one(tmp_path: Path) -> None:
    result = {"ruleId": "R", "kind": "review", "level": "warning", "message": {"text": "x"}}
    assert only(read(tmp_path, log(result))).level == "warning"
    none = {"ruleId": "R", "level": "none", "message": {"text": "x"}}
    assert read(tmp_path, log(none)).findings == ()


def _extension_run() -> dict[str, object]:
    """A run shaped like CodeQL's: the driver has no rules, the query packs do."""
    return {
        "tool": {
            "driver": {"name": "CodeQL", "semanticVersion": "2.20.0"},
            "extensions": [
                {"name": "codeql/python-queries", "rules": [{"id": "py/other"}]},
                {
                    "name": "codeql/python-all",
                    "rules": [
                        {"id": "py/unused", "defaultConfiguration": {"level": "note"}},
                        {
                            "id": "py/sql-injection",
                            "defaultConfiguration": {"level": "error"},
                            "properties": {"security-severity": "8.8"},
                            "messageStrings": {"m": {"text": "query built from {0} at {1}"}},
                        },
                    ],
                },
            ],
        },
        "results": [],
    }


def test_rule_index_and_tool_component_index_find_the_rule_in_an_extension(
    tmp_path: Path,
) -> None:
    run = _extension_run()
    run["results"] = [
        {
            "ruleId": "py/sql-injection",
            "rule": {"id": "py/sql-injection", "index": 1, "toolComponent": {"index": 1}},
            "message": {"id": "m", "arguments": ["user input", "db.py"]},
            "locations": [at("app/db.py", 12)],
        },
        {"rule": {"index": 0, "toolComponent": {"index": 1}}, "message": {"text": "unused"}},
    ]
    parsed = read(tmp_path, {"version": "2.1.0", "runs": [run]})
    sql, unused = parsed.findings
    assert (sql.rule, sql.level, sql.severity, sql.file, sql.line) == (
        "py/sql-injection",
        "error",
        8.8,
        "app/db.py",
        12,
    )
    assert sql.message == "query built from user input at db.py"
    assert (unused.rule, unused.level) == ("py/unused", "note")  # its id from the rule
    assert parsed.analyses[0].severities is True


def test_a_missing_message_argument_stays_a_placeholder(tmp_path: Path) -> None:
    run = _extension_run()
    run["results"] = [
        {
            "rule": {"index": 1, "toolComponent": {"index": 1}},
            "message": {"id": "m", "arguments": ["input"]},
        }
    ]
    finding = only(read(tmp_path, {"version": "2.1.0", "runs": [run]}))
    assert finding.message == "query built from input at {1}"


def test_a_rule_reference_outside_the_run_is_refused(tmp_path: Path) -> None:
    run = _extension_run()
    run["results"] = [{"rule": {"index": 0, "toolComponent": {"index": 5}}, "message": {}}]
    assert refused(tmp_path, {"version": "2.1.0", "runs": [run]}) == (
        "log.sarif: runs[0].results[0].rule.toolComponent.index: "
        "expected an extension of the run, got 5"
    )
    run["results"] = [{"ruleId": "R", "ruleIndex": 3, "message": {}}]
    assert refused(tmp_path, {"version": "2.1.0", "runs": [run]}) == (
        "log.sarif: runs[0].results[0].ruleIndex: expected a rule of the run, got 3"
    )


def test_original_uri_base_ids_and_the_artifacts_index_give_the_file(tmp_path: Path) -> None:
    bases = {
        "ROOT": {"uri": "file:///work/repo/"},
        "SRC": {"uri": "src/", "uriBaseId": "ROOT"},
    }
    artifacts = [{"location": {"uri": "listed/a.py", "uriBaseId": "SRC"}}]
    results = [
        {"ruleId": "R", "message": {"text": "x"}, "locations": [at("b.py", 2)]},
        {
            "ruleId": "R",
            "message": {"text": "x"},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": "c.py", "uriBaseId": "SRC"}}}
            ],
        },
        {
            "ruleId": "R",
            "message": {"text": "x"},
            "locations": [{"physicalLocation": {"artifactLocation": {"index": 0}}}],
        },
        {"ruleId": "R", "message": {"text": "x"}, "locations": [at("./d%20e.py")]},
        {"ruleId": "R", "message": {"text": "x"}},
    ]
    parsed = read(tmp_path, log(*results, originalUriBaseIds=bases, artifacts=artifacts))
    assert [(f.file, f.line) for f in parsed.findings] == [
        ("b.py", 2),
        ("/work/repo/src/c.py", None),
        ("/work/repo/src/listed/a.py", None),  # run.artifacts[0]'s URI, on its own base
        ("d e.py", None),
        ("", None),
    ]
    assert parsed.findings[-1].where == "(no location)"


def test_an_artifact_index_outside_the_run_is_refused(tmp_path: Path) -> None:
    result = {
        "ruleId": "R",
        "message": {"text": "x"},
        "locations": [{"physicalLocation": {"artifactLocation": {"index": 2}}}],
    }
    assert refused(tmp_path, log(result)) == (
        "log.sarif: runs[0].results[0].locations[0].physicalLocation.artifactLocation.index: "
        "expected an artifact of the run, got 2"
    )


@pytest.mark.parametrize(
    ("statuses", "suppressed"),
    [
        ([], False),
        (["accepted"], True),
        ([None], True),  # no status: accepted, as SARIF says
        (["accepted", "accepted"], True),
        (["underReview"], False),
        (["rejected"], False),
        (["accepted", "rejected"], False),
    ],
)
def test_suppressed_only_when_every_suppression_is_accepted(
    tmp_path: Path, statuses: list[str | None], suppressed: bool
) -> None:
    entries = [{"kind": "inSource"} | ({} if s is None else {"status": s}) for s in statuses]
    result = {"ruleId": "R", "message": {"text": "x"}, "suppressions": entries}
    assert only(read(tmp_path, log(result))).suppressed is suppressed


def test_fingerprints_and_partial_fingerprints_are_kept_apart(tmp_path: Path) -> None:
    result = {
        "ruleId": "R",
        "message": {"text": "x"},
        "fingerprints": {"matchBasedId/v1": "abc"},
        "partialFingerprints": {"primaryLocationLineHash": "39fa2ee980eb94b0:1"},
    }
    assert only(read(tmp_path, log(result))).fingerprints == (
        ("matchBasedId/v1", "abc"),
        ("partial:primaryLocationLineHash", "39fa2ee980eb94b0:1"),
    )


def test_a_failed_invocation_and_an_error_notification_are_recorded(tmp_path: Path) -> None:
    invocations = [
        {"executionSuccessful": False, "exitCode": 2},
        {
            "executionSuccessful": True,
            "toolExecutionNotifications": [
                {"level": "warning", "message": {"text": "slow file"}},
                {"level": "error", "message": {"text": "parser crashed on a.py\nstack…"}},
            ],
            "toolConfigurationNotifications": [{"message": {"text": "rule off"}}],
        },
    ]
    parsed = read(tmp_path, log(invocations=invocations))
    assert parsed.findings == ()
    assert parsed.analyses[0].failures == (
        "t: the invocation did not succeed (exit code 2)",
        "t: parser crashed on a.py",
    )


def test_a_successful_run_records_no_failure(tmp_path: Path) -> None:
    parsed = read(tmp_path, log(invocations=[{"executionSuccessful": True}]))
    assert parsed.analyses[0].failures == ()


def test_a_long_message_is_cut(tmp_path: Path) -> None:
    result = {"ruleId": "R", "message": {"text": "x" * 2000}}
    assert len(only(read(tmp_path, log(result))).message) == MAX_MESSAGE


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"version": "2.0.0", "runs": []},
            'version: expected "2.1.0" (SARIF 2.1.0), got "2.0.0"',
        ),
        (
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}}]},
            "runs[0].results: absent, so t computed no results (SARIF says an empty array "
            "when it found nothing): the analysis did not run through",
        ),
        (
            log({"ruleId": "R", "level": "fatal", "message": {"text": "x"}}),
            "runs[0].results[0].level: expected",
        ),
        (
            log({"ruleId": "R", "kind": "bad", "message": {"text": "x"}}),
            "runs[0].results[0].kind: expected",
        ),
        (
            log({"ruleId": "R", "message": {"text": "x"}, "suppressions": [{"status": "ok"}]}),
            "runs[0].results[0].suppressions[0].status: expected",
        ),
        (
            log({"ruleId": "R", "message": {"text": "x"}, "locations": [at("a.py", 0)]}),
            "runs[0].results[0].locations[0].physicalLocation.region.startLine: "
            "expected a line number, got 0",
        ),
        (
            log({"ruleId": "R", "message": {}, "properties": {"security-severity": "high"}}),
            "runs[0].results[0].properties.security-severity: "
            'expected a number from 0 to 10, got "high"',
        ),
        (
            log({"ruleId": "R", "message": {}, "properties": {"security-severity": 11}}),
            "runs[0].results[0].properties.security-severity: "
            "expected a number from 0 to 10, got 11",
        ),
        (
            log(invocations=[{"executionSuccessful": "no"}]),
            "runs[0].invocations[0].executionSuccessful: expected true or false",
        ),
        (
            log({"ruleId": "R", "message": {}, "fingerprints": {"v1": {"value": "a"}}}),
            "runs[0].results[0].fingerprints.v1: expected a string",
        ),
    ],
)
def test_values_outside_sarif_are_refused_at_their_key_path(
    tmp_path: Path, document: dict[str, object], message: str
) -> None:
    assert refused(tmp_path, document).startswith(f"log.sarif: {message}")


def test_a_rule_s_severity_out_of_range_is_refused_at_the_rule(tmp_path: Path) -> None:
    run = _extension_run()
    pack = {"name": "codeql/python-queries", "rules": [{"id": "R", "properties": {}}]}
    pack["rules"][0]["properties"] = {"security-severity": "-1"}
    run["tool"] = {"driver": {"name": "CodeQL"}, "extensions": [pack]}
    assert refused(tmp_path, {"version": "2.1.0", "runs": [run]}) == (
        "log.sarif: runs[0].tool.extensions[0].rules[0].properties.security-severity: "
        'expected a number from 0 to 10, got "-1"'
    )


def test_a_duplicate_key_is_refused_where_it_is(tmp_path: Path) -> None:
    text = (
        '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, '
        '"results": [{"level": "note", "level": "error", "message": {"text": "x"}}]}]}'
    )
    assert refused(tmp_path, text).startswith(
        'log.sarif:1:97: duplicate key "level" in runs[0].results[0] (first at column 80)'
    )
