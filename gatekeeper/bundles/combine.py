"""Shards together: merging bundles, and a bundle -> the evidence the engine judges.

Merging is lossless: a merged bundle is its shards side by side, so merging is associative
and the order of the inputs does not matter. The shards meet only when a bundle becomes
evidence: then, if there is more than one, every path of a shard's evidence starts with the
shard's name (``unit-3/reports/junit/unit.xml``), as if each job's workspace were a folder of
one tree. A selector matches the series of every shard, each of which must pass, and the
verdict is the one those files would get from ``check`` in that one tree.

Tests meet as counts: each shard counted every test selection of the matrix over its own
files, and the counts add; the tests named as counting against a selection are the first of
the shards' lists in the order of their folders, which is the order the files sort in one
tree; the close names for a selection that matched nothing are chosen from every shard's
closest. A shard counted for other selections than the judging matrix's is not evidence.

Refused, never deduplicated: a shard twice, bundles for different commits, and one file's
bytes (with tests, metrics or findings in them) in two shards — the same evidence would count
twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import PurePath

from gatekeeper.bundles import (
    SELECTION_KEYS,
    ArtifactRecord,
    Bundle,
    BundleError,
    CountedSelection,
    SelectionKey,
    Shard,
    selection_key,
)
from gatekeeper.collect import criteria_by_artifact
from gatekeeper.durations import parse_time
from gatekeeper.errors import Position
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, ParsedFile, TestResult
from gatekeeper.model import LiveQuery, Matrix, TestCriterion
from gatekeeper.selector import did_you_mean
from gatekeeper.signoffs import RecordState, SignoffEvidence, SignoffRecord, no_signoffs
from gatekeeper.tally import CLOSE_NAMES, MAX_FAILED_KEPT, Selection


def _where(origin: str, shard: Shard) -> str:
    return f"{origin} (shard {shard.name!r})"


def merge(bundles: Sequence[tuple[str, Bundle]]) -> Bundle:
    """One bundle of every shard of ``bundles`` (each given with the name of its file)."""
    if not bundles:
        raise BundleError("no bundle to merge")
    first_origin, first = bundles[0]
    for origin, bundle in bundles[1:]:
        if bundle.sha != first.sha:
            raise BundleError(
                f"{origin} is evidence for commit {bundle.sha}, but {first_origin} is for "
                f"commit {first.sha}: bundles of different commits cannot be merged"
            )
    seen: dict[str, str] = {}
    digests: dict[str, tuple[str, str]] = {}
    shards: list[Shard] = []
    for origin, bundle in bundles:
        for shard in bundle.shards:
            where = _where(origin, shard)
            if shard.name in seen:
                raise BundleError(
                    f"shard {shard.name!r} is in both {seen[shard.name]} and {origin}: each "
                    "job needs a --shard name of its own, and each bundle is merged once"
                )
            seen[shard.name] = origin
            _check_digests(shard, where, digests)
            shards.append(shard)
    return Bundle(first.sha, tuple(sorted(shards, key=lambda s: s.name)))


def _check_digests(shard: Shard, where: str, digests: dict[str, tuple[str, str]]) -> None:
    """A file that holds no test, no metric and no finding cannot count twice: it may repeat
    (an analyser run that found nothing is no less a run for being in two shards)."""
    for record in shard.artifacts.values():
        for file in record.files:
            parsed = file.parsed
            if not (parsed.test_count or parsed.metrics or parsed.findings):
                continue
            other = digests.setdefault(file.sha256, (where, parsed.path))
            if other[0] != where:
                raise BundleError(
                    f"{where}: {parsed.path} has the same content (sha256 {file.sha256[:12]}…) "
                    f"as {other[1]} of {other[0]}: the same evidence would count twice"
                )


def _prefix(path: str, shard: str | None) -> str:
    if shard is None or not path or PurePath(path).is_absolute():
        return path
    return f"{shard}/{path}"


def _relocated(parsed: ParsedFile, shard: str | None) -> ParsedFile:
    """``parsed`` as a file of the shard's folder. A finding's ``file`` stays: it is a place
    in the project (every shard checks out the same commit), not in the shard's folder."""
    if shard is None:
        return parsed
    return replace(
        parsed,
        path=_prefix(parsed.path, shard),
        tests=tuple(_moved(t, shard) for t in parsed.tests),
        metrics=tuple(replace(m, source=_prefix(m.source, shard)) for m in parsed.metrics),
        findings=tuple(f._replace(source=_prefix(f.source, shard)) for f in parsed.findings),
    )


