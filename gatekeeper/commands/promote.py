"""`gatekeeper promote [PHASE]`: tag HEAD as having completed a phase, only through its gate.

The gate is the engine's, on the evidence in the root folder, exactly as `check --phase
PHASE` would decide it; the tag is annotated and carries the rendered matrix. Locally it stays
local (the command to push it is printed); in the Action (GITHUB_ACTIONS=true with
GITHUB_TOKEN and GITHUB_REPOSITORY, unless --local) it is made through the GitHub API, with a
release whose notes are the Markdown report. Refusals exit 2 and change nothing; a failing
gate exits 1 (3 with no evidence at all) and creates nothing; a tag made without its release
exits 4, and on GitHub a rerun on that commit completes the release. In GitHub Actions the
step outputs ``verdict`` and ``tag`` (the tag made or completed, empty when none) are written
once the gate is judged.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path

from gatekeeper import __version__
from gatekeeper.commands import as_of, use_color
from gatekeeper.commands.options import PromoteOptions
from gatekeeper.commands.project import judge, open_project, phase_name_of, read_standing
from gatekeeper.errors import ExitCode, UsageError
from gatekeeper.github import actions_io
from gatekeeper.github.api import open_client
from gatekeeper.github.tags import GitHubTags, tag_store
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
from gatekeeper.phases.tags import Standing
from gatekeeper.reporters import RenderOptions, markdown, terminal
from gatekeeper.reporters.common import verdict
from gatekeeper.results import Report, exit_code
from gatekeeper.text import plain


def _say(text: str) -> None:
    print(f"gatekeeper: {text}", file=sys.stderr)


def promote(
    options: PromoteOptions, matrix: Matrix, root: Path, store: PhaseTagStore,
    environ: Mapping[str, str],
) -> int:  # fmt: skip
    """The whole command against any store of phase tags (local git, or an API later)."""
    head = store.commit("HEAD")
    if isinstance(store, LocalGit):  # the tag records HEAD: judge by the matrix it holds
        refuse_uncommitted(store, Path(matrix.path))
    here = read_standing(store, matrix, head)
    unfinished = _unfinished(store, here, head, options.phase)
    phase = unfinished or target_phase(matrix, here, options.phase)
    tag = matrix.phase_tag(phase)
    existing = store.find_tag(tag)
    if unfinished is None and existing is not None and existing.commit == head:
        unfinished = phase if _release_missing(store, tag) else None
    if unfinished is None:
        refuse_existing(tag, existing, store.describe(existing.commit) if existing else "", head)
        refuse_covered(matrix, here, phase)
    else:
        _say(f"tag {tag} is on this commit without its release: completing the promotion")
    for warning in store.warnings():
        _say(f"warning: {warning}")
    name = phase_name_of(matrix, phase)
    passed_over = skipped(matrix, here, phase)
    if passed_over:
        names = ", ".join(phase_name_of(matrix, p) for p in passed_over)
        _say(f"promoting to {name} passes over {names}: the {name} gate covers their cells, "
             "and they get no tag of their own")  # fmt: skip
    report = judge(matrix, root, phase, as_of(options.as_of))
    code = exit_code(report)
    sys.stdout.write(terminal.render(report, RenderOptions(int(code), color=use_color(environ))))
    described = plain(store.describe(head))
    if code is not ExitCode.PASSED:
        _say(f"the {name} gate does not pass on {described}: no tag {tag} created")
        _step_outputs(environ, report, code, "")
        return int(code)
    text = terminal.render(report, RenderOptions(int(code), exit_line=False))
    message = tag_message(matrix, phase, head, text, __version__, options.message)
    if isinstance(store, GitHubTags):
        notes = markdown.render(report, RenderOptions(int(code))).rstrip()
        notes += f"\n\nPromoted to {name} ({phase}) on {head} by gatekeeper {__version__}.\n"
        if unfinished is not None:
            done = _release_only(store, tag, head, notes, options.dry_run)
        else:
            done = _on_github(store, tag, head, message, notes, options.dry_run)
        _step_outputs(environ, report, code, "" if options.dry_run else tag)
        return done
    if options.dry_run:
        subject = plain(message.partition("\n")[0])
        print(f"dry run: would create the annotated tag {tag} on {described}: {subject!r}")
        print("dry run: nothing created")
        _step_outputs(environ, report, code, "")
        return int(code)
    store.create_tag(tag, head, message)
    _step_outputs(environ, report, code, tag)
    print(f"created the annotated tag {tag} on {described}")
    for step in (*store.next_steps(tag), *after_promotion(matrix, phase)):
        print(step)
    return int(code)


def refuse_uncommitted(store: LocalGit, path: Path) -> None:
    """A matrix file that differs from HEAD's would tag HEAD by a gate HEAD does not hold (a
    threshold loosened in the working tree): refused, naming the file (exit 2)."""
    why = store.uncommitted(path)
    if why is not None:
        raise UsageError(
            f"{path}: {why}: promote tags the commit HEAD, so it judges by the matrix "
            f"committed there; commit the matrix file (or undo the change) and run it again"
        )


def after_promotion(matrix: Matrix, phase: str) -> tuple[str, ...]:
    """What the team changes now: ``current:`` of the matrix, when it names the phase just
    completed or one before it."""
    if matrix.current is None or matrix.phase_index(matrix.current) > matrix.phase_index(phase):
        return ()
    index = matrix.phase_index(phase)
    if index + 1 == len(matrix.phases):
        return (f"{matrix.path} sets current: {matrix.current}; every phase is now complete",)
    following = matrix.phases[index + 1]
    return (
        f"{matrix.path} sets current: {matrix.current}; set current: {following.id} when work "
        f"on {plain(following.name)} starts (check enforces the gate of current)",
    )


def _step_outputs(environ: Mapping[str, str], report: Report, code: ExitCode, tag: str) -> None:
    """The step outputs, in GitHub Actions; a file that cannot be written is only a warning."""
    path = environ.get("GITHUB_OUTPUT")
    if environ.get("GITHUB_ACTIONS") != "true" or not path:
        return
    try:
        actions_io.write_outputs(Path(path), {"verdict": verdict(report, int(code)), "tag": tag})
    except OSError as exc:
        _say(f"warning: could not write the step outputs: {exc.strerror or exc}")


def _release_missing(store: PhaseTagStore, tag: str) -> bool:
    return isinstance(store, GitHubTags) and store.release_missing(tag)


def _unfinished(
    store: PhaseTagStore, here: Standing, head: str, requested: str | None
) -> str | None:
    """In GitHub mode, the phase whose tag is on ``head`` without its release (a promotion
    cut short after its ref): a rerun completes it rather than refusing or moving on."""
    if requested is not None or here.highest is None:
        return None
    top = dict(here.tags)[here.highest]
    if top.commit != head or not _release_missing(store, top.name):
        return None
    return here.highest


def _release_only(store: GitHubTags, tag: str, head: str, notes: str, dry_run: bool) -> int:
    """The tag exists on ``head``: make its missing release, or with --dry-run show it."""
    body = store.bodies(tag, head, "", notes).release
    if dry_run:
        print(f"dry run: would POST {store.repo_url}/releases (release):")
        print(json.dumps(body, indent=2, ensure_ascii=False))
        print("dry run: nothing sent")
        return int(ExitCode.PASSED)
    store.complete_release(tag, head, body)
    print(
        f"created the release of the existing tag {tag} on {store.describe(head)} through the API"
    )
    for step in store.next_steps(tag):
        print(step)
    return int(ExitCode.PASSED)


def _on_github(
    store: GitHubTags, tag: str, head: str, message: str, notes: str, dry_run: bool
) -> int:
    """The gate passed: tag object, ref and release, or with --dry-run their bodies."""
    described = store.describe(head)
    if dry_run:
        bodies = store.bodies(tag, head, message, notes)
        for what, path, body in (
            ("tag object", "git/tags", bodies.tag), ("ref", "git/refs", bodies.ref),
            ("release", "releases", bodies.release),
        ):  # fmt: skip
            print(f"dry run: would POST {store.repo_url}/{path} ({what}):")
            print(json.dumps(body, indent=2, ensure_ascii=False))
        print("dry run: nothing sent")
        return int(ExitCode.PASSED)
    store.publish(tag, head, message, notes)
    print(f"created the annotated tag {tag} and its release on {described} through the API")
    for step in store.next_steps(tag):
        print(step)
    return int(ExitCode.PASSED)


def run_promote(options: PromoteOptions, environ: Mapping[str, str]) -> int:
    as_of(options.as_of)  # a bad --as-of is refused before any work
    matrix, root = open_project(options.matrix, options.root)  # a broken matrix comes first
    client = open_client(environ)  # the run's one GitHub client
    store = tag_store(root, client, local=options.local)
    return promote(options, matrix, root, store, environ)
