"""Gatling report files: ``js/global_stats.json``, ``js/stats.json`` and ``js/assertions.json``.

Statistics files give, per request (and per group, and overall), one series with the
request's name (a request inside groups is named by its path, ``Group / Request``) and
two variants tagged ``{status:ok}`` and ``{status:ko}``. The overall series is named as
the file names it ("All Requests", or "Global Information" before Gatling 3.4) and also
answers to ``global``. Times are milliseconds in the file, seconds here.

The files do not say which percentiles ``percentiles1..4`` hold (gatling.conf decides):
gatekeeper assumes Gatling's defaults, 50/75/95/99 (95/99 for the two-slot files of
Gatling 2.0-2.1), and also publishes each slot as ``percentiles1``..``percentiles4`` for
a team that changed them; a slot that carries its own label wins over the assumption.

``assertions.json`` becomes test results, one per assertion: its text is the name and
the message, ``result`` true/false the status, so a matrix can require that every
Gatling assertion passed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest, TestResult, TestStatus
from gatekeeper.parsers import _json
from gatekeeper.parsers._times import recorded_epoch
from gatekeeper.parsers.load._gatling_stats import series

NAME = "gatling"

_GLOBAL_ALIASES = ("global", "All Requests", "Global Information")
_STATISTICS = frozenset({"numberOfRequests", "minResponseTime"})
_ASSERTIONS = frozenset({"simulationId", "assertions"})
_NODE_TYPES = ("GROUP", "REQUEST")
"""What stats.json says each node is."""


def detect_json(document: object) -> bool:
    """Statistics (request counts beside response times: global_stats.json itself, the
    ``stats`` of stats.json's root) or an assertions file."""
    if not isinstance(document, dict):
        return False
    stats = document.get("stats")
    block: dict[str, object] = stats if isinstance(stats, dict) else document
    return block.keys() >= _STATISTICS or document.keys() >= _ASSERTIONS


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read whichever of the three report files this is, by its top-level keys."""
    return parse_json(_json.load(path, display), path, display, wanted)


def parse_json(
    document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """``parse`` of the decoded file."""
    root = _json.expect_object(document, display, "(top level)")
    if "assertions" in root and "simulation" in root:
        # start: the simulation's start, milliseconds since 1970 (stats files record none)
        measured_at, time_error = recorded_epoch(root.get("start"), display, "start", 1000)
        return ParsedFile(
            path=display,
            format=NAME,
            tests=_assertions(root, display),
            measured_at=measured_at,
            time_error=time_error,
        )
    if "stats" in root:
        metrics = _tree(root, display)
    elif "numberOfRequests" in root:
        name = _json.expect_str(root.get("name"), display, "name")
        metrics = series(name, _aliases(name), "request", root, display, "(top level)")
    else:
        raise EvidenceError(
            Position(display),
            "not a Gatling report file: expected the keys of global_stats.json, stats.json "
            "or assertions.json",
        )
    return ParsedFile(path=display, format=NAME, metrics=tuple(metrics))


def _aliases(name: str) -> tuple[str, ...]:
    return tuple(alias for alias in _GLOBAL_ALIASES if alias != name)


def _tree(root: dict[str, object], display: str) -> list[Metric]:
    """Every node of stats.json: the root (overall), groups and requests, depth first."""
    metrics: list[Metric] = []
    pending: list[tuple[dict[str, object], str, str]] = [(root, "", "(top level)")]
    while pending:
        node, parent, where = pending.pop()
        name = _json.expect_str(node.get("name"), display, f"{where}.name")
        path = node.get("path")
        stats = _json.expect_object(node.get("stats"), display, f"{where}.stats")
        if node is root:
            metrics += series(name, _aliases(name), "request", stats, display, f"{where}.stats")
            label = ""
        else:
            label = path if isinstance(path, str) and path else f"{parent}{name}"
            node_type = node.get("type")
            if node_type is not None:
                node_type = _json.expect_choice(node_type, _NODE_TYPES, display, f"{where}.type")
            kind = "group" if node_type == "GROUP" else "request"
            aliases = (name,) if name != label else ()
            metrics += series(label, aliases, kind, stats, display, f"{where}.stats")
        contents = node.get("contents")
        if contents is None:
            continue
        children = _json.expect_object(contents, display, f"{where}.contents")
        prefix = f"{label} / " if label else ""
        for key, child in reversed(_json.members(children)):
            here = f"{where}.contents.{key}"
            pending.append((_json.expect_object(child, display, here), prefix, here))
    return metrics


def _assertions(root: dict[str, object], display: str) -> tuple[TestResult, ...]:
    simulation = _json.expect_str(root.get("simulation"), display, "simulation")
    results = []
    for index, raw in enumerate(_json.expect_list(root.get("assertions"), display, "assertions")):
        where = f"assertions[{index}]"
        item = _json.expect_object(raw, display, where)
        passed = item.get("result")
        if not isinstance(passed, bool):
            raise _json.shape_error(display, f"{where}.result", "true or false", passed)
        scope = _json.expect_str(item.get("path"), display, f"{where}.path")
        text = item.get("message")
        if not isinstance(text, str) or not text:
            target, condition = (str(item.get(k, "")) for k in ("target", "condition"))
            text = f"{scope}: {target} {condition} {item.get('conditionValues', '')}".strip()
        actual = item.get("values", item.get("actualValue"))
        message = f"{text} (actual: {actual})" if actual not in (None, []) else text
        results.append(
            TestResult(
                suite=simulation,
                classname=scope,
                name=text,
                file=None,
                line=None,
                status=TestStatus.PASSED if passed else TestStatus.FAILED,
                message=message,
                source=display,
            )
        )
    return tuple(results)
