"""Bundles as JSON text, and back: deterministic out, untrusted in.

Out: keys sorted, shards by name, files by path, selections by key, metrics, findings and
analyser runs in the order their files list them, so identical evidence gives identical bytes.
JSON has no NaN or infinity: those are written as the strings "NaN", "Infinity", "-Infinity"
(a finding's severity is never either: reading the file refuses it).

In: a bundle comes from another job, perhaps from a pull request's code, so it is held to
``schemas/bundle.schema.json`` (every problem named by its key path), its size is capped and
its nesting is bounded before any of it is believed (see ``validate``); an object that
writes a key twice is refused (``gatekeeper.parsers._json_keys``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from gatekeeper import __version__
from gatekeeper.bundles import (
    BUNDLE_VERSION,
    SELECTION_KEYS,
    ArtifactRecord,
    Bundle,
    BundleError,
    CountedSelection,
    FileEvidence,
    Shard,
    Unreadable,
)
from gatekeeper.bundles.decode import bundle_from_json
from gatekeeper.bundles.validate import check_schema
from gatekeeper.evidence import Analysis, Finding, Metric, QueryRecord, TestResult
from gatekeeper.freshness import utc
from gatekeeper.parsers import _json_keys
from gatekeeper.signoffs import SignoffRecord

MAX_BUNDLE_BYTES = 256 * 1024 * 1024


def _number(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def _test(test: TestResult) -> dict[str, Any]:
    fields = test._asdict()
    fields["status"] = test.status.value
    fields["duration"] = None if test.duration is None else _number(test.duration)
    return fields


def _metric(metric: Metric) -> dict[str, Any]:
    part = {"subseries": True} if metric.subseries else {}  # written only where true: small
    return {
        "name": metric.name,
        "tags": dict(metric.tags),
        "stats": {
            key: {"value": _number(q.value), "dimension": q.dimension.value}
            for key, q in metric.stats.items()
        },
        "kind": metric.kind,
        "aliases": list(metric.aliases),
        "source": metric.source,
        "samples": [_number(v) for v in metric.samples],
        "sample_dimension": metric.sample_dimension.value,
        "failures": list(metric.failures),
        **part,
    }


def _finding(finding: Finding) -> dict[str, Any]:
    fields = finding._asdict()
    fields["fingerprints"] = [list(pair) for pair in finding.fingerprints]
    return fields


def _analysis(analysis: Analysis) -> dict[str, Any]:
    return {
        "tool": analysis.tool,
        "version": analysis.version,
        "failures": list(analysis.failures),
        "severities": analysis.severities,
    }


def _query(query: QueryRecord) -> dict[str, Any]:
    return {
        "query": query.query,
        "server": query.server,
        "time": query.time,
        "range": query.range,
        "step": query.step,
        "response": query.response,
    }


def _file(file: FileEvidence) -> dict[str, Any]:
    parsed = file.parsed
    asked = {} if parsed.query is None else {"query": _query(parsed.query)}  # live queries only
    return {
        "path": parsed.path,
        "sha256": file.sha256,
        "format": parsed.format,
        "tests": parsed.test_count,
        "metrics": [_metric(m) for m in parsed.metrics],
        "findings": [_finding(f) for f in parsed.findings],
        "analyses": [_analysis(a) for a in parsed.analyses],
        # the file's own time, never the bundle's: max_age judges the measurement
        "measured_at": None if parsed.measured_at is None else utc(parsed.measured_at).isoformat(),
        "time_error": parsed.time_error,
        **asked,
    }


def _selection(counted: CountedSelection) -> dict[str, Any]:
    *globs, flaky = counted.key
    select: dict[str, Any] = {key: list(g) for key, g in zip(SELECTION_KEYS, globs, strict=True)}
    unmatched = counted.unmatched
    return {
        "select": {**select, "flaky": flaky},
        "matched": counted.matched,
        "skipped": counted.skipped,
        "run": counted.run,
        "failed": counted.failed,
        "flaky": counted.flaky,
        "failing": [_test(t) for t in counted.failing],
        "unmatched": None if unmatched is None else {k: list(v) for k, v in unmatched.items()},
    }


def _unreadable(item: Unreadable) -> dict[str, Any]:
    where = item.position
    error = {"file": where.file, "line": where.line, "column": where.column}
    return {"path": item.path, "sha256": item.sha256, "error": {**error, "message": item.message}}


def _artifact(record: ArtifactRecord) -> dict[str, Any]:
    return {
        "format": record.format,
        "patterns": list(record.patterns),
        "files": [_file(f) for f in sorted(record.files, key=lambda f: f.parsed.path)],
        "unreadable": [_unreadable(u) for u in sorted(record.unreadable, key=lambda u: u.path)],
        "selections": [_selection(c) for c in sorted(record.selections, key=lambda c: c.key)],
    }


def _shard(shard: Shard) -> dict[str, Any]:
    run = shard.run
    return {
        "name": shard.name,
        "run": {
            "repository": run.repository,
            "workflow": run.workflow,
            "job": run.job,
            "run_id": run.run_id,
            "run_attempt": run.run_attempt,
        },
        "artifacts": {key: _artifact(r) for key, r in shard.artifacts.items()},
        # written only when asked: a bundle without sign-offs reads as it did before them
        **({} if shard.signoffs is None else {
            "signoffs": {path: signoff_record(f) for path, f in shard.signoffs.items()}
        }),
    }  # fmt: skip


def signoff_record(found: SignoffRecord) -> dict[str, Any]:
    """One record's sign-off facts as the bundle (and the JSON report) write them."""
    return {
        "commit": found.commit,
        "state": found.state.value,
        "reason": found.reason,
        "changed_in": found.changed_in,
        "pull": found.pull,
        "author": found.author,
        "last_change": found.last_change,
        "reviews": [
            {"login": r.login, "state": r.state, "submitted_at": r.submitted_at,
             "commit": r.commit, "current": r.current}
            for r in found.reviews
        ],
        "members": [
            {"team": m.team, "login": m.login, "membership": m.membership.value,
             "reason": m.reason}
            for m in found.members
        ],
    }  # fmt: skip


