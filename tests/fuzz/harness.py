"""Running gatekeeper on a case, and holding every run to the properties.

(a) a rewrite with the same meaning gives the identical verdict: exit code and every
    benchmark's outcome;
(b) broken evidence never turns a benchmark that fails on the original into a pass;
(c) every run exits 0-3 (never 4), prints no traceback and ends before its deadline.
Before any mutation, the generated matrices are held to what they were built for: a
bound the value breaks is not met, and a selector written as ``inspect`` shows it selects.
Runs are in-process (``gatekeeper.cli.main``) for speed; a sample goes through the real
command line, with an output encoding that is not always UTF-8.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field, replace
from pathlib import Path

from gatekeeper.cli import main
from tests.conftest import REPO
from tests.fuzz.cases import (
    Case,
    Check,
    checks,
    learn,
    matrices,
    names,
    shape,
    stream_metrics,
)
from tests.fuzz.mutators import KINDS, Doc, Effect, Mutation, mutate

RUN_SECONDS = 10.0
"""Deadline of one in-process run; a fixture takes milliseconds."""
PROCESS_SECONDS = 60.0
"""Deadline of one run of the command line (interpreter start-up on a busy machine)."""
TODAY = "2030-01-01"
ENCODINGS = ("utf-8", "ascii", "cp1252")
"""Output encodings of the command-line runs: a CI log, a C locale, a Windows console."""


class Hang(BaseException):
    """A run passed its deadline. Not an Exception: ``main`` must not catch it as a bug."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise Hang in the main thread after ``seconds`` (where SIGALRM exists)."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Verdict:
    code: int
    """Exit code; -1 when the run hung."""
    outcomes: Mapping[str, str]
    """Benchmark id -> outcome, from the JSON report."""
    stderr: str
    actuals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Benchmark id -> the measured values as the report shows them (``-1ms``)."""


def judge(matrix: Path, output: str = "json") -> Verdict:
    """``gatekeeper check`` in this process."""
    out, err = io.StringIO(), io.StringIO()
    argv = ["check", "--matrix", str(matrix), "--format", output, "--today", TODAY]
    try:
        with redirect_stdout(out), redirect_stderr(err), deadline(RUN_SECONDS):
            code = main(argv)
    except Hang:
        return Verdict(-1, {}, err.getvalue())
    if output != "json":
        return Verdict(code, {}, err.getvalue())
    try:
        benchmarks = [b for c in json.loads(out.getvalue())["cells"] for b in c["benchmarks"]]
    except ValueError:
        benchmarks = []
    outcomes = {b["id"]: b["outcome"] for b in benchmarks}
    actuals = {b["id"]: tuple(m["actual"] for m in b["measurements"]) for b in benchmarks}
    return Verdict(code, outcomes, err.getvalue(), actuals)


def judge_process(matrix: Path, encoding: str) -> Verdict:
    """``python -m gatekeeper check`` in a new process, its terminal report in ``encoding``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
    env["PYTHONIOENCODING"] = encoding
    argv = [sys.executable, "-m", "gatekeeper", "check", "--matrix", str(matrix), "--today", TODAY]
    try:
        done = subprocess.run(
            argv, capture_output=True, env=env, timeout=PROCESS_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        return Verdict(-1, {}, "")
    return Verdict(done.returncode, {}, done.stderr.decode("utf-8", "replace"))


@dataclass(frozen=True)
class Finding:
    property: str
    """a, b, c, or setup."""
    kind: str
    """The mutation kind, or what the setup found."""
    index: int | None
    """The mutation; None for the original."""
    text: str
    encoding: str | None = None
    """The output encoding of a command-line run; None for an in-process one."""


_INTERNAL = re.compile(r"internal error \((\w+)")


def crashes(verdict: Verdict, kind: str, index: int | None, via: str = "") -> list[Finding]:
    """Property (c), grouped by what went wrong rather than by the mutation that showed it."""
    if verdict.code == -1:
        return [Finding("c", "no verdict within the deadline", index, f"{kind}{via}")]
    found = []
    if verdict.code not in (0, 1, 2, 3):
        last = (verdict.stderr.strip().splitlines() or [""])[-1][:300]
        error = _INTERNAL.search(last)
        what = f"exit {verdict.code}" + (f": {error.group(1)}" if error else "")
        found.append(Finding("c", what, index, f"{kind}{via}: {last}"))
    if "Traceback (most recent call last)" in verdict.stderr:
        found.append(Finding("c", "a traceback on stderr", index, f"{kind}{via}"))
    return found


def describe(check: Check) -> str:
    body = check.body
    if "tests" in body:
        return f"{check.id} (tests {json.dumps(body['tests'], ensure_ascii=False)})"
    if "findings" in body:
        return f"{check.id} (findings {json.dumps(body['findings'], ensure_ascii=False)})"
    return f"{check.id} ({body['threshold']!r} on {body['metric']['name']!r})"


def hold(mutation: Mutation, index: int, original: Verdict, mutated: Verdict,
         found: Sequence[Check], renamed: Callable[[], bool]) -> list[Finding]:  # fmt: skip
    """Properties (a), (b) and (c) for one mutated run; ``renamed`` says whether the mutated
    file holds a test or series name the original does not."""
    crashed = crashes(mutated, mutation.kind, index)
    if crashed:
        return crashed
    by_id = {c.id: c for c in found}
    where = f"{mutation.detail} [{mutation.effect.value}]"
    if mutation.effect is Effect.SAME:
        now = mutated.outcomes
        changed = [f"{describe(by_id[i])}: {o} -> {now.get(i, 'absent')}"
                   for i, o in original.outcomes.items() if now.get(i) != o]  # fmt: skip
        if changed or mutated.code != original.code:
            text = f"{where}: exit {original.code} -> {mutated.code}; " + "; ".join(changed[:3])
            return [Finding("a", mutation.kind, index, text)]
    if mutation.effect is Effect.BROKEN:
        passed = [describe(c) for c in found if c.expect == "fail"
                  and original.outcomes.get(c.id) != "pass" and mutated.outcomes.get(c.id) == "pass"
                  and (mutation.kind != "number--1" or _negative(c, mutated))]  # fmt: skip
        if passed and not (mutation.renames and renamed()):
            text = f"{where}: now passes: " + "; ".join(passed[:3])
            return [Finding("b", mutation.kind, index, text)]
    return []


def _negative(check: Check, verdict: Verdict) -> bool:
    """Whether a -1 reached the verdict as a negative value of a statistic with a unit; a -1
    that the tool's own rules absorb (a k6 rate counts any non-zero sample as a pass) or
    that a unitless statistic may hold is a value change."""
    return not check.signed and any(a.startswith("-") for a in verdict.actuals.get(check.id, ()))


def _setup(original: Verdict, found: Sequence[Check]) -> list[Finding]:
    """The matrices judge the original as they were built to."""
    problems = crashes(original, "original", None)
    if original.code == 2:
        problems.append(Finding("setup", "matrix refused", None, original.stderr.strip()[:500]))
    for check in found:
        outcome = original.outcomes.get(check.id)
        if check.expect == "fail" and outcome == "pass":
            text = f"{describe(check)} is met by the value it was derived from"
            problems.append(Finding("setup", "bound met by its own value", None, text))
        if check.expect == "pass" and outcome == "missing":  # (a fail or an error may be the
            # tool's own verdict on that series: a command that failed is not met)
            text = f"{describe(check)} selects nothing in the original"
            problems.append(Finding("setup", "a name as inspect shows it", None, text))
    return problems


class CaseRun:
    """One case in its own folder: the generated matrices and their verdicts on the original."""

    def __init__(self, case: Case, folder: Path, seed: str) -> None:
        self.case, self.folder, self.seed = case, folder, seed
        for source, inside in case.files:
            (folder / inside).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / source, folder / inside)
        self.target = folder / case.target
        self.original = self.target.read_bytes()
        self.doc = Doc(self.original, shape(self.original, case.format))
        self.stream_before = stream_metrics(self.original)
        parsed = learn(case, folder)
        self.names = names(case, folder)
        self.checks = checks(parsed, random.Random(f"{seed}/{case.id}")) if parsed else []
        self.matrices = []
        for number, text in enumerate(matrices(case, self.checks)):
            path = folder / f"gatekeeper-{number}.yml"
            path.write_text(text, encoding="utf-8")
            self.matrices.append(path)
        self.originals = [judge(m) for m in self.matrices]
        self.findings = [f for v in self.originals for f in _setup(v, self.checks)]

    @property
    def kinds(self) -> int:
        return len(KINDS[self.doc.shape])

    def apply(self, index: int) -> tuple[Mutation, int]:
        """Write mutation ``index`` into the folder; which matrix judges it."""
        mutation = mutate(self.doc, self.seed, self.case.id, index)
        self.target.write_bytes(mutation.data)
        return mutation, index % len(self.matrices)

    def restore(self) -> None:
        self.target.write_bytes(self.original)

    def renamed(self) -> bool:
        """Whether the file as it is now holds a test or series the original does not."""
        now = names(self.case, self.folder)
        if now is None and self.doc.shape == "ndjson":
            streamed, before = stream_metrics(self.target.read_bytes()), self.stream_before
            return bool(streamed and before is not None and streamed - before)
        return bool(now and self.names is not None and now - self.names)

    def run(self, index: int) -> list[Finding]:
        mutation, number = self.apply(index)
        try:
            verdict = judge(self.matrices[number])
            return hold(mutation, index, self.originals[number], verdict, self.checks, self.renamed)
        finally:
            self.restore()

    def run_process(self, index: int) -> list[Finding]:
        """Property (c) through the real command line, in an encoding chosen by the seed."""
        encoding = random.Random(f"{self.seed}/{self.case.id}/{index}/process").choice(ENCODINGS)
        mutation, number = self.apply(index)
        try:
            verdict = judge_process(self.matrices[number], encoding)
        finally:
            self.restore()
        via = f" (command line, PYTHONIOENCODING={encoding})"
        return [replace(f, encoding=encoding) for f in crashes(verdict, mutation.kind, index, via)]

    def replay(self, finding: Finding) -> str:
        """The command that replays what ``finding`` names."""
        which = "original" if finding.index is None else finding.index
        encoding = f" --encoding {finding.encoding}" if finding.encoding else ""
        return f"python -m tests.fuzz.replay {self.case.id} {which} --seed {self.seed}{encoding}"
