"""The KMTA example's history: what examples/kmta/history.py writes, every line a record,
and the story its docstring tells (Stone reached 2026-06-29, Bronze 2026-09-14)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import jsonschema

from gatekeeper.history.model import first_reached, read_paths

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "kmta"
SCHEMA = json.loads((ROOT / "schemas" / "history.schema.json").read_text(encoding="utf-8"))


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kmta_history", EXAMPLE / "history.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _lines(folder: Path) -> dict[str, list[dict[str, object]]]:
    found = {}
    for path in sorted(folder.glob("*.jsonl")):
        lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
        for line in lines:
            line.pop("gatekeeper_version")  # the only part that changes with a release
        found[path.name] = lines
    return found


def test_the_committed_history_is_what_the_script_writes(tmp_path: Path) -> None:
    _script().write(tmp_path)
    assert _lines(tmp_path) == _lines(EXAMPLE / "history"), (
        "examples/kmta/history/ is stale: run `python examples/kmta/history.py`"
    )


def test_every_line_is_a_record_and_the_story_holds() -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for lines in _lines(EXAMPLE / "history").values():
        for line in lines:
            line["gatekeeper_version"] = "x"
            validator.validate(line)
    history = read_paths([EXAMPLE / "history"])
    assert history.problems == ()
    assert len(history.evaluations) == 27
    reached = first_reached(history, ["sandbox", "stone", "bronze", "iron", "steel"])
    assert {p: r.date.date() for p, r in reached.items()} == {
        "sandbox": dt.date(2026, 6, 1),
        "stone": dt.date(2026, 6, 29),
        "bronze": dt.date(2026, 9, 14),
    }
    latency = history.trend("ingress-api/iron/splitter-latency")
    assert sorted(latency) == [
        "http_req_duration{scenario:splitter}: med < 120ms",
        "http_req_duration{scenario:splitter}: p(95) < 250ms",
    ]
    p95 = latency["http_req_duration{scenario:splitter}: p(95) < 250ms"]
    assert len(p95) == 17, "one point a week from 2026-08-10, when Iron's evidence starts"
    crossed = [e.date.date() for e, p in p95 if not p.ok]
    assert crossed[0] == dt.date(2026, 9, 21), "the splitter's p95 crosses 250 ms in September"
