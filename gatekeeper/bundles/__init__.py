"""Evidence bundles: what one CI job's artifacts say, parsed and normalised, in one JSON file.

Sharded CI runs its suites in many jobs. Each job reduces its artifacts to a bundle
(``gatekeeper collect``); one gate job merges the bundles (``gatekeeper merge``) and judges
them (``gatekeeper check --bundle``) exactly as it would judge all the files at once.

A bundle holds what the collecting matrix needs, reduced: tests are not kept, but counted per
test selection of the matrix as they stream by (``gatekeeper.tally``), with the tests that
count against it to name and the values to suggest for a selection that matched nothing.
Those add up exactly across shards (``combine``), so the gate job reads kilobytes, not every
test again; a bundle counted for other selections than the judging matrix's is refused.
Static-analysis findings are kept, every one, with the analyser runs: a findings criterion
selects them by file, rule and level and tells new ones from a baseline's, which no count
made in advance could answer.

- this module: the records, and the one error every bundle problem raises;
- ``build``: a job's artifacts -> a one-shard bundle (globs, parsers, digests: the I/O edge);
- ``codec``: bundle <-> JSON text, checked against ``schemas/bundle.schema.json``;
- ``combine``: shards merged, duplicates refused, a bundle -> the evidence the engine judges;
- ``accept``: which bundles ``check`` takes as the evidence of the commit it judges;
- ``unzip``: an artifact zip unpacked safely (``check --fetch-bundles``: fetching the bundles
  a commit's workflow runs uploaded is ``gatekeeper.github.bundles``', on GitHub's side).

Layer: evidence (docs/architecture.md). May import the base and model layers, ``collect``
and ``parsers``; nothing here talks HTTP or knows GitHub.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from gatekeeper.errors import ExitCode, GatekeeperError, Position
from gatekeeper.evidence import ParsedFile, TestResult
from gatekeeper.model import TestCriterion
from gatekeeper.signoffs import SignoffRecord

BUNDLE_VERSION = 5
UNDATED_VERSIONS = frozenset({4})
"""Older versions still read: their files record no measurement time (``measured_at`` is
None), which a ``max_age`` never accepts."""
SHARD_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,127}")
"""A shard's name becomes the first folder of its evidence's paths in a merged bundle."""
SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
"""A full commit id: SHA-1, or SHA-256 for repositories that use it."""


class BundleError(GatekeeperError):
    """A bundle cannot be read, or bundles cannot be combined; says which and where."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True)
class RunIdentity:
    """The GitHub Actions job that collected a shard; every field None outside Actions."""

    repository: str | None = None
    workflow: str | None = None
    job: str | None = None
    run_id: str | None = None
    run_attempt: str | None = None

    @staticmethod
    def from_env(environ: Mapping[str, str]) -> RunIdentity:
        def get(name: str) -> str | None:
            return environ.get(name) or None

        return RunIdentity(
            repository=get("GITHUB_REPOSITORY"),
            workflow=get("GITHUB_WORKFLOW"),
            job=get("GITHUB_JOB"),
            run_id=get("GITHUB_RUN_ID"),
            run_attempt=get("GITHUB_RUN_ATTEMPT"),
        )


@dataclass(frozen=True)
class FileEvidence:
    """One file that was read, with the digest of its bytes."""

    parsed: ParsedFile
    sha256: str


@dataclass(frozen=True)
class Unreadable:
    """One file that could not be read, and why (an EvidenceError, kept as data)."""

    path: str
    sha256: str | None
    """None when the file could not even be opened."""
    position: Position
    message: str

    @property
    def text(self) -> str:
        """The message as collecting the files directly gives it."""
        return f"{self.position}: {self.message}"


SelectionKey = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], str]
"""What a test criterion's selection depends on: its suite, class, name and file globs, and
its flaky policy (a pass rate or a minimum applies to the counts, not to what is counted)."""

SELECTION_KEYS = ("suite", "class", "name", "file")
"""The matrix keys a selection's globs are given by, in ``SelectionKey`` order."""


def selection_key(criterion: TestCriterion) -> SelectionKey:
    return (
        criterion.suite,
        criterion.classname,
        criterion.name,
        criterion.file,
        criterion.flaky.value,
    )


@dataclass(frozen=True)
class CountedSelection:
    """One test selection of the collecting matrix, counted over one shard's files of an
    artifact, in the order the files sort by path (``tally.Selection`` before it is merged)."""

    key: SelectionKey
    matched: int
    skipped: int
    run: int
    failed: int
    flaky: int
    failing: tuple[TestResult, ...]
    """The first ``tally.MAX_FAILED_KEPT`` tests counting against it, in reading order."""
    unmatched: Mapping[str, tuple[str, ...]] | None
    """None once a test matched. Else, per key whose globs matched no value of the shard on
    their own, the values closest to each glob (the best ``tally.CLOSE_NAMES`` per glob): the
    union over shards holds the best of all, so the suggestions merge exactly."""


@dataclass(frozen=True)
class ArtifactRecord:
    """What one shard found for one artifact of the matrix."""

    format: str
    """The format the matrix declared (or 'auto')."""
    patterns: tuple[str, ...]
    """The globs searched: check refuses evidence gathered with other globs than its matrix's."""
    files: tuple[FileEvidence, ...] = ()
    """Each file's tests are counted (``ParsedFile.streamed_tests``), not kept."""
    unreadable: tuple[Unreadable, ...] = ()
    selections: tuple[CountedSelection, ...] = ()
    """One per distinct selection of the matrix's test criteria reading the artifact, by key."""


@dataclass(frozen=True)
class Shard:
    """The evidence one job collected."""

    name: str
    run: RunIdentity
    artifacts: Mapping[str, ArtifactRecord]
    """By artifact id: every artifact of the matrix the job collected with."""
    signoffs: Mapping[str, SignoffRecord] | None = None
    """By record path: what the GitHub API said about the matrix's sign-offs when the job
    collected (``gatekeeper.github.signoffs``); None when it did not ask (no token, or the
    matrix has none)."""


@dataclass(frozen=True)
class Bundle:
    """The evidence of one or more shards, all for one commit."""

    sha: str
    shards: tuple[Shard, ...]
    """Sorted by name; names are unique."""
