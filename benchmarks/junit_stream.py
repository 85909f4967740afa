"""`gatekeeper check` on a large JUnit report against junitparser with lxml, whole processes.

Generates (seeded, under /tmp/gatekeeper-bench, reused when present) a JUnit XML report
shaped like Maven Surefire's, about 0.8 KB a case: properties per suite, failures and
errors with stack traces, skips, Surefire reruns (flaky and rerun failures), system-out on
a third of the cases, a ``file`` attribute per case; and a matrix with four benchmarks
selecting by suite, class, file and name. Contenders (see _process.py), per size:

- gatekeeper: ``gatekeeper check --dry-run --format json`` (the counts from its report);
- junitparser + lxml: ``alternatives/junit_lxml.py`` reads the whole tree and counts the
  same four selections;
- pyexpat floor: ``alternatives/pyexpat_floor.py``, expat with no handlers (judges nothing).

Targets (issue 10): gatekeeper at least 2x faster than junitparser + lxml at 100k and 1M
cases; peak memory at most 64 MiB at every size; time per case flat from 10k to 1M.

    python benchmarks/junit_stream.py [--cases N ...] [--runs R] [--dir DIR] [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _process

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = Path("/tmp/gatekeeper-bench")
SUITES = 500
TARGET_SPEEDUP = 2.0
PEAK_LIMIT = 64 * 1024 * 1024
SELECTIONS = {
    "by-suite": {"suite": ["com.acme.module1.*"]},
    "by-class": {"class": ["*.Service4?Test"]},
    "by-file": {"file": ["src/test/java/com/acme/module2/*"]},
    "by-name": {"name": ["testCreate_*"]},
}
_FRAMES = (
    "org.junit.platform.commons.util.ReflectionUtils.invokeMethod(ReflectionUtils.java:728)",
    "org.junit.jupiter.engine.execution.MethodInvocation.proceed(MethodInvocation.java:60)",
    "org.junit.jupiter.engine.extension.TimeoutExtension.intercept(TimeoutExtension.java:156)",
    "org.junit.jupiter.engine.descriptor.TestMethodTestDescriptor.invokeTestMethod"
    "(TestMethodTestDescriptor.java:218)",
    "org.junit.platform.engine.support.hierarchical.NodeTestTask.executeRecursively"
    "(NodeTestTask.java:141)",
    "org.apache.maven.surefire.junitplatform.JUnitPlatformProvider.invokeAllTests"
    "(JUnitPlatformProvider.java:150)",
    "java.base/java.util.ArrayList.forEach(ArrayList.java:1596)",
)


def generate(path: Path, cases: int, seed: int = 20240805) -> None:
    """Write a Surefire-style report of ``cases`` test cases spread over SUITES suites."""
    rng = random.Random(seed)
    per_suite = [cases // SUITES + (i < cases % SUITES) for i in range(SUITES)]
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="acme-build">\n')
        for index, count in enumerate(per_suite):
            if count:
                out.write(_suite(rng, index, count))
        out.write("</testsuites>\n")


def _trace(rng: random.Random, module: str, cls: str, test: str) -> str:
    frames = [f"com.acme.{module}.{cls}.{test}({cls}.java:{rng.randint(20, 900)})"]
    frames += rng.choices(_FRAMES, k=rng.randint(8, 30))
    return "".join(f"\tat {frame}\n" for frame in frames)


def _suite(rng: random.Random, index: int, count: int) -> str:
    from xml.sax.saxutils import escape, quoteattr

    module = f"module{index % 37}"
    cls = f"Service{index}Test"
    name = f"com.acme.{module}.{cls}"
    source = f"src/test/java/com/acme/{module}/{cls}.java"
    parts = [
        f'  <testsuite name="{name}" tests="{count}" time="{rng.uniform(1, 60):.3f}"'
        ' timestamp="2024-08-05T15:24:38" hostname="ci-runner-7">\n'
        "    <properties>\n"
        '      <property name="java.version" value="21.0.3"/>\n'
        '      <property name="surefire.rerunFailingTestsCount" value="2"/>\n'
        "    </properties>\n"
    ]
    for number in range(count):
        test = f"test{rng.choice(('Create', 'Update', 'Delete', 'Find', 'Parse'))}_{number:04d}"
        trace = escape(_trace(rng, module, cls, test))
        attrs = f"name={quoteattr(test)} classname={quoteattr(name)} file={quoteattr(source)}"
        body = ""
        roll = rng.random()
        if roll < 0.03:
            message = f"expected: <{rng.randint(0, 9)}> but was: <{rng.randint(10, 99)}>"
            body = (
                f"      <failure message={quoteattr(message)}"
                ' type="org.opentest4j.AssertionFailedError">'
                f"org.opentest4j.AssertionFailedError: {escape(message)}\n{trace}</failure>\n"
            )
        elif roll < 0.04:
            body = (
                '      <error message="Connection refused" type="java.net.ConnectException">'
                f"java.net.ConnectException: Connection refused\n{trace}</error>\n"
            )
        elif roll < 0.08:
            body = '      <skipped message="disabled on CI"/>\n'
        elif roll < 0.09:
            body = (
                '      <flakyFailure message="timed out" type="java.util.concurrent.Timeout'
                f'Exception">{trace}</flakyFailure>\n'
            )
        elif roll < 0.095:
            body = (
                f'      <failure message="still failing" type="java.lang.AssertionError">{trace}'
                "</failure>\n"
                f'      <rerunFailure message="still failing" type="java.lang.AssertionError">'
                f"{trace}</rerunFailure>\n"
            )
        if rng.random() < 0.5:
            lines = "".join(
                f"2024-08-05 15:24:{rng.randint(10, 59)} INFO  [{cls}] step {i} of {test} done"
                f" in {rng.randint(1, 999)} ms\n"
                for i in range(rng.randint(3, 12))
            )
            body += f"      <system-out>{escape(lines)}</system-out>\n"
        time = f' time="{rng.expovariate(1 / 0.05):.3f}"'
        if body:
            parts.append(f"    <testcase {attrs}{time}>\n{body}    </testcase>\n")
        else:
            parts.append(f"    <testcase {attrs}{time}/>\n")
    parts.append("  </testsuite>\n")
    return "".join(parts)


def _matrix() -> str:
    benchmarks = ""
    for key, selection in SELECTIONS.items():
        globs = ", ".join(f"{k}: {json.dumps(v)}" for k, v in selection.items())
        benchmarks += f"          - id: {key}\n"
        benchmarks += f"            tests: {{from: unit, {globs}, pass_rate: 90%}}\n"
    return (
        "version: 1\n"
        "phases:\n  - {id: stone, name: Stone, theme: the whole build}\n"
        "artifacts:\n  unit: {format: junit, paths: [report.xml]}\n"
        "swimlanes:\n  - id: build\n    name: Build\n    cells:\n      stone:\n"
        f"        goal: the build's tests\n        benchmarks:\n{benchmarks}"
    )


def prepare(folder: Path, cases: int) -> Path:
    """The folder holding report.xml (generated unless present), matrix and selections."""
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "report.xml"
    if not report.exists():
        partial = folder / "report.xml.partial"
        generate(partial, cases)
        partial.replace(report)
    (folder / "gatekeeper.yml").write_text(_matrix(), encoding="utf-8")
    (folder / "selections.json").write_text(json.dumps(SELECTIONS), encoding="utf-8")
    return report


_SUMMARY = re.compile(r"(\d+)/(\d+) tests passed(?:, (\d+) skipped)?(?:, (\d+) flaky)?")


def _counts(out: str) -> object:
    report = json.loads(out)
    counts = {}
    for cell in report["cells"]:
        for bench in cell["benchmarks"]:
            found = _SUMMARY.match(bench["summary"])
            assert found is not None, bench["summary"]
            counts[bench["id"]] = [int(g or 0) for g in found.groups()]
    return json.dumps(counts, sort_keys=True)


def _check(gatekeeper: str, folder: Path) -> list[str]:
    matrix = str(folder / "gatekeeper.yml")
    return [gatekeeper, "check", "-m", matrix, "--dry-run", "--format", "json"]


def contenders(folder: Path, before: str | None = None) -> list[_process.Command]:
    """gatekeeper, junitparser + lxml, the floor; then ``before`` (another gatekeeper)."""
    report = folder / "report.xml"
    inputs = (report, folder / "selections.json")
    earlier = []
    if before is not None:
        earlier.append(
            _process.Command("gatekeeper check (before)", _check(before, folder), _counts)
        )
    return [
        _process.Command("gatekeeper check", _check(_process.gatekeeper(), folder), _counts),
        _process.Command(
            "junitparser + lxml",
            [sys.executable, str(HERE / "alternatives" / "junit_lxml.py"), *map(str, inputs)],
            read=lambda out: out.strip(),
        ),
        _process.Command(
            "pyexpat floor (no handlers)",
            [sys.executable, str(HERE / "alternatives" / "pyexpat_floor.py"), str(report)],
        ),
        *earlier,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--quick", action="store_true", help="a tiny run: do the numbers agree?")
    parser.add_argument(
        "--before",
        metavar="GATEKEEPER",
        help="another gatekeeper command to compare (a main venv's)",
    )
    args = parser.parse_args(argv)
    sizes, runs = ([2_000], 2) if args.quick else (args.cases, args.runs)
    print(_process.machine())
    ok = True
    per_case = []
    for cases in sizes:
        folder = prepare(args.dir / f"junit-{cases}", cases).parent
        size = (folder / "report.xml").stat().st_size
        print(f"\n{cases:,} cases in {SUITES} suites, {size / 1e6:.1f} MB; {runs} runs each")
        warmup = 0 if cases > 100_000 else 1
        measured = _process.measure(contenders(folder, args.before), runs=runs, warmup=warmup)
        gatekeeper, lxml, floor = measured[:3]
        print(_process.table(measured, "junitparser + lxml"))
        agree = all(m.answer == lxml.answer for m in measured if m is not floor)
        print(f"results: {gatekeeper.answer}")
        print(_process.verdict("same numbers from gatekeeper and junitparser", agree, "counts"))
        speedup = lxml.median / gatekeeper.median
        fast = speedup >= TARGET_SPEEDUP
        flat = gatekeeper.peak_bytes <= PEAK_LIMIT
        per_case.append((cases, gatekeeper.median, gatekeeper.peak_bytes))
        floor_ratio = gatekeeper.median / floor.median
        detail = f"{speedup:.2f}x; {floor_ratio:.2f}x the pyexpat floor"
        if cases >= 100_000:  # the target's sizes; below, start-up weighs most
            label = f">= {TARGET_SPEEDUP:.0f}x faster than junitparser + lxml"
            print(_process.verdict(label, fast, detail))
        else:
            print(
                f"  [info] vs junitparser + lxml (the target is for 100k cases and more): {detail}"
            )
            fast = True
        if args.before:
            print(f"  [info] vs before: {measured[3].median / gatekeeper.median:.2f}x faster")
        print(_process.verdict("peak <= 64 MiB", flat, _process.mib(gatekeeper.peak_bytes)))
        ok = ok and agree and (args.quick or (fast and flat))
    print("\nscale (gatekeeper check): cases, time per case, peak")
    for cases, seconds, peak in per_case:
        print(f"  {cases:>9,}  {seconds / cases * 1e6:7.2f} µs/case  {_process.mib(peak)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
