"""Command line: parse options, dispatch to a command, map errors to exit codes.

Nothing else lives here; each command is a function in gatekeeper.commands
that returns an exit code. Start-up time counts (a CI step runs `gatekeeper check` once):
only the options of the command given are built, and each command's modules are imported
when it runs.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Collection, Sequence

from gatekeeper import DEFAULT_MATRIX, __version__

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
        "--sha", metavar="SHA",
        help="the commit being judged: a bundle for another commit is not evidence (default: "
        "the GitHub event's commit, else GITHUB_SHA, else not checked)",
    )  # fmt: skip
    _pull_request_options(check)
    _github_options(check)
    check.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="judge waiver expiry as of this date (default: today, UTC)",
    )
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour in the terminal report (auto: only on a TTY, and never when NO_COLOR is set)",
    )


def _validate_options(validate: argparse.ArgumentParser) -> None:
    validate.add_argument(
        "files", nargs="*", metavar="FILE", help=f"matrix files (default: ./{DEFAULT_MATRIX})"
    )


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


def _status_options(status: argparse.ArgumentParser) -> None:
    _matrix_option(status)
    _root_option(status, ", in the git repository to read")
    status.add_argument(
        "--commit", metavar="REF", default="HEAD",
        help="the commit whose reachable phase tags count (default: HEAD)",
    )  # fmt: skip


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


def _merge_options(merge: argparse.ArgumentParser) -> None:
    merge.add_argument("bundles", nargs="+", metavar="BUNDLE", help="bundles to merge")
    merge.add_argument("--out", metavar="FILE", required=True, help="where to write the merge")


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


Options = Callable[[argparse.ArgumentParser], None]

COMMANDS: dict[str, tuple[str, Options]] = {
    "check": ("evaluate the evidence and decide the gate", _check_options),
    "validate": ("check a matrix file and report every problem", _validate_options),
    "inspect": (
        "show what gatekeeper reads in artifact files, and how to select it",
        _inspect_options,
    ),
    # status and promote: phases recorded as git tags (the matrix's phase_tags)
    "status": ("the phase a commit stands in by its phase tags, then the matrix", _status_options),
    "promote": ("tag HEAD as having completed a phase, only if its gate passes", _promote_options),
    # collect and merge: evidence bundles, for sharded CI
    "collect": (
        "reduce this job's artifacts to an evidence bundle for the gate job",
        _collect_options,
    ),
    "merge": ("merge the evidence bundles of shards into one", _merge_options),
    "init": ("write a commented starter matrix file, or draft one from artifacts", _init_options),
}
"""Each command: its one-line summary, and what adds its options."""
_TOP_LEVEL_FLAGS = ("-h", "--help", "--version")


def build_parser(
    commands: Collection[str] = COMMANDS,
    subparsers_out: dict[str, argparse.ArgumentParser] | None = None,
) -> argparse.ArgumentParser:
    """The command line; only the options of ``commands`` are added (every command is
    listed either way, so usage and --help read the same). ``subparsers_out`` receives
    each command's own parser, to report a mistake with that command's usage."""
    parser = argparse.ArgumentParser(
        prog="gatekeeper",
        description="Phase gate checker: the next phase does not begin until every "
        "benchmark of the prior phases is met.",
    )
    parser.add_argument("--version", action="version", version=f"gatekeeper {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (summary, options) in COMMANDS.items():
        command = subparsers.add_parser(name, help=summary)
        if name in commands:
            options(command)
        if subparsers_out is not None:
            subparsers_out[name] = command
    return parser


def commands_needed(words: Sequence[str]) -> tuple[str, ...]:
    """The commands whose options can matter to parsing ``words``: the command named, when
    only top-level flags come before it; none, when there is nothing but those; else all."""
    for word in words:
        if word in COMMANDS:
            return (word,)
        if word not in _TOP_LEVEL_FLAGS:
            return tuple(COMMANDS)
    return ()


def tolerate_any_encoding() -> None:
    """Text that standard output or error cannot encode (a µ or an em dash on an ASCII or
    cp1252 console, a lone surrogate from an artifact's bytes) is written as a backslash
    escape: the report still arrives and the exit code still says the verdict."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    tolerate_any_encoding()
    words = sys.argv[1:] if argv is None else list(argv)
    own: dict[str, argparse.ArgumentParser] = {}
    parser = build_parser(commands_needed(words), own)
    try:
        args, unknown = parser.parse_known_args(words)
        if unknown:  # said with the command's usage, not the top level's
            own[args.command].error(unrecognized(unknown, own[args.command]))
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    return run(args)


def unrecognized(words: Sequence[str], command: argparse.ArgumentParser) -> str:
    """'unrecognized arguments: --dryrun (did you mean --dry-run?)'."""
    import difflib  # only a mistyped command line needs it: start-up time

    flags = [f for action in command._actions for f in action.option_strings]
    message = f"unrecognized arguments: {' '.join(words)}"
    for word in words:
        if word.startswith("-"):
            close = difflib.get_close_matches(word.partition("=")[0], flags, n=1, cutoff=0.6)
            if close:
                message += f" (did you mean {close[0]}?)"
                break
    return message


def run(args: argparse.Namespace) -> int:
    """Run the command ``args`` name; every error becomes its exit code here."""
    from gatekeeper.errors import ExitCode, GatekeeperError
    from gatekeeper.matrix.problems import MatrixError

    try:
        if args.command == "check":
            from gatekeeper.commands.check import run_check

            return run_check(args)
        if args.command == "validate":
            from gatekeeper.commands.validate import run_validate

            return run_validate(args.files)
        if args.command == "inspect":
            from gatekeeper.commands.inspect import run_inspect

            return run_inspect(args.artifacts, args.artifact_format)
        if args.command == "status":
            from gatekeeper.commands.status import run_status

            return run_status(args)
        if args.command == "promote":
            from gatekeeper.commands.promote import run_promote

            return run_promote(args)
        if args.command == "collect":
            from gatekeeper.commands.collect import run_collect

            return run_collect(args)
        if args.command == "merge":
            from gatekeeper.commands.merge import run_merge

            return run_merge(args.bundles, args.out)
        from gatekeeper.commands.init import run_init

        return run_init(args.path, force=args.force, sources=args.sources)
    except MatrixError as exc:  # file:line:column lines, as editors and problem matchers read them
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return int(exc.exit_code)
    except GatekeeperError as exc:
        print(f"gatekeeper: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("gatekeeper: interrupted", file=sys.stderr)
        return int(ExitCode.INTERNAL)
    except Exception as exc:  # a bug: say so plainly, never pass
        print(
            f"gatekeeper: internal error ({type(exc).__name__}: {exc}); "
            "the gate is not decided. Please report this.",
            file=sys.stderr,
        )
        return int(ExitCode.INTERNAL)
