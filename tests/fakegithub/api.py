"""What each endpoint does with a request that passed validation: one function per
operation of GitHub's description, keyed by its operationId."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from . import actions, checks, comments, gitdata, gitobjects, pulls, signoffs
from .paging import paginate
from .state import Store


@dataclass(frozen=True)
class Call:
    """A valid request: path and query values typed by their schemas, the JSON body."""

    params: dict[str, Any]
    query_pairs: list[tuple[str, str]]
    body: Any
    list_url: str
    """Absolute URL of this list as GitHub writes it in Link headers."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def _page(items: list[Any], call: Call) -> tuple[list[Any], dict[str, str]]:
    chosen, link = paginate(items, call.params, call.query_pairs, call.list_url)
    return chosen, ({"Link": link} if link else {})


def _list_check_runs(store: Store, call: Call) -> Answer:
    runs = checks.for_ref(store, call.params["ref"], call.params)
    chosen, headers = _page(runs, call)
    return Answer(200, {"total_count": len(runs), "check_runs": chosen}, headers)


def _create_check_run(store: Store, call: Call) -> Answer:
    return Answer(201, checks.create(store, call.body))


def _update_check_run(store: Store, call: Call) -> Answer:
    return Answer(200, checks.update(store, call.params["check_run_id"], call.body))


def _create_status(store: Store, call: Call) -> Answer:
    status = store.commit_status(call.params["sha"], call.body)
    return Answer(201, status, {"Location": status["url"]})


def _list_statuses(store: Store, call: Call) -> Answer:
    # newest first, as GitHub lists them; only a SHA names a commit in the fake
    found = [
        {k: v for k, v in s.items() if k != "sha"}
        for s in reversed(store.statuses)
        if s["sha"] == call.params["ref"]
    ]
    chosen, headers = _page(found, call)
    return Answer(200, chosen, headers)


def _list_comments(store: Store, call: Call) -> Answer:
    found = comments.on_issue(store, call.params["issue_number"], call.params.get("since"))
    chosen, headers = _page(found, call)
    return Answer(200, chosen, headers)


def _create_comment(store: Store, call: Call) -> Answer:
    comment = comments.create(store, call.params["issue_number"], call.body["body"])
    return Answer(201, comment, {"Location": comment["url"]})


def _update_comment(store: Store, call: Call) -> Answer:
    return Answer(200, comments.update(store, call.params["comment_id"], call.body["body"]))


def _list_runs(store: Store, call: Call) -> Answer:
    runs = actions.runs_for(store, call.params)
    chosen, headers = _page(runs, call)
    return Answer(200, {"total_count": len(runs), "workflow_runs": chosen}, headers)


def _get_run(store: Store, call: Call) -> Answer:
    return Answer(200, actions.run_of(store, call.params))


def _list_artifacts(store: Store, call: Call) -> Answer:
    found = actions.artifacts_of(store, call.params)
    chosen, headers = _page(found, call)
    return Answer(200, {"total_count": len(found), "artifacts": chosen}, headers)


def _download_artifact(store: Store, call: Call) -> Answer:
    split = urlsplit(store.api_url)
    location = actions.download(store, call.params, f"{split.scheme}://{split.netloc}")
    return Answer(302, None, {"Location": location})


def _list_commits(store: Store, call: Call) -> Answer:
    listed = signoffs.history(store, call.params.get("sha", ""), call.params.get("path"))
    chosen, headers = _page(listed, call)
    return Answer(200, chosen, headers)


def _paged(find: Callable[[Store, Call], list[Any]]) -> Callable[[Store, Call], Answer]:
    """An operation answering one page of the list ``find`` gives."""

    def answer(store: Store, call: Call) -> Answer:
        chosen, headers = _page(find(store, call), call)
        return Answer(200, chosen, headers)

    return answer


def _list_pull_files(store: Store, call: Call) -> Answer:
    chosen, headers = _page(pulls.files(store, call.params["pull_number"]), call)
    return Answer(200, chosen, headers)


