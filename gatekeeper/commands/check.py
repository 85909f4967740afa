"""`gatekeeper check`: read the evidence, evaluate the gates, report, exit."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gatekeeper import github
from gatekeeper.collect import collect, searched_from
from gatekeeper.commands import as_of, locate_matrix, phase_option, project_root, use_color
from gatekeeper.commands.options import CheckOptions
from gatekeeper.commands.pull_request import choose_policy, local_command
from gatekeeper.engine import evaluate
from gatekeeper.errors import ExitCode, UsageError
from gatekeeper.github.api import GitHubClient, open_client
from gatekeeper.matrix.load import read_matrix
from gatekeeper.records import record
from gatekeeper.reporters import REPORTERS, RenderOptions
from gatekeeper.reporters.common import phase_name
from gatekeeper.results import Report, exit_code
from gatekeeper.text import plain

if TYPE_CHECKING:
    from gatekeeper.baselines import BaselineEvidence
    from gatekeeper.changes import Changes
    from gatekeeper.evidence import ArtifactEvidence
    from gatekeeper.history.model import History, TagMark
    from gatekeeper.model import Matrix
    from gatekeeper.phases.tags import TagGate
    from gatekeeper.policy import Policy
    from gatekeeper.signoffs import SignoffEvidence


def _clock(options: CheckOptions) -> dt.datetime:
    """``--as-of``, or ``--today`` (its older spelling, a date only), else now."""
    if options.today is not None and options.as_of is not None:
        raise UsageError("--today and --as-of: give one (--today DATE is --as-of DATE)")
    if options.today is not None:
        try:
            dt.date.fromisoformat(options.today)
        except ValueError as exc:
            raise UsageError(f"--today {options.today!r}: expected YYYY-MM-DD") from exc
        return as_of(options.today, "--today")
    return as_of(options.as_of)


def _moment(report: Report) -> str | None:
    """The run's clock as ``--as-of`` takes it, to the second."""
    if report.as_of is None:
        return None
    return report.as_of.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _outputs(specs: Sequence[str]) -> list[tuple[str, Path]]:
    outputs = []
    for spec in specs:
        fmt, sep, path = spec.partition(":")
        if not sep or fmt not in REPORTERS or not path:
            known = ", ".join(REPORTERS)
            raise UsageError(f"--output {spec!r}: expected FORMAT:PATH with FORMAT one of {known}")
        outputs.append((fmt, Path(path)))
    return outputs


def _check_name(text: str) -> str:
    name = text.strip()
    if not name or not name.isprintable() or len(name) > 255:
        raise UsageError(f"--check-name {text!r}: expected a name of 1 to 255 printable characters")
    return name


def _report_to_github(
    opts: CheckOptions, check_name: str, report: Report, code: ExitCode,
    outputs: list[tuple[str, Path]], root: Path, client: GitHubClient,
    environ: Mapping[str, str],
) -> None:  # fmt: skip
    """Only in GitHub Actions, or to preview with --dry-run; never changes the exit code."""
    from gatekeeper.github.plans import GitHubOptions
    from gatekeeper.github.publish import CommentMode
    from gatekeeper.github.run import report_to_github

    options = GitHubOptions(
        check_name=check_name,
        check=opts.github_check == "on",
        status=opts.github_status == "on",
        comment=CommentMode(opts.comment),
        job_summary=opts.job_summary == "on",
        dry_run=opts.dry_run,
        json_report=next((p for fmt, p in reversed(outputs) if fmt == "json"), None),
        root=root,
    )
    sys.stdout.flush()  # the report first, then what comes after it
    report_to_github(
        report, int(code), options, environ, out=sys.stdout, err=sys.stderr, client=client
    )


@record
class _Judged:
    """What a run judges: the matrix, where its files are, the gate or rules, the run's
    GitHub client (one per run: its calls share a deadline)."""

    matrix: Matrix
    root: Path
    tagged: TagGate | None
    client: GitHubClient
    policy: Policy
    changes: Changes | None


