"""Load YAML into plain data while keeping the line and column of every key."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import yaml

from gatekeeper.errors import Position
from gatekeeper.matrix.problems import KeyPath, MatrixError, Problem
from gatekeeper.records import record

MAX_NODES = 200_000
"""Aliases can make a small file expand enormously; refuse past this many nodes."""
MAX_BYTES = 8 * 1024 * 1024
MAX_DIGITS = 18
"""Longest integer a matrix may hold: counts and limits are far smaller."""
_STR_TAG = "tag:yaml.org,2002:str"

try:  # libyaml is much faster where it is installed
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


@record
class Located:
    """YAML data and where each key path sits in the file."""

    data: Any
    positions: dict[KeyPath, tuple[int, int]]
    file: str

    def position(self, path: KeyPath) -> Position:
        """Position of the deepest part of ``path`` that exists in the file."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found:
                return Position(self.file, *found)
        return Position(self.file)


def _written_keys(root: yaml.Node) -> dict[int, frozenset[int]]:
    """Each mapping's own written keys (by node id), taken before any merge is resolved:
    resolving one flattens mappings in place (merged ones too), and a mapping reached again
    through an alias must not take the keys merged into it for written ones."""
    written: dict[int, frozenset[int]] = {}
    seen: set[int] = set()
    stack = [root]
    while stack:  # each node once, however many aliases reach it
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            written[id(node)] = frozenset(id(k) for k, _ in node.value if not _is_merge(k))
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return written


def _merged_sizes(root: yaml.Node, file: str) -> None:
    """Refuse a file whose merges (<<) would expand past MAX_NODES pairs before any is
    resolved: resolving copies each merged mapping's pairs into the one merging it, so nested
    merges of aliases grow as a power of the nesting: PyYAML 6.0.2 keeps every copy (6.0.4
    does not; pyproject allows >=6.0), so a 542-byte file filled the memory. The bound
    counts every copy, whichever PyYAML runs."""
    sizes: dict[int, int] = {}
    entered: set[int] = set()

    def size(start: yaml.MappingNode) -> None:  # post-order, without recursion: merges chain
        pending = [start]
        while pending:
            node = pending[-1]
            if id(node) in sizes:
                pending.pop()
                continue
            sources = _merge_sources(node)
            if id(node) not in entered:
                entered.add(id(node))
                pending += [m for m in sources if id(m) not in sizes and id(m) not in entered]
                continue
            own = sum(1 for key, _ in node.value if not _is_merge(key))
            total = own + sum(sizes.get(id(m), 0) for m in sources)  # 0: a merge of itself
            if total > MAX_NODES:
                where = Position(file, node.start_mark.line + 1, node.start_mark.column + 1)
                message = f"the file expands to over {MAX_NODES} values (through YAML merges)"
                raise MatrixError([Problem(where, (), message)])
            sizes[id(node)] = total
            pending.pop()

    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            size(node)
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


