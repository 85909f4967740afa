"""A LitmusChaos ``ChaosResult`` list read whole with orjson and its verdicts counted: what a
user would script instead of a gate (``kubectl get chaosresult -o json`` piped to a script).

A verdict passes only as ``Pass`` in phase ``Completed`` with no probe ``Failed``; every
probe is counted too (``Passed`` passes, ``N/A`` is skipped), as gatekeeper counts them."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson


def main(path: str) -> None:
    listed = orjson.loads(Path(path).read_bytes())
    passed = total = skipped = 0
    for item in listed["items"]:
        outcome = item["status"]["experimentStatus"]
        probes = [probe["status"]["verdict"] for probe in item["status"].get("probeStatuses", [])]
        fine = outcome["verdict"] == "Pass" and outcome.get("phase") == "Completed"
        passed += fine and "Failed" not in probes
        total += 1
        passed += probes.count("Passed")
        skipped += probes.count("N/A")
        total += len(probes)
    counts = {"passed": passed, "total": total, "skipped": skipped}
    sys.stdout.write(orjson.dumps(counts).decode() + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
