"""A bundle held to ``schemas/bundle.schema.json``, fast enough for a million tests.

jsonschema checks a test record in about 50 µs: a bundle's thousands of records would take
seconds. So the schema checks the bundle with its files and failing tests left out, and
those records, the bulk of it, are first checked by the plain functions below; only a
record they reject goes to jsonschema, which then says what is wrong with it (a file without
its findings, then each finding that does not fit). tests/test_bundle_schema.py holds these
functions to the schema's ``test``, ``metric``, ``finding``, ``analysis`` and ``file``
definitions: each accepts exactly what the schema accepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import Any

from gatekeeper.bundles import BUNDLE_VERSION, UNDATED_VERSIONS, BundleError
from gatekeeper.resources import load_schema
from gatekeeper.units import Dimension

SCHEMA = "bundle.schema.json"
MAX_SHOWN = 5
"""Problems named in the message; the rest are counted."""
_MAX_MESSAGE = 200
_TEST_KEYS = frozenset(
    ("suite", "classname", "name", "file", "line", "status", "flaky", "reruns", "duration",
     "message", "source")
)  # fmt: skip
_METRIC_KEYS = frozenset(
    (
        "name",
        "tags",
        "stats",
        "kind",
        "aliases",
        "source",
        "samples",
        "sample_dimension",
        "failures",
    )
)
_STATUSES = frozenset(("passed", "failed", "error", "skipped"))
_DIMENSIONS = frozenset(d.value for d in Dimension)
_NON_FINITE = frozenset(("NaN", "Infinity", "-Infinity"))


def _integer(value: Any) -> bool:  # JSON Schema: 1.0 is an integer
    return type(value) is int or (type(value) is float and value.is_integer())


def _number(value: Any) -> bool:
    kind = type(value)
    return kind is int or kind is float or (kind is str and value in _NON_FINITE)


def _text_or_null(value: Any) -> bool:
    return value is None or type(value) is str


def is_test(raw: Any) -> bool:
    """Whether ``raw`` fits the schema's ``test`` definition."""
    return (
        type(raw) is dict
        and raw.keys() == _TEST_KEYS
        and type(raw["suite"]) is str
        and type(raw["classname"]) is str
        and type(raw["name"]) is str
        and _text_or_null(raw["file"])
        and (raw["line"] is None or _integer(raw["line"]))
        and type(raw["status"]) is str
        and raw["status"] in _STATUSES
        and type(raw["flaky"]) is bool
        and _integer(raw["reruns"])
        and raw["reruns"] >= 0
        and (raw["duration"] is None or _number(raw["duration"]))
        and _text_or_null(raw["message"])
        and type(raw["source"]) is str
    )


def _dimension(value: Any) -> bool:
    return type(value) is str and value in _DIMENSIONS


def _quantity(value: Any) -> bool:
    return (
        type(value) is dict
        and value.keys() == {"value", "dimension"}
        and _number(value["value"])
        and _dimension(value["dimension"])
    )


def is_metric(raw: Any) -> bool:
    """Whether ``raw`` fits the schema's ``metric`` definition."""
    return (
        type(raw) is dict
        and raw.keys() - {"subseries"} == _METRIC_KEYS
        and type(raw["name"]) is str
        and type(raw["tags"]) is dict
        and all(type(v) is str for v in raw["tags"].values())
        and type(raw["stats"]) is dict
        and all(_quantity(q) for q in raw["stats"].values())
        and type(raw["kind"]) is str
        and type(raw["aliases"]) is list
        and all(type(a) is str for a in raw["aliases"])
        and type(raw["source"]) is str
        and type(raw["samples"]) is list
        and all(map(_number, raw["samples"]))
        and _dimension(raw["sample_dimension"])
        and type(raw["failures"]) is list
        and all(type(f) is str for f in raw["failures"])
        and raw.get("subseries", True) is True  # written only where true
    )


_FINDING_KEYS = frozenset(
    ("tool", "rule", "level", "file", "line", "message", "fingerprints", "context",
     "suppressed", "severity", "source", "placed")
)  # fmt: skip
_LEVELS = frozenset(("note", "warning", "error"))


