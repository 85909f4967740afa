"""coverage.py JSON streams (``_json_stream``): memory for each file's summary, never for its
line arrays, and the same answer as the whole-document reader on every report, hostile ones
included: the stream's projection read by ``parse_json`` equals the whole document read by
it, and every refusal of a file the whole reader can read is that reader's own."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import ijson
import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import ParsedFile
from gatekeeper.parsers import _json, _json_head, _json_stream, identify, parse_file
from gatekeeper.parsers._json_stream import ANY
from gatekeeper.parsers.coverage import coverage_json
from tests.parsers.test_coverage_real_tools import _coverage, _measure

FIXTURES = Path(__file__).parent / "fixtures"
REPO_REPORTS = sorted((FIXTURES / "coverage-json").glob("*.json"))


def _entry(index: int, lines: int, contexts: bool = False) -> dict[str, object]:
    executed = list(range(1, lines + 1, 2))
    missing = list(range(2, lines + 1, 2))
    branches = [[n, n + 1] for n in range(1, lines, 8)]
    entry: dict[str, object] = {
        "executed_lines": executed,
        "summary": {
            "covered_lines": len(executed),
            "num_statements": lines,
            "percent_covered": 100.0 * (len(executed) + len(branches)) / (lines + len(branches)),
            "missing_lines": len(missing),
            "excluded_lines": 0,
            "num_branches": len(branches),
            "covered_branches": len(branches),
        },
        "missing_lines": missing,
        "excluded_lines": [],
        "executed_branches": branches,
        "missing_branches": [],
    }
    if contexts:
        entry["contexts"] = {str(n): [f"tests/test_{index}.py::test_{n}|run"] for n in executed}
    return entry


def _report(files: int, lines: int, contexts: bool = False) -> dict[str, object]:
    entries = {f"pkg{i % 7}/mod_{i}.py": _entry(i, lines, contexts) for i in range(files)}
    totals: dict[str, float] = {}
    for entry in entries.values():
        summary = entry["summary"]
        assert isinstance(summary, dict)
        for key in ("covered_lines", "num_statements", "num_branches", "covered_branches"):
            totals[key] = totals.get(key, 0) + summary[key]
    covered = totals["covered_lines"] + totals["covered_branches"]
    totals["percent_covered"] = (
        100.0 * covered / (totals["num_statements"] + totals["num_branches"])
    )
    meta = {"format": 3, "version": "7.6.1", "branch_coverage": True, "show_contexts": contexts}
    return {"meta": meta, "files": entries, "totals": totals}


def _write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _whole(path: Path) -> ParsedFile | str:
    """What the whole-document reader makes of a file: its result or its message."""
    try:
        return coverage_json.parse_json(_json.load(path, path.name), path, path.name)
    except EvidenceError as exc:
        return str(exc)


def _streamed(path: Path) -> ParsedFile | str:
    try:
        return coverage_json.parse(path, path.name)
    except EvidenceError as exc:
        return str(exc)


def test_ijson_reads_with_its_c_backend() -> None:
    """The wheels carry yajl2_c; the pure-Python backend is the fallback, not the norm."""
    assert ijson.backend == "yajl2_c"
    assert _json_stream.c_backend()


@pytest.mark.parametrize("path", REPO_REPORTS, ids=lambda p: p.name)
def test_projection_reads_as_the_whole_document_on_repo_reports(path: Path) -> None:
    whole = _json.load(path, path.name)
    projected = _json_stream.project(path, coverage_json.JSON_PROJECTION)
    assert coverage_json.parse_json(projected, path, path.name) == coverage_json.parse_json(
        whole, path, path.name
    )


@pytest.mark.parametrize("contexts", [False, True])
@pytest.mark.parametrize("python_backend", [False, True])
def test_projection_reads_as_the_whole_document_on_generated_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, contexts: bool, python_backend: bool
) -> None:
    """Both backends, with and without --show-contexts: no refusal, the same series."""
    if python_backend:
        monkeypatch.setattr(_json_stream, "c_backend", lambda: False)
    path = _write(tmp_path / "coverage.json", _report(60, 120, contexts))
    projected = _json_stream.project(path, coverage_json.JSON_PROJECTION)
    assert coverage_json.parse_json(projected, path, "r") == coverage_json.parse_json(
        _json.load(path, "r"), path, "r"
    )


@pytest.mark.needs("coverage")
def test_real_report_with_contexts_streams_as_detection_reads_it(tmp_path: Path) -> None:
    """coverage.py's own ``coverage json --show-contexts``: declared (streamed) equals auto."""
    _measure(tmp_path, branch=True)
    _coverage(tmp_path, "json", "-q", "--show-contexts", "-o", "contexts.json")
    path = tmp_path / "contexts.json"
    assert json.loads(path.read_text())["meta"]["show_contexts"] is True
    auto = parse_file(path, path.name, "auto")
    assert parse_file(path, path.name, "coverage-json") == auto
    assert _streamed(path) == _whole(path)


