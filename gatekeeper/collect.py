"""Find each artifact's files and parse them: the evidence edge of the program."""

from __future__ import annotations

import glob
import os
from collections.abc import Mapping
from pathlib import Path

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, ParsedFile
from gatekeeper.model import Artifact
from gatekeeper.parsers import parse_file


def find_files(root: Path, patterns: tuple[str, ...]) -> list[Path]:
    """Files matching any glob (``**`` crosses folders), relative to ``root``, sorted, unique."""
    found: dict[str, Path] = {}
    for pattern in patterns:
        # glob.glob, unlike Path.glob, takes absolute patterns and ".." as users write them
        for name in glob.glob(pattern, root_dir=root, recursive=True):  # noqa: PTH207
            path = root / name
            if path.is_file():
                found.setdefault(os.path.normpath(name), path)
    return [found[k] for k in sorted(found)]


def collect_artifact(artifact: Artifact, root: Path) -> ArtifactEvidence:
    """Parse every file of one artifact; an unreadable file is recorded, not raised."""
    files = find_files(root, artifact.paths)
    if not files:
        return ArtifactEvidence(artifact.id, ArtifactState.MISSING, patterns=artifact.paths)
    parsed: list[ParsedFile] = []
    errors: list[str] = []
    for path in files:
        display = os.path.relpath(path, root) if path.is_relative_to(root) else str(path)
        try:
            parsed.append(parse_file(path, display, artifact.format))
        except EvidenceError as exc:
            errors.append(str(exc))
    state = ArtifactState.ERROR if errors else ArtifactState.READ
    return ArtifactEvidence(artifact.id, state, tuple(parsed), tuple(errors), artifact.paths)


def collect(artifacts: Mapping[str, Artifact], root: Path) -> dict[str, ArtifactEvidence]:
    """Evidence for every artifact of the matrix."""
    return {key: collect_artifact(artifact, root) for key, artifact in artifacts.items()}
