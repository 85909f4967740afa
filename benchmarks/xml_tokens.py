"""Huge single XML tokens, whole process: bounded time up to the 16 MiB cap, refused past it.

Generates (under --dir, reused when present) JUnit reports whose one test case carries an
attribute value of N MB, and reports with an N MB comment, for N = 2, 4, 8, 15 (under the
cap: read); the issue's 40 MB attribute and comment (past the cap: refused); and 300 MB of
junk named as a JUnit report (refused at its first bytes). Each is read by
`gatekeeper check --dry-run` with a matrix asking for its one test (the whole process a
user runs), beside `python -c pass` in the same hyperfine run. Fed to expat
64 KiB at a time, an unfinished token was rescanned on every feed: the time grew with the
square of the token (40 MB: over ten seconds). Now the feeds grow with the token, and
expat's own rescans are bounded by the cap.

Targets (beyond gatekeeper's own start: `check` on a one-case report): a token at the cap
read in under 0.5 s; the 40 MB tokens refused in under 0.5 s; the 300 MB of junk refused
in under 0.1 s.

    python benchmarks/xml_tokens.py [--size MB] [--dir DIR] [--runs R] [--quick]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _process

MB = 1 << 20
_SHAPES = {
    "attribute": (b'<testsuite>\n<testcase name="', b'"/>\n</testsuite>\n'),
    "comment": (b"<testsuite>\n<!-- ", b' -->\n<testcase name="a"/>\n</testsuite>\n'),
}


def generate(path: Path, shape: str, megabytes: int) -> Path:
    if not path.exists():
        opening, closing = _SHAPES[shape]
        partial = path.with_name(path.name + ".partial")
        with partial.open("wb") as out:
            out.write(opening)
            for _ in range(megabytes):
                out.write(b"x" * MB)
            out.write(closing)
        partial.replace(path)
    return path


def junk(path: Path, megabytes: int) -> Path:
    """An endless tag name: what expat would have rescanned to the end of the file."""
    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        with partial.open("wb") as out:
            out.write(b"<")
            for _ in range(megabytes):
                out.write(b"a" * MB)
        partial.replace(path)
    return path


def _outcome(out: str) -> str:
    return out.strip().splitlines()[0][:80] if out.strip() else "(nothing printed)"


_MATRIX = """\
version: 1
project: tokens
phases: [{id: one, name: One}]
artifacts:
  unit: {format: junit, paths: "FILE"}
swimlanes:
  - id: core
    name: Core
    cells:
      one:
        goal: the report is read
        benchmarks:
          - {id: read, tests: {from: unit, min: 1}}
"""


def _check(label: str, path: Path, refused: bool) -> _process.Command:
    """`gatekeeper check --dry-run` judging the file: exit 0 when its one test is read, 3
    when the evidence is refused (an error is never a pass)."""
    matrix = path.with_suffix(".yml")
    matrix.write_text(_MATRIX.replace("FILE", path.name), encoding="utf-8")
    argv = [_process.gatekeeper(), "check", "--dry-run", "-m", str(matrix)]
    return _process.Command(label, argv, exit_code=3 if refused else 0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=15, help="largest token under the cap, MB")
    parser.add_argument(
        "--dir", type=Path, default=Path(tempfile.gettempdir()) / "gatekeeper-bench"
    )
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: does it run?")
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    sizes = (1, 2) if args.quick else tuple(s for s in (2, 4, 8, 15) if s <= args.size)
    runs = 2 if args.quick else args.runs
    one_case = generate(args.dir / "xml-attribute-0mb.xml", "attribute", 0)
    read = [
        _check(
            f"{shape} of {size} MB",
            generate(args.dir / f"xml-{shape}-{size}mb.xml", shape, size),
            False,
        )
        for shape in _SHAPES
        for size in sizes
    ]
    past = [
        _check(
            f"{shape} of 40 MB (past the cap)",
            generate(args.dir / f"xml-{shape}-40mb.xml", shape, 40),
            True,
        )
        for shape in ([] if args.quick else _SHAPES)
    ]
    size = 30 if args.quick else 300
    refused_junk = _check(
        f"junk of {size} MB", junk(args.dir / f"xml-junk-{size}mb.xml", size), True
    )
    start = _check("one case (gatekeeper's start)", one_case, False)
    bare = _process.Command("python -c pass", [sys.executable, "-c", "pass"])
    measured = _process.measure([bare, start, *read, *past, refused_junk], runs=runs, warmup=1)
    print(_process.machine())
    print(_process.table(measured, start.name))
    by_name = {m.name: m.median - measured[1].median for m in measured}
    at_cap = max(by_name[c.name] for c in read)
    refused = max((by_name[c.name] for c in past), default=0.0)
    checks = [
        ("a token at the cap read in < 0.5 s beyond start-up", at_cap < 0.5, f"{at_cap:.3f}s"),
        ("40 MB tokens refused in < 0.5 s beyond start-up", refused < 0.5, f"{refused:.3f}s"),
        (f"{size} MB of junk refused in < 0.1 s beyond start-up",
         by_name[refused_junk.name] < 0.1, f"{by_name[refused_junk.name]:.3f}s"),
    ]  # fmt: skip
    for label, ok, detail in checks:
        print(_process.verdict(label, ok, detail))
    return 0 if args.quick or all(ok for _, ok, _ in checks) else 2


if __name__ == "__main__":
    raise SystemExit(main())
