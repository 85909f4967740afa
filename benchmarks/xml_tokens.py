"""Huge single XML tokens: bounded time up to the 16 MiB cap, refused past it.

Generates (under /tmp, reused when present) JUnit reports whose one test case carries an
attribute value of N MB, and reports with an N MB comment, for N = 2, 4, 8, 15 (under the
cap: read); the issue's 40 MB attribute and comment (past the cap: refused); and 300 MB of
junk named as a JUnit report (refused at its first bytes). Each is read by
``junit.parse`` in a fresh process. Fed to expat 64 KiB at a time, an unfinished token
was rescanned on every feed: the time grew with the square of the token (40 MB: over ten
seconds). Now the feeds grow with the token, and expat's own rescans (Python hands it at
most 1 MiB per call; expat 2.6+ defers them) are bounded by the cap.

Targets: a token at the cap read in under 0.5 s; the 40 MB tokens refused in under 0.5 s;
the 300 MB of junk refused in under 0.1 s.

    python benchmarks/xml_tokens.py [--size MB] [--dir DIR] [--repeats R] [--quick]
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _measure

MB = 1 << 20
_SHAPES = {
    "attribute": (b'<testsuite>\n<testcase name="', b'"/>\n</testsuite>\n'),
    "comment": (b"<testsuite>\n<!-- ", b' -->\n<testcase name="a"/>\n</testsuite>\n'),
}


def generate(path: Path, shape: str, megabytes: int) -> None:
    opening, closing = _SHAPES[shape]
    with path.open("wb") as out:
        out.write(opening)
        for _ in range(megabytes):
            out.write(b"x" * MB)
        out.write(closing)


def junk(path: Path, megabytes: int) -> None:
    """An endless tag name: what expat would have rescanned to the end of the file."""
    with path.open("wb") as out:
        out.write(b"<")
        for _ in range(megabytes):
            out.write(b"a" * MB)


def _reader(path: Path) -> Callable[[], dict[str, object]]:
    from gatekeeper.errors import EvidenceError
    from gatekeeper.parsers.testresults import junit

    def work() -> dict[str, object]:
        try:
            tests = junit.parse(path, path.name).tests
        except EvidenceError as exc:
            return {"outcome": f"refused: {exc.message}"}
        return {"outcome": f"read {len(tests)} test(s)"}

    return work


CONTENDERS = {"junit.parse": _reader}


def _row(label: str, size: int, run: _measure.Run) -> str:
    return f"{label:34} {size:6} MB {run.seconds:8.3f}s  {run.result['outcome']}"


def main(argv: Sequence[str] | None = None) -> int:
    args = _measure.arguments(__doc__, "--size", 15, argv)
    if _measure.served_child(args, CONTENDERS):
        return 0
    sizes = (1, 2) if args.quick else tuple(s for s in (2, 4, 8, 15) if s <= args.size)
    repeats = 1 if args.quick else args.repeats
    script = Path(__file__)
    print(f"{'input':34} {'size':>9} {'time':>9}  outcome")
    at_cap = 0.0
    for shape in _SHAPES:
        for size in sizes:
            make = partial(generate, shape=shape, megabytes=size)
            path = _measure.prepare(args.dir / f"xml-{shape}-{size}mb.xml", make)
            run = _measure.best_runs(script, ["junit.parse"], [str(path)], repeats)[0]
            at_cap = max(at_cap, run.seconds)
            print(_row(f"{shape} of {size} MB", size, run))
    refused = 0.0
    for shape in () if args.quick else tuple(_SHAPES):
        make = partial(generate, shape=shape, megabytes=40)
        path = _measure.prepare(args.dir / f"xml-{shape}-40mb.xml", make)
        run = _measure.best_runs(script, ["junit.parse"], [str(path)], repeats)[0]
        refused = max(refused, run.seconds)
        print(_row(f"{shape} of 40 MB (past the cap)", 40, run))
    size = 30 if args.quick else 300
    path = _measure.prepare(args.dir / f"xml-junk-{size}mb.xml", partial(junk, megabytes=size))
    junk_run = _measure.best_runs(script, ["junit.parse"], [str(path)], repeats)[0]
    print(_row("junk named .xml", size, junk_run))
    checks = [
        ("a token at the cap read in < 0.5 s", at_cap < 0.5, f"{at_cap:.3f}s"),
        ("40 MB tokens refused in < 0.5 s", refused < 0.5, f"{refused:.3f}s"),
        ("300 MB of junk refused in < 0.1 s", junk_run.seconds < 0.1, f"{junk_run.seconds:.3f}s"),
    ]
    for label, ok, detail in checks:
        print(_measure.verdict(label, ok, detail))
    return 0 if args.quick or all(ok for _, ok, _ in checks) else 2


if __name__ == "__main__":
    raise SystemExit(main())
