"""``record``: a frozen dataclass that costs a third less to define.

``@dataclass(frozen=True)`` writes the source of six methods for each class and compiles
them, and `gatekeeper check` imports some forty such classes: compiling their methods took
a tenth of its start-up. ``record`` lets dataclasses compile only the methods that must be
written per class to stay fast (``__init__``, and the frozen ``__setattr__`` and
``__delattr__``) and gives every record the same ``__eq__``, ``__hash__`` and ``__repr__``,
which read the class's fields with ``operator.attrgetter``. They answer exactly as the
generated ones do: the same fields (``compare``, ``hash`` and ``repr`` of each field
honoured), equal only to an instance of the very same class, the hash of the same tuple,
the same text (tests/test_records.py holds every record of gatekeeper to a twin made by
``dataclass(frozen=True)``). A record is a dataclass: ``fields``, ``replace`` and
``asdict`` work on it. A class that writes its own ``__eq__``, ``__hash__`` or
``__repr__`` should use ``dataclass`` itself.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast

T = TypeVar("T")

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[T], T]:
        return lambda decorated: decorated


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
    """``@dataclass(frozen=True)``, with shared comparison, hashing and repr."""
    own = {"__eq__", "__hash__", "__repr__"} & set(vars(cls))
    if own:
        raise TypeError(f"{cls.__qualname__} defines {', '.join(sorted(own))}: use @dataclass")
    made = dataclass(frozen=True, eq=False, repr=False)(cls)
    every = fields(cast(Any, made))
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

    for method in (__eq__, __hash__, __repr__):
        method.__qualname__ = f"{made.__qualname__}.{method.__name__}"
        setattr(made, method.__name__, method)
    return made
