"""`gatekeeper check` on a large SARIF log against the tools a user would count it with,
whole processes.

Generates (seeded, under /tmp/gatekeeper-bench, reused when present) a SARIF 2.1.0 log shaped
like CodeQL's: the rules in an extension (a query pack) referred to by ``rule.index`` and
``toolComponent``, results with a level, a message, a location under ``%SRCROOT%``,
``partialFingerprints``, a fifth of them with a code flow of six steps and a tenth with related
locations, about 750 bytes a result. Contenders (see _process.py), per size:

- gatekeeper: ``gatekeeper check --dry-run --format json`` with a findings benchmark per level
  (the counts from its report's ``found``);
- sarif-tools (Microsoft's ``sarif summary``, PyPI ``sarif-tools``): its counts by level;
- orjson: ``alternatives/sarif_orjson.py``, ``orjson.loads`` and a count by level: the floor
  of reading the whole document with the fastest JSON parser (it resolves nothing).

gatekeeper reads a SARIF log whole (JSON documents are capped at 64 MiB), so its peak
memory grows with the file; the figures say by how much.

    python benchmarks/sarif.py [--results N ...] [--runs R] [--dir DIR] [--quick]
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
SIZES = (1_000, 10_000, 40_000)
RULES = 200
LEVELS = ("error", "warning", "note")


def generate(path: Path, results: int, seed: int = 20261203) -> None:
    """Write a CodeQL-shaped log of ``results`` results over RULES rules."""
    rng = random.Random(seed)
    rules = [
        {
            "id": f"py/rule-{index}",
            "name": f"rule-{index}",
            "shortDescription": {"text": f"Rule {index} finds a kind of problem"},
            "defaultConfiguration": {"level": LEVELS[index % 3]},
            "properties": {"security-severity": f"{rng.uniform(1, 10):.1f}", "tags": ["security"]},
        }
        for index in range(RULES)
    ]
    files = max(1, results // 20)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", ')
        out.write('"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "CodeQL", ')
        out.write('"semanticVersion": "2.19.0"}, "extensions": [{"name": "codeql/python-queries", ')
        out.write('"rules": ' + json.dumps(rules) + "}]}, ")
        out.write('"originalUriBaseIds": {"%SRCROOT%": {"uri": "file:///home/runner/work/r/r/"}}, ')
        out.write('"results": [')
        for number in range(results):
            if number:
                out.write(", ")
            out.write(json.dumps(_result(rng, files)))
        out.write("]}]}\n")


def _location(rng: random.Random, files: int) -> dict[str, object]:
    line = rng.randint(1, 2000)
    return {
        "physicalLocation": {
            "artifactLocation": {
                "uri": f"src/mod{rng.randrange(files) % 97}/file{rng.randrange(files)}.py",
                "uriBaseId": "%SRCROOT%",
            },
            "region": {"startLine": line, "startColumn": rng.randint(1, 60), "endColumn": 80},
        }
    }


def _result(rng: random.Random, files: int) -> dict[str, object]:
    rule = rng.randrange(RULES)
    found: dict[str, object] = {
        "ruleId": f"py/rule-{rule}",
        "rule": {"id": f"py/rule-{rule}", "index": rule, "toolComponent": {"index": 0}},
        "level": LEVELS[rule % 3],
        "message": {"text": f"This expression reaches a sink of rule {rule} unchecked [here]."},
        "locations": [_location(rng, files)],
        "partialFingerprints": {"primaryLocationLineHash": f"{rng.getrandbits(64):016x}:1"},
    }
    if rng.random() < 0.2:
        steps = [{"location": _location(rng, files)} for _ in range(6)]
        found["codeFlows"] = [{"threadFlows": [{"locations": steps}]}]
    if rng.random() < 0.1:
        found["relatedLocations"] = [_location(rng, files) for _ in range(2)]
    return found


def _log(folder: Path, results: int) -> Path:
    path = folder / f"sarif-{results}-results.sarif"
    if not path.exists():  # generated once per size, never committed
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        generate(partial, results)
        partial.replace(path)
    return path


def _matrix(log: Path) -> Path:
    path = log.with_name(log.name + ".gatekeeper.yml")
    benchmarks = "\n".join(
        f"          - {{id: {level}, findings: {{from: lint, level: {level}, max: 100000000}}}}"
        for level in LEVELS
    )
    path.write_text(
        "version: 1\ncurrent: run\nphases:\n  - {id: run, name: Run}\n"
        f"artifacts:\n  lint: {{format: sarif, paths: [{json.dumps(log.name)}]}}\n"
        "swimlanes:\n  - id: code\n    name: Code\n    cells:\n      run:\n"
        f"        goal: the log's findings\n        benchmarks:\n{benchmarks}\n",
        encoding="utf-8",
    )
    return path


def _from_report(stdout: str) -> dict[str, int]:
    """Findings of each level alone, from the counts of each level and above."""
    (cell,) = json.loads(stdout)["cells"]
    at_least = {b["id"]: b["found"]["counted"] for b in cell["benchmarks"]}
    return {
        "error": at_least["error"],
        "warning": at_least["warning"] - at_least["error"],
        "note": at_least["note"] - at_least["warning"],
    }


_SUMMARY = re.compile(r"^(error|warning|note): (\d+)$", re.MULTILINE)


def _from_summary(stdout: str) -> dict[str, int]:
    found = dict.fromkeys(LEVELS, 0)
    found.update({level: int(n) for level, n in _SUMMARY.findall(stdout)})
    return found


def _from_script(stdout: str) -> dict[str, int]:
    counted: dict[str, int] = json.loads(stdout)
    return {level: counted.get(level, 0) for level in LEVELS}


def _contenders(log: Path) -> list[_process.Command]:
    check = ["check", "--matrix", str(_matrix(log)), "--dry-run", "--format", "json"]
    summary = str(Path(sys.executable).with_name("sarif"))
    script = [sys.executable, str(HERE / "alternatives" / "sarif_orjson.py"), str(log)]
    return [
        _process.Command("gatekeeper check", [_process.gatekeeper(), *check], _from_report),
        _process.Command("sarif summary", [summary, "summary", str(log)], _from_summary),
        _process.Command("orjson count", script, _from_script),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=6, help="timed runs per contender")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where the logs are written")
    parser.add_argument("--quick", action="store_true", help="500 results, 2 runs")
    args = parser.parse_args(argv)
    print(_process.machine())
    sizes = [500] if args.quick else args.results
    agreed = True
    for results in sizes:
        log = _log(args.dir, results)
        measured = _process.measure(_contenders(log), *((2, 0) if args.quick else (args.runs, 1)))
        print(f"\n{log}: {results:,} results, {log.stat().st_size / 1e6:,.1f} MB")
        print(_process.table(measured, "sarif summary"))
        print(f"results: {measured[0].answer}")
        same = _process.agree(measured)
        print(_process.verdict("same counts from every contender", same, "by level"))
        agreed &= same
    return 0 if agreed else 1


if __name__ == "__main__":
    raise SystemExit(main())
