"""Detection across the whole benchmark corpus: each file is claimed by at most one format,
and by the format its folder holds wherever that format is one gatekeeper reads.

The folder -> format table is explicit, and docs/conformance.md ("Benchmark and load-test
corpus") states the same tables to users: a test keeps the two equal. A format another
helper has not registered yet is expected to claim nothing until it is in PARSER_MODULES;
a format gatekeeper does not read (None) must claim nothing at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekeeper.parsers import PARSER_MODULES
from tests.parsers.claims import claimed

BENCH = Path(__file__).resolve().parents[1] / "corpus" / "bench"
DOC = Path(__file__).resolve().parents[2] / "docs" / "conformance.md"
DOC_SECTION = "## Benchmark and load-test corpus"

FOLDER_FORMAT: dict[str, str | None] = {
    "bencher-bmf-json": None,
    "benchmarkdotnet": "benchmarkdotnet",
    "benchmarkjs": "benchmarkjs",
    "benchstat": None,  # benchstat's comparison tables, not a tool run
    "cargo-libtest-bench": "cargo-bench",
    "catch2": "catch2",  # the console reporter's benchmark table
    "criterion": "criterion",
    "dart-benchmark-harness": None,
    "gab-custom-json": None,
    "gatling": "gatling",
    "go-bench": "go-bench",
    "google-benchmark": "google-benchmark",
    "hyperfine": "hyperfine",
    "iai": None,
    "jmeter-jtl": "jmeter",
    "jmh": "jmh",
    "julia": None,
    "junit-xml": "junit",
    "k6-handlesummary-json": "k6",
    "k6-ndjson": "k6-ndjson",
    "k6-summary-export": "k6",
    "locust": "locust",
    "luau": None,
    "pytest-benchmark": "pytest-benchmark",
    "python-asv": None,
    "ruby-benchmark": None,
    "vegeta": "vegeta",
    "vitest-bench": None,
}

FILE_FORMAT: dict[str, str | None] = {
    # Only `--output-format bencher` lines: libtest's shape, which cargo-bench claims.
    "criterion/criterion_output.txt": "cargo-bench",
    # `running 0 tests` and nothing else: `cargo test` prints exactly the same.
    "cargo-libtest-bench/bencher_zero.txt": None,
    # simulation.log is Gatling's internal record, its layout changing between versions;
    # gatekeeper reads the report's JSON files instead.
    "gatling/gatling-3.1.2_googletest_simulation.log": None,
    "gatling/gatling-3.8.3_kata_simulation.log": None,
}


def corpus_files() -> list[str]:
    if not BENCH.is_dir():
        return []
    return sorted(
        path.relative_to(BENCH).as_posix()
        for path in BENCH.rglob("*")
        if path.is_file() and path.parent != BENCH
    )


def expected_format(relative: str) -> str | None:
    folder = relative.split("/", 1)[0]
    expected = FILE_FORMAT.get(relative, FOLDER_FORMAT[folder])
    return expected if expected in PARSER_MODULES else None


def test_every_corpus_folder_is_mapped(corpus: Path) -> None:
    folders = {p.name for p in (corpus / "bench").iterdir() if p.is_dir()}
    assert folders == set(FOLDER_FORMAT)
    assert set(FILE_FORMAT) <= set(corpus_files())


@pytest.mark.parametrize("relative", corpus_files())
def test_detected_as_its_folders_format(corpus: Path, relative: str) -> None:
    expected = expected_format(relative)
    assert claimed(corpus / "bench" / relative) == ([expected] if expected else [])


def doc_tables() -> list[dict[str, str | None]]:
    """The section's tables as {first cell: format}, "not ..." read as None."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"\n{DOC_SECTION}\n", 1)[1].split("\n## ", 1)[0]
    tables: list[dict[str, str | None]] = []
    for block in section.split("\n\n"):
        rows = [line for line in block.splitlines() if line.startswith("|")][2:]
        if rows:
            cells = [[c.strip().strip("`") for c in row.strip("|").split("|")] for row in rows]
            tables.append({c[0]: None if c[1].startswith("not ") else c[1] for c in cells})
    return tables


def test_the_doc_states_this_mapping() -> None:
    folders, files = doc_tables()
    assert {folder.removesuffix("/"): fmt for folder, fmt in folders.items()} == FOLDER_FORMAT
    assert files == FILE_FORMAT


def test_the_doc_names_exactly_the_corpus_folders(corpus: Path) -> None:
    folders, _ = doc_tables()
    assert sorted(folders) == sorted(
        f"{p.name}/" for p in (corpus / "bench").iterdir() if p.is_dir()
    )