def _small_report() -> str:
    return json.dumps(_report(3, 10))


# Each hostile report, as (name, bytes). The whole reader's verdict is the reference.
HOSTILE: list[tuple[str, bytes]] = [
    ("duplicate-file", _small_report().replace('"pkg1/mod_1.py"', '"pkg0/mod_0.py"').encode()),
    ("duplicate-deep", _small_report().replace('"excluded_lines": [],', '"excluded_lines": [], '
                                               '"excluded_lines": [1],', 1).encode()),
    ("duplicate-in-arc", _small_report().replace('"missing_branches": []',
                                                 '"missing_branches": [{"a": 1, "a": 2}]', 1)
     .encode()),
    ("nan-in-lines", _small_report().replace('"executed_lines": [1, ', '"executed_lines": [NaN, ',
                                             1).encode()),
    ("nan-percent", _small_report().replace('"percent_covered": ', '"percent_covered": NaN, "x": ',
                                            1).encode()),
    ("infinity-count", _small_report().replace('"covered_lines": 5', '"covered_lines": 1e999', 1)
     .encode()),
    ("huge-int-in-lines", _small_report().replace('"missing_lines": [2,',
                                                  '"missing_lines": [' + "9" * 5000 + ",", 1)
     .replace('"missing_lines": [2, ', '"missing_lines": [' + "9" * 5000 + ", ", 1).encode()),
    ("huge-int-count", _small_report().replace('"covered_lines": 5', '"covered_lines": '
                                               + "9" * 4400, 1).encode()),
    ("big-int-count", _small_report().replace('"covered_lines": 5', '"covered_lines": '
                                              + "9" * 40, 1).encode()),
    ("deep", _small_report().replace('"excluded_lines": []', '"excluded_lines": '
                                     + "[" * 5000 + "]" * 5000, 1).encode()),
    ("nested-300", _small_report().replace('"excluded_lines": []', '"excluded_lines": '
                                           + "[" * 300 + "]" * 300, 1).encode()),
    ("truncated", _small_report()[:-40].encode()),
    ("trailing", (_small_report() + " ]").encode()),
    ("bom", b"\xef\xbb\xbf" + _small_report().encode()),
    ("utf-16", _small_report().encode("utf-16")),
    ("latin-1-path", _small_report().replace('"pkg1/mod_1.py"', '"pkg1/m\xe9.py"')
     .encode("latin-1")),
    ("utf-8-path", _small_report().replace('"pkg1/mod_1.py"', '"pkg1/m\xe9.py"').encode()),
    ("lone-surrogate", _small_report().replace('"pkg1/mod_1.py"', '"pkg1/\\ud800.py"').encode()),
    ("surrogate-pair", _small_report().replace('"pkg1/mod_1.py"', '"pkg1/\\ud83d\\ude00.py"')
     .encode()),
    ("control-in-string", _small_report().replace('"pkg1/mod_1.py"', '"pkg1/\x01.py"').encode()),
    ("files-an-array", json.dumps({**_report(1, 4), "files": [1, 2, 3]}).encode()),
    ("summary-a-string", _small_report().replace('"summary": {', '"summary": "s", "x": {', 1)
     .encode()),
    ("no-totals", json.dumps({k: v for k, v in _report(2, 4).items() if k != "totals"}).encode()),
    ("branch-coverage-a-list", _small_report().replace('"branch_coverage": true',
                                                       '"branch_coverage": [true]').encode()),
    ("form-feed", _small_report().replace('"files": ', '"files":\f', 1).encode()),
    ("vertical-tab", _small_report().replace('"totals": ', '"totals":\v', 1).encode()),
    ("file-separator", _small_report().replace('"totals": ', '"totals":\x1c', 1).encode()),
    ("top-level-array", b"[1, 2]"),
    ("empty", b""),
    ("whitespace", b" \n "),
]  # fmt: skip


