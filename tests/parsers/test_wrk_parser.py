"""wrk's console report: outputs of wrk 4.1.0 (Debian), a live run, hand-made variants.

fixtures/wrk/ was made with ``wrk -d1s -c2 -t1 [--latency] URL`` against
``python3 -m http.server`` (latency.txt, non2xx.txt for a missing page), against a socket
that never answers (no-requests.txt) and against a closed port (refused.txt).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric
from gatekeeper.parsers.load import wrk
from gatekeeper.units import Dimension
from tests.conftest import missing_tool

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wrk"
KIB = 1024.0


def metric(path: Path) -> Metric:
    parsed = wrk.parse(path, path.name)
    assert parsed.format == "wrk"
    [only] = parsed.metrics
    return only


def values(m: Metric) -> dict[str, float]:
    return {k: q.value for k, q in m.stats.items()}


def test_latency_distribution_run() -> None:
    m = metric(FIXTURES / "latency.txt")
    assert (m.name, m.aliases, m.kind, m.tags) == (
        "http://127.0.0.1:18732/",
        ("wrk",),
        "request",
        {},
    )
    assert values(m) == pytest.approx(
        {
            "avg": 1.10e-3,
            "stddev": 573.93e-6,
            "max": 8.16e-3,
            "p(50)": 1.00e-3,
            "med": 1.00e-3,
            "p(75)": 1.28e-3,
            "p(90)": 1.61e-3,
            "p(99)": 2.89e-3,
            "count": 1940,
            "duration": 1.10,
            "bytes": 359.96 * KIB,
            "throughput": 1764.00,
            "data_rate": 327.30 * KIB,
            "error_rate": 0.0,
        }
    )
    assert m.stats["data_rate"].dimension is Dimension.DATA_RATE
    assert m.stats["throughput"].dimension is Dimension.THROUGHPUT


def test_error_responses_make_the_error_rate() -> None:
    m = metric(FIXTURES / "non2xx.txt")
    assert values(m)["http_errors"] == 1985
    assert values(m)["error_rate"] == 1.0
    assert values(m)["bytes"] == pytest.approx(0.98 * KIB * KIB)
    assert "p(50)" not in m.stats  # run without --latency


def test_no_completed_request_has_no_statistics() -> None:
    assert metric(FIXTURES / "no-requests.txt").stats == {}


def test_refused_connection_is_not_a_report() -> None:
    path = FIXTURES / "refused.txt"
    assert not wrk.detect(path.read_bytes())
    with pytest.raises(EvidenceError, match=r"refused\.txt: not wrk output"):
        wrk.parse(path, "refused.txt")


WRK2 = """Running 30s test @ http://svc:8080/api
  2 threads and 100 connections
  Thread calibration: mean lat.: 1.234ms, rate sampling interval: 10ms
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.50ms    2.10ms   1.02s    97.00%
    Req/Sec     1.05k   300.00     2.00k    60.00%
  Latency Distribution (HdrHistogram - Recorded Latency)
 50.000%    1.10ms
 99.900%   40.00ms
100.000%    1.02s

  Detailed Percentile spectrum:
       Value   Percentile   TotalCount 1/(1-Percentile)
       0.500     0.000000            1         1.00
  60000 requests in 1.00m, 21.00MB read
  Socket errors: connect 0, read 3, write 1, timeout 6
  Non-2xx or 3xx responses: 30
Requests/sec:   1000.00
Transfer/sec:    358.40KB
"""


def test_wrk2_percentiles_and_socket_errors(tmp_path: Path) -> None:
    path = tmp_path / "wrk2.txt"
    path.write_text(WRK2, encoding="utf-8")
    found = values(metric(path))
    assert found["p(99.9)"] == pytest.approx(0.040)
    assert found["p(100)"] == pytest.approx(1.02)
    assert found["duration"] == 60.0
    assert found["socket_errors"] == 10
    assert found["error_rate"] == pytest.approx((30 + 10) / (60000 + 10))
    assert found["bytes"] == pytest.approx(21 * KIB * KIB)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"Running 1s test @ http://x/\n  1 threads and 2 connections\n",
            "x.txt:2: the wrk report ends",
        ),
        (b"Running 1s test @ http://x/\n  1 threads and 2 \xff\n", "x.txt:2:19: not valid UTF-8"),
        (b"just a log\n", "x.txt: not wrk output"),
        (
            b"Running 1s test @ http://x/\n" + b"a" * 70_000,
            "x.txt:2: line is longer than 65536 bytes",
        ),
    ],
    ids=["truncated", "not-utf8", "other-text", "huge-line"],
)
def test_bad_input_names_the_place(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(EvidenceError) as caught:
        wrk.parse(path, "x.txt")
    assert str(caught.value).startswith(message)


def test_truncated_fixture_names_its_last_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    lines = (FIXTURES / "latency.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:9]), encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"^cut.txt:9: the wrk report ends before"):
        wrk.parse(path, "cut.txt")


def test_detection_needs_both_header_lines() -> None:
    assert wrk.detect((FIXTURES / "latency.txt").read_bytes())
    assert not wrk.detect(b"Running 10s test @ http://x/\nsomething else\n")
    assert not wrk.detect(b"  1 threads and 2 connections\n")


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"hello\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # wrk drops its connections mid-request when the run ends


@pytest.fixture
def server() -> Iterator[str]:
    httpd = _Server(("127.0.0.1", 0), _Hello)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _printed(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.M)
    assert match, pattern
    return match.group(1)


_UNIT = {"us": 1e-6, "ms": 1e-3, "s": 1.0}


def _seconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNIT[unit]


def test_real_wrk_run_matches_what_wrk_printed(server: str, tmp_path: Path) -> None:
    if shutil.which("wrk") is None:
        missing_tool("wrk is not installed (Debian package: wrk)")
    run = subprocess.run(
        ["wrk", "-d1s", "-c2", "-t1", "--latency", server],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    path = tmp_path / "wrk.txt"
    path.write_text(run.stdout, encoding="utf-8")
    assert wrk.detect(path.read_bytes())
    m = metric(path)
    assert m.name == server
    found = values(m)
    out = run.stdout
    assert found["count"] == int(_printed(r"^\s+(\d+) requests in", out))
    assert found["throughput"] == float(_printed(r"^Requests/sec:\s+(\S+)", out))
    assert found["avg"] == pytest.approx(_seconds(_printed(r"^\s+Latency\s+(\S+)", out)))
    assert found["p(99)"] == pytest.approx(_seconds(_printed(r"^\s+99%\s+(\S+)", out)))
    assert found["error_rate"] == 0.0
