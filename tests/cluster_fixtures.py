"""A stand-in for a cluster's runner, for tests that need no cluster."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from typing import TypeVar

from checker.parallel import InProcess

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")


class Scrambled(InProcess):
    """A `ClusterRunner` that works in this process, as a cluster's workers would.

    Each `map_shared` job gets pickled copies of its item and the shared value, and the
    items are done heaviest first, so nothing may depend on object identity or order.
    `calls` records how many items each `map_shared` was given.
    """

    def __init__(self) -> None:
        self.calls: list[int] = []

    def map_shared(
        self,
        fn: Callable[[T, S], R],
        items: Sequence[T],
        shared: S,
        cost: Callable[[T], int] | None = None,
    ) -> list[R]:
        self.calls.append(len(items))
        copied: Sequence[T] = pickle.loads(pickle.dumps(items))
        context: S = pickle.loads(pickle.dumps(shared))
        weight = cost or (lambda _: 1)
        order = sorted(range(len(items)), key=lambda i: (-weight(items[i]), -i))
        out: dict[int, R] = {i: fn(copied[i], context) for i in order}
        result: list[R] = pickle.loads(pickle.dumps([out[i] for i in range(len(items))]))
        return result
