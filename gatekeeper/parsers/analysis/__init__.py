"""Static-analysis reports: SARIF 2.1.0, the format of CodeQL, Semgrep, ruff, ESLint, Trivy
and most analysers.

They yield findings (``evidence.Finding``) and the analyser runs that made them
(``evidence.Analysis``), not tests or metric series: a ``findings`` criterion counts them.

Part of ``gatekeeper.parsers`` (the evidence layer): may import the base and model layers and
the readers in ``gatekeeper.parsers``; never the engine, reports or GitHub.
"""

from __future__ import annotations