def _delete_ref(store: Store, call: Call) -> Answer:
    gitdata.delete_ref(store, call.params["ref"])
    return Answer(204, None)


def _created(answer: dict[str, Any]) -> Answer:
    return Answer(201, answer, {"Location": str(answer["url"])})


OPERATIONS: dict[str, Callable[[Store, Call], Answer]] = {
    "checks/list-for-ref": _list_check_runs,
    "checks/create": _create_check_run,
    "checks/update": _update_check_run,
    "repos/create-commit-status": _create_status,
    "repos/list-commit-statuses-for-ref": _list_statuses,
    "issues/list-comments": _list_comments,
    "issues/create-comment": _create_comment,
    "issues/update-comment": _update_comment,
    "users/get-authenticated": lambda store, call: Answer(200, store.authenticated_user()),
    "repos/get": lambda store, call: Answer(200, store.repository_object()),
    "actions/list-workflow-runs-for-repo": _list_runs,
    "actions/get-workflow-run": _get_run,
    "actions/list-workflow-run-artifacts": _list_artifacts,
    "actions/download-artifact": _download_artifact,
    "git/list-matching-refs": lambda store, call: Answer(
        200, gitdata.matching_refs(store, call.params["ref"])
    ),
    "git/get-tag": lambda store, call: Answer(200, gitdata.get_tag(store, call.params["tag_sha"])),
    "repos/compare-commits-with-basehead": lambda store, call: Answer(
        200, gitdata.compare(store, call.params["basehead"])
    ),
    "repos/list-commits": _list_commits,
    "git/create-tag": lambda store, call: _created(gitdata.create_tag(store, call.body)),
    "git/create-ref": lambda store, call: _created(gitdata.create_ref(store, call.body)),
    "repos/create-release": lambda store, call: _created(gitdata.create_release(store, call.body)),
    "repos/get-release-by-tag": lambda store, call: Answer(
        200, gitdata.release_by_tag(store, call.params["tag"])
    ),
    "pulls/get": lambda store, call: Answer(200, pulls.get(store, call.params["pull_number"])),
    "pulls/list-files": _list_pull_files,
    "git/delete-ref": _delete_ref,
    "repos/get-content": lambda store, call: Answer(
        200, signoffs.content(store, call.params["path"], call.params.get("ref"))
    ),
    "repos/list-pull-requests-associated-with-commit": _paged(
        lambda store, call: signoffs.pulls_of(store, call.params["commit_sha"])
    ),
    "pulls/list-commits": _paged(
        lambda store, call: signoffs.commits_of(store, call.params["pull_number"])
    ),
    "pulls/list-reviews": _paged(
        lambda store, call: signoffs.reviews_of(store, call.params["pull_number"])
    ),
    "teams/get-by-name": lambda store, call: Answer(
        200, signoffs.team(store, call.params["org"], call.params["team_slug"])
    ),
    "teams/get-membership-for-user-in-org": lambda store, call: Answer(
        200,
        signoffs.membership(
            store, call.params["org"], call.params["team_slug"], call.params["username"]
        ),
    ),
    "git/get-ref": lambda store, call: Answer(200, gitobjects.get_ref(store, call.params["ref"])),
    "git/update-ref": lambda store, call: Answer(
        200, gitobjects.update_ref(store, call.params["ref"], call.body)
    ),
    "git/get-commit": lambda store, call: Answer(
        200, gitobjects.get_commit(store, call.params["commit_sha"])
    ),
    "git/create-commit": lambda store, call: _created(gitobjects.create_commit(store, call.body)),
    "git/get-tree": lambda store, call: Answer(
        200, gitobjects.get_tree(store, call.params["tree_sha"], "recursive" in call.params)
    ),
    "git/create-tree": lambda store, call: _created(gitobjects.create_tree(store, call.body)),
    "git/get-blob": lambda store, call: Answer(
        200, gitobjects.get_blob(store, call.params["file_sha"])
    ),
    "git/create-blob": lambda store, call: _created(gitobjects.create_blob(store, call.body)),
}
