"""A ``k6 run --out json=`` stream written the way k6 writes it, for benchmarks/k6_stream.py.

A ``Metric`` declaration before each metric's first sample, then ``Point`` lines (k6's
field order, or the older one), tags sorted by key, times in RFC 3339 with nanoseconds and
the zone offset. One iteration of the simulated test is one HTTP request: 9 request
metrics, a check and 4 iteration metrics, with ``vus``/``vus_max`` once a second, like the
real file in the corpus: about 280 bytes a line, 1 line in 14 a sample of
http_req_duration.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from pathlib import Path

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


def generate(path: Path, size: int, order: str, seed: int = 20240805) -> None:
    """Write a k6 NDJSON stream of whole lines, about ``size`` bytes, to ``path``.

    ``order``: ``new`` (k6's field order today), ``old`` (type, data, metric: k6 before
    v0.29 and its documented example) or ``spaced`` (the new order as ``json.dumps`` spells
    it, with spaces: not k6's spelling, so every line naming the metric is decoded). The
    same seed gives the same samples in every order, and a smaller size a prefix.
    """
    rng = random.Random(seed)
    declared: set[str] = set()
    out: list[str] = []
    written = 0
    clock = _START * 10**9
    next_gauge = clock + 10**9
    vus = 50
    spell = _SPELLINGS[order]

    def emit(name: str, kind: str, contains: str, when: str, value: str, tags: str) -> None:
        nonlocal written
        if name not in declared:
            declared.add(name)
            line = _declaration(name, kind, contains)
            out.append(line)
            written += len(line)
        line = spell(name, when, value, tags)
        out.append(line)
        written += len(line)

    with path.open("w", encoding="utf-8", newline="\n") as handle:
        while written < size:
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


def _new(name: str, when: str, value: str, tags: str) -> str:
    return (
        f'{{"metric":"{name}","type":"Point","data":{{"time":"{when}",'
        f'"value":{value},"tags":{tags}}}}}\n'
    )


def _old(name: str, when: str, value: str, tags: str) -> str:
    return (
        f'{{"type":"Point","data":{{"time":"{when}","value":{value},"tags":{tags}}},'
        f'"metric":"{name}"}}\n'
    )


def _spaced(name: str, when: str, value: str, tags: str) -> str:
    spaced_tags = tags.replace('":"', '": "').replace('","', '", "')
    return (
        f'{{"metric": "{name}", "type": "Point", "data": {{"time": "{when}", '
        f'"value": {value}, "tags": {spaced_tags}}}}}\n'
    )


_SPELLINGS = {"new": _new, "old": _old, "spaced": _spaced}
ORDERS = tuple(_SPELLINGS)


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
