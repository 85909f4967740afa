"""k6 streams that are broken: every problem names the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import SeriesRequest
from gatekeeper.parsers.load import _k6_lines, k6_ndjson

DECLARE = (
    b'{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time",'
    b'"thresholds":[],"submetrics":null},"metric":"http_req_duration"}\n'
)
DECLARE_VUS = (
    b'{"type":"Metric","data":{"name":"vus","type":"gauge","contains":"default",'
    b'"thresholds":[],"submetrics":null},"metric":"vus"}\n'
)


def point(value: bytes = b"12.5", metric: bytes = b"http_req_duration") -> bytes:
    return (
        b'{"metric":"' + metric + b'","type":"Point","data":{"time":"2025-03-01T10:00:00Z",'
        b'"value":' + value + b',"tags":{"status":"200"}}}\n'
    )


WANTED = (SeriesRequest("http_req_duration"), SeriesRequest("vus"))


def error_for(tmp_path: Path, content: bytes, wanted: tuple[SeriesRequest, ...] = WANTED) -> str:
    path = tmp_path / "run.ndjson"
    path.write_bytes(content)
    with pytest.raises(EvidenceError) as caught:
        k6_ndjson.parse(path, "run.ndjson", wanted)
    assert caught.value.position.file == "run.ndjson"
    return str(caught.value)


GOOD = DECLARE + point() + DECLARE_VUS + point(b"3", b"vus")


@pytest.mark.parametrize("wanted", [WANTED, ()], ids=["requested", "inspected"])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (GOOD + point()[:-40], "run.ndjson:5: the last line has no line end: the file is"),
        (GOOD + point(b"3", b"vus")[:-3] + b"\n", "run.ndjson:5: invalid JSON (Expecting ',' "),
        (DECLARE + point(b'"12"') + GOOD, "run.ndjson:2: data.value of 'http_req_duration': "),
        (DECLARE + point(b"NaN") + GOOD, "run.ndjson:2: data.value of 'http_req_duration': "),
        (DECLARE + point(b"1e999") + GOOD, "run.ndjson:2: data.value of 'http_req_duration': "),
        (
            DECLARE + point().replace(b"200", b"\xff") + GOOD,
            "run.ndjson:2: not valid UTF-8 (byte 0xff)",
        ),
        (DECLARE + point()[:-5] + b"\n" + GOOD, "run.ndjson:2: invalid JSON"),
        (DECLARE.replace(b'"trend"', b'"histogram"') + GOOD, "run.ndjson:1: metric 'http_req_"),
        (b'{\n  "metrics": {}\n}\n', "run.ndjson:1: invalid JSON (Expecting property name"),
        (b'{"metric":"vus"}\n' + GOOD, "run.ndjson:1: expected a k6 line"),
    ],
    ids=[
        "truncated",
        "cut-short",
        "string-value",
        "nan",
        "overflow",
        "not-utf8",
        "damaged-wanted-line",
        "unknown-type",
        "pretty-json",
        "not-k6",
    ],
)
def test_broken_lines(
    tmp_path: Path, content: bytes, message: str, wanted: tuple[SeriesRequest, ...]
) -> None:
    assert error_for(tmp_path, content, wanted).startswith(message)


def test_the_speed_contract_lines_of_other_metrics_are_not_decoded(tmp_path: Path) -> None:
    """With series requested, a line that holds neither a requested name nor a backslash is
    not read (decoding every line makes the stream several times slower): damage there is
    not seen. Inspecting reads every line; a damaged line naming a requested metric, or the
    file's first or last line, is an error either way."""
    for damage in (lambda line: line[:-20] + b"\n", lambda line: line.replace(b",", b",,", 1)):
        damaged = GOOD + damage(point(b"1", b"vus")) + point(b"4", b"vus")
        path = tmp_path / "run.ndjson"
        path.write_bytes(damaged)
        found = k6_ndjson.parse(path, "run.ndjson", (SeriesRequest("http_req_duration"),))
        assert found.metrics[0].stats["count"].value == 1
        assert error_for(tmp_path, damaged, ()).startswith("run.ndjson:5: invalid JSON")
        named = GOOD + damage(point()) + point(b"4", b"vus")
        assert error_for(tmp_path, named, WANTED).startswith("run.ndjson:5: invalid JSON")
        last = GOOD + point(b"4", b"vus") + damage(point(b"1", b"vus"))
        assert error_for(tmp_path, last, WANTED).startswith("run.ndjson:6: invalid JSON")


def test_an_overlong_line_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_k6_lines, "MAX_LINE", 1000)
    monkeypatch.setattr(_k6_lines, "BLOCK_SIZE", 256)
    long_line = point().replace(b'"200"', b'"' + b"x" * 2000 + b'"')
    assert error_for(tmp_path, GOOD + long_line).startswith(
        "run.ndjson:5: line is longer than 0 KiB"
    )


def test_samples_without_a_declaration(tmp_path: Path) -> None:
    message = error_for(tmp_path, point() + point())
    assert message == "run.ndjson: 'http_req_duration' has samples but no Metric line"


def test_empty_and_blank_files(tmp_path: Path) -> None:
    assert error_for(tmp_path, b"") == "run.ndjson: no k6 lines: the file is empty"
    assert error_for(tmp_path, b"\n\n") == "run.ndjson: no k6 lines: the file is empty"


def test_too_many_metrics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_k6_lines, "MAX_METRICS", 3)
    content = b"".join(point(b"1", b"m%d" % i) for i in range(5))
    assert error_for(tmp_path, content, ()).startswith("run.ndjson:4: more than 3 metrics")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match=r"run\.ndjson: cannot read"):
        k6_ndjson.parse(tmp_path / "missing.ndjson", "run.ndjson", WANTED)
