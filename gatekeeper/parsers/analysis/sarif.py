"""SARIF 2.1.0: ``{"version": "2.1.0", "runs": [{"tool": {"driver": …}, "results": […]}]}``.

Each run is one analyser's (``tool.driver.name``); each of its results that is a finding
(``kind`` "fail", the default, or another kind with a level above "none") becomes a
``Finding`` with its rule, level, primary location, fingerprints and suppression. What SARIF
leaves to defaults is filled in as the specification says: a result with no ``level`` takes
its rule's ``defaultConfiguration.level``, else "warning"; a result whose ``kind`` is not
"fail" has level "none". Rules are found by ``rule.index``/``ruleIndex`` in the driver, or
in the extension ``rule.toolComponent.index`` names (CodeQL's query packs), else by id.

Fail closed, as the specification's own test for a failed run has it: a run with no
``results`` array computed no results (an error: no evidence), and a run whose invocation
says ``executionSuccessful: false``, or that carries a notification of level "error", records
a failure of the analyser (``Analysis.failures``): its findings may be incomplete, so a
criterion over it fails unless the matrix expects failures. A value outside SARIF's closed
sets (a level, a kind, a suppression status) is an error at its key path.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import LEVELS, Analysis, Finding, ParsedFile, SeriesRequest
from gatekeeper.parsers import _json

NAME = "sarif"

VERSION = "2.1.0"
KINDS = ("notApplicable", "pass", "fail", "review", "open", "informational")
STATUSES = ("accepted", "underReview", "rejected")
MAX_MESSAGE = 500
"""Characters of a finding's message kept: enough to tell it, bounded for a hostile file."""

