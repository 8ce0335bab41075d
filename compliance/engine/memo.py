"""Memoizing what the engine derives once from a ruleset or a rule model and reuses for every
report: held beside the object (by identity), never stashed inside it."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from compliance.rules.load import CompiledRuleset

T = TypeVar("T")


def per_ruleset(fn: Callable[[CompiledRuleset], T]) -> Callable[[CompiledRuleset], T]:
    """Cache fn(rs) for as long as the compiled ruleset lives (a reloaded file is a new ruleset)."""
    cache: weakref.WeakKeyDictionary[CompiledRuleset, T] = weakref.WeakKeyDictionary()

    def wrapper(rs: CompiledRuleset) -> T:
        try:
            return cache[rs]
        except KeyError:
            got = cache[rs] = fn(rs)
            return got

    wrapper.__doc__ = fn.__doc__
    wrapper.__name__ = fn.__name__
    return wrapper


def per_object(fn: Callable[[Any], T]) -> Callable[[Any], T]:
    """Cache fn(obj) per object identity: pydantic rule models are not hashable, and their
    descriptions are the same for every report. The object is kept so its id is never reused."""
    cache: dict[int, tuple[object, T]] = {}

    def wrapper(obj: Any) -> T:
        got = cache.get(id(obj))
        if got is None or got[0] is not obj:
            got = cache[id(obj)] = (obj, fn(obj))
        return got[1]

    wrapper.__doc__ = fn.__doc__
    wrapper.__name__ = fn.__name__
    return wrapper
