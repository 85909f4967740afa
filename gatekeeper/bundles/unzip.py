"""Unpack a downloaded artifact zip without trusting it.

An artifact is uploaded by whatever ran in the workflow, a pull request's code included, so
its zip is hostile until proven otherwise: no member may land outside the target folder
(zip slip), none may be a symlink or a special file, and the sizes, the member count and the
compression ratio are capped (zip bombs), the ratio both per member and over the whole
archive (many members each just under the per-member ratio add up). Sizes are counted while
writing, never taken from the zip's headers, which the uploader wrote. Anything the file
system refuses (a member that is both a file and a folder, a name too long) is a
``BundleError`` naming the member, like every other refusal.
"""

from __future__ import annotations

import errno
import io
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gatekeeper.bundles import BundleError
from gatekeeper.bundles.codec import MAX_BUNDLE_BYTES

_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    members: int = 1000
    member_bytes: int = MAX_BUNDLE_BYTES
    """No member larger than the largest bundle ``read_bundle`` accepts."""
    total_bytes: int = 4 * MAX_BUNDLE_BYTES
    ratio: int = 200
    """Uncompressed over compressed, per member and for the whole archive; JSON compresses
    well, but not a thousandfold."""
    ratio_floor: int = 1024 * 1024
    """Less than this unpacked is not held to the ratio (tiny files compress oddly)."""


def _safe_name(label: str, name: str) -> PurePosixPath:
    if "\\" in name or name.startswith("/") or _DRIVE.match(name) or "\0" in name:
        raise BundleError(f"{label}: member {name!r}: absolute or non-portable path refused")
    path = PurePosixPath(name)
    if any(part == ".." for part in path.parts) or not path.parts:
        raise BundleError(f"{label}: member {name!r}: path escapes the folder, refused")
    return path


def _kind(label: str, info: zipfile.ZipInfo) -> None:
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise BundleError(f"{label}: member {info.filename!r}: symlink refused")
    # many zip writers set permission bits without a file type: those are regular files
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise BundleError(f"{label}: member {info.filename!r}: special file refused")
    if info.flag_bits & 0x1:
        raise BundleError(f"{label}: member {info.filename!r}: encrypted, refused")


def extract(zipped: bytes, target: Path, label: str, limits: Limits = Limits()) -> list[Path]:
    """The regular files of ``zipped``, written under the new folder ``target``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(zipped))
    except (zipfile.BadZipFile, OSError) as exc:
        raise BundleError(f"{label}: not a zip file ({exc})") from exc
    target.mkdir(parents=True)
    root = target.resolve()
    written: list[Path] = []
    total = 0
    with archive:
        members = archive.infolist()
        if len(members) > limits.members:
            raise BundleError(f"{label}: {len(members)} members, more than {limits.members}")
        for info in members:
            relative = _safe_name(label, info.filename)
            _kind(label, info)
            where = f"{label}: member {info.filename!r}"
            try:
                destination = _place(root, relative, info.is_dir(), where)
                if destination is not None:
                    total += _copy(archive, info, destination, label, limits, total, len(zipped))
                    written.append(destination)
            except OSError as exc:
                raise BundleError(f"{where}: {_refusal(exc)}, refused") from exc
    return written


def _refusal(exc: OSError) -> str:
    if exc.errno in (errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
        return "appears twice in the zip, or as both a file and a folder"
    if exc.errno == errno.ENAMETOOLONG:
        return "name too long for the file system"
    return f"cannot be written ({exc.strerror or exc})"


def _place(root: Path, relative: PurePosixPath, folder: bool, where: str) -> Path | None:
    """Make the member's folders; the path to write it to, or None for a folder."""
    destination = root.joinpath(*relative.parts)
    if not destination.resolve().is_relative_to(root):  # a symlink made on the way
        raise BundleError(f"{where}: path escapes the folder")
    if folder:
        destination.mkdir(parents=True, exist_ok=True)
        return None
    destination.parent.mkdir(parents=True, exist_ok=True)
    return destination


def _copy(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path, label: str,
    limits: Limits, before: int, archive_bytes: int,
) -> int:  # fmt: skip
    """Write one member, counting what is unpacked against every cap as it is written."""
    where = f"{label}: member {info.filename!r}"
    size = 0
    try:
        with archive.open(info) as source, destination.open("xb") as out:
            while chunk := source.read(_CHUNK):
                size += len(chunk)
                total = before + size
                if size > limits.member_bytes:
                    raise BundleError(f"{where}: larger than {limits.member_bytes} bytes")
                if total > limits.total_bytes:
                    raise BundleError(f"{label}: more than {limits.total_bytes} bytes unpacked")
                if size > limits.ratio_floor and size > limits.ratio * max(info.compress_size, 1):
                    raise BundleError(f"{where}: compressed more than {limits.ratio}:1 (zip bomb?)")
                if total > limits.ratio_floor and total > limits.ratio * archive_bytes:
                    raise BundleError(
                        f"{where}: the archive unpacks to more than {limits.ratio} times its "
                        f"{archive_bytes} bytes (zip bomb?)"
                    )
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError) as exc:
        raise BundleError(f"{where}: cannot be unpacked ({exc})") from exc
    return size
