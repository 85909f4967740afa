"""`gatekeeper init`: write the commented starter matrix file, or with ``--from`` one drafted
from the artifacts CI already produces (``gatekeeper.init_from``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gatekeeper.commands import project_root
from gatekeeper.errors import ExitCode, UsageError
from gatekeeper.resources import starter_matrix

MATRIX_SUFFIXES = (".yml", ".yaml")


def run_init(target: str | None, *, force: bool, sources: Sequence[str] = ()) -> int:
    """Write the starter (or, given ``sources``, the drafted) matrix to ``target``. A last
    source that names a YAML file which is not a folder is the target when none is given
    (``init --from reports gatekeeper.yml``)."""
    from gatekeeper import DEFAULT_MATRIX

    sources = list(sources)
    if target is None and len(sources) > 1 and _names_matrix(sources[-1]):
        target = sources.pop()
    path = Path(target or DEFAULT_MATRIX)
    if path.exists() and not force:
        raise UsageError(f"{path} exists; use --force to overwrite it")
    if not sources:
        _write(path, starter_matrix())
        print(f"wrote {path}: edit it, then run `gatekeeper validate {path}`")
        return int(ExitCode.PASSED)
    from gatekeeper.init_from.draft import draft

    text, summary = draft(path, project_root(path, None), sources)
    _write(path, text)
    print(f"wrote {path}: {summary}")
    print(f"next: decide every 'TODO: decide' in it, then `gatekeeper validate {path}` and "
          f"`gatekeeper check --dry-run --matrix {path}`")  # fmt: skip
    return int(ExitCode.PASSED)


def _names_matrix(source: str) -> bool:
    return source.endswith(MATRIX_SUFFIXES) and not Path(source).is_dir()


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # a name a tool wrote may hold what UTF-8 cannot (a lone surrogate), in a comment
        path.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
