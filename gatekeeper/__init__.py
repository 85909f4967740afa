"""gatekeeper: a phase gate checker for CI.

The layers, lowest first: base, model, evidence (``parsers``, ``matrix``, ``collect``,
``bundles``), verdict (``engine``, ``results``), drafting (``init_from``), reports
(``reporters``), ``phases``,
``github``, ``commands``, ``cli``. A module imports only from its own layer and those below;
docs/architecture.md draws them and tests/test_layers.py holds them.
"""

from __future__ import annotations

__version__ = "0.1.0"
DEFAULT_MATRIX = "gatekeeper.yml"
"""The matrix file looked for when none is named."""