def to_json(bundle: Bundle) -> dict[str, Any]:
    return {
        "bundle_version": BUNDLE_VERSION,
        "gatekeeper_version": __version__,
        "sha": bundle.sha,
        "shards": [_shard(s) for s in sorted(bundle.shards, key=lambda s: s.name)],
    }


def dumps(bundle: Bundle) -> str:
    """The bundle's text: the same evidence always gives the same bytes."""
    # ASCII: a lone surrogate in a test's name travels as \udcxx instead of failing to encode
    text = json.dumps(
        to_json(bundle), sort_keys=True, ensure_ascii=True, allow_nan=False, separators=(",", ":")
    )
    return text + "\n"


def loads(data: bytes, display: str) -> Bundle:
    """A bundle from its bytes; ``display`` names it in every message."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleError(f"{display}: larger than {MAX_BUNDLE_BYTES // 2**20} MiB")
    try:
        text = data.decode(json.detect_encoding(data), "surrogatepass")  # as json.loads does
        parsed = _json_keys.loads(text, parse_constant=_refuse_constant)
    except _json_keys.RepeatedKeyError as exc:
        raise BundleError(f"{display}:{exc.line}:{exc.column}: {exc.message}") from exc
    except json.JSONDecodeError as exc:
        raise BundleError(f"{display}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from exc
    except UnicodeDecodeError as exc:
        raise BundleError(f"{display}: byte {exc.start + 1}: not UTF-8 text") from exc
    except RecursionError as exc:  # the C decoder recurses once per level of nesting
        raise BundleError(f"{display}: nested too deeply to be a bundle") from exc
    except ValueError as exc:  # NaN, Infinity: not JSON
        raise BundleError(f"{display}: not JSON: {exc}") from exc
    check_schema(parsed, display)
    return bundle_from_json(parsed, display)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value (write it as the string {name!r})")


def read_bundle(path: Path, display: str | None = None) -> Bundle:
    """The bundle in file ``path``."""
    where = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BUNDLE_BYTES:
            raise BundleError(f"{where}: larger than {MAX_BUNDLE_BYTES // 2**20} MiB")
        data = path.read_bytes()
    except OSError as exc:
        raise BundleError(f"{where}: cannot read: {exc.strerror or exc}") from exc
    return loads(data, where)


def write_bundle(bundle: Bundle, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(bundle), encoding="utf-8")
    except OSError as exc:
        raise BundleError(f"{path}: cannot write: {exc.strerror or exc}") from exc
