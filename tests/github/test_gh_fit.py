"""Fitting the Markdown report into GitHub's limits: least important parts first, whole
table rows only, a note that says what went, and never a byte over."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from gatekeeper.github.fit import Kind, Part, fit, render, split_report
from gatekeeper.results import failing
from tests.github.gh_build import big, markdown, scenario


def _tables(text: str) -> list[list[int]]:
    """Each table as its rows' cell counts."""
    tables: list[list[int]] = []
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append(0)
        elif token.type in ("th_open", "td_open"):
            tables[-1][-1] += 1
    return tables


def test_the_report_splits_at_the_headings_the_reporter_writes() -> None:
    s = scenario("failing")
    parts = split_report(markdown(s.report, s.exit_code))
    kinds = [p.kind for p in parts]
    assert kinds[0] is Kind.HEAD and kinds[1] is Kind.BLOCKING
    assert kinds[-2:] == [Kind.WAIVERS, Kind.FOOTER]
    assert kinds.count(Kind.BLOCKER) == len(failing(s.report))
    assert render(parts) == markdown(s.report, s.exit_code)  # nothing lost in the split


def test_hostile_text_never_makes_a_heading() -> None:
    s = scenario("hostile")
    text = markdown(s.report, s.exit_code)
    parts = split_report(text)
    assert render(parts) == text
    headings = [p.lines[0] for p in parts if p.kind is not Kind.HEAD]
    assert all(h.startswith(("### ", "#### ", "<sub>gatekeeper")) for h in headings)
    assert not [p for p in parts if p.kind is Kind.OTHER]


def test_a_report_within_the_limit_is_left_alone() -> None:
    s = scenario("failing")
    text = markdown(s.report, s.exit_code)
    assert fit(split_report(text), len(text)) == text


def test_later_phases_go_first_then_details_then_blockers() -> None:
    s = big(3, 2)
    text = markdown(s.report, s.exit_code)
    parts = split_report(text)
    later_only = len(text) - 1
    trimmed = fit(parts, later_only)
    assert "Not yet met in later phases" not in trimmed
    assert "failed: tests.test\\_lane\\_0002::test\\_0001" in trimmed  # details kept
    assert trimmed.endswith(
        "✂️ *Left out to stay within GitHub's limit of "
        f"{later_only:,} characters: the benchmarks of later phases.*\n"
        "\n<sub>gatekeeper · exit code 1</sub>\n"
    )
    tight = fit(parts, 1250)
    assert "#### 🟥 lane-0002/one/tests" in tight and "tests.test\\_lane\\_0002::" not in tight
    assert "the details of 3 blocking benchmarks." in tight
    tighter = fit(parts, 1100)
    assert "#### 🟥 lane-0002/one/tests" not in tighter
    assert "### Blocking the One gate (3)" in tighter  # the count stays
    assert "the sections of 1 blocking benchmark." in tighter


@pytest.mark.parametrize("limit", [2000, 1500, 1200, 900, 700, 500])
def test_never_over_the_limit_and_tables_keep_their_shape(limit: int) -> None:
    s = scenario("failing")
    text = markdown(s.report, s.exit_code)
    trimmed = fit(split_report(text), limit)
    assert len(trimmed) <= limit
    for table in _tables(trimmed):
        assert len(set(table)) == 1, "a row lost or gained a cell"


def test_swimlane_rows_go_last_and_the_gate_row_stays() -> None:
    s = big(40, 1, later=False)
    text = markdown(s.report, s.exit_code)
    head = [p for p in split_report(text) if p.kind is Kind.HEAD]
    trimmed = fit(head, 1500)
    assert len(trimmed) <= 1500
    assert "| *gate* |" in trimmed and "| **Swimlane number 0000** |" in trimmed
    assert "| **Swimlane number 0039** |" not in trimmed
    assert "swimlane rows of the matrix" in trimmed
    [table] = _tables(trimmed)
    assert len(set(table)) == 1


def test_a_huge_report_fits_65535_characters() -> None:
    s = big(60, 30, message="AssertionError: " + "x" * 400)
    text = markdown(s.report, s.exit_code)
    assert len(text) > 300_000
    trimmed = fit(split_report(text), 65_535, elsewhere="See the job summary.")
    assert len(trimmed) <= 65_535
    assert trimmed.startswith("## ❌ Big: One gate FAILED")
    assert "| *gate* |" in trimmed
    assert "See the job summary." in trimmed
    assert trimmed.endswith("<sub>gatekeeper · exit code 1</sub>\n")


def test_bytes_can_be_the_measure() -> None:
    s = big(30, 5)
    text = markdown(s.report, s.exit_code)
    trimmed = fit(split_report(text), 4000, measure=lambda t: len(t.encode()), unit="bytes")
    assert len(trimmed.encode()) <= 4000
    assert "limit of 4,000 bytes" in trimmed


def test_fixed_parts_stay_and_an_impossible_limit_is_cut_at_a_line() -> None:
    fixed = Part(Kind.FIXED, ("<!-- marker -->", "x" * 50, "y" * 50))
    assert fit([fixed], 200) == "<!-- marker -->\n" + "x" * 50 + "\n" + "y" * 50 + "\n"
    cut = fit([fixed], 100)
    assert len(cut) <= 100 and cut.startswith("<!-- marker -->\n")
    assert "Cut here" in cut