def _pair(value: Any) -> bool:
    return type(value) is list and len(value) == 2 and all(type(v) is str for v in value)


def _severity(value: Any) -> bool:
    kind = type(value)
    return value is None or ((kind is int or kind is float) and 0 <= value <= 10)


def is_finding(raw: Any) -> bool:
    """Whether ``raw`` fits the schema's ``finding`` definition."""
    return (
        type(raw) is dict
        and raw.keys() == _FINDING_KEYS
        and type(raw["tool"]) is str
        and type(raw["rule"]) is str
        and type(raw["level"]) is str
        and raw["level"] in _LEVELS
        and type(raw["file"]) is str
        and (raw["line"] is None or (_integer(raw["line"]) and raw["line"] >= 1))
        and type(raw["message"]) is str
        and type(raw["fingerprints"]) is list
        and all(map(_pair, raw["fingerprints"]))
        and type(raw["context"]) is str
        and type(raw["suppressed"]) is bool
        and _severity(raw["severity"])
        and type(raw["source"]) is str
        and (raw["placed"] is None or type(raw["placed"]) is bool)
    )


_ANALYSIS_KEYS = frozenset(("tool", "version", "failures", "severities"))


def is_analysis(raw: Any) -> bool:
    """Whether ``raw`` fits the schema's ``analysis`` definition."""
    return (
        type(raw) is dict
        and raw.keys() == _ANALYSIS_KEYS
        and type(raw["tool"]) is str
        and type(raw["version"]) is str
        and type(raw["failures"]) is list
        and all(type(f) is str for f in raw["failures"])
        and type(raw["severities"]) is bool
    )


_FILE_KEYS = frozenset(
    (
        "path",
        "sha256",
        "format",
        "tests",
        "metrics",
        "findings",
        "analyses",
        "measured_at",
        "time_error",
    )
)
_MOMENT = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?\+00:00$"
)
_DIGEST = re.compile("^[0-9a-f]{64}$")  # the schema's pattern, searched as jsonschema does


def is_file(raw: Any) -> bool:
    """Whether ``raw`` fits the schema's ``file`` definition."""
    return (
        type(raw) is dict
        and raw.keys() == _FILE_KEYS
        and type(raw["path"]) is str
        and raw["path"] != ""
        and type(raw["sha256"]) is str
        and _DIGEST.search(raw["sha256"]) is not None
        and type(raw["format"]) is str
        and raw["format"] != ""
        and _integer(raw["tests"])
        and raw["tests"] >= 0
        and type(raw["metrics"]) is list
        and all(map(is_metric, raw["metrics"]))
        and type(raw["findings"]) is list
        and all(map(is_finding, raw["findings"]))
        and type(raw["analyses"]) is list
        and all(map(is_analysis, raw["analyses"]))
        and (
            raw["measured_at"] is None
            or (type(raw["measured_at"]) is str and _MOMENT.search(raw["measured_at"]) is not None)
        )
        and (raw["time_error"] is None or type(raw["time_error"]) is str)
    )


_BULK = {
    "failing": ("test", is_test),
    "files": ("file", is_file),
    "findings": ("finding", is_finding),
}
_NESTED = {"files": "findings"}
"""A bulk record's own bulk: a file that does not fit goes to jsonschema without its findings
(an analyser can report tens of thousands), and only the findings that do not fit follow."""
_HOLDERS: dict[str, str | None] = {"files": None, "selections": "failing"}
"""Where the bulk is: an artifact's files, each selection's failing tests."""

Bulk = list[tuple[tuple[Any, ...], str, list[Any]]]


def _lighten(artifact: Any, path: tuple[Any, ...], bulk: Bulk) -> Any:
    """``artifact`` with its bulk lists emptied, those lists appended to ``bulk``."""
    if not isinstance(artifact, dict):
        return artifact
    light = dict(artifact)
    for holder, field in _HOLDERS.items():
        items = artifact.get(holder)
        if not isinstance(items, list):
            continue
        if field is None:  # the list itself
            bulk.append(((*path, holder), holder, items))
            light[holder] = []
            continue
        kept = []
        for j, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get(field), list):
                bulk.append(((*path, holder, j, field), field, item[field]))
                item = {**item, field: []}
            kept.append(item)
        light[holder] = kept
    return light


