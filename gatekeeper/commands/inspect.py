"""`gatekeeper inspect`: what gatekeeper sees in artifact files."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.collect import rooted
from gatekeeper.errors import EvidenceError, ExitCode
from gatekeeper.parsers import AUTO, get_parser, holds_tests, parse_file
from gatekeeper.reporters.inspection import render_inspection
from gatekeeper.text import plain


def run_inspect(files: Sequence[str], fmt: str = AUTO) -> int:
    unreadable = 0
    try:
        here = Path.cwd()
    except OSError:  # the current folder was removed: no path is made relative to it
        here = None
    for index, name in enumerate(files):
        if index:
            print()
        try:
            # an analyser's absolute paths made relative to here, as `check` makes them
            # relative to its root: the `file:` globs inspect prints are then the ones to write
            parsed = parse_file(Path(name), name, fmt)
            parsed = rooted(parsed, here, look=False) if here is not None else parsed
        except EvidenceError as exc:
            unreadable += 1
            print(plain(str(exc)), file=sys.stderr)
            continue
        parser = get_parser(parsed.format)
        nothing = str(getattr(parser, "HOLDS_NOTHING", ""))
        sys.stdout.write(render_inspection(parsed, holds_tests(parsed.format), nothing))
    if unreadable == len(files):
        return int(ExitCode.NO_EVIDENCE)
    return int(ExitCode.FAILED if unreadable else ExitCode.PASSED)
