"""`gatekeeper check` on a monorepo's Cobertura XML, LCOV tracefile and coverage.py JSON,
whole processes.

Generates (seeded, under /tmp/gatekeeper-bench, reused when present) coverage.py-shaped
Cobertura XML, a geninfo-shaped LCOV tracefile and coverage.py's ``coverage json`` of the
same project (see _coverage_generate.py: 200 measured lines a file on average, 1,000 /
10,000 / 50,000 files by default, up to 10 million lines: 450 MB of XML, 170 MB of LCOV,
100 MB of JSON) and a matrix of
three benchmarks: ``TOTAL`` ``line >= 80%``, the folder ``pkg7/*`` (its files summed, see
gatekeeper/engine/coverage.py) and one file. Contenders (see _process.py), per format and
size, each printing covered and total lines and branches of TOTAL and of the folder:

- gatekeeper: ``gatekeeper check --dry-run --format json`` (the counts are the ``value``
  of its report's measurements ``lines_covered`` ... ``branches_total``);
- Cobertura: ``alternatives/cobertura_lxml.py``, lxml's ``iterparse`` summing each class's
  lines (pycobertura cannot give these counts: see that script);
- LCOV: ``lcov --summary`` and ``lcov --extract 'pkg7/*'`` (lcov 1.16, Debian's package,
  branch coverage on), as a user gets the total and a folder's coverage with lcov;
- coverage.py JSON: ``alternatives/coverage_json_orjson.py``, orjson loading the whole file
  and summing each file's summary (``coverage report`` needs the ``.coverage`` database,
  which is not what CI hands over: see that script).

The answers must agree before a time is reported. Gatekeeper's peak memory should stay
about flat as the report grows (the parsers stream); the script prints it per size.

    python benchmarks/coverage.py [--files N ...] [--runs R] [--dir DIR] [--quick]
        [--formats cobertura lcov coverage-json]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _coverage_generate
import _process

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = Path("/tmp/gatekeeper-bench")
FOLDER = "pkg7/"
LCOV_BRANCHES = ("--rc", "lcov_branch_coverage=1")
COUNTS = ("lines_covered", "lines_total", "branches_covered", "branches_total")
Answer = dict[str, dict[str, list[int]]]
"""TOTAL and the folder's selector -> "lines" / "branches" -> [covered, total]."""


REPORTS = ("coverage.xml", "coverage.info", "coverage.json")
FORMATS = ("cobertura", "lcov", "coverage-json")


