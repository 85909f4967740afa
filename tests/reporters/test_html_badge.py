"""The HTML page and the SVG badge: well-formed, only our own markup, the text the report says.

The golden files fix every byte; these properties say why those bytes are safe: a page that
parses into exactly the tags and attributes the reporter writes (no script, no event handler,
no link or source of any kind), and a badge whose text is the verdict and nothing else.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from defusedxml import ElementTree
from scenarios import AUTH, SCENARIOS, Scenario, by_tests, case, matrix, read

from gatekeeper import __version__
from gatekeeper.errors import ExitCode
from gatekeeper.model import Cell, Phase
from gatekeeper.reporters import REPORTERS, RenderOptions
from gatekeeper.reporters.badge import LABEL, text_width
from gatekeeper.reporters.common import headline, phase_name
from gatekeeper.reporters.html import CSP
from gatekeeper.results import failing
from gatekeeper.text import shown

NAMES = list(SCENARIOS)
SVG = "{http://www.w3.org/2000/svg}"
HTML_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "footer",
    "h1", "h2", "h3", "p", "ul", "li", "span", "code", "div",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
"""Every tag the HTML reporter writes without a history; nothing else may appear."""
HTML_ATTRIBUTES = {
    "lang", "charset", "http-equiv", "content", "name", "class", "scope",
    "role", "aria-label", "tabindex",
}  # fmt: skip
VOID = {"meta"}


class Page(HTMLParser):
    """Start tags with their attributes, each element's text, as a browser would read them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.elements: list[tuple[str, dict[str, str | None], str]] = []
        self.texts: list[str] = []
        self.comments: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append((tag, dict(attrs), []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise AssertionError(f"self-closing <{tag}/>: not HTML the reporter writes")

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        name, attrs, parts = self.open.pop()
        assert name == tag, f"</{tag}> closes <{name}>"
        self.elements.append((tag, attrs, "".join(parts)))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        for _, _, parts in self.open:
            parts.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.starts if tag == name]

    def text_of(self, name: str) -> list[str]:
        """The text of every element ``name``, in the order they close."""
        return [text for tag, _, text in self.elements if tag == name]

    @property
    def text(self) -> str:
        return "".join(self.texts)


def render(scenario: Scenario, fmt: str) -> str:
    return REPORTERS[fmt](scenario.report, RenderOptions(scenario.exit_code))


def page(name: str) -> tuple[Scenario, str, Page]:
    scenario = SCENARIOS[name]()
    text = render(scenario, "html")
    return scenario, text, Page(text)


# --- the HTML page ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_page_parses_into_only_our_tags_and_attributes(name: str) -> None:
    _, text, parsed = page(name)
    assert text.startswith("<!DOCTYPE html>\n")
    assert parsed.open == [], "every element is closed"
    assert {tag for tag, _ in parsed.starts} <= HTML_TAGS
    attributes = {a for _, attrs in parsed.starts for a in attrs}
    assert attributes <= HTML_ATTRIBUTES
    assert not parsed.comments
    for tag, attrs in parsed.starts:
        assert tag not in ("script", "img", "a", "link", "iframe", "object", "base", "form")
        assert not [a for a in attrs if a.startswith("on") or a in ("href", "src", "style")]
    for forbidden in ("<script", "<img", "<a ", "<link", "<iframe", "<svg", "<base"):
        assert forbidden not in text.lower(), forbidden
    (style,) = parsed.text_of("style")
    assert "url(" not in style and "@import" not in style and "@font-face" not in style


@pytest.mark.parametrize("name", NAMES)
def test_page_is_self_contained_and_accessible(name: str) -> None:
    _, _, parsed = page(name)
    assert parsed.tags("html") == [{"lang": "en"}]
    csp = [m for m in parsed.tags("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert csp == [{"http-equiv": "Content-Security-Policy", "content": CSP}]
    assert CSP == "default-src 'none'; style-src 'unsafe-inline'"
    assert len(parsed.tags("title")) == 1
    tables = len(parsed.tags("table"))
    assert tables >= 1
    assert len(parsed.tags("caption")) == tables
    assert all(th.get("scope") in ("col", "row") for th in parsed.tags("th"))
    assert len(parsed.tags("h1")) == 1
    assert len(parsed.tags("main")) == 1


@pytest.mark.parametrize("name", NAMES)
def test_every_cell_reads_without_colour(name: str) -> None:
    """A cell's class gives its colour; its text says the same in a word, then its goal."""
    scenario, _, parsed = page(name)
    report = scenario.report
    words = {"green": "met", "red": "failed", "grey": "pending", "blank": ""}
    cells = [
        (attrs["class"], text)
        for tag, attrs, text in parsed.elements
        if tag == "td" and attrs.get("class") in words
    ]
    expected = []
    for lane in report.matrix.swimlanes:
        for phase in report.matrix.phases:
            result = report.cell(lane.id, phase.id)
            if result is None:
                expected.append(("blank", ""))
            else:
                state = result.state.value
                expected.append((state, words[state] + shown(result.cell.goal)))
    for gate in report.gates:
        word = (
            "passed" if gate.passed else "FAILED" if gate.phase.id == report.enforced else "failed"
        )
        expected.append(("green" if gate.passed else "red", word))
    assert cells == expected


@pytest.mark.parametrize("name", NAMES)
def test_the_page_says_what_the_report_says(name: str) -> None:
    scenario, _, parsed = page(name)
    report, code = scenario.report, scenario.exit_code
    title = shown(headline(report, code))
    assert parsed.text_of("title") == [title]
    assert parsed.text_of("h1") == [title]
    clock = " · evidence ages as of 2026-11-26 00:00 UTC" if name == "stale" else ""
    assert parsed.text_of("footer") == [f"exit code {code} · gatekeeper {__version__}{clock}"]
    headers = parsed.text_of("th")
    for lane in report.matrix.swimlanes:
        assert shown(lane.name) in {h.removeprefix("✏️ ") for h in headers}
    for phase in report.matrix.phases:
        assert shown(phase.name) in headers
    blocking = [b.benchmark.ref for b in failing(report)]
    assert [h.split(" ", 1)[1] for h in parsed.text_of("h3")] == [shown(r) for r in blocking]
    for waiver in report.matrix.waivers:
        assert shown(waiver.reason) in parsed.text_of("td")


def test_hostile_text_is_inert_markup_and_still_shown() -> None:
    _, text, parsed = page("hostile")
    assert not {"script", "img", "b"} & {tag for tag, _ in parsed.starts}
    assert "<script" not in text
    assert "<img" not in text
    assert "<b>" not in text
    assert "<!--" not in text
    assert not [a for _, attrs in parsed.starts for a in attrs if a == "onerror"]
    for word in ("pwned", "whoami", "javascript:alert", "name=x::y", "everyone", "RED",
                 "<img src=x onerror=alert(1)>", "<script>alert(1)</script>"):  # fmt: skip
        assert word in parsed.text, word


@pytest.mark.parametrize("name", NAMES)
def test_page_is_small(name: str) -> None:
    assert len(render(SCENARIOS[name](), "html").encode()) < 12_000


# --- the SVG badge ----------------------------------------------------------------------------


def badge(scenario: Scenario) -> tuple[str, ElementTree.Element]:
    text = render(scenario, "badge")
    return text, ElementTree.fromstring(text)


def said(scenario: Scenario) -> str:
    """What the badge must say, worked out from the report without the reporter's help."""
    report, code = scenario.report, scenario.exit_code
    if code == ExitCode.NO_EVIDENCE:
        return "no evidence"
    stands = "no phase" if report.stands_at is None else phase_name(report, report.stands_at)
    return f"{shown(stands)} · {'passed' if code == 0 else 'failed'}"


@pytest.mark.parametrize("name", NAMES)
def test_badge_is_well_formed_svg_that_says_the_verdict(name: str) -> None:
    scenario = SCENARIOS[name]()
    text, svg = badge(scenario)
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    expected = said(scenario)
    assert svg.get("aria-label") == f"{LABEL}: {expected}"
    assert [t.text for t in svg.iter(f"{SVG}title")] == [f"{LABEL}: {expected}"]
    assert [t.text for t in svg.iter(f"{SVG}text")] == [LABEL, LABEL, expected, expected]
    assert [t.get("aria-hidden") for t in svg.iter(f"{SVG}text")] == ["true", None, "true", None]
    assert not list(svg.iter(f"{SVG}script"))
    assert not list(svg.iter(f"{SVG}foreignObject"))
    for element in svg.iter():
        assert element.tag.startswith(SVG)
        assert not [a for a in element.attrib if "href" in a or a.startswith("on")]
    assert "href" not in text and "<script" not in text and "@import" not in text


@pytest.mark.parametrize(
    ("name", "code", "color"),
    [("passing", 0, "#2ea44f"), ("failing", 1, "#cf222e"), ("no-evidence", 3, "#6e7781")],
)
def test_badge_colour_follows_the_exit_code(name: str, code: int, color: str) -> None:
    scenario = SCENARIOS[name]()
    assert scenario.exit_code == code
    _, svg = badge(scenario)
    fills = [r.get("fill") for r in svg.iter(f"{SVG}rect")]
    assert fills == ["#fff", "#555", color, "url(#s)"]  # clip, label, message, gloss


def test_only_exit_code_0_is_green() -> None:
    report = SCENARIOS["passing"]().report
    for code in ExitCode:
        svg = ElementTree.fromstring(REPORTERS["badge"](report, RenderOptions(int(code))))
        fill = [r.get("fill") for r in svg.iter(f"{SVG}rect")][2]
        assert (fill == "#2ea44f") == (code == 0), code
        assert fill == {0: "#2ea44f", 1: "#cf222e"}.get(code, "#6e7781")


def _passing_with_phase(name: str) -> Scenario:
    cell = Cell("auth", "stone", "Sign mail", (by_tests("auth", "stone", "signing"),))
    built = matrix("P", (AUTH,), (cell,), phases=(Phase("stone", name),))
    return Scenario("named", built, {"unit": read("unit", "unit.xml", case("test_ok"))})


@pytest.mark.parametrize(
    ("name", "shown_as"),
    [
        ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
        ("A&B \"q\" 'a' ##[error]x", "A&B \"q\" 'a' ##[error]x"),
        ("\x1b[2J\u202eevil\nline\ufffe", "\\x1b[2J\\u202eevil line\\ufffe"),
        ("Titanium " * 6, "Titanium Titanium Titanium Tita…"),
    ],
    ids=["markup", "entities", "controls", "long"],
)
def test_badge_shows_a_hostile_phase_name_as_text(name: str, shown_as: str) -> None:
    scenario = _passing_with_phase(name)
    assert scenario.exit_code == 0
    text, svg = badge(scenario)
    assert [t.text for t in svg.iter(f"{SVG}text")][2] == f"{shown_as} · passed"
    assert "<img" not in text and "##[" not in text
    assert "\x1b" not in text and "\u202e" not in text and "\ufffe" not in text


def test_badge_boxes_fit_the_estimated_text() -> None:
    scenario = SCENARIOS["passing"]()
    _, svg = badge(scenario)
    _, left, right, _ = svg.iter(f"{SVG}rect")
    assert int(svg.get("width", "")) == int(left.get("width", "")) + int(right.get("width", ""))
    for box, text in ((left, LABEL), (right, "Bronze · passed")):
        padding = int(box.get("width", "")) - text_width(text)
        assert 9.9 < padding < 11, text  # 5 px each side, the text (to 0.1 px) rounded up
    assert text_width("gatekeeper") == pytest.approx(62.0, abs=1)  # Verdana 11px, as shields
    assert text_width("WWW") > text_width("MMM") > text_width("iii")
    assert text_width("漢字") == 22.0
