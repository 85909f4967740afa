"""A saved Prometheus range answer read whole with orjson, and the min and avg of one series
(picked by its labels) computed in Python: what a user would script instead of a gate."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import orjson


def main(path: str, name: str, instance: str) -> None:
    answer = orjson.loads(Path(path).read_bytes())
    if answer["status"] != "success" or answer.get("warnings"):
        raise SystemExit("not a complete answer")
    for series in answer["data"]["result"]:
        labels = series["metric"]
        if labels.get("__name__") == name and labels.get("instance") == instance:
            values = [float(value) for _, value in series["values"]]
            figures = {"min": min(values), "avg": math.fsum(values) / len(values)}
            sys.stdout.write(orjson.dumps(figures).decode() + "\n")
            return
    raise SystemExit("no such series")


if __name__ == "__main__":
    main(*sys.argv[1:4])
