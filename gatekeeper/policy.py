"""Which gates decide the verdict, and why: the rules of the event being judged. Pure.

Outside a pull request one gate decides: the phase asked for (``--phase``, a pushed phase
tag), else the matrix's ``current``, else the last phase. On a pull request three rules do:

- no regression: the gate of the highest phase already achieved must still pass (blocks);
- next-phase work: a pull request that declares work for phase D (a label or a branch
  convention from the matrix) needs the gate of the phase before D (blocks);
- current phase: the gate of the phase being worked on is reported, and blocks only when the
  matrix says ``current_phase: block``.

Where the project stands comes from the caller: the phase tags reachable from the commit, or
``current`` (in the matrix file or on the command line), which names the phase being worked
on, so that every phase before it counts as achieved.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from gatekeeper.errors import UsageError
from gatekeeper.model import PLACEHOLDER, Matrix
from gatekeeper.records import record


class RuleKind(str, Enum):
    GATE = "gate"
    """One phase's gate, outside a pull request."""
    NO_REGRESSION = "no-regression"
    NEXT_PHASE = "next-phase"
    CURRENT_PHASE = "current-phase"


@record
class Rule:
    """One gate the verdict depends on, or that is only reported."""

    kind: RuleKind
    phase: str | None
    """The phase whose gate is checked; None: no gate is needed (the rule holds)."""
    blocking: bool
    reason: str
    """Why the rule applies, for a person."""


@record
class Declaration:
    """A pull request's claim that it carries work for a phase."""

    phase: str
    source: str
    """What declared it, as '<label|branch> <name>': 'label phase:steel', 'branch
    phase/steel/splitter'."""


@record
class Policy:
    """The rules of one run, and what they were derived from."""

    rules: tuple[Rule, ...]
    pull_request: bool = False
    achieved: str | None = None
    """Pull request: the highest phase achieved (None: none yet)."""
    working: str | None = None
    """Pull request: the phase being worked on (None: every phase is achieved)."""
    standing_from: str = ""
    """Pull request: where ``achieved`` and ``working`` come from."""
    declarations: tuple[Declaration, ...] = ()


def gate_policy(matrix: Matrix, phase: str | None = None, reason: str = "") -> Policy:
    """One gate: ``phase``, else the matrix's ``current``, else the last phase."""
    if phase is None:
        if matrix.current is not None:
            phase, reason = matrix.current, f"current: {matrix.current} in {matrix.path}"
        else:
            phase, reason = matrix.phases[-1].id, "the last phase (the matrix sets no current)"
    return Policy((Rule(RuleKind.GATE, phase, True, reason or f"the {phase} gate"),))


def pull_request_policy(
    matrix: Matrix,
    working: str | None,
    standing_from: str,
    declarations: Iterable[Declaration] = (),
) -> Policy:
    """The three pull request rules, ``working`` being the phase worked on (None: all done)."""
    ids = [p.id for p in matrix.phases]
    achieved = matrix.phases[-1].id if working is None else matrix.previous_phase(working)
    declared = tuple(sorted(declarations, key=lambda d: ids.index(d.phase)))
    rules = []
    if achieved is not None:
        rules.append(Rule(
            RuleKind.NO_REGRESSION, achieved, True,
            f"{matrix.phase_name(achieved)} is achieved: nothing in it or before it may regress",
        ))  # fmt: skip
    if declared:
        top = declared[-1].phase
        before = matrix.previous_phase(top)
        sources = " and ".join(d.source for d in declared)
        needs = (
            f"the {matrix.phase_name(before)} gate must pass first"
            if before is not None
            else "no phase comes before it"
        )
        rules.append(Rule(
            RuleKind.NEXT_PHASE, before, True,
            f"{sources} declare{'s' if len(declared) == 1 else ''} {matrix.phase_name(top)} work: "
            f"{needs}",
        ))  # fmt: skip
    if working is not None:
        blocking = matrix.pull_requests.block_on_current
        how = "blocks (current_phase: block)" if blocking else "reported, not blocking"
        rules.append(Rule(
            RuleKind.CURRENT_PHASE, working, blocking,
            f"{matrix.phase_name(working)} is being worked on: its progress is {how}",
        ))  # fmt: skip
    return Policy(tuple(rules), True, achieved, working, standing_from, declared)


def _named(pattern: str, text: str, ids: list[str], *, prefix_only: bool) -> str | None:
    """The phase ``text`` names by ``pattern``: '' when it fits but names none, None when it
    does not fit. With ``prefix_only`` the filled-in pattern need only start the text."""
    head, _, tail = pattern.partition(PLACEHOLDER)
    if not text.startswith(head):
        return None
    if prefix_only:
        # 'phase/steel/x' and 'phase/steel' both fit 'phase/{phase}/'; 'phase/steelx' does not
        named = [i for i in ids if (text + tail).startswith(head + i + tail)]
        return max(named, key=len) if named else ""
    if len(text) <= len(head) + len(tail) or not text.endswith(tail):
        return None
    part = text[len(head) : len(text) - len(tail)]
    return part if part in ids else ""


def declarations(
    matrix: Matrix, labels: Iterable[str], branch: str | None
) -> tuple[Declaration, ...]:
    """The phases a pull request declares work for, by the matrix's conventions.

    A label or branch that fits a convention but names no phase is a usage error: a typo in
    a label must not quietly lift the hold on next-phase work.
    """
    rules = matrix.pull_requests
    ids = [p.id for p in matrix.phases]
    found: list[Declaration] = []
    candidates = [("label", rules.label, label, False) for label in labels]
    if branch:
        candidates.append(("branch", rules.branch, branch, True))
    for what, pattern, text, prefix_only in candidates:
        if pattern is None:
            continue
        part = _named(pattern, text, ids, prefix_only=prefix_only)
        if part is None:
            continue
        if not part:
            raise UsageError(
                f"{what} {text!r} fits the next-phase {what} convention {pattern!r} of "
                f"{matrix.path}, but names none of its phases ({', '.join(ids)}): the work it "
                "declares cannot be judged"
            )
        found.append(Declaration(part, f"{what} {text}"))
    return tuple(found)
