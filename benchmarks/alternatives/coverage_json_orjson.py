"""What a user would write instead of `gatekeeper check` on coverage.py's JSON report:
orjson (the fastest JSON parser for Python) loads the whole file, and each file's
``summary`` is summed.

    python benchmarks/alternatives/coverage_json_orjson.py COVERAGE.json FOLDER/

FOLDER/ is a prefix of the files to sum (``pkg7/``: what the selector ``pkg7/*`` selects).
Prints, as JSON, ``{"TOTAL": {"lines": [covered, total], "branches": [covered, total]},
FOLDER*: {...}}``. TOTAL is the sum of the files, checked against the report's ``totals``.

Not ``coverage report --data-file``: it reads the ``.coverage`` SQLite database the JSON
was made from, which a CI step that uploads the JSON does not have.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import orjson

_KEYS = ("covered_lines", "num_statements", "covered_branches", "num_branches")


def main(path: str, folder: str) -> int:
    report = orjson.loads(Path(path).read_bytes())
    total = [0, 0, 0, 0]
    inside = [0, 0, 0, 0]
    for name, entry in report["files"].items():
        counts = [entry["summary"][key] for key in _KEYS]
        for at, value in enumerate(counts):
            total[at] += value
            if name.startswith(folder):
                inside[at] += value
    if total != [report["totals"][key] for key in _KEYS]:
        raise SystemExit("the files do not add up to the report's totals")
    print(
        json.dumps(
            {
                name: {"lines": counts[:2], "branches": counts[2:]}
                for name, counts in (("TOTAL", total), (folder + "*", inside))
            },
            sort_keys=True,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
