"""Replay one mutation of the fuzzer, outside pytest.

    python -m tests.fuzz.replay CASE INDEX [--seed SEED] [--folder DIR]

CASE is the evidence file as the failure names it, INDEX the mutation (or ``original``).
It writes the case's folder (the mutated file and the generated matrices), says what the
mutation did, which benchmarks changed outcome and which property that breaks, and prints
the command that runs gatekeeper there.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import sys
import tempfile
from pathlib import Path

from tests.fuzz.cases import discover
from tests.fuzz.harness import CaseRun, describe, hold, judge


def _diff(before: bytes, after: bytes) -> list[str]:
    old = before.decode("utf-8", "replace").splitlines(keepends=True)
    new = after.decode("utf-8", "replace").splitlines(keepends=True)
    lines = [
        line.rstrip("\n") for line in difflib.unified_diff(old, new, "original", "mutated", n=1)
    ]
    return [repr(line)[1:-1] for line in lines[:40]] + (["…"] if len(lines) > 40 else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.replay")
    parser.add_argument("case", help="the evidence file, as the failure names it")
    parser.add_argument("index", help="the mutation, or 'original'")
    parser.add_argument("--seed", default=os.environ.get("GATEKEEPER_FUZZ_SEED", "0"))
    parser.add_argument("--folder", type=Path, help="where to write it (default: a new one)")
    parser.add_argument("--encoding", help="the output encoding of a command-line run to repeat")
    args = parser.parse_args(argv)
    for name in [n for n in os.environ if n.startswith(("GITHUB_", "RUNNER_"))]:
        del os.environ[name]  # judged as on a laptop: nothing posted anywhere
    cases = {c.id: c for c in discover()}
    if args.case not in cases:
        parser.error(f"no case {args.case!r}: the cases are {', '.join(cases)}")
    folder = args.folder or Path(tempfile.mkdtemp(prefix="gatekeeper-fuzz-"))
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    run = CaseRun(cases[args.case], folder, args.seed)
    case = run.case
    print(f"case {case.id}: {case.format}, {run.doc.shape}, {len(run.checks)} benchmarks")
    for finding in run.findings:
        print(f"  on the original: ({finding.property}) {finding.kind}: {finding.text}")
    number = 0 if args.index == "original" else _show(run, int(args.index))
    encoding = f"PYTHONIOENCODING={args.encoding} " if args.encoding else ""
    print(f"\ncd {folder} && {encoding}gatekeeper check --matrix {run.matrices[number].name}")
    return 0


def _show(run: CaseRun, index: int) -> int:
    """Apply mutation ``index`` (it stays in the folder) and say what it does; which matrix."""
    mutation, number = run.apply(index)
    print(f"mutation {index}: {mutation.kind} ({mutation.effect.value}): {mutation.detail}")
    print("\n".join(_diff(run.original, mutation.data)))
    verdict, original = judge(run.matrices[number]), run.originals[number]
    print(f"exit code: {original.code} on the original, {verdict.code} mutated")
    by_id = {c.id: describe(c) for c in run.checks}
    for check_id, outcome in original.outcomes.items():
        now = verdict.outcomes.get(check_id, "absent")
        if now != outcome:
            print(f"  {by_id.get(check_id, check_id)}: {outcome} -> {now}")
    for finding in hold(mutation, index, original, verdict, run.checks, run.renamed):
        print(f"breaks property ({finding.property}): {finding.text}")
    if verdict.stderr.strip():
        print("stderr:\n" + verdict.stderr.strip()[:2000])
    return number


if __name__ == "__main__":
    sys.exit(main())
