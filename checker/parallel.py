"""Run one function over many documents: in this process, or in a pool of processes.

The engine hands every per-document job (reading claims out of a text) to a `Runner`,
and gets the results back in the order it gave the inputs, whatever order the workers
finished in: output never depends on how the work was shared out.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Generic, Protocol, TypeVar, runtime_checkable

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

# Below this many documents a pool costs more to start than it saves.
POOL_THRESHOLD = 200
# Chunks per worker: few and large, so a worker's pickling and start-up are paid rarely,
# but enough that a worker done early does not wait idle for a straggler.
_CHUNKS_PER_WORKER = 4

Tick = Callable[[int], None]


class Runner(Protocol):
    """Map a function over items, results in input order; `tick(n)` reports n done."""

    def map(self, fn: Callable[[T], R], items: Sequence[T], tick: Tick | None = None) -> list[R]:
        """Return `[fn(x) for x in items]`."""
        ...


class SharedMap(Protocol):
    """Map `fn(item, shared)` over items, results in input order.

    `shared` is what every item's job reads (the corpus's dates, say): a cluster sends
    it to each worker once rather than with every item. `cost` guesses an item's work,
    so a cluster can give heavy items a worker of their own.
    """

    def __call__(
        self,
        fn: Callable[[T, S], R],
        items: Sequence[T],
        shared: S,
        cost: Callable[[T], int] | None = None,
    ) -> list[R]:
        """Return `[fn(x, shared) for x in items]`."""
        ...


def map_here(
    fn: Callable[[T, S], R],
    items: Sequence[T],
    shared: S,
    cost: Callable[[T], int] | None = None,
) -> list[R]:
    """Run every item here, one after another (a `SharedMap`)."""
    return [fn(item, shared) for item in items]


@runtime_checkable
class ClusterRunner(Runner, Protocol):
    """A runner on a cluster: its workers read the documents too, and align and compare.

    The engine hands such a runner more than claims to read (`checker.engine.check`):
    the documents to read with their claims, then `map_shared` jobs for alignment
    (`checker.align.cluster_block`) and comparison (`checker.compare.compare_fact`).
    """

    def map_shared(
        self,
        fn: Callable[[T, S], R],
        items: Sequence[T],
        shared: S,
        cost: Callable[[T], int] | None = None,
    ) -> list[R]:
        """Return `[fn(x, shared) for x in items]` (a `SharedMap`)."""
        ...


class InProcess:
    """Run every item here, one after another."""

    def map(self, fn: Callable[[T], R], items: Sequence[T], tick: Tick | None = None) -> list[R]:
        out = []
        for item in items:
            out.append(fn(item))
            if tick is not None:
                tick(1)
        return out


class ProcessPool(AbstractContextManager["ProcessPool"]):
    """Run items in `jobs` worker processes, started on first use and reused."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: multiprocessing.pool.Pool | None = None

    def map(self, fn: Callable[[T], R], items: Sequence[T], tick: Tick | None = None) -> list[R]:
        if len(items) < 2:
            return InProcess().map(fn, items, tick)
        chunk = max(1, -(-len(items) // (self.jobs * _CHUNKS_PER_WORKER)))
        batches = [items[i : i + chunk] for i in range(0, len(items), chunk)]
        out: list[R] = []
        work: _Batch[T, R] = _Batch(fn)
        for done in self._start().imap(work, batches):
            out.extend(done)
            if tick is not None:
                tick(len(done))
        return out

    def _start(self) -> multiprocessing.pool.Pool:
        if self._pool is None:
            # fork starts a worker in milliseconds with the lexicon already loaded; where
            # it is missing (Windows, macOS defaults aside), spawn imports afresh.
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._pool = context.Pool(self.jobs)
        return self._pool

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            if kind is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None


class _Batch(Generic[T, R]):
    """Apply a function to a batch of items (a picklable stand-in for a lambda)."""

    def __init__(self, fn: Callable[[T], R]) -> None:
        self.fn = fn

    def __call__(self, items: Sequence[T]) -> list[R]:
        return [self.fn(item) for item in items]


def default_jobs(documents: int) -> int:
    """Return the worker count for a run of `documents` when the user names none."""
    if documents <= POOL_THRESHOLD:
        return 1
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return max(1, len(usable) if usable is not None else os.cpu_count() or 1)
