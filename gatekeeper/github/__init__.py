"""Reporting to GitHub: check runs, commit statuses, the sticky PR comment, Actions files.

Layout, from pure to I/O:

- ``context``: the run's GitHub context from the environment and the event payload;
- ``fit``, ``payloads``, ``annotate``, ``comment``, ``plans``: what would be posted, as plain data
  (pure: tested on exact output);
- ``retry``: when a failed call is worth repeating, and how long to wait first;
- ``client``: the only module that talks HTTP (PyGithub, imported only when posting);
- ``publish``: orchestration against the client's Protocol, idempotent, never raises;
- ``actions_io``: ``$GITHUB_STEP_SUMMARY``, ``$GITHUB_OUTPUT`` and workflow commands;
- ``sources``: finds failing tests' files in the workspace for annotations;
- ``run``: the one entry point ``gatekeeper check`` calls.
"""

from __future__ import annotations

from collections.abc import Mapping


def applies(environ: Mapping[str, str], dry_run: bool) -> bool:
    """Whether ``check`` reports to GitHub at all: in GitHub Actions, or on a --dry-run that
    names a repository (GITHUB_REPOSITORY), to preview what an event would post."""
    if environ.get("GITHUB_ACTIONS") == "true":
        return True
    return dry_run and bool(environ.get("GITHUB_REPOSITORY"))
