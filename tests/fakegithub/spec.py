"""The endpoints the fake serves, read from openapi_subset.json, and request validation.

Every request is checked the way GitHub checks it: the method and path must name one of the
endpoints, path and query parameters must fit their schemas, and the JSON body must fit the
request schema GitHub publishes. What does not fit becomes a `Problem` the server records.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match

SUBSET = Path(__file__).with_name("openapi_subset.json")

_RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")
# Only the formats GitHub's request schemas use, checked the same way wherever the tests run
# (jsonschema's own date-time check depends on an optional package).
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.fullmatch(value):
        return False
    dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    return True


@dataclass(frozen=True)
class Problem:
    """Why a request is not one GitHub would accept."""

    status: int
    """What GitHub answers: 404 unknown endpoint, 400 bad JSON, 422 schema, 401 auth."""
    message: str


@dataclass(frozen=True)
class Endpoint:
    method: str
    template: str
    operation_id: str
    docs: str
    success_status: int
    pattern: re.Pattern[str]
    path_params: dict[str, Any]
    query_params: dict[str, Any]
    body_schema: dict[str, Any] | None
    response_schema: Any
    response_example: Any

    def match(self, path: str) -> dict[str, str] | None:
        found = self.pattern.fullmatch(path)
        return None if found is None else {k: unquote(v) for k, v in found.groupdict().items()}


def _pattern(template: str, params: dict[str, Any]) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)  # literal, name, literal, name, ..., literal
    regex = ""
    for index, part in enumerate(parts):
        if index % 2 == 0:
            regex += re.escape(part)
        else:
            wide = params.get(part, {}).get("multi_segment", False)
            regex += f"(?P<{part}>{'.+?' if wide else '[^/]+'})"
    return re.compile(regex)


@cache
def subset() -> dict[str, Any]:
    return json.loads(SUBSET.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@cache
def endpoints() -> tuple[Endpoint, ...]:
    found = []
    for raw in subset()["endpoints"]:
        params = raw["parameters"]
        found.append(
            Endpoint(
                method=raw["method"],
                template=raw["path"],
                operation_id=raw["operation_id"],
                docs=raw["docs"],
                success_status=raw["success_status"],
                pattern=_pattern(raw["path"], params["path"]),
                path_params=params["path"],
                query_params=params["query"],
                body_schema=raw["request_body"],
                response_schema=raw["response_schema"],
                response_example=raw["response_example"],
            )
        )
    return tuple(found)


def route(method: str, path: str) -> tuple[Endpoint, dict[str, str]] | None:
    """The endpoint a method and path (relative to the API root) name, with its path values."""
    for endpoint in endpoints():
        values = endpoint.match(path)
        if values is not None and endpoint.method == method:
            return endpoint, values
    return None


def _coerce(value: str, schema: dict[str, Any]) -> object:
    """A parameter's text as the type its schema declares, as GitHub reads it."""
    if schema.get("type") == "integer" and re.fullmatch(r"-?\d+", value):
        return int(value)
    return value


def _first_error(schema: dict[str, Any], instance: object) -> ValidationError | None:
    errors = Draft7Validator(schema, format_checker=FORMATS).iter_errors(instance)
    found: ValidationError | None = best_match(errors)
    return found


def _describe(error: ValidationError) -> str:
    where = "/".join(str(p) for p in error.absolute_path) or "(root)"
    message = error.message if len(error.message) <= 300 else error.message[:300] + "…"
    return f"{where}: {message}"


def check_parameters(
    endpoint: Endpoint, values: dict[str, str], query: dict[str, list[str]]
) -> tuple[dict[str, object], list[Problem]]:
    """Path and query values typed by their schemas, and every parameter that breaks one."""
    typed: dict[str, object] = {}
    problems = []
    for where, given, specs, bad_status in (
        ("path", {k: [v] for k, v in values.items()}, endpoint.path_params, 404),
        ("query", query, endpoint.query_params, 422),
    ):
        for name, texts in given.items():
            spec = specs.get(name)
            if spec is None:
                problems.append(
                    Problem(bad_status, f"{where} parameter {name!r} is not one of {sorted(specs)}")
                )
                continue
            if len(texts) > 1:
                problems.append(
                    Problem(bad_status, f"{where} parameter {name!r} given {len(texts)} times")
                )
            typed[name] = _coerce(texts[-1], spec["schema"])
            error = _first_error(spec["schema"], typed[name])
            if error is not None:
                problems.append(Problem(bad_status, f"{where} parameter {name}: {error.message}"))
        for name, spec in specs.items():
            if spec["required"] and name not in given:
                problems.append(Problem(bad_status, f"{where} parameter {name!r} is required"))
    return typed, problems


def check_body(endpoint: Endpoint, raw: bytes) -> tuple[Any, list[Problem]]:
    """The parsed JSON body and, if it breaks the endpoint's request schema, why."""
    if endpoint.body_schema is None:
        return None, []
    try:
        body = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, [Problem(400, "Problems parsing JSON")]
    if body is None:
        return None, [Problem(422, "Invalid request.\n\nNo body was supplied.")]
    errors = sorted(
        Draft7Validator(endpoint.body_schema, format_checker=FORMATS).iter_errors(body),
        key=lambda e: list(map(str, e.absolute_path)),
    )
    return body, [Problem(422, f"Invalid request.\n\n{_describe(e)}") for e in errors]


def response_problems(endpoint: Endpoint, body: object) -> list[str]:
    """How a response of the fake differs from the schema GitHub documents for it."""
    if endpoint.response_schema is None:
        return []
    validator = Draft7Validator(endpoint.response_schema)
    return [_describe(e) for e in validator.iter_errors(body)]
