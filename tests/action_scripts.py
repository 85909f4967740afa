"""The scripts of action/, loaded for the tests by path, as the runner runs them.

action/ is no package: action.yml runs `python3 .../action/install.py` and
`$PYTHON .../action/launch.py`, so the tests load the same files the same way.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"gatekeeper_action_{name}", REPO / "action" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


launch = _load("launch")
install = _load("install")
