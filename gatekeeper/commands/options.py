"""Every command's options: how the command line spells them (``add_*``, beside the record),
and the frozen, typed record a command receives (``CheckOptions`` …). ``cli`` builds the
parser from ``COMMANDS`` and turns the parsed words into the command's record
(``options_from``), so mypy checks every option a command reads, and a test holds each
record's fields to its parser's.

Light on purpose: only argparse and the records are imported here (start-up time: the parser
is built on every run, the commands' own modules only when one runs).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from gatekeeper import DEFAULT_MATRIX
from gatekeeper.records import record

OUTPUT_FORMATS = ("terminal", "markdown", "json", "html", "badge")
"""The reporters (gatekeeper.reporters.REPORTERS, not imported here: startup time)."""
ON_OFF = ("on", "off")
COMMENT_MODES = ("always", "on-change", "on-failure", "off")  # publish.CommentMode, unimported


def _root_option(parser: argparse.ArgumentParser, extra: str = "") -> None:
    parser.add_argument(
        "--root",
        metavar="DIR",
        help=f"folder that artifact globs are relative to{extra} "
        "(default: the matrix file's folder; for a matrix in .github/, the folder that holds "
        ".github/)",
    )


def _matrix_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--matrix",
        "-m",
        metavar="FILE",
        help=f"the matrix file (default: ./{DEFAULT_MATRIX}, else ./.github/{DEFAULT_MATRIX})",
    )


def _as_of_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of", metavar="DATE",
        help="judge as of this moment instead of now: an ISO date (its last moment, UTC) or "
        "date and time (2026-12-04T03:10:00Z); evidence ages (max_age) and waiver expiry are "
        "measured to it, so a past verdict can be reproduced",
    )  # fmt: skip


def _github_options(check: argparse.ArgumentParser) -> None:
    """Reporting to GitHub: used in GitHub Actions (GITHUB_ACTIONS=true) with GITHUB_TOKEN."""
    check.add_argument(
        "--check-name",
        metavar="NAME",
        default="gatekeeper",
        help="name of the check run and commit status context; the name to make required "
        "(default: gatekeeper)",
    )
    check.add_argument(
        "--github-check",
        choices=ON_OFF,
        default="on",
        help="create or update a check run with annotations for the commit (default: on)",
    )
    check.add_argument(
        "--github-status",
        choices=ON_OFF,
        default="off",
        help="also set a commit status, for tokens that cannot write checks (default: off)",
    )
    check.add_argument(
        "--comment",
        choices=COMMENT_MODES,
        default="always",
        help="the pull request comment, updated in place: always, on-change (when a cell "
        "changed), on-failure (once the gate fails), off (default: always)",
    )
    check.add_argument(
        "--job-summary",
        choices=ON_OFF,
        default="on",
        help="append the Markdown report to $GITHUB_STEP_SUMMARY (default: on)",
    )


def _pull_request_options(check: argparse.ArgumentParser) -> None:
    """The pull request rules; in GitHub Actions the event supplies all of it."""
    check.add_argument(
        "--pull-request", action="store_true",
        help="judge as a pull request: no regression of the phases achieved, next-phase work "
        "held back, current-phase progress reported (automatic on pull_request, "
        "pull_request_target, merge_group, and workflow_run from a pull request)",
    )  # fmt: skip
    check.add_argument(
        "--label", metavar="LABEL", action="append", default=[],
        help="a label of the pull request, e.g. phase:steel; repeatable (with --pull-request)",
    )  # fmt: skip
    check.add_argument(
        "--branch", metavar="NAME",
        help="the pull request's branch, for the matrix's next-phase branch convention "
        "(with --pull-request)",
    )  # fmt: skip
    check.add_argument(
        "--current", metavar="PHASE",
        help="the phase being worked on, instead of `current` in the matrix file or the phase "
        "tags reachable from the commit (with --pull-request)",
    )  # fmt: skip
    check.add_argument(
        "--changed-files", metavar="FILE",
        help="the pull request's changed files, one path a line ('-': standard input), to "
        "highlight the swimlanes it touches (in GitHub: read from the API)",
    )  # fmt: skip
    check.add_argument(
        "--delete-failed-tag", action="store_true",
        help="on the push of a phase tag whose gate does not pass, delete the tag through the "
        "GitHub API (needs contents: write)",
    )  # fmt: skip


def _history_options(check: argparse.ArgumentParser) -> None:
    """The project's history: shown on the HTML page, recorded on the default branch."""
    check.add_argument(
        "--history", metavar="PATH", action="append", default=[],
        help="history to show on the HTML page (trends, the dates phases were reached): a JSON "
        "Lines file or a folder of them, as the history branch holds; repeatable",
    )  # fmt: skip
    check.add_argument(
        "--history-branch", metavar="BRANCH",
        help="in GitHub Actions: show the history kept on BRANCH on the HTML page, and on a push "
        "to the default branch add this evaluation to it through the API (needs contents: write)",
    )  # fmt: skip


