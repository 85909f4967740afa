"""``record``: a frozen dataclass that costs a fifth as much to define.

``@dataclass(frozen=True)`` writes the source of six methods for each class and compiles
them, and `gatekeeper check` imports some forty such classes: compiling their methods was
a fifth of its start-up. ``record`` lets dataclasses compile only ``__init__``, the one
method that must be written per class to stay fast, and gives every record the same
``__eq__``, ``__hash__``, ``__repr__``, ``__setattr__`` and ``__delattr__``, which read the
class's fields with ``operator.attrgetter``. They answer as the generated ones do: the
same fields (``compare``, ``hash`` and ``repr`` of each field honoured), equal only to an
instance of the very same class, the hash of the same tuple, the same text, and
``FrozenInstanceError`` for assigning or deleting a field (or any attribute of the class's
own instances). tests/test_records.py holds every record of gatekeeper to a twin made by
``dataclass(frozen=True)``.

One difference, by design: the ``__init__`` dataclasses writes for a class that is not
frozen assigns each field (``self.x = x``), so the guard lets a field be assigned once,
while the instance does not hold it yet. Every instance ``__init__``, ``replace``,
``copy`` or ``pickle`` makes holds all its fields, so none can be assigned again. Making
an instance costs ~0.4 µs more than a frozen dataclass's (a call of the guard per field),
nothing next to what a record holds; a class made in bulk in a hot loop can use
``dataclass`` itself, as must a class that writes any of these methods.

A record is a dataclass: ``fields``, ``replace`` and ``asdict`` work on it, and type
checkers see it as a frozen one.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import FrozenInstanceError, dataclass, fields
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast

T = TypeVar("T")

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[T], T]:
        return lambda decorated: decorated


_SHARED = ("__eq__", "__hash__", "__repr__", "__setattr__", "__delattr__")


def _values(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of the named attributes of an object, as the generated methods build it."""
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    if not names:
        return lambda obj: ()
    return attrgetter(*names)  # a tuple for two or more names


@dataclass_transform(frozen_default=True)
def record(cls: type[T]) -> type[T]:
    """``@dataclass(frozen=True)``, with shared methods but ``__init__``."""
    own = set(_SHARED) & set(vars(cls))
    if own:
        raise TypeError(f"{cls.__qualname__} defines {', '.join(sorted(own))}: use @dataclass")
    made: type[Any] = dataclass(eq=False, repr=False)(cls)
    every = fields(made)
    names = frozenset(f.name for f in every)
    compared = _values([f.name for f in every if f.compare])
    hashed = _values([f.name for f in every if (f.compare if f.hash is None else f.hash)])
    shown = [f.name for f in every if f.repr]

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({values})"

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if name in names:
            if name in self.__dict__:
                raise FrozenInstanceError(f"cannot assign to field {name!r}")
            object.__setattr__(self, name, value)  # __init__ assigning it
        elif type(self) is made:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        else:
            super(made, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is made or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(made, self).__delattr__(name)

    for method in (__eq__, __hash__, __repr__, __setattr__, __delattr__):
        method.__qualname__ = f"{made.__qualname__}.{method.__name__}"
        setattr(made, method.__name__, method)
    return cast("type[T]", made)
