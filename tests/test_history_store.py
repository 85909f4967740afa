"""The history branch (``gatekeeper.github.history``) against the fake GitHub: lines appended
through the git database, once each, by writers racing each other, and read back."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import threading
from collections.abc import Callable

import pytest

from gatekeeper.github import historyfile
from gatekeeper.github.api import GitHubClient
from gatekeeper.github.context import GitHubContext
from gatekeeper.github.history import AppendResult, Outcome, append_record, read_history
from gatekeeper.github.retry import APIError, RetryPolicy
from tests.conftest import REPO
from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture
from tests.fakegithub.server import DEFAULT_TOKEN, FakeGitHub

BRANCH = "gatekeeper-history"
PATH = "history/2026-12.jsonl"
SHA = "3" * 40
MOVE = r"/git/refs/heads/gatekeeper-history$"


class Clock:
    """Time that passes only when the client sleeps; ``during`` runs in each sleep."""

    def __init__(self, during: Callable[[], None] | None = None) -> None:
        self.now = 1_000_000.0
        self.slept: list[float] = []
        self.during = during

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        if self.during is not None:
            self.during()


def client(github: FakeGitHub, clock: Clock | None = None) -> GitHubClient:
    environ = {"GITHUB_API_URL": github.url, "GITHUB_REPOSITORY": github.repository,
               "GITHUB_TOKEN": DEFAULT_TOKEN}  # fmt: skip
    policy = RetryPolicy.from_env(environ)
    if clock is not None:
        policy = dataclasses.replace(policy, sleep=clock.sleep, clock=clock.time)
    return GitHubClient(GitHubContext.from_env(environ), policy)


def key(run: int, writer: int = 0) -> str:
    return f"{SHA}:{run}:{writer + 1}"


def record(run: int, writer: int = 0) -> str:
    return json.dumps({"key": key(run, writer), "phase": "iron", "value": run})


def append(github: FakeGitHub, run: int, writer: int = 0, **kw: object) -> AppendResult:
    given = kw.pop("via", None)
    via = given if isinstance(given, GitHubClient) else client(github)
    attempts = kw.pop("attempts", 8)
    assert isinstance(attempts, int) and not kw
    return append_record(via, BRANCH, PATH, record(run, writer), key(run, writer),
                         attempts=attempts)  # fmt: skip


def keys_on(github: FakeGitHub) -> list[str]:
    content = github.file_on(BRANCH, PATH) or b""
    return [json.loads(line)["key"] for line in content.splitlines()]


def test_one_writer_makes_the_branch_then_appends(fake_github: FakeGitHub) -> None:
    results = [append(fake_github, run) for run in range(3)]
    assert [r.outcome for r in results] == [Outcome.RECORDED] * 3
    assert [r.tries for r in results] == [1, 1, 1]
    expected = "".join(record(run) + "\n" for run in range(3)).encode()
    assert fake_github.file_on(BRANCH, PATH) == expected
    assert list(read_history(client(fake_github), BRANCH, "history")) == [(PATH, expected)]
    assert results[-1].commit == fake_github.branch_head(BRANCH)
    assert results[0].message == f"recorded {key(0)} in {PATH} on branch {BRANCH}"
    first = fake_github.store.commits[str(results[0].commit)]
    assert first == ()  # the branch starts with an orphan commit holding only the file
    assert fake_github.store.commit_objects[str(results[2].commit)]["message"] == (
        f"gatekeeper: record {key(2)} in {PATH}"  # names the commit judged (the key's first part)
    )
    assert len(fake_github.calls("POST", r"/git/refs$")) == 1
    assert len(fake_github.calls("PATCH", MOVE)) == 2
    assert fake_github.violations == []


def test_a_record_already_there_is_not_written_again(fake_github: FakeGitHub) -> None:
    assert append(fake_github, 1).outcome is Outcome.RECORDED
    writes = len(fake_github.writes())
    again = append(fake_github, 1)  # a rerun of the same job, or a lost answer heard late
    assert again.outcome is Outcome.ALREADY_RECORDED
    assert again.message == f"{key(1)} is in {PATH} on branch {BRANCH} already: not written again"
    assert len(fake_github.writes()) == writes and keys_on(fake_github) == [key(1)]


def _race(github: FakeGitHub, writers: int, records: int, attempts: int = 8) -> list[AppendResult]:
    """``writers`` threads, each a job with its own client, append ``records`` records each,
    all at once; every result."""
    results: list[AppendResult] = []
    lock = threading.Lock()

    def write(writer: int) -> None:
        via = client(github)
        for run in range(records):
            done = append(github, run, writer, via=via, attempts=attempts)
            with lock:
                results.append(done)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def test_parallel_writers_lose_nothing(fake_github: FakeGitHub) -> None:
    """8 writers append 5 records each at once. The first 8 reads of the branch are answered
    together: every writer starts from the same commit, so 7 must lose their first race.

    A thread that wins goes again at once, while the losers wait longer after each loss: it
    keeps winning (a job writes once and ends). So this stress test allows 20 tries a record:
    what it holds to is that no line is lost or doubled, however the races fall."""
    assert append(fake_github, 99).outcome is Outcome.RECORDED
    fake_github.pause("GET", r"/git/ref/heads/", together=8)
    results = _race(fake_github, writers=8, records=5, attempts=20)
    assert len(results) == 40
    assert {r.outcome for r in results} == {Outcome.RECORDED}, [r.message for r in results]
    found = keys_on(fake_github)
    assert len(found) == 41 and len(set(found)) == 41  # none lost, none twice
    assert sorted(found) == sorted([key(99)] + [key(r, w) for w in range(8) for r in range(5)])
    for writer in range(8):  # each writer's records in the order it wrote them
        mine = [k for k in found if k.endswith(f":{writer + 1}") and k != key(99)]
        assert mine == [key(r, writer) for r in range(5)]
    lost = [r for r in fake_github.calls("PATCH", MOVE) if r.status == 422]
    assert len(lost) >= 7  # the race was run, and lost, for real
    assert fake_github.violations == []


def test_jobs_finishing_at_once_all_land_within_the_default_tries(
    fake_github: FakeGitHub,
) -> None:
    """8 jobs, one record each, all reading the branch at the same moment."""
    assert append(fake_github, 99).outcome is Outcome.RECORDED
    fake_github.pause("GET", r"/git/ref/heads/", together=8)
    results = _race(fake_github, writers=8, records=1)
    assert [r.outcome for r in results] == [Outcome.RECORDED] * 8, [r.message for r in results]
    assert sorted(r.tries for r in results)[-1] > 1
    assert sorted(keys_on(fake_github)) == sorted([key(99)] + [key(0, w) for w in range(8)])
    assert fake_github.violations == []


def test_parallel_processes_lose_nothing(fake_github: FakeGitHub) -> None:
    """The same with 4 separate processes (each a job with its own client), 3 records each."""
    script = (
        "import json, sys\n"
        "from gatekeeper.github.api import open_client\n"
        "from gatekeeper.github.history import append_record\n"
        "import os\n"
        "writer = int(sys.argv[1])\n"
        "c = open_client(os.environ)\n"
        "for run in range(3):\n"
        f"    k = f'{SHA}:{{run}}:{{writer + 1}}'\n"
        "    r = append_record(c, sys.argv[2], sys.argv[3], json.dumps({'key': k}), k)\n"
        "    print(r.outcome.value, r.tries)\n"
    )
    env = {"PYTHONPATH": str(REPO), "GITHUB_API_URL": fake_github.url, "PATH": "/usr/bin:/bin",
           "GITHUB_REPOSITORY": fake_github.repository, "GITHUB_TOKEN": DEFAULT_TOKEN}  # fmt: skip
    fake_github.pause("GET", r"/git/ref/heads/", together=4)
    jobs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(w), BRANCH, PATH],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    outputs = [job.communicate(timeout=120) for job in jobs]
    assert [job.returncode for job in jobs] == [0] * 4, [err for _, err in outputs]
    assert all(line.startswith("recorded ") for out, _ in outputs for line in out.splitlines())
    found = keys_on(fake_github)
    assert sorted(found) == sorted(key(r, w) for w in range(4) for r in range(3))
    assert any(r.status == 422 for r in fake_github.calls("POST", r"/git/refs$"))
    assert fake_github.violations == []


def test_two_writers_racing_to_make_the_branch_both_land(fake_github: FakeGitHub) -> None:
    fake_github.pause("GET", r"/git/ref/heads/", together=2)  # both find no branch
    results = _race(fake_github, writers=2, records=1)
    assert sorted(r.outcome for r in results) == [Outcome.RECORDED] * 2
    made = fake_github.calls("POST", r"/git/refs$")
    assert [r.status for r in made] == [201, 422]  # the later one found it made
    assert sorted(r.tries for r in results) == [1, 2]
    assert sorted(keys_on(fake_github)) == [key(0, 0), key(0, 1)]
    assert fake_github.violations == []


def test_a_lost_answer_to_the_move_adds_no_second_line(fake_github: FakeGitHub) -> None:
    assert append(fake_github, 1).outcome is Outcome.RECORDED
    fake_github.lose_answer("PATCH", MOVE)  # the branch moved; the job heard a 502
    clock = Clock()
    done = append(fake_github, 2, via=client(fake_github, clock))
    assert done.outcome is Outcome.RECORDED and done.tries == 1
    assert clock.slept == [1.0]  # the client's own retry: the same move, a no-op now
    assert keys_on(fake_github) == [key(1), key(2)]
    assert done.commit == fake_github.branch_head(BRANCH)
    assert fake_github.violations == []


def test_a_lost_answer_overtaken_by_another_writer_is_found_by_its_key(
    fake_github: FakeGitHub,
) -> None:
    """The move landed, its answer was lost, and while the job waited to repeat it another
    writer moved the branch on: the repeat is refused as late, the next round reads the file
    and finds the record there."""
    assert append(fake_github, 1).outcome is Outcome.RECORDED
    fake_github.lose_answer("PATCH", MOVE)
    rival = client(fake_github)

    def overtake() -> None:
        append(fake_github, 3, via=rival)

    clock = Clock(during=overtake)
    done = append(fake_github, 2, via=client(fake_github, clock))
    assert done.outcome is Outcome.ALREADY_RECORDED and done.tries == 2
    assert keys_on(fake_github) == [key(1), key(2), key(3)]
    assert [r.status for r in fake_github.calls("PATCH", MOVE)] == [502, 200, 422]
    assert fake_github.violations == []


def test_a_lost_answer_to_making_the_branch_adds_no_second_line(fake_github: FakeGitHub) -> None:
    fake_github.lose_answer("POST", r"/git/refs$")
    done = append(fake_github, 1, via=client(fake_github, Clock()))
    assert done.outcome is Outcome.RECORDED and done.tries == 2  # its own commit, found
    assert done.commit == fake_github.branch_head(BRANCH)
    assert keys_on(fake_github) == [key(1)]
    assert fake_github.violations == []


def test_a_writer_that_loses_every_race_fails_and_loses_nothing(fake_github: FakeGitHub) -> None:
    """Before each of its moves another writer lands a record: 3 tries, 3 lost races."""
    assert append(fake_github, 0).outcome is Outcome.RECORDED
    clock = Clock()
    slow = client(fake_github, clock)
    rival = client(fake_github)
    rivals = iter(range(100, 200))
    move = slow.move_branch

    def overtaken(branch: str, sha: str) -> None:
        append(fake_github, next(rivals), via=rival)
        move(branch, sha)

    slow.move_branch = overtaken  # type: ignore[method-assign]
    done = append(fake_github, 1, via=slow, attempts=3)
    assert done.outcome is Outcome.FAILED and done.tries == 3
    assert done.message == (f"could not record {key(1)} in {PATH} on branch {BRANCH}: other "
                            "writers moved the branch first on each of 3 tries; nothing was "
                            "written")  # fmt: skip
    assert len(clock.slept) == 2 and all(0 <= s <= 10 for s in clock.slept)  # random waits
    assert keys_on(fake_github) == [key(0), key(100), key(101), key(102)]
    assert fake_github.violations == []


def test_a_new_file_joins_the_others_on_the_branch(fake_github: FakeGitHub) -> None:
    november = b'{"key": "old"}\n'
    fake_github.commit_files(BRANCH, {"history/2026-11.jsonl": november, "README.md": b"hi"})
    assert append(fake_github, 1).outcome is Outcome.RECORDED
    assert fake_github.file_on(BRANCH, "history/2026-11.jsonl") == november
    assert fake_github.file_on(BRANCH, "README.md") == b"hi"
    assert keys_on(fake_github) == [key(1)]


def test_a_branch_deleted_meanwhile_is_made_again(fake_github: FakeGitHub) -> None:
    assert append(fake_github, 1).outcome is Outcome.RECORDED
    writer = client(fake_github, Clock())
    move = writer.move_branch

    def deleted_first(branch: str, sha: str) -> None:
        del fake_github.store.refs[f"refs/heads/{branch}"]  # someone deleted it meanwhile
        move(branch, sha)

    writer.move_branch = deleted_first  # type: ignore[method-assign]
    done = append(fake_github, 2, via=writer)
    assert done.outcome is Outcome.RECORDED and done.tries == 2
    assert keys_on(fake_github) == [key(2)]  # what was deleted is not this writer's to restore
    assert fake_github.violations == []


def test_a_line_that_is_not_json_is_kept_and_named(fake_github: FakeGitHub) -> None:
    old = b'{"key": "a"}\nnot json at all\n{"key": "b"}\n[1, 2]\n{"key": "c"}'  # no last newline
    fake_github.commit_files(BRANCH, {PATH: old})
    done = append(fake_github, 1)
    assert done.outcome is Outcome.RECORDED
    assert done.warnings == (f"{PATH}: lines 2, 4 not a JSON object: kept as they are, the "
                             "record was added after them",)  # fmt: skip
    assert fake_github.file_on(BRANCH, PATH) == old + b"\n" + record(1).encode() + b"\n"
    assert fake_github.violations == []


def test_a_file_over_the_cap_is_refused_and_left_as_it_is(fake_github: FakeGitHub) -> None:
    big = b"x" * historyfile.MAX_FILE_BYTES
    head = fake_github.commit_files(BRANCH, {PATH: big})
    done = append(fake_github, 1)
    assert done.outcome is Outcome.FAILED
    assert done.message == (
        f"not recorded in {PATH} on branch {BRANCH}: {PATH} is 52,428,800 bytes; with this "
        "record it would pass the 52,428,800 bytes a history file may hold: start a new file "
        "(another path), it is left as it is"
    )
    assert fake_github.calls("GET", r"/git/blobs/") == []  # its size is known from the tree
    assert fake_github.writes() == [] and fake_github.branch_head(BRANCH) == head


def test_a_history_file_that_is_a_symbolic_link_is_left_as_it_is(
    fake_github: FakeGitHub,
) -> None:
    """Appending to a link's blob would make the file a regular one holding the link's
    target and the line: refused, nothing written."""
    head = fake_github.commit_files(BRANCH, {PATH: b"../elsewhere.jsonl"}, mode="120000")
    done = append(fake_github, 1)
    assert done.outcome is Outcome.FAILED
    assert done.message == (
        f"not recorded in {PATH} on branch {BRANCH}: {PATH} is a symbolic link, not a file; "
        "it is left as it is"
    )
    assert fake_github.writes() == [] and fake_github.branch_head(BRANCH) == head
    assert fake_github.violations == []


def test_a_read_only_token_is_told_what_it_needs(fake_github: FakeGitHub) -> None:
    fake_github.read_only = True  # a fork's pull request, or `contents: read`
    done = append(fake_github, 1)
    assert done.outcome is Outcome.FAILED and done.tries == 1
    assert "HTTP 403: Resource not accessible by integration" in done.message
    assert "(the token needs `permissions: contents: write`)" in done.message
    assert fake_github.branch_head(BRANCH) is None


def test_a_server_error_is_retried_by_the_client(fake_github: FakeGitHub) -> None:
    fake_github.fail("POST", r"/git/trees$", 502)
    fake_github.fail("GET", r"/git/ref/heads/", 500)
    clock = Clock()
    done = append(fake_github, 1, via=client(fake_github, clock))
    assert done.outcome is Outcome.RECORDED and done.tries == 1
    assert clock.slept == [1.0, 1.0]
    assert keys_on(fake_github) == [key(1)]


def test_a_server_that_stays_down_is_a_failure_not_a_raise(fake_github: FakeGitHub) -> None:
    fake_github.fail("GET", r"/git/ref/heads/", 503, times=None)
    done = append(fake_github, 1, via=client(fake_github, Clock()))
    assert done.outcome is Outcome.FAILED
    assert done.message.startswith(f"could not record {key(1)} in {PATH} on branch {BRANCH}: ")
    assert "HTTP 503" in done.message and "gave up after 5 tries" in done.message


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ('{"key": "other"}', "the record's key is 'other', not"),
        ('{"key": "K"}\n{"key": "K"}', "the record is more than one line"),
        ("not json", "the record is not JSON"),
        ('["K"]', "the record is not a JSON object"),
    ],
)
def test_a_line_that_is_not_one_record_of_its_key_is_refused_before_any_call(
    fake_github: FakeGitHub, line: str, why: str
) -> None:
    done = append_record(client(fake_github), BRANCH, PATH, line.replace("K", key(1)), key(1))
    assert done.outcome is Outcome.FAILED and why in done.message
    assert fake_github.requests == []


def test_read_history_reads_every_jsonl_file_under_the_folder(fake_github: FakeGitHub) -> None:
    assert list(read_history(client(fake_github), BRANCH, "history")) == []  # no branch yet
    fake_github.commit_files(BRANCH, {
        "history/2026-12.jsonl": b"12\n", "history/2026-11.jsonl": b"11\n",
        "history/notes.txt": b"no", "history/old/2025-01.jsonl": b"old\n",
        "other/2026-12.jsonl": b"other\n", "README.md": b"readme",
    })  # fmt: skip
    assert list(read_history(client(fake_github), BRANCH, "history/")) == [
        ("history/2026-11.jsonl", b"11\n"),
        ("history/2026-12.jsonl", b"12\n"),
        ("history/old/2025-01.jsonl", b"old\n"),
    ]
    assert list(read_history(client(fake_github), BRANCH, "nothing")) == []
    fake_github.fail("GET", r"/git/trees/", 403, body={"message": "Must have admin rights"})
    with pytest.raises(APIError, match="Must have admin rights"):
        list(read_history(client(fake_github), BRANCH, "history"))
    assert fake_github.violations == []


def test_a_tree_listing_github_cut_short_is_refused(fake_github: FakeGitHub) -> None:
    """GitHub cuts a recursive listing past 100,000 entries (``truncated``): the file may be
    in the part left out, so neither reading nor writing goes on."""
    fake_github.commit_files(BRANCH, {PATH: b'{"key": "a"}\n'})
    cut = {"sha": "4" * 40, "url": f"{fake_github.url}/t", "tree": [], "truncated": True}
    fake_github.fail("GET", r"/git/trees/", 200, times=None, body=cut)
    with pytest.raises(APIError, match="GitHub cut the listing short"):
        list(read_history(client(fake_github), BRANCH, "history"))
    done = append(fake_github, 1)
    assert done.outcome is Outcome.FAILED and "cut the listing short" in done.message
    assert fake_github.writes() == []
