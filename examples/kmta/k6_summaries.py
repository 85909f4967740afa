"""k6 end-of-test summaries for the KMTA example, synthesised from seeded latency samples.

k6 cannot be installed where this example is built, so this module plays k6's part: it
draws every request's timings from a seeded random sample, computes the statistics the
way k6 does (percentiles by linear interpolation at rank (n-1)*p), and writes them in the
two JSON shapes k6 itself writes: ``--summary-export`` and ``handleSummary(data)``. The
same seed gives the same bytes, so the committed files regenerate identically.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TREND_STATS = ("avg", "min", "med", "max", "p(90)", "p(95)")
"""k6's default summaryTrendStats, in its order."""

Series = tuple[str, dict[str, float]]
"""A metric's kind (trend, rate, counter, gauge) and its statistics, named as in the export."""

_TIMINGS = (
    "http_req_blocked",
    "http_req_connecting",
    "http_req_tls_handshaking",
    "http_req_sending",
    "http_req_waiting",
    "http_req_receiving",
    "http_req_duration",
    "iteration_duration",
)
"""The trends k6 records for every HTTP request, in the order simulate() draws them."""


@dataclass(frozen=True)
class Scenario:
    """A constant-arrival-rate scenario and the latency its target shows."""

    name: str
    rate: int
    """Iterations (one request each) started per second."""
    seconds: int
    median_ms: float
    """Median server time (http_req_waiting) of the usual path."""
    sigma: float
    """Spread of the usual path (log-normal)."""
    error_share: float
    """Share of requests answered 503."""
    slow_share: float = 0.0
    """Share of requests that take a slow path ..."""
    slow_extra_ms: float = 0.0
    """... and how much longer it takes (median)."""
    vus: int = 50
    """preAllocatedVUs: each opens one keep-alive connection on its first request."""


@dataclass(frozen=True)
class LoadTest:
    """One k6 run: its scenarios, thresholds, checks and output shape."""

    file: str
    seed: int
    scenarios: tuple[Scenario, ...]
    thresholds: Mapping[str, tuple[str, ...]]
    """As in the script's options: metric key -> expressions (k6 syntax, ms)."""
    checks: tuple[str, ...] = ("status is 202",)
    shape: str = "summary-export"
    """'summary-export' (k6 run --summary-export) or 'handle-summary' (handleSummary JSON)."""


@dataclass
class Samples:
    """Everything k6 would have recorded, per request."""

    tags: list[str] = field(default_factory=list)
    failed: list[bool] = field(default_factory=list)
    trends: dict[str, list[float]] = field(default_factory=dict)
    sent: int = 0
    received: int = 0
    ends: list[float] = field(default_factory=list)
    """When each iteration ended, in seconds from the start: the last one ends the run."""


def percentile(ordered: list[float], pct: float) -> float:
    """k6's TrendSink.P: linear interpolation between the values at rank (n-1)*pct."""
    if not ordered:
        return 0.0
    rank = pct * (len(ordered) - 1)
    low, high = ordered[math.floor(rank)], ordered[math.ceil(rank)]
    return low + (high - low) * (rank - math.floor(rank))


