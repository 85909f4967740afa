"""How long path globs take, worst cases included: swimlane paths and artifact paths.

A pull request picks its changed files' names and can edit the matrix's globs, so matching
must stay bounded whatever both are. Measures (1) GitHub's most, 3,000 changed files, against
the KMTA matrix's swimlane paths, (2) patterns that make a backtracking matcher
exponential (``*a*a*a*a*a*b``, stacked ``**``) against long names, and (3) artifact globs
walking a tree of 1,093 folders (3 per folder, 6 deep) with one ``**`` and with five, which
took ``glob.glob`` 4 to 14 seconds; the walk looks at each entry once. Prints the times.

    python benchmarks/path_globs.py [--runs N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gatekeeper.changes import touched  # noqa: E402
from gatekeeper.findfiles import find_files  # noqa: E402
from gatekeeper.matrix.load import read_matrix  # noqa: E402
from gatekeeper.pathglob import path_glob  # noqa: E402

HOSTILE = [
    ("*a*a*a*a*a*a*a*a*b", "a" * 100_000),
    ("**/*a*a*a*a*a*a*a*a*b", "a/" * 2_000 + "a" * 10_000),
    ("/".join(["**"] * 12) + "/x", "a/" * 4_000 + "y"),
    ("**/" * 6 + "*.py", "d/" * 4_000 + "f.txt"),
]


def _best(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


WALKED = ("**/*.xml", "**/**/**/**/**/*.xml", "d0/*/d2/**/unit.xml")


def _tree(root: Path, depth: int = 6, fanout: int = 3) -> int:
    folders = [root]
    for _ in range(depth):
        folders = [f / f"d{i}" for f in folders for i in range(fanout)]
        for folder in folders:
            folder.mkdir(parents=True)
            (folder / "unit.xml").touch()
    return len(folders)


def _artifact_globs(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _tree(root)
        for pattern in WALKED:
            found = len(find_files(root, (pattern,)).files)
            seconds = _best(lambda pattern=pattern: find_files(root, (pattern,)), runs)  # type: ignore[misc]
            print(f"artifact {pattern:<30} over 1,093 folders: median {seconds * 1000:.1f} ms, "
                  f"{found:,} files")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    matrix = read_matrix(REPO / "examples" / "kmta" / "gatekeeper.yml")
    rng = random.Random(1)
    words = ["src", "kmta", "tests", "docs", "api", "core", "ingress", "lib", "benchmarks"]
    files = [
        "/".join(rng.choice(words) for _ in range(rng.randint(2, 6))) + f"/file_{i}.py"
        for i in range(3_000)
    ]
    globs = sum(len(s.paths) for s in matrix.swimlanes)
    seconds = _best(lambda: touched(matrix, files), runs)
    print(f"3,000 changed files x {globs} KMTA swimlane globs: median {seconds * 1000:.1f} ms")
    for pattern, name in HOSTILE:
        glob = path_glob(pattern)
        seconds = _best(lambda glob=glob, name=name: glob.fullmatch(name), runs)  # type: ignore[misc]
        shown = pattern if len(pattern) <= 40 else pattern[:37] + "..."
        print(f"{shown:<42} vs a {len(name):,}-character name: median {seconds * 1000:.2f} ms")
    _artifact_globs(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
