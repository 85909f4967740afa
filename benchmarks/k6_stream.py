"""Benchmark the k6 NDJSON stream parser against orjson per line and a plain scan.

Generates (seeded, under /tmp, reused when present) a ``k6 run --out json=`` stream
written the way k6 writes it: a ``Metric`` declaration before each metric's first
sample, then ``Point`` lines with k6's field order (metric, type, data{time, value,
tags}), tags sorted by key, times in RFC 3339 with nanoseconds and the zone offset.
One iteration of the simulated test is one HTTP request: 9 request metrics, a check,
and 4 iteration metrics, with ``vus``/``vus_max`` once a second, like the real file
in the corpus. The default is 5,000,000 lines (about 1.4 GB).

Contenders, each in a fresh process, all computing http_req_duration overall and its
``status:200`` sub-metric (count, p(95)):
- gatekeeper: ``k6_ndjson.parse`` with those two series requested;
- orjson per line: ``orjson.loads`` on every line, then the same filtering;
- scan: reading every line and testing it for the metric name (no parsing at all).

Targets: gatekeeper >= 2x as fast as orjson per line, <= 1.5x the scan, peak < 64 MB.

    python benchmarks/k6_stream.py [--lines N] [--dir DIR] [--repeats R] [--quick]
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _measure

METRIC = "http_req_duration"
STATUS = "200"
_ENDPOINTS = (
    # method, name tag, url (None: same as name), statuses with weights, median ms
    ("GET", "http://shop-frontend.test.local/api/products", None, ((200, 97), (503, 3)), 45.0),
    (
        "GET",
        "http://shop-frontend.test.local/api/products/${id}",
        "http://shop-frontend.test.local/api/products/{n}",
        ((200, 90), (404, 10)),
        30.0,
    ),
    ("POST", "http://shop-frontend.test.local/api/cart", None, ((201, 95), (500, 5)), 120.0),
    (
        "GET",
        "http://shop-frontend.test.local/api/search?q=lamp",
        None,
        ((200, 99), (429, 1)),
        250.0,
    ),
)
_SCENARIOS = (("browse", ""), ("checkout", "::checkout"))
_REQUEST_METRICS = (
    ("http_reqs", "counter", "default"),
    ("http_req_duration", "trend", "time"),
    ("http_req_blocked", "trend", "time"),
    ("http_req_connecting", "trend", "time"),
    ("http_req_tls_handshaking", "trend", "time"),
    ("http_req_sending", "trend", "time"),
    ("http_req_waiting", "trend", "time"),
    ("http_req_receiving", "trend", "time"),
    ("http_req_failed", "rate", "default"),
)
_ITERATION_METRICS = (
    ("checks", "rate", "default"),
    ("data_sent", "counter", "data"),
    ("data_received", "counter", "data"),
    ("iteration_duration", "trend", "time"),
    ("iterations", "counter", "default"),
)
_GAUGES = (("vus", "gauge", "default"), ("vus_max", "gauge", "default"))
_Emit = Callable[[str, str, str, str, str, str], None]
_START = 1_722_846_278  # 2024-08-05T15:24:38+07:00, the corpus file's run
_OFFSET = 7 * 3600


def go_number(value: float) -> str:
    """A float64 as Go's encoding/json writes it: shortest digits, no exponent in k6's range."""
    text = repr(value)
    if "e" in text:
        text = f"{value:.12f}".rstrip("0").rstrip(".")
    return text[:-2] if text.endswith(".0") else text


def go_time(ns: int) -> str:
    """RFC 3339 with nanoseconds, trailing zeros dropped, as Go's time.Time marshals."""
    seconds, fraction = divmod(ns + _OFFSET * 10**9, 10**9)
    days, rest = divmod(seconds, 86400)
    hour, rest = divmod(rest, 3600)
    minute, second = divmod(rest, 60)
    year, month, day = _civil(days)
    digits = f"{fraction:09d}".rstrip("0")
    frac = f".{digits}" if digits else ""
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{frac}+07:00"