def _check_options(check: argparse.ArgumentParser) -> None:
    _matrix_option(check)
    _root_option(check)
    check.add_argument(
        "--phase",
        metavar="PHASE",
        help="enforce the gate of this phase (default: `current` in the matrix file)",
    )
    check.add_argument(
        "--phase-from-tag",
        metavar="TAG",
        help="enforce the gate of the phase this phase tag records (on a push of a phase tag, "
        "GITHUB_REF names it when --phase is not given)",
    )
    check.add_argument(
        "--format",
        choices=(*OUTPUT_FORMATS, "none"),
        default="terminal",
        help="what to print on standard output (default: terminal)",
    )
    check.add_argument(
        "--output",
        metavar="FORMAT:PATH",
        action="append",
        default=[],
        help="also write a report to a file, e.g. json:gate.json, html:gate.html or "
        "badge:gate.svg; repeatable",
    )
    check.add_argument(
        "--dry-run",
        action="store_true",
        help="post nothing anywhere; print the verdict locally (the same verdict CI gives) and, "
        "in a GitHub context, what would be posted",
    )
    check.add_argument(
        "--bundle", metavar="FILE", action="append", default=[],
        help="judge the evidence in this bundle (from `gatekeeper collect` or `merge`) instead "
        "of the artifact files; repeatable, the bundles are merged",
    )  # fmt: skip
    check.add_argument(
        "--fetch-bundles", metavar="GLOB", nargs="?", const="gatekeeper-bundle-*", default=None,
        help="judge the bundles uploaded as artifacts named GLOB (default: gatekeeper-bundle-*) "
        "by the workflow runs of the commit; needs GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_TOKEN",
    )  # fmt: skip
    check.add_argument(
        "--baseline", metavar="BUNDLE", action="append", default=[],
        help="the baseline evidence that baselines without `from` compare with: a bundle "
        "(from `gatekeeper collect` on the base commit); repeatable, the bundles are merged. "
        "Default on a pull request in GitHub: the bundle uploaded for the merge base",
    )  # fmt: skip
    check.add_argument(
        "--sha", metavar="SHA",
        help="the commit being judged: a bundle for another commit is not evidence (default: "
        "the GitHub event's commit, else GITHUB_SHA, else not checked)",
    )  # fmt: skip
    _pull_request_options(check)
    _github_options(check)
    _history_options(check)
    _as_of_option(check)
    check.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="the same as --as-of YYYY-MM-DD (kept for older workflows)",
    )
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour in the terminal report (auto: only on a TTY, and never when NO_COLOR is set)",
    )


@record
class CheckOptions:
    """``gatekeeper check``."""

    matrix: str | None
    root: str | None
    phase: str | None
    phase_from_tag: str | None
    format: str
    output: tuple[str, ...]
    dry_run: bool
    bundle: tuple[str, ...]
    fetch_bundles: str | None
    baseline: tuple[str, ...]
    sha: str | None
    pull_request: bool
    label: tuple[str, ...]
    branch: str | None
    current: str | None
    changed_files: str | None
    delete_failed_tag: bool
    check_name: str
    github_check: str
    github_status: str
    comment: str
    job_summary: str
    history: tuple[str, ...]
    history_branch: str | None
    as_of: str | None
    today: str | None
    color: str


def _validate_options(validate: argparse.ArgumentParser) -> None:
    validate.add_argument(
        "files", nargs="*", metavar="FILE", help=f"matrix files (default: ./{DEFAULT_MATRIX})"
    )


@record
class ValidateOptions:
    """``gatekeeper validate``."""

    files: tuple[str, ...]


def _inspect_options(inspect: argparse.ArgumentParser) -> None:
    from gatekeeper.parsers import AUTO, FORMAT_NAMES

    inspect.add_argument("artifacts", nargs="+", metavar="FILE", help="artifact files")
    inspect.add_argument(
        "--format",
        dest="artifact_format",
        default=AUTO,
        choices=FORMAT_NAMES,
        metavar="FORMAT",
        help="read the files as this format: auto (the default: detected from the content), "
        f"{', '.join(FORMAT_NAMES[1:])}",
    )


@record
class InspectOptions:
    """``gatekeeper inspect``."""

    artifacts: tuple[str, ...]
    artifact_format: str


def _status_options(status: argparse.ArgumentParser) -> None:
    _matrix_option(status)
    _root_option(status, ", in the git repository to read")
    status.add_argument(
        "--commit", metavar="REF", default="HEAD",
        help="the commit whose reachable phase tags count (default: HEAD)",
    )  # fmt: skip
    _as_of_option(status)


