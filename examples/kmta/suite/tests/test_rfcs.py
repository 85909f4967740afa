from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


class TestPersistentVolumeRfc:
    text = (DOCS / "rfc-0007-persistent-volumes.md").read_text(encoding="utf-8")

    def test_the_rfc_is_accepted(self) -> None:
        assert "\nStatus: Accepted\n" in self.text

    def test_the_rfc_covers_motivation_design_and_rollout(self) -> None:
        headings = [line for line in self.text.splitlines() if line.startswith("## ")]
        assert headings == ["## Motivation", "## Design", "## Rollout"]
