"""The alternative to `gatekeeper check` at a confidence, as a user would write it: orjson
reads both pytest-benchmark files, and SciPy's Mann-Whitney U test judges each series on the
logs of its samples, one-sided, against the limit (HEAD's logs shifted down by log 1.10).

It answers the same question the gate asks of each series (is the shift of the whole
distribution past +10 %, at 95 % two-sided, so 2.5 % on the side of a regression?) but
only by the test's p-value: SciPy gives no Hodges-Lehmann estimate or interval. Prints the
benchmarks it finds regressed, one per line, as ``b0000:fail:mann-whitney``.

    python benchmarks/alternatives/compare_scipy.py BASE.json HEAD.json [LIMIT] [CONFIDENCE]
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import orjson
from scipy.stats import mannwhitneyu


def _samples(path: str) -> dict[str, np.ndarray]:
    document = orjson.loads(Path(path).read_bytes())
    return {b["name"]: np.log(np.asarray(b["stats"]["data"])) for b in document["benchmarks"]}


def main(argv: list[str]) -> int:
    base, head = _samples(argv[1]), _samples(argv[2])
    limit = float(argv[3]) if len(argv) > 3 else 0.10
    confidence = float(argv[4]) if len(argv) > 4 else 0.95
    shift = math.log1p(limit)
    for name, theirs in base.items():
        mine = head[name] - shift
        # H1: HEAD's logs, moved back by the limit, are still greater than the base's
        p = mannwhitneyu(mine, theirs, alternative="greater", method="asymptotic").pvalue
        if p <= (1 - confidence) / 2:
            print(f"{name}:fail:mann-whitney")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
