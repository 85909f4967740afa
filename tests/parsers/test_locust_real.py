"""Real Locust, headless, against a throw-away local server: gatekeeper's numbers are
the ones Locust printed, and the ones the server counted.

Each of 5 users runs a fixed number of request cycles and stops, well before the
run-time limit, so the CSV files Locust writes every quarter second hold the final
figures by the time it prints its summary. Needs locust (the `tools` extra).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from gatekeeper.evidence import Metric
from gatekeeper.parsers import detect_format
from gatekeeper.parsers.load import locust

pytestmark = [pytest.mark.needs("locust"), pytest.mark.slow]

USERS, CYCLES = 5, 8
LOCUSTFILE = f"""
import locust.stats
from locust import HttpUser, constant, task
from locust.exception import StopUser

locust.stats.CSV_STATS_INTERVAL_SEC = 0.25


class Client(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.cycles = 0

    @task
    def cycle(self):
        if self.cycles == {CYCLES}:
            raise StopUser()
        self.cycles += 1
        self.client.get("/ok")
        self.client.get("/ok")
        self.client.get("/fail")
        self.client.post("/items", data=b"x")
"""


class Server(ThreadingHTTPServer):
    daemon_threads = True
    served: Counter[tuple[str, str]]

    def handle_error(self, request: object, client_address: object) -> None:
        """Locust drops its connections when it stops; nothing to report."""


class Handler(BaseHTTPRequestHandler):
    server: Server

    def answer(self) -> None:
        self.server.served[(self.command, self.path)] += 1
        code, body = (500, b"no") if self.path == "/fail" else (200, b"0123456789")
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = answer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads Locust's output, not the server's."""


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.served = Counter()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def printed_tables(output: str) -> tuple[dict[str, list[str]], dict[str, dict[str, str]]]:
    """Locust's summary: per row, the request table's cells and the percentile table's."""
    requests: dict[str, list[str]] = {}
    percentiles: dict[str, dict[str, str]] = {}
    columns: list[str] = []
    for line in output.splitlines():
        cells = line.split()
        if line.startswith("Type") and "50%" in cells:
            columns = [c for c in cells[2:] if c != "#"]  # "# reqs" is one column
            continue
        if not cells or cells[0] not in ("GET", "POST", "Aggregated"):
            continue
        key = "Aggregated" if cells[0] == "Aggregated" else f"{cells[1]}{{method:{cells[0]}}}"
        values = cells[1:] if cells[0] == "Aggregated" else cells[2:]
        if columns:
            percentiles[key] = dict(zip(columns, values, strict=True))
        else:
            requests[key] = values
    return requests, percentiles


def test_locust_run(tmp_path: Path, server: Server) -> None:
    (tmp_path / "locustfile.py").write_text(LOCUSTFILE, encoding="utf-8")
    host = f"http://127.0.0.1:{server.server_address[1]}"
    command = [
        sys.executable, "-m", "locust", "-f", "locustfile.py", "--headless",
        "-u", str(USERS), "-r", str(USERS), "-t", "5s", "--only-summary",
        "--csv", "run", "--csv-full-history", "--host", host, "--exit-code-on-error", "0",
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=25, check=False
    )
    assert done.returncode == 0, done.stderr
    requests, percentiles = printed_tables(done.stdout + done.stderr)
    assert set(requests) == {"/ok{method:GET}", "/fail{method:GET}", "/items{method:POST}"} | {
        "Aggregated"
    }

    files = {kind: tmp_path / f"run_{kind}.csv" for kind in ("stats", "stats_history")}
    files["failures"] = tmp_path / "run_failures.csv"
    assert {detect_format(path, path.name) for path in files.values()} == {"locust"}
    parsed = {kind: _by_label(locust.parse(p, p.name).metrics) for kind, p in files.items()}
    stats = parsed["stats"]

    served = {
        "/ok{method:GET}": server.served[("GET", "/ok")],
        "/fail{method:GET}": server.served[("GET", "/fail")],
        "/items{method:POST}": server.served[("POST", "/items")],
    }
    assert served == {
        "/ok{method:GET}": 2 * USERS * CYCLES,
        "/fail{method:GET}": USERS * CYCLES,
        "/items{method:POST}": USERS * CYCLES,
    }
    served["Aggregated"] = sum(served.values())
    for label, row in requests.items():
        reqs, fails, _, avg, low, high, med, _, rps, _ = row
        metric = stats[label]
        assert _value(metric, "count") == int(reqs) == served[label]
        assert _value(metric, "fails") == int(fails.split("(")[0])
        assert round(_value(metric, "med") * 1000) == int(med)
        # Locust prints avg, min and max with %d, which truncates.
        assert _truncated_ms(_value(metric, "avg")) == int(avg)
        assert _truncated_ms(_value(metric, "min")) == int(low)
        assert _truncated_ms(_value(metric, "max")) == int(high)
        assert f"{_value(metric, 'throughput'):.2f}" == rps
        for column, printed in percentiles[label].items():
            if column.endswith("%"):
                assert round(_value(metric, f"p({column[:-1]})") * 1000) == int(printed)
        history = parsed["stats_history"][label]
        assert _value(history, "count") == int(reqs)
        assert _value(history, "med") == _value(metric, "med")
    assert _value(stats["/fail{method:GET}"], "error_rate") == 1.0
    assert _value(stats["Aggregated"], "error_rate") == 0.25
    assert _value(parsed["failures"]["/fail{method:GET}"], "fails") == USERS * CYCLES
    assert _value(parsed["failures"]["Aggregated"], "fails") == USERS * CYCLES


def _by_label(metrics: tuple[Metric, ...]) -> dict[str, Metric]:
    return {m.label: m for m in metrics}


def _truncated_ms(seconds: float) -> int:
    return int(seconds * 1000 + 1e-9)  # 0.003 s * 1000 may come back as 2.9999999999999996


def _value(metric: Metric, stat: str) -> float:
    return metric.stats[stat].value
