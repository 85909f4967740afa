"""`gatekeeper bench`: measure base and HEAD in turn, in this job, and judge the pairs.

The base commit is checked out in a temporary git worktree; the benchmark command runs there
and in the working tree (HEAD, as it is on disk), alternating for ``--rounds`` rounds in the
order base, HEAD, HEAD, base, base, … so that neither side always runs first. Each run writes
its artifact to the path the command names ``{out}``; gatekeeper reads it as any artifact (the
format detected by content), takes each series' statistic (``--max-change``'s, e.g. the
median of the run's samples), and judges each series' rounds with ``paired.compare_paired``.

Fail closed: a run that exits non-zero or times out, writes nothing, cannot be read, or
records a failure of its own, or holds a series twice, ends the command with no verdict
(exit 1); a series that some run lacks is not judged and fails; no series at all is exit 3.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from gatekeeper.commands.options import BenchOptions
from gatekeeper.compare import MIN_SAMPLES, Comparison, SampleError, compare
from gatekeeper.engine.rounds import round_figure
from gatekeeper.errors import EvidenceError, ExitCode, Position, UsageError
from gatekeeper.paired import compare_paired
from gatekeeper.parsers import AUTO, parse_file
from gatekeeper.phases.git import LocalGit
from gatekeeper.reporters.paired import SeriesRounds, render_json, render_text
from gatekeeper.selector import matches_any
from gatekeeper.text import plain
from gatekeeper.threshold import ChangeUnit, ThresholdSyntaxError, parse_change

SIDES = ("base", "head")


class RunError(EvidenceError):
    """A benchmark run gave no evidence: it failed, timed out, or wrote nothing readable."""


def run_bench(options: BenchOptions, environ: Mapping[str, str]) -> int:
    command = list(options.benchmark)
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        raise UsageError("bench: name the benchmark command after --, e.g. -- pytest ...")
    if not any("{out}" in word for word in command):
        raise UsageError(
            "bench: the command must write its results where {out} says, e.g. "
            "pytest bench/ --benchmark-json={out}"
        )
    try:
        change = parse_change(options.max_change)
    except ThresholdSyntaxError as exc:
        raise UsageError(f"bench: --max-change: {exc}") from exc
    if change.unit is ChangeUnit.POINTS:
        raise UsageError("bench: --max-change in points is for coverage ratios; write % here")
    if not (options.rounds >= 5):
        raise UsageError(f"bench: --rounds {options.rounds}: at least 5 (6 bound a 95 % interval)")
    if not (0.5 < options.confidence < 1):
        raise UsageError(f"bench: --confidence {options.confidence}: above 0.5 and below 1")
    here = Path.cwd()
    git = LocalGit(here)
    top = Path(git.top)
    base_commit = git.commit(options.base)
    out = Path(options.out).absolute()
    figures: dict[str, list[dict[str, float]]] = {side: [] for side in SIDES}
    samples: dict[str, dict[str, list[float]]] = {side: {} for side in SIDES}
    with tempfile.TemporaryDirectory(prefix="gatekeeper-bench-") as temp:
        checkout = Path(temp) / "base"
        git.add_worktree(checkout, base_commit)
        try:
            folders = {"base": checkout / here.relative_to(top), "head": here}
            for round_ in range(1, options.rounds + 1):
                # base, head; head, base; …: a drift within a round falls on each side in turn
                order = SIDES if round_ % 2 else SIDES[::-1]
                for side in order:
                    path = out / side / f"round-{round_:02d}"
                    _run(command, path, folders[side], side, round_, options.timeout, environ)
                    read = _read(path, change.statistic, options.series)
                    figures[side].append({k: v for k, (v, _) in read.items()})
                    for label, (_, kept) in read.items():
                        samples[side].setdefault(label, []).extend(kept)
        finally:
            git.remove_worktree(checkout)
    series = _judge(figures, samples, change.limit, options.confidence)
    if not series:
        print("gatekeeper bench: the runs gave no series to compare", file=sys.stderr)
        return int(ExitCode.NO_EVIDENCE)
    context = {
        "base": options.base, "base_commit": base_commit, "rounds": options.rounds,
        "max_change": change.text, "confidence": options.confidence,
        "command": shlex.join(command), "out": str(out),
    }  # fmt: skip
    if options.format == "json":
        sys.stdout.write(render_json(series, context))
    else:
        sys.stdout.write(render_text(series, context))
    judged = all(s.paired is not None and s.paired.verdict.value == "within" for s in series)
    return int(ExitCode.PASSED if judged else ExitCode.FAILED)


def _run(
    command: Sequence[str], path: Path, folder: Path, side: str, round_: int,
    timeout: float, environ: Mapping[str, str],
) -> None:  # fmt: skip
    """Run the command once for ``side``, its output to stderr; RunError unless it exits 0
    having written ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # a file from an earlier bench is not this run's
    argv = [word.replace("{out}", str(path)) for word in command]
    env = {**environ, "GATEKEEPER_BENCH_SIDE": side, "GATEKEEPER_BENCH_ROUND": str(round_)}
    where = f"round {round_}, {side} ({folder})"
    print(f"gatekeeper bench: {where}: {shlex.join(argv)}", file=sys.stderr, flush=True)
    try:
        done = subprocess.run(
            argv, cwd=folder, env=env, stdout=sys.stderr, timeout=timeout, check=False
        )
    except FileNotFoundError as exc:
        raise UsageError(f"bench: {argv[0]}: no such program") from exc
    except subprocess.TimeoutExpired as exc:
        raise RunError(_at(path), f"{where}: the command ran over {timeout:g}s") from exc
    if done.returncode != 0:
        raise RunError(_at(path), f"{where}: the command exited {done.returncode}")
    if not path.is_file():
        raise RunError(_at(path), f"{where}: the command wrote nothing to {{out}}")


