"""Live queries: an artifact with ``query:`` instead of ``paths:`` is asked of its server when
the evidence is collected, and the answer is read by the same parser as a saved one
(``gatekeeper.parsers.load.prometheus``). The answer, with the query, the server and the
evaluation time, is kept with the evidence (``evidence.QueryRecord``), so a bundle is judged
from the saved answer and never asks again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Mapping

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, ParsedFile, QueryRecord
from gatekeeper.live.prometheus_http import QueryError, ask
from gatekeeper.model import Artifact, LiveQuery
from gatekeeper.parsers import _json_keys
from gatekeeper.parsers.load.prometheus import read_answer

_SHOWN_QUERY = 120
"""How much of a long query messages show."""


def query_display(query: LiveQuery) -> str:
    """How messages and reports name a live query's evidence."""
    text = " ".join(query.promql.split())
    shown = text if len(text) <= _SHOWN_QUERY else text[: _SHOWN_QUERY - 3] + "..."
    return f"prometheus query {shown}"


def answer_file(
    query: LiveQuery, environ: Mapping[str, str] | None = None, now: dt.datetime | None = None
) -> tuple[ParsedFile, str]:
    """The answer to ``query`` as a file of evidence, and its digest (sha256 of the answer);
    an EvidenceError naming the query when there is no answer to judge."""
    display = query_display(query)
    moment = now or dt.datetime.now(dt.timezone.utc)
    try:
        answer = ask(query, os.environ if environ is None else environ, moment)
    except QueryError as exc:
        raise EvidenceError(Position(display), str(exc)) from exc
    try:
        text = answer.body.decode("utf-8")
        document = _json_keys.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError too
        message = f"{answer.server} answered with something that is not JSON"
        raise EvidenceError(Position(display), message) from exc
    parsed = read_answer(document, display)
    _same_kind(query, parsed, answer.server, display)
    record = QueryRecord(
        query=query.promql,
        server=answer.server,
        time=answer.time.isoformat().replace("+00:00", "Z"),
        range=query.range,
        step=query.step,
        response=text,
    )
    digest = hashlib.sha256(answer.body).hexdigest()
    return dataclasses.replace(parsed, measured_at=answer.time, query=record), digest


def _same_kind(query: LiveQuery, parsed: ParsedFile, server: str, display: str) -> None:
    """A range query answered with a vector (one point for a week), or an instant query with
    a matrix, is not the answer to the query asked (a proxy or cache that answers alike)."""
    ranged = [m.kind == "range" for m in parsed.metrics]
    asked = query.range is not None
    if any(r != asked for r in ranged):
        got = "a matrix" if not asked else "a vector"
        kind = "a range" if asked else "an instant"
        message = f"{server} answered {kind} query with {got}: not the answer to the query asked"
        raise EvidenceError(Position(display), message)


def query_evidence(
    artifact: Artifact, environ: Mapping[str, str] | None = None
) -> ArtifactEvidence:
    """The evidence of a live-query artifact: its answer, or the error that stands for it."""
    assert artifact.query is not None
    try:
        parsed, _ = answer_file(artifact.query, environ)
    except EvidenceError as exc:
        return ArtifactEvidence(artifact.id, ArtifactState.ERROR, errors=(str(exc),))
    return ArtifactEvidence(artifact.id, ArtifactState.READ, (parsed,))
