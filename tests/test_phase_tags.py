"""Phase tags without git: the pattern, tag names back to phases, standing, the tag's gate."""

from __future__ import annotations

import pytest

from gatekeeper.errors import UsageError
from gatekeeper.model import Matrix, Phase
from gatekeeper.phases.promotion import refuse_covered, skipped, tag_message, target_phase
from gatekeeper.phases.tags import TagRef, phase_of_tag, standing, tag_gate, tag_glob, tag_part


def matrix(pattern: str = "phase/{phase}") -> Matrix:
    phases = tuple(Phase(i, i.title()) for i in ("stone", "bronze", "iron", "steel"))
    return Matrix("gatekeeper.yml", "Demo", phases, (), (), {}, phase_tags=pattern)


def refs(*names: str) -> list[TagRef]:
    return [TagRef(name, f"{n:040x}") for n, name in enumerate(names, 1)]


@pytest.mark.parametrize(
    ("pattern", "glob", "tag", "part"),
    [
        ("phase/{phase}", "phase/*", "phase/iron", "iron"),
        ("phase/{phase}", "phase/*", "phase/", None),
        ("phase/{phase}", "phase/*", "v1.0", None),
        ("release-{phase}-done", "release-*-done", "release-iron-done", "iron"),
        ("release-{phase}-done", "release-*-done", "release-iron", None),
        ("{phase}", "*", "iron", "iron"),
    ],
)
def test_pattern_glob_and_parse(pattern: str, glob: str, tag: str, part: str | None) -> None:
    assert tag_glob(pattern) == glob
    assert tag_part(pattern, tag) == part


def test_a_pattern_without_the_placeholder_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="exactly one"):
        tag_glob("phase/")


def test_phase_of_tag_names_the_pattern_or_the_phases_on_error() -> None:
    assert phase_of_tag(matrix(), "phase/bronze") == "bronze"
    with pytest.raises(UsageError, match=r"'v2' is not a phase tag: .* 'phase/\{phase\}'"):
        phase_of_tag(matrix(), "v2")
    with pytest.raises(UsageError, match=r"'gold' is not a phase of .* \(stone, bronze"):
        phase_of_tag(matrix(), "phase/gold")


def test_standing_is_the_highest_phase_tagged_whatever_the_order() -> None:
    here = standing(matrix(), "c", refs("phase/bronze", "phase/stone"))
    assert here.highest == "bronze"
    assert [p for p, _ in here.tags] == ["stone", "bronze"]
    assert here.untagged == ()
    assert here.next == "iron"


def test_a_gap_is_covered_and_reported_unknown_tags_are_ignored() -> None:
    here = standing(matrix(), "c", refs("phase/iron", "phase/gold", "phase/x/y"))
    assert here.highest == "iron"
    assert here.untagged == ("stone", "bronze")
    assert here.ignored == ("phase/gold", "phase/x/y")
    assert here.next == "steel"


def test_no_tag_and_every_tag() -> None:
    none = standing(matrix(), "c", [])
    assert (none.highest, none.untagged, none.next) == (None, (), "stone")
    done = standing(matrix(), "c", refs("phase/stone", "phase/bronze", "phase/iron", "phase/steel"))
    assert (done.highest, done.next) == ("steel", None)
    with pytest.raises(UsageError, match="every phase is complete: phase/steel is reachable"):
        target_phase(matrix(), done, None)


def test_promotion_target_refusals_and_passed_over_phases() -> None:
    here = standing(matrix(), "c", refs("phase/bronze"))
    assert target_phase(matrix(), here, None) == "iron"
    assert skipped(matrix(), here, "steel") == ("iron",)
    with pytest.raises(UsageError, match=r"'gold': not a phase of gatekeeper\.yml"):
        target_phase(matrix(), here, "gold")
    with pytest.raises(UsageError, match=r"'stone' is already complete .* phase/bronze"):
        refuse_covered(matrix(), here, "stone")
    refuse_covered(matrix(), here, "iron")


def test_the_tag_message_always_carries_the_verdict_and_the_report() -> None:
    text = tag_message(matrix(), "iron", "abc", "REPORT\n", "9.9", None)
    assert text == (
        "Demo: Iron phase complete\n\n"
        "The Iron gate (iron) passed on commit abc; promoted by gatekeeper 9.9.\n\nREPORT\n"
    )
    assert tag_message(matrix(), "iron", "abc", "R", "9.9", "Ship it\n").startswith("Ship it\n\n")


PUSH = {"GITHUB_EVENT_NAME": "push", "GITHUB_REF": "refs/tags/phase/iron"}


@pytest.mark.parametrize(
    ("phase", "tag", "environ", "expected"),
    [
        (None, None, {}, None),
        (None, "phase/bronze", {}, ("bronze", "phase/bronze", "--phase-from-tag")),
        (None, None, PUSH, ("iron", "phase/iron", "GITHUB_REF")),
        ("stone", None, PUSH, None),  # --phase wins over the environment
        (None, "phase/stone", PUSH, ("stone", "phase/stone", "--phase-from-tag")),
        (None, None, {**PUSH, "GITHUB_EVENT_NAME": "pull_request"}, None),
        (None, None, {**PUSH, "GITHUB_REF": "refs/heads/phase/iron"}, None),
        (None, None, {**PUSH, "GITHUB_REF": "refs/tags/v1.0"}, None),
    ],
)
def test_the_gate_a_phase_tag_enforces(
    phase: str | None,
    tag: str | None,
    environ: dict[str, str],
    expected: tuple[str, str, str] | None,
) -> None:
    found = tag_gate(matrix(), phase, tag, environ)
    assert (found and (found.phase, found.tag, found.source)) == expected


def test_a_pushed_tag_of_no_phase_and_two_choices_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="'phase/gold' fits the pattern"):
        tag_gate(matrix(), None, None, {**PUSH, "GITHUB_REF": "refs/tags/phase/gold"})
    with pytest.raises(UsageError, match="give one, not both"):
        tag_gate(matrix(), "stone", "phase/iron", {})