@record
class StatusOptions:
    """``gatekeeper status``."""

    matrix: str | None
    root: str | None
    commit: str
    as_of: str | None = None


def _promote_options(promote: argparse.ArgumentParser) -> None:
    promote.add_argument(
        "phase", nargs="?", metavar="PHASE",
        help="the phase completed (default: the one after the highest phase tagged)",
    )  # fmt: skip
    _matrix_option(promote)
    _root_option(promote, ", in the git repository to tag")
    promote.add_argument(
        "--dry-run", action="store_true",
        help="evaluate the gate and say what would be tagged; create nothing",
    )  # fmt: skip
    promote.add_argument(
        "--message", metavar="TEXT",
        help="the tag message's opening text; the verdict and the matrix always follow",
    )  # fmt: skip
    promote.add_argument(
        "--local", action="store_true",
        help="tag the local repository with git even in GitHub Actions (default there: the "
        "GitHub API, with a release)",
    )  # fmt: skip
    _as_of_option(promote)


@record
class PromoteOptions:
    """``gatekeeper promote``."""

    phase: str | None
    matrix: str | None
    root: str | None
    dry_run: bool
    message: str | None
    local: bool
    as_of: str | None = None


def _collect_options(collect: argparse.ArgumentParser) -> None:
    _matrix_option(collect)
    _root_option(collect)
    collect.add_argument(
        "--shard", metavar="NAME",
        help="this job's name among the shards, unique in the workflow run (default: "
        "GITHUB_JOB, else local)",
    )  # fmt: skip
    collect.add_argument(
        "--sha", metavar="SHA",
        help="the commit the evidence is for (default: the GitHub event's commit, else "
        "GITHUB_SHA, else git's HEAD)",
    )  # fmt: skip
    collect.add_argument(
        "--out", metavar="FILE", default="gatekeeper-bundle.json",
        help="where to write the bundle (default: gatekeeper-bundle.json)",
    )  # fmt: skip


@record
class CollectOptions:
    """``gatekeeper collect``."""

    matrix: str | None
    root: str | None
    shard: str | None
    sha: str | None
    out: str


def _merge_options(merge: argparse.ArgumentParser) -> None:
    merge.add_argument("bundles", nargs="+", metavar="BUNDLE", help="bundles to merge")
    merge.add_argument("--out", metavar="FILE", required=True, help="where to write the merge")


@record
class MergeOptions:
    """``gatekeeper merge``."""

    bundles: tuple[str, ...]
    out: str


def _init_options(init: argparse.ArgumentParser) -> None:
    init.add_argument(
        "path", nargs="?", default=None, metavar="FILE",
        help=f"where to write it (default: ./{DEFAULT_MATRIX})",
    )  # fmt: skip
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.add_argument(
        "--from", dest="sources", nargs="+", action="extend", default=[], metavar="PATH",
        help="draft the matrix from the artifact files in these files and folders "
        "(a last PATH ending in .yml or .yaml is FILE)",
    )  # fmt: skip


@record
class InitOptions:
    """``gatekeeper init``."""

    path: str | None
    force: bool
    sources: tuple[str, ...]


def _bench_options(bench: argparse.ArgumentParser) -> None:
    bench.add_argument(
        "--base", metavar="REF", required=True,
        help="the commit to compare HEAD with (a branch, tag or SHA), checked out in a "
        "temporary git worktree",
    )  # fmt: skip
    bench.add_argument(
        "--rounds", metavar="N", type=int, default=10,
        help="rounds of one base run and one HEAD run, in turn (default: 10; at least 5)",
    )  # fmt: skip
    bench.add_argument(
        "--max-change", metavar="EXPR", default="median +10%",
        help="the statistic each run gives and how far HEAD may move it (default: "
        "'median +10%%'; 'ops -5%%' for throughput)",
    )  # fmt: skip
    bench.add_argument(
        "--confidence", metavar="C", type=float, default=0.95,
        help="the interval's confidence (default: 0.95)",
    )  # fmt: skip
    bench.add_argument(
        "--series", metavar="SELECTOR", action="append", default=[],
        help="compare only the series this selector names (repeatable; default: every one)",
    )  # fmt: skip
    bench.add_argument(
        "--out", metavar="DIR", default=".gatekeeper/bench",
        help="where each run's artifact is kept, as base/round-NN and head/round-NN "
        "(default: .gatekeeper/bench)",
    )  # fmt: skip
    bench.add_argument(
        "--timeout", metavar="SECONDS", type=float, default=600.0,
        help="the longest one run may take (default: 600)",
    )  # fmt: skip
    bench.add_argument(
        "--format", choices=("text", "json"), default="text",
        help="the verdict for people (text) or programs (json) (default: text)",
    )  # fmt: skip
    bench.add_argument(
        "benchmark", nargs=argparse.REMAINDER, metavar="-- COMMAND",
        help="the benchmark command; {out} in it is where a run writes its artifact",
    )  # fmt: skip


