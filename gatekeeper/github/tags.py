"""Phase tags through the GitHub REST API, the ``phases.store.PhaseTagStore`` of the Action:
``promote`` there, where the checkout may be shallow and a local tag would never reach GitHub.

Reading: the tags under the pattern's fixed prefix (``git/matching-refs``), each annotated
one peeled to its commit (``git/tags``), kept when ``compare/{tag commit}...{commit}`` says
``identical`` or ``ahead`` (the tagged commit is the judged one or an ancestor of it).
Writing, in order: the annotated tag object, the ``refs/tags/`` ref that makes it a tag, and
a release whose notes are the Markdown report. This module holds the tag logic; the calls
go through the run's one ``api.GitHubClient``, like every other GitHub call. A failure
before the ref exists leaves no tag (exit 2); a failure after it, the tag without its
release: ``PartialPromotion`` says so (exit 4), and a rerun of ``promote`` completes the
release. A lost answer (GitHub did the work, the client got a 5xx) is looked for before a
retry repeats the ref or the release: the ref through ``git/matching-refs`` (on the same
commit it is ours; on another, refused), the release through ``releases/tags/{tag}``. The
tag object cannot be looked for (GitHub lists no tag objects by name): a lost answer there
leaves an unreferenced object, invisible and harmless.
Deleting: the ``refs/tags/`` ref of a phase tag whose gate failed (``check
--delete-failed-tag``, see github/tagcleanup.py).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gatekeeper.errors import ExitCode, GatekeeperError
from gatekeeper.github.api import GitHubClient, RefInfo, open_client
from gatekeeper.github.retry import APIError
from gatekeeper.phases.git import LocalGit
from gatekeeper.phases.promotion import refuse_existing
from gatekeeper.phases.store import PhaseTagStore
from gatekeeper.phases.tags import TagRef

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
    """Phase tags of the client's repository on GitHub; ``head`` is the commit the job
    judges (GITHUB_SHA)."""

    def __init__(self, client: GitHubClient) -> None:
        head = client.ctx.github_sha or ""
        if not _SHA.fullmatch(head):
            raise GitHubTagError(
                f"GITHUB_SHA {head!r} is not a commit SHA; phase tags through the API need it"
            )
        self._client = client
        self.repo_url = client.repo_url
        self.repository = client.repository
        self.head = head

    @staticmethod
    def from_env(environ: Mapping[str, str]) -> GitHubTags:
        """With a client of its own: for a run that makes no other GitHub call."""
        return GitHubTags(open_client(environ))

    def _failed(self, exc: APIError, outcome: str) -> GitHubTagError:
        return GitHubTagError(f"{self.repository}: {exc}; {outcome}", exc.status)

    def _peeled(self, ref: RefInfo, outcome: str = _NOT_TAGGED) -> TagRef:
        name = ref.ref.removeprefix("refs/tags/")
        if ref.type != "tag":
            return TagRef(name, ref.sha, annotated=False)
        try:
            return TagRef(name, self._client.tag_target(name, ref.sha))
        except APIError as exc:
            raise self._failed(exc, outcome) from exc

    def _listed(self, prefix: str, outcome: str = _NOT_TAGGED) -> list[RefInfo]:
        try:
            return self._client.matching_tag_refs(prefix)
        except APIError as exc:
            raise self._failed(exc, outcome) from exc

    def _exact(self, name: str, outcome: str) -> RefInfo | None:
        exact = [r for r in self._listed(name, outcome) if r.ref == f"refs/tags/{name}"]
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
            try:
                status = self._client.compare(tag.name, tag.commit, commit)
            except APIError as exc:
                raise self._failed(exc, unknown) from exc
            if status in _REACHABLE:
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
        if found.sha == commit:
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

        try:
            self._client.delete_tag_ref(name, gone)
        except APIError as exc:
            raise self._failed(exc, _NOT_DELETED) from exc

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
            made = self._client.create_tag_object(name, commit, message)
            self._create_ref(name, commit, made)
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

    def _create_ref(self, name: str, commit: str, tag_object: str) -> None:
        def made() -> bool | None:
            try:
                return self.ref_on(name, commit)
            except GitHubTagError:
                return None  # looking failed too: the retry itself will tell

        try:
            self._client.create_ref(name, tag_object, made)
        except APIError as exc:
            # 422 "Reference already exists": a lost answer on the last try, or a race
            if exc.status != 422 or self.ref_on(name, commit) is None:
                raise

    def release_missing(self, name: str) -> bool:
        """Whether the tag ``name`` has no release yet (GET releases/tags/{name})."""
        return self._find_release(name, _NOT_TAGGED) is None

    def _find_release(self, name: str, outcome: str) -> int | None:
        try:
            return self._client.release(name)
        except APIError as exc:
            raise self._failed(exc, outcome) from exc

    def complete_release(self, name: str, commit: str, body: dict[str, Any]) -> None:
        """The release of a tag that exists: made once, even when an answer is lost."""

        def made() -> int | None:
            try:
                return self._find_release(name, "")
            except GitHubTagError:
                return None

        try:
            self._client.create_release(name, body, made)
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


def tag_store(root: Path, client: GitHubClient, *, local: bool = False) -> PhaseTagStore:
    """Where phase tags are read and made: the GitHub API, through the run's ``client``, in
    the Action (GITHUB_ACTIONS=true with GITHUB_TOKEN and GITHUB_REPOSITORY) unless
    ``local``, else the repository at ``root``."""
    if client.ctx.actions and client.usable and not local:
        return GitHubTags(client)
    return LocalGit(root)
