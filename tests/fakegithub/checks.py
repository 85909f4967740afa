"""Check runs as GitHub keeps them.

GitHub documents, for both create and update: "Each time you update the check run,
annotations are appended to the list of annotations that already exist for the check run",
at most 50 per request (the schema's maxItems); `output.annotations_count` counts them all.
Giving a `conclusion` sets the status to `completed`. Columns are only allowed on
one-line annotations ("Omit this parameter if start_line and end_line have different values").

`output.summary` and `output.text`: the OpenAPI description says "Maximum length: 65535
characters" (its maxLength, checked by spec.py), but GitHub measures UTF-8 bytes and answers
422 "summary exceeds a maximum bytesize of 65535" (github/docs#35252, dorny/test-reporter#57):
the fake refuses the same, so a client that counts characters fails here as it would there.
"""

from __future__ import annotations

from typing import Any

from .state import (
    ACTIONS_APP,
    ACTIONS_BOT,
    SHA,
    Refused,
    Store,
    example,
    no_commit,
    not_found,
    now,
    validation_failed,
)

CHECK_SUITE_ID = 9_500_000_001
MAX_OUTPUT_BYTES = 65535


def _bytesize_problem(output: dict[str, Any]) -> Refused | None:
    for key in ("summary", "text"):
        value = output.get(key)
        if isinstance(value, str) and len(value.encode("utf-8")) > MAX_OUTPUT_BYTES:
            message = f"{key} exceeds a maximum bytesize of {MAX_OUTPUT_BYTES}"
            return validation_failed("CheckRun", key, message)
    return None


def _columns_problem(annotations: list[dict[str, Any]]) -> Refused | None:
    for index, note in enumerate(annotations):
        has_columns = "start_column" in note or "end_column" in note
        if has_columns and note["start_line"] != note["end_line"]:
            message = (
                f"Invalid request.\n\nFor 'output/annotations/{index}', start_column and "
                "end_column may only be given when start_line equals end_line."
            )
            return Refused(422, {"message": message})
    return None


def _apply(store: Store, run: dict[str, Any], body: dict[str, Any]) -> None:
    for key in ("name", "details_url", "external_id", "started_at", "completed_at"):
        if key in body:
            run[key] = body[key]
    if "status" in body:
        run["status"] = body["status"]
    if "conclusion" in body:
        run["conclusion"] = body["conclusion"]
        run["status"] = "completed"
    if run["status"] == "completed" and run["completed_at"] is None:
        run["completed_at"] = now()
    output = body.get("output")
    if output is not None:
        for key in ("title", "summary", "text"):
            if key in output:
                run["output"][key] = output[key]
        notes = store.annotations.setdefault(run["id"], [])
        notes.extend(output.get("annotations", []))
        run["output"]["annotations_count"] = len(notes)


def _app(store: Store) -> dict[str, Any]:
    """The App a check run belongs to: the installation token's (GITHUB_TOKEN: GitHub
    Actions; another App's token: that App, whose bot is `<slug>[bot]`)."""
    if store.installation == ACTIONS_BOT:
        return dict(ACTIONS_APP)
    slug = store.installation.login.removesuffix("[bot]")
    return {"id": store.installation.id, "slug": slug, "name": slug}


def create(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    if not SHA.fullmatch(body["head_sha"]):
        raise no_commit(body["head_sha"])
    output = body.get("output", {})
    problem = _bytesize_problem(output) or _columns_problem(output.get("annotations", []))
    if problem is not None:
        raise problem
    run_id = store.new_id("check")
    url = f"{store.repo_api()}/check-runs/{run_id}"
    html_url = f"{store.repo_web()}/runs/{run_id}"
    template = store.rebase(example("checks/create"))
    app = {**template["app"], **_app(store)}
    app["html_url"] = f"{store.web_url}/apps/{app['slug']}"
    run = {
        **template,
        "id": run_id,
        "node_id": f"CR_{run_id}",
        "head_sha": body["head_sha"],
        "name": body["name"],
        "external_id": "",
        "url": url,
        "html_url": html_url,
        "details_url": html_url,
        "status": "queued",
        "conclusion": None,
        "started_at": now(),
        "completed_at": None,
        "output": {"title": None, "summary": None, "text": None, "annotations_count": 0,
                   "annotations_url": f"{url}/annotations"},
        "check_suite": {"id": CHECK_SUITE_ID},
        "app": app,
        "pull_requests": [],
    }  # fmt: skip
    _apply(store, run, body)
    store.check_runs[run_id] = run
    return dict(run)


def update(store: Store, run_id: int, body: dict[str, Any]) -> dict[str, Any]:
    run = store.check_runs.get(run_id)
    if run is None:
        raise not_found()
    output = body.get("output", {})
    problem = _bytesize_problem(output) or _columns_problem(output.get("annotations", []))
    if problem is not None:
        raise problem
    _apply(store, run, body)
    return dict(run)


def for_ref(store: Store, ref: str, query: dict[str, object]) -> list[dict[str, Any]]:
    """The check runs `GET .../commits/{ref}/check-runs` lists, newest first."""
    if not SHA.fullmatch(ref):
        raise no_commit(ref)  # the fake knows no branches or tags, only commits
    runs = [r for r in store.check_runs.values() if r["head_sha"] == ref]
    if "check_name" in query:
        runs = [r for r in runs if r["name"] == query["check_name"]]
    if "status" in query:
        runs = [r for r in runs if r["status"] == query["status"]]
    if "app_id" in query:
        runs = [r for r in runs if r["app"]["id"] == query["app_id"]]
    runs.sort(key=lambda r: r["id"], reverse=True)
    if query.get("filter", "latest") == "latest":  # the most recent run of each name
        latest: dict[str, dict[str, Any]] = {}
        for run in runs:
            latest.setdefault(run["name"], run)
        runs = list(latest.values())
    return [dict(r) for r in runs]
