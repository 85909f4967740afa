"""A fake GitHub REST API for the tests, validated against GitHub's own description."""

from __future__ import annotations

from .records import RecordedRequest, Violation
from .server import DEFAULT_TOKEN, FakeGitHub
from .state import ACTIONS_BOT, Identity

__all__ = ["ACTIONS_BOT", "DEFAULT_TOKEN", "FakeGitHub", "Identity", "RecordedRequest", "Violation"]
