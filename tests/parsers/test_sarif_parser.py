"""SARIF 2.1.0: the findings gatekeeper reads from real analysers' logs, and SARIF's rules.

The fixtures under fixtures/sarif/ were written by the analysers named in their
``SOURCES.md`` (ruff, Bandit and ESLint here; CodeQL, Semgrep, SpotBugs, Grype and Trivy
copied from DefectDojo's and Trivy's test data); the answers below are read from the files
by hand. What a real file does not show (SARIF's defaults, extensions, suppressions under
review, hostile values) is written here as small logs, each refusal named by its key path.
"""

from __future__ import annotations

import json
import re
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


# --- Which rule a result names (SARIF §3.27.5-§3.27.7, §3.52, §3.54) ------------------------


def rule(ident: str, level: str = "note", **more: object) -> dict[str, object]:
    return {"id": ident, "defaultConfiguration": {"level": level}, **more}


def with_tool(
    results: list[dict[str, object]],
    driver: list[dict[str, object]],
    *extensions: list[dict[str, object]],
    **run: object,
) -> dict[str, object]:
    """A log of one run whose driver describes ``driver`` and each extension its rules
    (named pack0, pack1, … with guids 0000…0, 0000…1, …)."""
    packs = [
        {"name": f"pack{i}", "guid": f"00000000-0000-0000-0000-00000000000{i}", "rules": rules}
        for i, rules in enumerate(extensions)
    ]
    document = log(*results, **run)
    document["runs"][0]["tool"] = {  # type: ignore[index]
        "driver": {"name": "t", "rules": driver},
        "extensions": packs,
    }
    return document


def levels(parsed: ParsedFile) -> list[tuple[str, str]]:
    return [(f.rule, f.level) for f in parsed.findings]


def test_a_rule_named_by_id_is_the_driver_s_before_an_extension_s(tmp_path: Path) -> None:
    results = [{"ruleId": "A", "message": {"text": "m"}}, {"ruleId": "B", "message": {}}]
    document = with_tool(results, [rule("A", "error")], [rule("A", "note"), rule("B", "error")])
    assert levels(read(tmp_path, document)) == [("A", "error"), ("B", "error")]


def test_an_id_two_extensions_describe_is_ambiguous(tmp_path: Path) -> None:
    document = with_tool([{"ruleId": "A", "message": {}}], [], [rule("A")], [rule("A", "error")])
    assert refused(tmp_path, document) == (
        "log.sarif: runs[0].results[0]: rule 'A' is described by more than one extension "
        "(tool.extensions[0], tool.extensions[1]) and the result does not say which "
        "(rule.toolComponent)"
    )
    document["runs"][0]["results"][0]["rule"] = {"toolComponent": {"name": "pack1"}}  # type: ignore[index]
    assert levels(read(tmp_path, document)) == [("A", "error")]


@pytest.mark.parametrize(
    "component",
    [
        {"index": 1},
        {"name": "pack1"},
        {"guid": "00000000-0000-0000-0000-000000000001"},
        {"guid": "00000000-0000-0000-0000-000000000001".upper()},  # a GUID in any case
        {"index": -1, "name": "pack1"},  # -1 is SARIF's "no index"
    ],
)
def test_a_tool_component_by_index_name_or_guid(
    tmp_path: Path, component: dict[str, object]
) -> None:
    reference = {"index": 0, "toolComponent": component}
    results = [{"ruleId": "A", "rule": reference, "message": {}}]
    document = with_tool(results, [rule("A")], [rule("A", "warning")], [rule("A", "error")])
    assert levels(read(tmp_path, document)) == [("A", "error")]


