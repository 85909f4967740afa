"""When to retry a GitHub call and how long to wait: never less than the server asked."""

from __future__ import annotations

import email.utils

import pytest

from gatekeeper.github.retry import (
    APIError,
    Failure,
    RetryPolicy,
    call_with_retries,
    retry_after,
    wait_before_retry,
)

NOW = 1_800_000_000.0
SECONDARY = "You have exceeded a secondary rate limit. Please wait a few minutes."


def _policy(**changes: object) -> tuple[RetryPolicy, list[float]]:
    slept: list[float] = []
    fields: dict[str, object] = {"sleep": slept.append, "clock": lambda: NOW, **changes}
    return RetryPolicy(**fields), slept  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("failure", "attempt", "wait"),
    [
        (Failure(502, "Bad Gateway"), 1, 1.0),
        (Failure(503, ""), 3, 4.0),  # doubles
        (Failure(None, "ConnectionError"), 2, 2.0),
        (Failure(500, "", {"Retry-After": "7"}), 1, 7.0),
        (Failure(429, "", {"retry-after": "3"}), 1, 3.0),
        (Failure(429, ""), 1, 60.0),  # no hint: at least a minute
        (Failure(403, SECONDARY), 1, 60.0),
        (Failure(403, SECONDARY, {"Retry-After": "1"}), 4, 1.0),
        (Failure(403, "API rate limit exceeded",
                 {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(NOW) + 30)}), 1, 30.0),
        (Failure(403, "Resource not accessible by integration"), 1, None),
        (Failure(404, "Not Found"), 1, None),
        (Failure(422, "Validation Failed"), 1, None),
        (Failure(504, "Gateway Timeout"), 2, 2.0),
        (Failure(501, "Not Implemented"), 1, None),  # the same answer however often asked
        (Failure(505, "HTTP Version Not Supported"), 1, None),
        (Failure(501, "", {"Retry-After": "1"}), 1, None),
        (Failure(400, "Problems parsing JSON"), 1, None),
        (Failure(401, "Bad credentials"), 1, None),
    ],
)  # fmt: skip
def test_what_is_retried_and_after_how_long(
    failure: Failure, attempt: int, wait: float | None
) -> None:
    policy, _ = _policy()
    assert wait_before_retry(failure, attempt, policy) == wait


def test_retry_after_as_an_http_date() -> None:
    when = email.utils.formatdate(NOW + 12, usegmt=True)
    assert retry_after({"retry-after": when}, NOW) == pytest.approx(12.0)
    assert retry_after({"retry-after": "soon"}, NOW) is None


class Flaky:
    """Fails with the given failures, then answers."""

    def __init__(self, *failures: Failure) -> None:
        self.failures = list(failures)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise _Boom(self.failures.pop(0))
        return "done"


class _Boom(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def _describe(exc: Exception) -> Failure | None:
    return exc.failure if isinstance(exc, _Boom) else None


def test_a_502_then_success_waits_the_backoff() -> None:
    policy, slept = _policy(backoff=0.01)
    call = Flaky(Failure(502, "Bad Gateway"))
    assert call_with_retries("create", call, _describe, policy) == "done"
    assert (call.calls, slept) == (2, [0.01])


def test_a_secondary_rate_limit_waits_exactly_retry_after() -> None:
    policy, slept = _policy(backoff=0.01)
    call = Flaky(Failure(403, SECONDARY, {"Retry-After": "2"}))
    assert call_with_retries("create", call, _describe, policy) == "done"
    assert slept == [2.0]  # not the tiny backoff: the server's word


def test_a_wait_past_the_budget_is_not_started() -> None:
    policy, slept = _policy(max_wait=30)
    call = Flaky(Failure(403, SECONDARY, {"Retry-After": "45"}))
    with pytest.raises(APIError) as raised:
        call_with_retries("create check run", call, _describe, policy)
    assert slept == [] and call.calls == 1
    assert str(raised.value) == (
        "create check run: HTTP 403: " + SECONDARY + "; gave up after 1 try "
        "(waiting 45 s more would pass the 30 s budget)"
    )
    assert raised.value.status == 403


def test_a_persistent_500_gives_up_after_the_attempts() -> None:
    policy, slept = _policy(backoff=0.01, attempts=4)
    call = Flaky(*[Failure(500, "Server Error")] * 10)
    with pytest.raises(APIError, match=r"HTTP 500: Server Error; gave up after 4 tries$"):
        call_with_retries("list", call, _describe, policy)
    assert slept == [0.01, 0.02, 0.04]


def test_what_is_not_transient_fails_at_once_and_bugs_propagate() -> None:
    policy, slept = _policy()
    with pytest.raises(APIError, match=r"^comment: HTTP 404: Not Found$"):
        call_with_retries("comment", Flaky(Failure(404, "Not Found")), _describe, policy)

    def bug() -> str:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        call_with_retries("x", bug, _describe, policy)
    assert slept == []


def test_a_creation_found_after_a_lost_response_is_not_repeated() -> None:
    policy, slept = _policy(backoff=0.01)
    call = Flaky(Failure(502, "Bad Gateway"))
    assert call_with_retries("create", call, _describe, policy, lambda: "found") == "found"
    assert call.calls == 1 and slept == [0.01]
    again = Flaky(Failure(502, "Bad Gateway"))
    assert call_with_retries("create", again, _describe, policy, lambda: None) == "done"
    assert again.calls == 2


def test_the_policy_from_the_environment() -> None:
    assert RetryPolicy.from_env({}) == RetryPolicy()
    tuned = RetryPolicy.from_env(
        {"GATEKEEPER_GITHUB_BACKOFF": "0.01", "GATEKEEPER_GITHUB_MAX_WAIT": "5"}
    )
    assert (tuned.backoff, tuned.max_wait) == (0.01, 5.0)
    assert RetryPolicy.from_env({"GATEKEEPER_GITHUB_BACKOFF": "-1"}).backoff == 1.0
    assert RetryPolicy.from_env({"GATEKEEPER_GITHUB_MAX_WAIT": "x"}).max_wait == 60.0


def test_no_retry_starts_after_the_run_s_deadline() -> None:
    policy, slept = _policy(backoff=0.01, deadline=NOW + 5)
    call = Flaky(Failure(403, SECONDARY, {"Retry-After": "6"}))
    spent = r"the time allowed for the run's calls to GitHub is spent\)$"
    with pytest.raises(APIError, match=spent):
        call_with_retries("create", call, _describe, policy)
    assert slept == []
    assert call_with_retries("create", Flaky(Failure(502, "")), _describe, policy) == "done"
