"""Bundles hold counts per test selection, not tests: the counts merge exactly (first failing
tests past the cap, suggestions for a selection that matched nothing, the second pass when
the values to suggest from did not fit), a bundle counted for other selections is refused,
and counts no collecting can give are refused by key path."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest

from gatekeeper import tally
from gatekeeper.bundles import RunIdentity
from gatekeeper.bundles.accept import bundle_evidence
from gatekeeper.bundles.build import collect_bundle
from gatekeeper.bundles.codec import dumps, loads
from gatekeeper.bundles.combine import evidence, merge
from gatekeeper.cli import main
from gatekeeper.collect import collect
from gatekeeper.engine import evaluate
from gatekeeper.errors import ExitCode
from gatekeeper.evidence import ArtifactState
from gatekeeper.matrix.load import read_matrix
from gatekeeper.reporters.json_report import to_dict
from tests.bundle_suite import (
    MATRIX,
    SHA,
    WIDE,
    Case,
    ShardFiles,
    write_matrix,
    write_shard,
)

TODAY = dt.date(2026, 11, 26)
# Their order as names ("s0" < "s0-x" < "s0.y") is not their order as folders ("s0-x/" <
# "s0.y/" < "s0/"): the failing tests named first are those of the first folder.
NAMES = ("s0", "s0-x", "s0.y", "t1")


def _cases(rng: random.Random, shard: int, count: int) -> tuple[Case, ...]:
    statuses = ("passed", "failed", "error", "skipped", "flaky")
    return tuple(
        Case(
            rng.choice(("api.A", "api.B", "core.C")),
            f"test_{rng.choice(('api', 'core', 'io'))}_{shard}_{i}",
            rng.choices(statuses, weights=(3, 4, 1, 1, 1))[0],
        )
        for i in range(count)
    )


def _judged(root: Path, text: str, sizes: tuple[int, ...], seed: int) -> tuple[Any, Any]:
    """(the whole JSON report from the tree's files, the same from the shards' bundles)."""
    rng = random.Random(seed)
    matrix = read_matrix(write_matrix(root, text), "gatekeeper.yml")
    for index, (name, count) in enumerate(zip(NAMES, sizes, strict=True)):
        write_shard(root / name, ShardFiles(cases=_cases(rng, index, count)), host=name)
    at_once = evaluate(matrix, collect(matrix, root), TODAY)
    bundles = [
        (name, loads(dumps(collect_bundle(matrix, root / name, SHA, name, RunIdentity())).encode(),
                     name))
        for name in NAMES
    ]  # fmt: skip
    rng.shuffle(bundles)
    merged = loads(dumps(merge(bundles)).encode(), "merged.json")
    from_bundles = evaluate(matrix, evidence(merged, matrix), TODAY)
    return to_dict(from_bundles, 0), to_dict(at_once, 0)


@pytest.mark.parametrize("seed", range(4))
def test_failing_tests_past_the_cap_are_named_as_from_one_tree(tmp_path: Path, seed: int) -> None:
    """Over 500 failing tests in all, few in some shards: the merged first 500 are the
    tree's first 500, in the order its files sort."""
    from_bundles, at_once = _judged(tmp_path, WIDE, (700, 3, 400, 0), seed)
    assert from_bundles == at_once
    every = next(b for c in at_once["cells"] for b in c["benchmarks"] if b["id"] == "every-failure")
    assert len(every["failed_tests"]) == tally.MAX_FAILED_KEPT


@pytest.mark.parametrize("budget", [tally._CANDIDATE_CHARACTERS, 40])
def test_suggestions_for_an_empty_selection_merge_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    """With the values kept, and with a budget so small that collecting (and check) need the
    second pass: every shard's closest values make the suggestions of all of them."""
    monkeypatch.setattr(tally, "_CANDIDATE_CHARACTERS", budget)
    from_bundles, at_once = _judged(tmp_path, WIDE, (30, 5, 12, 0), seed=7)
    assert from_bundles == at_once
    text = json.dumps(at_once)
    assert 'did you mean class: \\"api.A\\"' in text
    assert "matched no test in" in text


