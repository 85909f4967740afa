"""`gatekeeper promote [PHASE]`: tag HEAD as having completed a phase, only through its gate.

The gate is the engine's, on the evidence in the root folder, exactly as `check --phase
PHASE` would decide it; the tag is annotated, carries the rendered matrix, and stays local
(the command to push it is printed). Refusals exit 2 and change nothing; a failing gate exits
1 (3 with no evidence at all) and creates nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gatekeeper import __version__
from gatekeeper.commands.check import exit_code
from gatekeeper.commands.status import judge, open_project, phase_name_of, read_standing, use_color
from gatekeeper.errors import ExitCode
from gatekeeper.model import Matrix
from gatekeeper.phases.git import LocalGit
from gatekeeper.phases.promotion import (
    refuse_covered,
    refuse_existing,
    skipped,
    tag_message,
    target_phase,
)
from gatekeeper.phases.store import PhaseTagStore
from gatekeeper.reporters import RenderOptions, terminal
from gatekeeper.reporters.common import plain


def _say(text: str) -> None:
    print(f"gatekeeper: {text}", file=sys.stderr)


def promote(args: argparse.Namespace, matrix: Matrix, root: Path, store: PhaseTagStore) -> int:
    """The whole command against any store of phase tags (local git, or an API later)."""
    head = store.commit("HEAD")
    here = read_standing(store, matrix, head)
    phase = target_phase(matrix, here, args.phase)
    tag = matrix.phase_tag(phase)
    existing = store.find_tag(tag)
    refuse_existing(tag, existing, store.describe(existing.commit) if existing else "", head)
    refuse_covered(matrix, here, phase)
    for warning in store.warnings():
        _say(f"warning: {warning}")
    name = phase_name_of(matrix, phase)
    passed_over = skipped(matrix, here, phase)
    if passed_over:
        names = ", ".join(phase_name_of(matrix, p) for p in passed_over)
        _say(f"promoting to {name} passes over {names}: the {name} gate covers their cells, "
             "and they get no tag of their own")  # fmt: skip
    report = judge(matrix, root, phase)
    code = exit_code(report)
    sys.stdout.write(terminal.render(report, RenderOptions(int(code), color=use_color())))
    described = plain(store.describe(head))
    if code is not ExitCode.PASSED:
        _say(f"the {name} gate does not pass on {described}: no tag {tag} created")
        return int(code)
    text = terminal.render(report, RenderOptions(int(code), color=False))
    message = tag_message(matrix, phase, head, text, __version__, args.message)
    if args.dry_run:
        subject = plain(message.partition("\n")[0])
        print(f"dry run: would create the annotated tag {tag} on {described}: {subject!r}")
        print("dry run: nothing created")
        return int(code)
    store.create_tag(tag, head, message)
    print(f"created the annotated tag {tag} on {described}")
    for step in store.next_steps(tag):
        print(step)
    return int(code)


def run_promote(args: argparse.Namespace) -> int:
    matrix, root = open_project(args.matrix, args.root)  # a broken matrix is reported first
    return promote(args, matrix, root, LocalGit(root))
