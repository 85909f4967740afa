"""`gatekeeper check --format html --history DIR`: the HTML page drawn from a long history,
whole processes, against the same check with no history and a plain orjson read of the
history.

The history is benchmarks/history.py's (10,000 evaluations of 50 benchmarks by default,
generated under /tmp/gatekeeper-bench and reused). The matrix's benchmarks read a JUnit
artifact that does not exist, so every run is `no evidence` (exit 3) and draws the page: its
trend charts come from the history alone. Contenders:

- ``check --format html --history DIR``: the page with its timeline and 50 charts;
- ``check --format html``: the same page without a history (what the history costs);
- ``alternatives/history_orjson.py``: every line read with orjson, each benchmark's latest
  value and each phase's first pass: the least any page drawn from this history must do.

The page and the script must agree on each benchmark's newest charted value.

    python benchmarks/history_page.py [--evaluations N] [--benchmarks B] [--runs R] [--quick]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _process
import history

NO_EVIDENCE = 3
_CHART = re.compile(r'<svg role="img" class="trend" data-benchmark="([^"]+)"(.*?)</svg>', re.S)
_VALUE = re.compile(r'data-value="([^"]+)"')


def _from_page(out: str) -> object:
    latest = {}
    for ref, body in _CHART.findall(out):
        values = _VALUE.findall(body)
        latest[ref] = float(values[-1])
    return latest


def _from_script(out: str) -> object:
    return json.loads(out)["latest"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=10_000)
    parser.add_argument("--benchmarks", type=int, default=50)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--dir", type=Path, default=history.DEFAULT_DIR)
    parser.add_argument("--quick", action="store_true", help="a tiny run: do the numbers agree?")
    args = parser.parse_args(argv)
    sizes = (400, 4, 2) if args.quick else (args.evaluations, args.benchmarks, args.runs)
    evaluations, benchmarks, runs = sizes
    print(_process.machine())
    folder = history.prepare(
        args.dir / f"history-{evaluations}x{benchmarks}", evaluations, benchmarks
    )
    lines = folder / "history"
    size = sum(f.stat().st_size for f in lines.glob("*.jsonl"))
    check = [_process.gatekeeper(), "check", "-m", str(folder / "gatekeeper.yml"),
             "--format", "html"]  # fmt: skip
    script = Path(__file__).resolve().parent / "alternatives" / "history_orjson.py"
    contenders = [
        _process.Command(
            "check --format html --history",
            [*check, "--history", str(lines)],
            _from_page,
            exit_code=NO_EVIDENCE,
        ),
        _process.Command("check --format html (no history)", check, exit_code=NO_EVIDENCE),
        _process.Command("orjson script", [sys.executable, str(script), str(lines)], _from_script),
    ]
    print(f"\n{evaluations:,} evaluations x {benchmarks} benchmarks, {size / 1e6:.1f} MB; "
          f"{runs} runs each; {_process.load()}")  # fmt: skip
    measured = _process.measure(contenders, runs=runs, warmup=1)
    print(_process.table(measured, "orjson script"))
    page, script_answer = measured[0].answer, measured[2].answer
    agree = page == script_answer
    print(_process.verdict("the page's newest value of each chart is the script's latest",
                           agree, f"{len(page)} charts"))  # type: ignore[arg-type]  # fmt: skip
    print(f"after: {_process.load()}")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
