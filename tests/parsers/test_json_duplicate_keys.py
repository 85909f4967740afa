"""A JSON object that writes a key twice is refused, in every JSON format and in bundles.

``json.loads`` keeps the last of a repeated key, so a second ``error_occurred`` or
``exit_codes`` hid a failure the first one recorded. The refusal is made where JSON is
decoded (``gatekeeper.parsers._json_keys``), so it holds for every format reading a JSON
document; each such file in the test suite is checked with a key repeated in it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.bundles import BundleError
from gatekeeper.bundles.codec import loads
from gatekeeper.cli import main
from gatekeeper.errors import EvidenceError
from gatekeeper.parsers import JsonDocumentFormat, claiming_formats, get_parser, parse_file
from gatekeeper.parsers._json_keys import RepeatedKeyError
from gatekeeper.parsers._json_keys import loads as loads_unique

REPO = Path(__file__).resolve().parents[2]
JSON_FILES = sorted(
    [
        *(REPO / "tests" / "parsers" / "fixtures").rglob("*.json"),
        *(REPO / "examples" / "kmta" / "reports").rglob("*.json"),
    ]
)


def document_files() -> list[tuple[Path, str]]:
    """Every JSON file of the test suite that a JSON-document format reads, with it: not a
    file only read beside another (Criterion's ``benchmark.json``), nor one that is refused
    as it is (Criterion's ``change/estimates.json``)."""
    found = []
    for path in JSON_FILES:
        claimed = claiming_formats(path, path.name)
        if claimed and isinstance(get_parser(claimed[0]), JsonDocumentFormat):
            try:
                parse_file(path, path.name, claimed[0])
            except EvidenceError:
                continue
            found.append((path, claimed[0]))
    return found


DOCUMENTS = document_files()


def test_the_documents_cover_every_json_document_format() -> None:
    # Guards the parametrised test below against silently checking a few formats only.
    assert {name for _, name in DOCUMENTS} >= {
        "benchmarkdotnet",
        "criterion",
        "gatling",
        "google-benchmark",
        "hyperfine",
        "jmh",
        "k6",
        "pytest-benchmark",
    }


@pytest.mark.parametrize(
    ("path", "fmt"), DOCUMENTS, ids=[str(p.relative_to(REPO)) for p, _ in DOCUMENTS]
)
@pytest.mark.parametrize("declared", [True, False], ids=["format", "auto"])
def test_a_repeated_key_in_any_json_document_is_refused(
    tmp_path: Path, path: Path, fmt: str, declared: bool
) -> None:
    document = json.loads(path.read_text(encoding="utf-8-sig"))
    text, key, where = with_first_member_repeated(document)
    broken = tmp_path / path.name
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        parse_file(broken, "x.json", fmt if declared else "auto")
    said = str(caught.value)
    assert said.startswith("x.json:2:1: ")  # the repeat: the original first member
    first_column = 3 if where == "[0]" else 2
    assert (
        f"duplicate key {json.dumps(key)} in {where} (first at line 1, column {first_column})"
        in (said)
    )


def with_first_member_repeated(document: object) -> tuple[str, str, str]:
    """The document's text with the first member of its first object written again before
    the original, a line above it (the same value: a repeat is refused whatever it says);
    the key, and the key path of that object."""
    if isinstance(document, list):  # JMH: an array of objects
        text, key, _ = with_first_member_repeated(document[0])
        rest = "".join(", " + json.dumps(item) for item in document[1:])
        return "[" + text + rest + "]", key, "[0]"
    assert isinstance(document, dict) and document
    key, value = next(iter(document.items()))
    member = json.dumps(key) + ": " + json.dumps(value)
    return "{" + member + ",\n" + json.dumps(document)[1:], key, "(top level)"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_second_error_occurred_cannot_hide_the_first(tmp_path: Path) -> None:
    row = (
        '{"name": "BM_x", "run_name": "BM_x", "run_type": "iteration", "repetitions": 1,\n'
        '  "error_occurred": true, "error_message": "boom", "iterations": 1,\n'
        '  "real_time": 0.5, "cpu_time": 0.5, "time_unit": "us", "error_occurred": false}'
    )
    path = write(
        tmp_path / "gb.json", '{"context": {"num_cpus": 4},\n "benchmarks": [' + row + "]}"
    )
    with pytest.raises(EvidenceError) as caught:
        parse_file(path, "gb.json", "google-benchmark")
    assert str(caught.value).startswith(
        'gb.json:4:57: duplicate key "error_occurred" in benchmarks[0] (first at line 3, column 3)'
    )


def test_a_second_exit_codes_cannot_hide_failed_runs(tmp_path: Path) -> None:
    result = '{"command": "x", "times": [1, 1], "exit_codes": [1, 1], "exit_codes": [0, 0]}'
    text = '{"results": [' + result + "]}"
    first, second = text.index('"exit_codes"') + 1, text.rindex('"exit_codes"') + 1
    path = write(tmp_path / "hf.json", text)
    for fmt in ("hyperfine", "auto"):
        with pytest.raises(EvidenceError) as caught:
            parse_file(path, "hf.json", fmt)
        said = str(caught.value)
        assert said.startswith(f"hf.json:1:{second}: ")
        assert f'duplicate key "exit_codes" in results[0] (first at column {first})' in said


def test_a_key_spelt_with_an_escape_is_the_same_key() -> None:
    with pytest.raises(RepeatedKeyError) as caught:
        loads_unique('{"times": [1], "ti\\u006des": []}')
    assert (caught.value.key, caught.value.line, caught.value.column) == ("times", 1, 16)


def test_the_repeat_is_found_however_deep_and_after_whatever() -> None:
    numbers = ", ".join(["1.5"] * 1000)
    text = f'[{numbers}, {{"a": {{"b": [{numbers}, {{"c": 1, "d": {{}}, "c": 2}}]}}}}]'
    with pytest.raises(RepeatedKeyError) as caught:
        loads_unique(text)
    assert caught.value.key_path == "[1000].a.b[1000]"
    assert text[caught.value.column - 1 :].startswith('"c": 2}')
    assert loads_unique('{"a": {"c": 1}, "b": {"c": 1}, "c": [{}]}')  # a key once per object


def test_a_go_test_json_event_with_a_repeated_key_is_refused(tmp_path: Path) -> None:
    lines = [
        '{"Action":"start","Package":"p"}',
        '{"Action":"output","Package":"p","Output":"BenchmarkX \\t 10\\t 5.0 ns/op\\n"}',
        '{"Action":"fail","Package":"p","Action":"pass"}',
    ]
    path = write(tmp_path / "go.json", "\n".join(lines) + "\n")
    column = lines[2].rindex('"Action"') + 1
    with pytest.raises(EvidenceError, match=rf'^go\.json:3:{column}: duplicate key "Action"'):
        parse_file(path, "go.json", "go-bench")


def test_a_bundle_with_a_repeated_key_is_refused(tmp_path: Path) -> None:
    bundle = tmp_path / "b.json"
    matrix = REPO / "examples" / "kmta" / "gatekeeper.yml"
    assert main(["collect", "-m", str(matrix), "--sha", "0" * 40, "--out", str(bundle)]) == 0
    text = bundle.read_text(encoding="utf-8")
    assert loads(text.encode(), "b.json")
    assert '"sha":' in text and '"failing":[' in text  # bundles are written compactly
    top = text.replace('"sha":', '"sha":"0","sha":', 1)
    with pytest.raises(BundleError, match=r'^b\.json:1:\d+: duplicate key "sha" in \(top level\)'):
        loads(top.encode(), "b.json")
    nested = text.replace('"failing":[', '"failing":[],"failing":[', 1)
    with pytest.raises(BundleError, match=r'duplicate key "failing" in shards\[0\]\.artifacts\.'):
        loads(nested.encode(), "b.json")
