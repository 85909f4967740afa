"""What a run would post, decided once for both posting and ``--dry-run``'s preview."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gatekeeper.github import annotate, payloads
from gatekeeper.github.context import GitHubContext
from gatekeeper.github.publish import EXTERNAL_ID_PREFIX, CommentMode, CommentPlan, comment_plan
from gatekeeper.github.sources import SourceLocator
from gatekeeper.results import Report


@dataclass(frozen=True)
class GitHubOptions:
    """The ``check`` flags that concern GitHub."""

    check_name: str = "gatekeeper"
    check: bool = True
    status: bool = False
    comment: CommentMode = CommentMode.ALWAYS
    job_summary: bool = True
    dry_run: bool = False
    json_report: Path | None = None
    """The --output json:PATH, when given: the `report` output names it."""
    root: Path = Path()
    """The folder artifact globs are relative to (failing tests' files are looked for there)."""


@dataclass(frozen=True)
class Plans:
    check_run: payloads.CheckRunPlan | None
    status: dict[str, Any] | None
    comment: CommentPlan | None
    skipped: tuple[str, ...]
    """What the options ask for but this event has no place for."""


def make_plans(
    report: Report,
    exit_code: int,
    markdown: str,
    ctx: GitHubContext,
    options: GitHubOptions,
    now: dt.datetime,
) -> Plans:
    check_run = status = comment = None
    skipped: list[str] = []
    if options.check and ctx.sha is not None:
        workspace = ctx.workspace or Path.cwd()
        found = annotate.build(
            report,
            matrix_path=_relative(Path(report.matrix.path), workspace),
            locate=SourceLocator(workspace, [options.root]),
        )
        check_run = payloads.check_run(
            report, exit_code, markdown, found,
            name=options.check_name, sha=ctx.sha, external_id=external_id(ctx),
            details_url=ctx.run_url, completed_at=now,
        )  # fmt: skip
    if options.status:
        status = payloads.status(
            report, exit_code, context=options.check_name, target_url=ctx.run_url
        )
    if options.comment is not CommentMode.OFF:
        if ctx.pull_request is None:
            event = ctx.event_name or "no event"
            skipped.append(f"PR comment: this run is not about a pull request ({event})")
        else:
            comment = comment_plan(
                report, exit_code, markdown,
                mode=options.comment, number=ctx.pull_request, check_name=options.check_name,
            )  # fmt: skip
    return Plans(check_run, status, comment, tuple(skipped))


def external_id(ctx: GitHubContext) -> str:
    """Names the workflow run and attempt that made a check run (see ``publish``)."""
    return f"{EXTERNAL_ID_PREFIX}{ctx.run_id or 'local'}:{ctx.run_attempt or '1'}"


def _relative(path: Path, workspace: Path) -> str | None:
    try:
        return path.resolve().relative_to(workspace.resolve()).as_posix()
    except ValueError:  # a matrix outside the repository cannot be annotated
        return None


def preview(plans: Plans, ctx: GitHubContext, options: GitHubOptions) -> str:
    """What ``--dry-run`` prints after the report: every request body, nothing sent."""
    repo = f"{ctx.api_url}/repos/{ctx.repository or '{owner}/{repo}'}"
    lines = ["", "--- GitHub: what would be posted (--dry-run: nothing was) ---"]
    if ctx.read_only:
        lines.append(
            "nothing: a pull request from a fork runs with a read-only token (the job summary "
            "would explain the two-stage workflow_run recipe)"
        )
        return "\n".join(lines) + "\n"
    if ctx.actions and not ctx.token:
        lines.append("nothing: GITHUB_TOKEN is not set; with it, this:")
    if plans.check_run is not None:
        lines += [
            f"check run: POST {repo}/check-runs "
            "(or PATCH of the check run gatekeeper already made for this commit)",
            _json(plans.check_run.create),
        ]
        for n, body in enumerate(plans.check_run.more, start=2):
            lines += [
                f"check run, annotations batch {n}: PATCH {repo}/check-runs/{{check_run_id}}",
                _json(body),
            ]
    elif options.check:
        lines.append("check run: none (no commit to report on)")
    if plans.status is not None:
        lines += [f"commit status: POST {repo}/statuses/{ctx.sha or '{sha}'}", _json(plans.status)]
    if plans.comment is not None:
        number = plans.comment.number
        lines += [
            f"PR comment (--comment {options.comment.value}): POST {repo}/issues/{number}/comments "
            "(or PATCH of gatekeeper's comment there, which adds what changed since it)",
            plans.comment.render(None).rstrip("\n"),
        ]
    lines += [f"not posted: {reason}" for reason in plans.skipped]
    return "\n".join(lines) + "\n"


_LOG_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _json(body: dict[str, Any]) -> str:
    """Readable (emoji stay), yet inert in a terminal and a CI log: what JSON would let
    through that reorders text or starts a workflow command is written as a \\u escape."""
    text = json.dumps(body, indent=2, ensure_ascii=False)
    text = _LOG_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text.replace("##[", "##\\u005b")
