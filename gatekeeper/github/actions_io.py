"""GitHub Actions' files and workflow commands, written as the Actions toolkit writes them.

Workflow commands (``::name k=v::message``) are escaped like ``@actions/core``'s
``escapeData`` and ``escapeProperty``, so a message cannot end its line and start a command
of its own. Step outputs use the heredoc form with a random delimiter that is checked not to
occur in the value. The job summary stays within the runner's 1 MiB limit per step.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from pathlib import Path

from gatekeeper.github.fit import Part, fit

STEP_SUMMARY_LIMIT = 1024 * 1024
"""Bytes the runner accepts in one step's summary file: GitHub's workflow-commands docs,
"Step summaries are isolated per step and each step's summary has a maximum size of 1MiB";
a bigger one is not uploaded and an error annotation is shown instead."""


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str = "", **properties: str) -> str:
    """One workflow command line, newline included."""
    props = ",".join(f"{k}={escape_property(v)}" for k, v in properties.items() if v)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}\n"


def mask(secret: str) -> str:
    """Tells the runner to hide ``secret`` in the log from now on."""
    return command("add-mask", secret)


def warning(message: str, *, title: str = "") -> str:
    return command("warning", message, title=title)


def append_summary(path: Path, parts: list[Part], *, elsewhere: str = "") -> None:
    """Appends the parts, trimmed to what is left of the 1 MiB a step may write."""
    try:
        used = path.stat().st_size
    except FileNotFoundError:
        used = 0
    budget = max(0, STEP_SUMMARY_LIMIT - used)
    text = fit(parts, budget, measure=_utf8, unit="bytes", elsewhere=elsewhere)
    with path.open("a", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
        handle.write(text)


def format_outputs(values: Mapping[str, str], new_delimiter: Callable[[], str]) -> str:
    """``name<<DELIMITER`` / value / ``DELIMITER`` for each, as ``core.setOutput`` writes."""
    chunks = []
    for name, value in values.items():
        if "\n" in name or "\r" in name or not name:
            raise ValueError(f"output name {name!r}: must be one non-empty line")
        delimiter = new_delimiter()
        while delimiter in value or delimiter in name:  # astronomically unlikely; still checked
            delimiter = new_delimiter()
        chunks.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return "".join(chunks)


def random_delimiter() -> str:
    return f"ghadelimiter_{secrets.token_hex(16)}"


def write_outputs(path: Path, values: Mapping[str, str]) -> None:
    with path.open("a", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
        handle.write(format_outputs(values, random_delimiter))


def _utf8(text: str) -> int:
    return len(text.encode("utf-8", "backslashreplace"))  # as written: a lone surrogate too
