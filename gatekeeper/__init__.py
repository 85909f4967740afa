"""gatekeeper: a phase gate checker for CI."""

from __future__ import annotations

__version__ = "0.1.0"
DEFAULT_MATRIX = "gatekeeper.yml"
"""The matrix file looked for when none is named."""
