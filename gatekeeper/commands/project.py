"""What several commands share: the project (its matrix and root folder), the verdict on
its evidence, and where a commit stands by its phase tags (``status``, ``promote`` and the
pull request rules of ``check``)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from gatekeeper.collect import collect, searched_from
from gatekeeper.commands import locate_matrix, project_root
from gatekeeper.engine import evaluate
from gatekeeper.matrix.load import read_matrix
from gatekeeper.model import Matrix
from gatekeeper.phases.store import PhaseTagStore
from gatekeeper.phases.tags import Standing, standing, tag_glob
from gatekeeper.results import Report
from gatekeeper.text import plain


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


def judge(matrix: Matrix, root: Path, phase: str, moment: dt.datetime | None = None) -> Report:
    """The engine's verdict on the evidence in ``root``, enforcing ``phase``'s gate, as of
    ``moment`` (default: now)."""
    now = moment or dt.datetime.now(dt.timezone.utc)
    return evaluate(matrix, searched_from(collect(matrix, root), root), now, phase)


def phase_name_of(matrix: Matrix, phase_id: str) -> str:
    return plain(matrix.phase_name(phase_id))