@pytest.mark.parametrize(("name", "data"), HOSTILE, ids=[name for name, _ in HOSTILE])
def test_hostile_reports_get_the_whole_readers_verdict(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / f"{name}.json"
    path.write_bytes(data)
    assert _streamed(path) == _whole(path)


@pytest.mark.parametrize(("name", "data"), HOSTILE, ids=[name for name, _ in HOSTILE])
def test_hostile_reports_past_the_whole_readers_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, data: bytes
) -> None:
    """Where only the stream reads a file (past 64 MiB, here made 0): it refuses what the
    whole reader refuses, on its own words, and reads what it reads, the same."""
    path = tmp_path / f"{name}.json"
    path.write_bytes(data)
    whole = _whole(path)
    monkeypatch.setattr(_json, "MAX_BYTES", 0)
    streamed = _streamed(path)
    if name == "nan-in-lines":
        # The one difference: json reads NaN (which is not JSON) where nobody reads it, in a
        # line array; yajl refuses it, with its position. Refused, never a wrong answer.
        assert isinstance(whole, ParsedFile)
        assert str(streamed).startswith(f"{name}.json:1:")
        assert "invalid JSON: lexical error: invalid char in json text" in str(streamed)
    elif isinstance(whole, ParsedFile):
        assert streamed == whole
    else:
        assert isinstance(streamed, str), (name, streamed)
        assert streamed.startswith(f"{name}.json"), streamed


def test_stream_errors_name_line_and_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_json, "MAX_BYTES", 0)
    pretty = json.dumps(_report(40, 300), indent=2)
    cases = {
        "truncated": (pretty[: len(pretty) // 2].encode(), "premature EOF"),
        "bad-byte": (pretty.replace('"pkg3/mod_10.py"', '"pkg3/\xff.py"').encode("latin-1"),
                     "invalid bytes in UTF8 string"),
        "duplicate": (pretty.replace('"excluded_lines": []', '"excluded_lines": [],\n'
                                     '        "excluded_lines": []').encode(),
                      'duplicate key "excluded_lines" in files.pkg0/mod_0.py'),
    }  # fmt: skip
    for name, (data, said) in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(data)
        with pytest.raises(EvidenceError) as caught:
            coverage_json.parse(path, path.name)
        error = caught.value
        assert said in error.message, (name, error.message)
        assert error.position.line is not None and error.position.column is not None, name
        # the position is where the whole reader puts it, or just past the token there
        whole_text = data.decode("utf-8", errors="replace")
        lines = whole_text.splitlines()
        assert 1 <= error.position.line <= len(lines) + 1, name
        if name == "duplicate":
            at = whole_text.index('"excluded_lines": [],\n        "excluded_lines"')
            assert error.position.line == whole_text.count("\n", 0, at) + 2
        if name == "bad-byte":
            assert "\ufffd" in lines[error.position.line - 1]


def test_a_huge_key_is_refused_without_holding_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 6 MB file path (the bound is 4 MiB): refused while the tokenizer holds part of it."""
    monkeypatch.setattr(_json, "MAX_BYTES", 0)
    path = tmp_path / "key.json"
    report = _small_report().replace('"pkg1/mod_1.py"', '"' + "k" * 6_000_000 + '"')
    path.write_text(report, encoding="utf-8")
    tracemalloc.start()
    try:
        with pytest.raises(EvidenceError, match="longer than 4 MiB"):
            coverage_json.parse(path, path.name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000, peak  # no Python string of the key was ever made


@pytest.mark.slow
def test_a_100_mb_key_is_refused_after_4_mib(tmp_path: Path) -> None:
    """A report whose one file path is 100 MB (past the whole reader's 64 MiB, so the stream
    alone reads it): refused once 4 MiB of it are read, in well under a second of parsing,
    with no string of it made; the command says where."""
    path = tmp_path / "key.json"
    head, tail = _small_report().split('"pkg1/mod_1.py"')
    with path.open("w", encoding="utf-8") as out:
        out.write(head + '"')
        for _ in range(100):
            out.write("k" * 1_000_000)
        out.write('"' + tail)
    tracemalloc.start()
    try:
        with pytest.raises(EvidenceError, match="longer than 4 MiB") as caught:
            parse_file(path, path.name, "auto")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000, peak  # detection imports every format's module: a few MB
    assert caught.value.position.line == 1


def _peak(path: Path) -> int:
    tracemalloc.start()
    try:
        coverage_json.parse(path, path.name)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_lines_of_each_file(tmp_path: Path) -> None:
    """20 times the lines a file, with contexts: the same peak, give or take a quarter."""
    short = _peak(_write(tmp_path / "short.json", _report(200, 50, contexts=True)))
    long = _peak(_write(tmp_path / "long.json", _report(200, 1000, contexts=True)))
    assert long < 1.25 * short, (short, long)


_CHILD = """
import resource, sys
from pathlib import Path
from gatekeeper.parsers import parse_file
parsed = parse_file(Path(sys.argv[1]), "coverage.json", sys.argv[2])
assert parsed.metrics[-1].name == "TOTAL"
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _child_peak_kib(path: Path, fmt: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), fmt],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


@pytest.mark.slow
def test_a_20_mb_report_is_read_in_flat_memory(tmp_path: Path) -> None:
    """Whole processes: a 2 MB and a 20 MB report peak within a few MiB of each other, as
    the report declared and as detected (past 16 MiB detection streams too); read whole,
    the 20 MB one took some 180 MiB."""
    small = _write(tmp_path / "small.json", _report(100, 1000, contexts=True))
    large = _write(tmp_path / "large.json", _report(1000, 1000, contexts=True))
    assert large.stat().st_size > 20_000_000 > 10 * small.stat().st_size // 2
    base = _child_peak_kib(small, "coverage-json")
    for fmt in ("coverage-json", "auto"):
        assert _child_peak_kib(large, fmt) < base + 12 * 1024, fmt


def test_detection_streams_a_large_document_and_hands_over_the_projection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "coverage.json", _report(50, 100))
    read_whole = identify(path, path.name)
    monkeypatch.setattr(_json_head, "STREAMED_BYTES", 1000)
    monkeypatch.setattr(_json, "MAX_BYTES", 1000)  # the whole reader could not read it
    streamed = identify(path, path.name)
    assert streamed.name == read_whole.name == "coverage-json"
    document = streamed.document
    assert isinstance(document, dict) and document != read_whole.document  # a projection
    assert parse_file(path, path.name, "auto") == coverage_json.parse_json(
        read_whole.document, path, path.name
    )