def _moved(test: TestResult, shard: str | None) -> TestResult:
    return test if shard is None else test._replace(source=_prefix(test.source, shard))


def _mismatch(key: str, record: ArtifactRecord, matrix: Matrix, shard: Shard) -> str | None:
    declared = matrix.artifacts[key]
    if declared.query is not None:
        return _other_query(key, record, matrix, shard, declared.query)
    if (record.format, record.patterns) == (declared.format, declared.paths):
        return None
    return (
        f"shard {shard.name!r} collected {key!r} as format {record.format} from "
        f"{', '.join(record.patterns)}, but {matrix.path} says format {declared.format} from "
        f"{', '.join(declared.paths)}: collect with the matrix that judges"
    )


def _other_query(
    key: str, record: ArtifactRecord, matrix: Matrix, shard: Shard, query: LiveQuery
) -> str | None:
    """Why a shard's answer is not to the query the matrix asks (files, another query, or
    the same query over another window or at another time)."""
    asked = [f.parsed.query for f in record.files if f.parsed.query is not None]
    promql = query.promql
    if len(asked) != len(record.files) or any(a.query != promql for a in asked):
        shown = repr(asked[0].query) if asked else "files"
        return (
            f"shard {shard.name!r} collected {key!r} from {shown}, but {matrix.path} asks the "
            f"query {promql!r}: collect with the matrix that judges"
        )
    for answer in asked:
        if (answer.range, answer.step) != (query.range, query.step):
            return (
                f"shard {shard.name!r} collected {key!r} as {_window(answer.range, answer.step)}"
                f", but {matrix.path} asks {_window(query.range, query.step)}: collect with the "
                "matrix that judges"
            )
        if query.time != "now" and not _same_time(answer.time, query.time):
            return (
                f"shard {shard.name!r} collected {key!r} evaluated at {answer.time}, but "
                f"{matrix.path} asks it at {query.time}: collect with the matrix that judges"
            )
    return None


def _window(span: float | None, step: float | None) -> str:
    if span is None or step is None:
        return "an instant query"
    return f"a range query over {span:g}s, a point every {step:g}s"


def _same_time(recorded: str, asked: str) -> bool:
    try:
        return parse_time(recorded) == parse_time(asked)
    except ValueError:
        return False


def _describe(key: SelectionKey) -> str:
    *globs, flaky = key
    parts = [f"{name}: {', '.join(g)}" for name, g in zip(SELECTION_KEYS, globs, strict=True) if g]
    return "{" + "; ".join([*parts, f"flaky: {flaky}"]) + "}"


def _other_selections(
    key: str, record: ArtifactRecord, wanted: Sequence[SelectionKey], matrix: Matrix, shard: Shard
) -> str | None:
    counted = {c.key for c in record.selections}
    missing = [k for k in wanted if k not in counted]
    extra = sorted(counted - set(wanted))
    if not (missing or extra):
        return None
    why = (
        f"it did not count {_describe(missing[0])}" if missing
        else f"it counted {_describe(extra[0])}, which no test benchmark of it selects"
    )  # fmt: skip
    return (
        f"shard {shard.name!r} counted the tests of {key!r} for other test selections than "
        f"{matrix.path} judges ({why}): collect with the matrix that judges"
    )


def _merged(criterion: TestCriterion, parts: Sequence[tuple[str, CountedSelection]]) -> Selection:
    """One selection of the shards' counts (``parts``: by the shard's folder name, and sorted
    so): exactly what counting all their files in one tree gives."""
    failing: list[TestResult] = []
    for prefix, part in parts:
        if len(failing) < MAX_FAILED_KEPT:
            failing.extend(_moved(t, prefix or None) for t in part.failing)
    matched = sum(p.matched for _, p in parts)
    close: list[tuple[str, tuple[str, ...]]] = []
    if not matched:
        for name, globs in zip(SELECTION_KEYS, selection_key(criterion)[:4], strict=True):
            values: set[str] = set()
            for _, part in parts:
                unmatched = part.unmatched or {}
                if name not in unmatched:  # some value matched this key's globs on its own
                    break
                values.update(unmatched[name])
            else:
                if globs:
                    close.append((name, tuple(did_you_mean(globs, values, CLOSE_NAMES))))
    return Selection(
        matched,
        sum(p.skipped for _, p in parts),
        sum(p.run for _, p in parts),
        sum(p.failed for _, p in parts),
        sum(p.flaky for _, p in parts),
        tuple(failing[:MAX_FAILED_KEPT]),
        tuple(close),
    )


