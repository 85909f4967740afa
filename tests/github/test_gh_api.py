"""The one GitHub client (``gatekeeper.github.api``): one deadline for every call of a run,
one paginator with one cap rule, one timeout, and no HTTP anywhere else."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Mapping

import pytest

from gatekeeper.github import api
from gatekeeper.github.api import GitHubClient, Limit
from gatekeeper.github.context import GitHubContext
from gatekeeper.github.retry import APIError, RetryPolicy
from tests.conftest import REPO
from tests.fakegithub.fixture import actions_fixture, fake_github_fixture  # noqa: F401
from tests.fakegithub.runner import PULL_REQUEST, Actions
from tests.fakegithub.server import DEFAULT_TOKEN, FakeGitHub

PACKAGE = REPO / "gatekeeper"
MATRIX = """\
version: 1
project: Demo
phases:
  - {id: one, name: One}
  - {id: two, name: Two}
artifacts:
  unit: {format: junit, paths: "reports/*.xml"}
swimlanes:
  - id: core
    name: Core
    paths: ["src/core/**", "tests/test_core.py"]
    cells:
      one:
        goal: Core tests pass
        benchmarks:
          - {id: tests, tests: {from: unit, class: "tests.test_core"}}
"""
"""Swimlane paths: the changed files are read; no ``current``: the phase tags are read."""


class Clock:
    """Time that passes only when the client sleeps."""

    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _client(github: FakeGitHub, clock: Clock, **env: str) -> GitHubClient:
    environ = {"GITHUB_API_URL": github.url, "GITHUB_REPOSITORY": github.repository,
               "GITHUB_TOKEN": DEFAULT_TOKEN, **env}  # fmt: skip
    policy = RetryPolicy.from_env(environ)
    policy = dataclasses.replace(policy, sleep=clock.sleep, clock=clock.time)
    return GitHubClient(GitHubContext.from_env(environ), policy)


def test_every_call_of_a_check_run_spends_one_deadline(
    actions: Actions, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the pull request's files waits 150 s of the run's 180 on a sick endpoint; the
    check run's post that follows gets no fresh budget: its one 502 is not retried."""
    (actions.root / "project" / "gatekeeper.yml").write_text(MATRIX, encoding="utf-8")
    monkeypatch.setenv("GATEKEEPER_GITHUB_MAX_WAIT", "1000")  # no per-call budget in the way
    clocks: list[Clock] = []

    def open_client(environ: Mapping[str, str]) -> GitHubClient:
        clocks.append(Clock())
        policy = dataclasses.replace(
            RetryPolicy.from_env(environ), sleep=clocks[-1].sleep, clock=clocks[-1].time
        )
        return GitHubClient(GitHubContext.from_env(environ), policy)

    monkeypatch.setattr("gatekeeper.commands.check.open_client", open_client)
    fake_github.add_pull(2, head_ref="changes", files=["src/core/a.py"])
    later = {"Retry-After": "50"}
    fake_github.fail("GET", r"/pulls/2/files$", 502, times=None, headers=later)
    fake_github.fail("POST", r"/check-runs$", 502, times=1, headers=later)
    run = actions.run(PULL_REQUEST, failing=0)
    assert run.code == 0  # the gate's, whatever GitHub does
    assert len(clocks) == 1  # one client for the whole run
    assert clocks[0].slept == [50.0, 50.0, 50.0]  # the files: 4 tries, then the deadline
    assert len(fake_github.calls("GET", r"/pulls/2/files$")) == 4
    assert fake_github.calls("GET", r"/git/matching-refs/") != []  # phase tags, meanwhile
    assert len(fake_github.calls("POST", r"/check-runs$")) == 1  # not retried: time is spent
    assert fake_github.store.check_runs == {}
    assert "the time allowed for the run's calls to GitHub is spent" in run.err
    assert "could not post the check run" in run.err

    # the next run has a budget of its own: the same single 502 is retried and gets through
    fake_github.faults.clear()
    fake_github.fail("POST", r"/check-runs$", 502, times=1, headers=later)
    assert actions.run(PULL_REQUEST, failing=0).code == 0
    assert clocks[1].slept == [50.0]
    assert len(fake_github.store.check_runs) == 1


def test_the_deadline_starts_with_the_run_s_first_call(fake_github: FakeGitHub) -> None:
    clock = Clock()
    client = _client(fake_github, clock, GATEKEEPER_GITHUB_MAX_WAIT="1000")
    clock.now += 3600  # an hour of judging evidence before the first call costs nothing
    fake_github.add_pull(2, files=["a.py"])
    fake_github.fail("GET", r"/pulls/2/files$", 502, times=3, headers={"Retry-After": "50"})
    assert client.pull_request_files(2, 3000).items[0]["filename"] == "a.py"
    assert clock.slept == [50.0, 50.0, 50.0]
    fake_github.fail("GET", r"/pulls/2$", 502, times=1, headers={"Retry-After": "50"})
    with pytest.raises(APIError, match=r"read pull request #2: HTTP 502.*is spent\)$"):
        client.pull_request(2)  # 150 s spent, 50 more would pass 180: the same deadline
    assert fake_github.violations == []


