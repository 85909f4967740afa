"""`gatekeeper validate`: every problem in every matrix file, or silence and 0."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.commands import locate_matrix
from gatekeeper.errors import ExitCode
from gatekeeper.matrix.load import read_matrix
from gatekeeper.matrix.problems import MatrixError
from gatekeeper.words import count


def run_validate(files: Sequence[str]) -> int:
    paths = [Path(f) for f in files] or [locate_matrix(None)]
    failed = 0
    for path in paths:
        try:
            matrix = read_matrix(path, str(path))
        except MatrixError as exc:
            failed += 1
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print(f"{path}: {count(len(exc.problems), 'problem')}", file=sys.stderr)
            continue
        cells = len(matrix.cells)
        benchmarks = sum(len(c.benchmarks) for c in matrix.cells)
        counts = [count(len(matrix.phases), "phase"), count(cells, "cell")]
        print(f"{path}: ok ({', '.join(counts)}, {count(benchmarks, 'benchmark')})")
    return int(ExitCode.USAGE if failed else ExitCode.PASSED)
