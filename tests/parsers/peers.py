"""What the peers' own tests expect of the files in the shared corpus, read as they state it.

Three peers keep expectations next to (or about) their fixtures, each in its own words:

* EnricoMi's publish-unit-test-result-action: ``X.results.json`` beside an input ``X.xml``
  / ``X.trx`` (and its JUnit conversion ``X.junit-xml``). Its ``stats`` give two views:
  ``tests*`` counts distinct tests (cases with the same class and name are merged, the
  worst outcome wins) and ``runs*`` adds up the suites' own counter attributes.
* dorny's test-reporter: ``__outputs__/*.md``, one Markdown report per fixture, whose
  table row says "N ✅ | N ❌ | N ⚪" (passed, failed including errors, skipped).
* mikepenz's action-junit-report: ``EXPECTED.md``, a table of the numbers its test code
  asserts (total, skipped, failed including errors, passed, retried; blank = not asserted).

Each becomes an ``Expectation``: the input, the peer's numbers under the peer's names,
and how to compute gatekeeper's numbers the same way, so like is compared with like.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import TestResult, TestStatus
from gatekeeper.parsers.testresults import junit

S = TestStatus

ENRICO = "publish-unit-test-result-action/python/test/files"
DORNY = "test-reporter/__tests__"
MIKEPENZ = "action-junit-report"
PREFIXES = {"EnricoMi": ENRICO, "dorny": DORNY, "mikepenz": MIKEPENZ + "/test_results"}
"""How docs/conformance.md abbreviates a file's folder under corpus/junit/."""

ENRICO_KEYS = ("tests", "passed", "skipped", "failed", "errors")
INPUT_SUFFIXES = (".xml", ".trx", ".junit-xml", ".json")
"""What EnricoMi's inputs end with: a report, its JUnit conversion, or a JSON report."""
# dorny's report cites two fixtures that the corpus keeps only as EnricoMi's identical copies
DORNY_MOVED = {
    f"fixtures/external/{name}": f"{ENRICO}/trx/nunit/{name}"
    for name in ("FluentValidation.Tests.trx", "SilentNotes.trx")
}


@dataclass(frozen=True)
class Expectation:
    """One peer's numbers for one input file."""

    peer: str
    """EnricoMi, dorny or mikepenz."""
    file: str
    """The input, relative to corpus/junit/."""
    says: Mapping[str, int]
    """The peer's numbers, under gatekeeper's names for them, in the peer's order."""
    basis: str = ""
    """Which of the peer's views was used, when it has more than one."""
    error: str | None = None
    """The peer's message when it could not read the file (then ``says`` is empty)."""

    @property
    def short(self) -> str:
        """The file as docs/conformance.md names it."""
        for peer, prefix in PREFIXES.items():
            if self.file.startswith(prefix + "/"):
                return f"{peer}/{self.file[len(prefix) + 1 :]}"
        return self.file

    def ours(self, tests: Sequence[TestResult]) -> dict[str, int]:
        """gatekeeper's numbers for ``tests``, counted the way this peer counts."""
        counts = Counter(t.status for t in tests)
        every = {
            "tests": len(tests),
            "total": len(tests),
            "passed": counts[S.PASSED],
            "skipped": counts[S.SKIPPED],
            "errors": counts[S.ERROR],
            # dorny and mikepenz have no error outcome: an error is a failure to them
            "failed": counts[S.FAILED] + (0 if self.peer == "EnricoMi" else counts[S.ERROR]),
            "retried": sum(1 for t in tests if t.reruns),
        }
        return {key: every[key] for key in self.says}


_SINGULAR = {"tests": "test", "errors": "error"}


def render(counts: Mapping[str, int], basis: str = "") -> str:
    """Numbers as a table cell: "6 tests: 3 passed, 2 skipped, 1 failed, 0 errors"."""
    parts = [
        f"{value} {_SINGULAR.get(key, key) if value == 1 else key}" for key, value in counts.items()
    ]
    if len(parts) > 1 and next(iter(counts)) in ("tests", "total"):
        text = f"{parts[0]}: {', '.join(parts[1:])}"
    else:
        text = ", ".join(parts)
    return f"{text} ({basis})" if basis else text


def enrico(corpus: Path) -> Iterator[Expectation]:
    """EnricoMi's expectations, in the view that counts what gatekeeper counts.

    Its ``tests`` view merges cases that share a class and name in its JUnit form of the
    input (``X.junit-xml``). Where none do, that view counts one per case, as we do; where
    some do, the ``runs`` view (the suites' own counters) is the one to compare.
    """
    root = corpus / ENRICO
    for stats_file in sorted(root.rglob("*.results.json")):
        stats = json.loads(stats_file.read_text(encoding="utf-8"))["stats"]
        stem = stats_file.name[: -len(".results.json")]
        view, basis = ("runs", "runs") if _merges(stats_file.parent, stem) else ("tests", "")
        names = ("", "_succ", "_skip", "_fail", "_error")
        says = {key: stats[view + n] for key, n in zip(ENRICO_KEYS, names, strict=True)}
        error = "; ".join(e["message"] for e in stats["errors"]) or None
        for suffix in INPUT_SUFFIXES:
            input_file = stats_file.parent / (stem + suffix)
            if input_file.is_file():
                file = input_file.relative_to(corpus).as_posix()
                yield Expectation("EnricoMi", file, {} if error else says, basis, error)


def _merges(folder: Path, stem: str) -> bool:
    """Whether the peer's JUnit form of the input repeats a (class, name) pair."""
    for converted in (folder / f"{stem}.junit-xml", folder / f"{stem}.xml"):
        try:
            cases = junit.parse(converted, converted.name).tests
        except EvidenceError:
            continue
        return len({(t.classname, t.name) for t in cases}) < len(cases)
    return False


_DORNY_ROW = re.compile(
    r"^\|\[(fixtures/[^\]]+)\]\(#user-content-r0\)\|([^|]*)\|([^|]*)\|([^|]*)\|"
)


def dorny(corpus: Path) -> Iterator[Expectation]:
    """dorny's expectations, one per fixture its Markdown outputs report on."""
    seen: dict[str, Expectation] = {}
    for output in sorted((corpus / DORNY / "__outputs__").glob("*.md")):
        for line in output.read_text(encoding="utf-8").splitlines():
            if found := _DORNY_ROW.match(line):
                fixture, *cells = found.groups()
                file = DORNY_MOVED.get(fixture, f"{DORNY}/{fixture}")
                numbers = [int(cell.split()[0]) if cell.strip() else 0 for cell in cells]
                says = dict(zip(("passed", "failed", "skipped"), numbers, strict=True))
                expectation = Expectation("dorny", file, says)
                assert seen.setdefault(file, expectation) == expectation, output
    yield from seen.values()


_MIKEPENZ_KEYS = ("total", "skipped", "failed", "passed", "retried")


def mikepenz(corpus: Path) -> Iterator[Expectation]:
    """mikepenz's expectations: the numbers asserted for each fixture (blank: not asserted).

    A row asserted with the ``check_retries`` option says so in ``basis``.
    """
    table = (corpus / MIKEPENZ / "EXPECTED.md").read_text(encoding="utf-8")
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 7 or not cells[0].endswith(".xml"):
            continue
        numbers = zip(_MIKEPENZ_KEYS, cells[1:6], strict=True)
        says = {key: int(value) for key, value in numbers if value}
        basis = "check_retries" if "check_retries" in cells[6] else ""
        yield Expectation("mikepenz", f"{MIKEPENZ}/test_results/{cells[0]}", says, basis)