def prepare(folder: Path, files: int, formats: Sequence[str] = FORMATS) -> tuple[Path, ...]:
    """The folder's coverage.xml, coverage.info and coverage.json (those of ``formats``
    generated unless present) and matrices."""
    folder.mkdir(parents=True, exist_ok=True)
    reports = tuple(folder / name for name in REPORTS)
    writers = (
        _coverage_generate.write_cobertura,
        _coverage_generate.write_lcov,
        _coverage_generate.write_coverage_json,
    )
    for report, write, fmt in zip(reports, writers, FORMATS, strict=True):
        if fmt in formats and not report.exists():  # generated once per size, never committed
            partial = report.with_name(report.name + ".partial")
            write(partial, files)
            partial.replace(report)
    # the first file of the folder pkg7/sub1 (consecutive files share a folder)
    first = -(-(7 * _coverage_generate.SUB + 1) * files // 100)
    one = f"pkg7/sub1/module_{first}.py"
    for report, fmt in zip(reports, FORMATS, strict=True):
        matrix = folder / f"{fmt}.gatekeeper.yml"
        matrix.write_text(_matrix(fmt, report.name, one), encoding="utf-8")
    return reports


def _matrix(fmt: str, report: str, one: str) -> str:
    counts = ", ".join(f'"{name} >= 0"' for name in COUNTS)
    benchmarks = (
        ("total", "TOTAL", f'["line >= 80%", {counts}]'),
        ("folder", FOLDER + "*", f'["line >= 60%", {counts}]'),
        ("one-file", one, '"line >= 10%"'),
    )
    listed = "".join(
        f"          - id: {bench_id}\n"
        f"            metric: {{from: cov, name: {json.dumps(name)}}}\n"
        f"            threshold: {threshold}\n"
        for bench_id, name, threshold in benchmarks
    )
    return (
        "version: 1\ncurrent: run\nphases:\n  - {id: run, name: Run, theme: benchmark}\n"
        f"artifacts:\n  cov: {{format: {fmt}, paths: [{json.dumps(report)}]}}\n"
        "swimlanes:\n  - id: coverage\n    name: Coverage\n    cells:\n      run:\n"
        f"        goal: the monorepo's coverage\n        benchmarks:\n{listed}"
    )


def _report(stdout: str) -> Answer:
    """TOTAL's and the folder's counts, from the ``value`` of the report's measurements."""
    values: dict[str, dict[str, int]] = {}
    for cell in json.loads(stdout)["cells"]:
        for benchmark in cell["benchmarks"]:
            for measured in benchmark["measurements"]:
                statistic = measured["threshold"].split()[0]
                if statistic in COUNTS:
                    values.setdefault(measured["series"], {})[statistic] = measured["value"]
    return {
        series: {kind: [found[f"{kind}_covered"], found[f"{kind}_total"]]
                 for kind in ("lines", "branches")}
        for series, found in values.items()
    }  # fmt: skip


def _printed(stdout: str) -> Answer:
    found: Answer = json.loads(stdout)
    return found


_SUMMARY = re.compile(r"^\s+(lines|branches)\.+: [\d.]+% \((\d+) of (\d+) \w+\)$", re.M)


def _lcov_summaries(stdout: str) -> Answer:
    """The two summaries lcov prints: the whole tracefile's, then the extracted folder's."""
    found: list[dict[str, list[int]]] = []
    for kind, covered, total in _SUMMARY.findall(stdout):
        if kind == "lines":
            found.append({})
        found[-1][kind] = [int(covered), int(total)]
    if len(found) != 2:
        raise SystemExit(f"lcov printed {len(found)} summaries, not 2:\n{stdout[-2000:]}")
    return {"TOTAL": found[0], FOLDER + "*": found[1]}


def contenders(folder: Path) -> list[tuple[str, list[_process.Command]]]:
    """Per format: gatekeeper and the alternative."""
    xml, info, report = (folder / name for name in REPORTS)
    gatekeeper = _process.gatekeeper()

    def check(fmt: str) -> list[str]:
        matrix = str(folder / f"{fmt}.gatekeeper.yml")
        return [gatekeeper, "check", "-m", matrix, "--dry-run", "--format", "json"]

    lxml = [sys.executable, str(HERE / "alternatives" / "cobertura_lxml.py"), str(xml), FOLDER]
    orjson = [
        sys.executable,
        str(HERE / "alternatives" / "coverage_json_orjson.py"),
        str(report),
        FOLDER,
    ]
    extracted = folder / "extracted.info"
    script = (
        'lcov --summary "$1" "$3" "$4" && lcov --extract "$1" "$2" "$3" "$4" --output-file "$5"'
    )
    lcov = ["sh", "-c", script, "lcov", str(info), FOLDER + "*", *LCOV_BRANCHES, str(extracted)]
    return [
        ("Cobertura", [
            _process.Command("gatekeeper check", check("cobertura"), _report),
            _process.Command("lxml iterparse", lxml, _printed),
        ]),
        ("LCOV", [
            _process.Command("gatekeeper check", check("lcov"), _report),
            _process.Command("lcov --summary/--extract", lcov, _lcov_summaries),
        ]),
        ("coverage.py JSON", [
            _process.Command("gatekeeper check", check("coverage-json"), _report),
            _process.Command("orjson.loads", orjson, _printed),
        ]),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--quick", action="store_true", help="a tiny run: do the numbers agree?")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    args = parser.parse_args(argv)
    if "lcov" in args.formats and shutil.which("lcov") is None:
        raise SystemExit("missing lcov: apt-get install lcov (Debian's package)")
    sizes, runs = ([100], 2) if args.quick else (args.files, args.runs)
    print(_process.machine())
    ok = True
    scale: list[tuple[str, int, int, float, int]] = []
    for files in sizes:
        folder = args.dir / f"coverage-{files}"
        reports = prepare(folder, files, args.formats)
        for (label, commands), report, fmt in zip(
            contenders(folder), reports, FORMATS, strict=True
        ):
            if fmt not in args.formats:
                continue
            size = report.stat().st_size
            print(f"\n{label}, {files:,} files, {size / 1e6:.1f} MB; {runs} runs each")
            warmup = 0 if files > 10_000 else 1
            measured = _process.measure(commands, runs=runs, warmup=warmup)
            print(_process.table(measured, commands[1].name))
            print(f"results: {json.dumps(measured[0].answer, sort_keys=True)}")
            agree = _process.agree(measured)
            detail = "lines and branches of TOTAL and pkg7/*"
            print(_process.verdict(f"same numbers from gatekeeper and {commands[1].name}",
                                   agree, detail))  # fmt: skip
            ok = ok and agree
            gatekeeper, other = measured
            scale.append((label, files, size, gatekeeper.median, gatekeeper.peak_bytes))
            print(
                f"  [info] gatekeeper {other.median / gatekeeper.median:.2f}x as fast as "
                f"{other.name}; peak {_process.mib(gatekeeper.peak_bytes)} against "
                f"{_process.mib(other.peak_bytes)}"
            )
    print("\nscale (gatekeeper check): format, files, MB, time per 1,000 files, peak")
    for label, files, size, seconds, peak in scale:
        print(
            f"  {label:16} {files:>7,} {size / 1e6:8.1f} MB  {seconds / files * 1e3:7.3f} s"
            f"  {_process.mib(peak)}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