def _json_fixtures() -> list[Path]:
    found = []
    for path in sorted(FIXTURES.rglob("*.json")):
        if path.stat().st_size < 2_000_000:
            try:
                document = _json.load(path, path.name)
            except EvidenceError:
                continue
            if isinstance(document, (dict, list)):
                found.append(path)
    return found


@pytest.mark.parametrize("path", _json_fixtures(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_detection_of_a_streamed_document_is_that_of_the_whole(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every JSON fixture of every format, detected from its skeleton as from its whole
    document: a ``detect_json`` that looks deeper than the skeleton keeps fails here."""
    from gatekeeper.parsers import claiming_formats

    whole = claiming_formats(path, path.name)
    monkeypatch.setattr(_json_head, "STREAMED_BYTES", 0)
    assert claiming_formats(path, path.name) == whole


@pytest.mark.parametrize("at", [5, 4_000, 65_530, 65_536, 131_070])
@pytest.mark.parametrize("quoted", [False, True])
def test_long_digit_runs_anywhere_go_to_the_python_backend(
    tmp_path: Path, at: int, quoted: bool
) -> None:
    """5,000 digits (past int_max_str_digits, which crashes yajl2_c) starting at ``at``,
    across a chunk boundary or not: as a number, refused as json refuses it; in a string,
    read. Either way the process lives."""
    digits = "9" * 5000
    value = f'"{digits}"' if quoted else digits
    prefix = '{"pad": "' + "x" * max(0, at - 20) + '", "n": '
    path = tmp_path / "digits.json"
    path.write_text(prefix + value + "}", encoding="utf-8")
    if quoted:
        assert _json_stream.project(path, {"n": {}}) == {"n": digits}
    else:
        with pytest.raises(_json_stream.StreamError):
            _json_stream.project(path, {"n": {}})


LEXICAL = [
    "01", "1.", ".5", "-", "1e", "+1", "[1,]", "tru", '"\\x"', '"\t"', "-0.0e-0", "1E+2",
    "\f1", "\v1", "\x1f1", '"\\u00"', "'a'", "1\x00", "1 2", "1\n\n", " [] ", '"\u2028"',
    "1 /* c */", "NaN", "-Infinity", '"\\ud800"', '"\\udc00\\ud800"', '"\\ud83d\\ude00"',
]  # fmt: skip


@pytest.mark.parametrize("value", LEXICAL)
def test_the_stream_reads_what_json_reads_and_refuses_what_it_refuses(
    tmp_path: Path, value: str
) -> None:
    """A value in an object, read by both: the same value, or both refuse. NaN and
    Infinity are the exception, refused by the stream alone (they are not JSON)."""
    path = tmp_path / "value.json"
    path.write_text('{"a": ' + value + "}", encoding="utf-8")
    try:
        expected: object = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        expected = ValueError
    try:
        found: object = _json_stream.project(path, {ANY: {}})
    except _json_stream.StreamError:
        found = ValueError
    if value in ("NaN", "-Infinity"):
        assert found is ValueError
    else:
        assert found == expected or (found, expected) == (ValueError, ValueError)
