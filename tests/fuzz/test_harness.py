"""The properties as the harness applies them, on verdicts made up for the purpose."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.fuzz import harness
from tests.fuzz.cases import Check
from tests.fuzz.harness import Verdict, crashes, hold
from tests.fuzz.mutators import Effect, Mutation

FAILING = Check("f0-declared", "fail", {"metric": {"name": "x"}, "threshold": "p(95) < 1ms"})
UNITLESS = Check("f1-declared", "fail", {"metric": {"name": "g"}, "threshold": "value < 1"}, True)
ORIGINAL = Verdict(0, {"f0-declared": "fail", "f1-declared": "fail"}, "")


def _mutation(effect: Effect, kind: str = "flip-byte", renames: bool = False) -> Mutation:
    return Mutation(kind, effect, "somewhere", b"", renames)


def _passing(actual: str = "0.5ms") -> Verdict:
    outcomes = {"f0-declared": "pass", "f1-declared": "pass"}
    return Verdict(0, outcomes, "", {"f0-declared": (actual,), "f1-declared": ("-1",)})


def _hold(mutation: Mutation, mutated: Verdict, renamed: bool = False) -> list[str]:
    found = hold(mutation, 7, ORIGINAL, mutated, [FAILING, UNITLESS], lambda: renamed)
    return [f.property for f in found]


def test_broken_evidence_that_passes_is_property_b() -> None:
    assert _hold(_mutation(Effect.BROKEN), _passing()) == ["b"]


def test_a_value_change_may_pass() -> None:
    assert _hold(_mutation(Effect.VALUE), _passing()) == []


def test_a_rename_is_a_value_change_only_when_a_new_name_appears() -> None:
    renaming = _mutation(Effect.BROKEN, renames=True)
    assert _hold(renaming, _passing(), renamed=True) == []
    assert _hold(renaming, _passing(), renamed=False) == ["b"]


def test_minus_one_counts_where_it_reaches_the_verdict_as_a_negative_value() -> None:
    minus_one = _mutation(Effect.BROKEN, kind="number--1")
    assert _hold(minus_one, _passing("-1ms")) == ["b"]
    assert _hold(minus_one, _passing("0.5ms")) == []  # absorbed: f1 is unitless, may be -1


def test_a_rewrite_with_the_same_meaning_must_not_move_any_outcome() -> None:
    same = _mutation(Effect.SAME, kind="json-escapes")
    assert _hold(same, ORIGINAL) == []
    assert _hold(same, Verdict(0, {"f0-declared": "error", "f1-declared": "fail"}, "")) == ["a"]
    assert _hold(same, Verdict(1, dict(ORIGINAL.outcomes), "")) == ["a"]


def test_an_internal_error_is_property_c_named_by_its_exception() -> None:
    crashed = Verdict(4, {}, "gatekeeper: internal error (OverflowError: x); the gate ...")
    assert _hold(_mutation(Effect.VALUE), crashed) == ["c"]
    assert crashes(crashed, "number-1e308", 3)[0].kind == "exit 4: OverflowError"
    traceback = Verdict(1, {}, "Traceback (most recent call last):\n  ...")
    assert [f.kind for f in crashes(traceback, "k", 1)] == ["a traceback on stderr"]


def test_a_hang_is_a_finding_not_a_stuck_suite(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(harness, "RUN_SECONDS", 0.2)

    def stuck(argv: list[str]) -> int:
        time.sleep(5)
        return 0

    monkeypatch.setattr(harness, "main", stuck)
    started = time.monotonic()
    verdict = harness.judge(tmp_path / "gatekeeper.yml")
    assert verdict.code == -1
    assert time.monotonic() - started < 2
    assert crashes(verdict, "truncate-at-line", 3)[0].kind == "no verdict within the deadline"