class _Walker:
    def __init__(self, file: str, written: dict[int, frozenset[int]]) -> None:
        self.file = file
        self.written = written
        self.positions: dict[KeyPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.nodes = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def at(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def walk(self, node: yaml.Node, path: KeyPath) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            message = f"the file expands to over {MAX_NODES} values (through YAML aliases?)"
            raise MatrixError([Problem(Position(self.file, *self.at(node)), (), message)])
        self.positions.setdefault(path, self.at(node))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.tag == _STR_TAG:  # what SafeConstructor makes of it, without its overhead
            return node.value
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):  # e.g. 2026-02-30 looks like a date but is none
            return str(node.value)
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.check_number(value, node, path)
        return value

    def check_number(self, value: float, node: yaml.Node, path: KeyPath) -> None:
        """No NaN or infinity anywhere (``pass_rate: .nan`` compared false, so it passed
        every test), and no integer past MAX_DIGITS, which even an error message could not
        print (Python refuses to turn one of over 4,300 digits into text)."""
        where = Position(self.file, *self.at(node))
        text = str(node.value)
        if isinstance(value, float) and not math.isfinite(value):
            message = f"{text!r} is not a finite number: write a number gatekeeper can compare"
            self.problems.append(Problem(where, path, message))
        elif isinstance(value, int) and abs(value) >= 10**MAX_DIGITS:
            shown = text if len(text) <= 24 else f"{text[:12]}… ({len(text)} characters)"
            message = f"the number {shown} is too large: at most {MAX_DIGITS} digits"
            self.problems.append(Problem(where, path, message))

    def mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        """The mapping's keys and values; ``<<: *defaults`` merge keys resolved as YAML says:
        a key written in the mapping wins over one merged in (only two written keys of one
        name are a duplicate), and among merged keys the first mapping merged wins."""
        result: dict[str, Any] = {}
        written = self.written[id(node)]
        try:
            self.constructor.flatten_mapping(node)  # merged pairs first, then the written ones
        except yaml.MarkedYAMLError as exc:  # `<<: 5`: only mappings merge
            mark = exc.problem_mark or exc.context_mark
            where = (
                Position(self.file, mark.line + 1, mark.column + 1) if mark else Position(self.file)
            )
            self.problems.append(Problem(where, path, f"invalid merge key (<<): {exc.problem}"))
            return result
        merged: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    Problem(
                        Position(self.file, *self.at(key_node)), path, "keys must be plain text"
                    )
                )
                continue
            key = str(key_node.value)  # raw text: a phase called `on` stays 'on'
            key_path = (*path, key)
            if id(key_node) not in written:  # PyYAML lists merged pairs last-wins
                merged.add(key)
            elif key in merged:  # written over a merged default: the written one counts
                merged.discard(key)
                self.positions[key_path] = self.at(key_node)
                result[key] = self.walk(value_node, key_path)
                continue
            if key in result and id(key_node) not in written:
                self.positions[key_path] = self.at(key_node)
                result[key] = self.walk(value_node, key_path)
                continue
            if key in result:
                first = self.positions[key_path]
                self.problems.append(
                    Problem(
                        Position(self.file, *self.at(key_node)),
                        key_path,
                        f"duplicate key {key!r} (first at line {first[0]})",
                    )
                )
                continue
            self.positions[key_path] = self.at(key_node)
            result[key] = self.walk(value_node, key_path)
        return result


def _tab_near(text: str, line: int, column: int) -> int | None:
    """The column (from 0) of a tab in the indentation of ``line`` at or before ``column``,
    where a YAML error that a tab caused is reported (on the tab's own line: a tab on
    another line may be a block scalar's content); None when there is none."""
    lines = text.splitlines()
    if 0 <= line < len(lines):
        indent = lines[line][: len(lines[line]) - len(lines[line].lstrip(" \t"))]
        if "\t" in indent[: column + 1]:
            return indent.index("\t")
    return None


def _merge_sources(node: yaml.MappingNode) -> list[yaml.MappingNode]:
    """The mappings ``node`` merges (``<<: *a`` or ``<<: [*a, *b]``)."""
    found: list[yaml.MappingNode] = []
    for key, value in node.value:
        if _is_merge(key):
            items = value.value if isinstance(value, yaml.SequenceNode) else [value]
            found += [item for item in items if isinstance(item, yaml.MappingNode)]
    return found


def _is_merge(key: yaml.Node) -> bool:
    return key.tag == "tag:yaml.org,2002:merge"


def load_yaml(raw: bytes, file: str) -> Located:
    """Parse YAML bytes; raise MatrixError with positions for anything unreadable."""
    if len(raw) > MAX_BYTES:
        raise MatrixError([Problem(Position(file), (), f"file is over {MAX_BYTES} bytes", False)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded"
        raise MatrixError([Problem(Position(file, line, column), (), message, False)]) from exc
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Position(file, mark.line + 1, mark.column + 1) if mark else Position(file)
        message = f"invalid YAML: {exc.problem or exc.context}"
        tab = _tab_near(text, mark.line, mark.column) if mark else None
        if tab is not None:
            where = Position(file, mark.line + 1, tab + 1) if mark else where
            message = "a tab in the indentation: YAML indents with spaces only"
        raise MatrixError([Problem(where, (), message, False)]) from exc
    except yaml.YAMLError as exc:
        raise MatrixError([Problem(Position(file), (), f"invalid YAML: {exc}", False)]) from exc
    if node is None:
        return Located(None, {}, file)
    _merged_sizes(node, file)
    walker = _Walker(file, _written_keys(node))
    data = walker.walk(node, ())
    if walker.problems:
        raise MatrixError(walker.problems)
    return Located(data, walker.positions, file)
