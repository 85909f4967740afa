"""The JTL job with csv.reader alone: per label (and TOTAL), count, fails and p(95) of elapsed.

What a user would write instead of gatekeeper: ``csv.reader`` over the file, each row's
``elapsed`` appended to its label's array, ``success`` other than ``true`` counted as a
failure. p(95) is k6's and numpy's default definition: linear interpolation at rank
(n-1)*0.95 of the ascending elapsed times in seconds (ms / 1000), as gatekeeper computes it.
Prints one JSON object: {label: [count, fails, p95_seconds]}.

    python jtl_csv.py FILE
"""

from __future__ import annotations

import csv
import json
import sys
from array import array
from pathlib import Path

from _percentile import percentile


def main(path: str) -> None:
    elapsed: dict[str, array[int]] = {}
    fails: dict[str, int] = {}
    with Path(path).open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        at_label, at_elapsed = header.index("label"), header.index("elapsed")
        at_success = header.index("success")
        for row in reader:
            label = row[at_label]
            values = elapsed.get(label)
            if values is None:
                values = elapsed[label] = array("q")
                fails[label] = 0
            values.append(int(row[at_elapsed]))
            if row[at_success] != "true":
                fails[label] += 1
    total: array[int] = array("q")
    for values in elapsed.values():
        total.extend(values)
    elapsed["TOTAL"] = total
    fails["TOTAL"] = sum(fails.values())
    result = {}
    for label, values in elapsed.items():
        ordered = [v / 1000 for v in sorted(values)]
        result[label] = [len(values), fails[label], percentile(ordered, 95)]
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
