"""The action's one gatekeeper step: turn the action's inputs into a gatekeeper command, run it.

action.yml hands every input over as an environment variable (``INPUT_CHECK_NAME`` for
``check-name``), never in the script's text, so no input can inject shell. The ``command``
input (``check`` when empty) picks the command; its table below is the whole mapping, one
input to one flag (or to the command's positional argument); tests/test_action.py holds the
tables to action.yml, to each command's ``--help`` and to the README. An empty input leaves
its flag out, so the CLI's own default applies; that is why action.yml gives every input
but ``command`` and ``token`` the default ``""``. An input that the chosen command does not
take is refused (exit 2) rather than silently ignored. The token is no flag: it reaches
gatekeeper as GITHUB_TOKEN; nor is ``signoff-token``, which reaches it as
GATEKEEPER_SIGNOFF_TOKEN.

Run by the environment install.py made:

    $PYTHON action/launch.py
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from os import environ

EXIT_USAGE = 2
"""gatekeeper's exit code for a wrong command line."""
DEFAULT_COMMAND = "check"
"""The command when the ``command`` input is empty."""
NOT_FLAGS = ("command", "token", "signoff-token")
"""The inputs that are no flag of any command: the command's name, and the tokens (the
sign-off token reaches gatekeeper as GATEKEEPER_SIGNOFF_TOKEN)."""


class Kind(str, Enum):
    VALUE = "value"
    """One value: ``--flag=VALUE``."""
    LINES = "lines"
    """One value a line, blank lines skipped: the flag repeated."""
    SWITCH = "switch"
    """``true`` gives the bare flag, ``false`` leaves it out."""
    POSITIONAL = "positional"
    """The command's positional argument, given after ``--``."""


@dataclass(frozen=True)
class Input:
    flag: str
    """The flag (``--matrix``), or the positional argument's name in ``--help`` (``PHASE``)."""
    kind: Kind = Kind.VALUE


CHECK: dict[str, Input] = {
    "matrix": Input("--matrix"),
    "root": Input("--root"),
    "phase": Input("--phase"),
    "phase-from-tag": Input("--phase-from-tag"),
    "current": Input("--current"),
    "format": Input("--format"),
    "output": Input("--output", Kind.LINES),
    "bundle": Input("--bundle", Kind.LINES),
    "fetch-bundles": Input("--fetch-bundles"),
    "baseline": Input("--baseline", Kind.LINES),
    "sha": Input("--sha"),
    "dry-run": Input("--dry-run", Kind.SWITCH),
    "pull-request": Input("--pull-request", Kind.SWITCH),
    "label": Input("--label", Kind.LINES),
    "branch": Input("--branch"),
    "changed-files": Input("--changed-files"),
    "check-name": Input("--check-name"),
    "github-check": Input("--github-check"),
    "github-status": Input("--github-status"),
    "comment": Input("--comment"),
    "job-summary": Input("--job-summary"),
    "delete-failed-tag": Input("--delete-failed-tag", Kind.SWITCH),
    "history": Input("--history", Kind.LINES),
    "history-branch": Input("--history-branch"),
    "as-of": Input("--as-of"),
    "today": Input("--today"),
    "color": Input("--color"),
}
"""The inputs `gatekeeper check` takes, and the flag each sets."""

PROMOTE: dict[str, Input] = {
    "matrix": Input("--matrix"),
    "root": Input("--root"),
    "phase": Input("PHASE", Kind.POSITIONAL),
    "dry-run": Input("--dry-run", Kind.SWITCH),
    "message": Input("--message"),
    "as-of": Input("--as-of"),
}
"""The inputs `gatekeeper promote` takes, and the flag (or argument) each sets."""

COMMANDS: dict[str, dict[str, Input]] = {"check": CHECK, "promote": PROMOTE}
"""What the ``command`` input may name, and that command's inputs."""

INPUTS: tuple[str, ...] = tuple(dict.fromkeys(name for t in COMMANDS.values() for name in t))
"""Every input of action.yml but those of NOT_FLAGS."""


class InputError(Exception):
    """An input's value is not one the action understands."""


def env_name(name: str) -> str:
    """The environment variable action.yml passes input ``name`` in."""
    return "INPUT_" + name.upper().replace("-", "_")


def _value(env: Mapping[str, str], name: str) -> str:
    return env.get(env_name(name), "").strip()


def command_of(env: Mapping[str, str]) -> str:
    """The command the ``command`` input names (``check`` when it is empty)."""
    command = _value(env, "command") or DEFAULT_COMMAND
    if command not in COMMANDS:
        raise InputError(f"input command: expected {' or '.join(COMMANDS)}, got {command!r}")
    return command


def arguments(command: str, env: Mapping[str, str]) -> list[str]:
    """The arguments of `gatekeeper COMMAND` that the inputs in ``env`` ask for."""
    table = COMMANDS[command]
    foreign = [name for name in INPUTS if name not in table and _value(env, name)]
    if foreign:
        raise InputError(
            f"input {', '.join(foreign)}: `gatekeeper {command}` takes no such input "
            f"(its inputs: {', '.join(table)}); leave it out, or set the command input"
        )
    argv: list[str] = []
    positional: list[str] = []
    for name, spec in table.items():
        value = _value(env, name)
        if not value:
            continue
        if spec.kind is Kind.SWITCH:
            if value.lower() not in ("true", "false"):
                raise InputError(f"input {name}: expected true or false, got {value!r}")
            argv += [spec.flag] if value.lower() == "true" else []
        elif spec.kind is Kind.LINES:
            # The `=` form keeps a value that starts with '-' from reading as a flag.
            argv += [f"{spec.flag}={line.strip()}" for line in value.splitlines() if line.strip()]
        elif spec.kind is Kind.POSITIONAL:
            positional.append(value)
        else:
            argv.append(f"{spec.flag}={value}")
    # After `--` a positional argument that starts with '-' is still read as one.
    return [*argv, "--", *positional] if positional else argv


def main() -> int:
    try:
        command = command_of(environ)
        argv = [command, *arguments(command, environ)]
    except InputError as exc:
        print(f"gatekeeper action: {exc}", file=sys.stderr)
        return EXIT_USAGE
    # One line whatever the inputs hold: a line break could start a workflow command.
    shown = shlex.join(argv).replace("\r", "\\r").replace("\n", "\\n")
    print(f"gatekeeper {shown}", file=sys.stderr, flush=True)
    from gatekeeper.cli import main as gatekeeper

    return gatekeeper(argv)


if __name__ == "__main__":
    raise SystemExit(main())
