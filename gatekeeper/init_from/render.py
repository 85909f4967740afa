"""The drafted matrix as YAML text, written by hand so that it can carry the comments a
person needs (today's values, what was left out and why), and every string in it quoted
so that YAML reads back exactly the name a tool wrote, whatever it holds."""

from __future__ import annotations

import re
from collections.abc import Sequence

from gatekeeper.init_from.analysis import LEVEL
from gatekeeper.init_from.families import Family, unique
from gatekeeper.init_from.propose import LeftOut, Proposal
from gatekeeper.init_from.scan import Scanned
from gatekeeper.records import record
from gatekeeper.text import plain, yaml_quoted

SCHEMA = (
    "https://raw.githubusercontent.com/gatekeeper-ci/gatekeeper/main/schemas/matrix.schema.json"
)
FIRST, NEXT = "stone", "bronze"
"""The two phases a draft starts with."""
MAX_UNREAD_LISTED = 20
_NOT_YAML_TEXT = re.compile("[\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
"""Beside control characters, what YAML reads as a line break or refuses in a scalar."""
_TODO = "TODO: decide"


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


quoted = yaml_quoted
"""``text`` as a YAML double-quoted scalar that reads back as ``text`` (``text.yaml_quoted``,
as ``gatekeeper inspect`` prints selectors)."""


def _comment(text: str) -> str:
    """Untrusted text for a comment: on one line, inert (``plain``), never a lone surrogate."""
    return _NOT_YAML_TEXT.sub(_escape, plain(text))


@record
class Draft:
    """Everything the matrix text is made of."""

    command: str
    """How it was made, for its first line: ``gatekeeper init --from reports``."""
    project: str
    scanned: tuple[Scanned, ...]
    families: tuple[Family, ...]
    kept: tuple[Proposal, ...]
    left_out: tuple[LeftOut, ...]
    left_unread: int = 0


def render(draft: Draft) -> str:
    lines = _header(draft)
    lines += [
        "version: 1",
        f"project: {quoted(draft.project)}",
        "",
        "# The phase the team is working to complete: `gatekeeper check` enforces its gate.",
        f"current: {FIRST}",
        "",
        "# One phase to start, holding every proposed benchmark. Add the next ones in order",
        f"# (uncomment {NEXT}, then give it cells): a benchmark belongs to the phase whose id",
        "# its cell is under; move it there to raise the bar later. A phase added with no",
        "# benchmark yet passes as soon as the phases before it do.",
        "phases:",
        f"  - {{id: {FIRST}, name: Stone, theme: What CI proves today}}",
        f"  # - {{id: {NEXT}, name: Bronze, theme: The next milestone}}",
        "",
        "# Evidence CI produces; paths are globs from the folder this file reads paths from.",
        "artifacts:",
    ]
    for family in draft.families:
        paths = ", ".join(quoted(p) for p in family.patterns)
        count = len(family.files)
        lines += [
            f"  {quoted(family.id)}:",
            f"    format: {family.format}",
            f"    paths: [{paths}]  # {count} file{'s' if count != 1 else ''} today",
        ]
    lines += ["", "# One swimlane per group of tests or series found; rename and regroup them.",
              "swimlanes:"]  # fmt: skip
    lines += _swimlanes(draft.kept)
    lines += _left_out(draft.left_out)
    lines += ["", "waivers: []"]
    return "\n".join(lines) + "\n"


def _header(draft: Draft) -> list[str]:
    files = len(draft.scanned) + draft.left_unread
    lines = [
        f"# gatekeeper phase matrix, drafted by `{_comment(draft.command)}` from {files} "
        f"file{'s' if files != 1 else ''}.",
        "# Every threshold and count is from today's values (with headroom where a value",
        "# varies run to run; its comment says), and marked TODO: decide: a proposal for a",
        "# person to confirm. Reference: "
        "https://github.com/gatekeeper-ci/gatekeeper#the-matrix-file",
    ]
    unread = [s for s in draft.scanned if s.parsed is None]
    if unread or draft.left_unread:
        lines += ["#", f"# Not read ({len(unread) + draft.left_unread}): the format could not "
                  "be told, or the file could not be read:"]  # fmt: skip
        for found in unread[:MAX_UNREAD_LISTED]:
            lines.append(f"#   {_comment(found.path)}: {_comment(found.problem)[:160]}")
        more = len(unread) - MAX_UNREAD_LISTED + draft.left_unread
        if more > 0:
            lines.append(f"#   … and {more} more")
    lines.append(f"# yaml-language-server: $schema={SCHEMA}")
    return lines


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("(", "")).strip("-")
    return slug[:40].rstrip("-") or "lane"