def _at(path: Path) -> Position:
    return Position(str(path))


def _read(
    path: Path, statistic: str, wanted: Sequence[str]
) -> dict[str, tuple[float, list[float]]]:
    """Each series of the run's artifact: its statistic, and its raw samples (if any)."""
    parsed = parse_file(path, str(path), AUTO)
    found: dict[str, tuple[float, list[float]]] = {}
    for metric in parsed.metrics:
        if metric.subseries or (wanted and not matches_any(metric.label, wanted)):
            continue
        if metric.label in found:  # which one is the figure? never the kinder, silently
            raise RunError(_at(path), f"{plain(metric.label)!r} is in the run's file twice")
        if metric.failures:
            raise RunError(_at(path), f"{plain(metric.label)}: {plain(metric.failures[0])}")
        value = round_figure(metric, statistic)
        if isinstance(value, str):
            raise RunError(_at(path), f"{plain(metric.label)}: {plain(value)}")
        found[metric.label] = (value.value, list(metric.samples))
    return found


def _judge(
    figures: Mapping[str, list[dict[str, float]]],
    samples: Mapping[str, Mapping[str, list[float]]],
    limit: float,
    confidence: float,
) -> list[SeriesRounds]:
    labels = sorted({label for runs in figures.values() for run in runs for label in run})
    judged = []
    for label in labels:
        base = [run.get(label) for run in figures["base"]]
        head = [run.get(label) for run in figures["head"]]
        lacking = [
            f"{side} round {i}"
            for side, values in (("base", base), ("head", head))
            for i, value in enumerate(values, 1)
            if value is None
        ]
        paired: Comparison | None = None
        problem = ""
        if lacking:
            problem = f"not in every run (missing: {', '.join(lacking[:5])})"
        else:
            try:
                paired = compare_paired(base, head, limit, confidence)  # type: ignore[arg-type]
            except SampleError as exc:
                problem = str(exc)
        judged.append(
            SeriesRounds(
                label, tuple(v for v in base if v is not None),
                tuple(v for v in head if v is not None), paired,
                _unpaired(samples, label, limit, confidence), problem,
            )
        )  # fmt: skip
    return judged


def _unpaired(
    samples: Mapping[str, Mapping[str, list[float]]], label: str, limit: float, confidence: float
) -> Comparison | None:
    """What an unpaired comparison of all the runs' samples says, for the reader to weigh."""
    base, head = samples["base"].get(label, []), samples["head"].get(label, [])
    if min(len(base), len(head)) < MIN_SAMPLES:
        return None
    try:
        return compare(sorted(base), sorted(head), limit, confidence)
    except SampleError:
        return None
