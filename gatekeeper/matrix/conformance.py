"""Whether data conforms to a shipped JSON Schema, yes or no, without importing jsonschema.

jsonschema takes longer to import than the rest of `gatekeeper check` takes to run, and
almost every matrix file a check reads is valid. So a schema is compiled here, once, into
plain predicates that answer only "does it conform?"; only when the answer is no does
jsonschema run, to find and word the errors (``gatekeeper.matrix.schema``), so what a user
reads is unchanged.

Each keyword does what jsonschema's does for Draft 2020-12 (jsonschema/_keywords.py and
_types.py): keywords apply only to the types they are about; ``integer`` is a whole number,
a float like 2.0 included, and no bool is a number; ``pattern`` is ``re.search``; ``enum``
and ``const`` compare as jsonschema's ``equal`` does (True is not 1; sequences and mappings
item by item); every keyword beside a ``$ref`` applies too. Only the keywords the shipped
schemas use are known: compiling a schema with any other raises ``UnsupportedSchema``, so a
keyword added to a schema later is never silently skipped. tests/test_schema_conformance.py
holds the answers to jsonschema's on every matrix file the project has and on generated ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description", "default"})
"""Keywords that say something about a value but never reject one."""


class UnsupportedSchema(Exception):
    """The schema uses a keyword this module does not implement; use jsonschema."""


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    import numbers  # Decimal, Fraction: never from YAML, but jsonschema counts them

    return isinstance(value, numbers.Number)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


_TYPES: dict[str, Check] = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "integer": _is_integer,
    "number": _is_number,
}


def _unbool(value: Any) -> Any:
    # jsonschema's unbool: True and False stand apart from 1 and 0
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    return value


_TRUE, _FALSE = object(), object()


def equal(one: Any, two: Any) -> bool:
    """jsonschema's ``equal``: what ``enum`` and ``const`` compare with."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(
            key in two and equal(value, two[key]) for key, value in one.items()
        )
    return bool(_unbool(one) == _unbool(two))


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, Mapping):
            raise UnsupportedSchema(f"a schema must be a mapping or a boolean, not {schema!r}")
        checks = [
            self.keyword(name, argument, schema)
            for name, argument in schema.items()
            if name not in _ANNOTATIONS
        ]
        if len(checks) == 1:
            return checks[0]

        def every(value: Any) -> bool:
            for check in checks:  # noqa: SIM110 - a loop: no generator made per value
                if not check(value):
                    return False
            return True

        return every

    def ref(self, target: str) -> Check:
        """A local ``#/$defs/name`` reference, compiled once (and so a recursive one ends)."""
        if target not in self.refs:
            parts = target.split("/")
            if len(parts) != 3 or parts[:2] != ["#", "$defs"] or "~" in target or "%" in target:
                raise UnsupportedSchema(f"$ref {target!r}: only #/$defs/NAME is supported")
            compiled: list[Check] = []
            self.refs[target] = lambda value: compiled[0](value)
            compiled.append(self.compile(self.root["$defs"][parts[2]]))
        return self.refs[target]

    def keyword(self, name: str, argument: Any, schema: Mapping[str, Any]) -> Check:
        if name == "$ref":
            return self.ref(argument)
        if name == "type":
            names = [argument] if isinstance(argument, str) else list(argument)
            if not set(names) <= _TYPES.keys():
                raise UnsupportedSchema(f"type {argument!r}")
            kinds = [_TYPES[n] for n in names]
            if len(kinds) == 1:
                return kinds[0]
            return lambda value: any(kind(value) for kind in kinds)
        if name == "properties":
            members = {key: self.compile(sub) for key, sub in argument.items()}

            def properties(value: Any) -> bool:
                if isinstance(value, dict):
                    for key, item in value.items():
                        check = members.get(key)
                        if check is not None and not check(item):
                            return False
                return True

            return properties
        if name == "patternProperties":
            patterns = [(re.compile(p).search, self.compile(sub)) for p, sub in argument.items()]
            return lambda value: not isinstance(value, dict) or all(
                check(item) for key, item in value.items() for search, check in patterns
                if search(key) is not None
            )  # fmt: skip
        if name == "additionalProperties":
            known = frozenset(schema.get("properties", {}))
            searches = [re.compile(p).search for p in schema.get("patternProperties", {})]
            extra = self.compile(argument)
            return lambda value: not isinstance(value, dict) or all(
                extra(item) for key, item in value.items()
                if key not in known and not any(search(key) for search in searches)
            )  # fmt: skip
        if name == "required":
            needed = list(argument)
            return lambda value: not isinstance(value, dict) or all(k in value for k in needed)
        if name == "propertyNames":
            key_check = self.compile(argument)
            return lambda value: not isinstance(value, dict) or all(map(key_check, value))
        if name == "items":
            if "prefixItems" in schema:
                raise UnsupportedSchema("prefixItems")
            item_check = self.compile(argument)
            return lambda value: not isinstance(value, list) or all(map(item_check, value))
        if name == "pattern":
            search = re.compile(argument).search
            return lambda value: not isinstance(value, str) or search(value) is not None
        if name == "minLength":
            return lambda value: not isinstance(value, str) or len(value) >= argument
        if name == "minItems":
            return lambda value: not isinstance(value, list) or len(value) >= argument
        if name == "maxItems":
            return lambda value: not isinstance(value, list) or len(value) <= argument
        if name == "minProperties":
            return lambda value: not isinstance(value, dict) or len(value) >= argument
        if name == "minimum":
            return lambda value: not _is_number(value) or not value < argument
        if name == "maximum":
            return lambda value: not _is_number(value) or not value > argument
        if name == "exclusiveMinimum":  # NaN passes both, as in jsonschema
            return lambda value: not _is_number(value) or not value <= argument
        if name == "exclusiveMaximum":
            return lambda value: not _is_number(value) or not value >= argument
        if name == "const":
            return lambda value: equal(value, argument)
        if name == "enum":
            allowed = list(argument)
            # equal(text, value) is text == value, so a text value needs only a set lookup
            texts = frozenset(each for each in allowed if isinstance(each, str))
            return lambda value: (
                (isinstance(value, str) and value in texts)
                or any(equal(each, value) for each in allowed)
            )
        if name in ("oneOf", "anyOf"):
            branches = [self.compile(sub) for sub in argument]
            if name == "anyOf":
                return lambda value: any(branch(value) for branch in branches)
            return lambda value: sum(1 for branch in branches if branch(value)) == 1
        if name == "not":
            negated = self.compile(argument)
            return lambda value: not negated(value)
        raise UnsupportedSchema(f"keyword {name!r}")


def compile_schema(schema: Mapping[str, Any]) -> Check:
    """A predicate that is true of exactly the values ``schema`` accepts; raises
    ``UnsupportedSchema`` when the schema uses a keyword not implemented here."""
    return _Compiler(schema).compile(schema)
