"""Live metrics from a real Prometheus, and its saved answers.

One Prometheus a session (``prometheus_url``): the tests write an OpenMetrics file of an
availability series (``up`` 1 every minute for 7 days, 0 for 30 minutes of them), backfill it
with ``promtool tsdb create-blocks-from openmetrics`` and start ``prometheus`` on 127.0.0.1,
so every answer is known: ``avg_over_time(up[7d])`` at the end is 1 - 30/10080. Faults the
real server cannot be made to show (slow, warnings, a 500, not JSON) come from a tiny local
HTTP server; a closed port stands for a server that is down.
"""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import requests

from gatekeeper.cli import main
from tests.conftest import missing_tool
from tests.local_http import serving

START = 1764547200  # 2025-12-01T00:00:00Z
MINUTES = 7 * 24 * 60
OUTAGE = range(3000, 3030)  # 30 minutes down
END = START + 60 * MINUTES  # 2025-12-08T00:00:00Z: the 7-day window ends here
END_TEXT = "2025-12-08T00:00:00Z"
AVAILABILITY = 1 - len(OUTAGE) / MINUTES  # 0.99702...
QUERY = 'avg_over_time(up{job="api"}[7d])'


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        missing_tool(f"{name} not installed (apt-get install prometheus)")
    return found


@pytest.fixture(scope="session")
def prometheus_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Prometheus on 127.0.0.1 holding the backfilled availability series."""
    prometheus, promtool = _program("prometheus"), _program("promtool")
    folder = tmp_path_factory.mktemp("prometheus")
    lines = ["# HELP up Whether the API answered.", "# TYPE up gauge"]
    for minute in range(MINUTES):
        value = 0 if minute in OUTAGE else 1
        lines.append(f'up{{job="api",instance="api:80"}} {value} {START + 60 * minute}')
    lines.append("# EOF")
    (folder / "up.om").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = folder / "data"
    subprocess.run(
        [promtool, "tsdb", "create-blocks-from", "openmetrics", str(folder / "up.om"), str(data)],
        check=True,
        capture_output=True,
    )
    config = folder / "prometheus.yml"  # scrapes nothing: the backfilled blocks are all it holds
    config.write_text("global:\n  scrape_interval: 1h\nscrape_configs: []\n", encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with (folder / "log.txt").open("wb") as log:
        server = subprocess.Popen(
            [
                prometheus,
                f"--storage.tsdb.path={data}",
                "--storage.tsdb.retention.time=100y",  # the backfilled week is long past
                f"--web.listen-address=127.0.0.1:{port}",
                f"--config.file={config}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_ready(url, server, folder / "log.txt")
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_ready(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"prometheus exited: {log.read_text(encoding='utf-8')[-2000:]}")
        try:
            if requests.get(f"{url}/-/ready", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail("prometheus was not ready within 60 s")


class _Canned(http.server.BaseHTTPRequestHandler):
    """Answers by path: /slow sleeps past any timeout, the others give a fixed answer."""

    answers: ClassVar[dict[str, tuple[int, bytes]]] = {
        "/warnings": (
            200,
            b'{"status":"success","warnings":["remote store down: partial data"],'
            b'"data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}]}}',
        ),
        "/broken": (500, b"internal server error"),
        "/html": (200, b"<html>login</html>"),
        "/slow": (200, b'{"status":"success","data":{"resultType":"scalar","result":[1,"1"]}}'),
    }

    def do_GET(self) -> None:
        prefix = "/" + self.path.split("/")[1]
        status, body = self.answers.get(prefix, (404, b"not found"))
        if prefix == "/slow":
            time.sleep(1.5)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up waiting: that is the point
            pass

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def canned_url() -> Iterator[str]:
    with serving(_Canned) as url:
        yield url


def _matrix(artifact: str, name: str = "result", threshold: str = "value >= 0.997") -> str:
    return (
        "version: 1\nproject: live\ncurrent: alpha\nphases:\n  - {id: alpha, name: Alpha}\n"
        f"artifacts:\n  availability:\n{artifact}"
        "swimlanes:\n  - id: api\n    name: API\n    cells:\n      alpha:\n"
        "        goal: available\n        benchmarks:\n"
        f"          - id: avail\n            metric: {{from: availability, name: {name}}}\n"
        f"            threshold: {json.dumps(threshold)}\n"
    )


def _query(query: str = QUERY, extra: str = "") -> str:
    return f"    query: {json.dumps(query)}\n    time: {END_TEXT}\n    timeout: 5s\n{extra}"


def _check(
    root: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = main(["check", "--matrix", str(root / "gatekeeper.yml"), "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def _benchmark(report: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = report["cells"][0]["benchmarks"][0]
    return found


def _judge(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    artifact: str,
    **matrix: str,
) -> tuple[int, dict[str, Any]]:
    monkeypatch.setenv("GATEKEEPER_PROMETHEUS_URL", url)
    (tmp_path / "gatekeeper.yml").write_text(_matrix(artifact, **matrix), encoding="utf-8")
    return _check(tmp_path, capsys)


# --- live queries against the real server --------------------------------------------------


def test_availability_over_the_week_is_the_known_value(
    prometheus_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, report = _judge(tmp_path, capsys, monkeypatch, prometheus_url, _query())
    bench = _benchmark(report)
    assert (code, bench["outcome"]) == (0, "pass")
    assert bench["measurements"][0]["value"] == pytest.approx(AVAILABILITY, rel=1e-12)
    asked = report["artifacts"][0]["files"][0]
    assert asked["query"] == QUERY
    assert asked["query_server"] == prometheus_url
    assert asked["query_time"] == END_TEXT
    assert json.loads(asked["query_response"])["status"] == "success"


KMTA = Path(__file__).resolve().parent.parent / "examples" / "kmta" / "gatekeeper.yml"
SAVED = """\
  availability:
    format: prometheus
    paths: reports/prometheus/availability-7d.json
