"""Find each artifact's files and parse them: the evidence edge of the program."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import (
    ArtifactEvidence,
    ArtifactState,
    ParsedFile,
    SeriesRequest,
    TestResult,
)
from gatekeeper.findfiles import find_files
from gatekeeper.findings import is_outside
from gatekeeper.model import Artifact, Matrix, MetricCriterion, TestCriterion
from gatekeeper.parsers import parse_file, stream_file
from gatekeeper.tally import Tally


def requests_by_artifact(matrix: Matrix) -> dict[str, tuple[SeriesRequest, ...]]:
    """The metric series each artifact is asked for, so stream parsers keep only those."""
    wanted: dict[str, dict[SeriesRequest, None]] = {key: {} for key in matrix.artifacts}
    for cell in matrix.cells:
        for bench in cell.benchmarks:
            criterion = bench.criterion
            if isinstance(criterion, MetricCriterion):
                request = SeriesRequest(criterion.name, tuple(sorted(criterion.tags.items())))
                for artifact in criterion.reads:  # its own, and its baseline's
                    wanted[artifact][request] = None
    return {key: tuple(requests) for key, requests in wanted.items()}


def criteria_by_artifact(matrix: Matrix) -> dict[str, tuple[TestCriterion, ...]]:
    """The distinct test criteria reading each artifact."""
    found: dict[str, dict[TestCriterion, None]] = {key: {} for key in matrix.artifacts}
    for cell in matrix.cells:
        for bench in cell.benchmarks:
            if isinstance(bench.criterion, TestCriterion):
                found[bench.criterion.artifact][bench.criterion] = None
    return {key: tuple(criteria) for key, criteria in found.items()}


def collect_artifact(
    artifact: Artifact,
    root: Path,
    wanted: tuple[SeriesRequest, ...] = (),
    criteria: tuple[TestCriterion, ...] | None = None,
) -> ArtifactEvidence:
    """Parse every file of one artifact; an unreadable file is recorded, not raised.

    With ``criteria`` (``check``), tests are not kept: each is handed to the tally of every
    criterion as it is read, and the evidence holds the selections (bounded memory).
    """
    if artifact.query is not None:
        from gatekeeper.live import query_evidence  # imports requests: only when asked

        return query_evidence(artifact)
    found = find_files(root, artifact.paths)
    if not found.files and not found.problems:
        return ArtifactEvidence(artifact.id, ArtifactState.MISSING, patterns=artifact.paths)
    parsed: list[ParsedFile] = []
    errors = [str(problem) for problem in found.problems]
    tallies = [Tally(criterion) for criterion in criteria or ()]
    adds = [tally.add for tally in tallies]

    def sink(test: TestResult) -> None:
        for add in adds:
            add(test)

    feed = adds[0] if len(adds) == 1 else sink  # one call fewer a test, the common case
    files = [(path, display_path(path, root)) for path in found.files]
    for path, display in files:
        try:
            if criteria is None:
                read = parse_file(path, display, artifact.format, wanted)
            else:
                read = stream_file(path, display, artifact.format, feed, wanted)
            parsed.append(rooted(read, root))
        except EvidenceError as exc:
            errors.append(str(exc))
    if errors:  # the engine reads nothing of an artifact with an unreadable file
        return ArtifactEvidence(
            artifact.id, ArtifactState.ERROR, tuple(parsed), tuple(errors), artifact.paths
        )
    hinting = [tally for tally in tallies if tally.hinting]
    if hinting:
        hint_pass(hinting, files, artifact.format)
    selections = {tally.criterion: tally.result() for tally in tallies}
    return ArtifactEvidence(
        artifact.id, ArtifactState.READ, tuple(parsed), (), artifact.paths, selections
    )


def rooted(parsed: ParsedFile, root: Path, look: bool = True) -> ParsedFile:
    """``parsed`` with each finding's absolute path inside ``root`` made relative to it, as file
    globs are written, and each finding marked with whether its file is there: analysers
    write absolute paths (ruff's ``file:///home/runner/…``) or paths relative to the folder
    they ran in, and the same finding must read the same from any checkout, here or in a
    bundle. ``look``: whether to look for the files (``inspect``, which may read an artifact
    far from the checkout, does not: only a path outside ``root`` is then not placed)."""
    if not parsed.findings:
        return parsed
    prefixes = tuple({str(root.absolute()) + "/", str(root.resolve()) + "/"})
    known: dict[str, tuple[str, bool]] = {}

    def inside(path: str) -> tuple[str, bool]:
        if path not in known:
            if is_outside(path) and not path.startswith("/"):  # a URI, a Windows drive
                known[path] = (path, False)
                return known[path]
            # placed as the file system reads the path (docs/../src/a.py is src/a.py), but
            # kept as written inside the root: select_findings fits a glob to either form, so a
            # name that climbs (a/../../b.py, from an unencoded %2F) stays under a/'s folder
            normal = posixpath.normpath(path)
            relative = next((normal[len(p) :] for p in prefixes if normal.startswith(p)), normal)
            placed = not relative.startswith(("/", "../")) and (
                not look or _is_file(root, relative)
            )
            written = next((path[len(p) :] for p in prefixes if path.startswith(p)), path)
            keep = written if not written.startswith("/") else relative
            known[path] = (keep, placed)
        return known[path]

    findings = []
    for finding in parsed.findings:
        if not finding.file:
            findings.append(finding)
            continue
        relative, placed = inside(finding.file)
        findings.append(finding._replace(file=relative, placed=placed))
    return replace(parsed, findings=tuple(findings))


def _is_file(root: Path, relative: str) -> bool:
    try:
        return "\0" not in relative and (root / relative).is_file()
    except (OSError, ValueError):  # a name the file system refuses is no file of the project
        return False


def searched_from(
    evidence: Mapping[str, ArtifactEvidence], root: Path
) -> dict[str, ArtifactEvidence]:
    """``evidence`` with the folder its globs start from, so "no file matches" names it: the
    same folder whoever read the files (here, or a job that wrote a bundle in the same tree),
    so a verdict reads the same wherever it is judged."""
    searched = shown(root)
    return {key: replace(each, searched=searched) for key, each in evidence.items()}


def shown(folder: Path) -> str:
    """A folder as a message names it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(folder)
    except ValueError:  # another drive
        return str(folder)
    return str(folder) if relative.startswith("..") else relative


def display_path(path: Path, root: Path) -> str:
    """A found file as reports name it: relative to the root when inside it."""
    return os.path.relpath(path, root) if path.is_relative_to(root) else str(path)


def hint_pass(tallies: list[Tally], files: list[tuple[Path, str]], fmt: str) -> None:
    """The files again, for selections that matched nothing among more names than could be
    kept: only the close names are looked for. The verdict does not depend on it."""
    hints = [tally.hint for tally in tallies]

    def sink(test: TestResult) -> None:
        for hint in hints:
            hint(test)

    for path, display in files:
        try:
            stream_file(path, display, fmt, sink)
        except EvidenceError:  # changed since: the suggestion is only a courtesy
            return


def collect(matrix: Matrix, root: Path) -> dict[str, ArtifactEvidence]:
    """Evidence for every artifact of the matrix, test selections counted as read."""
    wanted = requests_by_artifact(matrix)
    criteria = criteria_by_artifact(matrix)
    return {
        key: collect_artifact(artifact, root, wanted[key], criteria[key])
        for key, artifact in matrix.artifacts.items()
    }
