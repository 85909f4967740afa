"""SARIF 2.1.0: ``{"version": "2.1.0", "runs": [{"tool": {"driver": …}, "results": […]}]}``.

Each run is one analyser's (``tool.driver.name``); each of its results that is a finding
(``kind`` "fail", the default, or another kind with a level above "none") becomes a
``Finding`` with its rule, level, primary location, fingerprints and suppression. What SARIF
leaves to defaults is filled in as the specification says: a result with no ``level`` takes
the level the run's ``ruleConfigurationOverrides`` give its rule, else the rule's
``defaultConfiguration.level``, else "warning"; a result whose ``kind`` is not "fail" has
level "none". Which rule a result names is ``_sarif_rules``' to say, which file
``_sarif_paths``', and its message (and snippet, ``Finding.context``: whitespace collapsed)
is cut to ``MAX_MESSAGE`` characters (``_sarif_messages``).

Fail closed, as the specification's own test for a failed run has it: a run with no
``results`` array computed no results (an error: no evidence), and a run whose invocation
says ``executionSuccessful: false``, or that carries a notification of level "error", records
a failure of the analyser (``Analysis.failures``): its findings may be incomplete, so a
criterion over it fails unless the matrix expects failures. A value outside SARIF's closed
sets (a level, a kind, a suppression status) is an error at its key path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import LEVELS, Analysis, Finding, ParsedFile, SeriesRequest
from gatekeeper.freshness import dated_by_oldest
from gatekeeper.parsers import _json
from gatekeeper.parsers._times import Recorded, recorded_iso
from gatekeeper.parsers.analysis._sarif_messages import MAX_MESSAGE, message
from gatekeeper.parsers.analysis._sarif_paths import Paths
from gatekeeper.parsers.analysis._sarif_rules import Rules, severity

NAME = "sarif"

VERSION = "2.1.0"
KINDS = ("notApplicable", "pass", "fail", "review", "open", "informational")
STATUSES = ("accepted", "underReview", "rejected")
_SCHEMA = re.compile(r"sarif", re.IGNORECASE)


def detect_json(document: object) -> bool:
    """An object with a ``runs`` array and SARIF's ``version`` (any 2.x, so that another
    version is refused by name) or a ``$schema`` that names SARIF."""
    if not isinstance(document, dict) or not isinstance(document.get("runs"), list):
        return False
    version, schema = document.get("version"), document.get("$schema")
    return (isinstance(version, str) and version.startswith("2.")) or (
        isinstance(schema, str) and _SCHEMA.search(schema) is not None
    )


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read a SARIF log: every run's findings and the runs themselves."""
    return parse_json(_json.load(path, display), path, display, wanted)


