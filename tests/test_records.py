"""``record`` against ``dataclass(frozen=True)``: every record class of gatekeeper has a twin
made by dataclasses from the same fields, and the two must compare, hash and print alike
on the same values, whatever they are (instances are filled in without ``__init__``, so
any value fits any field)."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import pickle
import pkgutil
from typing import Any

import pytest
from hypothesis import given, settings
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
    min_size=max(len(dataclasses.fields(cls)) for cls in RECORDS),  # a value for every field
    max_size=max(len(dataclasses.fields(cls)) for cls in RECORDS),
)


@pytest.mark.parametrize("cls", RECORDS, ids=[c.__qualname__ for c in RECORDS])
# No deadline, as every other property here: hypothesis's 200 ms judged the machine (one
# example took 333 ms on two loaded cores, 6 ms when replayed: a FlakyFailure).
@settings(deadline=None)
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


def _outcome(change: str, instance: Any, name: str) -> str:
    try:
        if change == "assign":
            setattr(instance, name, 1)
        else:
            delattr(instance, name)
    except dataclasses.FrozenInstanceError as exc:
        return f"FrozenInstanceError: {exc}"
    except AttributeError as exc:
        return f"AttributeError: {exc}"
    return "allowed"


@pytest.mark.parametrize("cls", RECORDS, ids=[c.__qualname__ for c in RECORDS])
def test_a_record_is_frozen_as_a_frozen_dataclass(cls: type[Any]) -> None:
    """Assigning or deleting a field, or any attribute of the class's own instances, raises
    as the frozen twin does; a subclass's instances may carry other attributes."""
    twin = _twin(cls)
    field = dataclasses.fields(cls)[0].name
    classes = [(cls, twin), (type("Sub", (cls,), {}), type("Sub", (twin,), {}))]
    for ours, theirs in classes:
        for name in (field, "not_a_field"):
            for change in ("assign", "delete"):
                expected = _outcome(change, _filled(theirs, [0] * 20), name)
                assert _outcome(change, _filled(ours, [0] * 20), name) == expected


@record
class Pair:
    """A record pickle can find by name."""

    left: int
    right: tuple[int, ...] = ()


def test_a_record_made_by_init_replace_copy_or_pickle_holds_every_field_for_good() -> None:
    pair = Pair(1, (2,))
    made = [
        pair,
        dataclasses.replace(pair, left=3),
        copy.copy(pair),
        copy.deepcopy(pair),
        pickle.loads(pickle.dumps(pair)),
    ]
    for instance in made:
        for name in ("left", "right"):
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field"):
                setattr(instance, name, 9)
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field"):
                delattr(instance, name)
    assert made[2:] == [pair, pair, pair]


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
    pair = Pair(1)
    assert dataclasses.replace(pair, right=(3,)) == Pair(1, (3,))
    assert dataclasses.asdict(pair) == {"left": 1, "right": ()}
    assert Pair.__match_args__ == ("left", "right")
