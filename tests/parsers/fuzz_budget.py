"""How long the differential tests search: bounded by default, longer when asked.

By default each property runs a few dozen examples, so a whole module stays well under
20 seconds. ``GATEKEEPER_FUZZ_SECONDS=N`` raises that to about N seconds per property
(at the measured pace of a few examples per 10 ms), and a hypothesis profile that sets
``max_examples`` (``--hypothesis-profile``) is used as it is.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_HYPOTHESIS_DEFAULT = 100


def budget(examples: int, per_second: int = 50) -> settings:
    """Settings for one property: ``examples`` unless the environment or profile says more."""
    seconds = float(os.environ.get("GATEKEEPER_FUZZ_SECONDS") or 0)
    profile = settings.default.max_examples
    wanted = examples if profile == _HYPOTHESIS_DEFAULT else profile
    if seconds:
        wanted = max(wanted, int(seconds * per_second))
    return settings(
        max_examples=wanted,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