def parse_json(
    document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """``parse`` of the decoded log."""
    log = _json.expect_object(document, display, "(top level)")
    version = log.get("version")
    if version != VERSION:
        raise _json.shape_error(display, "version", f'"{VERSION}" (SARIF 2.1.0)', version)
    findings: list[Finding] = []
    analyses: list[Analysis] = []
    times: list[Recorded] = []
    for index, raw in enumerate(_json.expect_list(log.get("runs"), display, "runs")):
        run = _Run(_json.expect_object(raw, display, f"runs[{index}]"), display, f"runs[{index}]")
        findings.extend(run.findings())
        analyses.append(run.analysis())
        times.append(_ended(run.run, display, f"runs[{index}]"))
    errors = [e for _, e in times if e is not None]
    return ParsedFile(
        display,
        NAME,
        findings=tuple(findings),
        analyses=tuple(analyses),
        # the oldest run's end; a run that records none leaves the log undated
        measured_at=None if errors else dated_by_oldest(t for t, _ in times),
        time_error=errors[0] if errors else None,
    )


def _ended(run: dict[str, object], display: str, at: str) -> Recorded:
    """When a run ended: the latest ``invocations[].endTimeUtc`` (SARIF's UTC time);
    None when it has no invocation that says."""
    invocations = run.get("invocations")
    if not isinstance(invocations, list):
        return None, None
    ends: list[Recorded] = [
        recorded_iso(
            inv.get("endTimeUtc"), display, f"{at}.invocations[{i}].endTimeUtc", zoneless="utc"
        )
        for i, inv in enumerate(invocations)
        if isinstance(inv, dict)
    ]
    errors = [e for _, e in ends if e is not None]
    if errors:
        return None, errors[0]
    known = [t for t, _ in ends if t is not None]
    return (max(known) if known else None), None


class _Run:
    """One run of an analyser, read on demand."""

    def __init__(self, run: dict[str, object], display: str, at: str) -> None:
        self.run, self.display, self.at = run, display, at
        tool = _json.expect_object(run.get("tool"), display, f"{at}.tool")
        self.rules = Rules(tool, display, f"{at}.tool")
        driver = _json.expect_object(tool.get("driver"), display, f"{at}.tool.driver")
        self.tool = _json.expect_str(driver.get("name"), display, f"{at}.tool.driver.name")
        version = driver.get("semanticVersion", driver.get("version", ""))
        self.version = version if isinstance(version, str) else ""
        where = f"{at}.invocations"
        self.invocations = [
            _json.expect_object(raw, display, f"{where}[{number}]")
            for number, raw in enumerate(
                _json.expect_list(run.get("invocations", []), display, where)
            )
        ]
        self.rules.configure(self.invocations, where)
        self.severities = self.rules.severities  # and any result's, as they are read
        self.paths = Paths(run, display, at)

    def analysis(self) -> Analysis:
        return Analysis(self.tool, self.version, self._failures(), self.severities)

    def _failures(self) -> tuple[str, ...]:
        failures: list[str] = []
        for number, invocation in enumerate(self.invocations):
            where = f"{self.at}.invocations[{number}]"
            success = invocation.get("executionSuccessful")
            if success is not None and not isinstance(success, bool):
                raise _json.shape_error(
                    self.display, f"{where}.executionSuccessful", "true or false", success
                )
            if success is False:
                code = invocation.get("exitCode")
                said = f" (exit code {code})" if isinstance(code, int) else ""
                failures.append(f"{self.tool}: the invocation did not succeed{said}")
            for key in ("toolExecutionNotifications", "toolConfigurationNotifications"):
                notes = _json.expect_list(invocation.get(key, []), self.display, f"{where}.{key}")
                for i, note in enumerate(notes):
                    entry = _json.expect_object(note, self.display, f"{where}.{key}[{i}]")
                    level = entry.get("level", "warning")
                    _json.expect_choice(level, LEVELS, self.display, f"{where}.{key}[{i}].level")
                    if level == "error":  # cut like a finding's: a tool may list every file
                        said = message(entry.get("message")) or key
                        failures.append(f"{self.tool}: {said}"[:MAX_MESSAGE])
        return tuple(failures)

    def findings(self) -> list[Finding]:
        if self.run.get("results") is None:
            raise EvidenceError(
                Position(self.display),
                f"{self.at}.results: absent, so {self.tool} computed no results (SARIF says an "
                "empty array when it found nothing): the analysis did not run through",
            )
        results = _json.expect_list(self.run["results"], self.display, f"{self.at}.results")
        found = []
        for number, raw in enumerate(results):
            where = f"{self.at}.results[{number}]"
            finding = self._finding(_json.expect_object(raw, self.display, where), where)
            if finding is not None:
                found.append(finding)
        return found

    def _finding(self, result: dict[str, object], at: str) -> Finding | None:
        kind = _json.expect_choice(result.get("kind", "fail"), KINDS, self.display, f"{at}.kind")
        key = self.rules.of_result(result, at)
        rule = self.rules.rule(key)
        rule_id = result.get("ruleId", _rule_reference(result).get("id", rule.get("id", "")))
        rule_id = _json.expect_str(rule_id, self.display, f"{at}.ruleId")
        if "level" in result:
            level = _json.expect_choice(result["level"], LEVELS, self.display, f"{at}.level")
        elif kind != "fail":
            level = "none"
        else:
            level = self.rules.level(key, rule_id, at)
        if level == "none":
            return None  # a pass, or information: not a finding
        file, line, context = self._location(result, at)
        given = severity(result, self.display, at)
        if given is not None:
            self.severities = True
        return Finding(
            tool=self.tool,
            rule=rule_id,
            level=level,
            file=file,
            line=line,
            message=message(result.get("message"), rule),
            fingerprints=self._fingerprints(result, at),
            context=context,
            suppressed=self._suppressed(result, at),
            severity=given if given is not None else severity(rule, self.display, ""),
            source=self.display,
        )

    def _location(self, result: dict[str, object], at: str) -> tuple[str, int | None, str]:
        """The primary (first) location's file, first line and snippet (its whitespace
        collapsed, cut like a message: a snippet may be a whole file)."""
        locations = _json.expect_list(result.get("locations", []), self.display, f"{at}.locations")
        if not locations:
            return "", None, ""
        first = _json.expect_object(locations[0], self.display, f"{at}.locations[0]")
        physical = first.get("physicalLocation")
        if physical is None:
            return "", None, ""
        where = f"{at}.locations[0].physicalLocation"
        physical = _json.expect_object(physical, self.display, where)
        artifact = _json.expect_object(
            physical.get("artifactLocation", {}), self.display, f"{where}.artifactLocation"
        )
        file = self.paths.file(artifact, f"{where}.artifactLocation")
        region = physical.get("region")
        if region is None:
            return file, None, ""
        region = _json.expect_object(region, self.display, f"{where}.region")
        line = region.get("startLine")
        if line is not None and (isinstance(line, bool) or not isinstance(line, int) or line < 1):
            where = f"{where}.region.startLine"
            raise _json.shape_error(self.display, where, "a line number", line)
        snippet = region.get("snippet")
        text = snippet.get("text") if isinstance(snippet, dict) else None
        context = " ".join(text.split())[:MAX_MESSAGE] if isinstance(text, str) else ""
        return file, line, context

    def _fingerprints(self, result: dict[str, object], at: str) -> tuple[tuple[str, str], ...]:
        pairs: list[tuple[str, str]] = []
        for key, prefix in (("fingerprints", ""), ("partialFingerprints", "partial:")):
            raw = result.get(key, {})
            for name, value in _json.members(_json.expect_object(raw, self.display, f"{at}.{key}")):
                text = _json.expect_str(value, self.display, f"{at}.{key}.{name}")
                pairs.append((prefix + name, text))
        return tuple(pairs)

    def _suppressed(self, result: dict[str, object], at: str) -> bool:
        """Suppressed when it has suppressions and every one is accepted (a status under
        review or rejected leaves the finding standing)."""
        raw = _json.expect_list(result.get("suppressions", []), self.display, f"{at}.suppressions")
        statuses = []
        for number, each in enumerate(raw):
            where = f"{at}.suppressions[{number}]"
            entry = _json.expect_object(each, self.display, where)
            status = entry.get("status", "accepted")
            statuses.append(_json.expect_choice(status, STATUSES, self.display, f"{where}.status"))
        return bool(statuses) and all(s == "accepted" for s in statuses)


def _rule_reference(result: dict[str, object]) -> dict[str, object]:
    reference = result.get("rule")
    return reference if isinstance(reference, dict) else {}
