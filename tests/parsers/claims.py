"""Which formats claim a file, as ``format: auto`` sees it: its head, its JSON document or
its JSON lines (``gatekeeper.parsers.claiming_formats``). A known file is claimed by its
own format alone; anything else by none."""

from __future__ import annotations

import tempfile
from pathlib import Path

from gatekeeper.parsers import claiming_formats


def claimed(path: Path) -> list[str]:
    """Every format that claims the file at ``path``."""
    return claiming_formats(path, path.name)


def claimed_bytes(content: bytes) -> list[str]:
    """Every format that claims a file holding ``content``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "artifact"
        path.write_bytes(content)
        return claimed(path)
