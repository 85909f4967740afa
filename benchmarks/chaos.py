"""`gatekeeper check` on a large LitmusChaos ``ChaosResult`` list against an orjson script
counting verdicts, whole processes.

Builds (under /tmp/gatekeeper-bench, reused when present) ``kubectl get chaosresult -A -o
json --show-managed-fields`` of ITEMS results: the three ChaosResults of
``tests/parsers/fixtures/litmus/litmus3-list.json`` (a pass, an experiment still running, a
probe failure) repeated, each copy in its own engine, namespace and uid. Contenders (see
_process.py):

- gatekeeper: ``gatekeeper check --dry-run --format json`` on a matrix with one ``tests``
  benchmark over the list (every verdict and probe);
- orjson: ``alternatives/litmus_orjson.py``, ``orjson.loads`` and the verdicts and probes
  counted (passed, total, skipped).

Both counts are compared before a time is reported.

    python benchmarks/chaos.py [--items N ...] [--runs R] [--dir DIR] [--quick]
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _process

HERE = Path(__file__).resolve().parent
FIXTURE = HERE.parent / "tests" / "parsers" / "fixtures" / "litmus" / "litmus3-list.json"
DEFAULT_DIR = Path("/tmp/gatekeeper-bench")
SIZES = (1_000,)


def generate(path: Path, items: int) -> None:
    """Write a List of ``items`` ChaosResults, copies of the fixture's in their own engines."""
    listed = json.loads(FIXTURE.read_text(encoding="utf-8"))
    models = listed["items"]
    made = []
    for index in range(items):
        item = copy.deepcopy(models[index % len(models)])
        engine = f"{item['spec']['engine']}-{index}"
        item["spec"]["engine"] = engine
        item["metadata"]["name"] = f"{engine}-{item['spec']['experiment']}"
        item["metadata"]["namespace"] = f"team-{index % 20}"
        item["metadata"]["uid"] = f"5f0c1e9a-0d7e-4b55-9c1b-{index:012d}"
        made.append(item)
    listed["items"] = made
    path.write_text(json.dumps(listed, indent=4) + "\n", encoding="utf-8")  # kubectl's indent


def _results(folder: Path, items: int) -> Path:
    path = folder / f"chaosresults-{items}.json"
    if not path.exists():  # generated once per size, never committed
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        generate(partial, items)
        partial.replace(path)
    return path


def _matrix(results: Path) -> Path:
    path = results.with_name(results.name + ".gatekeeper.yml")
    path.write_text(
        "version: 1\ncurrent: run\nphases:\n  - {id: run, name: Run}\n"
        f"artifacts:\n  drills: {{format: litmus, paths: [{json.dumps(results.name)}]}}\n"
        "swimlanes:\n  - id: resilience\n    name: Resilience\n    cells:\n      run:\n"
        "        goal: the chaos drills\n        benchmarks:\n"
        "          - {id: drills, tests: {from: drills, pass_rate: 0%}}\n",
        encoding="utf-8",
    )
    return path


_SUMMARY = re.compile(r"(\d+)/(\d+) tests passed(?:, (\d+) skipped)?")


def _from_report(stdout: str) -> dict[str, int]:
    (cell,) = json.loads(stdout)["cells"]
    (benchmark,) = cell["benchmarks"]
    found = _SUMMARY.match(benchmark["summary"])
    assert found is not None, benchmark["summary"]
    passed, total, skipped = (int(group or 0) for group in found.groups())
    return {"passed": passed, "total": total, "skipped": skipped}


def _from_script(stdout: str) -> dict[str, int]:
    counted: dict[str, int] = json.loads(stdout)
    return counted


def _contenders(results: Path) -> list[_process.Command]:
    check = [_process.gatekeeper(), "check", "--matrix", str(_matrix(results)), "--dry-run"]
    script = [sys.executable, str(HERE / "alternatives" / "litmus_orjson.py"), str(results)]
    return [
        _process.Command("gatekeeper check", [*check, "--format", "json"], _from_report),
        _process.Command("orjson + count", script, _from_script),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=10, help="timed runs per contender")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where the lists are written")
    parser.add_argument("--quick", action="store_true", help="30 results, 2 runs")
    args = parser.parse_args(argv)
    print(_process.machine())
    agreed = True
    for items in [30] if args.quick else args.items:
        results = _results(args.dir, items)
        runs = (2, 0) if args.quick else (args.runs, 1)
        measured = _process.measure(_contenders(results), *runs)
        print(f"\n{results}: {items:,} ChaosResults, {results.stat().st_size / 1e6:,.1f} MB")
        print(_process.load())
        print(_process.table(measured, "orjson + count"))
        print(f"results: {measured[0].answer}")
        same = _process.agree(measured)
        print(_process.verdict("same counts from every contender", same, "passed, total"))
        agreed &= same
    return 0 if agreed else 1


if __name__ == "__main__":
    raise SystemExit(main())
