"""The Markdown reports as a CommonMark + GFM-tables parser (markdown-it-py) reads them.

String checks can miss what a renderer does; here the golden Markdown is parsed
and its structure asserted: one table with a cell per phase in every row, no
link, no image, no HTML but the <br> the reporter itself writes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.reporters.scenarios import SCENARIOS

GOLDEN = Path(__file__).parent / "golden"
REPORTS = sorted(GOLDEN.glob("*/report.md"))


def _tokens(text: str) -> list[Token]:
    flat: list[Token] = []
    for token in MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text):
        flat.append(token)
        flat.extend(token.children or [])
    return flat


def _tables(tokens: list[Token]) -> list[list[list[str]]]:
    """Each table as rows of cell kinds ('th' / 'td')."""
    tables: list[list[list[str]]] = []
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append([])
        elif token.type in ("th_open", "td_open"):
            tables[-1][-1].append(token.tag)
    return tables


@pytest.mark.parametrize("path", REPORTS, ids=[p.parent.name for p in REPORTS])
def test_every_table_keeps_its_shape(path: Path) -> None:
    tables = _tables(_tokens(path.read_text(encoding="utf-8")))
    assert tables, "no table"
    matrix = tables[0]
    assert matrix[0][0] == "th"
    lanes = SCENARIOS[path.parent.name]().matrix.swimlanes
    assert len(matrix) == 1 + len(lanes) + 1  # header, one row per lane, the gate row
    for table in tables:
        widths = {len(row) for row in table}
        assert widths == {len(table[0])}  # no row gained or lost a cell


@pytest.mark.parametrize("path", REPORTS, ids=[p.parent.name for p in REPORTS])
def test_nothing_from_the_evidence_becomes_a_link_image_or_html(path: Path) -> None:
    tokens = _tokens(path.read_text(encoding="utf-8"))
    kinds = {t.type for t in tokens}
    assert not kinds & {"link_open", "image", "html_block"}
    inline_html = {t.content for t in tokens if t.type == "html_inline"}
    assert inline_html <= {"<br>", "<sub>", "</sub>"}
    for token in tokens:
        if token.type in ("code_inline", "fence", "code_block"):
            pytest.fail(f"untrusted text opened code: {token.content!r}")


def test_the_hostile_report_keeps_its_injections_as_visible_text() -> None:
    text = (GOLDEN / "hostile" / "report.md").read_text(encoding="utf-8")
    shown = "".join(t.content for t in _tokens(text) if t.type == "text")
    assert "<script>" in shown  # rendered as text, not run
    assert "[x](javascript:alert(1))" in shown
