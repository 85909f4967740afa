"""Adversarial pass over issue 16's evidence (attack16): each test is a way the gate could
have turned green, or crashed, on evidence that must not pass."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.cli import main
from gatekeeper.parsers import parse_file
from tests.local_http import serving


def _junit(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "junit.xml"
    path.write_text(f'<?xml version="1.0"?>{body}', encoding="utf-8")
    return path


def test_a_junit_suite_with_no_time_leaves_the_file_undated(tmp_path: Path) -> None:
    # one suite dated yesterday, one that says nothing of when it ran (pasted in from an old
    # run): the file is not as young as its youngest suite; like an artifact with an undated
    # file, it is undated, and cannot satisfy a max_age
    path = _junit(
        tmp_path,
        '<testsuites><testsuite name="new" timestamp="2026-12-03T10:00:00Z">'
        '<testcase name="a"/></testsuite>'
        '<testsuite name="old"><testcase name="b"/></testsuite></testsuites>',
    )
    assert parse_file(path, "junit.xml", "junit").measured_at is None


def test_a_junit_suite_is_dated_by_its_run_or_its_enclosing_suite(tmp_path: Path) -> None:
    path = _junit(
        tmp_path,
        '<testsuites timestamp="2026-12-03T09:00:00Z">'
        '<testsuite name="new" timestamp="2026-12-03T10:00:00Z"><testcase name="a"/>'
        '<testsuite name="inner"><testcase name="c"/></testsuite></testsuite>'
        '<testsuite name="plain"><testcase name="b"/></testsuite></testsuites>',
    )
    moment = dt.datetime(2026, 12, 3, 9, tzinfo=dt.timezone.utc)
    assert parse_file(path, "junit.xml", "junit").measured_at == moment


def test_sign_off_facts_about_another_commit_in_a_bundle_are_an_error() -> None:
    # a bundle of commit HEAD whose sign-off facts were heard at another commit (pasted in
    # from an older bundle, or a collect that judged another --sha): they do not say whether
    # the record is signed off at HEAD, so they never count
    from gatekeeper.bundles import Bundle, RunIdentity, Shard
    from gatekeeper.bundles.codec import dumps, loads
    from gatekeeper.bundles.combine import signoff_evidence
    from gatekeeper.signoffs import RecordState, Review, SignoffRecord

    head, other, record = "e0" * 20, "a0" * 20, "signoffs/runbook.md"
    review = Review("alice", "APPROVED", "2026-12-01T10:00:00Z", "c1" * 20, True)
    facts = SignoffRecord(record, other, RecordState.FOUND, "", "d0" * 20, 7, "carol",
                          "c1" * 20, (review,))  # fmt: skip
    bundle = loads(dumps(Bundle(head, (Shard("a", RunIdentity(), {}, {record: facts}),))).encode(),
                   "b.json")  # fmt: skip
    found = signoff_evidence(bundle).records[record]
    assert found.state is RecordState.ERROR
    assert found.commit == head
    assert f"heard at commit {other[:12]}, not at {head[:12]}" in found.reason


ANSWER = (
    '{"status":"success","data":{"resultType":"vector","result":'
    '[{"metric":{"job":"api"},"value":[1765152000,"0.999"]}]}}'
)
"""A Prometheus answer evaluated at 2025-12-08T00:00:00Z."""
RANGE_ANSWER = (
    '{"status":"success","data":{"resultType":"matrix","result":'
    '[{"metric":{"job":"api"},"values":[[1765148400,"0.998"],[1765152000,"0.999"]]}]}}'
)
"""A range query's answer ending at 2025-12-08T00:00:00Z."""


def _live_matrix(artifact: str, benchmark: str = "") -> str:
    return (
        "version: 1\nproject: live\ncurrent: alpha\nphases:\n  - {id: alpha, name: Alpha}\n"
        f"artifacts:\n  availability:\n{artifact}"
        "swimlanes:\n  - id: api\n    name: API\n    cells:\n      alpha:\n"
        "        goal: available\n        benchmarks:\n"
        "          - id: avail\n            metric: {from: availability, name: result}\n"
        f'            threshold: "value >= 0.99"\n{benchmark}'
    )


