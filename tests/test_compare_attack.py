"""Attacks on issue 15's comparisons: inputs an adversary controlling a pull request's
artifacts, or a tired user writing a matrix, could give `baseline.confidence`,
`baseline.paired`, `gatekeeper bench` and the merge-base baselines, to make the gate pass
when it must not, crash, or hang. Each hole found is a test here: fixed, an ordinary test;
not fixed, ``xfail(strict=True)`` saying what is wrong.
"""

from __future__ import annotations

import array
import dataclasses
import json
import math
import sys
from pathlib import Path
from typing import Any

from gatekeeper.results import Outcome
from tests.bench_runs import bench, git, repository
from tests.test_confidence import _judge, _series, _times

# --- baseline.confidence ---------------------------------------------------------------------


def test_a_throughput_from_times_with_a_zero_past_the_first_sample_is_an_error() -> None:
    """Throughput (``ops -5%``) is judged on the reciprocals of the times, and only the first
    sample was looked at before dividing: samples that are not in order (a NaN sorts
    anywhere; a matrix or a Metric built in code) with a 0 after a positive first one raised
    ZeroDivisionError (a traceback, exit 4). Now every sample is checked and it is an error."""
    samples = array.array("d", sorted([0.002, math.nan, 0.0, *_times(1, 20, 1e-3)]))
    assert samples[0] > 0  # the NaN kept the 0 from sorting first
    head = dataclasses.replace(_series("micro.json", _times(1, 20, 1e-3)), samples=samples)
    outcome, summary, _ = _judge(head, _times(2, 20, 1e-3), "ops -5%")
    assert outcome is Outcome.ERROR
    assert "every sample must be a finite number above 0" in summary


# --- gatekeeper bench ------------------------------------------------------------------------

# writes hyperfine's JSON with the results (command name, time) planned for its side and round
FAKE = """\
import json, os, sys
plan = json.load(open("plan.json"))
side, round_ = os.environ["GATEKEEPER_BENCH_SIDE"], int(os.environ["GATEKEEPER_BENCH_ROUND"])
results = [
    {"command": name, "mean": t, "stddev": 0.0, "median": t, "user": 0.0, "system": 0.0,
     "min": t, "max": t, "times": [t] * 3, "exit_codes": [0] * 3}
    for name, t in plan[side][round_ - 1]
]
json.dump({"results": results}, open(sys.argv[1], "w"))
"""
RUN = ("--", sys.executable, "fake.py", "{out}")
ARGS = ("--base", "main", "--rounds", "6", "--format", "json")


def _planned(tmp_path: Path, base: list[Any], head: list[Any]) -> Path:
    repo = repository(
        tmp_path, {"fake.py": FAKE, "plan.json": json.dumps({"base": [], "head": []})}
    )
    (repo / "plan.json").write_text(json.dumps({"base": base, "head": head}), encoding="utf-8")
    git(repo, "commit", "--quiet", "-am", "the plan")
    return repo


def test_bench_a_series_twice_in_a_run_is_not_judged_on_one_of_them(tmp_path: Path) -> None:
    """HEAD's runs hold series `a` twice, 2x slower first and as fast as the base last: the
    last used to overwrite the first and the bench passed (exit 0). A series twice in a run
    is ambiguous evidence: no verdict, exit 1 (as the gate makes a series twice an error)."""
    repo = _planned(tmp_path, [[["a", 1.0]]] * 6, [[["a", 2.0], ["a", 1.0]]] * 6)
    done = bench(repo, *ARGS, *RUN)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "'a' is in the run's file twice" in done.stderr


def test_bench_a_base_that_is_not_a_commit_is_a_usage_error(tmp_path: Path) -> None:
    """`--base HEAD:fake.py` names a blob, `--base HEAD^{tree}` a tree: never a traceback."""
    repo = _planned(tmp_path, [[["a", 1.0]]] * 6, [[["a", 1.0]]] * 6)
    for ref in ("HEAD:fake.py", "HEAD^{tree}", "no-such-ref"):
        done = bench(repo, "--base", ref, "--rounds", "6", *RUN)
        assert done.returncode == 2, (ref, done.stdout + done.stderr)
        assert "Traceback" not in done.stderr, ref