@pytest.mark.parametrize(
    ("component", "said"),
    [
        ({"name": "nope"}, 'toolComponent.name: expected a component of the run, got "nope"'),
        ({"index": 3}, "toolComponent.index: expected an extension of the run, got 3"),
        ({"index": -2}, "toolComponent.index: expected an index (0 or more), got -2"),
        ({"index": True}, "toolComponent.index: expected an index (0 or more), got true"),
    ],
)
def test_a_tool_component_the_run_lacks_is_refused(
    tmp_path: Path, component: dict[str, object], said: str
) -> None:
    results = [{"ruleId": "A", "rule": {"index": 0, "toolComponent": component}, "message": {}}]
    document = with_tool(results, [rule("A")], [rule("A")])
    assert refused(tmp_path, document) == f"log.sarif: runs[0].results[0].rule.{said}"


def test_a_hierarchical_rule_id_takes_its_most_specific_rule(tmp_path: Path) -> None:
    """§3.27.5: a ruleId may be hierarchical, ``a/b/c`` a specialisation of rule ``a/b``;
    CodeQL's own ids hold slashes (``py/sql-injection``), so the longest id described wins.
    The finding keeps the ruleId written."""
    results = [
        {"ruleId": "a/b/c", "message": {}},
        {"ruleId": "a/x", "message": {}},
        {"ruleId": "py/sql-injection", "message": {}},
        {"ruleId": "ab/c", "message": {}},  # not under "a": no rule, warning
    ]
    driver = [rule("a", "note"), rule("a/b", "error"), rule("py/sql-injection", "error")]
    assert levels(read(tmp_path, with_tool(results, driver))) == [
        ("a/b/c", "error"),
        ("a/x", "note"),
        ("py/sql-injection", "error"),
        ("ab/c", "warning"),
    ]


def test_a_hierarchical_rule_id_agrees_with_its_rule_s_index(tmp_path: Path) -> None:
    results = [{"ruleId": "a/sub", "ruleIndex": 0, "message": {}}]
    assert levels(read(tmp_path, with_tool(results, [rule("a", "error")]))) == [("a/sub", "error")]


@pytest.mark.parametrize(
    ("result", "said"),
    [
        ({"ruleId": "B", "ruleIndex": 0}, "index 0 (rule 'A') and id 'B'"),
        ({"ruleId": "AB", "ruleIndex": 0}, "index 0 (rule 'A') and id 'AB'"),
        ({"ruleIndex": 0, "rule": {"index": 1}}, "ruleIndex 0 and rule.index 1"),
        ({"ruleId": "A", "rule": {"id": "B"}}, "ruleId 'A' and rule.id 'B'"),
        ({"rule": {"id": "B", "index": 0}}, "index 0 (rule 'A') and id 'B'"),
    ],
)
def test_a_result_that_names_two_rules_is_refused(
    tmp_path: Path, result: dict[str, object], said: str
) -> None:
    document = with_tool([{**result, "message": {}}], [rule("A"), rule("B", "error")])
    assert refused(tmp_path, document) == (
        f"log.sarif: runs[0].results[0]: {said} name different rules (SARIF says they agree): "
        "which rule, and so which level, the result has is unknowable"
    )


def test_a_rule_index_of_minus_one_is_no_index(tmp_path: Path) -> None:
    results = [{"ruleId": "B", "ruleIndex": -1, "message": {}}]
    assert levels(read(tmp_path, with_tool(results, [rule("A"), rule("B", "error")]))) == [
        ("B", "error")
    ]


def overridden(*overrides: list[dict[str, object]], result: dict[str, object]) -> dict[str, object]:
    invocations = [
        {"executionSuccessful": True, "ruleConfigurationOverrides": each} for each in overrides
    ]
    return with_tool(
        [{**result, "message": {}}], [rule("A", "note", enabled=True)], invocations=invocations
    )


def override(level: str, **descriptor: object) -> dict[str, object]:
    return {"descriptor": descriptor, "configuration": {"level": level}}


