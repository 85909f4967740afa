"""Coverage reports: Cobertura XML, LCOV, JaCoCo XML, coverage.py JSON and Go cover profiles.

Each yields metric series of kind "coverage": one per file, one per package or folder where
the format has them, and ``TOTAL``. ``_counts`` holds what they share: the counts, their
checks (fail closed on counts that do not add up) and the statistics built from them.

Part of ``gatekeeper.parsers`` (the evidence layer): may import the base and model layers and
the readers in ``gatekeeper.parsers``; never the engine, reports or GitHub.
"""

from __future__ import annotations

KIND = "coverage"
"""The kind of a file's series: the ones a glob selecting several sums (``engine.coverage``)."""
GROUP_KIND = "coverage of a package"
"""The kind of a package's or folder's series (the sum of its files, as the report says)."""
TOTAL_KIND = "coverage of the report"
"""The kind of ``TOTAL``."""
TOTAL = "TOTAL"
"""The name of the series of a whole report."""