_SCHEMA = re.compile(r"sarif", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{(\d+)\}")


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
    for index, raw in enumerate(_json.expect_list(log.get("runs"), display, "runs")):
        run = _Run(_json.expect_object(raw, display, f"runs[{index}]"), display, f"runs[{index}]")
        findings.extend(run.findings())
        analyses.append(run.analysis())
    return ParsedFile(display, NAME, findings=tuple(findings), analyses=tuple(analyses))


class _Run:
    """One run of an analyser, read on demand."""

    def __init__(self, run: dict[str, object], display: str, at: str) -> None:
        self.run, self.display, self.at = run, display, at
        tool = _json.expect_object(run.get("tool"), display, f"{at}.tool")
        driver = _json.expect_object(tool.get("driver"), display, f"{at}.tool.driver")
        self.tool = _json.expect_str(driver.get("name"), display, f"{at}.tool.driver.name")
        version = driver.get("semanticVersion", driver.get("version", ""))
        self.version = version if isinstance(version, str) else ""
        components = [(driver, f"{at}.tool.driver")]
        extensions = _json.expect_list(tool.get("extensions", []), display, f"{at}.tool.extensions")
        for number, each in enumerate(extensions):
            where = f"{at}.tool.extensions[{number}]"
            components.append((_json.expect_object(each, display, where), where))
        self.components = [self._rules(component, where) for component, where in components]
        self.severities = False
        for rules, (_, where) in zip(self.components, components, strict=True):
            for number, rule in enumerate(rules):  # each checked once, here
                if _severity(rule, display, f"{where}.rules[{number}]") is not None:
                    self.severities = True
        self.bases = self._bases()

    def _rules(self, component: dict[str, object], at: str) -> list[dict[str, object]]:
        rules = _json.expect_list(component.get("rules", []), self.display, f"{at}.rules")
        return [
            _json.expect_object(rule, self.display, f"{at}.rules[{i}]")
            for i, rule in enumerate(rules)
        ]

    def _bases(self) -> dict[str, str]:
        """``originalUriBaseIds`` resolved to paths, where they are given."""
        raw = self.run.get("originalUriBaseIds", {})
        bases = _json.expect_object(raw, self.display, f"{self.at}.originalUriBaseIds")
        resolved: dict[str, str] = {}
        for _ in range(len(bases) + 1):  # a base may build on another: resolve in rounds
            for key, value in _json.members(bases):
                where = f"{self.at}.originalUriBaseIds.{key}"
                location = _json.expect_object(value, self.display, where)
                uri = location.get("uri")
                if not isinstance(uri, str):
                    continue
                parent = location.get("uriBaseId")
                if isinstance(parent, str):
                    if parent not in resolved:
                        continue
                    resolved[key] = _joined(resolved[parent], _path(uri))
                else:
                    resolved[key] = _path(uri)
        return resolved

    def analysis(self) -> Analysis:
        return Analysis(self.tool, self.version, self._failures(), self.severities)

    def _failures(self) -> tuple[str, ...]:
        failures: list[str] = []
        invocations = self.run.get("invocations", [])
        for number, raw in enumerate(
            _json.expect_list(invocations, self.display, f"{self.at}.invocations")
        ):
            where = f"{self.at}.invocations[{number}]"
            invocation = _json.expect_object(raw, self.display, where)
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
                        said = _message(entry.get("message")) or key
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
        rule = self._rule(result, at)
        rule_id = result.get("ruleId", _rule_reference(result).get("id", rule.get("id", "")))
        rule_id = _json.expect_str(rule_id, self.display, f"{at}.ruleId")
        if "level" in result:
            level = _json.expect_choice(result["level"], LEVELS, self.display, f"{at}.level")
        elif kind != "fail":
            level = "none"
        else:
            level = self._default_level(rule, at)
        if level == "none":
            return None  # a pass, or information: not a finding
        file, line, context = self._location(result, at)
        severity = _severity(result, self.display, at)
        return Finding(
            tool=self.tool,
            rule=rule_id,
            level=level,
            file=file,
            line=line,
            message=_message(result.get("message"), rule)[:MAX_MESSAGE],
            fingerprints=self._fingerprints(result, at),
            context=context,
            suppressed=self._suppressed(result, at),
            severity=severity if severity is not None else _severity(rule, self.display, ""),
            source=self.display,
        )

    def _rule(self, result: dict[str, object], at: str) -> dict[str, object]:
        """The rule descriptor a result refers to; {} when the run describes none."""
        reference = _rule_reference(result)
        component = 0
        target = reference.get("toolComponent")
        if isinstance(target, dict) and isinstance(target.get("index"), int):
            component = target["index"] + 1  # extensions follow the driver
        index = reference.get("index", result.get("ruleIndex", -1))
        if component >= len(self.components):
            where = f"{at}.rule.toolComponent.index"
            raise _json.shape_error(self.display, where, "an extension of the run", component - 1)
        rules = self.components[component]
        if isinstance(index, int) and not isinstance(index, bool) and index >= 0:
            if index >= len(rules):
                raise _json.shape_error(self.display, f"{at}.ruleIndex", "a rule of the run", index)
            return rules[index]
        wanted = result.get("ruleId", reference.get("id"))
        return next((r for r in rules if r.get("id") == wanted), {})

    def _default_level(self, rule: dict[str, object], at: str) -> str:
        configuration = rule.get("defaultConfiguration", {})
        if not isinstance(configuration, dict):
            return "warning"
        level = configuration.get("level", "warning")
        return _json.expect_choice(level, LEVELS, self.display, f"{at} (its rule's level)")

    def _location(self, result: dict[str, object], at: str) -> tuple[str, int | None, str]:
        """The primary (first) location's file, first line and snippet."""
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
        file = self._file(artifact, f"{where}.artifactLocation")
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
        return file, line, " ".join(text.split()) if isinstance(text, str) else ""

    def _file(self, location: dict[str, object], at: str) -> str:
        uri = location.get("uri")
        index = location.get("index")
        if uri is None and isinstance(index, int) and not isinstance(index, bool):
            uri = self._listed_uri(index, at)
        if uri is None:
            return ""
        path = _path(_json.expect_str(uri, self.display, f"{at}.uri"))
        base = location.get("uriBaseId")
        if isinstance(base, str) and base in self.bases and not path.startswith("/"):
            return _joined(self.bases[base], path)
        return path

    def _listed_uri(self, index: int, at: str) -> object:
        """The URI of ``run.artifacts[index]``, which a location may name instead of its own."""
        listed = _json.expect_list(
            self.run.get("artifacts", []), self.display, f"{self.at}.artifacts"
        )
        if not 0 <= index < len(listed):
            raise _json.shape_error(self.display, f"{at}.index", "an artifact of the run", index)
        where = f"{self.at}.artifacts[{index}]"
        entry = _json.expect_object(listed[index], self.display, where)
        location = _json.expect_object(entry.get("location", {}), self.display, f"{where}.location")
        return location.get("uri")

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


def _severity(holder: dict[str, object], display: str, at: str) -> float | None:
    """The ``security-severity`` property (GitHub's, a number 0-10 written as a string)."""
    properties = holder.get("properties")
    if not isinstance(properties, dict) or "security-severity" not in properties:
        return None
    raw = properties["security-severity"]
    where = f"{at}.properties.security-severity"
    value = math.nan
    if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
        with contextlib.suppress(ValueError):  # not a number: refused below
            value = float(raw)
    if not 0 <= value <= 10:  # NaN too
        raise _json.shape_error(display, where, "a number from 0 to 10", raw)
    return value


def _message(raw: object, rule: dict[str, object] | None = None) -> str:
    """A message's text: its own, or its rule's ``messageStrings`` entry with the arguments
    put in; the first line only."""
    if not isinstance(raw, dict):
        return ""
    text = raw.get("text")
    if not isinstance(text, str) and rule is not None:
        strings = rule.get("messageStrings")
        entry = strings.get(raw.get("id")) if isinstance(strings, dict) else None
        text = entry.get("text") if isinstance(entry, dict) else None
        arguments = raw.get("arguments")
        if isinstance(text, str) and isinstance(arguments, list):
            text = _PLACEHOLDER.sub(lambda m: _argument(arguments, m), text)
    if not isinstance(text, str):
        return ""
    lines = text.strip().splitlines()
    return lines[0] if lines else ""


def _argument(arguments: list[object], match: re.Match[str]) -> str:
    number = int(match.group(1))
    return str(arguments[number]) if number < len(arguments) else match.group(0)


def _path(uri: str) -> str:
    """A SARIF URI as a path: ``file:///w/src/a.py`` -> ``/w/src/a.py``; a relative reference
    unquoted, without a leading ``./``; another scheme kept as written."""
    parts = urlsplit(uri)
    if parts.scheme == "file":
        path = unquote(parts.path)
        if re.match(r"/[A-Za-z]:/", path):  # file:///C:/work/a.py
            path = path[1:]
        host = parts.netloc if parts.netloc != "localhost" else ""
        return f"//{host}{path}" if host else path
    if parts.scheme and len(parts.scheme) > 1:
        return uri
    path = unquote(uri).replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def _joined(base: str, path: str) -> str:
    if not base:
        return path
    return base.rstrip("/") + "/" + path if path else base