"""


def test_the_kmta_example_s_availability_asked_live_gives_its_saved_verdict(
    prometheus_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The example judges a saved answer; asked of a real Prometheus holding that week, the
    same query (the one the example's comment names) gives the same verdict and value."""
    text = KMTA.read_text(encoding="utf-8")
    assert SAVED in text and f"{{query: '{QUERY}'}}" in text
    live = text.replace(SAVED, f"  availability:\n{_query()}")
    (tmp_path / "gatekeeper.yml").write_text(live, encoding="utf-8")
    monkeypatch.setenv("GATEKEEPER_PROMETHEUS_URL", prometheus_url)
    ref = "resilience/steel/shadow-availability"
    verdicts = []
    for matrix in (KMTA, tmp_path / "gatekeeper.yml"):
        capsys.readouterr()
        main(["check", "--matrix", str(matrix), "--format", "json", "--phase", "steel"])
        report = json.loads(capsys.readouterr().out)
        (bench,) = [b for c in report["cells"] for b in c["benchmarks"] if b["ref"] == ref]
        (measured,) = bench["measurements"]
        verdicts.append((bench["outcome"], measured["actual"], round(measured["value"], 12)))
    assert verdicts[0] == verdicts[1] == ("pass", "0.997", round(AVAILABILITY, 12))


