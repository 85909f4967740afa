"""Stale evidence: a benchmark's verdict held to its ``max_age``. Pure.

The evidence's time is the oldest its artifact's files record (``ParsedFile.measured_at``):
one old file is old evidence. A benchmark's own ``max_age`` wins over its artifact's. Stale
never hides a failure: evidence that fails, or cannot be read, says so whatever its age; stale
evidence that would pass is ``missing`` and marked ``stale`` ("stale: last evidence 41 days
old (max 30d)").
Evidence that records no time cannot satisfy a max_age (missing, naming the format), and
evidence from after the check's time (beyond ``FUTURE_SKEW``) is an error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from gatekeeper.evidence import RUN_FILES, ArtifactEvidence, ArtifactState, ParsedFile, superseded
from gatekeeper.freshness import FUTURE_SKEW, MaxAge, age_text, oldest
from gatekeeper.model import Benchmark, Matrix, SignoffCriterion
from gatekeeper.results import BenchmarkResult, Freshness, Outcome


def max_age_of(benchmark: Benchmark, matrix: Matrix) -> MaxAge | None:
    """The benchmark's own max_age, else its artifact's, else None."""
    if benchmark.max_age is not None:
        return benchmark.max_age
    if isinstance(benchmark.criterion, SignoffCriterion):  # reads no artifact
        return None
    return matrix.artifacts[benchmark.criterion.artifact].max_age


def _undated(files: list[ParsedFile]) -> str:
    formats = sorted({f.format for f in files if f.measured_at is None})
    return " and ".join(formats) or "its"


def _run_of(parsed: ParsedFile) -> tuple[str, str] | None:
    for suffix in RUN_FILES.get(parsed.format, ()):
        if parsed.path.endswith(suffix):
            return parsed.format, parsed.path[: -len(suffix)]
    return None


def _judged_with_run_times(evidence: ArtifactEvidence) -> list[ParsedFile]:
    """The files judged, each undated one dated by another file of its run that was passed
    over for it (a Locust run's ``_stats.csv`` by its ``_stats_history.csv``: one run)."""
    skipped = superseded(evidence.files)
    run_times: dict[tuple[str, str], dt.datetime] = {}
    for parsed in evidence.files:
        run = _run_of(parsed)
        if parsed.path in skipped and run is not None and parsed.measured_at is not None:
            known = run_times.get(run)
            run_times[run] = parsed.measured_at if known is None else min(known, parsed.measured_at)
    judged = []
    for parsed in evidence.files:
        if parsed.path in skipped:
            continue
        run = _run_of(parsed)
        if parsed.measured_at is None and parsed.time_error is None and run in run_times:
            parsed = dataclasses.replace(parsed, measured_at=run_times[run])
        judged.append(parsed)
    return judged


def hold_to_age(
    result: BenchmarkResult, matrix: Matrix, evidence: ArtifactEvidence, as_of: dt.datetime
) -> BenchmarkResult:
    """``result`` as its ``max_age`` leaves it, with the evidence's time and age recorded."""
    max_age = max_age_of(result.benchmark, matrix)
    if max_age is None or evidence.state is not ArtifactState.READ:
        return result
    files = _judged_with_run_times(evidence)
    garbled = [f.time_error for f in files if f.time_error is not None]
    if garbled and result.outcome is not Outcome.FAIL:
        return dataclasses.replace(
            result,
            outcome=Outcome.ERROR,
            summary=f"unreadable time: {garbled[0]}; max_age {max_age.text} needs the time the "
            "evidence records",
            details=tuple(garbled),
            freshness=Freshness(max_age, None, None, False),
        )
    measured_at, dated = oldest([f.measured_at for f in files])
    if not dated or measured_at is None:
        fresh = Freshness(max_age, None, None, False)
        if result.outcome is not Outcome.PASS:
            return dataclasses.replace(result, freshness=fresh)
        return dataclasses.replace(
            result,
            outcome=Outcome.MISSING,
            summary=f"no recorded time: {_undated(files)} files do not say when they were "
            f"measured, and evidence with no recorded time cannot satisfy max_age {max_age.text} "
            f"(the evidence alone says {result.outcome.value}: {result.summary})",
            freshness=fresh,
        )
    age = as_of - measured_at
    # any one file from the future, not only the oldest: a clock years ahead says nothing of
    # when its file was measured, and a fresh file beside it must not carry it
    newest = max(f.measured_at for f in files if f.measured_at is not None)
    if newest - as_of > FUTURE_SKEW:
        return dataclasses.replace(
            result,
            outcome=Outcome.ERROR,
            summary=f"evidence from the future: measured at {newest.isoformat()}, after "
            f"the check's time {as_of.isoformat()}; a clock is wrong, or --as-of is earlier than "
            "the evidence",
            freshness=Freshness(max_age, measured_at, age, False),
        )
    stale = age > max_age.span
    fresh = Freshness(max_age, measured_at, age, stale)
    if not stale or result.outcome is not Outcome.PASS:  # stale never hides a failure
        return dataclasses.replace(result, freshness=fresh)
    return dataclasses.replace(
        result,
        outcome=Outcome.MISSING,
        summary=f"stale: last evidence {age_text(age, max_age)} old (max {max_age.text})",
        details=(
            f"the evidence alone says {result.outcome.value}: {result.summary}",
            *result.details,
        ),
        freshness=fresh,
        stale=True,
    )
