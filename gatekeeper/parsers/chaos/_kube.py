"""Kubernetes resources as ``kubectl get … -o json`` prints them: one resource, or a ``List``
(``kubectl get KIND -o json`` without a name) whose ``items`` are resources.

Every resource must be of the kinds a format reads, in its API group: ``kubectl get
chaosresult,chaosengine -o json`` puts a ChaosEngine in the list, and it is refused by its
key path, never skipped. Times are the API server's (RFC 3339, ``metav1.Time``), read to
timezone-aware UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.parsers import _json
from gatekeeper.records import record

LIST_KINDS = ("List",)
"""What ``kubectl get`` calls a list of resources (a typed list, ``ChaosResultList``, too)."""


@record
class Resource:
    """One resource of a document, with where it sits in it."""

    body: dict[str, object]
    where: str
    """Its key path: ``(top level)`` for a lone resource, ``items[N]`` in a list."""
    kind: str
    name: str
    """``metadata.name``."""
    namespace: str
    """``metadata.namespace``; '' for a resource of no namespace."""

    def key(self, *path: str) -> str:
        """The key path of a member of the resource, as errors name it."""
        inner = ".".join(path)
        return inner if self.where == "(top level)" else f"{self.where}.{inner}"


def claims(document: object, group: str, kinds: Sequence[str]) -> bool:
    """Whether a decoded document is a resource of ``kinds`` in API ``group``, or a list
    whose first item is one (a list of none says nothing of what it would hold)."""
    if not isinstance(document, dict):
        return False
    items = document.get("items")
    if _is_list(document) and isinstance(items, list) and items:
        document = items[0]
    return isinstance(document, dict) and _is_kind(document, group, kinds)


def is_empty_list(document: object) -> bool:
    """Whether a document is a list of no resources (``kubectl get`` found none)."""
    return isinstance(document, dict) and _is_list(document) and document.get("items") == []


def _is_list(document: dict[str, object]) -> bool:
    kind = document.get("kind")
    return isinstance(kind, str) and (kind in LIST_KINDS or kind.endswith("List"))


def _is_kind(document: dict[str, object], group: str, kinds: Sequence[str]) -> bool:
    api = document.get("apiVersion")
    return document.get("kind") in kinds and isinstance(api, str) and api.startswith(f"{group}/")


def resources(document: object, display: str, group: str, kinds: Sequence[str]) -> list[Resource]:
    """Every resource of the document, each of ``kinds`` in ``group``; an error naming the
    key path of anything else."""
    root = _json.expect_object(document, display, "(top level)")
    if _is_list(root):
        items = _json.expect_list(root.get("items"), display, "items")
        found = []
        for index, item in enumerate(items):
            where = f"items[{index}]"
            found.append(
                _resource(_json.expect_object(item, display, where), display, where, group, kinds)
            )
        return found
    return [_resource(root, display, "(top level)", group, kinds)]


def _resource(
    body: dict[str, object], display: str, where: str, group: str, kinds: Sequence[str]
) -> Resource:
    if not _is_kind(body, group, kinds):
        kind, api = body.get("kind"), body.get("apiVersion")
        wanted = " or ".join(kinds)
        message = (
            f"{where}: expected a {wanted} ({group}), got kind {_json_text(kind)} "
            f"of apiVersion {_json_text(api)}"
        )
        raise EvidenceError(Position(display), message)
    metadata = _json.expect_object(body.get("metadata"), display, _at(where, "metadata"))
    name = _json.expect_str(metadata.get("name"), display, _at(where, "metadata.name"))
    if not name.strip():
        raise _json.shape_error(display, _at(where, "metadata.name"), "a name", name)
    namespace = metadata.get("namespace", "")
    namespace = _json.expect_str(namespace, display, _at(where, "metadata.namespace"))
    return Resource(body, where, str(body["kind"]), name, namespace)


def _at(where: str, path: str) -> str:
    return path if where == "(top level)" else f"{where}.{path}"


def _json_text(value: object) -> str:
    return repr(value) if not isinstance(value, str) else f"'{value[:60]}'"


def status_written_at(resource: Resource, display: str) -> dt.datetime | None:
    """When the resource's status was last changed, as the API server recorded it: the
    latest ``time`` of a ``metadata.managedFields`` entry that owns ``f:status`` (the
    manager that wrote the status, and when it last changed a value there). None when the
    resource carries no such entry: kubectl leaves ``managedFields`` out unless asked
    (``--show-managed-fields``), and servers before Kubernetes 1.18 keep none."""
    metadata = _json.expect_object(resource.body.get("metadata"), display, resource.key("metadata"))
    entries = metadata.get("managedFields")
    if entries is None:
        return None
    here = resource.key("metadata", "managedFields")
    times = []
    for index, raw in enumerate(_json.expect_list(entries, display, here)):
        entry = _json.expect_object(raw, display, f"{here}[{index}]")
        fields = entry.get("fieldsV1")
        if isinstance(fields, dict) and "f:status" in fields:
            times.append(parse_time(entry.get("time"), display, f"{here}[{index}].time"))
    return max(times, default=None)


_RFC3339 = re.compile(
    r"(?P<base>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(?P<fraction>\d{1,9}))?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})"
)


def parse_time(value: object, display: str, key_path: str) -> dt.datetime:
    """An RFC 3339 time with its offset (``2021-09-29T13:28:59Z``) in UTC; anything else,
    a time with no offset included, is an error naming ``key_path``."""
    text = _json.expect_str(value, display, key_path)
    match = _RFC3339.fullmatch(text)
    if match is None:
        raise _json.shape_error(display, key_path, "an RFC 3339 time with its offset", value)
    fraction = (match.group("fraction") or "").ljust(6, "0")[:6]
    zone = "+00:00" if match.group("zone") == "Z" else match.group("zone")
    try:
        parsed = dt.datetime.fromisoformat(f"{match.group('base')}.{fraction}{zone}")
    except ValueError as exc:  # 2026-02-30, 25:00
        raise _json.shape_error(display, key_path, "a real date and time", value) from exc
    return parsed.astimezone(dt.timezone.utc)
