"""JSON Schema validation of the matrix file, with errors a person can act on.

A file that conforms costs no jsonschema import: ``conformance`` says so first (exactly as
jsonschema would, see there). jsonschema runs only on a file that does not, to list and
word every error, so the messages are the same either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from gatekeeper.matrix.conformance import Check, UnsupportedSchema, compile_schema
from gatekeeper.matrix.problems import KeyPath, Problem
from gatekeeper.matrix.yamlpos import Located
from gatekeeper.resources import load_schema

SCHEMA = "matrix.schema.json"

_TYPES = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    for name, kind in (("a mapping", dict), ("a list", list), ("text", str)):
        if isinstance(value, kind):
            return name
    if value is None:
        return "nothing (null)"
    return "a number"


def _message(error: Any) -> tuple[KeyPath, str]:
    """Turn one jsonschema error into (key path at fault, message)."""
    import difflib  # errors only: start-up time

    path: KeyPath = tuple(error.absolute_path)
    validator, value = error.validator, error.instance
    if validator == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in value if k not in allowed]
        key = extra[0] if extra else ""
        hint = difflib.get_close_matches(key, allowed, n=1)
        tip = f" (did you mean {hint[0]!r}?)" if hint else f" (allowed: {', '.join(allowed)})"
        return (*path, key), f"unknown key {key!r}{tip}"
    if validator == "required":
        missing = error.message.split(" is a required property")[0]
        return path, f"missing required key {missing}"
    if validator == "type":
        wanted = error.validator_value
        return path, f"expected {_TYPES.get(wanted, wanted)}, got {_describe(value)}"
    if validator == "pattern" and error.schema.get("$ref") is None:
        if error.validator_value == "^[a-z0-9][a-z0-9._-]*$":
            return (
                path,
                f"{value!r} is not a valid id: use lowercase letters, digits, '.', '_', '-'",
            )
        description = error.schema.get("description")
        if description:
            return path, f"{value!r} does not fit: {description}"
        return path, f"{value!r} does not have the expected form {error.validator_value}"
    if validator == "enum":
        allowed = [str(v) for v in error.validator_value]
        close = difflib.get_close_matches(str(value), allowed, 1)
        suggestion = f"did you mean {close[0]!r}? " if close else ""
        return path, f"{value!r} is not one of: {suggestion}{', '.join(map(repr, allowed))}"
    if validator == "const":
        return path, f"must be {error.validator_value!r}, got {value!r}"
    if (
        validator == "oneOf"
        and isinstance(value, dict)
        and "id" in error.schema.get("properties", {})
    ):
        return path, (
            "a benchmark needs one of: `tests`; `metric` together with `threshold`, "
            "`baseline` or both; `findings`, with or without a `baseline`; `signoff`"
        )
    if (
        validator == "oneOf"
        and isinstance(value, dict)
        and "max_new" in error.schema.get("properties", {})
    ):
        return path, "a baseline needs `max_change` (a metric's) or `max_new` (findings'), one"
    if validator == "oneOf" and error.context:
        from jsonschema.exceptions import best_match

        # prefer the branch of the right type: for a list, what is wrong with the list
        same_type = [e for e in error.context if e.validator != "type"]
        _, message = _message(best_match(same_type or error.context))
        description = error.schema.get("description")
        return path, f"{message} ({description})" if description else message
    if validator in ("minItems", "minProperties", "minLength"):
        return path, "must not be empty"
    return path, error.message


def _errors(located: Located) -> Iterator[Any]:
    from jsonschema import Draft202012Validator  # import cost is paid only here

    validator = Draft202012Validator(load_schema(SCHEMA))
    yield from validator.iter_errors(located.data)


@cache
def _conforms() -> Check | None:
    """The matrix schema as a yes/no check; None if it uses a keyword the check lacks."""
    try:
        return compile_schema(load_schema(SCHEMA))
    except UnsupportedSchema:  # pragma: no cover - tests hold the shipped schema to it
        return None


def schema_problems(located: Located) -> list[Problem]:
    """Every schema violation in the file, in file order."""
    conforms = _conforms()
    if conforms is not None and conforms(located.data):
        return []
    problems = []
    for error in _errors(located):
        path, message = _message(error)
        problems.append(Problem(located.position(path), path, message))
    return sorted(problems, key=lambda p: (p.position.line or 0, p.position.column or 0))
