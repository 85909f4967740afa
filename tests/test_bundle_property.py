"""The issue's proof: 50 shard bundles, merged, give exactly the verdict — the whole report —
that their raw artifacts give when judged all at once.

Hypothesis writes each shard's files (tests of every status, benchmarks whose thresholds need
raw samples or not, static-analysis findings or a run that found nothing, sometimes an
unreadable file) into a folder of one tree; the matrix's
test selections include some that match nothing (what they suggest must merge too). Each shard is
collected from its own folder, as a CI job would, into a bundle that goes through JSON; the
bundles are merged in any order and through JSON again. The same matrix then judges the
tree's files and the merged bundle.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatekeeper.bundles import RunIdentity
from gatekeeper.bundles.build import collect_bundle
from gatekeeper.bundles.codec import dumps, loads
from gatekeeper.bundles.combine import evidence, merge
from gatekeeper.collect import collect
from gatekeeper.engine import evaluate
from gatekeeper.matrix.load import read_matrix
from gatekeeper.reporters import REPORTERS, RenderOptions
from gatekeeper.reporters.json_report import to_dict
from gatekeeper.results import Report, exit_code
from tests.bundle_suite import (
    LINTED,
    SHA,
    STATUSES,
    Case,
    Command,
    Flaw,
    ShardFiles,
    write_matrix,
    write_project,
    write_shard,
)

SHARDS = 50
TODAY = dt.date(2026, 11, 26)

cases = st.builds(
    Case,
    classname=st.sampled_from(["api.A", "api.B", "core.C"]),
    name=st.from_regex(r"test_[a-z0-9_]{1,6}", fullmatch=True),
    status=st.sampled_from(STATUSES),
    time=st.sampled_from([0.0, 0.01, 1.5]),
)
commands = st.builds(
    Command,
    name=st.sampled_from(["sort-a", "sort-b", "io", "noop"]),
    times=st.lists(st.floats(0.001, 0.1), min_size=1, max_size=6).map(tuple),
    size=st.sampled_from([None, "large", "small"]),
)
flaws = st.builds(
    Flaw,
    rule=st.sampled_from(["R1", "R12", "X9"]),
    level=st.sampled_from(["note", "warning", "error"]),
    file=st.sampled_from(["src/a.py", "src/b/c.py", "lib/d.py", ""]),
    line=st.integers(1, 40),
    suppressed=st.booleans(),
)
shard_files = st.builds(
    ShardFiles,
    cases=st.lists(cases, max_size=5).map(tuple),
    commands=st.lists(commands, max_size=3).map(tuple),
    flaws=st.none() | st.lists(flaws, max_size=4).map(tuple),
)
# Names whose order as names differs from their order as folders ("s0" < "s0-x" < "s0/…").
names = st.lists(
    st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,5}", fullmatch=True),
    min_size=SHARDS, max_size=SHARDS, unique=True,
)  # fmt: skip


def _rendered(report: Report) -> dict[str, object]:
    code = int(exit_code(report))
    return {
        "json": to_dict(report, code),
        "terminal": REPORTERS["terminal"](report, RenderOptions(exit_code=code)),
        "markdown": REPORTERS["markdown"](report, RenderOptions(exit_code=code)),
    }


# Two halves of one property (10 examples each, 20 in all as before), so that the slowest
# test of the suite (about 0.6 s an example) runs on two workers at once, not one.
@pytest.mark.slow
@pytest.mark.parametrize("a_shard_is_broken", [False, True], ids=["whole", "one-broken"])
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    names=names,
    files=st.lists(shard_files, min_size=SHARDS, max_size=SHARDS),
    which=st.integers(0, SHARDS - 1),
    order=st.randoms(use_true_random=False),
)
def test_fifty_merged_shards_judge_as_all_their_files_at_once(
    a_shard_is_broken: bool,
    names: list[str],
    files: list[ShardFiles],
    which: int,
    order: random.Random,
) -> None:
    broken = which if a_shard_is_broken else None
    root = Path(tempfile.mkdtemp(prefix="gatekeeper-shards-"))
    try:
        matrix = read_matrix(write_matrix(root, LINTED), "gatekeeper.yml")
        for index, (name, shard) in enumerate(zip(names, files, strict=True)):
            if index == broken:
                shard = dataclasses.replace(shard, broken=True)
            write_shard(root / name, shard, host=name)
        write_project(root)  # the checkout the one tree's findings are in
        all_at_once = evaluate(matrix, collect(matrix, root), TODAY)

        shard_bundles = [
            (name, loads(dumps(collect_bundle(matrix, root / name, SHA, name, RunIdentity()))
                         .encode(), name))
            for name in names
        ]  # fmt: skip
        order.shuffle(shard_bundles)
        merged = loads(dumps(merge(shard_bundles)).encode(), "merged.json")
        from_bundles = evaluate(matrix, evidence(merged, matrix), TODAY)
    finally:
        shutil.rmtree(root)
    assert _rendered(from_bundles) == _rendered(all_at_once)