@pytest.mark.parametrize(
    ("overrides", "result", "level"),
    [
        ([[override("error", id="A")]], {"ruleId": "A"}, "error"),  # by id
        ([[override("error", index=0)]], {"ruleIndex": 0}, "error"),  # by index
        ([[override("warning", id="A")], [override("error", id="A")]], {"ruleId": "A"}, "error"),
        ([[override("error", id="A")]], {"ruleId": "A", "level": "note"}, "note"),  # its own
        ([[override("error", id="B")]], {"ruleId": "A"}, "note"),  # another rule's
        (
            [[{"descriptor": {"id": "A"}, "configuration": {"enabled": False}}]],
            {"ruleId": "A"},
            "note",
        ),
        ([[{"descriptor": {"id": "A"}, "configuration": {"rank": 3.0}}]], {"ruleId": "A"}, "note"),
    ],
)
def test_rule_configuration_overrides_come_before_the_default(
    tmp_path: Path,
    overrides: list[list[dict[str, object]]],
    result: dict[str, object],
    level: str,
) -> None:
    """§3.27.10: a result with no level takes the level the invocation configured for its rule
    (the most severe where several invocations say), else the rule's default. ``enabled:
    false`` drops no result the log carries: the tool says it did not run the rule, the
    result says it did, and a gate counts what was found."""
    parsed = read(tmp_path, overridden(*overrides, result=result))
    assert [f.level for f in parsed.findings] == [level]


def test_an_override_of_a_rule_no_component_describes_counts_by_id(tmp_path: Path) -> None:
    invocation = {"ruleConfigurationOverrides": [override("error", id="Z")]}
    results = [{"ruleId": "Z", "message": {}}, {"ruleId": "Y", "message": {}}]
    document = log(*results, invocations=[invocation])
    assert levels(read(tmp_path, document)) == [("Z", "error"), ("Y", "warning")]


def test_an_override_to_none_makes_no_finding(tmp_path: Path) -> None:
    parsed = read(tmp_path, overridden([override("none", id="A")], result={"ruleId": "A"}))
    assert parsed.findings == ()


def test_an_override_s_level_outside_sarif_is_refused(tmp_path: Path) -> None:
    document = overridden([override("fatal", id="A")], result={"ruleId": "A"})
    assert refused(tmp_path, document) == (
        "log.sarif: runs[0].invocations[0].ruleConfigurationOverrides[0].configuration.level: "
        'expected one of none, note, warning, error, got "fatal"'
    )


def test_rules_are_found_by_id_in_time(tmp_path: Path) -> None:
    """A dict per component: 20,000 rules and 20,000 results by id alone, each the last."""
    results = [{"ruleId": "R19999", "message": {}}] * 20_000
    driver = [rule(f"R{i}") for i in range(19_999)] + [rule("R19999", "error")]
    parsed = read(tmp_path, with_tool(results, driver))
    assert Counter(levels(parsed)) == {("R19999", "error"): 20_000}


# --- Which file a location names (SARIF §3.4, §3.14.14, §3.24) -------------------------------


def listed_at(index: int) -> dict[str, object]:
    return {"physicalLocation": {"artifactLocation": {"index": index}}}


def files(parsed: ParsedFile) -> list[str]:
    return [f.file for f in parsed.findings]


def test_an_artifact_stands_for_a_location_with_its_base_and_parents(tmp_path: Path) -> None:
    bases = {"SRC": {"uri": "file:///w/src/"}}
    artifacts = [
        {"location": {"uri": "run.py"}, "parentIndex": 1},
        {"location": {"uri": "ingress/"}, "parentIndex": 2},
        {"location": {"uri": "app/", "uriBaseId": "SRC"}},
        {"location": {"uri": "file:///elsewhere/x.py"}, "parentIndex": 0},  # absolute: itself
        {"parentIndex": 0},  # no uri: the location's own
        {"location": {"uri": "lib.py", "uriBaseId": "SRC"}, "parentIndex": -1},
    ]
    results = [{"ruleId": "R", "message": {}, "locations": [listed_at(i)]} for i in range(6)]
    results[4]["locations"] = [
        {"physicalLocation": {"artifactLocation": {"index": 4, "uri": "own.py"}}}
    ]
    parsed = read(tmp_path, log(*results, artifacts=artifacts, originalUriBaseIds=bases))
    assert files(parsed) == [
        "/w/src/app/ingress/run.py",
        "/w/src/app/ingress/",
        "/w/src/app/",
        "/elsewhere/x.py",
        "own.py",
        "/w/src/lib.py",
    ]


