"""The sticky pull request comment: hidden marker, hidden state, the report, what changed.

The marker finds the comment again (with its author, see ``publish``); the state line
records every cell's colour so the next run can say what changed since this one.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from gatekeeper.github.fit import Kind, Part, fit, split_report
from gatekeeper.github.payloads import ELSEWHERE
from gatekeeper.reporters.common import STATE_WORDS, phase_name, verdict
from gatekeeper.reporters.markdown import MARKERS, escape
from gatekeeper.results import CellState, Report

COMMENT_LIMIT = 65_536
"""GitHub's limit on a comment body, in characters (not bytes): GitHub answers 422 "Body is
too long (maximum is 65536 characters)"; the OpenAPI description gives no maxLength."""
STATE_PREFIX = "<!-- gatekeeper:state "
_STATE_SUFFIX = " -->"
_STATE_LIMIT = 16_384
"""A state line longer than this is left out: the next run then says nothing changed-wise."""
_STATE_VERSION = 1


def marker(check_name: str) -> str:
    """The hidden first line; the name is percent-encoded so no name can end the comment."""
    return f"<!-- gatekeeper:comment check-name={urllib.parse.quote(check_name, safe='')} -->"


@dataclass(frozen=True)
class CommentState:
    """Enough of a report to tell what changed."""

    verdict: str
    cells: Mapping[str, str]
    """swimlane/phase -> green, red or grey (blank cells are left out)."""


def state_of(report: Report, exit_code: int) -> CommentState:
    cells = {c.cell.ref: c.state.value for c in report.cells if c.state is not CellState.BLANK}
    return CommentState(verdict(report, exit_code), cells)


def state_line(state: CommentState) -> str:
    data = {"version": _STATE_VERSION, "verdict": state.verdict, "cells": dict(state.cells)}
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    # '>' could close the HTML comment, '<' and '&' could start markup: JSON's \u escapes
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return STATE_PREFIX + text + _STATE_SUFFIX


def read_state(body: str) -> CommentState | None:
    """The state a previous comment recorded; None when absent or not understood."""
    for line in body.splitlines():
        if line.startswith(STATE_PREFIX) and line.endswith(_STATE_SUFFIX):
            try:
                data = json.loads(line[len(STATE_PREFIX) : -len(_STATE_SUFFIX)])
            except ValueError:
                return None
            return _state_from(data)
    return None


def _state_from(data: object) -> CommentState | None:
    if not isinstance(data, dict) or data.get("version") != _STATE_VERSION:
        return None
    found, cells = data.get("verdict"), data.get("cells")
    if not isinstance(found, str) or not isinstance(cells, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in cells.items()):
        return None
    return CommentState(found, cells)


def changed(previous: CommentState | None, current: CommentState) -> bool:
    return previous is None or previous != current


def changes(report: Report, previous: CommentState, current: CommentState) -> list[str]:
    """The 'Since the last run' section: the verdict and every cell whose colour moved."""
    lines = ["### Since the last run", ""]
    if previous.verdict != current.verdict:
        lines.append(f"- verdict: {escape(previous.verdict)} → **{current.verdict}**")
    for ref in sorted(set(previous.cells) | set(current.cells), key=lambda r: _order(report, r)):
        before, after = previous.cells.get(ref), current.cells.get(ref)
        if before != after:
            lines.append(f"- {_cell_name(report, ref)}: {_word(before)} → {_word(after)}")
    if len(lines) == 2:
        lines.append("Nothing changed.")
    return [*lines, ""]


def _order(report: Report, ref: str) -> tuple[int, int, str]:
    lane, _, phase = ref.partition("/")
    lanes = [s.id for s in report.matrix.swimlanes]
    phases = [p.id for p in report.matrix.phases]
    last = len(lanes) + len(phases)  # cells no longer in the matrix go after the others
    lane_at = lanes.index(lane) if lane in lanes else last
    return lane_at, phases.index(phase) if phase in phases else last, ref


def _cell_name(report: Report, ref: str) -> str:
    lane_id, _, phase_id = ref.partition("/")
    lane = next((s.name for s in report.matrix.swimlanes if s.id == lane_id), None)
    if lane is None or phase_id not in [p.id for p in report.matrix.phases]:
        return escape(ref)
    return f"**{escape(lane)}** × {escape(phase_name(report, phase_id))}"


def _word(state: str | None) -> str:
    try:
        known = CellState(state)
    except ValueError:
        return "no cell" if state is None else escape(state)
    return f"{MARKERS[known]} {STATE_WORDS[known] or 'no cell'}"


def body(
    report: Report,
    exit_code: int,
    markdown: str,
    *,
    check_name: str,
    previous: CommentState | None,
    limit: int = COMMENT_LIMIT,
) -> str:
    """The whole comment, within ``limit`` characters."""
    current = state_of(report, exit_code)
    hidden = [marker(check_name)]
    line = state_line(current)
    if len(line) <= _STATE_LIMIT:
        hidden.append(line)
    parts = [Part(Kind.FIXED, tuple(hidden)), *split_report(markdown)]
    if previous is not None:
        at = next(i for i, p in enumerate(parts) if p.kind is Kind.HEAD) + 1
        parts.insert(at, Part(Kind.CHANGES, tuple(changes(report, previous, current))))
    return fit(parts, limit, elsewhere=ELSEWHERE)