@record
class BenchOptions:
    """``gatekeeper bench``."""

    base: str
    rounds: int
    max_change: str
    confidence: float
    series: tuple[str, ...]
    out: str
    timeout: float
    format: str
    benchmark: tuple[str, ...]
    """The benchmark command and its arguments (the subcommand's own name is ``command``)."""


def _history_command_options(history: argparse.ArgumentParser) -> None:
    _matrix_option(history)
    history.add_argument(
        "--history", metavar="PATH", action="append", default=[],
        help="a history file (JSON Lines) or a folder of *.jsonl files; repeatable",
    )  # fmt: skip
    history.add_argument(
        "--history-ref", metavar="REF",
        help="read the *.jsonl files under history/ in this git ref of the local clone, e.g. "
        "origin/gatekeeper-history (default, without --history: origin/gatekeeper-history, "
        "else gatekeeper-history)",
    )  # fmt: skip
    history.add_argument(
        "--benchmark", metavar="REF", action="append", default=[],
        help="show only the benchmarks this glob matches (swimlane/phase/benchmark); "
        "repeatable; one that matches nothing is an error",
    )  # fmt: skip
    history.add_argument(
        "--since", metavar="DATE",
        help="trends from this date (YYYY-MM-DD, or a date and time) on; the dates phases "
        "were first reached still come from the whole history",
    )  # fmt: skip
    history.add_argument(
        "--last", metavar="N", type=int, default=20,
        help="evaluations per benchmark shown and counted (default: 20)",
    )  # fmt: skip
    history.add_argument(
        "--format", choices=("terminal", "json"), default="terminal",
        help="for people (terminal) or programs (json) (default: terminal)",
    )  # fmt: skip
    history.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto",
        help="colour in the terminal output (auto: only on a TTY, and never when NO_COLOR is set)",
    )  # fmt: skip


@record
class HistoryOptions:
    """``gatekeeper history``."""

    matrix: str | None
    history: tuple[str, ...]
    history_ref: str | None
    benchmark: tuple[str, ...]
    since: str | None
    last: int
    format: str
    color: str


@dataclass(frozen=True)
class Command:
    """A command as the command line knows it."""

    summary: str
    """Its line in ``gatekeeper --help``."""
    add: Callable[[argparse.ArgumentParser], None]
    """Adds its options to its parser."""
    options: type[Any]
    """The record it receives: one field per option, named as argparse's ``dest``."""


COMMANDS: dict[str, Command] = {
    "check": Command("evaluate the evidence and decide the gate", _check_options, CheckOptions),
    "validate": Command(
        "check a matrix file and report every problem", _validate_options, ValidateOptions
    ),
    "inspect": Command(
        "show what gatekeeper reads in artifact files, and how to select it",
        _inspect_options,
        InspectOptions,
    ),
    # status and promote: phases recorded as git tags (the matrix's phase_tags)
    "status": Command(
        "the phase a commit stands in by its phase tags, then the matrix",
        _status_options,
        StatusOptions,
    ),
    "promote": Command(
        "tag HEAD as having completed a phase, only if its gate passes",
        _promote_options,
        PromoteOptions,
    ),
    "history": Command(
        "a benchmark's trend and the dates phases were first reached, from the history",
        _history_command_options,
        HistoryOptions,
    ),
    # collect and merge: evidence bundles, for sharded CI
    "collect": Command(
        "reduce this job's artifacts to an evidence bundle for the gate job",
        _collect_options,
        CollectOptions,
    ),
    "merge": Command("merge the evidence bundles of shards into one", _merge_options, MergeOptions),
    # bench: base and HEAD measured in turn, in this job
    "bench": Command(
        "run a benchmark on a base commit and on HEAD in turn, and judge the pairs",
        _bench_options,
        BenchOptions,
    ),
    "init": Command(
        "write a commented starter matrix file, or draft one from artifacts",
        _init_options,
        InitOptions,
    ),
}
"""Each command: its one-line summary, what adds its options, and their record."""

Opts = TypeVar("Opts")


def options_from(kind: type[Opts], parsed: argparse.Namespace) -> Opts:
    """The record ``kind`` of what argparse parsed: a list (a repeated option) as a tuple,
    so the record is frozen all the way down."""
    values = {}
    for field in fields(kind):  # type: ignore[arg-type]  # a record: a dataclass to fields()
        value = getattr(parsed, field.name)
        values[field.name] = tuple(value) if isinstance(value, list) else value
    return kind(**values)
