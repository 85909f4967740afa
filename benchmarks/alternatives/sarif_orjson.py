"""A SARIF log read whole with orjson and its results counted by level: the floor of reading
the document (no rules resolved, no defaults applied: every result states its level)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import orjson


def main(path: str) -> None:
    log = orjson.loads(Path(path).read_bytes())
    levels = Counter(r.get("level", "warning") for run in log["runs"] for r in run["results"])
    sys.stdout.write(orjson.dumps(dict(levels)).decode() + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
