"""`gatekeeper status`: the phase a commit stands in by its phase tags, then the matrix.

Read-only. The matrix is evaluated on the evidence in the root folder with the gate of the
next phase enforced (the last phase's once every phase is tagged); its verdict is shown,
not turned into an exit code: status exits 0 unless the matrix or git fails (2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gatekeeper.collect import collect
from gatekeeper.commands import locate_matrix, project_root
from gatekeeper.engine import evaluate
from gatekeeper.errors import ExitCode
from gatekeeper.matrix.load import read_matrix
from gatekeeper.model import Matrix
from gatekeeper.phases.git import LocalGit
from gatekeeper.phases.store import PhaseTagStore
from gatekeeper.phases.tags import Standing, standing, tag_glob
from gatekeeper.reporters import RenderOptions, terminal
from gatekeeper.results import Report
from gatekeeper.text import plain

if TYPE_CHECKING:
    from gatekeeper.github.api import GitHubClient


def open_project(matrix_arg: str | None, root_arg: str | None) -> tuple[Matrix, Path]:
    """The matrix, and the root folder: the one artifact globs start from and git runs in."""
    path = locate_matrix(matrix_arg)
    matrix = read_matrix(path, str(path))
    return matrix, project_root(path, root_arg)


def read_standing(store: PhaseTagStore, matrix: Matrix, commit: str) -> Standing:
    """Where ``commit`` stands; a tag that fits the pattern but names no phase is a warning."""
    here = standing(matrix, commit, store.reachable_tags(commit, tag_glob(matrix.phase_tags)))
    for name in here.ignored:
        print(
            f"gatekeeper: warning: tag {plain(name)} fits phase_tags {matrix.phase_tags!r} but "
            f"names no phase of {matrix.path}; ignored",
            file=sys.stderr,
        )
    return here


def tag_store(root: Path, client: GitHubClient, *, local: bool = False) -> PhaseTagStore:
    """Where phase tags are read and made: the GitHub API, through the run's ``client``, in
    the Action (GITHUB_ACTIONS=true with GITHUB_TOKEN and GITHUB_REPOSITORY) unless
    ``local``, else the repository at ``root``."""
    if client.ctx.actions and client.usable and not local:
        from gatekeeper.github.tags import GitHubTags

        return GitHubTags(client)
    return LocalGit(root)


def judge(matrix: Matrix, root: Path, phase: str) -> Report:
    """The engine's verdict on the evidence in ``root``, enforcing ``phase``'s gate."""
    today = dt.datetime.now(dt.timezone.utc).date()
    return evaluate(matrix, collect(matrix, root), today, phase)


def use_color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


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
            else f"its gate does not pass yet ({len(gate.blocking)} cell(s) not met)"
        )
        lines.append(f"working on {phase_name_of(matrix, here.next)}: {verdict}")
    if matrix.current is not None and matrix.current != (here.next or here.highest):
        lines.append(
            f"note: {matrix.path} sets current: {matrix.current}; `check` enforces that "
            "gate unless told otherwise"
        )
    return lines


def phase_name_of(matrix: Matrix, phase_id: str) -> str:
    return plain(matrix.phase_name(phase_id))


def run_status(args: argparse.Namespace) -> int:
    matrix, root = open_project(args.matrix, args.root)
    store = LocalGit(root)
    commit = store.commit(args.commit)
    here = read_standing(store, matrix, commit)
    report = judge(matrix, root, here.next or matrix.phases[-1].id)
    lines = standing_lines(matrix, here, store.describe(commit), args.commit, report)
    sys.stdout.write("\n".join(lines) + "\n\n")
    options = RenderOptions(exit_code=int(ExitCode.PASSED), color=use_color())
    sys.stdout.write(terminal.render(report, options))
    return int(ExitCode.PASSED)
