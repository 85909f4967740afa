"""A fake GitHub REST API on 127.0.0.1 that validates every request against GitHub's own
description (openapi_subset.json) and answers like GitHub.

    with FakeGitHub() as github:          # or the `fake_github` fixture (fixture.py)
        ... GITHUB_API_URL=github.url ...
        assert github.violations == []

A request to anything but the contract's endpoints, with bad parameters, a body the schema
rejects, or no token, is answered as GitHub would (404, 422, 400, 401) and recorded in
`violations`; every request is recorded in `requests`. `fail()` injects failures, `pause()`
holds answers back so that concurrent clients interleave.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import time
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from . import actions, api, spec
from .faults import Fault, make_fault
from .handler import LocalServer
from .pauses import Pause, make_pause
from .queries import Inspection
from .records import RecordedRequest, Violation, parsed_body
from .state import Identity, Refused, Store

DEFAULT_TOKEN = "ghs_FakeInstallationToken0000000000000000"
REST_DOCS = "https://docs.github.com/rest"


class FakeGitHub(Inspection):
    def __init__(self, *, prefix: str = "", token: str = DEFAULT_TOKEN) -> None:
        """`prefix`: the API root's path, e.g. `/api/v3` as on GitHub Enterprise Server."""
        self.prefix = prefix.rstrip("/")
        self.token = token
        self.members_tokens: set[str] = set()
        """Tokens that can read the organisation's teams (an App's with Members: read); any
        other request is answered as with ``token``."""
        self.read_only = False
        """A fork's pull request token: every write is refused with 403."""
        self.requests: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self.faults: list[Fault] = []
        self.pauses: list[Pause] = []
        self.store = Store(api_url="http://unstarted")
        self._lock = threading.RLock()
        self._counter = itertools.count(1)
        self.connections: set[socket.socket] = set()
        """Open client connections, closed by stop() so no handler thread lingers."""
        self._httpd: LocalServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        httpd = LocalServer(self)
        self._httpd = httpd
        self.store.api_url = self.url
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-github"
        )  # a short poll: stop() waits for it
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None or self._thread is None:
            return
        self._httpd.shutdown()
        for connection in list(self.connections):  # idle keep-alive clients
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()
        self._thread.join()
        self._httpd = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The API root, what GITHUB_API_URL holds."""
        assert self._httpd is not None, "start() the fake first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{self.prefix}"

    # -- configuration ---------------------------------------------------------------------

    @property
    def identity(self) -> Identity | None:
        """Who the token is: None (default) for an installation token like GITHUB_TOKEN."""
        return self.store.identity

    @identity.setter
    def identity(self, who: Identity | None) -> None:
        self.store.identity = who

    def use_app_token(self, bot: Identity) -> None:
        """From now on the token is an App's installation token posting as `bot`."""
        with self._lock:
            self.store.identity, self.store.installation = None, bot

    @property
    def repository(self) -> str:
        """The one repository (owner/name) the fake holds; others are 404."""
        return self.store.repository

    @repository.setter
    def repository(self, full_name: str) -> None:
        self.store.repository = full_name

    def fail(
        self,
        method: str,
        path_regex: str,
        status: int,
        times: int | None = 1,
        headers: dict[str, str] | None = None,
        body: bytes | str | dict[str, object] | None = None,
        after: bool = False,
    ) -> Fault:
        """Answer matching requests with `status` `times` times (None: always); see faults.py.

        Only requests GitHub would accept meet a fault: a bad one is refused (and recorded
        as a violation) first, as it would be on GitHub whatever the weather.
        """
        fault = make_fault(method, path_regex, status, times, headers, body, after)
        with self._lock:
            self.faults.append(fault)
        return fault

    def lose_answer(self, method: str, path_regex: str, times: int | None = 1) -> Fault:
        """The request is carried out, then the gateway answers 502: a creation whose answer
        is lost, so a client that repeats it without looking first makes a duplicate."""
        return self.fail(method, path_regex, 502, times, after=True)

    def pause(
        self, method: str, path_regex: str, *, seconds: float = 0.0, together: int = 0
    ) -> Pause:
        """Hold back the answers of matching requests (see pauses.py): ``seconds`` each, or
        the first ``together`` until all of them are carried out."""
        pause = make_pause(method, path_regex, seconds, together)
        with self._lock:
            self.pauses.append(pause)
        return pause

    def secondary_rate_limit(
        self, method: str, path_regex: str, retry_after: int = 1, times: int = 1, status: int = 403
    ) -> Fault:
        """GitHub's secondary rate limit: 403 (or 429) with Retry-After and its message."""
        headers = {"Retry-After": str(retry_after), "X-RateLimit-Remaining": "4990"}
        return self.fail(method, path_regex, status, times, headers)

    # -- requests --------------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """One HTTP request: the status, headers and body to answer with."""
        split = urlsplit(target)
        pairs = parse_qsl(split.query, keep_blank_values=True)
        query: dict[str, list[str]] = {}
        for name, value in pairs:
            query.setdefault(name, []).append(value)
        headers = {k.lower(): v for k, v in headers.items()}
        parsed = parsed_body(raw)
        record = RecordedRequest(method, split.path, query, parsed, headers, time.monotonic())
        with self._lock:  # one request at a time: a ref is read and moved in one step
            self.requests.append(record)
            status, extra, body = self._answer(record, raw, pairs)
            record.status = status
            rel = split.path[len(self.prefix) :]
            held = [p for p in self.pauses if p.claim(method, rel)]
        for pause in held:  # outside the lock: other clients are answered meanwhile
            pause.wait()
        number = next(self._counter)
        common = {
            "Content-Type": "application/json; charset=utf-8",
            "X-GitHub-Api-Version-Selected": "2022-11-28",
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Request-Id": f"FAKE:{number:08X}",
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": str(max(0, 5000 - number)),
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
            "X-RateLimit-Used": str(number),
            "X-RateLimit-Resource": "core",
        }
        return status, {**common, **extra}, body

    def _refuse(
        self, record: RecordedRequest, status: int, body: dict[str, Any]
    ) -> tuple[int, dict[str, str], bytes]:
        self.violations.append(Violation(record.method, record.path, status, body["message"]))
        return status, {}, json.dumps({**body, "status": str(status)}).encode()

    def _answer(
        self, record: RecordedRequest, raw: bytes, pairs: list[tuple[str, str]]
    ) -> tuple[int, dict[str, str], bytes]:
        method, path = record.method, record.path
        if method == "GET" and path.startswith(actions.STORAGE):
            try:
                status, zipped = actions.stored(self.store, path, record.headers)
            except Refused as refused:
                return self._refuse(record, refused.status, refused.body)
            return status, {"Content-Type": "application/zip"}, zipped
        if self.prefix and not path.startswith(self.prefix + "/"):
            return self._refuse(
                record, 404, {"message": f"Not Found (the API is under {self.prefix})"}
            )
        rel = path[len(self.prefix) :]
        auth = record.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if not auth:
            return self._refuse(
                record, 401, {"message": "Requires authentication", "documentation_url": REST_DOCS}
            )
        known = {self.token, *self.members_tokens}
        if scheme.lower() not in ("token", "bearer") or token.strip() not in known:
            return self._refuse(
                record, 401, {"message": "Bad credentials", "documentation_url": REST_DOCS}
            )
        rel = self._unalias(rel)
        found = spec.route(method, rel)
        if found is None:
            message = f"Not Found: {method} {rel} is none of the endpoints in openapi_subset.json"
            return self._refuse(record, 404, {"message": message, "documentation_url": REST_DOCS})
        endpoint, values = found
        typed, problems = spec.check_parameters(endpoint, values, record.query)
        owner, repo = typed.get("owner"), typed.get("repo")
        if owner is not None and not self.store.knows_repository(str(owner), str(repo)):
            problems.append(spec.Problem(404, f"Not Found: the fake holds {self.repository}"))
        body, body_problems = spec.check_body(endpoint, raw)
        problems += body_problems
        if problems:
            for extra in problems[1:]:
                self.violations.append(Violation(method, path, extra.status, extra.message))
            docs = endpoint.docs if problems[0].status == 422 else REST_DOCS
            return self._refuse(
                record,
                problems[0].status,
                {"message": problems[0].message, "documentation_url": docs},
            )
        if self.read_only and method != "GET":
            refusal = {"message": "Resource not accessible by integration", "status": "403"}
            return 403, {}, json.dumps({**refusal, "documentation_url": endpoint.docs}).encode()
        fault = self._fault(method, rel, after=False)
        if fault is not None:
            return fault
        call = api.Call(typed, pairs, body, self._list_url(rel))
        self.store.reads_members = token.strip() in self.members_tokens
        try:
            answer = api.OPERATIONS[endpoint.operation_id](self.store, call)
        except Refused as refused:
            if refused.violation:
                details = [e["message"] for e in refused.body.get("errors", [])]
                message = ": ".join([refused.body["message"], *details])
                self.violations.append(Violation(method, path, refused.status, message))
            return refused.status, {}, json.dumps(refused.body).encode()
        fault = self._fault(method, rel, after=True)
        if fault is not None:
            return fault
        body = b"" if answer.body is None else json.dumps(answer.body).encode()
        return answer.status, answer.headers, body

    def _fault(
        self, method: str, rel: str, after: bool
    ) -> tuple[int, dict[str, str], bytes] | None:
        for fault in self.faults:
            if fault.matches(method, rel, after):
                fault.hits += 1
                fault.answered.append(time.monotonic())
                return (
                    fault.status,
                    {"Content-Type": fault.content_type, **fault.headers},
                    fault.body,
                )
        return None

    def _unalias(self, rel: str) -> str:
        """`/repositories/{id}/...` (GitHub's Link URLs) as `/repos/{owner}/{repo}/...`."""
        head, _, rest = rel.removeprefix("/repositories/").partition("/")
        if rel.startswith("/repositories/") and head == str(self.store.repository_id):
            return f"/repos/{self.repository}/{rest}"
        return rel

    def _list_url(self, rel: str) -> str:
        owner_repo = f"/repos/{self.repository}/"
        if rel.lower().startswith(owner_repo.lower()):
            rel = f"/repositories/{self.store.repository_id}/{rel[len(owner_repo) :]}"
        return f"{self.url}{rel}"
