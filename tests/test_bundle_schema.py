"""Bundles are untrusted input: every bad one is refused with where and why, never a traceback."""

from __future__ import annotations

import array
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from gatekeeper.bundles import (
    ArtifactRecord,
    Bundle,
    BundleError,
    CountedSelection,
    FileEvidence,
    RunIdentity,
    Shard,
)
from gatekeeper.bundles import codec as codec_module
from gatekeeper.bundles.build import collect_bundle
from gatekeeper.bundles.codec import dumps, loads
from gatekeeper.bundles.validate import is_analysis, is_file, is_finding, is_metric, is_test
from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from gatekeeper.evidence import LEVELS, Metric, ParsedFile, TestResult, TestStatus
from gatekeeper.matrix.load import read_matrix
from gatekeeper.units import Dimension
from tests.bundle_suite import SHA, Case, Command, ShardFiles, write_matrix, write_shard

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "schemas" / "bundle.schema.json").read_text("utf-8")
)


def _definition(name: str) -> Draft202012Validator:
    return Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{name}"})


@pytest.fixture(scope="module")
def bundle_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("suite")
    matrix = read_matrix(write_matrix(root), "gatekeeper.yml")
    write_shard(root, ShardFiles(
        cases=(Case("api.A", "t1", "passed"), Case("api.A", "t2", "failed")),
        commands=(Command("sort-a", (0.01, 0.02)), Command("io", (0.05,), "large")),
        broken=True,
    ), "host")  # fmt: skip
    return dumps(collect_bundle(matrix, root, SHA, "one", RunIdentity(job="unit")))


def test_what_collect_writes_fits_the_published_schema(bundle_text: str) -> None:
    Draft202012Validator.check_schema(SCHEMA)
    errors = list(Draft202012Validator(SCHEMA).iter_errors(json.loads(bundle_text)))
    assert not errors
    assert dumps(loads(bundle_text.encode(), "b.json")) == bundle_text


def test_the_schema_s_enums_are_the_code_s() -> None:
    defs = SCHEMA["$defs"]
    assert defs["dimension"]["enum"] == [d.value for d in Dimension]
    assert defs["test"]["properties"]["status"]["enum"] == [s.value for s in TestStatus]
    # a finding's level: SARIF's, but none (a result of level none is no finding)
    assert defs["finding"]["properties"]["level"]["enum"] == [x for x in LEVELS if x != "none"]


def _refused(data: bytes) -> str:
    with pytest.raises(BundleError) as caught:
        loads(data, "b.json")
    return str(caught.value)


def _mutated(text: str, *path: Any, value: Any) -> bytes:
    data = json.loads(text)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return json.dumps(data).encode()


UNIT = ("shards", 0, "artifacts", "unit")


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ((*UNIT, "selections", 1, "failing", 0, "status"), "PASSED",
         "shards[0].artifacts.unit.selections[1].failing[0].status: 'PASSED' is not one of"),
        ((*UNIT, "selections", 0, "failing", 0, "line"), "12",
         "unit.selections[0].failing[0].line: expected ['integer', 'null'], got string"),
        ((*UNIT, "files", 0, "tests"), [], "unit.files[0].tests: expected integer, got array"),
        ((*UNIT, "selections", 0, "select", "flaky"), "maybe",
         "unit.selections[0].select.flaky: 'maybe' is not one of"),
        (("shards", 0, "artifacts", "bench", "files", 0, "metrics", 0, "stats", "avg", "dimension"),
         "seconds", "metrics[0].stats.avg.dimension: 'seconds' is not one of"),
        ((*UNIT, "files", 0, "sha256"), "abc", "files[0].sha256: 'abc' does not match"),
        (("sha",), "HEAD", "b.json: not a gatekeeper bundle: sha: 'HEAD' does not match"),
        (("shards", 0, "name"), "a/b", "shards[0].name: 'a/b' does not match"),
        (("shards",), {"one": 1}, "shards: expected array, got object"),
        (("bundle_version",), "5", "bundle_version: 5 was expected"),
        ((*UNIT, "surprise"), True, "Additional properties are not allowed ('surprise' was"),
    ],
    ids=["status", "line", "tests", "flaky", "dimension", "digest", "sha", "shard", "shards",
         "version", "extra"],
)  # fmt: skip
def test_a_wrong_shape_is_named_by_its_key_path(
    bundle_text: str, path: tuple[Any, ...], value: Any, message: str
) -> None:
    assert message in _refused(_mutated(bundle_text, *path, value=value))


@pytest.mark.parametrize("version", [1, 2, 3])
def test_a_bundle_of_another_version_says_to_collect_again(bundle_text: str, version: int) -> None:
    older = json.loads(bundle_text)
    older.update(bundle_version=version, gatekeeper_version="0.1.0")
    message = _refused(json.dumps(older).encode())
    assert message == (
        f"b.json: bundle_version {version}, written by gatekeeper 0.1.0; this gatekeeper reads "
        "bundle_version 5: collect the bundles again with one version"
    )


