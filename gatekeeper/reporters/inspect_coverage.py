"""What `gatekeeper inspect` prints of a coverage report: its TOTAL, its packages, the folders
a glob can sum and its files (each list bounded), and the benchmarks to paste, each judged by
the engine on the same file before it is printed, so that pasted they pass as printed.

A folder is selected by a glob on its files' names, ``src/ingress/*``: in a selector ``*``
crosses ``/``, so the glob takes every file below the folder, and the engine judges the sum of
their counts. A glob that would also take a package's series (JaCoCo names packages like
folders) would count lines twice and is refused by the engine, so each folder's glob is tried
on the report's series first and a folder no glob selects alone is left out.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

from gatekeeper.engine.coverage import summed_coverage
from gatekeeper.engine.metrics import evaluate_metric
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, Metric, ParsedFile
from gatekeeper.init_from.families import glob_escape
from gatekeeper.init_from.limits import coverage_floor
from gatekeeper.model import MetricCriterion
from gatekeeper.parsers.coverage import GROUP_KIND, KIND, TOTAL, TOTAL_KIND
from gatekeeper.parsers.coverage._counts import KINDS, plural
from gatekeeper.results import Outcome
from gatekeeper.selector import is_glob
from gatekeeper.series import select_series
from gatekeeper.text import yaml_quoted
from gatekeeper.threshold import parse_threshold
from gatekeeper.words import count

MAX_FILES = 20
"""Files listed; the rest is counted."""
MAX_FOLDERS = 20
"""Folders listed; the rest is counted."""
MAX_PACKAGES = 20
"""Packages listed; the rest is counted."""
ARTIFACT = "coverage"
"""The artifact id the pasted lines use."""
Folder = tuple[str, str, Metric]
"""A folder, the glob that selects its files, and the sum the engine judges for it."""


def is_coverage(parsed: ParsedFile) -> bool:
    """Whether the file is a coverage report (its series are of the coverage kinds)."""
    return any(m.kind == TOTAL_KIND for m in parsed.metrics)


def _ratios(metric: Metric, counts: bool = True) -> str:
    """``line 73.33% (11/15) · branch 25% (1/4)``: each kind the series measures and has
    something of to cover; without ``counts``, the ratios alone."""
    parts = []
    for kind in KINDS:
        ratio = metric.stats.get(kind)
        covered = metric.stats.get(f"{plural(kind)}_covered")
        total = metric.stats.get(f"{plural(kind)}_total")
        if ratio is None or covered is None or total is None:
            continue  # not measured, or nothing of this kind to cover
        shown = f"{kind} {ratio.value * 100:.4g}%"
        parts.append(f"{shown} ({covered.value:.0f}/{total.value:.0f})" if counts else shown)
    return (" · " if counts else ", ").join(parts) or "nothing to cover"


def _rows(rows: Sequence[tuple[str, str]], limit: int, total: int) -> list[str]:
    """Name-and-figures rows, names padded to one width, at most ``limit`` (``total``: how
    many there are in all)."""
    shown = [(yaml_quoted(name), figures) for name, figures in rows[:limit]]
    width = min(max((len(name) for name, _ in shown), default=0), 50)
    lines = [f"    {name.ljust(width)}  {figures}" for name, figures in shown]
    if total > limit:
        lines.append(f"    … and {total - limit} more")
    return lines


def _folders(files: Sequence[Metric]) -> dict[str, list[str]]:
    """Every folder of two files or more, with the names of the files below it; of folders
    that hold the same files (``org/`` holding only ``org/shop/``), the deepest."""
    below: dict[str, list[str]] = {}
    for metric in files:
        folder = posixpath.dirname(metric.name)
        while folder and folder not in ("/", "."):
            below.setdefault(folder, []).append(metric.name)
            parent = posixpath.dirname(folder)
            if parent == folder:
                break
            folder = parent
    deepest: dict[frozenset[str], str] = {}
    for folder, names in below.items():
        key = frozenset(names)
        if len(key) > 1 and len(folder) > len(deepest.get(key, "")):
            deepest[key] = folder
    return {folder: below[folder] for folder in sorted(deepest.values())}


def _folder_glob(folder: str, names: Sequence[str], series: Sequence[Metric]) -> str | None:
    """A selector that selects exactly the files below ``folder`` of the report's series:
    ``folder/*``, else ``folder/*.EXT`` when the files share an extension (past a package
    named like a folder); None when neither does."""
    candidates = [f"{folder}/*"]
    extensions = {posixpath.splitext(name)[1] for name in names}
    if len(extensions) == 1 and "" not in extensions:
        candidates.append(f"{folder}/*{extensions.pop()}")
    wanted = set(names)
    for selector in candidates:
        criterion = MetricCriterion(ARTIFACT, selector, {}, ())
        if {m.name for m in select_series(criterion, series)} == wanted:
            return selector
    return None


def _judged(parsed: ParsedFile, selector: str, metric: Metric) -> tuple[str, ...]:
    """Thresholds at today's value of each kind, rounded down to a whole percent, that the
    engine passes on ``parsed``; () when there is none (0 %, nothing to cover)."""
    floors = []
    for kind in KINDS:
        ratio = metric.stats.get(kind)
        floor = coverage_floor(kind, ratio) if ratio is not None else None
        if floor is not None:
            floors.append(floor[0])
    if not floors:
        return ()
    thresholds = tuple(parse_threshold(text) for text in floors)
    criterion = MetricCriterion(ARTIFACT, selector, {}, thresholds)
    evidence = ArtifactEvidence(ARTIFACT, ArtifactState.READ, (parsed,))
    outcome, _, _, _ = evaluate_metric(criterion, evidence)
    return tuple(floors) if outcome is Outcome.PASS else ()


def _benchmark(identity: str, selector: str, floors: Sequence[str], today: str) -> list[str]:
    shown = ", ".join(yaml_quoted(text) for text in floors)
    return [
        f"      - id: {identity}",
        f"        metric: {{from: {ARTIFACT}, name: {yaml_quoted(selector)}}}",
        f"        threshold: [{shown}]  # today {today}",
    ]


def slug(text: str) -> str:
    """A benchmark id's part from a path: ``src/ingress`` -> ``src-ingress``."""
    kept = "".join(c if c.isascii() and c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in kept.split("-") if part)[-40:].strip("-") or "folder"


def render_coverage(parsed: ParsedFile) -> list[str]:
    """The report as a person writing coverage benchmarks needs it."""
    series = parsed.metrics
    total = next(m for m in series if m.kind == TOTAL_KIND)
    packages = [m for m in series if m.kind == GROUP_KIND]
    files = [m for m in series if m.kind == KIND]
    lines = [f"  {TOTAL}: {_ratios(total)}"]
    select = "select with `metric: {from: ARTIFACT, name: NAME}`"
    if packages:
        lines.append(f"  {count(len(packages), 'package')} — {select}:")
        rows = [(m.name, _ratios(m)) for m in packages]
        lines += _rows(rows, MAX_PACKAGES, len(packages))
    folders = _folders(files)
    globs: list[Folder] = []
    skipped = 0
    for folder, names in folders.items():
        if len(globs) == MAX_FOLDERS or skipped == MAX_FOLDERS:
            break
        # what a glob FOLDER/… can select starts with FOLDER/: a big report's other series
        # need not be matched (unless the folder's name holds a wildcard itself)
        near = series if is_glob(folder) else [m for m in series if m.name.startswith(folder)]
        selector = _folder_glob(folder, names, near)
        summed = _summed(MetricCriterion(ARTIFACT, selector, {}, ()), near) if selector else None
        if summed is None:
            skipped += 1
            continue
        globs.append((folder, selector or "", summed))
    if globs:
        lines.append(
            f"  {count(len(folders), 'folder')} — the sum of the files below each, selected "
            "with `name: GLOB` as shown (`*` crosses `/`):"
        )
        rows = [(g, f"{count(len(folders[f]), 'file')} · {_ratios(m)}") for f, g, m in globs]
        lines += _rows(rows, MAX_FOLDERS, len(globs))
        rest = len(folders) - len(globs)
        if rest:
            lines.append(f"    … and {rest} more" + (
                f" ({skipped} that a glob would select with a package's series: select "
                "the package)" if skipped else ""))  # fmt: skip
    lines.append(f"  {count(len(files), 'file')} — {select}:")
    lines += _rows([(m.name, _ratios(m)) for m in files], MAX_FILES, len(files))
    lines += _paste(parsed, total, globs)
    return lines


def _summed(criterion: MetricCriterion, series: Sequence[Metric]) -> Metric | None:
    """The one series the engine judges for a folder's glob: the sum of its files."""
    summed, problem = summed_coverage(criterion, select_series(criterion, series))
    return summed[0] if problem is None and len(summed) == 1 else None


def _paste(parsed: ParsedFile, total: Metric, globs: Sequence[Folder]) -> list[str]:
    """The lines to paste into the matrix: the artifact, and benchmarks on TOTAL and on the
    folder that says most (the largest that is not all of the report)."""
    lines = [
        "  To paste into the matrix (the benchmarks go in a cell; thresholds at today's "
        "values, rounded down):",
        "    artifacts:",
        f"      {ARTIFACT}: {{format: {parsed.format}, "
        f"paths: [{yaml_quoted(glob_escape(parsed.path))}]}}",
        "    benchmarks:",
    ]
    benchmarks: list[str] = []
    floors = _judged(parsed, TOTAL, total)
    if floors:
        benchmarks += _benchmark("coverage", TOTAL, floors, _ratios(total, counts=False))
    everything = _size(total)
    # the largest folder that is not the whole report: a sum that says something TOTAL does not
    ranked = sorted(globs, key=lambda g: (_size(g[2]) >= everything, -_size(g[2]), g[0]))
    for folder, selector, summed in ranked[:1]:
        floors = _judged(parsed, selector, summed)
        if floors:
            benchmarks += _benchmark(f"{slug(folder)}-coverage", selector, floors,
                                     _ratios(summed, counts=False))  # fmt: skip
    if not benchmarks:
        benchmarks = ["      []  # no coverage above 0 % to hold"]
    return lines + benchmarks


def _size(metric: Metric) -> float:
    lines = metric.stats.get("lines_total")
    return lines.value if lines is not None else 0.0
