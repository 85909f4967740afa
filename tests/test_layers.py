"""The layers import one way: from the edge (commands, GitHub) down to the pure core.

Reads the imports of every module of the package (an import under ``if TYPE_CHECKING:`` is
for the type checker only and does not count) and fails on an arrow that runs back up: a
module importing one of a higher layer. Within a layer, modules may import each other.
The same table is drawn in docs/architecture.md; a test keeps the two alike.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "gatekeeper"

# fmt: off
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("__init__", "records", "errors", "units", "words", "text", "resources",
              "freshness")),
    ("model", ("pathglob", "selector", "threshold", "model", "stats", "evidence", "plausible",
               "changes", "policy", "series", "findfiles", "tally",
               "findings", "compare", "paired", "baselines", "signoffs", "durations")),
    ("evidence", ("parsers", "matrix", "collect", "bundles", "live")),
    ("verdict", ("engine", "results")),
    ("drafting", ("init_from",)),
    ("reports", ("reporters", "history")),
    ("phases", ("phases",)),
    ("github", ("github",)),
    ("commands", ("commands",)),
    ("cli", ("cli", "__main__")),
)
# fmt: on
"""Lowest first: each part of the package (a top-level module, or a subpackage) and its
layer. A module may import from its own layer and the ones above it in this table."""

RANK = {part: rank for rank, (_, parts) in enumerate(LAYERS) for part in parts}


def _part(module: str) -> str:
    """'gatekeeper.parsers.load.k6' -> 'parsers'; 'gatekeeper' -> '__init__'."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def _module_name(path: Path) -> str:
    relative = path.relative_to(REPO).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported gatekeeper module) for every import that runs (not TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "gatekeeper":  # from gatekeeper import __version__, github
                found += [(node.lineno, f"gatekeeper.{a.name}") for a in node.names]
            elif node.module.startswith("gatekeeper."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("gatekeeper.")]
    return found


def _arrows() -> list[tuple[str, int, str]]:
    arrows = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        arrows += [(module, line, target) for line, target in _imports(path)]
    return arrows


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()}
    parts = {p for p in parts if not p.startswith((".", "_")) or p in ("__init__", "__main__")}
    parts -= {"__pycache__", "templates", "schemas", "py"}
    missing = sorted(p for p in parts if p not in RANK)
    assert not missing, f"give these a layer in LAYERS (and in docs/architecture.md): {missing}"


def back_arrows(arrows: list[tuple[str, int, str]]) -> list[str]:
    """Each import of ``arrows`` (module, line, imported) that runs up the layers."""
    back = []
    for module, line, target in arrows:
        here, there = _part(module), _part(target)
        if here in RANK and there in RANK and RANK[there] > RANK[here]:
            back.append(f"{module}:{line} imports {target} ({there} is above {here})")
    return back


def test_no_import_runs_back_up_the_layers() -> None:
    back = back_arrows(_arrows())
    assert not back, "imports against the layer order:\n" + "\n".join(back)


def test_the_checker_sees_a_back_arrow_and_only_that() -> None:
    arrows = [
        ("gatekeeper.engine.metrics", 3, "gatekeeper.github.context"),  # up: refused
        ("gatekeeper.github.run", 4, "gatekeeper.engine"),  # down: fine
        ("gatekeeper.parsers.load.k6", 5, "gatekeeper.matrix.load"),  # same layer: fine
        ("gatekeeper", 6, "gatekeeper.cli"),  # the package's own __init__ is the base
    ]
    assert back_arrows(arrows) == [
        "gatekeeper.engine.metrics:3 imports gatekeeper.github.context (github is above engine)",
        "gatekeeper:6 imports gatekeeper.cli (cli is above __init__)",
    ]


def test_imports_for_the_type_checker_only_do_not_count(tmp_path: Path) -> None:
    path = REPO / "gatekeeper" / "records.py"
    typed = tmp_path / "typed.py"
    typed.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from gatekeeper.github.api import GitHubClient\n"
        "from gatekeeper.errors import UsageError\n",
        encoding="utf-8",
    )
    assert path.is_file()
    assert [m for _, m in _imports(typed)] == ["gatekeeper.errors"]


@pytest.mark.parametrize(("layer", "parts"), LAYERS)
def test_the_architecture_page_draws_the_same_layers(layer: str, parts: tuple[str, ...]) -> None:
    page = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    row = re.search(rf"^\| {re.escape(layer)} \| ([^|]+) \|", page, re.M)
    assert row, f"docs/architecture.md has no row for the layer {layer!r}"
    named = set(re.findall(r"`(\w+)/?`", row.group(1)))
    assert named == set(parts), (layer, named ^ set(parts))