def _swimlanes(kept: Sequence[Proposal]) -> list[str]:
    if not kept:
        return [
            "  # No benchmark passes today (see what was left out below): `check` will not",
            "  # pass until one is added here.",
            "  - id: to-do",
            "    name: To do",
            "    cells: {}",
        ]
    lanes: dict[tuple[str, str], list[Proposal]] = {}
    for proposal in kept:
        lanes.setdefault((proposal.artifact, proposal.lane), []).append(proposal)
    lines: list[str] = []
    taken: set[str] = set()
    for (_, name), proposals in lanes.items():
        lines += [
            f"  - id: {quoted(unique(_slug(name), taken))}",
            f"    name: {quoted(name)}",
            "    cells:",
            f"      {FIRST}:",
            f"        goal: {quoted(_goal(proposals[0]))}",
            "        benchmarks:",
        ]
        ids: set[str] = set()
        for proposal in proposals:
            lines += _benchmark(proposal, "          ", unique(_id(proposal, proposals), ids))
    return lines


def _id(proposal: Proposal, lane: Sequence[Proposal]) -> str:
    if proposal.findings is not None:
        return f"{_slug(proposal.findings.tool)}-errors" if proposal.findings.tool else "errors"
    if proposal.threshold:
        return _slug(proposal.threshold.split()[0])
    if len(lane) == 1 or not proposal.selects:
        return "tests"
    return _slug(proposal.selects[-1][1])


def _goal(proposal: Proposal) -> str:
    if proposal.findings is not None:
        return "No more errors than today"
    if proposal.threshold:
        return f"{proposal.lane} within budget"
    return f"{proposal.lane}: its tests pass" if proposal.selects else "the tests pass"


def _benchmark(proposal: Proposal, indent: str, identity: str) -> list[str]:
    """The benchmark's lines, each starting with ``indent``."""
    if proposal.findings is not None:
        tool = f", tool: {quoted(proposal.findings.tool)}" if proposal.findings.tool else ""
        return [
            f"{indent}- id: {quoted(identity)}",
            f"{indent}  findings: {{from: {quoted(proposal.artifact)}, level: {LEVEL}{tool}, "
            f"max: {proposal.findings.max}}}  # {_note(proposal)}",
        ]
    if proposal.threshold:
        name = quoted(proposal.selects[0][1])
        return [
            f"{indent}- id: {quoted(identity)}",
            f"{indent}  metric: {{from: {quoted(proposal.artifact)}, name: {name}}}",
            f"{indent}  threshold: {quoted(proposal.threshold)}  # {_note(proposal)}",
        ]
    select = "".join(f", {key}: {quoted(value)}" for key, value in proposal.selects)
    return [
        f"{indent}- id: {quoted(identity)}",
        f"{indent}  tests: {{from: {quoted(proposal.artifact)}{select}, min: {proposal.min_count}, "
        f"pass_rate: 100%}}  # {_note(proposal)}",
    ]


def _note(proposal: Proposal) -> str:
    return f"{_comment(proposal.note)} — {_TODO}" if proposal.note else _TODO


def _left_out(left: Sequence[LeftOut]) -> list[str]:
    if not left:
        return []
    lines = ["", "# Found, but not judged by any benchmark above (TODO: decide):"]
    for item in left:
        lines.append(f"#   {item.artifact}: {_comment(item.what)}: {_comment(item.reason)}")
        if item.draft is not None:
            lines += [f"#   {line}" for line in _benchmark(item.draft, "  ", _id(item.draft, ()))]
    return lines
