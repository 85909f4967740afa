"""k6 summaries that are not: invalid JSON, wrong shapes, wrong encodings, oversized files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.parsers import _json
from gatekeeper.parsers.load import k6


def error_for(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(EvidenceError) as caught:
        k6.parse(path, "bad.json")
    return str(caught.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{\n  "metrics": {\n    "http_reqs": {"count": 1, "rate": 2,}\n  }\n}\n',
            "bad.json:3:41: invalid JSON: Expecting property name enclosed in double quotes",
        ),
        (
            b'{\n  "metrics": {\n    "http_reqs": {"count": 1',
            "bad.json:3:29: invalid JSON: Expecting ',' delimiter",
        ),
        (b"", "bad.json:1:1: invalid JSON: Expecting value"),
        (b"[" * 100_000 + b"]" * 100_000, "bad.json: invalid JSON: nested too deeply"),
        (
            b'{"metrics": {"vus": {"value": ' + b"9" * 5000 + b"}}}",
            "bad.json: invalid JSON: a number is too long",
        ),
    ],
    ids=["trailing-comma", "truncated", "empty", "deep", "long-number"],
)
def test_invalid_json(tmp_path: Path, content: bytes, message: str) -> None:
    assert error_for(tmp_path, content) == message


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([1], "(top level): expected an object, got [1]"),
        ({"state": {}}, "metrics: expected an object, got null"),
        ({"metrics": [1, 2]}, "metrics: expected an object, got [1, 2]"),
        ({"metrics": {"vus": 3}}, "metrics.vus: expected an object, got 3"),
        (
            {
                "metrics": {
                    "http_req_duration": {
                        "type": "trend",
                        "contains": "time",
                        "values": {"avg": 1, "p(95)": "abc"},
                    }
                }
            },
            'metrics.http_req_duration.values.p(95): expected a number, got "abc"',
        ),
        (
            {"metrics": {"checks": {"passes": True, "fails": 0}}},
            "metrics.checks.passes: expected a number, got true",
        ),
        (
            {"metrics": {"t": {"type": "trend", "values": [1]}}},
            "metrics.t.values: expected an object, got [1]",
        ),
        (
            {"metrics": {"x": {"type": "histogram", "values": {}}}},
            'metrics.x.type: expected one of trend, rate, counter, gauge, got "histogram"',
        ),
    ],
)
def test_wrong_shape_names_the_key_path(tmp_path: Path, document: object, message: str) -> None:
    assert error_for(tmp_path, json.dumps(document).encode()) == f"bad.json: {message}"


@pytest.mark.parametrize(("literal", "shown"), [(b"NaN", "NaN"), (b"1e400", "Infinity")])
def test_non_finite_numbers_are_refused(tmp_path: Path, literal: bytes, shown: str) -> None:
    content = b'{"metrics": {"vus": {"value": ' + literal + b', "min": 1, "max": 2}}}'
    assert (
        error_for(tmp_path, content)
        == f"bad.json: metrics.vus.value: expected a finite number, got {shown}"
    )


def test_not_utf8(tmp_path: Path) -> None:
    content = '{\n  "metrics": {\n    "éé": {"count": 1, "rate": "é'.encode() + b'\xff"}\n  }\n}'
    # the column counts characters, so the two-byte é's count once each
    assert error_for(tmp_path, content) == "bad.json:3:34: not valid UTF-8 (byte 0xff)"


def test_utf16(tmp_path: Path) -> None:
    content = '{"metrics": {}}'.encode("utf-16")
    assert error_for(tmp_path, content) == "bad.json:1:1: not UTF-8: the file is UTF-16 encoded"


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"metrics": {"vus": {"value": 1}}}).encode())
    assert [m.name for m in k6.parse(path, "bom.json").metrics] == ["vus"]


def test_size_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_json, "MAX_BYTES", 1024 * 1024)
    path = tmp_path / "huge.json"
    path.write_bytes(b'{"metrics": {}, "pad": "' + b"x" * (1024 * 1024) + b'"}')
    with pytest.raises(EvidenceError) as caught:
        k6.parse(path, "huge.json")
    assert str(caught.value) == "huge.json: file is larger than 1 MiB; this is not a summary file"


def test_default_size_bound_is_64_mib() -> None:
    assert _json.MAX_BYTES == 64 * 1024 * 1024


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as caught:
        k6.parse(tmp_path / "gone.json", "gone.json")
    assert str(caught.value) == "gone.json: cannot read: No such file or directory"