def _collected(root: Path, text: str = MATRIX) -> Path:
    matrix = write_matrix(root, text)
    write_shard(root, ShardFiles(cases=_cases(random.Random(1), 0, 20)), host="h")
    out = root / "bundle.json"
    assert main(["collect", "-m", str(matrix), "--sha", SHA, "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("class: \"api.*\"", "class: \"api.B*\""),
         "it did not count {class: api.B*; flaky: fail}"),
        (("flaky: fail, max_skipped: 2", "max_skipped: 2"),
         "it did not count {class: api.*; flaky: pass}"),
        (("- {id: most-tests, tests: {from: unit, pass_rate: 80%, min: 3}}\n", ""),
         "it counted {flaky: pass}, which no test benchmark of it selects"),
    ],
    ids=["glob", "flaky-policy", "one-less"],
)  # fmt: skip
def test_a_bundle_counted_for_other_selections_is_refused_naming_why(
    tmp_path: Path, change: tuple[str, str], says: str
) -> None:
    bundle = _collected(tmp_path / "a")
    other = MATRIX.replace(*change)
    assert other != MATRIX
    matrix = read_matrix(write_matrix(tmp_path / "b", other), "gatekeeper.yml")
    found = bundle_evidence(matrix, [str(bundle)], SHA)
    unit = found["unit"]
    assert unit.state is ArtifactState.ERROR
    assert unit.errors == (
        f"shard 'local' counted the tests of 'unit' for other test selections than "
        f"{matrix.path} judges ({says}): collect with the matrix that judges",
    )
    assert found["bench"].state is not ArtifactState.ERROR


def test_a_pass_rate_or_minimum_of_its_own_is_the_same_selection(tmp_path: Path) -> None:
    bundle = _collected(tmp_path / "a")
    other = MATRIX.replace("pass_rate: 80%, min: 3", "pass_rate: 10%, min: 1")
    matrix = read_matrix(write_matrix(tmp_path / "b", other), "gatekeeper.yml")
    assert bundle_evidence(matrix, [str(bundle)], SHA)["unit"].state is ArtifactState.READ


SELECTION = ("shards", 0, "artifacts", "unit", "selections")


@pytest.mark.parametrize(
    ("index", "field", "value", "says"),
    [
        (0, "matched", 21, "unit.selections[0].matched: 21 tests matched of 20 in the files"),
        (0, "run", 0, "unit.selections[0].run: skipped and run tests do not add up"),
        (0, "failed", 0, "unit.selections[0].failing: 11 tests listed for 0 failed"),
        (1, "flaky", 99, "unit.selections[1].flaky: 99 flaky of"),
        (0, "unmatched", {}, "unit.selections[0].unmatched: null when, and only when"),
    ],
    ids=["matched", "run", "failed", "flaky", "unmatched"],
)
def test_counts_no_collecting_can_give_are_refused_by_key_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
    index: int, field: str, value: Any, says: str,
) -> None:  # fmt: skip
    path = _collected(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    selections = data["shards"][0]["artifacts"]["unit"]["selections"]
    assert len(selections[0]["failing"]) == 11  # the seed's
    selections[index][field] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    argv = ["check", "-m", str(tmp_path / "gatekeeper.yml"), "--bundle", str(path)]
    assert main([*argv, "--sha", SHA]) == ExitCode.NO_EVIDENCE
    out = capsys.readouterr().out
    assert f"bundles refused: {path}: not a gatekeeper bundle: shards[0].artifacts.{says}" in out


def test_a_passing_test_listed_as_failing_or_a_selection_twice_is_refused(tmp_path: Path) -> None:
    data = json.loads(_collected(tmp_path).read_text(encoding="utf-8"))
    selections = data["shards"][0]["artifacts"]["unit"]["selections"]
    selections[0]["failing"][0]["status"] = "passed"
    with pytest.raises(Exception, match=r"selections\[0\]\.failing\[0\]: a passed test does"):
        loads(json.dumps(data).encode(), "b.json")
    selections[0]["failing"][0]["status"] = "failed"
    selections.append(selections[0])
    with pytest.raises(Exception, match=r"selections\[2\]\.select: the same selection is count"):
        loads(json.dumps(data).encode(), "b.json")


def test_a_bundle_holds_counts_not_tests(tmp_path: Path) -> None:
    """20 tests, 2 selections: the bundle names the failing ones, keeps none that pass."""
    data = json.loads(_collected(tmp_path).read_text(encoding="utf-8"))
    unit = data["shards"][0]["artifacts"]["unit"]
    assert [f["tests"] for f in unit["files"]] == [20]
    failing = [t for s in unit["selections"] for t in s["failing"]]
    assert failing and all(t["status"] != "passed" or t["flaky"] for t in failing)
    assert sorted(unit["selections"][0]) == [
        "failed", "failing", "flaky", "matched", "run", "select", "skipped", "unmatched",
    ]  # fmt: skip