def test_the_outage_fails_a_stricter_threshold(
    prometheus_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, report = _judge(
        tmp_path, capsys, monkeypatch, prometheus_url, _query(), threshold="value >= 0.999"
    )
    assert (code, _benchmark(report)["outcome"]) == (1, "fail")


def test_a_window_is_a_range_query_with_samples(
    prometheus_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 3000 minutes in, up went to 0 for 30 minutes: a window of the hour around it
    outage_end = START + 60 * (OUTAGE.stop + 15)
    artifact = (
        '    query: "up"\n'
        f"    time: {json.dumps(time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(outage_end)))}\n"
        "    window: {range: 1h, step: 5m}\n"
    )
    code, report = _judge(
        tmp_path, capsys, monkeypatch, prometheus_url, artifact, name="up", threshold="min >= 1"
    )
    bench = _benchmark(report)
    assert (code, bench["outcome"]) == (1, "fail")
    assert bench["measurements"][0]["value"] == 0
    asked = report["artifacts"][0]["files"][0]
    assert (asked["query_range"], asked["query_step"]) == (3600, 300)
    values = json.loads(asked["query_response"])["data"]["result"][0]["values"]
    assert len(values) == 13  # 60 minutes / 5, both ends


def test_a_bundle_is_judged_from_the_saved_answer_with_the_server_down(
    prometheus_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GATEKEEPER_PROMETHEUS_URL", prometheus_url)
    (tmp_path / "gatekeeper.yml").write_text(_matrix(_query()), encoding="utf-8")
    bundle = tmp_path / "bundle.json"
    matrix = str(tmp_path / "gatekeeper.yml")
    sha = "0" * 40
    assert main(["collect", "--matrix", matrix, "--sha", sha, "--out", str(bundle)]) == 0
    live_code, live = _check(tmp_path, capsys)
    saved = json.loads(bundle.read_text(encoding="utf-8"))
    entry = saved["shards"][0]["artifacts"]["availability"]["files"][0]
    assert entry["query"]["query"] == QUERY and entry["query"]["time"] == END_TEXT

    monkeypatch.setenv("GATEKEEPER_PROMETHEUS_URL", f"http://127.0.0.1:{_free_port()}")
    code, report = _check(tmp_path, capsys, "--bundle", str(bundle), "--sha", sha)
    assert (code, _benchmark(report)["outcome"]) == (live_code, _benchmark(live)["outcome"])
    assert _benchmark(report)["summary"] == _benchmark(live)["summary"]
    code, _ = _check(tmp_path, capsys)  # without the bundle it asks, and cannot
    assert code != 0

    # a bundle answers the query it was collected for, not the one the matrix asks now
    other = _query('avg_over_time(up{job="api"}[1d])')
    (tmp_path / "gatekeeper.yml").write_text(_matrix(other), encoding="utf-8")
    code, report = _check(tmp_path, capsys, "--bundle", str(bundle), "--sha", sha)
    assert (code, _benchmark(report)["outcome"]) == (3, "error")
    (error,) = report["artifacts"][0]["errors"]
    assert """asks the query 'avg_over_time(up{job="api"}[1d])'""" in error


@pytest.mark.parametrize(
    ("query", "outcome", "said"),
    [
        ("nothere", "missing", "nothere (an empty result: the query matched no series)"),
        ("0/0", "error", "the value is NaN"),
        ("1/0", "error", "the value is +Inf"),
        ("up{", "error", "HTTP 400 Bad Request: bad_data"),
        ('"text"', "error", "a string result is not a number"),
    ],
)
def test_answers_that_are_no_measurement_never_pass(
    prometheus_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    outcome: str,
    said: str,
) -> None:
    code, report = _judge(tmp_path, capsys, monkeypatch, prometheus_url, _query(query))
    bench = _benchmark(report)
    assert code != 0 and bench["outcome"] == outcome
    text = " ".join([bench["summary"], *bench["details"]])
    assert said in text
    assert "prometheus query" in text  # the query is named


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/slow", "did not answer within 0.5s"),
        ("/warnings", "warnings, so it may be partial: remote store down"),
        ("/broken", "answered HTTP 500"),
        ("/html", "not JSON"),
    ],
)
def test_a_server_that_misbehaves_is_an_error(
    canned_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    said: str,
) -> None:
    artifact = '    query: "up"\n    timeout: 500ms\n'
    code, report = _judge(tmp_path, capsys, monkeypatch, canned_url + path, artifact)
    bench = _benchmark(report)
    assert code != 0 and bench["outcome"] == "error"
    assert said in " ".join(bench["details"])


def test_a_server_that_is_down_is_an_error_naming_the_query(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    code, report = _judge(tmp_path, capsys, monkeypatch, url, _query())
    bench = _benchmark(report)
    assert code != 0 and bench["outcome"] == "error"
    assert bench["details"] == [f"prometheus query {QUERY}: cannot reach {url}: connection refused"]


def test_no_server_in_the_environment_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GATEKEEPER_PROMETHEUS_URL", raising=False)
    (tmp_path / "gatekeeper.yml").write_text(_matrix(_query()), encoding="utf-8")
    code, report = _check(tmp_path, capsys)
    assert code != 0
    assert "GATEKEEPER_PROMETHEUS_URL is not set" in " ".join(_benchmark(report)["details"])


def test_credentials_are_sent_and_never_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str | None] = []

    class Guarded(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization"))
            body = b'{"status":"success","data":{"resultType":"scalar","result":[1,"1"]}}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Guarded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("METRICS_URL", f"http://user:pw@127.0.0.1:{server.server_address[1]}/")
        monkeypatch.setenv("METRICS_TOKEN", "s3cret")
        artifact = '    query: "vector(1)"\n    server: METRICS\n'
        (tmp_path / "gatekeeper.yml").write_text(_matrix(artifact), encoding="utf-8")
        code, report = _check(tmp_path, capsys)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert code == 0
    assert seen == ["Bearer s3cret"]
    text = json.dumps(report)
    assert "s3cret" not in text and "user:pw" not in text
    assert report["artifacts"][0]["files"][0]["query_server"] == (
        f"http://127.0.0.1:{server.server_address[1]}/"
    )


# --- the matrix -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("artifact", "said"),
    [
        ('    query: "up"\n    server: "http://prometheus:9090"\n', "never a URL"),
        ('    query: "up"\n    paths: ["a.json"]\n', "not both"),
        ('    paths: ["a.json"]\n    timeout: 5s\n', "timeout goes with query:"),
        ('    query: "up"\n    format: k6\n', "read as prometheus, not k6"),
        ('    query: "up"\n    time: yesterday\n', "RFC 3339"),
        ('    query: "up"\n    time: "2025-12-08T00:00:00"\n', "RFC 3339"),
        ('    query: "up"\n    window: {range: 5m, step: 1h}\n', "step is longer than the range"),
        ('    query: "up"\n    window: {range: 30d, step: 1s}\n', "at most 11000"),
        ('    query: "up"\n    timeout: ten\n', "timeout"),
    ],
)
def test_validate_refuses_what_cannot_be_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], artifact: str, said: str
) -> None:
    (tmp_path / "gatekeeper.yml").write_text(_matrix(artifact), encoding="utf-8")
    assert main(["validate", str(tmp_path / "gatekeeper.yml")]) == 2
    assert said in capsys.readouterr().err


