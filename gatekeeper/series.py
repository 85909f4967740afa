"""Series of evidence as a metric criterion sees them: which series it selects, and how a
statistic is read from one. Shared by the engine (judging) and the bundles (keeping what the
engine will read), so both read evidence one way."""

from __future__ import annotations

from collections.abc import Iterable

from gatekeeper.evidence import FALLBACK_STATS, Metric
from gatekeeper.model import MetricCriterion
from gatekeeper.selector import name_matches
from gatekeeper.stats import from_samples
from gatekeeper.units import Quantity


def _name_matches(criterion: MetricCriterion, metric: Metric) -> bool:
    return any(name_matches(n, criterion.name) for n in (metric.name, *metric.aliases))


def select_series(criterion: MetricCriterion, metrics: Iterable[Metric]) -> list[Metric]:
    """Series with the name and at least the tags asked for, but not a part of a series
    (``Metric.subseries``) narrowed by tags the selector does not name.

    So ``http_req_duration`` means k6's metric itself, not its sub-metrics, while two
    pytest-benchmark series of one name, one of them in a group, are both judged.
    """
    wanted = criterion.tags.items()
    return [
        m
        for m in metrics
        if _name_matches(criterion, m)
        and wanted <= dict(m.tags).items()
        and not (m.subseries and len(m.tags) > len(criterion.tags))
    ]


def read_statistic(metric: Metric, name: str) -> Quantity | None:
    """The statistic ``name`` of a series as thresholds read it: reported, reported under
    another name (FALLBACK_STATS), or derived from its raw samples."""
    for key in (name, *FALLBACK_STATS.get(name, ())):
        if key in metric.stats:
            return metric.stats[key]
    # any p(N), when the tool kept raw samples; each in its own dimension (count: a count)
    return from_samples(metric.samples, name, metric.sample_dimension)
