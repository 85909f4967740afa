"""LCOV tracefiles stream: memory holds one record, not the file (a monorepo's tracefile runs
to hundreds of MB), and records of one file apart from each other are still merged."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from gatekeeper.parsers.coverage import lcov


def _tracefile(path: Path, files: int, lines: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for index in range(files):
            out.write(f"TN:\nSF:src/f{index}.c\n")
            out.write("".join(f"BRDA:{n},0,0,{n % 3}\nBRDA:{n},0,1,-\n"
                              for n in range(1, lines, 8)))  # fmt: skip
            out.write("".join(f"DA:{n},{n % 4}\n" for n in range(1, lines + 1)))
            out.write("end_of_record\n")
    return path


def _peak(path: Path) -> int:
    tracemalloc.start()
    try:
        lcov.parse(path, path.name)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_lines_of_each_file(tmp_path: Path) -> None:
    """20 times the lines a file (200,000 in all): the same peak, give or take a quarter.
    Keeping every record's entries to the end took 29 MB here against 2 MB."""
    short = _peak(_tracefile(tmp_path / "short.info", 200, 50))
    long = _peak(_tracefile(tmp_path / "long.info", 200, 1000))
    assert long < 1.25 * short, (short, long)


def test_records_of_one_file_apart_are_merged(tmp_path: Path) -> None:
    """a.c in records 1 and 3: a line covered by either is covered; b.c read once."""
    one = "SF:a.c\nDA:1,1\nDA:2,0\nBRDA:1,0,0,1\nBRDA:1,0,1,-\nend_of_record\n"
    other = "SF:b.c\nDA:1,0\nend_of_record\n"
    again = "SF:a.c\nDA:1,0\nDA:2,3\nDA:3,0\nBRDA:1,0,0,0\nBRDA:1,0,1,2\nend_of_record\n"
    path = tmp_path / "apart.info"
    path.write_text(f"TN:unit\n{one}{other}TN:e2e\n{again}", encoding="utf-8")
    parsed = lcov.parse(path, path.name)
    stats = {m.name: {k: q.value for k, q in m.stats.items()} for m in parsed.metrics}
    assert [m.name for m in parsed.metrics] == ["a.c", "b.c", "TOTAL"]
    assert stats["a.c"]["lines_covered"] == 2 and stats["a.c"]["lines_total"] == 3
    assert stats["a.c"]["branches_covered"] == 2 and stats["a.c"]["branches_total"] == 2
    assert stats["b.c"]["lines_covered"] == 0 and stats["b.c"]["lines_total"] == 1
    assert stats["TOTAL"]["lines_covered"] == 2 and stats["TOTAL"]["lines_total"] == 4


def test_a_tracefile_above_64_mib_is_read(tmp_path: Path) -> None:
    """No size cap (the text formats' 64 MiB is for summaries): one record, then 65 MiB of
    comment lines, is read to its end."""
    path = tmp_path / "big.info"
    comment = "#" + "x" * 65_534 + "\n"
    with path.open("w", encoding="utf-8") as out:
        out.write("SF:a.c\nDA:1,1\nend_of_record\n")
        out.writelines(comment for _ in range(65 * 16))
    assert path.stat().st_size > 65 * 1024 * 1024
    parsed = lcov.parse(path, path.name)
    assert parsed.metrics[-1].stats["lines_total"].value == 1