def run_check(options: CheckOptions, environ: Mapping[str, str]) -> int:
    """What is judged -> its evidence -> the verdict -> the reports -> GitHub."""
    outputs = _outputs(options.output)  # bad usage is reported before any work
    check_name = _check_name(options.check_name)
    today = _clock(options)
    branch = _history_branch(options)
    shown = _history(options, outputs)
    judged = _what_is_judged(options, environ)
    found, bundled = _evidence(options, judged, environ)
    evidence = searched_from(found, judged.root)
    baseline = _baseline(options, judged)
    signoffs = _signoffs(options, judged, environ, bundled)
    report = evaluate(
        judged.matrix, evidence, today, judged.policy, judged.changes, baseline, signoffs
    )
    code = exit_code(report)
    in_github = github.applies(environ, options.dry_run)
    if branch is not None and in_github and _page_wanted(options, outputs):
        shown = _with_branch(shown, branch, judged.client)
    commit = judged.client.ctx.sha if in_github else None  # the run's context: no event re-read
    tags = _phase_tags(judged) if _page_wanted(options, outputs) else ()
    _write_reports(options, report, code, outputs, environ, shown, commit, tags)
    if judged.tagged is not None:
        _judged_a_tag(options, judged.tagged, report, code, judged.client)
    elif options.delete_failed_tag:
        print(
            "gatekeeper: --delete-failed-tag: no phase tag decided this gate (the run is not the "
            "push of a phase tag); nothing to delete",
            file=sys.stderr,
        )
    if judged.policy.pull_request and environ.get("GITHUB_ACTIONS") == "true":
        aged = any(b.freshness is not None for b in report.benchmarks)
        moment = _moment(report) if aged else None
        command = plain(local_command(options, judged.policy, moment))
        print(f"gatekeeper: the same verdict on your machine: {command}", file=sys.stderr)
    if in_github:
        root = judged.root.resolve()
        _report_to_github(options, check_name, report, code, outputs, root, judged.client, environ)
    if branch is not None:
        _record_history(options, branch, report, code, judged.client, in_github)
    return int(code)


def _history_branch(options: CheckOptions) -> str | None:
    if options.history_branch is None:
        return None
    from gatekeeper.github.history_run import branch_name

    return branch_name(options.history_branch)


def _page_wanted(options: CheckOptions, outputs: list[tuple[str, Path]]) -> bool:
    return options.format == "html" or any(fmt == "html" for fmt, _ in outputs)


def _phase_tags(judged: _Judged) -> tuple[TagMark, ...]:
    """The phase tags in the clone the root is in, for the page's timeline, with a history or
    without (none outside a clone: the timeline then comes from the history alone)."""
    from gatekeeper.commands.history import local_git, phase_tags

    return phase_tags(judged.matrix, local_git(judged.root)).marks


def _with_branch(shown: History | None, branch: str, client: GitHubClient) -> History:
    """The page's history with what ``branch`` holds (read through the API)."""
    from gatekeeper.github.history_run import read_branch
    from gatekeeper.history.model import combine

    kept = read_branch(client, branch, client.ctx, sys.stderr)
    return kept if shown is None else combine([shown, kept])


def _record_history(
    options: CheckOptions, branch: str, report: Report, code: ExitCode, client: GitHubClient,
    in_github: bool,
) -> None:  # fmt: skip
    """This evaluation added to the history on ``branch``: only on a push to the default
    branch, in GitHub; never changes the exit code."""
    if not in_github:
        print(f"gatekeeper: --history-branch {branch}: the history is read and written only in "
              "GitHub Actions (or previewed by --dry-run with GITHUB_REPOSITORY set); for a "
              "page here, fetch the branch and give --history", file=sys.stderr)  # fmt: skip
        return
    from gatekeeper.github.history_run import record

    sys.stdout.flush()
    record(report, int(code), client.ctx, client, branch, dry_run=options.dry_run, err=sys.stderr)


