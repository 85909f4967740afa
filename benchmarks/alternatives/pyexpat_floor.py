"""The floor of any reader built on the standard library's XML parser: pyexpat with no
handlers, fed the whole file. It judges nothing; it prints how many bytes it parsed.

    python benchmarks/alternatives/pyexpat_floor.py REPORT.xml
"""

from __future__ import annotations

import sys
from pathlib import Path
from pyexpat import ParserCreate


def main() -> int:
    parser = ParserCreate()
    with Path(sys.argv[1]).open("rb") as handle:
        parser.ParseFile(handle)
    print(parser.CurrentByteIndex)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