@pytest.fixture
def answering_url() -> Iterator[str]:
    """A server that answers every query with ``ANSWER``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            ranged = "query_range" in self.path
            if self.path.startswith("/lie/"):  # answers the other kind of query
                ranged = "query=range" in self.path
            body = (RANGE_ANSWER if ranged else ANSWER).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(Handler) as url:
        yield url


def _check_json(matrix: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    capsys.readouterr()
    code = main(["check", "--matrix", str(matrix), "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)["cells"][0]["benchmarks"][0]


def test_a_live_querys_max_age_is_held_not_dropped(
    answering_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # max_age on a query artifact: an answer evaluated a year before the check is stale
    monkeypatch.setenv("GATEKEEPER_PROMETHEUS_URL", answering_url)
    matrix = tmp_path / "gatekeeper.yml"
    query = '    query: "up"\n    time: 2025-12-08T00:00:00Z\n    max_age: 7d\n'
    matrix.write_text(_live_matrix(query), encoding="utf-8")
    code, bench = _check_json(matrix, capsys, "--as-of", "2026-12-04T00:00:00Z")
    assert (code, bench["outcome"]) == (1, "missing")
    assert bench["summary"] == "stale: last evidence 361 days old (max 7d)"
    code, bench = _check_json(matrix, capsys, "--as-of", "2025-12-09T00:00:00Z")
    assert (code, bench["outcome"]) == (0, "pass")


@pytest.mark.parametrize(
    "judged",
    [
        '    query: "up"\n    time: 2025-12-08T00:00:00Z\n    window: {range: 30d, step: 1h}\n',
        '    query: "up"\n    time: 2025-12-08T00:00:00Z\n    window: {range: 7d, step: 1d}\n',
        '    query: "up"\n    time: 2026-12-01T00:00:00Z\n    window: {range: 7d, step: 1h}\n',
        '    query: "up"\n    time: 2025-12-08T00:00:00Z\n',
    ],
    ids=["longer-window", "other-step", "other-time", "instant"],
)
def test_a_bundle_answers_only_the_window_and_time_it_was_asked_for(
    judged: str,
    answering_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the answer to "up over 7 days before 2025-12-08" is no answer to "up over 30 days", nor
    # to the same window a year later: judged against such a matrix, the bundle is refused
    monkeypatch.setenv("GATEKEEPER_PROMETHEUS_URL", answering_url)
    matrix, bundle, sha = tmp_path / "gatekeeper.yml", tmp_path / "bundle.json", "0" * 40
    asked = '    query: "up"\n    time: 2025-12-08T00:00:00Z\n    window: {range: 7d, step: 1h}\n'
    matrix.write_text(_live_matrix(asked), encoding="utf-8")
    assert main(["collect", "--matrix", str(matrix), "--sha", sha, "--out", str(bundle)]) == 0
    code, bench = _check_json(matrix, capsys, "--bundle", str(bundle), "--sha", sha)
    assert bench["outcome"] != "error"  # the same query: the bundle is taken
    matrix.write_text(_live_matrix(judged), encoding="utf-8")
    code, bench = _check_json(matrix, capsys, "--bundle", str(bundle), "--sha", sha)
    assert (code, bench["outcome"]) == (3, "error")


@pytest.mark.parametrize(
    ("artifact", "said"),
    [
        ('    query: "up"\n    time: 2025-12-08T00:00:00Z\n    window: {range: 7d, step: 1h}\n',
         "answered a range query with a vector"),
        ('    query: "range"\n    time: 2025-12-08T00:00:00Z\n',
         "answered an instant query with a matrix"),
    ],
    ids=["range-answered-instant", "instant-answered-range"],
)  # fmt: skip
def test_a_live_answer_of_the_wrong_shape_is_an_error(
    artifact: str,
    said: str,
    answering_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a proxy that answers every request alike: a week's window judged from one point
    monkeypatch.setenv("GATEKEEPER_PROMETHEUS_URL", answering_url + ("/lie"))
    matrix = tmp_path / "gatekeeper.yml"
    matrix.write_text(_live_matrix(artifact), encoding="utf-8")
    code, bench = _check_json(matrix, capsys)
    assert (code, bench["outcome"]) == (3, "error")
    capsys.readouterr()
    main(["check", "--matrix", str(matrix)])
    assert said in capsys.readouterr().out


def test_a_server_that_drips_its_answer_is_cut_off_at_the_timeout() -> None:
    # a byte every 0.2 s of a declared 100 kB: each read arrives within the socket's timeout,
    # so only the whole answer's deadline can stop it (it once waited for 64 kB: hours)
    import datetime as dt_
    import time

    from gatekeeper.live.prometheus_http import QueryError, ask
    from gatekeeper.model import LiveQuery

    stop = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            while not stop.wait(0.2):
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return

        def log_message(self, format: str, *args: Any) -> None:
            pass

    started = time.monotonic()
    with serving(Handler) as url:
        try:
            with pytest.raises(QueryError, match=r"did not answer within 1s"):
                ask(LiveQuery("up", timeout=1.0), {"GATEKEEPER_PROMETHEUS_URL": url},
                    dt_.datetime.now(dt_.timezone.utc))  # fmt: skip
        finally:
            stop.set()  # the handler stops writing, so the server can shut down
    assert time.monotonic() - started < 5


def test_one_file_from_the_future_is_an_error_even_beside_a_fresh_one(tmp_path: Path) -> None:
    # two runs of the drill: one fresh, one whose clock says 2031. Its age cannot be told
    # (a runner whose clock is years ahead is no witness of when it ran): an error, not a
    # pass carried by the fresh file
    from tests.test_max_age import check, drill_of, junit, project

    root = project(tmp_path)
    (root / "reports" / "later.xml").write_text(junit("2031-01-01T00:00:00Z"), encoding="utf-8")
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = check(root, "--as-of", "2026-10-02")
    drill = drill_of(out.getvalue())
    assert (code, drill["outcome"]) == (1, "error")
    assert str(drill["summary"]).startswith("evidence from the future: measured at 2031-01-01")
