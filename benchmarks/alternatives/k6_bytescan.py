"""The floor of the k6 stream job: no JSON parsing at all, only byte searches.

Reads 16 MiB blocks; finds each line holding ``"metric":"METRIC"`` with ``bytes.find``
(k6 writes it so in either field order), skips the declaration (it has no ``"value":``),
slices the number after ``"value":`` and tests the line for ``"TAG":"VALUE"``. It trusts
the file completely: no check that a line is JSON, UTF-8, or a sample. p(95) as in
k6_orjson.py (k6's definition, in ms). Prints the same JSON as k6_orjson.py.

    python k6_bytescan.py FILE METRIC TAG=VALUE
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from _percentile import percentile

BLOCK = 16 << 20


def main(path: str, metric: str, tag: str) -> None:
    key, value = tag.split("=", 1)
    needle = b'"metric":"' + metric.encode() + b'"'
    wanted = b'"' + key.encode() + b'":"' + value.encode() + b'"'
    every: list[float] = []
    tagged: list[float] = []
    carry = b""
    with Path(path).open("rb") as handle:
        while chunk := handle.read(BLOCK):
            data = carry + chunk
            end = data.rfind(b"\n") + 1
            carry = data[end:]
            find, rfind = data.find, data.rfind
            at = find(needle, 0, end)
            while at >= 0:
                start = rfind(b"\n", 0, at) + 1
                stop = find(b"\n", at)
                number = find(b'"value":', start, stop)
                if number >= 0:
                    number += 8
                    sample = float(data[number : find(b",", number, stop)])
                    every.append(sample)
                    if find(wanted, start, stop) >= 0:
                        tagged.append(sample)
                at = find(needle, stop, end)
    found = {}
    for name, values in ((metric, every), (f"{metric}{{{key}:{value}}}", tagged)):
        values.sort()
        found[name] = [len(values), percentile(values, 95)]
    print(json.dumps(found))


if __name__ == "__main__":
    main(*sys.argv[1:4])
