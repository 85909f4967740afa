"""A job's artifacts -> a one-shard bundle: the same files and parsers as ``check``, kept small.

Tests stream through the tallies of the matrix's test selections, as ``check`` counts them,
and are not kept: the bundle holds each selection's counts, the tests counting against it
that reports name, and the close values a selection that matched nothing suggests from.

Raw samples are the only part of the evidence that grows with a test's length (a k6 stream,
hyperfine's every run), so a bundle keeps them only where the verdict needs them: for a series
a metric benchmark selects (in its own artifact or its baseline's), when one of its thresholds
or baseline changes asks for a statistic the tool did not compute, or its baseline is compared
at a confidence (from the samples of both sides). Everything else the engine
reads is kept whole, so a bundle judges as its files do.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.bundles import (
    ArtifactRecord,
    Bundle,
    CountedSelection,
    FileEvidence,
    RunIdentity,
    SelectionKey,
    Shard,
    Unreadable,
    selection_key,
)
from gatekeeper.collect import (
    criteria_by_artifact,
    display_path,
    hint_pass,
    requests_by_artifact,
    rooted,
)
from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import FALLBACK_STATS, Metric, ParsedFile, SeriesRequest, TestResult
from gatekeeper.findfiles import find_files
from gatekeeper.model import Artifact, LiveQuery, Matrix, MetricCriterion, TestCriterion
from gatekeeper.parsers import stream_file
from gatekeeper.series import select_series
from gatekeeper.tally import Tally

_CHUNK = 1 << 20


def file_digest(path: Path) -> str | None:
    """sha256 of the file's bytes, read in chunks (artifacts can be gigabytes); None if
    it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _needs_samples(metric: Metric, statistic: str) -> bool:
    """Whether ``series.read_statistic`` would compute ``statistic`` from the samples."""
    return not any(key in metric.stats for key in (statistic, *FALLBACK_STATS.get(statistic, ())))


def keep_needed_samples(parsed: ParsedFile, criteria: Sequence[MetricCriterion]) -> ParsedFile:
    """``parsed`` with raw samples dropped from every series no threshold needs them for."""
    if not any(m.samples for m in parsed.metrics):
        return parsed
    needed: set[int] = set()
    for criterion in criteria:
        for metric in select_series(criterion, parsed.metrics):
            # a change judged at a confidence reads the samples themselves
            # (paired rounds read one figure per file: the statistic, as a threshold does)
            sampled = (
                criterion.baseline is not None
                and criterion.baseline.confidence is not None
                and not criterion.baseline.paired
            )
            if sampled or any(_needs_samples(metric, stat) for stat in criterion.statistics):
                needed.add(id(metric))
    metrics = tuple(
        m if id(m) in needed or not m.samples else dataclasses.replace(m, samples=())
        for m in parsed.metrics
    )
    return dataclasses.replace(parsed, metrics=metrics)


def _tallies(criteria: Sequence[TestCriterion]) -> dict[SelectionKey, Tally]:
    """One tally per distinct selection, in key order (the bundle's bytes are deterministic)."""
    distinct: dict[SelectionKey, TestCriterion] = {}
    for criterion in criteria:
        distinct.setdefault(selection_key(criterion), criterion)
    return {key: Tally(distinct[key]) for key in sorted(distinct)}


def _counted(key: SelectionKey, tally: Tally) -> CountedSelection:
    found = tally.result()
    return CountedSelection(
        key, found.matched, found.skipped, found.run, found.failed, found.flaky,
        found.failing, tally.close_values(),
    )  # fmt: skip


def collect_record(
    artifact: Artifact,
    root: Path,
    wanted: tuple[SeriesRequest, ...],
    criteria: Sequence[MetricCriterion],
    tests: Sequence[TestCriterion] = (),
) -> ArtifactRecord:
    """Like ``collect.collect_artifact``, keeping each file's digest and each error's parts.
    Files are read in the order of their paths, as the evidence of a bundle is judged."""
    if artifact.query is not None:
        return _query_record(artifact, artifact.query)
    files: list[FileEvidence] = []
    found = find_files(root, artifact.paths)
    unreadable = [Unreadable(p.position.file, None, p.position, p.message) for p in found.problems]
    tallies = _tallies(tests)
    adds = [tally.add for tally in tallies.values()]

    def sink(test: TestResult) -> None:
        for add in adds:
            add(test)

    paths = sorted((display_path(path, root), path) for path in found.files)
    for display, path in paths:
        digest = file_digest(path)
        try:
            parsed = rooted(stream_file(path, display, artifact.format, sink, wanted), root)
        except EvidenceError as exc:
            unreadable.append(Unreadable(display, digest, exc.position, exc.message))
            continue
        if digest is None:  # parsed, then gone or unreadable: the digest cannot vouch for it
            message = "cannot read it again to take its digest"
            unreadable.append(Unreadable(display, None, Position(display), message))
            continue
        files.append(FileEvidence(keep_needed_samples(parsed, criteria), digest))
    hinting = [tally for tally in tallies.values() if tally.hinting]
    if hinting and not unreadable:  # with an unreadable file, no selection is judged
        hint_pass(hinting, [(path, display) for display, path in paths], artifact.format)
    selections = tuple(_counted(key, tally) for key, tally in tallies.items())
    return ArtifactRecord(
        artifact.format, artifact.paths, tuple(files), tuple(unreadable), selections
    )


def _query_record(artifact: Artifact, query: LiveQuery) -> ArtifactRecord:
    """A live query's answer, kept whole (query, server, time, raw answer): the bundle is
    judged from it, never by asking again."""
    from gatekeeper.live import answer_file, query_display  # imports requests: only when asked

    try:
        parsed, digest = answer_file(query)
    except EvidenceError as exc:
        failed = Unreadable(query_display(query), None, exc.position, exc.message)
        return ArtifactRecord(artifact.format, artifact.paths, (), (failed,))
    return ArtifactRecord(artifact.format, artifact.paths, (FileEvidence(parsed, digest),))


def collect_bundle(matrix: Matrix, root: Path, sha: str, name: str, run: RunIdentity) -> Bundle:
    """The evidence of every artifact of the matrix under ``root``, as shard ``name``."""
    wanted = requests_by_artifact(matrix)
    criteria: dict[str, list[MetricCriterion]] = {key: [] for key in matrix.artifacts}
    for cell in matrix.cells:
        for bench in cell.benchmarks:
            if isinstance(bench.criterion, MetricCriterion):
                for artifact in bench.criterion.reads:  # its own, and its baseline's
                    criteria[artifact].append(bench.criterion)
    tests = criteria_by_artifact(matrix)
    artifacts = {
        key: collect_record(artifact, root, wanted[key], criteria[key], tests[key])
        for key, artifact in matrix.artifacts.items()
    }
    return Bundle(sha, (Shard(name, run, artifacts),))
