"""The jsonschema-free conformance check (gatekeeper.matrix.conformance) against jsonschema.

`gatekeeper check` decides that a matrix file conforms to its schema without importing
jsonschema. That is only allowed if it accepts exactly what jsonschema accepts: these tests
ask both about every YAML file in the project (matrix files valid and invalid, the README's
and the starter's, workflow files that are no matrix at all) and about matrices that
hypothesis derives from the valid ones by replacing, removing, adding and repeating values
anywhere in them, with the values that sit on the edges of the schema's keywords (True and
1, 2.0 as an integer, an id with a trailing newline, an empty list, ...).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from gatekeeper.matrix.conformance import UnsupportedSchema, compile_schema, equal
from gatekeeper.matrix.problems import MatrixError
from gatekeeper.matrix.schema import schema_problems
from gatekeeper.matrix.yamlpos import load_yaml
from gatekeeper.resources import load_schema, starter_matrix
from tests.conftest import REPO

MATRIX_SCHEMA = load_schema("matrix.schema.json")
JSONSCHEMA = Draft202012Validator(MATRIX_SCHEMA)
CONFORMS = compile_schema(MATRIX_SCHEMA)


def _readme_matrices() -> list[tuple[str, bytes]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = text.split("```yaml\n")[1:]
    return [
        (f"README.md yaml block {i}", b.split("```", 1)[0].encode()) for i, b in enumerate(blocks)
    ]


def _project_yaml() -> list[tuple[str, bytes]]:
    found = [
        (path.relative_to(REPO).as_posix(), path.read_bytes())
        for folder in ("tests", "examples", "gatekeeper", ".github")
        for path in sorted((REPO / folder).rglob("*.y*ml"))
    ]
    return [*found, ("starter.yml", starter_matrix().encode()), *_readme_matrices()]


def _data(name: str, raw: bytes) -> Any:
    try:
        return load_yaml(raw, name).data
    except MatrixError:  # not YAML the walker accepts: nothing reaches the schema
        return None


DOCUMENTS = [(name, _data(name, raw)) for name, raw in _project_yaml()]
VALID = [data for name, data in DOCUMENTS if data is not None and JSONSCHEMA.is_valid(data)]
VALID_AS_READ = copy.deepcopy(VALID)


def test_the_project_has_matrices_of_both_kinds() -> None:
    assert len(VALID) >= 5
    assert len(DOCUMENTS) - len(VALID) >= 10


@pytest.mark.parametrize("name,data", DOCUMENTS, ids=[name for name, _ in DOCUMENTS])
def test_every_project_yaml_file_is_judged_as_jsonschema_judges_it(name: str, data: Any) -> None:
    assert CONFORMS(data) == JSONSCHEMA.is_valid(data)


def test_schema_problems_of_a_valid_file_are_none_and_of_an_invalid_one_jsonschemas() -> None:
    located = load_yaml((REPO / "tests/matrix_cases/invalid/schema.yml").read_bytes(), "x.yml")
    assert schema_problems(located)  # the golden list itself: tests/test_matrix_validation.py
    located = load_yaml((REPO / "examples/kmta/gatekeeper.yml").read_bytes(), "x.yml")
    assert schema_problems(located) == []


EDGE_VALUES = [
    True, False, None, 0, 1, -1, 1.0, 2.0, 2.5, 0.5, 100, 100.0, 100.5, 101, -0.0,
    "", "a", "A", "a\n", "1", "95%", "9.5%", "95", "%", "auto", "junit", "k6", "pass", "fail",
    "report", "block", "phase/{phase}", "{phase}", "x{phase}y", "{phase}{phase}", "/{phase}",
    "a/b", "a/b/c", "a/b/c\n", "a-b.c_d", "-a", "2026-12-15", "2026-12-15\n", "p(95) < 250ms",
    [], [""], ["a"], ["a", "b"], [1], {}, {"a": 1}, {"from": "unit"}, b"bytes",
]  # fmt: skip
EDGE_VALUES_AS_WRITTEN = copy.deepcopy(EDGE_VALUES)
KEYS = [
    "id", "name", "theme", "goal", "benchmarks", "depends_on", "tests", "metric", "threshold",
    "baseline", "from", "max_change", "suite", "class", "file", "pass_rate", "min",
    "max_skipped", "flaky", "expect_failures", "format", "paths", "cells", "version",
    "project", "current", "phase_tags", "pull_requests", "next_phase", "label", "branch",
    "current_phase", "waivers", "benchmark", "reason", "approved_by", "expires", "$schema",
    "unknown", "Id", "", "x-defaults", "x-", "ax-",
]  # fmt: skip

# Each draw is a fresh copy: the mutations below change lists and dicts in place, and an
# edge value drawn as itself would carry one example's changes into EDGE_VALUES, so later
# draws (and replays while shrinking) differ: hypothesis then failed the test now and then
# with FlakyStrategyDefinition ("Inconsistent data generation"), never twice in a row.
json_values = st.recursive(
    st.sampled_from(EDGE_VALUES).map(copy.deepcopy)
    | st.text(max_size=4)
    | st.integers(-3, 200)
    | st.floats(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner),
    max_leaves=6,
)


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``node``, the root's included."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _places(value, (*path, index))
    return found


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def _locations() -> list[tuple[Any, tuple[Any, ...]]]:
    """One place in the smallest valid matrix that has it for every place a schema keyword
    judges (list positions alike), with that matrix."""
    best: dict[tuple[Any, ...], tuple[Any, tuple[Any, ...]]] = {}
    for document in sorted(VALID, key=lambda d: len(_places(d))):
        for path in _places(document)[1:]:
            shape = tuple(0 if isinstance(part, int) else part for part in path)
            best.setdefault(shape, (document, path))
    return list(best.values())


LOCATIONS = _locations()


@pytest.mark.parametrize("value", EDGE_VALUES, ids=[repr(v) for v in EDGE_VALUES])
def test_each_edge_value_in_each_place_is_judged_as_jsonschema_judges_it(value: Any) -> None:
    for document, path in LOCATIONS:
        changed = copy.deepcopy(document)
        _at(changed, path[:-1])[path[-1]] = copy.deepcopy(value)
        assert CONFORMS(changed) == JSONSCHEMA.is_valid(changed), (path, value)


@pytest.mark.parametrize("key", KEYS)
def test_each_key_renamed_is_judged_as_jsonschema_judges_it(key: str) -> None:
    for document, path in LOCATIONS:
        parent = _at(document, path[:-1])
        if not isinstance(parent, dict) or key in parent:
            continue
        changed = copy.deepcopy(document)
        renamed = _at(changed, path[:-1])
        renamed[key] = renamed.pop(path[-1])
        assert CONFORMS(changed) == JSONSCHEMA.is_valid(changed), (path, key)


@st.composite
def mutated_matrices(draw: st.DrawFn) -> Any:
    document = copy.deepcopy(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_places(document)))
        if not path:
            continue
        parent, last = _at(document, path[:-1]), path[-1]
        action = draw(st.sampled_from(["replace", "remove", "add", "repeat", "rename"]))
        if action == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = parent.pop(last)
        elif action == "replace":
            parent[last] = draw(json_values)
        elif action == "remove":
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = draw(json_values)
        elif action == "add":
            parent.insert(last, draw(json_values))
        elif isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
        else:  # a value repeated as a list: one of the "text or a list of text" keys
            parent[last] = [parent[last], copy.deepcopy(parent[last])]
    return document


@pytest.mark.slow
@settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated_matrices())
def test_mutated_matrices_are_judged_as_jsonschema_judges_them(document: Any) -> None:
    assert CONFORMS(document) == JSONSCHEMA.is_valid(document)


@settings(max_examples=300, deadline=None, database=None)
@given(mutated_matrices())
def test_mutating_a_drawn_matrix_never_changes_the_values_drawn_from(document: Any) -> None:
    """The cause of the flaky failure above: a drawn value shared with EDGE_VALUES."""
    for path in _places(document):
        node = _at(document, path)
        if isinstance(node, list):
            node.append("changed")
        elif isinstance(node, dict):
            node["changed"] = True
    assert EDGE_VALUES == EDGE_VALUES_AS_WRITTEN
    assert VALID == VALID_AS_READ


@settings(max_examples=300, deadline=None)
@given(json_values, json_values)
def test_equal_is_jsonschemas(one: Any, two: Any) -> None:
    from jsonschema._utils import equal as jsonschema_equal

    assert equal(one, two) == jsonschema_equal(one, two)


def test_equal_on_every_pair_of_edge_values_is_jsonschemas() -> None:
    from jsonschema._utils import equal as jsonschema_equal

    for one in EDGE_VALUES:
        for two in EDGE_VALUES:
            assert equal(one, two) == jsonschema_equal(one, two), (one, two)


SMALL_SCHEMAS = [
    *(
        {"type": name}
        for name in ("object", "array", "string", "boolean", "null", "integer", "number")
    ),
    {"oneOf": [{"type": "integer"}, {"type": "number"}]},  # 1 is both: not one of them
    {"anyOf": [{"type": "integer"}, {"minimum": 5}]},
    {"not": {"type": "string"}},
    {"exclusiveMinimum": 0.5, "exclusiveMaximum": 1},
    {"exclusiveMinimum": 0, "type": "integer"},
    {"enum": [1, "a", [1], {"k": False}, None]},
    {"const": False},
    {"type": ["string", "null"]},
    {"items": False},
    {"minItems": 1},
    {"maxItems": 1},
    {"additionalProperties": {"type": "integer"}, "properties": {"a": {}}},
    {"patternProperties": {"^x-": {"type": "string"}, "b$": {"minimum": 3}}},
    {"patternProperties": {"^x-": {}}, "properties": {"a": {}}, "additionalProperties": False},
    {"$defs": {"n": {"type": "array", "items": {"$ref": "#/$defs/n"}}}, "$ref": "#/$defs/n"},
]


@pytest.mark.parametrize("schema", SMALL_SCHEMAS, ids=[json.dumps(s) for s in SMALL_SCHEMAS])
def test_each_keyword_alone_is_jsonschemas(schema: dict[str, Any]) -> None:
    ours, theirs = compile_schema(schema), Draft202012Validator(schema)

    @settings(max_examples=150, deadline=None)
    @given(json_values)
    def judged_alike(value: Any) -> None:
        assert ours(value) == theirs.is_valid(value)

    for value in EDGE_VALUES:
        assert ours(value) == theirs.is_valid(value), value
    judged_alike()


def test_the_shipped_schemas_it_reads_compile() -> None:
    for name in ("matrix.schema.json", "bundle.schema.json"):
        compile_schema(load_schema(name))


@pytest.mark.parametrize(
    "schema",
    [
        {"format": "date"},
        {"dependentRequired": {"a": ["b"]}},
        {"prefixItems": [{}], "items": False},
        {"$ref": "https://example.com/other.json"},
        {"type": "decimal"},
        {"allOf": [{"type": "string"}]},
    ],
)
def test_a_keyword_it_does_not_implement_is_refused(schema: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedSchema):
        compile_schema(schema)


def test_the_matrix_schema_file_is_the_one_compiled() -> None:
    shipped = json.loads((REPO / "schemas" / "matrix.schema.json").read_text(encoding="utf-8"))
    assert shipped == MATRIX_SCHEMA
