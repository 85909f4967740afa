"""Find each artifact's files and parse them: the evidence edge of the program."""

from __future__ import annotations

import os
from pathlib import Path

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, ParsedFile, SeriesRequest
from gatekeeper.findfiles import find_files
from gatekeeper.model import Artifact, Matrix, MetricCriterion
from gatekeeper.parsers import parse_file


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


def collect_artifact(
    artifact: Artifact, root: Path, wanted: tuple[SeriesRequest, ...] = ()
) -> ArtifactEvidence:
    """Parse every file of one artifact; an unreadable file is recorded, not raised."""
    found = find_files(root, artifact.paths)
    if not found.files and not found.problems:
        return ArtifactEvidence(artifact.id, ArtifactState.MISSING, patterns=artifact.paths)
    parsed: list[ParsedFile] = []
    errors = [str(problem) for problem in found.problems]
    for path in found.files:
        display = os.path.relpath(path, root) if path.is_relative_to(root) else str(path)
        try:
            parsed.append(parse_file(path, display, artifact.format, wanted))
        except EvidenceError as exc:
            errors.append(str(exc))
    state = ArtifactState.ERROR if errors else ArtifactState.READ
    return ArtifactEvidence(artifact.id, state, tuple(parsed), tuple(errors), artifact.paths)


def collect(matrix: Matrix, root: Path) -> dict[str, ArtifactEvidence]:
    """Evidence for every artifact of the matrix."""
    wanted = requests_by_artifact(matrix)
    return {
        key: collect_artifact(artifact, root, wanted[key])
        for key, artifact in matrix.artifacts.items()
    }
