"""`gatekeeper init`: write the commented starter matrix file."""

from __future__ import annotations

from pathlib import Path

from gatekeeper.errors import ExitCode, UsageError
from gatekeeper.resources import starter_matrix


def run_init(target: str, *, force: bool) -> int:
    path = Path(target)
    if path.exists() and not force:
        raise UsageError(f"{path} exists; use --force to overwrite it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(starter_matrix(), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
    print(f"wrote {path}: edit it, then run `gatekeeper validate {path}`")
    return int(ExitCode.PASSED)
