"""The k6 stream job with orjson, one line at a time: what a user would write instead.

Each line decoded with ``orjson.loads``; the ``Point`` lines of METRIC give its values,
and those whose tags hold TAG=VALUE the sub-metric's. p(95) is k6's definition (linear
interpolation at rank (n-1)*0.95 of the ascending values, in ms), as gatekeeper computes
it. Prints {"METRIC": [count, p95_ms], "METRIC{TAG:VALUE}": [count, p95_ms]} as JSON.

    python k6_orjson.py FILE METRIC TAG=VALUE
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import orjson
from _percentile import percentile


def main(path: str, metric: str, tag: str) -> None:
    key, value = tag.split("=", 1)
    every: list[float] = []
    tagged: list[float] = []
    with Path(path).open("rb") as handle:
        for line in handle:
            row = orjson.loads(line)
            if row["type"] == "Point" and row["metric"] == metric:
                data = row["data"]
                every.append(data["value"])
                if (data["tags"] or {}).get(key) == value:
                    tagged.append(data["value"])
    found = {}
    for name, values in ((metric, every), (f"{metric}{{{key}:{value}}}", tagged)):
        values.sort()
        found[name] = [len(values), percentile(values, 95)]
    print(json.dumps(found))


if __name__ == "__main__":
    main(*sys.argv[1:4])
