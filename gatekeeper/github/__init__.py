"""GitHub: reporting (check runs, commit statuses, the sticky PR comment, Actions files), and
every call gatekeeper makes to the GitHub API (pull request facts, phase tags, bundles).

Layout, from pure to I/O:

- ``context``: the run's GitHub context from the environment and the event payload (the one
  place ``GITHUB_*`` is read for the API);
- ``fit``, ``payloads``, ``annotate``, ``comment``, ``plans``: what would be posted, as plain data
  (pure: tested on exact output);
- ``retry``: when a failed call is worth repeating, and how long to wait first;
- ``api``: the only module that talks HTTP: one client per command run (PyGithub, imported
  only when a call is made; requests for the artifact download);
- ``pulls``: what a pull request declares (event facts; labels and files through ``api``);
- ``tags``: phase tags on GitHub, ``phases.store.PhaseTagStore`` through ``api``;
- ``tagcleanup``: ``check --delete-failed-tag``, through ``tags``;
- ``publish``: orchestration against the client's Protocol, idempotent, never raises;
- ``actions_io``: ``$GITHUB_STEP_SUMMARY``, ``$GITHUB_OUTPUT`` and workflow commands;
- ``sources``: finds failing tests' files in the workspace for annotations;
- ``run``: the one entry point ``gatekeeper check`` calls;
- ``bundles``: ``check --fetch-bundles``, the bundles a commit's workflow runs uploaded;
- ``history``: the evaluation history, JSON Lines files on a branch of the repository written
  (concurrent writers losing nothing) and read through the git database API; ``historyfile``:
  what such a file holds and may become (pure).

Layer: github, the edge. May import every layer but ``commands`` and ``cli``.
"""

from __future__ import annotations

from collections.abc import Mapping


def applies(environ: Mapping[str, str], dry_run: bool) -> bool:
    """Whether ``check`` reports to GitHub at all: in GitHub Actions, or on a --dry-run that
    names a repository (GITHUB_REPOSITORY), to preview what an event would post."""
    if environ.get("GITHUB_ACTIONS") == "true":
        return True
    return dry_run and bool(environ.get("GITHUB_REPOSITORY"))
