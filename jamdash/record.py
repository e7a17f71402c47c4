"""Frozen dataclasses that compile one method per class, not six: the records of the model and generators."""

from __future__ import annotations

import dataclasses
import inspect
import reprlib
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError, field
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

__all__ = ["field", "frozen"]

T = TypeVar("T")

# The methods frozen() shares between classes instead of generating them; a class defining one itself
# is refused, as frozen dataclasses refuse __setattr__.
_SHARED = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")


class _Factory:
    """The default of a parameter whose field has a default_factory (dataclasses' _HAS_DEFAULT_FACTORY)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def frozen(cls: type[T], *, kw_only: bool = False) -> type[T]:
    """`@dataclass(frozen=True)` (`kw_only=True`: and keyword-only) with the same fields, `__init__`, `__repr__`,
    `__eq__`, `__hash__` and frozenness (FrozenInstanceError), and `dataclasses.fields()`, `replace()` and `asdict()` work on it.

    Python 3.11's dataclass compiles each generated method from source separately (~0.25 ms each, six
    for a frozen class); jamdash imports ~50 such classes on every run. Here only `__init__` is compiled:
    the other methods are shared functions that read the class's field names (and while `jamdash generate`
    imports, that one compile is read from the cache of commands/dataclass_code.py). Not supported (refused):
    `__post_init__`, InitVar, init=False, keyword-only fields in a positional class, and a class defining a
    shared method.
    """
    own = [name for name in (*_SHARED, "__post_init__") if name in cls.__dict__]
    if own:
        raise TypeError(f"@frozen class {cls.__qualname__} defines {', '.join(own)}: use @dataclass(frozen=True)")
    documented = bool(cls.__dict__.get("__doc__"))
    if not documented:
        cls.__doc__ = cls.__name__  # dataclass() would compute a signature before __init__ exists
    cls = dataclasses.dataclass(init=False, repr=False, eq=False, kw_only=kw_only)(cls)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if len(fields) != len(getattr(cls, "__dataclass_fields__")) or any(f.kw_only is not kw_only or not f.init
                                                                       for f in fields):
        raise TypeError(f"@frozen class {cls.__qualname__}: only plain fields are supported")
    setattr(cls, "__init__", _init(cls, fields, kw_only))
    setattr(cls, "__repr__", _repr)
    setattr(cls, "__eq__", _eq)
    setattr(cls, "__hash__", _hash)
    setattr(cls, "__setattr__", _setattr)
    setattr(cls, "__delattr__", _delattr)
    setattr(cls, "_record_repr", tuple(f.name for f in fields if f.repr))
    setattr(cls, "_record_eq", _key([f.name for f in fields if f.compare]))
    setattr(cls, "_record_hash", _key([f.name for f in fields if (f.compare if f.hash is None else f.hash)]))
    if not documented:
        cls.__doc__ = cls.__name__ + str(inspect.signature(cls)).replace(" -> None", "")
    return cls


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...], kw_only: bool) -> Callable[..., None]:
    """The class's __init__, compiled from source as dataclasses does (one function, one compile)."""
    namespace: dict[str, Any] = {"__set": object.__setattr__, "__factory": _FACTORY}
    params, body = ["self", "*"] if kw_only and fields else ["self"], []
    defaulted = False
    for f in fields:
        if f.default is not MISSING:
            namespace[f"__default_{f.name}"] = f.default
            params.append(f"{f.name}=__default_{f.name}")
        elif f.default_factory is not MISSING:
            namespace[f"__default_{f.name}"] = f.default_factory
            params.append(f"{f.name}=__factory")
            body.append(f"    if {f.name} is __factory: {f.name} = __default_{f.name}()")
        elif defaulted and not kw_only:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
        else:
            params.append(f.name)
        defaulted = defaulted or f.default is not MISSING or f.default_factory is not MISSING
        body.append(f"    __set(self, {f.name!r}, {f.name})")
    source = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "    pass") + "\n"
    # dataclasses' own `exec` where commands/dataclass_code.py has put it: compiled code from the user's cache
    run: Callable[..., None] = vars(dataclasses).get("exec", exec)
    run(source, namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {f.name: f.type for f in fields} | {"return": None}
    return init


def _key(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple dataclasses compares and hashes: these fields' values, in order."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_repr)
    return f"{self.__class__.__qualname__}({values})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = self.__class__._record_eq
        return key(self) == key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__class__._record_hash(self))


def _setattr(self: Any, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
