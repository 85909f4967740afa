"""Issue 9, class 1, on the k6 stream: each case that turned a failing gate green, and
each gap the differential tests found, on a small file."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric, SeriesRequest
from gatekeeper.parsers.load import k6_ndjson
from tests.parsers.claims import claimed_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "k6-ndjson"
CHECKS = (SeriesRequest("checks"),)
DECLARE = (
    '{"type":"Metric","data":{"name":"%s","type":"%s","contains":"default","thresholds":[],'
    '"submetrics":null},"metric":"%s"}\n'
)


def point(metric: str, value: str, tags: str = "{}") -> str:
    return (
        f'{{"metric":"{metric}","type":"Point","data":{{"time":"2025-03-01T10:00:00Z",'
        f'"value":{value},"tags":{tags}}}}}\n'
    )


def read(path: Path, wanted: tuple[SeriesRequest, ...] = CHECKS) -> dict[str, Metric]:
    return {m.label: m for m in k6_ndjson.parse(path, path.name, wanted).metrics}


def written(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "run.ndjson"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def error(path: Path, wanted: tuple[SeriesRequest, ...] = CHECKS) -> EvidenceError:
    with pytest.raises(EvidenceError) as caught:
        k6_ndjson.parse(path, "run.ndjson", wanted)
    return caught.value


def test_failing_checks_spelt_with_a_space_or_an_escape_are_counted() -> None:
    """Two of four checks failed, one written ``"metric": "checks"``, one ``"check\\u0073"``:
    the prefilter skipped both and read a rate of 100 %."""
    checks = read(FIXTURES / "issue9-spellings.ndjson")["checks"]
    assert {k: q.value for k, q in checks.stats.items()} == {"rate": 0.5, "passes": 2, "fails": 2}
    assert read(FIXTURES / "issue9-spellings.ndjson", ())["checks"].stats["fails"].value == 2


def test_a_corrupted_line_of_a_requested_metric_is_an_error_not_skipped() -> None:
    """``{"metric";"checks",...`` (a failing check, one byte flipped) vanished: 100 % passed."""
    path = FIXTURES / "issue9-corrupted.ndjson"
    for wanted in (CHECKS, ()):
        with pytest.raises(EvidenceError) as caught:
            k6_ndjson.parse(path, path.name, wanted)
        assert str(caught.value).startswith("issue9-corrupted.ndjson:3: invalid JSON")


def test_a_respaced_declaration_is_read(tmp_path: Path) -> None:
    declaration = DECLARE % ("checks", "rate", "checks")
    content = declaration.replace(",", ", ").replace(":", ": ") + point("checks", "0")
    assert read(written(tmp_path, content))["checks"].stats["fails"].value == 1
    assert claimed_bytes(content.encode()) == ["k6-ndjson"]


def test_a_key_flipped_to_another_name_is_an_error(tmp_path: Path) -> None:
    """``"Metric"`` for ``"metric"``: not a k6 line (the fuzzer's flip)."""
    content = DECLARE % ("checks", "rate", "checks") + point("checks", "0").replace(
        '"metric"', '"Metric"'
    )
    assert str(error(written(tmp_path, content))).startswith("run.ndjson:2: expected a k6 line")


def test_a_metric_whose_name_is_inside_the_word_metric(tmp_path: Path) -> None:
    """Metric ``t``: the first ``t`` of the line is in ``"metric"``; its sample was skipped."""
    content = DECLARE % ("t", "gauge", "t") + point("t", "7")
    assert read(written(tmp_path, content), (SeriesRequest("t"),))["t"].stats["value"].value == 7


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (point("vus_max", "1e400"), "run.ndjson:3: data.value of 'vus_max': expected a finite"),
        (point("\udcffvus", "1"), "run.ndjson:3: not valid UTF-8 (byte 0xff)"),
    ],
    ids=["infinite-value", "not-utf8"],
)
def test_a_broken_line_of_another_metric_holding_the_name_is_an_error(
    tmp_path: Path, line: str, message: str
) -> None:
    """The line holds ``vus``'s bytes, so it is read, and passing it as another metric's
    valid line (k6's layout matched) missed that json.loads refuses it."""
    lines = DECLARE % ("vus", "gauge", "vus") + point("vus", "3") + line + point("vus", "4")
    content = lines.encode("utf-8", "surrogateescape")  # not the last line: that one is decoded
    assert str(error(written(tmp_path, content), (SeriesRequest("vus"),))).startswith(message)


def test_a_repeated_tag_keeps_its_last_value(tmp_path: Path) -> None:
    """json.loads keeps a repeated key's last value: this sample's status is 500."""
    content = DECLARE % ("vus", "gauge", "vus") + point(
        "vus", "9", '{"status":"200","status":"500"}'
    )
    found = read(written(tmp_path, content), (SeriesRequest("vus", (("status", "200"),)),))
    assert found["vus{status:200}"].stats == {}
    found = read(written(tmp_path, content), (SeriesRequest("vus", (("status", "500"),)),))
    assert found["vus{status:500}"].stats["value"].value == 9


def test_minus_zero_is_read_as_json_reads_it(tmp_path: Path) -> None:
    content = DECLARE % ("vus", "gauge", "vus") + point("vus", "-0")
    value = read(written(tmp_path, content), (SeriesRequest("vus"),))["vus"].stats["value"].value
    assert str(value) == "0.0"  # the integer 0, not -0.0


def test_numbers_float_takes_but_json_does_not_are_errors(tmp_path: Path) -> None:
    """``float()`` reads ``1_000`` and the others; the line is not the last (always decoded)."""
    for number in ("1_000", "+1", "nan", "Infinity", ".5", "0x10"):
        content = DECLARE % ("vus", "gauge", "vus") + point("vus", number) + point("vus", "1")
        assert str(error(written(tmp_path, content), (SeriesRequest("vus"),))).startswith(
            "run.ndjson:2: "
        ), number


def test_a_last_line_without_its_line_end_is_truncated(tmp_path: Path) -> None:
    """``..."value":20}}`` cut to ``..."value":2`` must not be read as 2."""
    content = DECLARE % ("vus", "gauge", "vus") + point("vus", "20")[:-10]
    for wanted in ((SeriesRequest("vus"),), ()):
        assert str(error(written(tmp_path, content), wanted)) == (
            "run.ndjson:2: the last line has no line end: the file is truncated"
        )


def test_crlf_line_ends_blank_lines_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    lf = DECLARE % ("vus", "gauge", "vus") + point("vus", "3") + point("vus", "4")
    crlf = "\ufeff" + lf.replace("\n", "\r\n").replace(
        point("vus", "3"), "\r\n  \n" + point("vus", "3")
    )
    expected = read(written(tmp_path, lf), (SeriesRequest("vus"),))
    assert read(written(tmp_path, crlf), (SeriesRequest("vus"),)) == expected
    assert read(written(tmp_path, crlf), ()) == read(written(tmp_path, lf), ())


def test_a_bad_byte_in_a_requested_metric_s_name_is_an_error_not_skipped(tmp_path: Path) -> None:
    """A failing check whose name a byte broke (``che\\xf4ks``) no longer holds the name: not
    UTF-8, it is not a line at all, and every block is held to UTF-8 whatever is asked."""
    content = (DECLARE % ("checks", "rate", "checks") + point("checks", "1")).encode()
    content += point("checks", "0").encode().replace(b"checks", b"che\xf4ks")
    path = written(tmp_path, content)
    assert error(path).message == "not valid UTF-8 (byte 0xf4)"
    assert error(path).position.line == 3