def _files(github: FakeGitHub, count: int) -> None:
    github.add_pull(2, files=[f"f{i}.py" for i in range(count)])


def test_past_a_warning_limit_the_list_stops_and_says_so(fake_github: FakeGitHub) -> None:
    _files(fake_github, 250)
    client = _client(fake_github, Clock())
    listed = client._listing("files", "pulls/2/files", params={"per_page": 100},
                             limit=Limit(150, "warn"))  # fmt: skip
    assert len(listed.items) == 150 and not listed.complete
    assert len(fake_github.calls("GET", r"/files$")) == 2  # no third page asked for
    whole = client._listing("files", "pulls/2/files", params={"per_page": 100},
                            limit=Limit(300, "warn"))  # fmt: skip
    assert len(whole.items) == 250 and whole.complete
    assert fake_github.violations == []


def test_past_an_error_limit_the_list_is_refused(fake_github: FakeGitHub) -> None:
    _files(fake_github, 250)
    client = _client(fake_github, Clock())
    with pytest.raises(APIError, match=r"^files: more than 2 pages$"):
        client._listing("files", "pulls/2/files", params={"per_page": 100},
                        limit=Limit(200, "error"))  # fmt: skip
    assert len(fake_github.calls("GET", r"/files$")) == 2
    exact = client._listing("files", "pulls/2/files", params={"per_page": 100},
                            limit=Limit(250, "error"))  # fmt: skip
    assert len(exact.items) == 250 and exact.complete  # at the limit, not past it
    assert Limit() == Limit(api.MAX_PAGES * api.PER_PAGE, "error")  # every other list
    assert fake_github.violations == []


def test_every_call_sends_the_same_headers(fake_github: FakeGitHub) -> None:
    """PyGithub and the download path alike: the token as GitHub documents it, the API
    version, gatekeeper's user agent."""
    client = _client(fake_github, Clock())
    fake_github.add_pull(2, files=["a.py"])
    run = fake_github.add_run("1" * 40)
    fake_github.add_artifact(run, "x", b"PK\x05\x06" + bytes(18))
    client.pull_request(2)
    client.download("download", client.artifacts(run)[0]["id"])
    api_calls = [r for r in fake_github.requests if not r.path.startswith("/_fake_storage/")]
    assert len(api_calls) == 3
    for request in api_calls:
        assert request.headers["authorization"] == f"Bearer {DEFAULT_TOKEN}"
        assert request.headers["x-github-api-version"] == api.API_VERSION
        assert request.headers["user-agent"].startswith("gatekeeper/")
    assert fake_github.violations == []


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def _imports(tree: ast.Module) -> set[str]:
    """Every module a file imports, at the top or inside a function, TYPE_CHECKING or not."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_only_the_client_imports_an_http_library() -> None:
    """PyGithub (``github``) and requests are the clients' alone: ``gatekeeper.github.api``
    for GitHub, ``gatekeeper.live.prometheus_http`` for live Prometheus queries."""
    talking = {
        name
        for name, tree in _modules()
        if any(m.split(".")[0] in ("github", "requests", "urllib3") for m in _imports(tree))
    }
    assert talking == {"github/api.py", "live/prometheus_http.py"}


def test_one_timeout_for_every_request() -> None:
    """Every ``timeout=`` where HTTP may be (github/, bundles/) is ``api.TIMEOUT_SECONDS``:
    PyGithub's and the download's. (git's subprocess timeouts are elsewhere.)"""
    given = [
        (name, ast.unparse(keyword.value))
        for name, tree in _modules()
        if name.startswith(("github/", "bundles/"))
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg == "timeout"
    ]
    assert given and set(given) == {("github/api.py", "TIMEOUT_SECONDS")}, given
    assert api.TIMEOUT_SECONDS == 30


def test_an_answer_of_another_shape_is_an_api_error(fake_github: FakeGitHub) -> None:
    """One failure rule: what GitHub's description does not promise is refused like an
    error status (fail closed), never a traceback."""
    client = _client(fake_github, Clock())
    fake_github.add_pull(2)
    fake_github.fail("GET", r"/pulls/2$", 200, body={"number": 2, "labels": "x", "head": 3})
    with pytest.raises(APIError, match=r"^read pull request #2: unexpected answer"):
        client.pull_request(2)
    assert len(fake_github.calls("GET", r"/pulls/2$")) == 1  # not retried
    runs = {"total_count": 1, "check_runs": [{"id": "x", "name": 5}]}
    fake_github.fail("GET", r"/check-runs$", 200, body=runs)
    with pytest.raises(APIError, match=r"^list check runs: unexpected answer"):
        client.check_runs("a" * 40, "gatekeeper")
    fake_github.fail("GET", r"/artifacts$", 200, body={"artifacts": {"not": "a list"}})
    with pytest.raises(APIError, match=r"^list artifacts of run 1: the answer is no list$"):
        client.artifacts(1)
