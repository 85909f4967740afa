"""Equal JSON is read the same (issue 9, property (a); the fuzzer's finding N1).

Every JSON file among the parser fixtures and the KMTA example's reports, rewritten without
changing its value (see ``json_rewrites``: re-indented or minified, members in reverse or
sorted order at every level, every character of keys and strings escaped, behind a byte
order mark), is detected as the same format and read as the same ``ParsedFile`` (or refused
with the same message), whether its format is detected or declared.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import ParsedFile
from gatekeeper.parsers import AUTO, detect_format, parse_file
from tests.conftest import REPO
from tests.parsers.json_rewrites import (
    DOCUMENT_STYLES,
    LINE_STYLES,
    rewrite_document,
    rewrite_lines,
)

FOLDERS = (REPO / "tests" / "parsers" / "fixtures", REPO / "examples" / "kmta" / "reports")

READ_BESIDE = {
    "benchmark.json": "estimates.json",
    "sample.json": "estimates.json",
}
"""Files a parser reads beside the one named (Criterion's): rewriting one of them must not
change what the file beside it reads as."""


def _opens_like_json(data: bytes) -> bool:
    return data.lstrip(b" \t\r\n")[:1] in (b"{", b"[")


def _is_document(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def json_files() -> list[tuple[str, bool]]:
    """(path from the repository, whether it is one document rather than JSON lines)."""
    found = []
    for folder in FOLDERS:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes()
            if _opens_like_json(data):
                found.append((path.relative_to(REPO).as_posix(), _is_document(data)))
    return found


PENDING: dict[str, str] = {}
"""Formats whose rewrites are known to be misread today, by folder: strict, so a fix shows."""


def _case(relative: str, rewrite: str) -> object:
    folder = relative.split("/")[-2]
    reason = PENDING.get(folder)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    name = relative.split("fixtures/")[-1]
    return pytest.param(relative, rewrite, id=f"{name}-{rewrite}", marks=marks)


CASES = [
    _case(relative, rewrite)
    for relative, document in json_files()
    for rewrite in ([*DOCUMENT_STYLES, "bom"] if document else list(LINE_STYLES))
]


def test_every_json_fixture_is_rewritten() -> None:
    """The collection finds the JSON of every JSON format, documents and streams."""
    files = dict(json_files())
    assert len(files) >= 25
    assert files["examples/kmta/reports/bench/micro.json"] is True
    assert files["tests/parsers/fixtures/go-bench/count2.json"] is False
    folders = {relative.split("/")[-2] for relative in files}
    assert {"hyperfine", "google-benchmark", "jmh", "benchmarkdotnet", "gatling"} <= folders


SORTED_BY_THE_TOOL = ("litmus", "chaos-mesh", "chaos")
"""Fixture folders of JSON that the tool itself writes as `jq -S` does (keys sorted, four
spaces): `kubectl get -o json` of a custom resource (the KMTA example's drill in `chaos/`);
the sorted rewrite is the file itself."""


def outcome(path: Path, display: str, fmt: str) -> ParsedFile | str:
    """What gatekeeper reads in a file: its ParsedFile, or the message refusing it."""
    try:
        return parse_file(path, display, fmt)
    except EvidenceError as exc:
        return f"refused: {exc}"


@pytest.mark.parametrize(("relative", "rewrite"), CASES)
def test_an_equal_rewrite_is_read_the_same(tmp_path: Path, relative: str, rewrite: str) -> None:
    original = REPO / relative
    copy = tmp_path / relative
    shutil.copytree(original.parent, copy.parent)
    read = relative.rsplit("/", 1)[0] + "/" + READ_BESIDE.get(original.name, original.name)
    fmt = detect_format(REPO / read, read)
    before = {how: outcome(REPO / read, read, how) for how in (AUTO, fmt)}
    data = original.read_bytes()
    rewritten = rewrite_document if _is_document(data) else rewrite_lines
    changed = rewritten(data, rewrite)
    if changed == data and rewrite == "sorted":  # kubectl writes it so (Go sorts map keys)
        assert _is_document(data) and relative.split("/")[-2] in SORTED_BY_THE_TOOL
        return
    assert changed != data or rewrite == "minified"
    copy.write_bytes(changed)
    assert detect_format(tmp_path / read, read) == fmt
    for how, expected in before.items():
        assert outcome(tmp_path / read, read, how) == expected, how
