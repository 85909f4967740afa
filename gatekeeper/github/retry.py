"""When a failed GitHub call is worth repeating, and how long to wait first.

Only what can succeed on retry is retried: no response at all (connection refused, reset,
timed out); 500 (GitHub answers "Server Error" when it gives up on a request after 10 s,
"Troubleshooting the REST API"); 502, 503 and 504 (its front end's gateway pages); and rate
limits, which GitHub's troubleshooting guide describes as a 403 or 429 with
``x-ratelimit-remaining: 0`` (primary), or one whose message names a secondary rate limit
or with ``retry-after``: come back when ``Retry-After`` or ``x-ratelimit-reset`` says, and
otherwise "wait for at least one minute". Every other status, 501 and 505 among them and
every other 4xx, is refused the same way however often it is sent. Waiting is
never shorter than the server asked; a wait that would pass the policy's budget is not
started: the call fails at once, and the failure is reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

BACKOFF_VARIABLE = "GATEKEEPER_GITHUB_BACKOFF"
MAX_WAIT_VARIABLE = "GATEKEEPER_GITHUB_MAX_WAIT"
_SECONDARY_WORDS = ("secondary rate limit", "abuse detection")
_TRANSIENT_STATUSES = frozenset({500, 502, 503, 504})
T = TypeVar("T")
_NO_HINT_WAIT = 60.0
"""GitHub: without a header to say otherwise, wait at least one minute."""


class APIError(Exception):
    """A GitHub call failed for good; the message says which call and why."""

    def __init__(self, operation: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{operation}: {reason}")
        self.operation = operation
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    """Tries in all, the first included."""
    backoff: float = 1.0
    """Seconds before the second try after a 5xx or a broken connection; doubles each time."""
    max_wait: float = 60.0
    """Seconds of waiting one call may spend in all."""
    deadline: float | None = None
    """``clock()`` time after which no retry starts, whatever the call: all of a run's
    calls to GitHub share it (``api.GitHubClient`` sets it), so a sick API cannot hold the job."""
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    clock: Callable[[], float] = field(default=time.time, compare=False)

    @staticmethod
    def from_env(environ: Mapping[str, str]) -> RetryPolicy:
        """The defaults, or ``GATEKEEPER_GITHUB_BACKOFF`` / ``GATEKEEPER_GITHUB_MAX_WAIT``
        (seconds) where set to a number."""
        return RetryPolicy(
            backoff=_seconds(environ.get(BACKOFF_VARIABLE), RetryPolicy.backoff),
            max_wait=_seconds(environ.get(MAX_WAIT_VARIABLE), RetryPolicy.max_wait),
        )


@dataclass(frozen=True)
class Failure:
    """What came back from a failed call."""

    status: int | None
    """HTTP status; None when no response arrived (connection refused, timeout)."""
    message: str
    headers: Mapping[str, str] = field(default_factory=dict)


def wait_before_retry(failure: Failure, attempt: int, policy: RetryPolicy) -> float | None:
    """Seconds to wait before try ``attempt + 1`` (``attempt`` counts from 1), or None when
    the failure is not transient."""
    headers = {k.lower(): v for k, v in failure.headers.items()}
    hinted = retry_after(headers, policy.clock())
    backoff = policy.backoff * 2 ** (attempt - 1)
    if failure.status is None or failure.status in _TRANSIENT_STATUSES:
        return hinted if hinted is not None else backoff
    text = failure.message.lower()
    limited = failure.status == 429 or (
        failure.status == 403
        and (hinted is not None or any(w in text for w in _SECONDARY_WORDS) or _exhausted(headers))
    )
    if not limited:
        return None
    return hinted if hinted is not None else _NO_HINT_WAIT


def retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """The server's own word on when to come back, in seconds from ``now``."""
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    if value:
        import email.utils  # only for a dated Retry-After: start-up does not pay for it

        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None and when.tzinfo is not None:
            return max(0.0, when.timestamp() - now)
    if _exhausted(headers):
        reset = headers.get("x-ratelimit-reset", "").strip()
        if reset.isdigit():
            return max(0.0, float(reset) - now)
    return None


def _exhausted(headers: Mapping[str, str]) -> bool:
    return headers.get("x-ratelimit-remaining", "").strip() == "0"


def call_with_retries(
    operation: str,
    call: Callable[[], T],
    describe: Callable[[Exception], Failure | None],
    policy: RetryPolicy,
    before_retry: Callable[[], T | None] | None = None,
) -> T:
    """``call()``, repeated while ``describe`` calls its exceptions transient and the budget
    lasts. ``before_retry`` runs after each wait; what it returns, unless None, is the answer
    (a creation that went through although its response was lost). Raises APIError."""
    waited = 0.0
    for attempt in range(1, policy.attempts + 1):
        try:
            return call()
        except Exception as exc:  # describe() decides; what it does not know propagates
            failure = describe(exc)
            if failure is None:
                raise
            error = exc
        reason = _reason(failure)
        wait = wait_before_retry(failure, attempt, policy)
        if wait is None:
            raise APIError(operation, reason, failure.status) from error
        over_budget = waited + wait > policy.max_wait
        late = policy.deadline is not None and policy.clock() + wait > policy.deadline
        if attempt == policy.attempts or over_budget or late:
            why = f"{reason}; gave up after {_tries(attempt)}"
            if over_budget:
                why += f" (waiting {wait:g} s more would pass the {policy.max_wait:g} s budget)"
            elif late:
                why += " (the time allowed for the run's calls to GitHub is spent)"
            raise APIError(operation, why, failure.status) from error
        policy.sleep(wait)
        waited += wait
        if before_retry is not None:
            found = before_retry()
            if found is not None:
                return found
    raise AssertionError("unreachable: the last try returns or raises")


def _reason(failure: Failure) -> str:
    if failure.status is None:
        return f"no response ({failure.message})"
    return f"HTTP {failure.status}" + (f": {failure.message}" if failure.message else "")


def _tries(n: int) -> str:
    return "1 try" if n == 1 else f"{n} tries"


def _seconds(text: str | None, default: float) -> float:
    try:
        value = float(text) if text else default
    except ValueError:
        return default
    return value if value >= 0 else default
