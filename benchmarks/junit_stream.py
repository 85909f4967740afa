"""Benchmark the streaming JUnit parser against junitparser's full tree, in the same run.

Generates (seeded, under /tmp, reused when present) one JUnit XML report of
100,000 test cases in 500 suites, shaped like Maven Surefire's: properties per
suite, failures and errors with stack traces, skips, Surefire reruns (flaky and
rerun failures) and system-out on a third of the cases.

Contenders, each in a fresh process, all counting cases by outcome:
- gatekeeper: ``junit.parse`` (the ``TestResult`` tuple it returns is kept);
- gatekeeper streaming: the same records consumed one at a time (its working set);
- junitparser: ``JUnitXml.fromfile`` (the whole tree), then iterating every case.

Targets: gatekeeper at least 2x junitparser's throughput; the streaming working set
under 30 MB peak resident whatever the size (the returned tuple grows with the cases).

    python benchmarks/junit_stream.py [--cases N] [--dir DIR] [--repeats R] [--quick]
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.etree.ElementTree import Element

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _measure

SUITES = 500
_TRACE = (
    "\tat com.acme.{module}.{cls}.{test}({cls}.java:{line})\n"
    "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(Unknown Source)\n"
    "\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)\n"
    "\tat org.junit.platform.commons.util.ReflectionUtils.invokeMethod(ReflectionUtils.java:728)\n"
    "\tat org.junit.jupiter.engine.execution.MethodInvocation.proceed(MethodInvocation.java:60)\n"
    "\tat org.junit.jupiter.engine.extension.TimeoutExtension"
    ".intercept(TimeoutExtension.java:156)\n"
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


def _suite(rng: random.Random, index: int, count: int) -> str:
    # Imported here: it pulls in urllib.request, megabytes the measured children need not.
    from xml.sax.saxutils import escape, quoteattr

    module = f"module{index % 37}"
    cls = f"Service{index}Test"
    name = f"com.acme.{module}.{cls}"
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
        trace = escape(_TRACE.format(module=module, cls=cls, test=test, line=rng.randint(20, 900)))
        attrs = f"name={quoteattr(test)} classname={quoteattr(name)} time="
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
        if rng.random() < 1 / 3:
            lines = "".join(
                f"2024-08-05 15:24:{rng.randint(10, 59)} INFO  [{cls}] step {i} done\n"
                for i in range(rng.randint(1, 6))
            )
            body += f"      <system-out>{escape(lines)}</system-out>\n"
        time = f'"{rng.expovariate(1 / 0.05):.3f}"'
        if body:
            parts.append(f"    <testcase {attrs}{time}>\n{body}    </testcase>\n")
        else:
            parts.append(f"    <testcase {attrs}{time}/>\n")
    parts.append("  </testsuite>\n")
    return "".join(parts)


# --- the contenders, each run as ``junit_stream.py --child NAME FILE`` ---------------------


def _tally(outcomes: Counter[str], status: str, seconds: float | None, reruns: int) -> None:
    outcomes[status] += 1
    outcomes["flaky"] += status == "passed" and reruns > 0
    outcomes["reruns"] += reruns
    outcomes["microseconds"] += round((seconds or 0) * 1e6)


def _gatekeeper(path: Path) -> Callable[[], dict[str, object]]:
    from gatekeeper.parsers.testresults import junit

    def work() -> dict[str, object]:
        outcomes: Counter[str] = Counter()
        for test in junit.parse(path, path.name).tests:
            _tally(outcomes, test.status.value, test.duration, test.reruns)
            outcomes["messages"] += test.message is not None
        return dict(outcomes)

    return work


def _gatekeeper_streaming(path: Path) -> Callable[[], dict[str, object]]:
    """The same code path, but each result is dropped once counted: the working set."""
    from gatekeeper.parsers import _xml
    from gatekeeper.parsers.testresults import junit

    def work() -> dict[str, object]:
        outcomes: Counter[str] = Counter()
        convert = junit.converter(path.name)

        def count(case: Element, enclosing: Sequence[Element]) -> None:
            test = convert(case, enclosing)
            _tally(outcomes, test.status.value, test.duration, test.reruns)
            outcomes["messages"] += test.message is not None

        _xml.read_records(path, path.name, junit.LAYOUT, count)
        return dict(outcomes)

    return work


def _junitparser(path: Path) -> Callable[[], dict[str, object]]:
    from junitparser import Error, Failure, Skipped, xunit2

    def work() -> dict[str, object]:
        outcomes: Counter[str] = Counter()
        for suite in xunit2.JUnitXml.fromfile(str(path)):
            for case in suite:
                kinds = [(case.is_error, Error), (case.is_failure, Failure)]
                kinds.append((case.is_skipped, Skipped))
                found = next((kind for hit, kind in kinds if hit), None)
                status = {Error: "error", Failure: "failed", Skipped: "skipped"}.get(
                    found, "passed"
                )
                reruns = len(case.flaky_failures()) + len(case.flaky_errors())
                reruns += len(case.rerun_failures()) + len(case.rerun_errors())
                _tally(outcomes, status, case.time, reruns)
                result = next((r for r in case.result if found and isinstance(r, found)), None)
                outcomes["messages"] += bool(result is not None and (result.message or result.text))
        return dict(outcomes)

    return work


CONTENDERS = {
    "gatekeeper junit.parse": _gatekeeper,
    "gatekeeper streaming (working set)": _gatekeeper_streaming,
    "junitparser JUnitXml.fromfile": _junitparser,
}
REFERENCE = "junitparser JUnitXml.fromfile"
STREAM_PEAK_LIMIT = 30 * 1024 * 1024


def main(argv: Sequence[str] | None = None) -> int:
    args = _measure.arguments(__doc__, "--cases", 100_000, argv)
    if _measure.served_child(args, CONTENDERS):
        return 0
    cases, repeats = (2_000, 1) if args.quick else (args.cases, args.repeats)
    path = _measure.prepare(args.dir / f"junit-{cases}-cases.xml", lambda p: generate(p, cases))
    size = path.stat().st_size
    print(f"{path}: {cases:,} cases in {SUITES} suites, {size / 1e6:.1f} MB; best of {repeats}")
    runs = _measure.best_runs(Path(__file__), list(CONTENDERS), [str(path)], repeats)
    by_name = {run.name: run for run in runs}
    reference = by_name[REFERENCE]
    print(_measure.table(runs, reference, size, "cases", cases))
    agree = all(run.result == reference.result for run in runs)
    print(f"results: {reference.result}")
    print(_measure.verdict("same numbers from every contender", agree, "counts, reruns, time"))
    gatekeeper = by_name["gatekeeper junit.parse"]
    streaming = by_name["gatekeeper streaming (working set)"]
    speedup = reference.seconds / gatekeeper.seconds
    fast = speedup >= 2
    flat = streaming.peak_bytes < STREAM_PEAK_LIMIT
    print(_measure.verdict("throughput >= 2x junitparser", fast, f"{speedup:.2f}x"))
    print(
        _measure.verdict(
            "streaming peak < 30 MB",
            flat,
            f"{_measure.mib(streaming.peak_bytes).strip()} (parse() keeps every result:"
            f" {_measure.mib(gatekeeper.peak_bytes).strip()})",
        )
    )
    if not agree:
        return 1
    return 0 if args.quick or (fast and flat) else 2


if __name__ == "__main__":
    raise SystemExit(main())
