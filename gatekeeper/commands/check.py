"""`gatekeeper check`: read the evidence, evaluate the gates, report, exit."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from gatekeeper.collect import collect
from gatekeeper.commands import locate_matrix
from gatekeeper.engine import evaluate
from gatekeeper.errors import ExitCode, UsageError
from gatekeeper.matrix.load import read_matrix
from gatekeeper.reporters import REPORTERS, RenderOptions
from gatekeeper.results import Report


def exit_code(report: Report) -> ExitCode:
    """The one place a verdict becomes an exit code."""
    if report.no_evidence:
        return ExitCode.NO_EVIDENCE
    return ExitCode.PASSED if report.passed else ExitCode.FAILED


def _today(text: str | None) -> dt.date:
    if text is None:
        return dt.datetime.now(dt.timezone.utc).date()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"--today {text!r}: expected YYYY-MM-DD") from exc


def _outputs(specs: list[str]) -> list[tuple[str, Path]]:
    outputs = []
    for spec in specs:
        fmt, sep, path = spec.partition(":")
        if not sep or fmt not in REPORTERS or not path:
            known = ", ".join(REPORTERS)
            raise UsageError(f"--output {spec!r}: expected FORMAT:PATH with FORMAT one of {known}")
        outputs.append((fmt, Path(path)))
    return outputs


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def run_check(args: argparse.Namespace) -> int:
    outputs = _outputs(args.output)  # bad usage is reported before any work
    today = _today(args.today)
    path = locate_matrix(args.matrix)
    matrix = read_matrix(path, str(path))
    if args.phase is not None and args.phase not in [p.id for p in matrix.phases]:
        known = ", ".join(p.id for p in matrix.phases)
        raise UsageError(f"--phase {args.phase!r}: not a phase of {path} ({known})")
    root = Path(args.root) if args.root else path.resolve().parent
    if not root.is_dir():
        raise UsageError(f"--root {args.root!r}: not a folder")
    evidence = collect(matrix, root.resolve())
    report = evaluate(matrix, evidence, today, args.phase)
    code = exit_code(report)
    for fmt, target in outputs:
        text = REPORTERS[fmt](report, RenderOptions(exit_code=int(code)))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--output {target}: cannot write: {exc.strerror or exc}") from exc
    if args.format != "none":
        options = RenderOptions(exit_code=int(code), color=_use_color(args.color))
        sys.stdout.write(REPORTERS[args.format](report, options))
    return int(code)
