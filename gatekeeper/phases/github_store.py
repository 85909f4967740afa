"""Phase tags through the GitHub REST API: ``promote`` in the Action, where the checkout may
be shallow and a local tag would never reach GitHub.

Reading: the tags under the pattern's fixed prefix (``git/matching-refs``), each annotated
one peeled to its commit (``git/tags``), kept when ``compare/{tag commit}...{commit}`` says
``identical`` or ``ahead`` (the tagged commit is the judged one or an ancestor of it).
Writing, in order: the annotated tag object, the ``refs/tags/`` ref that makes it a tag, and
a release whose notes are the Markdown report. Calls go through ``retry.call_with_retries``
like every other GitHub call. A failure before the ref exists leaves no tag (exit 2); a
failure after it, the tag without its release: ``PartialPromotion`` says so (exit 4), and a
rerun of ``promote`` completes the release. A lost answer (GitHub did the work, the client
got a 5xx) is looked for before a retry repeats the ref or the release: the ref through
``git/matching-refs`` (on the same commit it is ours; on another, refused), the release
through ``releases/tags/{tag}``. The tag object cannot be looked for (GitHub lists no tag
objects by name): a lost answer there leaves an unreferenced object, invisible and harmless.
Deleting: the ``refs/tags/`` ref of a phase tag whose gate failed (``check
--delete-failed-tag``, see github/tagcleanup.py).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from gatekeeper.errors import ExitCode, GatekeeperError
from gatekeeper.github import rest
from gatekeeper.github.rest import Answered, describe
from gatekeeper.github.retry import APIError, Failure, RetryPolicy, call_with_retries
from gatekeeper.phases.promotion import refuse_existing
from gatekeeper.phases.tags import TagRef

_TIMEOUT_SECONDS = 30
_SHA = re.compile(r"[0-9a-f]{40}")
_NOT_TAGGED = "nothing was tagged"
_NOT_DELETED = "nothing was deleted"
_REACHABLE = ("identical", "ahead")
"""compare BASE...HEAD: HEAD is BASE, or BASE is among HEAD's ancestors."""


