"""``record`` against ``dataclass(frozen=True)``: every record class of gatekeeper has a twin
made by dataclasses from the same fields, and the two must compare, hash and print alike
on the same values, whatever they are (instances are filled in without ``__init__``, so
any value fits any field)."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import gatekeeper
from gatekeeper.records import record


def _records() -> list[type[Any]]:
    found: dict[str, type[Any]] = {}
    for info in pkgutil.walk_packages(gatekeeper.__path__, "gatekeeper."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and dataclasses.is_dataclass(value)
                and value.__module__ == module.__name__
                and value.__eq__.__qualname__ == f"{value.__qualname__}.__eq__"
                and value.__eq__.__module__ == "gatekeeper.records"
            ):
                found[f"{module.__name__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


RECORDS = _records()


def _twin(cls: type[Any]) -> type[Any]:
    """The class ``dataclass(frozen=True)`` makes of the same fields."""
    specs = [
        (f.name, f.type, dataclasses.field(repr=f.repr, hash=f.hash, compare=f.compare))
        for f in dataclasses.fields(cls)
    ]
    twin: type[Any] = dataclasses.make_dataclass(cls.__name__, specs, frozen=True)
    twin.__qualname__ = cls.__qualname__
    return twin


def _filled(cls: type[Any], values: list[Any]) -> Any:
    instance = object.__new__(cls)
    for f, value in zip(dataclasses.fields(cls), values, strict=False):
        object.__setattr__(instance, f.name, value)
    return instance


def test_the_check_path_records_are_found() -> None:
    names = {cls.__qualname__ for cls in RECORDS}
    assert {"Position", "Matrix", "Report", "Metric", "Problem", "Layout"} <= names
    assert len(RECORDS) >= 35


values = st.lists(
    st.one_of(
        st.integers(-2, 2),
        st.sampled_from(["", "a", "b", None, True, 1.0, 0.0, -0.0, (), ("a",), ("a", 1)]),
        st.sampled_from([float("nan"), [1], {"k": 1}]),  # unequal to itself; unhashable
    ),
    min_size=20,
    max_size=20,
)


@pytest.mark.parametrize("cls", RECORDS, ids=[c.__qualname__ for c in RECORDS])
@given(one=values, two=values, same=st.booleans())
def test_a_record_compares_hashes_and_prints_as_a_frozen_dataclass(
    cls: type[Any], one: list[Any], two: list[Any], same: bool
) -> None:
    twin = _twin(cls)
    two = one if same else two
    ours, theirs = (_filled(cls, one), _filled(cls, two)), (_filled(twin, one), _filled(twin, two))
    assert repr(ours[0]) == repr(theirs[0])
    assert (ours[0] == ours[1]) == (theirs[0] == theirs[1])
    assert (ours[0] != ours[1]) == (theirs[0] != theirs[1])
    assert (ours[0] == theirs[0]) is False  # another class: never equal, as dataclasses
    subclass, twin_subclass = type("Sub", (cls,), {}), type("Sub", (twin,), {})
    assert (ours[0] == _filled(subclass, one)) == (theirs[0] == _filled(twin_subclass, one))
    try:
        expected: object = hash(theirs[0])
    except TypeError as exc:
        expected = type(exc)
    try:
        got: object = hash(ours[0])
    except TypeError as exc:
        got = type(exc)
    assert got == expected


@pytest.mark.parametrize("cls", RECORDS, ids=[c.__qualname__ for c in RECORDS])
def test_a_record_is_frozen(cls: type[Any]) -> None:
    instance = _filled(cls, [0] * 20)
    name = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(instance, name, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(instance, name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        instance.not_a_field = 1


def test_fields_honour_compare_hash_and_repr() -> None:
    @record
    class Shown:
        key: int
        note: str = dataclasses.field(default="", compare=False)
        secret: str = dataclasses.field(default="", repr=False)
        cached: int = dataclasses.field(default=0, hash=False)

    twin = _twin(Shown)
    for args in [(1, "a", "s", 2), (1, "b", "s", 3), (1, "a", "t", 2)]:
        for other in [(1, "a", "s", 2), (2, "a", "s", 2)]:
            assert (Shown(*args) == Shown(*other)) == (twin(*args) == twin(*other))
        assert hash(Shown(*args)) == hash(twin(*args))
        assert repr(Shown(*args)) == repr(twin(*args))


@pytest.mark.parametrize("count", [0, 1, 2])
def test_records_of_no_one_or_two_fields_hash_as_dataclasses(count: int) -> None:
    cls = record(type("Few", (), {"__annotations__": dict.fromkeys("ab"[:count], "int")}))
    twin = _twin(cls)
    args = (7, 8)[:count]
    assert hash(cls(*args)) == hash(twin(*args))
    assert repr(cls(*args)) == repr(twin(*args))
    assert cls(*args) == cls(*args)


def test_a_recursive_record_prints_as_a_dataclass_does() -> None:
    @record
    class Node:
        children: list[Any]

    node, twin = Node([]), _twin(Node)([])
    node.children.append(node)
    twin.children.append(twin)
    assert repr(node) == repr(twin) == f"{Node.__qualname__}(children=[...])"


def test_a_class_with_its_own_comparison_is_refused() -> None:
    with pytest.raises(TypeError, match="use @dataclass"):

        @record
        class Own:
            value: int

            def __eq__(self, other: object) -> bool:
                return True

            __hash__ = object.__hash__


def test_a_record_is_a_dataclass() -> None:
    @record
    class Pair:
        left: int
        right: int = 2

    pair = Pair(1)
    assert dataclasses.replace(pair, right=3) == Pair(1, 3)
    assert dataclasses.asdict(pair) == {"left": 1, "right": 2}
    assert Pair.__match_args__ == ("left", "right")
