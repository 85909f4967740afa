"""Unpack a downloaded artifact zip without trusting it.

An artifact is uploaded by whatever ran in the workflow, a pull request's code included, so
its zip is hostile until proven otherwise: no member may land outside the target folder
(zip slip), none may be a symlink or a special file, and the sizes, the member count and the
compression ratio are capped (zip bombs). Sizes are counted while writing, never taken from
the zip's headers, which the uploader wrote.
"""

from __future__ import annotations

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
    """Uncompressed over compressed; JSON compresses well, but not a thousandfold."""
    ratio_floor: int = 1024 * 1024
    """Members smaller than this are not held to the ratio (tiny files compress oddly)."""


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
            destination = root.joinpath(*relative.parts)
            if not destination.resolve().is_relative_to(root):  # a symlink made on the way
                raise BundleError(f"{label}: member {info.filename!r}: path escapes the folder")
            if info.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            size = _copy(archive, info, destination, label, limits, total)
            total += size
            written.append(destination)
    return written


def _copy(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path, label: str,
    limits: Limits, total: int,
) -> int:  # fmt: skip
    where = f"{label}: member {info.filename!r}"
    size = 0
    try:
        with archive.open(info) as source, destination.open("xb") as out:
            while chunk := source.read(_CHUNK):
                size += len(chunk)
                if size > limits.member_bytes:
                    raise BundleError(f"{where}: larger than {limits.member_bytes} bytes")
                if total + size > limits.total_bytes:
                    raise BundleError(f"{label}: more than {limits.total_bytes} bytes unpacked")
                if size > limits.ratio_floor and size > limits.ratio * max(info.compress_size, 1):
                    raise BundleError(f"{where}: compressed more than {limits.ratio}:1 (zip bomb?)")
                out.write(chunk)
    except FileExistsError as exc:
        raise BundleError(f"{where}: appears twice in the zip, refused") from exc
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError) as exc:
        raise BundleError(f"{where}: cannot be unpacked ({exc})") from exc
    return size
