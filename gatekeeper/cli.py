"""Command line: parse options, dispatch to a command, map errors to exit codes.

Nothing else lives here: each command's options and their typed record are in
``gatekeeper.commands.options``, and each command is a function in ``gatekeeper.commands``
that takes its record and the environment and returns an exit code. Start-up time counts (a
CI step runs `gatekeeper check` once): only the options of the command given are built, and
each command's modules are imported when it runs.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Collection, Mapping, Sequence

from gatekeeper import __version__
from gatekeeper.commands.options import (
    COMMANDS,
    BenchOptions,
    CheckOptions,
    CollectOptions,
    HistoryOptions,
    InitOptions,
    InspectOptions,
    MergeOptions,
    PromoteOptions,
    StatusOptions,
    ValidateOptions,
    options_from,
)

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
    for name, spec in COMMANDS.items():
        command = subparsers.add_parser(name, help=spec.summary)
        if name in commands:
            spec.add(command)
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


class _GoneReaderQuiet(io.RawIOBase):
    """Standard output's file descriptor; once its reader has gone (`gatekeeper status |
    head -1`), the rest is written nowhere instead of raising BrokenPipeError, so the command
    runs to its end and its exit code is the one it would have had."""

    def __init__(self, fd: int, *, gone: bool = False) -> None:
        super().__init__()
        self._fd = fd
        self._gone = gone

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:  # colour on a terminal is decided by this
        return not self._gone and os.isatty(self._fd)

    def write(self, data: object) -> int:
        size = memoryview(data).nbytes  # type: ignore[arg-type]  # bytes-like, per RawIOBase
        if not self._gone:
            try:
                return os.write(self._fd, data)  # type: ignore[arg-type]
            except BrokenPipeError:
                self._gone = True
        return size


def quiet_when_the_reader_goes() -> None:
    """Only the process's own standard output is replaced (a test's captured one is not);
    with none at all (`gatekeeper check >&-`), what is written goes nowhere."""
    stream = sys.stdout
    if stream is None:  # started with file descriptor 1 closed: no reader from the start
        nowhere = io.BufferedWriter(_GoneReaderQuiet(-1, gone=True))
        sys.stdout = io.TextIOWrapper(nowhere, encoding="utf-8", errors="backslashreplace")
        return
    if stream is not sys.__stdout__ or not isinstance(stream, io.TextIOWrapper):
        return
    try:
        fd = stream.fileno()
        stream.flush()
    except (OSError, ValueError):  # no descriptor, or already closed: nothing to protect
        return
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(_GoneReaderQuiet(fd)),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=stream.line_buffering,
    )


def main(argv: Sequence[str] | None = None) -> int:
    tolerate_any_encoding()
    quiet_when_the_reader_goes()
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


def run(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> int:
    """Run the command ``args`` name with its typed options; every error becomes its exit
    code here."""
    from gatekeeper.errors import ExitCode, GatekeeperError
    from gatekeeper.matrix.problems import MatrixError

    options = options_from(COMMANDS[args.command].options, args)
    try:
        if isinstance(options, CheckOptions):
            from gatekeeper.commands.check import run_check

            return run_check(options, environ)
        if isinstance(options, ValidateOptions):
            from gatekeeper.commands.validate import run_validate

            return run_validate(options.files)
        if isinstance(options, InspectOptions):
            from gatekeeper.commands.inspect import run_inspect

            return run_inspect(options.artifacts, options.artifact_format)
        if isinstance(options, StatusOptions):
            from gatekeeper.commands.status import run_status

            return run_status(options, environ)
        if isinstance(options, HistoryOptions):
            from gatekeeper.commands.history import run_history

            return run_history(options, environ)
        if isinstance(options, PromoteOptions):
            from gatekeeper.commands.promote import run_promote

            return run_promote(options, environ)
        if isinstance(options, CollectOptions):
            from gatekeeper.commands.collect import run_collect

            return run_collect(options, environ)
        if isinstance(options, MergeOptions):
            from gatekeeper.commands.merge import run_merge

            return run_merge(options.bundles, options.out)
        if isinstance(options, BenchOptions):
            from gatekeeper.commands.bench import run_bench

            return run_bench(options, environ)
        assert isinstance(options, InitOptions)
        from gatekeeper.commands.init import run_init

        return run_init(options.path, force=options.force, sources=options.sources)
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
