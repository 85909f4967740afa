"""The check run and commit status bodies, on exact output."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from gatekeeper.github import annotate, payloads
from gatekeeper.github.annotate import Annotations, Location
from gatekeeper.github.fit import Kind, render, split_report
from gatekeeper.results import Report
from tests.github.gh_build import big, markdown, scenario

NOW = dt.datetime(2026, 11, 26, 7, 30, 5, tzinfo=dt.timezone.utc)


def _where(test: object) -> Location | None:
    file, line = getattr(test, "file", None), getattr(test, "line", None)
    return Location(file, line or 1) if file else None


def _plan(report: Report, code: int, notes: Annotations | None = None) -> payloads.CheckRunPlan:
    return payloads.check_run(
        report,
        code,
        markdown(report, code),
        notes if notes is not None else Annotations(()),
        name="gatekeeper",
        sha="ec26c3e57ca3a959ca5aad62de7213c562f8c821",
        external_id="gatekeeper:7:1",
        details_url="https://github.com/o/r/actions/runs/7",
        completed_at=NOW,
    )


def test_a_failing_gate_makes_a_failure_with_the_matrix_in_the_summary() -> None:
    s = scenario("failing")
    text = markdown(s.report, s.exit_code)
    parts = split_report(text)
    plan = _plan(s.report, s.exit_code)
    assert plan.create == {
        "name": "gatekeeper",
        "head_sha": "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
        "details_url": "https://github.com/o/r/actions/runs/7",
        "external_id": "gatekeeper:7:1",
        "status": "completed",
        "conclusion": "failure",
        "completed_at": "2026-11-26T07:30:05Z",
        "output": {
            "title": "KMTA: Iron gate failed — stands at Stone",
            "summary": render([p for p in parts if p.kind is Kind.HEAD]),
            "text": render([p for p in parts if p.kind is not Kind.HEAD]),
        },
    }
    assert plan.update == {k: v for k, v in plan.create.items() if k != "head_sha"}
    assert plan.more == ()
    assert plan.create["output"]["summary"].startswith("## ❌ KMTA: Iron gate FAILED")


@pytest.mark.parametrize(("name", "conclusion"), [("passing", "success"), ("failing", "failure"),
                                                  ("no-evidence", "failure")])  # fmt: skip
def test_success_only_when_the_gate_passed(name: str, conclusion: str) -> None:
    s = scenario(name)
    assert _plan(s.report, s.exit_code).create["conclusion"] == conclusion
    assert payloads.conclusion(s.exit_code) == conclusion


def test_never_neutral_whatever_the_exit_code() -> None:
    assert {payloads.conclusion(code) for code in range(5)} == {"success", "failure"}


def test_120_annotations_go_50_50_20() -> None:
    s = big(1, 120)
    notes = annotate.build(s.report, matrix_path=None, locate=_where)
    assert len(notes.items) == 120
    plan = _plan(s.report, s.exit_code, notes)
    sizes = [len(plan.create["output"]["annotations"])]
    sizes += [len(body["output"]["annotations"]) for body in plan.more]
    assert sizes == [50, 50, 20]
    assert plan.requests == 3
    first = plan.create["output"]
    for body in plan.more:  # title and summary go with every batch: the schema requires them
        assert set(body) == {"output"}
        assert {k: body["output"][k] for k in ("title", "summary", "text")} == {
            k: first[k] for k in ("title", "summary", "text")
        }
    every = plan.create["output"]["annotations"] + [
        a for body in plan.more for a in body["output"]["annotations"]
    ]
    assert len({(a["path"], a["title"]) for a in every}) == 120


def test_text_over_the_limit_is_trimmed_and_says_so() -> None:
    s = big(80, 20, message="E" * 600)
    plan = _plan(s.report, s.exit_code)
    output = plan.create["output"]
    assert all(len(output[k].encode("utf-8")) <= 65_535 for k in ("summary", "text"))
    assert "Left out to stay within GitHub's limit of 65,535 bytes" in output["text"]
    assert "the benchmarks of later phases" in output["text"]
    assert output["summary"].count("| **Swimlane number") == 80  # the matrix is whole


def test_annotations_beyond_the_cap_are_counted_in_the_text() -> None:
    s = big(2, 300)
    notes = annotate.build(s.report, matrix_path=None, locate=_where)
    assert (len(notes.items), notes.left_out) == (annotate.MAX_ANNOTATIONS, 100)
    plan = _plan(s.report, s.exit_code, notes)
    assert plan.requests == 10
    assert plan.create["output"]["text"].startswith(
        "*500 annotations were posted; 100 more are in the report.*\n"
    )


def test_status_description_is_at_most_140_characters() -> None:
    s = scenario("failing")
    long = "Iron " + "and steel " * 30
    phases = tuple(
        dataclasses.replace(p, name=long) if p.id == "iron" else p for p in s.matrix.phases
    )
    report = dataclasses.replace(s.report, matrix=dataclasses.replace(s.matrix, phases=phases))
    body = payloads.status(report, s.exit_code, context="x" * 300, target_url="https://run")
    assert len(body["description"]) == 140 and body["description"].endswith("…")
    assert body == {
        "state": "failure",
        "target_url": "https://run",
        "description": body["description"],
        "context": "x" * 300,
    }
    short = payloads.status(s.report, s.exit_code, context="gatekeeper", target_url=None)
    assert short == {
        "state": "failure",
        "description": "Iron gate failed — stands at Stone",
        "context": "gatekeeper",
    }


def test_hostile_names_reach_the_title_inert() -> None:
    s = scenario("hostile")
    plan = _plan(s.report, s.exit_code)
    title = plan.create["output"]["title"]
    assert "\n" not in title and "\r" not in title and "\x1b" not in title
    assert not title.startswith("::") and "##[" not in title
    assert len(title) <= payloads.TITLE_LIMIT
    report = dataclasses.replace(s.report, matrix=dataclasses.replace(s.matrix, project="P" * 400))
    assert len(_plan(report, s.exit_code).create["output"]["title"]) == payloads.TITLE_LIMIT


def test_a_check_run_without_details_url_leaves_it_out() -> None:
    s = scenario("passing")
    plan = payloads.check_run(
        s.report, s.exit_code, markdown(s.report, s.exit_code), Annotations(()),
        name="gate", sha="a" * 40, external_id="gatekeeper:local:1", details_url=None,
        completed_at=NOW,
    )  # fmt: skip
    assert "details_url" not in plan.create and plan.create["conclusion"] == "success"
    assert list(plan.create)[:3] == ["name", "head_sha", "external_id"]


def test_emoji_text_is_measured_in_utf8_bytes_and_cut_only_between_lines() -> None:
    """GitHub refuses more than 65,535 BYTES ("summary exceeds a maximum bytesize of 65535");
    a text of four-byte characters under 65,535 characters is still trimmed."""
    from gatekeeper.github.fit import Kind, Part
    from gatekeeper.github.payloads import _fit_bytes

    lines = tuple(f"| **lane {n}** | " + "🟩 | " * 20 for n in range(1_000))
    parts = [Part(Kind.HEAD, ("## headline", "", "| a |", "|---|", *lines))]
    assert sum(len(x) + 1 for x in lines) < 3 * 65_535 and len("".join(lines)) > 65_535 // 4
    text = _fit_bytes(parts)
    size = len(text.encode("utf-8"))
    assert 60_000 < size <= 65_535
    kept = [x for x in text.splitlines() if x.startswith("| **lane")]
    assert kept == list(lines[: len(kept)])  # whole rows, first ones kept
    assert "65,535 bytes" in text
