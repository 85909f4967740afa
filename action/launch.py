"""The action's check step: turn the action's inputs into `gatekeeper check` flags, run it.

action.yml hands every input over as an environment variable (``INPUT_CHECK_NAME`` for
``check-name``), never in the script's text, so no input can inject shell. This table is the
whole mapping, one input to one flag; tests/test_action.py holds it to action.yml, to
`gatekeeper check --help` and to the README. An empty input leaves the flag out, so the
CLI's own default applies. The token is no flag: it reaches gatekeeper as GITHUB_TOKEN.

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


class Kind(str, Enum):
    VALUE = "value"
    """One value: ``--flag=VALUE``."""
    LINES = "lines"
    """One value a line, blank lines skipped: the flag repeated."""
    SWITCH = "switch"
    """``true`` gives the bare flag, ``false`` leaves it out."""


@dataclass(frozen=True)
class Input:
    flag: str
    kind: Kind = Kind.VALUE


INPUTS: dict[str, Input] = {
    "matrix": Input("--matrix"),
    "root": Input("--root"),
    "phase": Input("--phase"),
    "format": Input("--format"),
    "output": Input("--output", Kind.LINES),
    "bundle": Input("--bundle", Kind.LINES),
    "fetch-bundles": Input("--fetch-bundles"),
    "dry-run": Input("--dry-run", Kind.SWITCH),
    "check-name": Input("--check-name"),
    "github-check": Input("--github-check"),
    "github-status": Input("--github-status"),
    "comment": Input("--comment"),
    "job-summary": Input("--job-summary"),
    "delete-failed-tag": Input("--delete-failed-tag", Kind.SWITCH),
}
"""Every input of action.yml but ``token``, and the `gatekeeper check` flag it sets."""


class InputError(Exception):
    """An input's value is not one the action understands."""


def env_name(name: str) -> str:
    """The environment variable action.yml passes input ``name`` in."""
    return "INPUT_" + name.upper().replace("-", "_")


def check_argv(env: Mapping[str, str]) -> list[str]:
    """The arguments of `gatekeeper check` that the inputs in ``env`` ask for."""
    argv: list[str] = []
    for name, spec in INPUTS.items():
        value = env.get(env_name(name), "").strip()
        if not value:
            continue
        if spec.kind is Kind.SWITCH:
            if value.lower() not in ("true", "false"):
                raise InputError(f"input {name}: expected true or false, got {value!r}")
            argv += [spec.flag] if value.lower() == "true" else []
        elif spec.kind is Kind.LINES:
            # The `=` form keeps a value that starts with '-' from reading as a flag.
            argv += [f"{spec.flag}={line.strip()}" for line in value.splitlines() if line.strip()]
        else:
            argv.append(f"{spec.flag}={value}")
    return argv


def main() -> int:
    try:
        argv = ["check", *check_argv(environ)]
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
