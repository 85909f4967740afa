"""Properties every rendered report must have, whatever the matrix and the evidence say.

The hostile scenario puts Markdown, HTML, mentions, ANSI escapes and GitHub Actions workflow
commands into every piece of text a user or an artifact controls; these tests check that
none of it survives as anything but inert text.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from scenarios import SCENARIOS

from gatekeeper.reporters import REPORTERS, RenderOptions
from gatekeeper.reporters.json_report import to_dict
from gatekeeper.resources import load_schema

NAMES = list(SCENARIOS)
SCHEMA = load_schema("report.schema.json")
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
OUR_SGR = re.compile(r"\x1b\[(?:0|1|31|32|33|90)m")
"""The only escape sequences the terminal reporter may write: its own colours."""
OUR_TAGS = ("<br>", "<sub>", "</sub>")
"""The only HTML the Markdown reporter may write."""
MARKDOWN_LINE_STARTS = (
    "## ",
    "### ",
    "#### ",
    "| ",
    "|---",
    "- ",
    "  - ",
    "*",
    "🟩 met · ",
    "✏️ touched by this pull request: ",
    "✏️ this pull request touches no swimlane",
    "<sub>",
)
"""How every line the Markdown reporter writes begins: user text never starts a line."""
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def render(name: str, fmt: str, color: bool = False) -> str:
    scenario = SCENARIOS[name]()
    return REPORTERS[fmt](scenario.report, RenderOptions(scenario.exit_code, color))


def unescaped(pattern: str, text: str) -> list[str]:
    """Matches of ``pattern`` not escaped by a backslash (an even run of them is no escape)."""
    return re.findall(r"(?<!\\)(?:\\\\)*" + pattern, text)


# --- the JSON report and its schema -----------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _object_schemas(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if "properties" in node:
            yield path, node
        for key, value in node.items():
            yield from _object_schemas(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _object_schemas(value, f"{path}/{index}")


OBJECTS = [(p, s) for p, s in _object_schemas(SCHEMA) if s.get("type") == "object"]


@pytest.mark.parametrize(("path", "node"), OBJECTS, ids=[p for p, _ in OBJECTS])
def test_schema_objects_are_closed_and_fully_required(path: str, node: dict[str, Any]) -> None:
    assert node["additionalProperties"] is False
    optional = (
        {"metric", "thresholds", "baseline", "findings", "found", "artifact", "signoff"}
        if path == "#/$defs/benchmark"
        else set()
    )
    assert set(node["required"]) == set(node["properties"]) - optional
    undescribed = [k for k, v in node["properties"].items() if not v.get("description")]
    assert not undescribed, f"{path}: no description for {undescribed}"
    assert node.get("description") or path == "#"


def test_schema_covers_every_object_it_describes() -> None:
    # report, phase, swimlane, cell, benchmark, a metric's and a findings' baseline, findings
    # selection, found, finding, measurement, test, waiver, waiver entry, artifact, file,
    # policy, declaration, rule, changes, touched swimlane, a comparison's samples, the
    # baseline evidence, a sign-off and its approval, a benchmark's evidence age: a new record
    # must get its own closed schema
    assert len(OBJECTS) == 26


@pytest.mark.parametrize("name", NAMES)
def test_json_report_validates_against_the_schema(name: str) -> None:
    document = json.loads(render(name, "json"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]
    assert not errors


@pytest.mark.parametrize("name", NAMES)
def test_json_output_is_to_dict(name: str) -> None:
    scenario = SCENARIOS[name]()
    assert json.loads(render(name, "json")) == to_dict(scenario.report, scenario.exit_code)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        yield path
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


def test_schema_rejects_a_missing_or_an_extra_key_anywhere() -> None:
    """Every object of a real report is closed and complete, not only the top level."""
    document = json.loads(render("failing", "json"))
    pull_request = json.loads(render("pull-request", "json"))
    document["policy"], document["changes"] = pull_request["policy"], pull_request["changes"]
    passing = json.loads(render("passing", "json"))  # a benchmark with a baseline
    document["cells"] += [
        c for c in passing["cells"] if any(b.get("baseline") for b in c["benchmarks"])
    ]
    document["cells"] += json.loads(render("signoff", "json"))["cells"]  # an approval too
    stale = json.loads(render("stale", "json"))  # a benchmark with a max_age
    document["cells"] += [c for c in stale["cells"] if any(b["age"] for b in c["benchmarks"])]
    # a findings count by level, rule, tool or file is a map, open by design: not a record
    objects = [p for p in _paths(document) if not (p and str(p[-1]).startswith("by_"))]
    kinds = {frozenset(_at(document, path)) for path in objects}
    assert len(kinds) >= len(OBJECTS)  # every record, tests and metric benchmarks both
    for path in objects:
        extra = copy.deepcopy(document)
        _at(extra, path)["surprise"] = 1
        assert not VALIDATOR.is_valid(extra), f"extra key accepted at {path}"
        for key in _at(document, path):
            short = copy.deepcopy(document)
            del _at(short, path)[key]
            assert not VALIDATOR.is_valid(short), f"missing {key!r} accepted at {path}"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("verdict",), "error"),
        (("exit_code",), 5),
        (("exit_code",), 3),  # 'no evidence' and exit code 3 go together
        (("report_version",), 2),
        (("date",), "26/11/2026"),
        (("stands_at",), 1),
        (("phases", 0, "gate"), "green"),
        (("phases", 0, "blocking_cells"), ["auth/stone"]),  # a passed gate blocks nothing
        (("cells", 0, "state"), "blank"),
        (("cells", 0, "benchmarks", 0, "outcome"), "passed"),
        (("cells", 0, "benchmarks", 0, "underlying"), "fail"),  # no waiver, no underlying
        (("cells", 0, "benchmarks", 0, "kind"), "metric"),  # a metric names its metric
        (("cells", 1, "benchmarks", 0, "waiver"), None),  # waived needs its waiver
        (("cells", 2, "benchmarks", 0, "failed_tests", 0, "status"), "xfail"),
        (("artifacts", 0, "state"), "stale"),
        (("artifacts", 0, "files", 0, "tests"), -1),
    ],
)
def test_schema_rejects_values_a_report_never_has(path: tuple[Any, ...], value: Any) -> None:
    document = json.loads(render("failing", "json"))
    assert VALIDATOR.is_valid(document)
    _at(document, path[:-1])[path[-1]] = value
    assert not VALIDATOR.is_valid(document)


# --- what reaches a CI log, a terminal, a PR comment ------------------------------------------

TEXT_OUTPUTS = [
    (name, fmt, color)
    for name in NAMES
    for fmt, color in (
        ("terminal", False),
        ("terminal", True),
        ("markdown", False),
        ("json", False),
        ("html", False),
        ("badge", False),
    )
]
TEXT_IDS = [f"{n}-{f}{'-color' if c else ''}" for n, f, c in TEXT_OUTPUTS]


@pytest.mark.parametrize(("name", "fmt", "color"), TEXT_OUTPUTS, ids=TEXT_IDS)
def test_no_line_is_a_workflow_command(name: str, fmt: str, color: bool) -> None:
    """The runner reads ``::cmd::`` at a line start (after spaces) and ``##[cmd]`` anywhere.

    ``splitlines`` splits on more than the runner does (CR, LF), so this errs on the safe side.
    """
    for line in render(name, fmt, color).splitlines():
        assert not OUR_SGR.sub("", line).lstrip().startswith("::"), line
        assert "##[" not in line, line


@pytest.mark.parametrize(("name", "fmt", "color"), TEXT_OUTPUTS, ids=TEXT_IDS)
def test_no_control_or_bidi_character_from_user_text(name: str, fmt: str, color: bool) -> None:
    """No escape sequence, bell, carriage return, line separator or text-direction override."""
    text = OUR_SGR.sub("", render(name, fmt, color))
    bad = {
        f"U+{ord(c):04X}"
        for c in set(text) - {"\n"}
        if unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in BIDI_CONTROLS
    }
    assert not bad


@pytest.mark.parametrize("name", NAMES)
def test_colour_codes_only_when_asked_for(name: str) -> None:
    plain = render(name, "terminal")
    colored = render(name, "terminal", color=True)
    assert "\x1b" not in plain
    assert "\x1b" not in render(name, "markdown")
    assert OUR_SGR.search(colored)
    assert "\x1b" not in OUR_SGR.sub("", colored)
    # colour adds nothing but its codes
    stripped = OUR_SGR.sub("", colored)
    assert [x.rstrip() for x in stripped.splitlines()] == [x.rstrip() for x in plain.splitlines()]


def test_hostile_text_is_shown_not_dropped() -> None:
    """Sanitising keeps the words: a reader still sees what the artifact said."""
    for fmt in ("terminal", "markdown", "html"):
        text = render("hostile", fmt)
        for word in ("pwned", "whoami", "javascript:alert", "name=x::y", "everyone", "RED"):
            assert word in text, (fmt, word)


def _tables(markdown: str) -> list[list[str]]:
    tables: list[list[str]] = []
    previous = ""
    for line in markdown.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
        previous = line
    return tables


@pytest.mark.parametrize("name", NAMES)
def test_markdown_table_rows_keep_their_columns(name: str) -> None:
    tables = _tables(render(name, "markdown"))
    assert tables
    for table in tables:
        header = len(unescaped(r"\|", table[0]))
        assert header >= 3
        for row in table:
            assert len(unescaped(r"\|", row)) == header, row


@pytest.mark.parametrize("name", NAMES)
def test_markdown_has_no_html_links_code_or_mentions_from_user_text(name: str) -> None:
    markdown = render(name, "markdown")
    ours = markdown
    for tag in OUR_TAGS:
        ours = ours.replace(tag, "")
    assert "<" not in ours
    assert not re.search(r"@[\w-]", markdown), "GitHub would notify someone"
    assert not unescaped(r"\]\(", markdown), "a link"
    assert not unescaped("`", markdown), "a code span"
    assert not unescaped(r"\[", markdown), "a link or footnote"


@pytest.mark.parametrize("name", NAMES)
def test_markdown_lines_start_with_our_markup(name: str) -> None:
    lines = [line for line in render(name, "markdown").splitlines() if line]
    assert [line for line in lines if not line.startswith(MARKDOWN_LINE_STARTS)] == []