def test_a_percentage_against_a_query_value_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = _matrix('    query: "up"\n', threshold="value >= 99.9%")
    (tmp_path / "gatekeeper.yml").write_text(matrix, encoding="utf-8")
    assert main(["validate", str(tmp_path / "gatekeeper.yml")]) == 2
    assert "measures ratio" in capsys.readouterr().err


# --- saved answers, written by the real tools ------------------------------------------------


def test_saved_answers_of_curl_and_promtool_are_judged_alike(
    prometheus_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    params = {"query": QUERY, "time": str(END)}
    saved = requests.get(f"{prometheus_url}/api/v1/query", params=params, timeout=10)
    (tmp_path / "curl.json").write_bytes(saved.content)
    printed = subprocess.run(
        [_program("promtool"), "query", "instant", "-o", "json", f"--time={END}",
         prometheus_url, QUERY],
        check=True, capture_output=True,
    )  # fmt: skip
    (tmp_path / "promtool.json").write_bytes(printed.stdout)
    verdicts = []
    for name in ("curl.json", "promtool.json"):
        artifact = f"    paths: [{name}]\n"
        (tmp_path / "gatekeeper.yml").write_text(_matrix(artifact), encoding="utf-8")
        code, report = _check(tmp_path, capsys)
        bench = _benchmark(report)
        verdicts.append((code, bench["outcome"], bench["measurements"][0]["value"]))
    assert verdicts == [(0, "pass", pytest.approx(AVAILABILITY, rel=1e-12))] * 2


def test_an_answer_too_large_is_refused_not_read(
    canned_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gatekeeper.live import prometheus_http

    monkeypatch.setattr(prometheus_http, "MAX_ANSWER_BYTES", 64)
    artifact = '    query: "up"\n'
    code, report = _judge(tmp_path, capsys, monkeypatch, canned_url + "/warnings", artifact)
    bench = _benchmark(report)
    assert code != 0 and bench["outcome"] == "error"
    assert "prometheus query up: the answer is larger than" in " ".join(bench["details"])
