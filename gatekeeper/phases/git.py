"""Phase tags in a local git repository, the worktree `bench` measures the base in, and the
files of a branch `history` reads: the one module that runs git.

Git's own plumbing does the work (``git tag --merged`` for reachability, ``git tag -a`` to
create); nothing here pushes. Every failure becomes a ``GitError`` naming the repository and
quoting git, so a missing git, a folder outside any repository or an unknown commit exits 2
with a sentence instead of a traceback.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from gatekeeper.errors import GatekeeperError
from gatekeeper.phases.tags import TagRef

_TIMEOUT_SECONDS = 120
"""Long enough for a large repository; short enough that a signing prompt nobody can see
(tag.gpgSign in a CI job) ends in an error instead of a hung job."""
_FIELDS = "%(refname:strip=2)%09%(objecttype)%09%(objectname)%09%(*objectname)"
"""Name, type, own SHA and, for a tag object, the SHA it points at: tab-separated, since a
ref name cannot hold a tab."""
_DATED = _FIELDS + "%09%(*objecttype)%09%(taggerdate:iso-strict)%09%(committerdate:iso-strict)"
"""``_FIELDS``, then what a tag object names, its tagger date, and a commit's own date."""


class GitError(GatekeeperError):
    """git is missing, the folder is in no repository, or a git command failed (exit 2)."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail
        """What git said, when it said something."""


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


class LocalGit:
    """The repository that holds a folder; see ``PhaseTagStore`` for the contract."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            top = self._git("rev-parse", "--show-toplevel")
        except GitError as exc:
            if not exc.detail:  # git never answered: missing, or too slow
                raise
            raise GitError(
                f"{folder}: not in a git repository, and phase tags are git tags "
                f"(run in a clone, or give --root a folder inside one): {exc.detail}"
            ) from exc
        self.top = top.strip()

    def _git(self, *args: str, stdin: str | None = None) -> str:
        out = self._run(args, None if stdin is None else stdin.encode("utf-8"))
        return out.decode("utf-8", errors="replace")

    def _run(self, args: tuple[str, ...], stdin: bytes | None = None) -> bytes:
        command = ["git", "-C", str(self.folder), *args]
        try:
            done = subprocess.run(
                command, input=stdin, capture_output=True, timeout=_TIMEOUT_SECONDS, check=False
            )
        except FileNotFoundError as exc:
            raise GitError("git is not installed or not on PATH; phase tags need it") from exc
        except subprocess.TimeoutExpired as exc:
            raise GitError(f"`git {shlex.join(args)}` took over {_TIMEOUT_SECONDS}s") from exc
        if done.returncode != 0:
            said = _last_line(done.stderr.decode("utf-8", errors="replace"))
            raise GitError(f"`git {shlex.join(args)}` failed: {said}", said)
        return done.stdout

    def uncommitted(self, path: Path) -> str | None:
        """Why the file at ``path`` is not as the commit HEAD holds it ('modified',
        'untracked', 'ignored', 'outside the repository at …'); None when it is."""
        resolved = path.resolve()
        if not resolved.is_relative_to(Path(self.top).resolve()):
            return f"outside the repository at {self.top}"
        state = self._git(  # --ignored: else a file .gitignore matches reads as committed
            "status", "--porcelain", "--untracked-files=all", "--ignored", "--", str(resolved)
        )
        if not state.strip():
            return None
        code = state[:2]
        if code == "!!":
            return "ignored by git, not committed"
        return "untracked" if code == "??" else "modified, not committed"

    def commit(self, ref: str) -> str:
        if ref.startswith("-"):
            raise GitError(f"{ref!r} is not a commit")
        try:
            return self._git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
        except GitError as exc:
            raise GitError(f"{ref!r} is not a commit in the repository at {self.top}") from exc

    def add_worktree(self, folder: Path, commit: str) -> None:
        """Check ``commit`` out, detached, in a new worktree at ``folder`` (`gatekeeper
        bench`'s base side); ``remove_worktree`` takes it away again."""
        self._git("worktree", "add", "--detach", "--quiet", str(folder), commit)

    def remove_worktree(self, folder: Path) -> None:
        self._git("worktree", "remove", "--force", str(folder))

    def _tags(self, *args: str) -> tuple[TagRef, ...]:
        found = []
        for line in self._git("tag", f"--format={_FIELDS}", *args).splitlines():
            name, kind, own, peeled = line.split("\t", 3)  # _FIELDS: three tabs
            annotated = kind == "tag"
            found.append(TagRef(name, peeled if annotated else own, annotated))
        return tuple(found)

    def reachable_tags(self, commit: str, glob: str) -> tuple[TagRef, ...]:
        # A shallow clone (actions/checkout's default) lacks the history that says which tags
        # are reachable: refuse, rather than read "no phase achieved" from a missing past.
        if self._git("rev-parse", "--is-shallow-repository").strip() == "true":
            raise GitError(
                f"the clone at {self.top} is shallow: which phase tags are reachable from "
                f"{commit[:12]} cannot be known (fetch the history and tags: actions/checkout "
                "with fetch-depth: 0, or git fetch --unshallow --tags)"
            )
        return self._tags(f"--merged={commit}", "--list", glob)

    def dated_tags(self, glob: str) -> tuple[tuple[TagRef, str], ...]:
        """Every tag that fits ``glob`` and names a commit, reachable or not, with its date
        (ISO 8601): an annotated tag's tagger date, a lightweight tag's commit's date."""
        found = []
        for line in self._git("tag", f"--format={_DATED}", "--list", glob).splitlines():
            name, kind, own, peeled, peeled_kind, tagged, committed = line.split("\t", 6)
            if kind == "tag" and peeled_kind == "commit":
                found.append((TagRef(name, peeled, True), tagged))
            elif kind == "commit":
                found.append((TagRef(name, own, False), committed))
        return tuple(found)

    def files_under(self, ref: str, folder: str) -> tuple[tuple[str, str, int], ...]:
        """(path, blob id, size in bytes) of each file below ``folder`` in the tree of
        ``ref``, in path order."""
        commit = self.commit(ref)
        listed = self._git("ls-tree", "-r", "-z", "--long", commit, "--", folder)
        found = []
        for entry in listed.split("\0"):
            head, tab, path = entry.partition("\t")
            parts = head.split()
            if tab and len(parts) == 4 and parts[1] == "blob":
                found.append((path, parts[2], int(parts[3])))
        return tuple(sorted(found))

    def blob(self, blob_id: str) -> bytes:
        return self._run(("cat-file", "blob", blob_id))

    def find_tag(self, name: str) -> TagRef | None:
        try:
            self._git("check-ref-format", f"refs/tags/{name}")
        except GitError as exc:
            raise GitError(f"{name!r} is not a valid git tag name") from exc
        # the pattern is matched as a glob: keep only the exact name
        return next((t for t in self._tags("--list", name) if t.name == name), None)

    def describe(self, commit: str) -> str:
        return self._git("log", "-1", "--format=%h (%s)", commit, "--").strip()

    def warnings(self) -> tuple[str, ...]:
        # untracked files are left out: evidence is usually written into the work tree
        if self._git("status", "--porcelain", "--untracked-files=no").strip():
            return (
                f"the working tree at {self.top} has uncommitted changes: the evidence may not "
                "be the committed code's, yet the tag goes on the commit",
            )
        return ()

    def create_tag(self, name: str, commit: str, message: str) -> None:
        # whitespace cleanup only: the default would drop report lines that start with '#'
        self._git(
            "tag", "--annotate", "--cleanup=whitespace", "--file=-", name, commit, stdin=message
        )

    def next_steps(self, name: str) -> tuple[str, ...]:
        return (f"the tag is local; publish it with: git push origin {shlex.quote(name)}",)
