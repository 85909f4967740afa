"""`gatekeeper status`: the phase a commit stands in by its phase tags, then the matrix.

Read-only. The matrix is evaluated on the evidence in the root folder with the gate of the
next phase enforced (the last phase's once every phase is tagged); its verdict is shown,
not turned into an exit code: status exits 0 unless the matrix or git fails (2).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from gatekeeper.commands import as_of, use_color
from gatekeeper.commands.options import StatusOptions
from gatekeeper.commands.project import judge, open_project, phase_name_of, read_standing
from gatekeeper.errors import ExitCode
from gatekeeper.model import Matrix
from gatekeeper.phases.git import LocalGit
from gatekeeper.phases.tags import Standing
from gatekeeper.reporters import RenderOptions, terminal
from gatekeeper.results import Report
from gatekeeper.text import plain
from gatekeeper.words import count

if TYPE_CHECKING:
    pass


def standing_lines(
    matrix: Matrix, here: Standing, described: str, ref: str, report: Report
) -> list[str]:
    """The commit, its phase tags, the gaps they leave, and the phase being worked on."""
    lines = [f"commit {plain(described)} at {plain(ref)}"]
    if here.highest is None:
        lines.append(f"stands at no phase: no tag named {matrix.phase_tags!r} is reachable")
    else:
        tags = ", ".join(f"{plain(t.name)} on {t.commit[:12]}" for _, t in here.tags)
        lines.append(f"stands at {phase_name_of(matrix, here.highest)} by its phase tags: {tags}")
    lightweight = [t.name for _, t in here.tags if not t.annotated]
    if lightweight:
        names = ", ".join(plain(n) for n in lightweight)
        lines.append(f"lightweight (made by hand, not by `gatekeeper promote`): {names}")
    if here.untagged:
        names = ", ".join(phase_name_of(matrix, p) for p in here.untagged)
        lines.append(f"no tag of their own: {names} (covered: a gate includes every earlier cell)")
    if here.next is None:
        lines.append("every phase is complete")
    else:
        gate = report.gate(here.next)
        verdict = (
            "its gate passes: `gatekeeper promote` tags it"
            if gate.passed
            else f"its gate does not pass yet ({count(len(gate.blocking), 'cell')} not met)"
        )
        lines.append(f"working on {phase_name_of(matrix, here.next)}: {verdict}")
    if matrix.current is not None and matrix.current != (here.next or here.highest):
        lines.append(
            f"note: {matrix.path} sets current: {matrix.current}; `check` enforces that "
            "gate unless told otherwise"
        )
    return lines


def run_status(options: StatusOptions, environ: Mapping[str, str]) -> int:
    matrix, root = open_project(options.matrix, options.root)
    store = LocalGit(root)
    commit = store.commit(options.commit)
    here = read_standing(store, matrix, commit)
    report = judge(matrix, root, here.next or matrix.phases[-1].id, as_of(options.as_of))
    lines = standing_lines(matrix, here, store.describe(commit), options.commit, report)
    sys.stdout.write("\n".join(lines) + "\n\n")
    # a view of the matrix: its gate's verdict is shown, the exit code is status's own
    rendering = RenderOptions(int(ExitCode.PASSED), color=use_color(environ), exit_line=False)
    sys.stdout.write(terminal.render(report, rendering))
    return int(ExitCode.PASSED)
