"""SARIF rules: which ``reportingDescriptor`` a result refers to, and the level a run gives it.

A run's rules live in its tool components: ``tool.driver`` and each of ``tool.extensions``
(CodeQL's query packs). A result (or a configuration override) names its rule with a
``reportingDescriptorReference`` (SARIF 2.1.0 §3.52): ``ruleIndex`` / ``rule.index`` in the
component ``rule.toolComponent`` names (§3.54: by ``index`` into the extensions, by ``guid``
or by ``name``; the driver when it names none), and ``ruleId`` / ``rule.id``.

What the specification leaves open or forbids is decided here, and always the same way:

- an index of -1 is SARIF's "absent"; below -1, or past the end, is an error at its key path;
- the rule's id and the indexed rule must agree (§3.27.5: ``ruleId`` is the rule's id or a
  hierarchical string that starts with it, ``R1/sub``); an index, ``ruleIndex`` and
  ``rule.index``, or ``ruleId`` and ``rule.id`` that contradict each other are an error: a log
  that contradicts itself cannot say which rule, and so which level, a finding has;
- a rule named by id alone is looked for in the driver, then in the extensions (a log that
  leaves out ``toolComponent`` for an extension's rule is common); the most specific id
  wins (``a/b/c``, then ``a/b``, then ``a``); an id that two extensions describe, and the
  driver does not, is an error (ambiguous: which one's level counts is unknowable);
- ``invocations[].ruleConfigurationOverrides`` (§3.20.5) give a rule's level before its
  ``defaultConfiguration`` does; where several invocations override one rule, the most
  severe level counts (fail closed). ``enabled: false`` in an override or a default
  configuration does not drop a result the log carries: the tool says it did not run the
  rule, its result says it did, and a gate counts what was found.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import LEVELS
from gatekeeper.parsers import _json

RuleKey = tuple[int, int]
"""A rule: its component (0 the driver, 1 + i the extension i) and its index there."""


class Rules:
    """The rules of one run's tool components, indexed by component and by id."""

    def __init__(self, tool: dict[str, object], display: str, at: str) -> None:
        self.display = display
        driver = _json.expect_object(tool.get("driver"), display, f"{at}.driver")
        components = [(driver, f"{at}.driver")]
        extensions = _json.expect_list(tool.get("extensions", []), display, f"{at}.extensions")
        for number, each in enumerate(extensions):
            where = f"{at}.extensions[{number}]"
            components.append((_json.expect_object(each, display, where), where))
        self.rules: list[list[dict[str, object]]] = []
        self.ids: list[dict[str, int]] = []  # a dict per component: found in constant time
        self.guids: dict[str, int] = {}
        self.names: dict[str, int] = {}
        self.severities = False
        for number, (component, where) in enumerate(components):
            rules = _json.expect_list(component.get("rules", []), display, f"{where}.rules")
            described = [
                _json.expect_object(rule, display, f"{where}.rules[{i}]")
                for i, rule in enumerate(rules)
            ]
            ids: dict[str, int] = {}
            for i, rule in enumerate(described):
                if isinstance(rule.get("id"), str):
                    ids.setdefault(str(rule["id"]), i)  # the first, as a linear search found
                if has_severity(rule, display, f"{where}.rules[{i}]"):
                    self.severities = True
            self.rules.append(described)
            self.ids.append(ids)
            for key, table in (("guid", self.guids), ("name", self.names)):
                value = component.get(key)
                if isinstance(value, str):
                    table.setdefault(value.lower() if key == "guid" else value, number)
        self.overrides: dict[RuleKey, str] = {}
        self.undescribed: dict[str, str] = {}
        """Overrides of rules no component describes, by id: a result may still name one."""

    def rule(self, key: RuleKey | None) -> dict[str, object]:
        """The descriptor of ``key``; {} for none."""
        return {} if key is None else self.rules[key[0]][key[1]]

    def configure(self, invocations: Sequence[dict[str, object]], at: str) -> None:
        """Take the levels ``invocations[].ruleConfigurationOverrides`` give rules."""
        for number, invocation in enumerate(invocations):
            where = f"{at}[{number}].ruleConfigurationOverrides"
            raw = _json.expect_list(
                invocation.get("ruleConfigurationOverrides", []), self.display, where
            )
            for i, each in enumerate(raw):
                override = _json.expect_object(each, self.display, f"{where}[{i}]")
                reference = _json.expect_object(
                    override.get("descriptor"), self.display, f"{where}[{i}].descriptor"
                )
                key = self.find(reference, None, f"{where}[{i}].descriptor", "")
                configuration = _json.expect_object(
                    override.get("configuration", {}), self.display, f"{where}[{i}].configuration"
                )
                if "level" not in configuration:
                    continue
                level = _json.expect_choice(
                    configuration["level"],
                    LEVELS,
                    self.display,
                    f"{where}[{i}].configuration.level",
                )
                ident = reference.get("id")
                if key is not None:
                    self.overrides[key] = _severest(self.overrides.get(key), level)
                elif isinstance(ident, str):
                    self.undescribed[ident] = _severest(self.undescribed.get(ident), level)

    def level(self, key: RuleKey | None, rule_id: str, at: str) -> str:
        """The level of a result that gives none: the run's override, the rule's default
        configuration, else "warning" (§3.27.10)."""
        if key is not None and key in self.overrides:
            return self.overrides[key]
        if key is None and rule_id in self.undescribed:
            return self.undescribed[rule_id]
        configuration = self.rule(key).get("defaultConfiguration", {})
        if not isinstance(configuration, dict):
            return "warning"
        level = configuration.get("level", "warning")
        return _json.expect_choice(level, LEVELS, self.display, f"{at} (its rule's level)")

    def of_result(self, result: dict[str, object], at: str) -> RuleKey | None:
        """The rule ``result`` refers to; None when the run describes none it names."""
        raw = result.get("rule", {})
        reference = raw if isinstance(raw, dict) else {}
        index = _index(result.get("ruleIndex"), self.display, f"{at}.ruleIndex")
        other = _index(reference.get("index"), self.display, f"{at}.rule.index")
        if index is not None and other is not None and index != other:
            raise self._contradiction(at, f"ruleIndex {index} and rule.index {other}")
        rule_id = result.get("ruleId")
        written = reference.get("id")
        if isinstance(rule_id, str) and isinstance(written, str) and rule_id != written:
            raise self._contradiction(at, f"ruleId {rule_id!r} and rule.id {written!r}")
        merged = {**reference, "index": index if index is not None else other}
        named = rule_id if isinstance(rule_id, str) else None
        said = f"{at}.ruleIndex" if index is not None else f"{at}.rule.index"
        return self.find(merged, named, f"{at}.rule", at, said)

    def find(
        self,
        reference: dict[str, object],
        rule_id: str | None,
        at: str,
        result: str,
        index_at: str = "",
    ) -> RuleKey | None:
        """The rule a reference names (``rule_id`` for its ``id`` when given); ``at`` is the
        reference's key path, ``result`` the result's ('' for a configuration override),
        ``index_at`` where its index was written (``at``.index unless said)."""
        ident = rule_id if rule_id is not None else reference.get("id")
        ident = ident if isinstance(ident, str) else None
        component = self._component(reference.get("toolComponent"), f"{at}.toolComponent")
        index = _index(reference.get("index"), self.display, f"{at}.index")
        if index is not None:
            number = component if component is not None else 0
            if index >= len(self.rules[number]):
                where = index_at or f"{at}.index"
                raise _json.shape_error(self.display, where, "a rule of the run", index)
            described = self.rules[number][index].get("id")
            if ident is not None and isinstance(described, str) and not _names(ident, described):
                said = f"index {index} (rule {described!r}) and id {ident!r}"
                raise self._contradiction(result or at, said)
            return number, index
        if ident is None:
            return None
        searched = [component] if component is not None else list(range(len(self.rules)))
        return self._by_id(ident, searched, result or at)

    def _by_id(self, ident: str, components: list[int], at: str) -> RuleKey | None:
        """The most specific rule ``ident`` names (§3.27.5): the driver's first, else the one
        extension's that describes it."""
        candidate = ident
        while True:
            found = [(c, self.ids[c][candidate]) for c in components if candidate in self.ids[c]]
            if found and (found[0][0] == 0 or len(found) == 1):
                return found[0]
            if found:
                names = ", ".join(f"tool.extensions[{c - 1}]" for c, _ in found[:3])
                raise EvidenceError(
                    Position(self.display),
                    f"{at}: rule {candidate!r} is described by more than one extension "
                    f"({names}) and the result does not say which (rule.toolComponent)",
                )
            if "/" not in candidate:
                return None
            candidate = candidate.rsplit("/", 1)[0]

    def _component(self, raw: object, at: str) -> int | None:
        """The component a ``toolComponentReference`` names; None when it names none."""
        if raw is None:
            return None
        reference = _json.expect_object(raw, self.display, at)
        index = _index(reference.get("index"), self.display, f"{at}.index")
        if index is not None:
            if index + 1 >= len(self.rules):
                raise _json.shape_error(
                    self.display, f"{at}.index", "an extension of the run", index
                )
            return index + 1  # extensions follow the driver
        for key, table in (("guid", self.guids), ("name", self.names)):
            value = reference.get(key)
            if value is None:
                continue
            text = _json.expect_str(value, self.display, f"{at}.{key}")
            number = table.get(text.lower() if key == "guid" else text)
            if number is None:
                raise _json.shape_error(self.display, f"{at}.{key}", "a component of the run", text)
            return number
        return None

    def _contradiction(self, at: str, said: str) -> EvidenceError:
        return EvidenceError(
            Position(self.display),
            f"{at}: {said} name different rules (SARIF says they agree): which rule, and so "
            "which level, the result has is unknowable",
        )