def _civil(days: int) -> tuple[int, int, int]:
    """Days since 1970-01-01 -> (year, month, day), proleptic Gregorian."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def _tags(pairs: dict[str, str]) -> str:
    inner = ",".join(f'"{k}":"{v}"' for k, v in sorted(pairs.items()))
    return "{" + inner + "}"


def _declaration(name: str, kind: str, contains: str) -> str:
    submetrics = "null"
    if name == METRIC:
        submetrics = (
            '[{"name":"http_req_duration{expected_response:true}",'
            '"suffix":"expected_response:true","tags":{"expected_response":"true"}}]'
        )
    return (
        f'{{"type":"Metric","data":{{"name":"{name}","type":"{kind}","contains":"{contains}",'
        f'"thresholds":[],"submetrics":{submetrics}}},"metric":"{name}"}}\n'
    )


def generate(path: Path, lines: int, seed: int = 20240805) -> None:
    """Write a k6 NDJSON stream of exactly ``lines`` lines to ``path``."""
    rng = random.Random(seed)
    declared: set[str] = set()
    out: list[str] = []
    written = 0
    clock = _START * 10**9
    next_gauge = clock + 10**9
    vus = 50

    def emit(name: str, kind: str, contains: str, when: str, value: str, tags: str) -> None:
        nonlocal written
        if written >= lines:
            return
        if name not in declared:
            declared.add(name)
            out.append(_declaration(name, kind, contains))
            written += 1
        out.append(
            f'{{"metric":"{name}","type":"Point","data":{{"time":"{when}",'
            f'"value":{value},"tags":{tags}}}}}\n'
        )
        written += 1

    with path.open("w", encoding="utf-8", newline="\n") as handle:
        while written < lines:
            clock += rng.randrange(200_000, 3_200_000)
            if clock >= next_gauge:
                when = go_time(next_gauge)
                vus = max(1, min(100, vus + rng.randint(-3, 3)))
                emit("vus", "gauge", "default", when, str(vus), "{}")
                emit("vus_max", "gauge", "default", when, "100", "{}")
                next_gauge += 10**9
            _iteration(rng, clock, emit)
            if len(out) > 20_000:
                handle.write("".join(out))
                out.clear()
        handle.write("".join(out))


def _iteration(rng: random.Random, clock: int, emit: _Emit) -> None:
    method, name, url, statuses, median = rng.choice(_ENDPOINTS)
    scenario, group = rng.choice(_SCENARIOS)
    status = rng.choices([s for s, _ in statuses], [w for _, w in statuses])[0]
    ok = status < 400
    tags = {
        "expected_response": "true" if ok else "false",
        "group": group,
        "method": method,
        "name": name,
        "proto": "HTTP/1.1",
        "scenario": scenario,
        "status": str(status),
        "url": (url or name).format(n=rng.randrange(1, 5000)),
    }
    if not ok:
        tags["error_code"] = str(1000 + status)
    request_tags = _tags(tags)
    when = go_time(clock)
    waiting = round(rng.lognormvariate(math.log(median), 0.5), 4)
    blocked = round(rng.expovariate(1 / 0.02), 4) if rng.random() < 0.9 else rng.uniform(5, 40)
    connecting = 0.0 if blocked < 1 else round(blocked * 0.6, 4)
    sending = round(rng.expovariate(1 / 0.03), 4)
    receiving = round(rng.expovariate(1 / 0.2), 4)
    duration = round(sending + waiting + receiving, 4)
    values = (1, duration, round(blocked, 4), connecting, 0, sending, waiting, receiving, not ok)
    for (metric, kind, contains), value in zip(_REQUEST_METRICS, values, strict=True):
        emit(metric, kind, contains, when, go_number(float(value)), request_tags)
    base = {"group": group, "scenario": scenario}
    check_tags = _tags({**base, "check": "status is 2xx"})
    emit("checks", "rate", "default", when, "1" if ok else "0", check_tags)
    iteration_tags = _tags(base)
    sent = 180 + len(tags["url"])
    received = rng.randrange(300, 9000)
    iteration = round(duration + blocked + rng.uniform(0.1, 2.0), 4)
    extras = (sent, received, iteration, 1)
    for (metric, kind, contains), value in zip(_ITERATION_METRICS[1:], extras, strict=True):
        emit(metric, kind, contains, when, go_number(float(value)), iteration_tags)


# --- the contenders, each run as ``k6_stream.py --child NAME FILE`` ------------------------


def _summary(values: list[float], ok: list[float]) -> dict[str, object]:
    """What every contender reports: counts and p(95) of both series, in seconds."""
    from gatekeeper.stats import percentile

    result: dict[str, object] = {"count": len(values), "ok_count": len(ok)}
    for key, series in (("p95", values), ("ok_p95", ok)):
        ordered = sorted(v * 1e-3 for v in series)
        result[key] = percentile(ordered, 95) if ordered else None
    return result


def _gatekeeper(path: Path) -> Callable[[], dict[str, object]]:
    from gatekeeper.evidence import SeriesRequest
    from gatekeeper.parsers.load import k6_ndjson

    wanted = (SeriesRequest(METRIC), SeriesRequest(METRIC, (("status", STATUS),)))

    def work() -> dict[str, object]:
        found = {m.label: m for m in k6_ndjson.parse(path, path.name, wanted).metrics}
        every, ok = found[METRIC], found[f"{METRIC}{{status:{STATUS}}}"]
        return {
            "count": len(every.samples),
            "ok_count": len(ok.samples),
            "p95": every.stats["p(95)"].value,
            "ok_p95": ok.stats["p(95)"].value,
        }

    return work


def _orjson(path: Path) -> Callable[[], dict[str, object]]:
    import orjson

    def work() -> dict[str, object]:
        values: list[float] = []
        ok: list[float] = []
        with path.open("rb") as handle:
            for line in handle:
                row = orjson.loads(line)
                if row["type"] == "Point" and row["metric"] == METRIC:
                    value = row["data"]["value"]
                    values.append(value)
                    if (row["data"]["tags"] or {}).get("status") == STATUS:
                        ok.append(value)
        return _summary(values, ok)

    return work


def _scan(path: Path) -> Callable[[], dict[str, object]]:
    needle = f'"metric":"{METRIC}"'.encode()

    def work() -> dict[str, object]:
        lines = 0
        with path.open("rb") as handle:
            for line in handle:
                if needle in line:
                    lines += 1
        return {"count": lines - 1}  # the metric's declaration line names it too

    return work


CONTENDERS = {
    "gatekeeper k6_ndjson.parse": _gatekeeper,
    "orjson.loads per line": _orjson,
    "scan for the metric name": _scan,
}
PEAK_LIMIT = 64 * 1024 * 1024


def main(argv: Sequence[str] | None = None) -> int:
    args = _measure.arguments(__doc__, "--lines", 5_000_000, argv)
    if _measure.served_child(args, CONTENDERS):
        return 0
    lines, repeats = (20_000, 1) if args.quick else (args.lines, args.repeats)
    path = _measure.prepare(args.dir / f"k6-{lines}-lines.ndjson", lambda p: generate(p, lines))
    size = path.stat().st_size
    print(f"{path}: {lines:,} lines, {size / 1e9:.2f} GB; best of {repeats}")
    runs = _measure.best_runs(Path(__file__), list(CONTENDERS), [str(path)], repeats)
    gatekeeper, orjson_run, scan = runs
    print(_measure.table(runs, gatekeeper, size, "lines", lines))
    print(f"results: {gatekeeper.result}")
    agree = orjson_run.result == gatekeeper.result or _close(orjson_run.result, gatekeeper.result)
    agree = agree and scan.result["count"] == gatekeeper.result["count"]
    print(_measure.verdict("same numbers from every contender", agree, "counts, p(95)"))
    speedup = orjson_run.seconds / gatekeeper.seconds
    versus_scan = gatekeeper.seconds / scan.seconds
    checks = (
        ("time <= 1/2 of orjson per line", speedup >= 2, f"{speedup:.2f}x as fast"),
        ("time <= 1.5x the scan", versus_scan <= 1.5, f"{versus_scan:.2f}x the scan"),
        ("peak < 64 MB", gatekeeper.peak_bytes < PEAK_LIMIT, _measure.mib(gatekeeper.peak_bytes)),
    )
    for label, ok, detail in checks:
        print(_measure.verdict(label, ok, detail.strip()))
    if not agree:
        return 1
    return 0 if args.quick or all(ok for _, ok, _ in checks) else 2


def _close(left: dict[str, object], right: dict[str, object]) -> bool:
    """Equal counts, and percentiles equal but for the last bits of a float."""
    for key in left.keys() | right.keys():
        a, b = left.get(key), right.get(key)
        if isinstance(a, float) and isinstance(b, float):
            if not math.isclose(a, b, rel_tol=1e-12):
                return False
        elif a != b:
            return False
    return True


if __name__ == "__main__":
    raise SystemExit(main())