def test_a_large_value_of_the_wrong_type_is_not_copied_into_the_message(bundle_text: str) -> None:
    message = _refused(_mutated(bundle_text, "shards", 0, "run", value=["x" * 10_000]))
    assert message.endswith("shards[0].run: expected object, got array")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"bundle_version": 1,\n  "sha": }', "b.json:2:10: not JSON: Expecting value"),
        (b'{"sha": "\xff"}', "b.json: byte 10: not UTF-8 text"),
        (b"[" * 100_000 + b"]" * 100_000, "b.json: nested too deeply to be a bundle"),
        (b'{"x": NaN}', "b.json: not JSON: NaN is not a JSON value"),
        (b"[]", "b.json: not a gatekeeper bundle: (top level): expected object, got array"),
        (b"", "b.json:1:1: not JSON: Expecting value"),
    ],
    ids=["truncated", "not-utf8", "nested", "nan", "array", "empty"],
)
def test_what_is_not_json_is_refused_with_its_position(data: bytes, message: str) -> None:
    assert message in _refused(data)


def test_a_bundle_over_the_size_cap_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundle_text: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    path = tmp_path / "big.json"
    path.write_text(bundle_text, encoding="utf-8")
    monkeypatch.setattr(codec_module, "MAX_BUNDLE_BYTES", 1024)
    assert main(["merge", str(path), "--out", str(tmp_path / "m.json")]) == ExitCode.USAGE
    assert capsys.readouterr().err == f"gatekeeper: {path}: larger than 0 MiB\n"
    assert main(["merge", str(tmp_path / "absent.json"), "--out", str(tmp_path / "m")]) == 2
    assert "absent.json: cannot read: No such file or directory" in capsys.readouterr().err


def test_non_finite_numbers_travel_as_text(bundle_text: str) -> None:
    path = (*UNIT, "selections", 0, "failing", 0, "duration")
    bundle = loads(_mutated(bundle_text, *path, value="NaN"), "b.json")
    assert '"duration":"NaN"' in dumps(bundle)


@pytest.mark.parametrize(
    ("stat", "value", "says"),
    [
        ("avg", "-Infinity", "avg is -Infinity, which is not a measurement"),
        ("avg", "NaN", "avg is NaN, which is not a measurement"),
        ("max", -0.25, "max = -250ms, but a time cannot be negative"),
    ],
)
def test_a_file_with_an_impossible_value_is_unreadable_not_evidence(
    bundle_text: str, stat: str, value: Any, says: str
) -> None:
    """Issue 9, class 4: a -Infinity in a bundle passed a `<` threshold. The bundle carries
    what reading the file gives: the file is unreadable, naming the series and statistic."""
    bench = ("shards", 0, "artifacts", "bench")
    data = json.loads(bundle_text)
    assert [f["path"] for f in data["shards"][0]["artifacts"]["bench"]["files"]] == [
        "hyperfine.json"
    ]
    mutated = _mutated(bundle_text, *bench, "files", 0, "metrics", 0, "stats", stat, "value",
                       value=value)  # fmt: skip
    record = loads(mutated, "b.json").shards[0].artifacts["bench"]
    assert record.files == ()
    (unreadable,) = record.unreadable
    assert (unreadable.path, unreadable.position.file) == ("hyperfine.json", "hyperfine.json")
    assert unreadable.message == f"impossible value: sort-a {says}"
    assert unreadable.sha256 == data["shards"][0]["artifacts"]["bench"]["files"][0]["sha256"]


def test_a_shard_twice_in_one_bundle_is_refused(bundle_text: str) -> None:
    data = json.loads(bundle_text)
    data["shards"].append(data["shards"][0])
    assert _refused(json.dumps(data).encode()) == (
        "b.json: shard 'one' is in the bundle more than once"
    )


# --- the fast checks accept exactly what the schema accepts ---------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(-2, 2) | st.sampled_from(
        ["", "x", "passed", "skipped", "time", "count", "NaN", "Infinity", "-Infinity", "nan"]
    ) | st.just(1.0) | st.just(-1),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "value",
        "dimension"]), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip
VALID_TEST = {
    "suite": "s", "classname": "c", "name": "n", "file": None, "line": 3, "status": "passed",
    "flaky": False, "reruns": 0, "duration": 0.5, "message": None, "source": "r.xml",
}  # fmt: skip
VALID_METRIC = {
    "name": "m", "tags": {"a": "b"}, "stats": {"avg": {"value": 1.5, "dimension": "time"}},
    "kind": "trend", "aliases": ["x"], "source": "k6.json", "samples": [1, 2.5, "NaN"],
    "sample_dimension": "time", "failures": ["exit code 1"],
}  # fmt: skip


