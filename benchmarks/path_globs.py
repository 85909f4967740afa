"""How long path globs take, worst cases included, timed as whole `gatekeeper check` runs.

A pull request picks its changed files' names and can edit the matrix's globs, so matching
must stay bounded whatever both are. Each case is a whole `gatekeeper check --dry-run`
process beside the same check without the globs' work, in one hyperfine run (the
difference is what the globs cost):

1. GitHub's most changed files in a pull request, 3,000, against the KMTA example's
   swimlane paths (`--pull-request --changed-files`), beside the same check given none;
2. swimlane patterns that make a backtracking matcher exponential (`*a*a*a*a*a*a*a*a*b`,
   stacked `**`) against changed files with long names, beside an ordinary pattern;
3. artifact globs walking a tree of 1,093 folders (3 per folder, 6 deep) for one report,
   with one `**` and with five (`glob.glob` took 4 to 14 seconds on the five), beside the
   report's literal path. The walk looks at each entry once.

    python benchmarks/path_globs.py [--runs N] [--dir DIR] [--quick]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _process

REPO = Path(__file__).resolve().parents[1]
KMTA = REPO / "examples" / "kmta"

HOSTILE = [
    ("*a*a*a*a*a*a*a*a*b", "a" * 100_000),
    ("**/*a*a*a*a*a*a*a*a*b", "a/" * 2_000 + "a" * 10_000),
    ("/".join(["**"] * 12) + "/x", "a/" * 4_000 + "y"),
    ("**/" * 6 + "*.py", "d/" * 4_000 + "f.txt"),
]
WALKED = ("tree/**/unit.xml", "tree/**/**/**/**/**/unit.xml", "tree/d0/*/d0/**/unit.xml")
REPORT = '<testsuite name="s"><testcase classname="c" name="t"/></testsuite>\n'

_MATRIX = """\
version: 1
project: globs
phases: [{id: one, name: One}]
artifacts:
  unit: {format: junit, paths: "ARTIFACT"}
swimlanes:
  - id: core
    name: Core
    paths: [SWIMLANE]
    cells:
      one:
        goal: the report is read
        benchmarks:
          - {id: read, tests: {from: unit, min: 1}}
"""


def _matrix(folder: Path, name: str, artifact: str, swimlane: str) -> Path:
    path = folder / f"{name}.yml"
    text = _MATRIX.replace("ARTIFACT", artifact).replace("SWIMLANE", f'"{swimlane}"')
    path.write_text(text, encoding="utf-8")
    return path


def _tree(root: Path, depth: int = 6, fanout: int = 3) -> int:
    """Folders 3 wide and 6 deep, a note in each; the one report lies in the deepest first."""
    folders, total = [root], 1
    for _ in range(depth):
        folders = [f / f"d{i}" for f in folders for i in range(fanout)]
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "note.txt").write_text("not a report\n")
        total += len(folders)
    (folders[0] / "unit.xml").write_text(REPORT)
    return total


def _check(name: str, folder: Path, matrix: Path, *extra: str) -> _process.Command:
    argv = [_process.gatekeeper(), "check", "--dry-run", "-m", str(matrix), *extra]
    return _process.Command(name, argv)


def _changed(folder: Path, name: str, lines: Sequence[str]) -> Path:
    path = folder / f"{name}.txt"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--dir", type=Path, default=Path(tempfile.gettempdir()) / "gatekeeper-bench"
    )
    parser.add_argument("--quick", action="store_true", help="a few runs: does it run?")
    args = parser.parse_args(argv)
    runs = 2 if args.quick else args.runs
    folder = args.dir / "path-globs"
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / ".git").exists():  # a pull request is judged against the phase tags
        subprocess.run(["git", "init", "-q", str(folder)], check=True)
        commit = ["git", "-C", str(folder), "-c", "user.name=b", "-c", "user.email=b@example.com"]
        subprocess.run([*commit, "commit", "-q", "--allow-empty", "-m", "base"], check=True)
    print(_process.machine())

    rng = random.Random(1)
    words = ["src", "kmta", "tests", "docs", "api", "core", "ingress", "lib", "benchmarks"]
    files = [
        "/".join(rng.choice(words) for _ in range(rng.randint(2, 6))) + f"/file_{i}.py"
        for i in range(3_000)
    ]
    kmta = KMTA / "gatekeeper.yml"
    pr = ["--pull-request", "--changed-files"]
    first = [
        _check("KMTA, 1 changed file", folder, kmta, *pr, str(_changed(folder, "one", files[:1]))),
        _check("KMTA, 3,000 changed files", folder, kmta, *pr, str(_changed(folder, "all", files))),
    ]
    print("\n1. changed files against the KMTA swimlane paths")
    print(_process.table(_process.measure(first, runs=runs), first[0].name))

    (folder / "unit.xml").write_text(REPORT)
    hostile = [_check("ordinary", folder, _matrix(folder, "ordinary", "unit.xml", "src/**"),
                      *pr, str(_changed(folder, "short", ["src/a.py"])))]  # fmt: skip
    for index, (pattern, name) in enumerate(HOSTILE):
        matrix = _matrix(folder, f"hostile{index}", "unit.xml", pattern)
        changed = _changed(folder, f"long{index}", [name])
        shown = pattern if len(pattern) <= 24 else pattern[:21] + "..."
        hostile.append(_check(f"{shown} vs {len(name):,} chars", folder, matrix, *pr, str(changed)))
    print("\n2. hostile swimlane patterns against long changed names")
    print(_process.table(_process.measure(hostile, runs=runs), hostile[0].name))

    deepest = "tree/" + "/".join(["d0"] * 6) + "/unit.xml"
    count = _tree(folder / "tree")
    walks = [_check("the literal path", folder, _matrix(folder, "literal", deepest, "src/**"))]
    for index, pattern in enumerate(WALKED):
        walks.append(_check(pattern, folder, _matrix(folder, f"walk{index}", pattern, "src/**")))
    print(f"\n3. artifact globs over a tree of {count:,} folders holding one report")
    print(_process.table(_process.measure(walks, runs=runs), walks[0].name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
