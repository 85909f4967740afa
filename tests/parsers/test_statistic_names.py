"""Every statistic a parser reports can be named in a threshold.

Parses every fixture and example artifact that gatekeeper can detect and checks
each statistic key reads back through the threshold grammar unchanged (or as
the alias it is): a format cannot add a statistic users cannot write.
"""

from __future__ import annotations

from gatekeeper.errors import EvidenceError
from gatekeeper.parsers import AUTO, parse_file
from gatekeeper.threshold import ALIASES, parse_threshold
from tests.conftest import REPO

ROOTS = (REPO / "tests" / "parsers" / "fixtures", REPO / "examples" / "kmta" / "reports")


def _statistics() -> dict[str, str]:
    found: dict[str, str] = {}
    for root in ROOTS:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            try:
                parsed = parse_file(path, str(path), AUTO)
            except EvidenceError:
                continue  # hostile and broken fixtures are tested elsewhere
            for metric in parsed.metrics:
                for name in metric.stats:
                    found.setdefault(name, str(path.relative_to(REPO)))
    return found


def test_fixtures_report_many_statistics() -> None:
    assert len(_statistics()) > 40  # the check below is not vacuous


def test_every_reported_statistic_can_be_written_in_a_threshold() -> None:
    unwritable = {}
    for name, where in _statistics().items():
        try:
            statistic = parse_threshold(f"{name} < 1").statistic
        except ValueError as exc:
            unwritable[name] = f"{where}: {exc}"
            continue
        if statistic not in (name, ALIASES.get(name)):
            unwritable[name] = f"{where}: reads back as {statistic!r}"
    assert not unwritable
