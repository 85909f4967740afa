"""Rewrite the reporter golden files from the scenarios: ``python tests/reporters/regenerate.py``.

Review the diff before committing it: a golden file changes only when a reporter's output
was meant to change. Pass scenario names to regenerate only those.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent.parent)]  # scenarios, then the gatekeeper package

from scenarios import GOLDEN, SCENARIOS, render_all  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    names = argv if argv is not None else sys.argv[1:]
    unknown = sorted(set(names) - set(SCENARIOS))
    if unknown:
        print(f"unknown scenario(s): {', '.join(unknown)} (known: {', '.join(SCENARIOS)})")
        return 2
    if not names:
        for gone in [p for p in GOLDEN.glob("*") if p.is_dir() and p.name not in SCENARIOS]:
            shutil.rmtree(gone)
            print(f"removed {gone.relative_to(HERE.parent.parent)}")
    for name in names or SCENARIOS:
        folder = GOLDEN / name
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.iterdir():
            stale.unlink()
        for file_name, text in render_all(SCENARIOS[name]()).items():
            # bytes, not text: no newline translation, so the files match byte for byte
            (folder / file_name).write_bytes(text.encode("utf-8"))
        print(f"wrote {folder.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