@pytest.mark.parametrize(
    ("artifacts", "said"),
    [
        (
            [
                {"location": {"uri": "a"}, "parentIndex": 1},
                {"location": {"uri": "b/"}, "parentIndex": 0},
            ],
            "runs[0].artifacts[1].parentIndex: artifact 0 lies in itself (through its parents)",
        ),
        (
            [{"location": {"uri": "a"}, "parentIndex": 7}],
            "runs[0].artifacts[0].parentIndex: expected an artifact of the run, got 7",
        ),
        (
            [{"location": {"uri": "a"}, "parentIndex": "0"}],
            'runs[0].artifacts[0].parentIndex: expected an artifact of the run, got "0"',
        ),
    ],
)
def test_an_artifact_s_parents_must_be_artifacts_of_the_run(
    tmp_path: Path, artifacts: list[dict[str, object]], said: str
) -> None:
    result = {"ruleId": "R", "message": {}, "locations": [listed_at(0)]}
    assert refused(tmp_path, log(result, artifacts=artifacts)) == f"log.sarif: {said}"


def test_a_base_chain_resolves_and_a_cycle_is_refused(tmp_path: Path) -> None:
    bases = {
        "A": {"uri": "a/", "uriBaseId": "B"},
        "B": {"uri": "b/", "uriBaseId": "C"},
        "C": {"uri": "file:///w/"},
        "D": {"uri": "file:///d/", "uriBaseId": "C"},  # absolute: on no base
        "E": {"uriBaseId": "C"},  # left to the consumer: the path stays relative
        "F": {"uri": "f/", "uriBaseId": "UNKNOWN"},
    }
    located = [
        {"physicalLocation": {"artifactLocation": {"uri": "x.py", "uriBaseId": key}}}
        for key in ("A", "B", "D", "E", "F", "G")
    ]
    results = [{"ruleId": "R", "message": {}, "locations": [each]} for each in located]
    assert files(read(tmp_path, log(*results, originalUriBaseIds=bases))) == [
        "/w/b/a/x.py",
        "/w/b/x.py",
        "/d/x.py",
        "x.py",
        "x.py",
        "x.py",
    ]
    bases["C"] = {"uri": "c/", "uriBaseId": "A"}
    assert refused(tmp_path, log(originalUriBaseIds=bases)) == (
        "log.sarif: runs[0].originalUriBaseIds.A.uriBaseId: the base is relative to itself "
        "(through A, B, C): it names no folder"
    )


@pytest.mark.parametrize(
    ("uri", "path"),
    [
        ("file:src%5Cingress%5Crun.py", "src/ingress/run.py"),
        ("file:///C:%5Cwork%5Crun.py", "C:/work/run.py"),
        ("file:///C:/work/run.py", "C:/work/run.py"),
        ("src\\ingress\\run.py", "src/ingress/run.py"),
        ("src%5Cingress%5Crun.py", "src/ingress/run.py"),
    ],
)
def test_backslashes_are_separators(tmp_path: Path, uri: str, path: str) -> None:
    result = {"ruleId": "R", "message": {}, "locations": [at(uri)]}
    assert files(read(tmp_path, log(result))) == [path]


# --- Severities, messages and snippets --------------------------------------------------------


def test_a_result_s_security_severity_counts_as_given(tmp_path: Path) -> None:
    result = {"ruleId": "R", "message": {}, "properties": {"security-severity": "9.5"}}
    parsed = read(tmp_path, log(result))
    assert parsed.analyses[0].severities and only(parsed).severity == 9.5
    assert not read(tmp_path, log({"ruleId": "R", "message": {}})).analyses[0].severities


