"""Request bodies for the check run and the commit status: plain data, decided here only.

Conclusion: ``success`` only when the gate passed (exit code 0); everything else is
``failure``. Never ``neutral``: branch protection counts a neutral check as passing, and
gatekeeper fails closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from gatekeeper.github.annotate import Annotations, batches
from gatekeeper.github.fit import Kind, Part, fit, split_report
from gatekeeper.reporters.common import judged, standing, verdict
from gatekeeper.results import Report
from gatekeeper.text import plain

CHECK_RUN_TEXT_LIMIT = 65_535
"""output.summary and output.text, each, in UTF-8 BYTES. The REST reference (and OpenAPI's
maxLength) says "65535 characters", but GitHub enforces bytes: it answers 422 "summary
exceeds a maximum bytesize of 65535" (github/docs#35252, dorny/test-reporter#57)."""
ANNOTATIONS_PER_REQUEST = 50
"""OpenAPI: output.annotations has maxItems 50 ("a maximum of 50 annotations per request")."""
STATUS_DESCRIPTION_LIMIT = 140
"""Characters: GitHub answers 422 "description is too long (maximum is 140 characters)"."""
TITLE_LIMIT = 255
"""Characters. OpenAPI documents no limit on output.title; this is gatekeeper's own cap (the
length GitHub documents for an annotation title), so a long project name cannot be refused."""
ELSEWHERE = "The full report is in the job summary and in the JSON report (the `report` output)."


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


def _fit_bytes(parts: list[Part]) -> str:
    """Within CHECK_RUN_TEXT_LIMIT bytes; ``fit`` cuts only between lines, so never inside a
    character."""
    return fit(parts, CHECK_RUN_TEXT_LIMIT, measure=utf8_size, unit="bytes", elsewhere=ELSEWHERE)


def conclusion(exit_code: int) -> str:
    return "success" if exit_code == 0 else "failure"


def verdict_line(report: Report, exit_code: int) -> str:
    """'Iron gate failed — stands at Bronze': the verdict without the project's name."""
    return plain(f"{judged(report)} {verdict(report, exit_code)} — {standing(report)}")


@dataclass(frozen=True)
class CheckRunPlan:
    """The requests that publish one check run."""

    create: dict[str, Any]
    """POST body when no check run of ours exists yet (first annotation batch included)."""
    update: dict[str, Any]
    """PATCH body that turns an existing check run into this one."""
    more: tuple[dict[str, Any], ...]
    """PATCH bodies that add the remaining annotations, 50 at a time."""
    external_id: str
    """Marks the check run as this workflow run's (see ``publish``)."""

    @property
    def requests(self) -> int:
        return 1 + len(self.more)


def check_run(
    report: Report,
    exit_code: int,
    markdown: str,
    annotations: Annotations,
    *,
    name: str,
    sha: str,
    external_id: str,
    details_url: str | None,
    completed_at: dt.datetime,
) -> CheckRunPlan:
    """The matrix goes in ``output.summary``, the rest of the Markdown report in
    ``output.text``; each within 65,535 UTF-8 bytes (see ``fit``)."""
    parts = split_report(markdown)
    head = [p for p in parts if p.kind is Kind.HEAD]
    rest = [p for p in parts if p.kind is not Kind.HEAD]
    if annotations.left_out:
        shown = len(annotations.items)
        rest.insert(0, Part(Kind.FIXED, (
            f"*{shown} annotations were posted; {annotations.left_out} more are in the report.*",
            "",
        )))  # fmt: skip
    output: dict[str, Any] = {
        "title": _cut(plain(project_prefix(report) + verdict_line(report, exit_code)), TITLE_LIMIT),
        "summary": _fit_bytes(head),
        "text": _fit_bytes(rest),
    }
    first, *others = batches(annotations.items, ANNOTATIONS_PER_REQUEST)
    update: dict[str, Any] = {"name": name}
    if details_url:
        update["details_url"] = details_url
    update |= {
        "external_id": external_id,
        "status": "completed",
        "conclusion": conclusion(exit_code),
        "completed_at": completed_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "output": {**output, "annotations": list(first)} if first else output,
    }
    create = {"name": name, "head_sha": sha, **{k: v for k, v in update.items() if k != "name"}}
    more = tuple({"output": {**output, "annotations": list(batch)}} for batch in others)
    return CheckRunPlan(create, update, more, external_id)


def project_prefix(report: Report) -> str:
    return f"{report.matrix.project}: " if report.matrix.project else ""


def status(
    report: Report, exit_code: int, *, context: str, target_url: str | None
) -> dict[str, Any]:
    """A commit status: for tokens that cannot write checks, or for a second opinion."""
    body: dict[str, Any] = {"state": "success" if exit_code == 0 else "failure"}
    if target_url:
        body["target_url"] = target_url
    body["description"] = _cut(verdict_line(report, exit_code), STATUS_DESCRIPTION_LIMIT)
    body["context"] = context
    return body


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