def _severest(known: str | None, level: str) -> str:
    """The more severe of two levels (fail closed where invocations disagree)."""
    return level if known is None else max(known, level, key=LEVELS.index)


def _names(rule_id: str, described: str) -> bool:
    """Whether ``rule_id`` is rule ``described``'s id or a hierarchical one under it."""
    return rule_id == described or rule_id.startswith(f"{described}/")


def _index(value: object, display: str, at: str) -> int | None:
    """An array index, None when absent (or -1, SARIF's default for absent)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < -1:
        raise _json.shape_error(display, at, "an index (0 or more)", value)
    return None if value == -1 else value


def has_severity(holder: dict[str, object], display: str, at: str) -> bool:
    """Whether ``holder`` gives a valid ``security-severity`` (an error when it is invalid)."""
    return severity(holder, display, at) is not None


def severity(holder: dict[str, object], display: str, at: str) -> float | None:
    """The ``security-severity`` property (GitHub's, a number 0-10 written as a string)."""
    properties = holder.get("properties")
    if not isinstance(properties, dict) or "security-severity" not in properties:
        return None
    raw = properties["security-severity"]
    where = f"{at}.properties.security-severity"
    value = float("nan")
    if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
        with contextlib.suppress(ValueError):  # not a number: refused below
            value = float(raw)
    if not 0 <= value <= 10:  # NaN too
        raise _json.shape_error(display, where, "a number from 0 to 10", raw)
    return value
