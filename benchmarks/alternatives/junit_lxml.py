"""What a user would write instead of `gatekeeper check`: junitparser (with lxml installed,
which it then uses) reads the whole report, and the cases are counted per selection.

    python benchmarks/alternatives/junit_lxml.py REPORT.xml SELECTIONS.json

SELECTIONS.json maps a selection's id to its globs per key (suite, class, name, file; only
``*`` and ``?`` are wildcards, as in gatekeeper's selectors). Prints, as JSON, each
selection's [passed, run, skipped, flaky] counts: what `gatekeeper check` reports.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from junitparser import JUnitXml, TestCase, TestSuite, xunit2


def _glob(text: str) -> re.Pattern[str]:
    pattern = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)
    return re.compile(pattern, re.S)


def _cases(node: JUnitXml | TestSuite) -> list[tuple[str, TestCase]]:
    found = []
    for item in node:
        if isinstance(item, TestSuite):
            found += [(item.name or "", case) for case in item]
    return found


def main() -> int:
    report, selections = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
    xml = xunit2.JUnitXml.fromfile(str(report))
    compiled = {
        key: {field: [_glob(g) for g in globs] for field, globs in keys.items()}
        for key, keys in selections.items()
    }
    counts = {key: [0, 0, 0, 0] for key in selections}
    for suite, case in _cases(xml):
        values = {
            "suite": suite,
            "class": case.classname or "",
            "name": case.name or "",
            "file": case._elem.get("file"),
        }
        if case.is_error or case.is_failure:
            status = "failed"
        elif case.is_skipped:
            status = "skipped"
        else:
            status = "passed"
        flaky = status == "passed" and bool(case.interim_result)
        for key, fields in compiled.items():
            if all(
                values[f] is not None and any(g.fullmatch(values[f]) for g in globs)
                for f, globs in fields.items()
            ):
                tally = counts[key]
                tally[2] += status == "skipped"
                tally[1] += status != "skipped"
                tally[0] += status == "passed"
                tally[3] += flaky
    print(json.dumps(counts, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
