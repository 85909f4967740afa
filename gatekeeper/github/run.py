"""Everything GitHub that ``gatekeeper check`` does once the verdict is known. Never raises:
whatever happens here, the exit code is the gate's.

Order matters: the job summary and step outputs are written before anything is posted,
so a verdict is on the page even when the API hangs or fails; --dry-run writes them too and
only previews what it would post.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from gatekeeper.github import actions_io
from gatekeeper.github.api import GitHubClient
from gatekeeper.github.context import GitHubContext
from gatekeeper.github.fit import Kind, Part, split_report
from gatekeeper.github.plans import GitHubOptions, Plans, make_plans, preview
from gatekeeper.github.publish import CommentMode, GitHubAPI, PublishResult, publish
from gatekeeper.github.retry import RetryPolicy
from gatekeeper.reporters import REPORTERS, RenderOptions
from gatekeeper.reporters.common import verdict
from gatekeeper.reporters.markdown import escape
from gatekeeper.results import Report
from gatekeeper.text import plain

ApiFactory = Callable[[GitHubContext, RetryPolicy], GitHubAPI]
REPORT_FILE = "gatekeeper-report.json"
FORK_NOTE = (
    "> [!NOTE]",
    "> **Nothing was posted to the pull request.** It comes from a fork, so GitHub gives "
    "this run a read-only token: gatekeeper wrote this summary and its step outputs only. "
    "To get the check run and the comment on fork pull requests, use the two-stage recipe: "
    "this workflow uploads its reports as an artifact, and a second workflow, started by "
    "`workflow_run` when this one completes, downloads them and runs gatekeeper with a token "
    "that can write (`examples/workflows/` has both, ready to copy).",
    "",
)
FORK_LINE = (
    "gatekeeper: nothing posted: a pull request from a fork gets a read-only token "
    "(the job summary explains the two-stage workflow_run recipe)\n"
)
_SUMMARY_ELSEWHERE = "The full report is in the JSON report (the `report` output)."


def report_to_github(
    report: Report,
    exit_code: int,
    options: GitHubOptions,
    environ: Mapping[str, str],
    *,
    out: TextIO,
    err: TextIO,
    api_factory: ApiFactory | None = None,
    now: dt.datetime | None = None,
    client: GitHubClient | None = None,
) -> PublishResult | None:
    """``client``: the run's GitHub client (its deadline is the run's); else one is made."""
    actions = environ.get("GITHUB_ACTIONS") == "true"
    try:
        ctx = GitHubContext.from_env(environ)
        when = now or dt.datetime.now(dt.timezone.utc)
        if api_factory is None:
            made = client or GitHubClient(ctx, RetryPolicy.from_env(environ))
            api_factory = lambda _ctx, _policy: made  # noqa: E731 - the run's own client
        return _report(report, exit_code, options, ctx, environ, out, err, api_factory, when)
    except Exception as exc:  # a bug here must not cost the verdict
        _warn(err, actions, f"could not report to GitHub: internal error ({type(exc).__name__}: "
              f"{exc}); the gate's verdict and exit code stand")  # fmt: skip
        return None


def _report(
    report: Report,
    exit_code: int,
    options: GitHubOptions,
    ctx: GitHubContext,
    environ: Mapping[str, str],
    out: TextIO,
    err: TextIO,
    api_factory: ApiFactory | None,
    now: dt.datetime,
) -> PublishResult | None:
    markdown = REPORTERS["markdown"](report, RenderOptions(exit_code=exit_code))
    if ctx.token:
        err.write(actions_io.mask(ctx.token))
    for problem in ctx.problems:
        _warn(err, ctx.actions, f"GitHub context: {problem}")
    if options.job_summary and ctx.step_summary is not None:
        parts = split_report(markdown)
        if ctx.read_only:
            parts.insert(0, Part(Kind.FIXED, FORK_NOTE))
        _write(err, ctx, "job summary", lambda: _summary(ctx.step_summary, parts))
    if ctx.output is not None:
        _write(err, ctx, "step outputs", lambda: _outputs(report, exit_code, options, ctx))
    if options.dry_run:  # the summary and outputs are the run's own files, not the API's
        plans = make_plans(report, exit_code, markdown, ctx, options, now)
        out.write(preview(plans, ctx, options))
        return None
    wanted = options.check or options.status or options.comment is not CommentMode.OFF
    if ctx.read_only:
        err.write(FORK_LINE)
        return PublishResult(skipped=("everything: read-only token of a fork pull request",))
    if not wanted:
        return None
    if not ctx.token or not ctx.repository:
        missing = "GITHUB_TOKEN" if not ctx.token else "GITHUB_REPOSITORY"
        _warn(err, ctx.actions, f"nothing posted to GitHub: {missing} is not set")
        return PublishResult(failed=(f"everything: {missing} is not set",))
    plans = make_plans(report, exit_code, markdown, ctx, options, now)
    result = _publish(plans, ctx, environ, api_factory)
    for line in result.posted + result.skipped:
        err.write(f"gatekeeper: {plain(line)}\n")
    for line in result.failed:
        _warn(err, ctx.actions, f"could not post the {line}")
    if result.failed and options.job_summary and ctx.step_summary is not None:
        lines = ("### ⚠️ Not posted to GitHub", "", *(f"- {escape(f)}" for f in result.failed), "")
        summary = ctx.step_summary
        _write(err, ctx, "job summary", lambda: _summary(summary, [Part(Kind.FIXED, lines)]))
    return result


def _publish(
    plans: Plans, ctx: GitHubContext, environ: Mapping[str, str], api_factory: ApiFactory | None
) -> PublishResult:
    assert api_factory is not None  # set by report_to_github
    api = api_factory(ctx, RetryPolicy.from_env(environ))
    result = publish(
        api, sha=ctx.sha, check_run=plans.check_run, status=plans.status, comment=plans.comment
    )
    return PublishResult(result.posted, plans.skipped + result.skipped, result.failed)


def _summary(path: Path | None, parts: list[Part]) -> None:
    if path is not None:
        actions_io.append_summary(path, parts, elsewhere=_SUMMARY_ELSEWHERE)


def _outputs(report: Report, exit_code: int, options: GitHubOptions, ctx: GitHubContext) -> None:
    assert ctx.output is not None
    path = options.json_report
    if path is None:
        folder = ctx.runner_temp or Path(tempfile.gettempdir())
        path = folder / REPORT_FILE
        text = REPORTERS["json"](report, RenderOptions(exit_code))
        path.write_text(text, encoding="utf-8", errors="backslashreplace")
    values = {
        "verdict": verdict(report, exit_code),
        "stands-at": report.stands_at or "",
        "enforced-phase": report.enforced or "",
        "report": str(path.resolve()),
    }
    actions_io.write_outputs(ctx.output, values)


def _write(err: TextIO, ctx: GitHubContext, what: str, action: Callable[[], None]) -> None:
    try:
        action()
    except OSError as exc:
        _warn(err, ctx.actions, f"could not write the {what}: {exc.strerror or exc}")


def _warn(err: TextIO, actions: bool, message: str) -> None:
    if actions:
        err.write(actions_io.warning(plain(message), title="gatekeeper"))
    else:
        err.write(f"gatekeeper: {plain(message)}\n")
