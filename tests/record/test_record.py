"""jamdash.record.frozen behaves as @dataclass(frozen=True) for the records jamdash declares."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from dataclasses import FrozenInstanceError, dataclass, field

import pytest

from jamdash.record import frozen


def _empty() -> list[str]:
    return []


@frozen
class Rec:
    name: str
    count: int = 0
    tags: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=_empty, compare=False, repr=False)


@dataclass(frozen=True)
class Ref:
    name: str
    count: int = 0
    tags: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=_empty, compare=False, repr=False)


@frozen
class One:
    value: float


@dataclass(frozen=True)
class OneRef:
    value: float


@frozen
class Nothing:
    """No fields."""


def test_construction_defaults_and_factories_match_dataclass() -> None:
    a, b = Rec("x", tags=("t",)), Rec("x", tags=("t",))
    assert (a.name, a.count, a.tags, a.notes) == ("x", 0, ("t",), [])
    assert a.notes is not b.notes  # a fresh list per instance, as default_factory does
    assert Rec("y", 2, ("u",), ["n"]).notes == ["n"]
    with pytest.raises(TypeError):
        Rec()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Rec("x", nope=1)  # type: ignore[call-arg]


def test_repr_eq_and_hash_match_dataclass() -> None:
    mine, ref = Rec("x", 3, ("a", "b"), ["hidden"]), Ref("x", 3, ("a", "b"), ["hidden"])
    assert repr(mine) == repr(ref).replace("Ref(", "Rec(")
    assert hash(mine) == hash(ref)
    assert hash(One(0.5)) == hash(OneRef(0.5))
    assert repr(One(0.5)) == "One(value=0.5)"
    assert Rec("x", notes=["a"]) == Rec("x", notes=["b"])  # compare=False
    assert Rec("x") != Rec("x", 1)
    assert Rec("x") != Ref("x")  # another class never compares equal
    assert Nothing() == Nothing() and hash(Nothing()) == hash(())
    assert {Rec("x"), Rec("x"), Rec("y")} == {Rec("x"), Rec("y")}


def test_frozen_and_dataclass_functions_work() -> None:
    rec = Rec("x", 1)
    with pytest.raises(FrozenInstanceError):
        rec.name = "y"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del rec.name  # type: ignore[misc]
    assert dataclasses.is_dataclass(rec)
    assert [f.name for f in dataclasses.fields(rec)] == ["name", "count", "tags", "notes"]
    assert dataclasses.replace(rec, count=2) == Rec("x", 2)
    assert dataclasses.asdict(rec) == {"name": "x", "count": 1, "tags": (), "notes": []}
    assert pickle.loads(pickle.dumps(rec)) == rec
    assert Rec.__match_args__ == ("name", "count", "tags", "notes")


def test_signature_and_generated_doc_match_dataclass() -> None:
    assert str(inspect.signature(One)) == str(inspect.signature(OneRef))
    assert One.__doc__ == OneRef.__doc__.replace("OneRef", "One")  # type: ignore[union-attr]
    assert Nothing.__doc__ == "No fields."


def test_what_it_does_not_support_is_refused() -> None:
    with pytest.raises(TypeError, match="__post_init__"):
        @frozen
        class Post:
            x: int

            def __post_init__(self) -> None:
                pass

    with pytest.raises(TypeError, match="plain fields"):
        @frozen
        class Hidden:
            x: int = field(default=0, init=False)

    with pytest.raises(TypeError, match="follows default"):
        @frozen
        class Order:
            x: int = 0
            y: int  # type: ignore[misc]


class KwRec:
    """Keyword-only fields, a required one after a defaulted one (as the spec types have them)."""

    count: int = 0
    name: str
    notes: list[str] = field(default_factory=_empty, compare=False, repr=False)


frozen(KwRec, kw_only=True)


@dataclass(frozen=True, kw_only=True)
class KwRef:
    count: int = 0
    name: str
    notes: list[str] = field(default_factory=_empty, compare=False, repr=False)


def test_keyword_only_records_match_dataclass() -> None:
    made, ref = KwRec(name="a"), KwRef(name="a")  # type: ignore[call-arg]
    assert (made.name, made.count, made.notes) == (ref.name, ref.count, ref.notes) == ("a", 0, [])
    assert str(inspect.signature(KwRec)) == str(inspect.signature(KwRef))
    assert KwRec(name="a", notes=["x"]) == made and made != KwRec(name="a", count=1)
    assert dataclasses.replace(made, count=2).count == 2
    with pytest.raises(TypeError):
        KwRec("a")  # positional: refused, as by a kw_only dataclass
    with pytest.raises(TypeError):
        KwRec()  # the required field after a defaulted one is still required
    with pytest.raises(FrozenInstanceError):
        made.name = "b"  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="plain fields"):
        @frozen
        class Mixed:
            x: int
            y: int = field(default=0, kw_only=True)
