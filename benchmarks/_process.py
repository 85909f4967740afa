"""Whole-process measurement: each contender is the command a user runs, imports and all.

A contender is an argv (``gatekeeper check ...``, or a small script using the library a
user would reach for instead) and a function that reads its answer from its standard
output, so every contender must produce its result and all must agree. ``measure``:

0. compiles the package to bytecode, as ``pip install`` does (see ``compile_bytecode``);
1. runs each contender once under GNU ``time`` (``/usr/bin/time -f %M``): the exit code
   must be the one expected, the answer is read, and the peak resident set is the
   child's own (``time`` forks and execs, so the figure is not inflated by a large
   parent, as ``ru_maxrss`` after a Python ``fork`` would be);
2. times them with hyperfine (``-N``: no shell in between), all contenders in one
   hyperfine run, then again in the reverse order, so a slow spell of a shared machine
   hits them alike; the median of the pooled runs is the figure;
3. runs each once more under ``time`` and keeps the higher peak.

Nothing is timed inside a process: the figures are what ``time gatekeeper ...`` shows.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

GNU_TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Command:
    """One contender: the whole command, the exit code it must end with, its answer."""

    name: str
    argv: Sequence[str]
    read: Callable[[str], object] = field(default=lambda out: None)
    """Reads the contender's answer from its standard output (compared across contenders)."""
    exit_code: int = 0
    prepare: Sequence[str] = ()
    """Run, untimed, before every run of the contender (e.g. removing what the last one made)."""


@dataclass(frozen=True)
class Measured:
    name: str
    median: float
    """Seconds, whole process, median of every timed run."""
    times: tuple[float, ...]
    peak_bytes: int
    """The highest peak resident set seen over the untimed runs."""
    answer: object


def gatekeeper() -> str:
    """The ``gatekeeper`` console script of the running interpreter's environment."""
    beside = Path(sys.executable).with_name("gatekeeper")
    found = str(beside) if beside.exists() else shutil.which("gatekeeper")
    if found is None:
        raise SystemExit("no `gatekeeper` command: pip install -e . first")
    return found


def require_tools() -> None:
    missing = [tool for tool in ("hyperfine", GNU_TIME) if shutil.which(tool) is None]
    if missing:
        raise SystemExit(
            f"missing {', '.join(missing)}: apt-get install hyperfine time (Debian's packages)"
        )


def compile_bytecode() -> None:
    """Compile the gatekeeper package (and this checkout's benchmarks) to bytecode first.

    ``pip install`` compiles a wheel's modules, so a user's run never compiles them; an
    editable install under ``PYTHONDONTWRITEBYTECODE`` (set on some CI machines) never
    keeps them, and every timed run would pay for compiling every module it imports.
    """
    import compileall

    repo = Path(__file__).resolve().parents[1]
    for folder in (repo / "gatekeeper", repo / "benchmarks"):
        if not compileall.compile_dir(folder, quiet=1):
            raise SystemExit(f"cannot compile {folder}")


def _once(command: Command) -> tuple[int, object]:
    """Run ``command`` under GNU time: its peak resident set in bytes, and its answer."""
    if command.prepare:
        subprocess.run(command.prepare, check=True)
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        argv = [GNU_TIME, "-f", "%M", "-o", report.name, *command.argv]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != command.exit_code:
            raise SystemExit(
                f"{command.name}: exit code {done.returncode}, expected {command.exit_code}\n"
                f"$ {shlex.join(command.argv)}\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
            )
        kib = int(Path(report.name).read_text().split()[-1])
    return kib * 1024, command.read(done.stdout)


def _hyperfine(commands: Sequence[Command], runs: int, warmup: int) -> dict[str, list[float]]:
    with tempfile.NamedTemporaryFile("r", suffix=".json") as export:
        argv = ["hyperfine", "-N", "--style", "basic", "--ignore-failure"]
        argv += ["--warmup", str(warmup), "--runs", str(runs), "--export-json", export.name]
        for command in commands:
            argv += ["--command-name", command.name, shlex.join(command.argv)]
        if any(command.prepare for command in commands):  # then one --prepare per command
            for command in commands:
                argv += ["--prepare", shlex.join(command.prepare or ["true"])]
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if (
            done.returncode != 0
        ):  # its warnings (ignored exit codes) are not news: exits are checked
            raise SystemExit(f"hyperfine failed:\n{done.stderr}")
        results = json.loads(Path(export.name).read_text())["results"]
    return {result["command"]: list(result["times"]) for result in results}


def measure(commands: Sequence[Command], runs: int = 10, warmup: int = 1) -> list[Measured]:
    """Every contender's whole-process median time, peak memory and answer; see the module."""
    require_tools()
    compile_bytecode()
    first = {command.name: _once(command) for command in commands}
    times: dict[str, list[float]] = {command.name: [] for command in commands}
    for order in (list(commands), list(reversed(commands))):
        for name, seen in _hyperfine(order, max(1, runs // 2), warmup).items():
            times[name] += seen
    measured = []
    for command in commands:
        peak, answer = first[command.name]
        peak = max(peak, _once(command)[0])
        seconds = tuple(times[command.name])
        measured.append(Measured(command.name, statistics.median(seconds), seconds, peak, answer))
    return measured


def agree(measured: Sequence[Measured]) -> bool:
    """Whether every contender gave the same answer."""
    return all(m.answer == measured[0].answer for m in measured)


def mib(value: int) -> str:
    return f"{value / 1024 / 1024:.1f} MiB"


def table(measured: Sequence[Measured], reference: str) -> str:
    """Median, spread, ratio to ``reference`` (its time over a contender's) and peak memory."""
    base = next(m for m in measured if m.name == reference)
    lines = [f"{'contender':40} {'median':>9} {'min-max':>17} {'vs ' + reference:>14} {'peak':>11}"]
    for m in measured:
        spread = f"{min(m.times):.3f}-{max(m.times):.3f}s"
        lines.append(
            f"{m.name:40} {m.median:8.3f}s {spread:>17} {m.median / base.median:13.2f}x"
            f" {mib(m.peak_bytes):>11}"
        )
    lines.append(f"(vs {reference}: a contender's median time over {reference}'s; >1 is slower)")
    return "\n".join(lines)


def machine() -> str:
    """The machine the figures were measured on, for the record."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    version = subprocess.run(["hyperfine", "--version"], capture_output=True, text=True).stdout
    return (
        f"{os.cpu_count()} cores, {model}; Python {platform.python_version()}; "
        f"{version.strip()}; {platform.system()} {platform.release()}"
    )


def load() -> str:
    """The machine's load average now (1, 5 and 15 minutes): others' work skews a figure."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def verdict(label: str, ok: bool, detail: str) -> str:
    return f"  [{'met' if ok else 'NOT met'}] {label}: {detail}"