def trend(values: Iterable[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "avg": sum(ordered) / len(ordered),
        "min": ordered[0],
        "med": percentile(ordered, 0.5),
        "max": ordered[-1],
        "p(90)": percentile(ordered, 0.9),
        "p(95)": percentile(ordered, 0.95),
    }


def _ms(rng: random.Random, median: float, sigma: float) -> float:
    """A log-normal duration in ms, at k6's resolution (whole nanoseconds)."""
    return round(rng.lognormvariate(math.log(median), sigma) * 1e6) / 1e6


def simulate(test: LoadTest) -> Samples:
    """Draw every request of every scenario, in start order."""
    rng = random.Random(test.seed)
    out = Samples(trends={name: [] for name in _TIMINGS})
    for scenario in test.scenarios:
        for i in range(scenario.rate * scenario.seconds):
            new_connection = i < scenario.vus
            connecting = _ms(rng, 0.42, 0.2) if new_connection else 0.0
            blocked = connecting + _ms(rng, 0.012 if new_connection else 0.003, 0.5)
            failed = rng.random() < scenario.error_share
            waiting = _ms(rng, scenario.median_ms * (0.3 if failed else 1), scenario.sigma)
            if not failed and rng.random() < scenario.slow_share:
                waiting += _ms(rng, scenario.slow_extra_ms, 0.25)
            sending, receiving = _ms(rng, 0.025, 0.4), _ms(rng, 0.045, 0.5)
            duration = sending + waiting + receiving
            iteration = blocked + duration + _ms(rng, 0.09, 0.3)
            for name, value in zip(
                _TIMINGS,
                (blocked, connecting, 0.0, sending, waiting, receiving, duration, iteration),
                strict=True,
            ):
                out.trends[name].append(value)
            out.tags.append(scenario.name)
            out.failed.append(failed)
            out.sent += 590 + rng.randint(0, 48)
            out.received += 212 if failed else 301
            out.ends.append(i / scenario.rate + iteration / 1000)
    return out


def _rate(passes: int, fails: int) -> dict[str, float]:
    return {"passes": passes, "fails": fails, "value": passes / (passes + fails)}


def metrics(test: LoadTest, samples: Samples) -> tuple[dict[str, Series], float]:
    """Every metric k6 would report, by key, sorted; and the run's length in seconds."""
    seconds = max(samples.ends)
    n = len(samples.tags)
    failures = sum(samples.failed)
    check_passes = (n - failures) * len(test.checks)
    # Arrival-rate executors activate every pre-allocated VU for the whole run.
    vus = sum(s.vus for s in test.scenarios)
    found: dict[str, Series] = {
        "checks": ("rate", _rate(check_passes, failures * len(test.checks))),
        "data_received": (
            "counter",
            {"count": samples.received, "rate": samples.received / seconds},
        ),
        "data_sent": ("counter", {"count": samples.sent, "rate": samples.sent / seconds}),
        # A request that failed is a "pass" of this Rate: its value is the failure rate.
        "http_req_failed": ("rate", _rate(failures, n - failures)),
        "http_reqs": ("counter", {"count": n, "rate": n / seconds}),
        "iterations": ("counter", {"count": n, "rate": n / seconds}),
        "vus": ("gauge", {"value": vus, "min": vus, "max": vus}),
        "vus_max": ("gauge", {"value": vus, "min": vus, "max": vus}),
    }
    for name, values in samples.trends.items():
        found[name] = ("trend", trend(values))
    ok = [
        v
        for v, bad in zip(samples.trends["http_req_duration"], samples.failed, strict=True)
        if not bad
    ]
    found["http_req_duration{expected_response:true}"] = ("trend", trend(ok))
    for key in test.thresholds:  # k6 keeps a sub-metric only where a threshold names it
        if "{scenario:" in key:
            name, scenario = key[:-1].split("{scenario:")
            picked = [i for i, tag in enumerate(samples.tags) if tag == scenario]
            if name == "http_req_failed":
                bad = sum(samples.failed[i] for i in picked)
                found[key] = ("rate", _rate(bad, len(picked) - bad))
            else:
                found[key] = ("trend", trend(samples.trends[name][i] for i in picked))
    return dict(sorted(found.items())), seconds


def _crossed(expression: str, stats: Mapping[str, float]) -> bool:
    """Whether a k6 threshold such as 'p(95)<250' or 'rate>0.99' fails (k6's `LastFailed`)."""
    for op, holds in (
        ("<=", float.__le__),
        (">=", float.__ge__),
        ("<", float.__lt__),
        (">", float.__gt__),
    ):
        if op in expression:
            stat, limit = expression.split(op)
            stat = stat.strip()
            return not holds(float(stats["value" if stat == "rate" else stat]), float(limit))
    raise ValueError(f"unsupported threshold {expression!r}")


def _number(value: Any) -> Any:
    """Numbers as JavaScript's JSON.stringify writes them: 3 not 3.0; no tiny exponents."""
    if isinstance(value, dict):
        return {k: _number(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_number(v) for v in value]
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        if not 1e-4 <= abs(value) < 1e16:  # Python and JavaScript spell these differently
            raise ValueError(f"{value!r} would not be written as k6 writes it")
    return value


def _check(name: str, passes: int, fails: int) -> dict[str, Any]:
    path = f"::{name}"
    return {
        "name": name,
        "path": path,
        "id": hashlib.md5(path.encode()).hexdigest(),
        "passes": passes,
        "fails": fails,
    }


def render(test: LoadTest) -> str:
    """The file k6 would have written for ``test``."""
    samples = simulate(test)
    found, seconds = metrics(test, samples)
    failures = sum(samples.failed)
    checks = [_check(name, len(samples.failed) - failures, failures) for name in test.checks]
    root = {"name": "", "path": "", "id": hashlib.md5(b"").hexdigest()}
    if test.shape == "summary-export":
        body: dict[str, Any] = {}
        for key, (_kind, stats) in found.items():
            body[key] = dict(stats)
            if key in test.thresholds:
                body[key]["thresholds"] = {t: _crossed(t, stats) for t in test.thresholds[key]}
        export = {
            "root_group": {**root, "groups": {}, "checks": {c["name"]: c for c in checks}},
            "metrics": body,
        }
        return json.dumps(_number(export), indent=4) + "\n"
    summary: dict[str, Any] = {}
    for key, (kind, stats) in found.items():
        values = dict(stats)
        if kind == "rate":  # handleSummary calls a Rate's value `rate`
            values = {"rate": values.pop("value"), **values}
        name = key.split("{")[0]
        contains = "time" if kind == "trend" else "data" if name.startswith("data_") else "default"
        summary[key] = {"type": kind, "contains": contains, "values": values}
        if key in test.thresholds:
            summary[key]["thresholds"] = {
                t: {"ok": not _crossed(t, stats)} for t in test.thresholds[key]
            }
    data = {
        "root_group": {**root, "groups": [], "checks": checks},
        "options": {
            "summaryTrendStats": list(TREND_STATS),
            "summaryTimeUnit": "",
            "noColor": False,
        },
        "state": {"isStdOutTTY": False, "isStdErrTTY": False, "testRunDurationMs": seconds * 1000},
        "metrics": summary,
    }
    return json.dumps(_number(data), separators=(",", ":"))


LOAD_TESTS = (
    LoadTest(
        file="mta-smoke-summary.json",
        seed=1101,
        scenarios=(
            Scenario("smoke", rate=20, seconds=60, median_ms=38, sigma=0.35, error_share=0, vus=10),
        ),
        thresholds={
            "checks": ("rate>0.99",),
            "http_req_duration": ("p(95)<500",),
            "http_req_failed": ("rate<0.01",),
        },
    ),
    LoadTest(
        file="splitter-summary.json",
        seed=1102,
        scenarios=(
            Scenario("legacy", rate=100, seconds=120, median_ms=62, sigma=0.45, error_share=0.001),
            Scenario(
                "splitter",
                rate=100,
                seconds=120,
                median_ms=88,
                sigma=0.4,
                error_share=0.003,
                slow_share=0.09,  # account-settings cache misses
                slow_extra_ms=240,
            ),
        ),
        thresholds={
            "checks": ("rate>0.99",),
            "http_req_duration{scenario:legacy}": ("p(95)<250",),
            "http_req_duration{scenario:splitter}": ("p(95)<250",),
            "http_req_failed{scenario:splitter}": ("rate<0.01",),
        },
        checks=("status is 202", "route header set"),
    ),
    LoadTest(
        file="campaigns-summary.json",
        seed=1103,
        scenarios=(
            Scenario(
                "campaigns", rate=50, seconds=90, median_ms=110, sigma=0.3, error_share=0.0005
            ),
        ),
        thresholds={
            "checks": ("rate>0.99",),
            "http_req_duration{scenario:campaigns}": ("p(95)<400", "p(90)<300"),
        },
        shape="handle-summary",
    ),
)


def write_all(folder: Path) -> list[Path]:
    """Write every load test's summary into ``folder``; return the files."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for test in LOAD_TESTS:
        path = folder / test.file
        path.write_text(render(test), encoding="utf-8")
        written.append(path)
    return written