def _variants(valid: dict[str, Any]) -> st.SearchStrategy[Any]:
    keys = st.sampled_from(sorted(valid))
    replaced = st.tuples(keys, JSON_VALUES).map(lambda kv: {**valid, kv[0]: kv[1]})
    dropped = keys.map(lambda k: {n: v for n, v in valid.items() if n != k})
    extra = st.just({**valid, "extra": 1})
    return st.just(valid) | replaced | dropped | extra | JSON_VALUES


@settings(max_examples=400, deadline=None)
@given(_variants(VALID_TEST))
def test_the_fast_test_check_is_the_schema_s(record: Any) -> None:
    assert is_test(record) == _definition("test").is_valid(record)


@settings(max_examples=400, deadline=None)
@given(_variants(VALID_METRIC) | _variants(
    {**VALID_METRIC, "stats": {"p(95)": {"value": "Infinity", "dimension": "ratio"}}}
))  # fmt: skip
def test_the_fast_metric_check_is_the_schema_s(record: Any) -> None:
    assert is_metric(record) == _definition("metric").is_valid(record)


VALID_FINDING = {
    "tool": "ruff", "rule": "S101", "level": "error", "file": "src/a.py", "line": 3,
    "message": "m", "fingerprints": [["primary", "abc"]], "context": "assert x",
    "suppressed": False, "severity": 7.5, "source": "ruff.sarif", "placed": True,
}  # fmt: skip
VALID_ANALYSIS = {"tool": "ruff", "version": "0.17.6", "failures": ["boom"], "severities": True}

FINDING_VALUES = st.sampled_from(
    [0, 1, 1.0, 10, 10.0, 10.5, -1, 0.5, True, None, "note", "none", "",
     [], [["a", "b"]], [["a"]], [["a", "b", "c"]], [["a", 1]], [("a", "b")], {"a": "b"}]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    _variants(VALID_FINDING)
    | st.tuples(st.sampled_from(sorted(VALID_FINDING)), FINDING_VALUES).map(
        lambda kv: {**VALID_FINDING, kv[0]: kv[1]}
    )
)
def test_the_fast_finding_check_is_the_schema_s(record: Any) -> None:
    assert is_finding(record) == _definition("finding").is_valid(record)


@settings(max_examples=200, deadline=None)
@given(_variants(VALID_ANALYSIS))
def test_the_fast_analysis_check_is_the_schema_s(record: Any) -> None:
    assert is_analysis(record) == _definition("analysis").is_valid(record)


VALID_FILE = {
    "path": "r.xml", "sha256": "0" * 64, "format": "junit", "tests": 3, "metrics": [VALID_METRIC],
    "findings": [VALID_FINDING], "analyses": [VALID_ANALYSIS],
}  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    _variants(VALID_FILE)
    | st.sampled_from(["0" * 63, "0" * 64 + "\n", "A" * 64, 1.0, -1, 2.5, True, []]).map(
        lambda v: {**VALID_FILE, "sha256": v, "tests": v if not isinstance(v, str) else 0}
    )
)
def test_the_fast_file_check_is_the_schema_s(record: Any) -> None:
    assert is_file(record) == _definition("file").is_valid(record)


def test_any_text_a_parser_gives_travels_unchanged() -> None:
    name = "tést \udcff \u2028 ##[error] 🙂"
    test = TestResult("s", "c", name, None, None, TestStatus.FAILED, message=name, source="r.xml")
    parsed = ParsedFile("r.xml", "junit", streamed_tests=1)
    counted = CountedSelection(((), (), (name,), (), "pass"), 1, 0, 1, 1, 0, (test,), None)
    files = (FileEvidence(parsed, "0" * 64),)
    record = ArtifactRecord("junit", ("r.xml",), files, selections=(counted,))
    bundle = Bundle(SHA, (Shard("one", RunIdentity(), {"unit": record}),))
    text = dumps(bundle)
    assert text.isascii()
    assert loads(text.encode(), "b.json") == bundle


def test_a_part_of_a_series_stays_a_part_through_a_bundle() -> None:
    """Whether a series is a part of another (a k6 sub-metric) decides what a name without
    tags selects: it travels, written only where true."""
    none = array.array("d")  # as decoding gives samples
    whole = Metric("http_req_duration", {}, kind="trend", source="k6.json", samples=none)
    part = Metric("http_req_duration", {"status": "200"}, kind="trend", source="k6.json",
                  samples=none, subseries=True)  # fmt: skip
    parsed = ParsedFile("k6.json", "k6", metrics=(whole, part))
    record = ArtifactRecord("k6", ("k6.json",), (FileEvidence(parsed, "0" * 64),))
    bundle = Bundle(SHA, (Shard("one", RunIdentity(), {"load": record}),))
    text = dumps(bundle)
    assert text.count('"subseries":true') == 1 and '"subseries":false' not in text
    assert loads(text.encode(), "b.json") == bundle
    refused = _refused(text.replace('"subseries":true', '"subseries":false').encode())
    assert refused.endswith("metrics[1].subseries: True was expected")
