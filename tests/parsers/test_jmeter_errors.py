"""JMeter JTL files that are wrong: each error names the file, the line and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.parsers.load import _jmeter_csv, _jmeter_tally, jmeter

HEADER = "timeStamp,elapsed,label,success\n"


def error_of(tmp_path: Path, content: bytes, name: str = "r.jtl") -> EvidenceError:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(EvidenceError) as caught:
        jmeter.parse(path, name)
    return caught.value


def test_no_header_names_the_expected_columns(tmp_path: Path) -> None:
    error = error_of(tmp_path, b"1551783627191,351,JR-OK,200,Good request,true\n")
    assert (error.position.file, error.position.line, error.position.column) == ("r.jtl", 1, 1)
    assert "no header line" in error.message
    assert "timeStamp,elapsed,label,success" in error.message
    assert "print_field_names=true" in error.message


def test_a_header_without_label(tmp_path: Path) -> None:
    error = error_of(tmp_path, b"timeStamp,elapsed,success\n1,2,true\n")
    assert error.position.line == 1
    assert "no label column" in error.message


def test_a_truncated_row(tmp_path: Path) -> None:
    error = error_of(tmp_path, (HEADER + "1000,5,A,true\n1010,7\n").encode())
    assert error.position.line == 3
    assert "expected 4 fields as the header names, found 2" in error.message
    assert "truncated" in error.message


@pytest.mark.parametrize("cut", ["1010,7", "1010,7,A,true", "1010,7,A,tru", '1010,7,"A'])
def test_a_last_row_without_its_line_end_is_truncated(tmp_path: Path, cut: str) -> None:
    """A number cut short (``70`` -> ``7``) would otherwise be read as a smaller one."""
    error = error_of(tmp_path, (HEADER + "1000,5,A,true\n" + cut).encode())
    assert (error.position.line, error.message) == (
        3,
        "the last row has no line end: the file is truncated",
    )


@pytest.mark.parametrize("flag", ["trug", "TRUE", "", "1"])
def test_a_success_flag_is_true_or_false(tmp_path: Path, flag: str) -> None:
    """Anything else is broken evidence (JMeter writes true or false), not a failure."""
    error = error_of(tmp_path, f"{HEADER}1000,5,A,true\n1000,5,A,{flag}\n".encode())
    assert (error.position.line, error.message) == (
        3,
        f"success is {flag!r}, expected true or false",
    )
    xml = f'<testResults><httpSample t="5" lb="A" s="true"/><sample t="5" lb="A" s="{flag}"/>'
    error = error_of(tmp_path, (xml + "</testResults>\n").encode())
    assert error.message == f"<sample> s={flag!r}, expected true or false"


def test_a_line_of_a_quoted_record_is_reported_where_the_record_starts(tmp_path: Path) -> None:
    content = HEADER.replace("success", "success,failureMessage")
    content += '1000,5,A,false,"multi\nline"\n1010,x7,A,true,\n'
    error = error_of(tmp_path, content.encode())
    assert error.position.line == 4
    assert "elapsed is 'x7', expected whole milliseconds" in error.message


@pytest.mark.parametrize("elapsed", ["-5", " 5", "5.0", "0x5", "1e3", "٣", "", "9" * 16])
def test_elapsed_must_be_plain_milliseconds(tmp_path: Path, elapsed: str) -> None:
    content = f"{HEADER}1000,5,A,true\n1000,{elapsed},A,true\n".encode()
    error = error_of(tmp_path, content)
    assert error.position.line == 3
    assert "expected whole milliseconds" in error.message


def test_not_utf8(tmp_path: Path) -> None:
    error = error_of(tmp_path, (HEADER + "1000,5,caf").encode() + b"\xe9,true\n")
    assert (error.position.line, error.position.column) == (2, 11)
    assert "not valid UTF-8 (byte 0xe9)" in error.message


def test_a_line_without_end_is_bounded(tmp_path: Path) -> None:
    content = HEADER.encode() + b"1000,5," + b"A" * (_jmeter_csv.MAX_LINE + 10) + b"\n"
    error = error_of(tmp_path, content)
    assert error.position.line == 2
    assert "line longer than" in error.message


def test_too_many_labels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_jmeter_tally, "MAX_LABELS", 3)
    rows = "".join(f"1000,5,label-{n},true\n" for n in range(5))
    error = error_of(tmp_path, (HEADER + rows).encode())
    assert error.position.line == 5
    assert "more than 3 distinct labels" in error.message


def test_truncated_xml(tmp_path: Path) -> None:
    content = b'<testResults version="1.2">\n<httpSample t="5" ts="1" s="true" lb="a"/>\n<httpS'
    error = error_of(tmp_path, content, "r.xml")
    assert error.position.line == 3
    assert "truncated" in error.message


def test_xml_with_another_root(tmp_path: Path) -> None:
    error = error_of(tmp_path, b"<?xml version='1.0'?>\n<results/>", "r.xml")
    assert error.position.line == 2
    assert "root element is <results>, not <testResults>" in error.message


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    content = (
        b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaa">]>\n'
        b'<testResults><httpSample t="1" ts="1" s="true" lb="&a;"/></testResults>'
    )
    error = error_of(tmp_path, content, "r.xml")
    assert error.position.line == 2
    assert error.message.startswith("refused")


def test_xml_sample_missing_what_the_first_had(tmp_path: Path) -> None:
    content = (
        b'<testResults>\n<httpSample t="1" ts="1" s="true" lb="a"/>\n'
        b'<httpSample ts="2" s="true" lb="a"/>\n</testResults>'
    )
    error = error_of(tmp_path, content, "r.xml")
    assert error.position.line == 3
    assert "has no t attribute, which the first sample has" in error.message


def test_xml_sample_without_label(tmp_path: Path) -> None:
    error = error_of(tmp_path, b'<testResults>\n<sample t="1"/>\n</testResults>', "r.xml")
    assert error.position.line == 2
    assert "no lb (label) attribute" in error.message


def test_xml_bad_elapsed(tmp_path: Path) -> None:
    content = b'<testResults>\n\n<httpSample t="fast" lb="a"/>\n</testResults>'
    error = error_of(tmp_path, content, "r.xml")
    assert error.position.line == 3
    assert "t='fast', expected whole milliseconds" in error.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as caught:
        jmeter.parse(tmp_path / "absent.jtl", "absent.jtl")
    assert "cannot read" in caught.value.message
