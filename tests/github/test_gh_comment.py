"""The sticky PR comment: marker, state, what changed, size, escaping."""

from __future__ import annotations

import dataclasses

import pytest
from markdown_it import MarkdownIt

from gatekeeper.github import comment
from gatekeeper.github.comment import CommentState
from tests.github.gh_build import big, markdown, scenario


def test_the_marker_is_the_contract_s_and_no_name_can_close_it() -> None:
    assert comment.marker("gatekeeper") == "<!-- gatekeeper:comment check-name=gatekeeper -->"
    assert (
        comment.marker("gate / iron") == "<!-- gatekeeper:comment check-name=gate%20%2F%20iron -->"
    )
    hostile = comment.marker("x --> <img src=x> @all\n")
    assert hostile.count("-->") == 1 and hostile.endswith(" -->") and "\n" not in hostile


def test_the_body_starts_with_the_hidden_lines_then_the_report() -> None:
    s = scenario("failing")
    text = markdown(s.report, s.exit_code)
    body = comment.body(s.report, s.exit_code, text, check_name="gatekeeper", previous=None)
    first, second, rest = body.split("\n", 2)
    assert first == "<!-- gatekeeper:comment check-name=gatekeeper -->"
    assert second.startswith("<!-- gatekeeper:state {") and second.endswith("} -->")
    assert rest == text
    assert "Since the last run" not in body


def test_the_state_line_round_trips_and_is_inert() -> None:
    state = CommentState("failed", {"a/one": "red", "b-->/two": "green", "<x>&": "grey"})
    line = comment.state_line(state)
    assert line.count("-->") == 1 and "<x>" not in line and "&" not in line
    assert comment.read_state(f"hello\n{line}\nworld") == state


@pytest.mark.parametrize(
    "line",
    [
        "<!-- gatekeeper:state not json -->",
        '<!-- gatekeeper:state {"version": 2, "verdict": "failed", "cells": {}} -->',
        '<!-- gatekeeper:state {"version": 1, "verdict": 3, "cells": {}} -->',
        '<!-- gatekeeper:state {"version": 1, "verdict": "x", "cells": []} -->',
        '<!-- gatekeeper:state {"version": 1, "verdict": "x", "cells": {"a": 1}} -->',
        "<!-- gatekeeper:state [1, 2] -->",
        "no state here",
    ],
)
def test_an_unreadable_state_is_no_state(line: str) -> None:
    assert comment.read_state(line) is None


def test_what_changed_lists_cells_that_moved_and_the_verdict() -> None:
    s = scenario("failing")
    now = comment.state_of(s.report, s.exit_code)
    before = CommentState("passed", {**now.cells, "auth/stone": "red", "gone/one": "green"})
    before.cells.pop("scale/iron")  # type: ignore[attr-defined]
    lines = comment.changes(s.report, before, now)
    assert lines == [
        "### Since the last run",
        "",
        "- verdict: passed → **failed**",
        "- **Email Authentication** × Stone: 🟥 failed → 🟩 met",
        f"- **Scalability** × Iron: no cell → {_word(now.cells['scale/iron'])}",
        "- gone/one: 🟩 met → no cell",
        "",
    ]
    assert comment.changes(s.report, now, now)[2] == "Nothing changed."
    assert comment.changed(None, now) and comment.changed(before, now)
    assert not comment.changed(now, dataclasses.replace(now))


def _word(state: str) -> str:
    return {"green": "🟩 met", "red": "🟥 failed", "grey": "⬜ pending"}[state]


def test_changes_go_after_the_matrix() -> None:
    s = scenario("failing")
    text = markdown(s.report, s.exit_code)
    previous = CommentState("passed", {})
    body = comment.body(s.report, s.exit_code, text, check_name="g", previous=previous)
    assert body.index("| *gate* |") < body.index("### Since the last run")
    assert body.index("### Since the last run") < body.index("### Blocking the Iron gate")


def test_a_huge_report_fits_one_comment() -> None:
    s = big(70, 25, message="AssertionError: " + "y" * 500)
    text = markdown(s.report, s.exit_code)
    previous = CommentState("passed", {})
    body = comment.body(s.report, s.exit_code, text, check_name="gatekeeper", previous=previous)
    assert len(text) > 3 * comment.COMMENT_LIMIT
    assert len(body) <= comment.COMMENT_LIMIT
    assert body.startswith(comment.marker("gatekeeper") + "\n<!-- gatekeeper:state ")
    assert comment.read_state(body) == comment.state_of(s.report, s.exit_code)
    assert "Left out to stay within GitHub's limit of 65,536 characters" in body


def test_hostile_text_breaks_nothing_in_the_comment() -> None:
    s = scenario("hostile")
    text = markdown(s.report, s.exit_code)
    body = comment.body(
        s.report, s.exit_code, text, check_name="x-->y", previous=CommentState("passed", {})
    )
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    html = [t.content for t in tokens if t.type == "html_block"]
    hidden = body.splitlines()[:2]
    assert html == [line + "\n" for line in hidden]  # only our two hidden lines are HTML
    assert all(line.count("-->") == 1 for line in hidden)
    assert "@everyone" not in body
