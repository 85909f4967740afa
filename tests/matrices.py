"""The small matrix files tests write: one builder, so each states only what differs.

``matrix_yaml`` spells a matrix the way a person writes one (phases and artifacts as flow
mappings, a cell's benchmarks as a list), always the same way, so line numbers that a test
or a golden file depends on come from the arguments alone. A benchmark is given as its
YAML: one flow mapping (``{id: tests, tests: {from: unit}}``) or block lines (``id: p95``,
``metric: ...``, one per line), which the builder indents as a list item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """A swimlane's cell in one phase."""

    goal: str
    benchmarks: tuple[str, ...]
    """Each benchmark's YAML, without the list's dash and indentation."""


@dataclass(frozen=True)
class Lane:
    """A swimlane: its cells by phase id, in the order written."""

    id: str
    name: str
    cells: Mapping[str, Cell]
    paths: Sequence[str] = field(default=())
    """The changed-file globs of the swimlane (``paths:``), when it declares them."""


def matrix_yaml(
    *,
    project: str | None = None,
    phases: Sequence[str],
    artifacts: Mapping[str, tuple[str, str]],
    lanes: Sequence[Lane],
    current: str | None = None,
) -> str:
    """A matrix file: ``phases`` are ids (named as capitalised), ``artifacts`` map a name
    to (format, paths glob)."""
    lines = ["version: 1"] + ([f"project: {project}"] if project is not None else [])
    if current is not None:
        lines.append(f"current: {current}")
    lines.append("phases:")
    lines += [f"  - {{id: {phase}, name: {phase.capitalize()}}}" for phase in phases]
    lines.append("artifacts:")
    lines += [
        f'  {name}: {{format: {kind}, paths: "{glob}"}}' for name, (kind, glob) in artifacts.items()
    ]
    lines.append("swimlanes:")
    for lane in lanes:
        lines += [f"  - id: {lane.id}", f"    name: {lane.name}"]
        if lane.paths:
            lines.append("    paths: [" + ", ".join(f'"{glob}"' for glob in lane.paths) + "]")
        lines.append("    cells:")
        for phase, cell in lane.cells.items():
            lines += [f"      {phase}:", f"        goal: {cell.goal}", "        benchmarks:"]
            for benchmark in cell.benchmarks:
                first, *rest = benchmark.splitlines()
                lines.append(f"          - {first}")
                lines += [f"            {line}" for line in rest]
    return "\n".join(lines) + "\n"


JUNIT_REPORTS = ("junit", "reports/*.xml")
"""The artifact most of these matrices read: pytest's JUnit reports in reports/."""


def class_tests(classname: str, benchmark: str = "tests", artifact: str = "unit") -> str:
    """A benchmark that the tests of one class pass."""
    return f'{{id: {benchmark}, tests: {{from: {artifact}, class: "{classname}"}}}}'


def findings_matrix(baseline: str) -> str:
    """One findings benchmark of lint.sarif with ``baseline`` (a flow mapping), and the base
    branch's log as the artifact lint-main."""
    benchmark = f"id: lint\nfindings: {{from: lint}}\nbaseline: {baseline}"
    return matrix_yaml(
        phases=["one"],
        artifacts={"lint": ("sarif", "lint.sarif"), "lint-main": ("sarif", "main.sarif")},
        lanes=[Lane("core", "Core", {"one": Cell("clean", (benchmark,))})],
    )
