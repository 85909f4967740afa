"""What a user would write instead of `gatekeeper check` on a Cobertura report: lxml's
``iterparse`` over the ``<class>`` elements, each one's lines summed and the element freed.

    python benchmarks/alternatives/cobertura_lxml.py COVERAGE.xml FOLDER/

A line is covered where its ``hits`` is above 0; a branch line's outcomes are read from
its ``condition-coverage="50% (1/2)"``, as Cobertura defines them. FOLDER/ is a prefix of
the ``filename`` of the files to sum (``pkg7/``: what the selector ``pkg7/*`` selects).
Prints, as JSON, ``{"TOTAL": {"lines": [covered, total], "branches": [covered, total]},
FOLDER*: {...}}``.

Not pycobertura: it counts a line whose branches are partly taken as missed (on the
1,000-file report of benchmarks/coverage.py its TOTAL is 79.05 % where the report's
``lines-covered`` and ``line-rate`` say 85.21 %) and gives no branch counts, so it cannot
give the numbers compared; it also keeps the whole tree (1.8 GiB at 10,000 files, one run
under GNU time).
"""

from __future__ import annotations

import json
import sys

from lxml import etree


def main(path: str, folder: str) -> int:
    total = [0, 0, 0, 0]
    inside = [0, 0, 0, 0]
    for _, element in etree.iterparse(path, events=("end",), tag="class"):
        counts = [0, 0, 0, 0]
        for line in element.iterfind("lines/line"):
            counts[1] += 1
            counts[0] += int(line.get("hits", "0")) > 0
            if line.get("branch") == "true":
                condition = line.get("condition-coverage", "")
                taken, _, of = condition[condition.find("(") + 1 : -1].partition("/")
                counts[2] += int(taken)
                counts[3] += int(of)
        for at, value in enumerate(counts):
            total[at] += value
        if element.get("filename", "").startswith(folder):
            for at, value in enumerate(counts):
                inside[at] += value
        element.clear()  # free what was read, and the classes before it
        while element.getprevious() is not None:
            del element.getparent()[0]
    print(
        json.dumps(
            {
                name: {"lines": counts[:2], "branches": counts[2:]}
                for name, counts in (("TOTAL", total), (folder + "*", inside))
            },
            sort_keys=True,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