def filled(template: str, arguments: list[str]) -> str:
    """What a finding's message is, filling every placeholder and then cutting."""
    whole = re.sub(
        r"\{\{|\}\}|\{(\d+)\}",
        lambda m: (
            m[0][0]
            if m[1] is None
            else arguments[int(m[1])]
            if int(m[1]) < len(arguments)
            else m[0]
        ),
        template,
    )
    lines = whole.strip().splitlines()
    return lines[0][:MAX_MESSAGE] if lines else ""


def message_of(tmp_path: Path, template: str, arguments: list[str]) -> str:
    strings = {"m": {"text": template}}
    result = {"ruleId": "R", "message": {"id": "m", "arguments": arguments}}
    parsed = read(tmp_path, with_tool([result], [rule("R", messageStrings=strings)]))
    return only(parsed).message


@pytest.mark.parametrize(
    ("template", "arguments"),
    [
        ("{0}", [" \n  x  \n y"]),  # the first line once stripped
        ("{0}{1}", ["  ", "\u2028\t a \x1c b"]),  # whatever splitlines splits on
        ("a{0}", [" " * 600 + "b"]),  # trailing blanks kept where text follows
        ("a{0}", [" " * 600]),  # and stripped where none does
        ("a{0}\n{0}", [" " * 600]),
        ("{0}" * 3, ["x" * 499 + " "]),
        ("{0}\r\n", ["y" * 500]),
        ("{1}{0}{7}{01}", ["p", "q"]),  # {7}: no argument, kept; {01} is {1}
        ("", ["x"]),
        ("  \n ", []),
        ("{{0}} is {0}", ["x"]),  # SARIF's escaped braces: '{0} is x'
        ("a }} b {{{0}}}", ["c"]),  # 'a } b {c}'
        ("{{" * 300 + "{0}", ["x"]),
    ],
)
def test_a_message_template_is_what_filling_and_cutting_give(
    tmp_path: Path, template: str, arguments: list[str]
) -> None:
    assert message_of(tmp_path, template, arguments) == filled(template, arguments)


def test_a_message_template_is_filled_only_to_the_cut(tmp_path: Path) -> None:
    """A million {0} over an argument of a megabyte would be a terabyte filled in."""
    message = message_of(tmp_path, "{0}" * 1_000_000, ["A" * 1_000_000])
    assert message == "A" * MAX_MESSAGE


def test_a_placeholder_of_many_digits_is_kept_as_written(tmp_path: Path) -> None:
    template = "x {" + "9" * 5_000 + "} y"
    assert message_of(tmp_path, template, ["a"]) == template[:MAX_MESSAGE]


def test_a_long_snippet_is_cut_like_a_message(tmp_path: Path) -> None:
    snippet = {"text": "  x =\n   1  " + "y " * 2_000}
    region = {"startLine": 1, "snippet": snippet}
    location = {"physicalLocation": {"artifactLocation": {"uri": "a.py"}, "region": region}}
    parsed = read(tmp_path, log({"ruleId": "R", "message": {}, "locations": [location]}))
    assert only(parsed).context == ("x = 1 " + "y " * 2_000)[:MAX_MESSAGE]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ({"text": "uses {0} from {1}", "arguments": ["eval", "input"]}, "uses eval from input"),
        ({"text": "a set {{x}} literal"}, "a set {x} literal"),
        ({"text": "no argument {0}"}, "no argument {0}"),
        ({"text": "plain text"}, "plain text"),
    ],
)
def test_a_messages_own_text_has_its_placeholders_and_braces_read(
    tmp_path: Path, message: dict[str, object], expected: str
) -> None:
    """SARIF §3.11.5: a message's text is a message string like a rule's template."""
    assert only(read(tmp_path, log({"ruleId": "R", "message": message}))).message == expected
