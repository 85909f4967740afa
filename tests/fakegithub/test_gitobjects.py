"""The fake's git database: object ids are real git's (checked against ``git`` itself),
trees nest and merge over a base, and a branch moves only forward unless forced."""

from __future__ import annotations

import base64
import subprocess
import threading
from pathlib import Path

import pytest

from tests.fakegithub.client import SHA, call
from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture
from tests.fakegithub.server import FakeGitHub

REPO = "/repos/Codertocat/Hello-World"
WHEN = "2026-12-04T08:00:00Z"
UNKNOWN_BLOB = {"mode": "100644", "type": "blob", "sha": "1" * 40}
PERSON = {"name": "Gate Keeper", "email": "gate@example.com", "date": WHEN}


def _git(folder: Path, *argv: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> str:
    done = subprocess.run(["git", *argv], cwd=folder, input=stdin, capture_output=True,
                          check=True, env=env)  # fmt: skip
    return done.stdout.decode().strip()


def _blob(github: FakeGitHub, text: str) -> str:
    return str(call(github, "POST", f"{REPO}/git/blobs", {"content": text}).body["sha"])


def test_object_ids_are_git_s(fake_github: FakeGitHub, tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    raw = b"\x00\xffbinary\n"
    encoded = {"content": base64.b64encode(raw).decode(), "encoding": "base64"}
    made = call(fake_github, "POST", f"{REPO}/git/blobs", encoded)
    assert made.status == 201
    assert made.body["sha"] == _git(tmp_path, "hash-object", "-w", "--stdin", stdin=raw)
    text = _blob(fake_github, "line\n")
    assert text == _git(tmp_path, "hash-object", "-w", "--stdin", stdin=b"line\n")
    items = [{"path": "b.txt", "mode": "100644", "type": "blob", "sha": made.body["sha"]},
             {"path": "a/x.jsonl", "mode": "100644", "type": "blob", "sha": text},
             {"path": "a.txt", "mode": "100755", "type": "blob", "sha": text}]  # fmt: skip
    tree = call(fake_github, "POST", f"{REPO}/git/trees", {"tree": items}).body
    inner = _git(tmp_path, "mktree", stdin=f"100644 blob {text}\tx.jsonl\n".encode())
    listing = (f"100644 blob {made.body['sha']}\tb.txt\n040000 tree {inner}\ta\n"
               f"100755 blob {text}\ta.txt\n")  # fmt: skip
    assert tree["sha"] == _git(tmp_path, "mktree", stdin=listing.encode())
    assert [e["path"] for e in tree["tree"]] == ["a.txt", "a", "b.txt"]  # git's order
    body = {"message": "first", "tree": tree["sha"], "parents": [], "author": PERSON}
    commit = call(fake_github, "POST", f"{REPO}/git/commits", body).body
    dated = {"GIT_AUTHOR_NAME": "Gate Keeper", "GIT_AUTHOR_EMAIL": "gate@example.com",
             "GIT_AUTHOR_DATE": WHEN, "GIT_COMMITTER_NAME": "Gate Keeper",
             "GIT_COMMITTER_EMAIL": "gate@example.com", "GIT_COMMITTER_DATE": WHEN,
             "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # fmt: skip
    real = _git(tmp_path, "commit-tree", tree["sha"], "-m", "first", env=dated)
    # git ends a message given with -m with a newline; the API keeps it as sent
    body["message"] = "first\n"
    again = call(fake_github, "POST", f"{REPO}/git/commits", body).body
    assert again["sha"] == real and commit["sha"] != real
    assert fake_github.violations == []


def test_trees_nest_over_a_base_and_read_back(fake_github: FakeGitHub) -> None:
    one, two = _blob(fake_github, "1\n"), _blob(fake_github, "2\n")
    entry = {"mode": "100644", "type": "blob"}
    base = call(fake_github, "POST", f"{REPO}/git/trees",
                {"tree": [{**entry, "path": "h/2026-11.jsonl", "sha": one},
                          {**entry, "path": "README", "sha": one}]}).body  # fmt: skip
    body = {
        "base_tree": base["sha"],
        "tree": [
            {**entry, "path": "h/2026-12.jsonl", "sha": two},
            {**entry, "path": "README", "sha": None},
        ],
    }
    tree = call(fake_github, "POST", f"{REPO}/git/trees", body).body
    flat = call(fake_github, "GET", f"{REPO}/git/trees/{tree['sha']}").body
    assert [(e["path"], e["type"]) for e in flat["tree"]] == [("h", "tree")]
    deep = call(fake_github, "GET", f"{REPO}/git/trees/{tree['sha']}?recursive=1").body
    assert [(e["path"], e.get("size")) for e in deep["tree"]] == [
        ("h", None), ("h/2026-11.jsonl", 2), ("h/2026-12.jsonl", 2)]  # fmt: skip
    blob = call(fake_github, "GET", f"{REPO}/git/blobs/{two}").body
    assert (blob["encoding"], base64.b64decode(blob["content"])) == ("base64", b"2\n")
    assert call(fake_github, "GET", f"{REPO}/git/trees/{'0' * 40}").status == 404
    assert call(fake_github, "GET", f"{REPO}/git/blobs/{'0' * 40}").status == 404
    assert fake_github.violations == []


def test_a_blob_reads_back_wrapped_as_github_sends_it(fake_github: FakeGitHub) -> None:
    sha = _blob(fake_github, "x" * 100)
    content = call(fake_github, "GET", f"{REPO}/git/blobs/{sha}").body["content"]
    assert content.count("\n") == 3 and base64.b64decode(content) == b"x" * 100


def test_a_branch_moves_only_forward(fake_github: FakeGitHub) -> None:
    first = fake_github.commit_files("history", {"h/a.jsonl": b"1\n"})
    second = fake_github.commit_files("history", {"h/a.jsonl": b"1\n2\n"})
    got = call(fake_github, "GET", f"{REPO}/git/ref/heads/history").body
    assert got["object"] == {"type": "commit", "sha": second,
                             "url": f"{fake_github.url}{REPO}/git/commits/{second}"}  # fmt: skip
    commit = call(fake_github, "GET", f"{REPO}/git/commits/{second}").body
    assert [p["sha"] for p in commit["parents"]] == [first]
    sibling = call(
        fake_github,
        "POST",
        f"{REPO}/git/commits",
        {"message": "m", "tree": commit["tree"]["sha"], "parents": [first]},
    ).body
    path = f"{REPO}/git/refs/heads/history"
    late = call(fake_github, "PATCH", path, {"sha": sibling["sha"], "force": False})
    assert (late.status, late.body["message"]) == (422, "Update is not a fast forward")
    backwards = call(fake_github, "PATCH", path, {"sha": first})
    assert backwards.status == 422 and fake_github.branch_head("history") == second
    assert call(fake_github, "PATCH", path, {"sha": second}).status == 200  # where it is
    assert call(fake_github, "PATCH", path, {"sha": sibling["sha"], "force": True}).status == 200
    assert fake_github.branch_head("history") == sibling["sha"]
    gone = call(fake_github, "PATCH", f"{REPO}/git/refs/heads/nothing", {"sha": second})
    assert (gone.status, gone.body["message"]) == (422, "Reference does not exist")
    assert fake_github.violations == []  # a lost race is no client's mistake


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("POST", "git/commits", {"message": "m", "tree": "1" * 40}, "Tree SHA does not exist"),
        ("POST", "git/trees", {"tree": [{**UNKNOWN_BLOB, "path": "a"}]}, "is not a valid blob"),
    ],
)
def test_unknown_objects_are_refused(
    fake_github: FakeGitHub, method: str, path: str, body: dict[str, object], message: str
) -> None:
    reply = call(fake_github, method, f"{REPO}/{path}", body)
    assert reply.status == 422 and message in reply.body["message"]
    assert len(fake_github.violations) == 1  # a correct client never sends these


def test_a_commit_needs_parents_that_exist_and_hand_made_ones_read_back(
    fake_github: FakeGitHub,
) -> None:
    fake_github.add_commit(SHA)  # a test's commit: its parents only
    known = call(fake_github, "GET", f"{REPO}/git/commits/{SHA}").body
    assert known["tree"]["sha"] == "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # empty
    body = {"message": "m", "tree": known["tree"]["sha"], "parents": ["2" * 40]}
    refused = call(fake_github, "POST", f"{REPO}/git/commits", body)
    assert refused.status == 422 and "Parent SHA does not exist" in refused.body["message"]
    child = call(fake_github, "POST", f"{REPO}/git/commits", {**body, "parents": [SHA]}).body
    compared = call(fake_github, "GET", f"{REPO}/compare/{SHA}...{child['sha']}").body
    assert compared["status"] == "ahead"  # the old git data sees the new commits


def test_a_pause_holds_answers_until_all_have_come(fake_github: FakeGitHub) -> None:
    fake_github.commit_files("history", {"a": b"1"})
    pause = fake_github.pause("GET", r"/git/ref/", together=3)
    answered: list[int] = []

    def read() -> None:
        answered.append(call(fake_github, "GET", f"{REPO}/git/ref/heads/history").status)

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads[:2]:
        thread.start()
    threads[0].join(timeout=0.3)
    assert answered == []  # two of three: held
    threads[2].start()
    for thread in threads:
        thread.join(timeout=5)
    assert answered == [200, 200, 200] and pause.hits == 3