def _what_is_judged(options: CheckOptions, environ: Mapping[str, str]) -> _Judged:
    """The matrix, its root, the phase tag whose push started the run, and the gate or the
    pull request rules that apply."""
    path = locate_matrix(options.matrix)
    matrix = read_matrix(path, str(path))
    if options.phase is not None:
        phase_option(matrix, "--phase", options.phase)
    tagged = None
    if options.phase_from_tag is not None or environ.get("GITHUB_EVENT_NAME") == "push":
        from gatekeeper.phases.tags import tag_gate  # tag_gate's None otherwise: skip the import

        tagged = tag_gate(matrix, options.phase, options.phase_from_tag, environ)
    root = project_root(path, options.root)
    if options.fetch_bundles is not None and options.bundle:
        raise UsageError("--fetch-bundles and --bundle: give one or the other")
    # no call is made, and PyGithub is not imported, unless something needs GitHub
    client = open_client(environ)
    policy, changes = choose_policy(options, matrix, root.resolve(), tagged, environ, client)
    return _Judged(matrix, root, tagged, client, policy, changes)


def _evidence(
    options: CheckOptions, judged: _Judged, environ: Mapping[str, str]
) -> tuple[dict[str, ArtifactEvidence], SignoffEvidence | None]:
    """The files under the root, or the bundles given, or those the commit's runs uploaded;
    with bundles, the sign-off evidence they carry too."""
    if options.fetch_bundles is not None:
        from gatekeeper.github.bundles import fetched

        accepted = fetched(
            judged.matrix, options.fetch_bundles, options.sha, environ, judged.client
        )
        return accepted.artifacts, accepted.signoffs
    if options.bundle:  # the evidence a gate job was handed; the files were read elsewhere
        from gatekeeper.bundles.accept import accept_bundles
        from gatekeeper.github.context import judged_commit

        sha, how = judged_commit(options.sha, environ)
        in_actions = environ.get("GITHUB_ACTIONS") == "true"
        accepted = accept_bundles(
            judged.matrix, options.bundle, sha, how, commit_required=in_actions
        )
        return accepted.artifacts, accepted.signoffs
    return collect(judged.matrix, judged.root.resolve()), None


def _signoffs(
    options: CheckOptions, judged: _Judged, environ: Mapping[str, str],
    bundled: SignoffEvidence | None,
) -> SignoffEvidence | None:  # fmt: skip
    """What the sign-offs are judged on: the bundles' facts (what CI's collect asked), else
    the GitHub API asked now, else nothing, saying how to get CI's verdict. None when the
    matrix has none. Facts a bundle holds are asked again where the API can be (a token and
    a repository): a bundle may come from a pull request's own workflow run, which can write
    any approval into it; they stand in only where it cannot (a laptop judging CI's bundle).
    Bundles that hold none leave the sign-offs unverified, as judging bundles does."""
    if not judged.matrix.signoffs:
        return None
    if bundled is not None and not (bundled.source == "bundle" and judged.client.usable):
        return bundled
    from gatekeeper.github.signoffs import fetch_signoffs

    return fetch_signoffs(judged.matrix, judged.client, options.sha, environ)


def _baseline(options: CheckOptions, judged: _Judged) -> BaselineEvidence | None:
    """The evidence baselines without ``from`` compare with: the bundles given to
    ``--baseline``, else the pinned run's, the merge base's (fetched on a pull request) or the
    pushed commit's parent's (on a push); else none, saying why. None when no benchmark needs it."""
    from gatekeeper.baselines import no_baseline

    matrix = judged.matrix
    if not matrix.wants_baseline_evidence:
        if options.baseline:
            raise UsageError(
                f"--baseline: no benchmark of {matrix.path} compares with the baseline evidence "
                "(a baseline without `from`)"
            )
        return None
    if options.baseline:
        from gatekeeper.bundles.accept import given_baseline

        return given_baseline(matrix, options.baseline)
    pushed = judged.client.ctx.event_name == "push"
    if not (judged.policy.pull_request or pushed or matrix.baselines.pin is not None):
        return no_baseline(
            "neither a pull request nor a push, and no --baseline BUNDLE given (the "
            "baseline is fetched for a pull request's merge base, or a pushed commit's parent)"
        )
    if not judged.client.usable:
        return no_baseline(
            "the baseline bundle is fetched through the GitHub API, but GITHUB_REPOSITORY or "
            "GITHUB_TOKEN is not set; give --baseline BUNDLE"
        )
    from gatekeeper.github.baseline import merge_base_evidence
    from gatekeeper.github.bundles import DEFAULT_GLOB

    return merge_base_evidence(matrix, judged.client, options.fetch_bundles or DEFAULT_GLOB)