def _skeleton(data: Any) -> tuple[Any, Bulk]:
    """``data`` with every artifact's files and every selection's failing tests emptied, and
    those lists with their paths."""
    bulk: Bulk = []
    if not (isinstance(data, dict) and isinstance(data.get("shards"), list)):
        return data, bulk
    shards = []
    for i, shard in enumerate(data["shards"]):
        artifacts = shard.get("artifacts") if isinstance(shard, dict) else None
        if not isinstance(artifacts, dict):
            shards.append(shard)
            continue
        light = {
            key: _lighten(artifact, ("shards", i, "artifacts", key), bulk)
            for key, artifact in artifacts.items()
        }
        shards.append({**shard, "artifacts": light})
    return {**data, "shards": shards}, bulk


def key_path(path: Any) -> str:
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    return text.lstrip(".") or "(top level)"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    for name, kind in (("object", dict), ("array", list), ("string", str)):
        if isinstance(value, kind):
            return name
    return "number"


def _message(error: Any) -> str:
    """jsonschema's message, without a copy of a large value that is of the wrong type."""
    if error.validator == "type":
        return f"expected {error.validator_value}, got {_json_type(error.instance)}"
    message: str = error.message
    return message if len(message) <= _MAX_MESSAGE else message[:_MAX_MESSAGE] + "…"


def _problems(data: Any) -> Iterator[str]:
    from jsonschema import Draft202012Validator  # import cost is paid only here

    schema = load_schema(SCHEMA)
    skeleton, bulk = _skeleton(data)
    for error in Draft202012Validator(schema).iter_errors(skeleton):
        yield f"{key_path(error.absolute_path)}: {_message(error)}"
    for path, field, records in bulk:
        yield from _bulk_problems(schema, path, field, records)


def _bulk_problems(
    schema: dict[str, Any], path: tuple[Any, ...], field: str, records: list[Any]
) -> Iterator[str]:
    from jsonschema import Draft202012Validator

    definition, fits = _BULK[field]
    validator = Draft202012Validator({"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"})
    nested = _NESTED.get(field)
    for index, record in enumerate(records):
        if fits(record):
            continue
        inner = record.get(nested) if nested and isinstance(record, dict) else None
        if nested and isinstance(inner, list):
            record = {**record, nested: []}
        for error in validator.iter_errors(record):
            yield f"{key_path((*path, index, *error.absolute_path))}: {_message(error)}"
        if nested and isinstance(inner, list):
            yield from _bulk_problems(schema, (*path, index, nested), nested, inner)


def _undated(data: dict[str, Any]) -> None:
    """An older bundle read as this version: its files record no measurement time (whatever
    they say), so a max_age never accepts them. Changed in place, before the schema check."""
    data["bundle_version"] = BUNDLE_VERSION
    for shard in data.get("shards") or ():
        artifacts = shard.get("artifacts") if isinstance(shard, dict) else None
        for artifact in (artifacts or {}).values() if isinstance(artifacts, dict) else ():
            files = artifact.get("files") if isinstance(artifact, dict) else None
            for file in files if isinstance(files, list) else ():
                if isinstance(file, dict):
                    file["measured_at"] = file["time_error"] = None


def check_schema(data: Any, display: str) -> None:
    """Raise a BundleError naming the first problems by key path, if there are any."""
    version = data.get("bundle_version") if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version in UNDATED_VERSIONS:
        _undated(data)
        version = BUNDLE_VERSION
    if isinstance(version, int) and not isinstance(version, bool) and version != BUNDLE_VERSION:
        writer = data.get("gatekeeper_version")
        by = f"gatekeeper {writer}" if isinstance(writer, str) else "another gatekeeper"
        raise BundleError(
            f"{display}: bundle_version {version}, written by {by}; this gatekeeper reads "
            f"bundle_version {BUNDLE_VERSION}: collect the bundles again with one version"
        )
    problems = _problems(data)
    shown = list(islice(problems, MAX_SHOWN))
    if shown:
        tail = "; and more" if next(problems, None) is not None else ""
        raise BundleError(f"{display}: not a gatekeeper bundle: {'; '.join(shown)}{tail}")
