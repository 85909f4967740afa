"""What a streamed JSON document is projected to: a ``Spec`` names what to keep, and
``Builder`` builds it from ijson's ``basic_parse`` events, checking as it goes every object's
keys (each once) and the nesting (bounded); ``_json_stream`` feeds it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

Spec = Mapping[str, "Spec"]
"""What to keep of a JSON value: for an object, the members named (``*``: every member),
each with what to keep of its value; for an array, ``*`` for its elements. A member not
named is read (and checked) but not kept; a container whose spec is empty is kept empty
(its type without its content); a scalar named is kept whole."""

ANY: Final = "*"

MAX_DEPTH: Final = 512
"""How deep values may nest (coverage.py writes 5 levels; ``json`` stops short of 1,000,
where the recursion limit is)."""
MAX_KEPT_ITEMS: Final = 1000
"""How many elements of an array a projection keeps (detection looks at the first few)."""


class StreamError(Exception):
    """Why a document was refused, and the byte offset where that was seen."""

    def __init__(self, message: str, offset: int | None, width: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        """The byte where it was seen (of the file, a BOM counted)."""
        self.width = width
        """How many bytes from ``offset`` were read when it was seen: 1 where exact."""


class _Frame:
    __slots__ = ("child", "container", "key", "keys", "spec")

    def __init__(self, container: dict[str, object] | list[object] | None, spec: Spec | None):
        self.container = container
        """What is built of the value (None: read, not kept)."""
        self.spec = spec
        self.keys: set[str] | None = None
        """The keys of an object so far (None for an array)."""
        self.key = ""
        self.child: Spec | None = None
        """What to keep of the next member or element; None: none of it."""


class Builder:
    """Builds the projection from basic_parse events, checking every object's keys."""

    def __init__(self, spec: Spec) -> None:
        self.stack: list[_Frame] = []
        """The values being built, outermost first."""
        self.skipped: list[set[str] | None] = []
        """The values being read within the innermost one, not kept: an object's keys so
        far, or None for an array."""
        self.root_spec = spec
        self.done = False
        self.value: object = None

    def result(self, offset: int) -> object:
        if not self.done:
            raise StreamError("invalid JSON: premature end of the document", offset)
        return self.value

    def take(self, events: list[tuple[str, Any]], offset: int, width: int) -> None:
        """Build from ``events``, read from ``width`` bytes at ``offset``."""
        stack, skipped = self.stack, self.skipped
        # Most events are numbers in arrays nobody keeps: they cost a comparison or two, and
        # a value not kept is walked with no frame, keeping only each object's keys.
        keeping = self._keeping()
        for event, value in events:
            if event == "number" or event == "string" or event == "boolean" or event == "null":
                if keeping and not skipped:
                    if stack:
                        self._add(stack[-1], _scalar(value))
                        keeping = self._keeping()
                    else:
                        self._set_root(_scalar(value))
                continue
            if skipped:
                if event == "map_key":
                    keys = skipped[-1]
                    if keys is not None:
                        if value in keys:
                            raise StreamError(_duplicate(value, self._path()), offset, width)
                        keys.add(value)
                elif event == "start_map" or event == "start_array":
                    if len(stack) + len(skipped) >= MAX_DEPTH:
                        raise StreamError("invalid JSON: nested too deeply", offset, width)
                    skipped.append(set() if event == "start_map" else None)
                else:
                    skipped.pop()
                    if not skipped:
                        keeping = self._keeping()
                continue
            if event == "map_key":
                top = stack[-1]
                keys = top.keys
                if keys is not None:
                    if value in keys:
                        raise StreamError(_duplicate(value, self._path()), offset, width)
                    keys.add(value)
                top.key = value
                if top.container is not None and top.spec is not None:
                    top.child = top.spec.get(value, top.spec.get(ANY))
            elif event == "start_map" or event == "start_array":
                self._open(event == "start_map", offset, width)
            else:  # end_map, end_array
                frame = stack.pop()
                if frame.container is not None:
                    if stack:
                        self._add(stack[-1], frame.container)
                    else:
                        self._set_root(frame.container)
                elif not stack:
                    self._set_root(None)
            keeping = self._keeping()

    def _keeping(self) -> bool:
        """Whether a scalar read now is kept."""
        if not self.stack:
            return True
        top = self.stack[-1]
        return top.child is not None and top.container is not None

    def _open(self, is_map: bool, offset: int, width: int) -> None:
        stack = self.stack
        if len(stack) + len(self.skipped) >= MAX_DEPTH:
            raise StreamError("invalid JSON: nested too deeply", offset, width)
        if not stack:
            spec: Spec | None = self.root_spec
        else:
            top = stack[-1]
            spec = top.child
            if spec is not None and isinstance(top.container, list):
                spec = spec if len(top.container) < MAX_KEPT_ITEMS else None
        if spec is None:
            self.skipped.append(set() if is_map else None)
            return
        container: dict[str, object] | list[object] = {} if is_map else []
        frame = _Frame(container, spec)
        if is_map:
            frame.keys = set()
        else:
            frame.keys = None
            frame.child = spec.get(ANY)
        stack.append(frame)

    def _add(self, frame: _Frame, value: object) -> None:
        container = frame.container
        if isinstance(container, dict):
            container[frame.key] = value
            frame.child = None
        elif container is not None and len(container) < MAX_KEPT_ITEMS:
            container.append(value)

    def _set_root(self, value: object) -> None:
        self.value = value
        self.done = True

    def _path(self) -> str:
        parts: list[str] = []
        for frame in self.stack[:-1]:
            if frame.keys is not None:
                parts.append(("." if parts else "") + frame.key)
            else:
                parts.append("[]")
        return "".join(parts) or "(top level)"


def _scalar(value: Any) -> object:
    # yajl gives a number with a fraction or exponent as a Decimal; json gives a float, and
    # float(Decimal) rounds as float(str) does, so both read the same value. (No import of
    # decimal for an isinstance: it costs every run of the command 1.5 ms.)
    if value is None or isinstance(value, (str, int)):
        return value  # bool is an int
    return float(value)


def _duplicate(key: str, where: str) -> str:
    shown = json.dumps(key, ensure_ascii=False)
    shown = shown if len(shown) <= 60 else shown[:57] + '..."'
    return (
        f"duplicate key {shown} in {where}: no tool writes a key twice, and which one counts "
        "is ambiguous"
    )


def union(*specs: Spec) -> Spec:
    """A spec keeping everything each of ``specs`` keeps (a member one names and another
    keeps as ``*`` is kept as both say)."""
    merged: dict[str, Spec] = {}
    for key in {key for spec in specs for key in spec}:
        parts = [spec.get(key, spec.get(ANY)) for spec in specs]
        merged[key] = union(*(part for part in parts if part is not None))
    return merged