class GitHubTagError(GatekeeperError):
    """A GitHub call for phase tags failed; no tag was made, or none deleted (exit 2)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        """The HTTP status of the failed call; None when no answer came."""


class PartialPromotion(GatekeeperError):
    """The tag was made but its release was not: the promotion did not finish (exit 4)."""

    exit_code = ExitCode.INTERNAL


@dataclass(frozen=True)
class Bodies:
    """The three write requests, for ``--dry-run`` and for the record."""

    tag: dict[str, Any]
    ref: dict[str, Any]
    release: dict[str, Any]


class GitHubTags:
    """Phase tags of ``repository`` on GitHub; ``head`` is the commit the job judges."""

    def __init__(
        self, api_url: str, repository: str, token: str, head: str, policy: RetryPolicy
    ) -> None:
        self.repo_url = f"{api_url.rstrip('/')}/repos/{repository}"
        self.repository = repository
        self.head = head
        self._policy = policy
        self._token = token
        self._session = rest.session()

    @staticmethod
    def from_env(environ: Mapping[str, str]) -> GitHubTags:
        head = environ.get("GITHUB_SHA", "")
        if not _SHA.fullmatch(head):
            raise GitHubTagError(
                f"GITHUB_SHA {head!r} is not a commit SHA; phase tags through the API need it"
            )
        policy = RetryPolicy.from_env(environ)
        return GitHubTags(
            environ.get("GITHUB_API_URL") or "https://api.github.com",
            environ["GITHUB_REPOSITORY"], environ["GITHUB_TOKEN"], head,
            dataclasses.replace(policy, deadline=policy.clock() + 300),
        )  # fmt: skip

    def _call(
        self, operation: str, method: str, path: str, body: Any = None,
        before_retry: Callable[[], Any] | None = None,
    ) -> Any:  # fmt: skip
        def once() -> Any:
            response = self._session.request(
                method, f"{self.repo_url}/{path}", json=body, timeout=_TIMEOUT_SECONDS,
                headers={"Authorization": f"Bearer {self._token}"}, allow_redirects=False,
            )  # fmt: skip
            if response.status_code >= 300:
                failure = Failure(response.status_code, response.text[:300], response.headers)
                raise Answered(failure)
            return None if response.status_code == 204 else response.json()

        return call_with_retries(operation, once, describe, self._policy, before_retry)

    def _read(self, operation: str, path: str, outcome: str) -> Any:
        try:
            return self._call(operation, "GET", path)
        except APIError as exc:
            raise GitHubTagError(f"{self.repository}: {exc}; {outcome}", exc.status) from exc

    def _peeled(self, ref: dict[str, Any], outcome: str = _NOT_TAGGED) -> TagRef:
        name = str(ref["ref"]).removeprefix("refs/tags/")
        target = ref["object"]
        if target["type"] != "tag":
            return TagRef(name, str(target["sha"]), annotated=False)
        tag = self._read(f"read tag {name}", f"git/tags/{target['sha']}", outcome)
        return TagRef(name, str(tag["object"]["sha"]))

    def _listed(self, prefix: str, outcome: str = _NOT_TAGGED) -> list[dict[str, Any]]:
        path = f"git/matching-refs/tags/{quote(prefix)}"
        found = self._read(f"list tags {prefix}*", path, outcome)
        return [r for r in found if str(r["ref"]).startswith("refs/tags/")]

    def _exact(self, name: str, outcome: str) -> dict[str, Any] | None:
        exact = [r for r in self._listed(name, outcome) if r["ref"] == f"refs/tags/{name}"]
        return exact[0] if exact else None

    def commit(self, ref: str) -> str:
        if ref != "HEAD" and not _SHA.fullmatch(ref):
            raise GitHubTagError(f"{ref!r}: in GitHub mode only HEAD (GITHUB_SHA) or a full SHA")
        return self.head if ref == "HEAD" else ref

    def reachable_tags(self, commit: str, glob: str) -> tuple[TagRef, ...]:
        prefix = glob.partition("*")[0]
        unknown = f"the phase tags reachable from {commit[:12]} cannot be known"
        found = []
        for ref in self._listed(prefix, unknown):
            tag = self._peeled(ref, unknown)
            if not fnmatch.fnmatchcase(tag.name, glob):
                continue
            compared = self._read(
                f"compare {tag.name}", f"compare/{tag.commit}...{commit}", unknown
            )
            if compared.get("status") in _REACHABLE:
                found.append(tag)
        return tuple(found)

    def find_tag(self, name: str) -> TagRef | None:
        found = self._exact(name, _NOT_TAGGED)
        return self._peeled(found) if found else None

    def tag_points_at(self, name: str, commit: str) -> bool | None:
        """Whether the tag ``name`` is on ``commit`` (its ref, or the commit it peels to);
        None when there is no such tag. Raises GitHubTagError."""
        found = self._exact(name, _NOT_DELETED)
        if found is None:
            return None
        if found["object"]["sha"] == commit:
            return True
        return self._peeled(found, _NOT_DELETED).commit == commit

    def delete_tag(self, name: str) -> None:
        """DELETE the ref ``refs/tags/{name}`` (the tag object is left unreachable). A retry
        after a failure first looks whether the tag is still there (the lost answer of a
        delete that went through). Raises GitHubTagError with the status."""

        def gone() -> bool | None:
            try:
                return True if self._exact(name, _NOT_DELETED) is None else None
            except GitHubTagError:
                return None

        ref = f"git/refs/tags/{quote(name)}"  # quote keeps '/': phase/iron is two segments
        try:
            self._call(f"delete tag {name}", "DELETE", ref, before_retry=gone)
        except APIError as exc:
            raise GitHubTagError(f"{self.repository}: {exc}; {_NOT_DELETED}", exc.status) from exc

    def describe(self, commit: str) -> str:
        return f"{commit[:12]} ({self.repository})"

    def warnings(self) -> tuple[str, ...]:
        return ()

    def bodies(self, name: str, commit: str, message: str, notes: str) -> Bodies:
        tag = {"tag": name, "message": message, "object": commit, "type": "commit"}
        ref = {"ref": f"refs/tags/{name}", "sha": "<the sha of the new tag object>"}
        release = {"tag_name": name, "name": name, "body": notes}
        return Bodies(tag, ref, release)

    def create_tag(self, name: str, commit: str, message: str) -> None:
        self.publish(name, commit, message, message)

    def publish(self, name: str, commit: str, message: str, notes: str) -> None:
        """Tag object, then ref, then release; see the module's note on failures. A ref
        that is already there on ``commit`` (the lost answer of this run's own creation, or
        a rerun's) is taken as made; on another commit it is refused (exit 2)."""
        bodies = self.bodies(name, commit, message, notes)
        try:
            made = self._call(f"create tag object {name}", "POST", "git/tags", bodies.tag)
            self._create_ref(name, commit, {**bodies.ref, "sha": str(made["sha"])})
        except APIError as exc:
            raise GitHubTagError(
                f"{self.repository}: {exc}; no tag {name} was made", exc.status
            ) from exc
        self.complete_release(name, commit, bodies.release)

    def ref_on(self, name: str, commit: str) -> bool | None:
        """True when the tag ``name`` is on ``commit``, None when there is none; a tag on
        another commit is refused as ``promote`` refuses it (UsageError, exit 2)."""
        found = self._exact(name, _NOT_TAGGED)
        if found is None:
            return None
        tag = self._peeled(found)
        refuse_existing(name, tag if tag.commit != commit else None, self.describe(tag.commit),
                        commit)  # fmt: skip
        return True

    def _create_ref(self, name: str, commit: str, body: dict[str, Any]) -> None:
        def made() -> bool | None:
            try:
                return self.ref_on(name, commit)
            except GitHubTagError:
                return None  # looking failed too: the retry itself will tell

        try:
            self._call(f"create ref refs/tags/{name}", "POST", "git/refs", body, made)
        except APIError as exc:
            # 422 "Reference already exists": a lost answer on the last try, or a race
            if exc.status != 422 or self.ref_on(name, commit) is None:
                raise

    def release_missing(self, name: str) -> bool:
        """Whether the tag ``name`` has no release yet (GET releases/tags/{name})."""
        return self._find_release(name, _NOT_TAGGED) is None

    def _find_release(self, name: str, outcome: str) -> Any:
        try:
            return self._call(
                f"read release {name}", "GET", f"releases/tags/{quote(name, safe='')}"
            )
        except APIError as exc:
            if exc.status == 404:
                return None
            raise GitHubTagError(f"{self.repository}: {exc}; {outcome}", exc.status) from exc

    def complete_release(self, name: str, commit: str, body: dict[str, Any]) -> None:
        """The release of a tag that exists: made once, even when an answer is lost."""

        def made() -> Any:
            try:
                return self._find_release(name, "")
            except GitHubTagError:
                return None

        try:
            self._call(f"create release {name}", "POST", "releases", body, made)
        except APIError as exc:
            if made() is not None:  # the last try's answer was lost, or a rerun raced us
                return
            raise PartialPromotion(
                f"{self.repository}: the tag {name} was created on {commit}, but its release "
                f"was not ({exc}); the phase is recorded, the notes are missing: create the "
                f"release for {name} by hand, or run promote again on this commit"
            ) from exc

    def next_steps(self, name: str) -> tuple[str, ...]:
        return (f"the tag and its release are on GitHub: {self.repository} releases/{name}",)
