"""`gatekeeper history --format json`: the view as schemas/history-report.schema.json shapes it.

Numbers stay in the base units the history holds them in (seconds, fractions of 1, bytes);
text is as the history has it (one line, bounded: ``records``), for a program to escape as
its output needs; printed, it stays data in a CI log (the JSON report's ``log_safe``).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from gatekeeper.history.model import Reached
from gatekeeper.history.records import moment
from gatekeeper.history.view import (
    BenchmarkHistory,
    Change,
    Headroom,
    HistoryView,
    Trend,
    TrendPoint,
)
from gatekeeper.reporters.json_report import log_safe

HISTORY_REPORT_VERSION = 1


def _when(when: dt.datetime | None) -> str | None:
    return None if when is None else moment(when)


def _reached(got: Reached | None) -> dict[str, Any] | None:
    if got is None:
        return None
    return {"date": moment(got.date), "commit": got.commit, "by": got.by, "tag": got.tag}


def _change(moved: Change | None) -> dict[str, Any] | None:
    if moved is None:
        return None
    return {
        "first": moved.first,
        "latest": moved.latest,
        "absolute": moved.absolute,
        "relative": moved.relative,
    }


def _headroom(room: Headroom | None) -> dict[str, Any] | None:
    if room is None:
        return None
    return {
        "direction": room.direction,
        "value": room.value,
        "limit": room.limit,
        "used": room.used,
        "margin": room.margin,
    }


def _point(p: TrendPoint) -> dict[str, Any]:
    return {
        "date": moment(p.date), "commit": p.commit, "value": p.value, "unit": p.unit,
        "limit": p.limit, "outcome": p.outcome, "ok": p.ok, "actual": p.actual,
    }  # fmt: skip


def _trend(trend: Trend) -> dict[str, Any]:
    return {
        "series": trend.series,
        "threshold": trend.threshold,
        "points": [_point(p) for p in trend.points],
        "change": _change(trend.change),
        "headroom": _headroom(trend.headroom),
    }


def _benchmark(bench: BenchmarkHistory) -> dict[str, Any]:
    return {
        "ref": bench.ref,
        "in_matrix": bench.in_matrix,
        "latest_outcome": bench.latest,
        "window": bench.window,
        "outcomes": dict(bench.outcomes),
        "not_passing": bench.not_passing,
        "trends": [_trend(t) for t in bench.trends],
    }


def shape(view: HistoryView) -> dict[str, Any]:
    latest = view.latest
    tags = view.tags
    return {
        "history_report_version": HISTORY_REPORT_VERSION,
        "project": view.project,
        "history": {
            "sources": list(view.sources),
            "note": view.note,
            "evaluations": view.evaluations,
            "first": _when(view.first),
            "last": _when(view.last_date),
            "since": _when(view.since),
            "window": view.last,
        },
        "tags": {
            "pattern": tags.pattern,
            "unavailable": tags.unavailable,
            "read": [
                {"tag": m.tag, "phase": m.phase, "date": moment(m.date), "commit": m.commit}
                for m in tags.marks
            ],
            "ignored": list(tags.ignored),
        },
        "phases": [
            {"id": p.id, "name": p.name, "reached": _reached(p.reached)} for p in view.phases
        ],
        "latest": None
        if latest is None
        else {
            "date": moment(latest.date),
            "commit": latest.commit,
            "verdict": latest.verdict,
            "stands_at": latest.stands_at,
            "run_url": latest.run_url,
        },
        "benchmarks": [_benchmark(b) for b in view.benchmarks],
    }


def render(view: HistoryView) -> str:
    text = json.dumps(shape(view), indent=2, ensure_ascii=False, allow_nan=False)
    return log_safe(text) + "\n"
