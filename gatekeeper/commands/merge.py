"""`gatekeeper merge`: the bundles of a matrix's shards as one bundle for the gate job.

Exits 0 once the merged bundle is written, and 2 when the bundles cannot be merged: one is
unreadable or not a bundle, two are for different commits, a shard or a file's content comes
twice (see gatekeeper.bundles.combine).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.bundles.codec import read_bundle, write_bundle
from gatekeeper.bundles.combine import merge
from gatekeeper.errors import ExitCode
from gatekeeper.words import count


def run_merge(paths: Sequence[str], out: str) -> int:
    merged = merge([(p, read_bundle(Path(p), p)) for p in paths])
    write_bundle(merged, Path(out))
    files = sum(len(r.files) for s in merged.shards for r in s.artifacts.values())
    print(
        f"{out}: {count(len(merged.shards), 'shard')}, {count(files, 'file')}, commit {merged.sha}",
        file=sys.stdout,
    )
    return int(ExitCode.PASSED)
