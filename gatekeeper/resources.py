"""Files gatekeeper ships beside its code: the JSON Schemas and the starter matrix."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent


def schema_path(name: str) -> Path:
    """A schema in the wheel (gatekeeper/schemas) or, from a source tree, in schemas/."""
    for folder in (_HERE / "schemas", _HERE.parent / "schemas"):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"schema {name} is not installed with gatekeeper")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The parsed JSON Schema ``name`` (e.g. 'matrix.schema.json')."""
    loaded: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return loaded


def starter_matrix() -> str:
    """The text `gatekeeper init` writes."""
    return (_HERE / "templates" / "starter.yml").read_text(encoding="utf-8")
