"""`gatekeeper check`: read the evidence, evaluate the gates, report, exit."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from gatekeeper import github
from gatekeeper.collect import collect, searched_from
from gatekeeper.commands import locate_matrix, phase_option, project_root
from gatekeeper.commands.pull_request import choose_policy, local_command
from gatekeeper.engine import evaluate
from gatekeeper.errors import ExitCode, UsageError
from gatekeeper.github.api import GitHubClient, open_client
from gatekeeper.matrix.load import read_matrix
from gatekeeper.reporters import REPORTERS, RenderOptions
from gatekeeper.reporters.common import phase_name
from gatekeeper.results import Report, exit_code
from gatekeeper.text import plain


def _today(text: str | None) -> dt.date:
    if text is None:
        return dt.datetime.now(dt.timezone.utc).date()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"--today {text!r}: expected YYYY-MM-DD") from exc


def _outputs(specs: list[str]) -> list[tuple[str, Path]]:
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
    args: argparse.Namespace, check_name: str, report: Report, code: ExitCode,
    outputs: list[tuple[str, Path]], root: Path, client: GitHubClient,
) -> None:  # fmt: skip
    """Only in GitHub Actions, or to preview with --dry-run; never changes the exit code."""
    from gatekeeper.github.plans import GitHubOptions
    from gatekeeper.github.publish import CommentMode
    from gatekeeper.github.run import report_to_github

    options = GitHubOptions(
        check_name=check_name,
        check=args.github_check == "on",
        status=args.github_status == "on",
        comment=CommentMode(args.comment),
        job_summary=args.job_summary == "on",
        dry_run=args.dry_run,
        json_report=next((p for fmt, p in reversed(outputs) if fmt == "json"), None),
        root=root,
    )
    sys.stdout.flush()  # the report first, then what comes after it
    report_to_github(
        report, int(code), options, os.environ, out=sys.stdout, err=sys.stderr, client=client
    )


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def run_check(args: argparse.Namespace) -> int:
    outputs = _outputs(args.output)  # bad usage is reported before any work
    check_name = _check_name(args.check_name)
    today = _today(args.today)
    path = locate_matrix(args.matrix)
    matrix = read_matrix(path, str(path))
    if args.phase is not None:
        phase_option(matrix, "--phase", args.phase)
    tagged = None
    if args.phase_from_tag is not None or os.environ.get("GITHUB_EVENT_NAME") == "push":
        from gatekeeper.phases.tags import tag_gate  # tag_gate's None otherwise: skip the import

        tagged = tag_gate(matrix, args.phase, args.phase_from_tag, os.environ)
    root = project_root(path, args.root)
    if args.fetch_bundles is not None and args.bundle:
        raise UsageError("--fetch-bundles and --bundle: give one or the other")
    # one client for every GitHub call of the run: they share its deadline (no call is made,
    # and PyGithub is not imported, unless something needs GitHub)
    client = open_client(os.environ)
    policy, changes = choose_policy(args, matrix, root.resolve(), tagged, os.environ, client)
    if args.fetch_bundles is not None:  # the bundles the commit's workflow runs uploaded
        from gatekeeper.github.bundles import fetched_evidence

        evidence = fetched_evidence(matrix, args.fetch_bundles, args.sha, os.environ, client)
    elif args.bundle:  # the evidence a gate job was handed; the files were read elsewhere
        from gatekeeper.bundles.accept import bundle_evidence
        from gatekeeper.github.context import judged_commit

        sha, how = judged_commit(args.sha, os.environ)
        in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
        evidence = bundle_evidence(matrix, args.bundle, sha, how, commit_required=in_actions)
    else:
        evidence = collect(matrix, root.resolve())
    evidence = searched_from(evidence, root)
    report = evaluate(matrix, evidence, today, policy, changes)
    code = exit_code(report)
    for fmt, target in outputs:
        text = REPORTERS[fmt](report, RenderOptions(exit_code=int(code)))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # a lone surrogate from an artifact's bytes is written as \udcxx, not a crash
            target.write_text(text, encoding="utf-8", errors="backslashreplace")
        except OSError as exc:
            raise UsageError(f"--output {target}: cannot write: {exc.strerror or exc}") from exc
    if args.format != "none":
        options = RenderOptions(exit_code=int(code), color=_use_color(args.color))
        sys.stdout.write(REPORTERS[args.format](report, options))
    if tagged:  # the tag's name, beside the report, in the log of the push that made it
        from gatekeeper.phases.tags import tag_verdict

        name = phase_name(report, tagged.phase)
        print(f"gatekeeper: {tag_verdict(tagged, name, report.passed, int(code))}", file=sys.stderr)
        if args.delete_failed_tag:
            from gatekeeper.github.tagcleanup import delete_failed_tag

            delete_failed_tag(tagged, int(code), client, args.dry_run, sys.stderr)
    elif args.delete_failed_tag:
        print(
            "gatekeeper: --delete-failed-tag: no phase tag decided this gate (the run is not the "
            "push of a phase tag); nothing to delete",
            file=sys.stderr,
        )
    if policy.pull_request and os.environ.get("GITHUB_ACTIONS") == "true":
        command = plain(local_command(args, policy))
        print(f"gatekeeper: the same verdict on your machine: {command}", file=sys.stderr)
    if github.applies(os.environ, args.dry_run):
        _report_to_github(args, check_name, report, code, outputs, root.resolve(), client)
    return int(code)
