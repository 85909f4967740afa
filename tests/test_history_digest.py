"""The digest `gatekeeper history` reads a history into keeps the answers of the whole
history model (``model.build``, ``History.trend``, ``first_reached``) while holding only the
last N entries of each benchmark: lines in any order, written twice, on the same date."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from gatekeeper.history.digest import Digest
from gatekeeper.history.model import TagMark, build, first_reached
from gatekeeper.history.records import read_lines
from gatekeeper.history.view import first_reached as digest_reached
from tests.history_fixtures import NOV, line

PHASES = ["stone", "bronze", "iron"]


def _lines() -> list[bytes]:
    made = []
    for i in range(12):
        when = NOV + dt.timedelta(days=i // 2)  # two evaluations a day: ties on the date
        p95 = 180.0 + 9 * i if i != 5 else 300.0  # the sixth fails Bronze's gate
        made.append(line(p95, 30.0 + i, when=when, commit=f"{i:040x}").encode())
    return made


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("last", [1, 3, 20])
def test_the_digest_answers_as_the_whole_history(seed: int, last: int) -> None:
    lines = _lines()
    rng = random.Random(seed)
    shuffled = lines + rng.sample(lines, 4)  # some records read twice
    rng.shuffle(shuffled)
    history = build(read_lines("h", shuffled))
    digest = Digest(last=last).feed(read_lines("h", shuffled))
    assert digest.evaluations == len(history.evaluations) == 12
    assert digest.latest is not None and digest.latest[1] == history.evaluations[-1]
    assert digest.benchmark_refs() == history.benchmark_refs()
    for ref in history.benchmark_refs():
        whole = [(e.commit, b) for e in history.evaluations for b in e.benchmarks if b.ref == ref]
        assert [(commit, entry) for _, _, commit, entry in digest.window(ref)] == whole[-last:]
    tags = [
        TagMark("stone", "phase/stone", NOV - dt.timedelta(days=3), "c" * 40),
        TagMark("iron", "phase/iron", NOV + dt.timedelta(days=30), "d" * 40),
    ]
    assert digest_reached(digest, PHASES, tags) == first_reached(history, PHASES, tags)


def test_since_and_a_selection_keep_less() -> None:
    lines = _lines()
    since = NOV + dt.timedelta(days=3)
    digest = Digest(last=20, since=since, patterns=["ingress/*"]).feed(read_lines("h", lines))
    assert digest.evaluations == 6 and digest.first == since
    assert set(digest.windows) == {"ingress/stone/hot-setting-e2e", "ingress/bronze/track-latency"}
    assert "auth/stone/dkim-signing" in digest.benchmark_refs()  # named, though not kept
    assert digest.passed["stone"][0][0] == NOV  # the whole history says when a gate first passed
