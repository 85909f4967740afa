"""A gatekeeper history folder read with orjson: every benchmark's latest value and the date
each phase's gate first passed. What a user would script instead of `gatekeeper history`:
each line parsed whole, kept once per ``key`` (the first seen), then ordered by date; no
check of a line's shape beyond what the answer needs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson


def main(folder: str) -> None:
    seen: set[str] = set()
    latest: dict[str, tuple[str, int, object]] = {}
    reached: dict[str, tuple[str, int]] = {}
    order = 0
    for path in sorted(Path(folder).rglob("*.jsonl")):
        with path.open("rb") as handle:
            for raw in handle:
                if not raw.strip():
                    continue
                record = orjson.loads(raw)
                if record["key"] in seen:
                    continue
                seen.add(record["key"])
                order += 1
                when = (record["date"], order)
                for bench in record["benchmarks"]:
                    held = latest.get(bench["ref"])
                    if bench["points"] and (held is None or held[:2] <= when):
                        latest[bench["ref"]] = (*when, bench["points"][0]["value"])
                for phase in record["phases"]:
                    if phase["gate"] == "passed":
                        first = reached.get(phase["id"])
                        if first is None or when < first:
                            reached[phase["id"]] = when
    answer = {
        "latest": {ref: held[2] for ref, held in latest.items()},
        "reached": {phase: when[0] for phase, when in reached.items()},
    }
    sys.stdout.write(orjson.dumps(answer).decode() + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