def _history(options: CheckOptions, outputs: list[tuple[str, Path]]) -> History | None:
    """The history the HTML page shows (``--history``); None when no page is asked for."""
    if not options.history:
        return None
    if not _page_wanted(options, outputs):
        print("gatekeeper: --history is shown on the HTML report only (--output html:PATH)",
              file=sys.stderr)  # fmt: skip
        return None
    from gatekeeper.history.model import read_paths
    from gatekeeper.reporters.trends import MAX_POINTS

    paths = [Path(p) for p in options.history]
    for path in paths:
        if not path.exists():
            raise UsageError(f"--history {path}: no such file or folder")
    try:
        history = read_paths(paths, keep=MAX_POINTS)  # the page's, not the whole history
    except OSError as exc:
        raise UsageError(f"--history {exc.filename}: cannot read: {exc.strerror or exc}") from exc
    if not history.evaluations:
        print(f"gatekeeper: --history: no evaluations in {', '.join(map(str, paths))}",
              file=sys.stderr)  # fmt: skip
    for problem in history.problems[:SHOWN_PROBLEMS]:
        print(f"gatekeeper: history line left out: {plain(str(problem))}", file=sys.stderr)
    if history.problem_count > SHOWN_PROBLEMS:
        print(f"gatekeeper: … and {history.problem_count - SHOWN_PROBLEMS} more history lines "
              "left out", file=sys.stderr)  # fmt: skip
    return history


SHOWN_PROBLEMS = 5
"""History lines left out that a run names (the HTML page says how many in all)."""


def _write_reports(
    options: CheckOptions, report: Report, code: ExitCode, outputs: list[tuple[str, Path]],
    environ: Mapping[str, str], history: History | None = None, commit: str | None = None,
    tags: tuple[TagMark, ...] = (),
) -> None:  # fmt: skip
    """Every ``--output`` file, then the ``--format`` report on standard output."""
    shown = RenderOptions(exit_code=int(code), history=history, commit=commit, tags=tags)
    for fmt, target in outputs:
        text = REPORTERS[fmt](report, shown)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # a lone surrogate from an artifact's bytes is written as \udcxx, not a crash
            target.write_text(text, encoding="utf-8", errors="backslashreplace")
        except OSError as exc:
            raise UsageError(f"--output {target}: cannot write: {exc.strerror or exc}") from exc
    if options.format != "none":
        color = use_color(environ, options.color)
        rendering = RenderOptions(int(code), color=color, history=history, commit=commit, tags=tags)
        sys.stdout.write(REPORTERS[options.format](report, rendering))


def _judged_a_tag(
    options: CheckOptions, tagged: TagGate, report: Report, code: ExitCode, client: GitHubClient
) -> None:
    """The tag's name beside the report, in the log of the push that made it; and the tag
    deleted when its gate failed and ``--delete-failed-tag`` says so."""
    from gatekeeper.phases.tags import tag_verdict

    name = phase_name(report, tagged.phase)
    print(f"gatekeeper: {tag_verdict(tagged, name, report.passed, int(code))}", file=sys.stderr)
    if options.delete_failed_tag:
        from gatekeeper.github.tagcleanup import delete_failed_tag

        delete_failed_tag(tagged, int(code), client, options.dry_run, sys.stderr)