def _selections(
    criteria: Sequence[TestCriterion], counted: Sequence[tuple[str, ArtifactRecord]]
) -> Mapping[TestCriterion, Selection]:
    # a shard's files sort together, after those of a shard named as its name and more
    ordered = sorted(counted, key=lambda c: c[0] + "/")
    by_key = [(prefix, {c.key: c for c in record.selections}) for prefix, record in ordered]
    return {
        criterion: _merged(criterion, [(p, found[selection_key(criterion)]) for p, found in by_key])
        for criterion in criteria
    }


def artifact_evidence(key: str, bundle: Bundle, matrix: Matrix) -> ArtifactEvidence:
    """What every shard found for artifact ``key``, as if found in one tree."""
    several = len(bundle.shards) > 1
    files: list[ParsedFile] = []
    errors: list[tuple[str, str]] = []  # (sort key, message): in path order, as collect gives
    criteria = criteria_by_artifact(matrix)[key]
    wanted = sorted({selection_key(c) for c in criteria})
    counted: list[tuple[str, ArtifactRecord]] = []
    for shard in bundle.shards:
        record = shard.artifacts.get(key)
        if record is None:
            errors.append(("", f"shard {shard.name!r} did not collect {key!r}: its matrix has "
                           f"no such artifact; collect with the matrix that judges"))  # fmt: skip
            continue
        problem = _mismatch(key, record, matrix, shard)
        if problem is None:
            problem = _other_selections(key, record, wanted, matrix, shard)
        if problem is not None:
            errors.append(("", problem))
            continue
        prefix = shard.name if several else None
        files.extend(_relocated(f.parsed, prefix) for f in record.files)
        counted.append((prefix or "", record))
        for item in record.unreadable:
            at = item.position
            where = Position(_prefix(at.file, prefix), at.line, at.column)
            errors.append((_prefix(item.path, prefix), f"{where}: {item.message}"))
    files.sort(key=lambda f: f.path)
    errors.sort(key=lambda e: e[0])
    patterns = matrix.artifacts[key].paths
    if errors:
        messages = tuple(m for _, m in errors)
        return ArtifactEvidence(key, ArtifactState.ERROR, tuple(files), messages, patterns)
    state = ArtifactState.READ if files else ArtifactState.MISSING
    selections = _selections(criteria, counted) if files else {}
    return ArtifactEvidence(key, state, tuple(files), (), patterns, selections)


def evidence(bundle: Bundle, matrix: Matrix) -> dict[str, ArtifactEvidence]:
    """The evidence of every artifact of ``matrix``, from the bundle instead of the files."""
    return {key: artifact_evidence(key, bundle, matrix) for key in matrix.artifacts}


def refused(matrix: Matrix, reason: str) -> dict[str, ArtifactEvidence]:
    """Evidence that could not be accepted: every artifact unreadable, saying why."""
    return {
        key: ArtifactEvidence(key, ArtifactState.ERROR, errors=(reason,), patterns=artifact.paths)
        for key, artifact in matrix.artifacts.items()
    }


def signoff_evidence(bundle: Bundle) -> SignoffEvidence:
    """The sign-off facts the bundle's shards recorded. Shards that asked about the same
    record must have heard the same: when they disagree (a review given or dismissed between
    two jobs), the record is an error, never the kinder answer; so are facts heard at another
    commit than the bundle's (they say nothing of the record at the bundle's commit)."""
    asked = [s for s in bundle.shards if s.signoffs is not None]
    if not asked:
        return no_signoffs(
            "the bundles hold no sign-off evidence (their collect ran without GITHUB_TOKEN "
            "and GITHUB_REPOSITORY, or with a matrix without sign-offs)"
        )
    found: dict[str, SignoffRecord] = {}
    for shard in asked:
        assert shard.signoffs is not None
        for path, facts in shard.signoffs.items():
            if facts.commit.lower() != bundle.sha.lower():  # heard about another commit
                facts = SignoffRecord(
                    path, bundle.sha, RecordState.ERROR,
                    f"the bundle's sign-off facts for {path} were heard at commit "
                    f"{facts.commit[:12]}, not at {bundle.sha[:12]}, the bundle's commit: "
                    "collect them again",
                )  # fmt: skip
            seen = found.setdefault(path, facts)
            if seen != facts and seen.state is not RecordState.ERROR:
                reason = (
                    f"the bundle's shards disagree about {path} (shard {shard.name!r} heard "
                    "otherwise): collect them again"
                )
                found[path] = SignoffRecord(path, facts.commit, RecordState.ERROR, reason)
    return SignoffEvidence("bundle", found)
