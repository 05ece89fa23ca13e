"""Run the engine's stages on a Dask distributed cluster (`--engine dask`).

`DaskRunner` is a `checker.parallel.ClusterRunner`. Its `map` runs a per-document job
(reading a document and its claims) as a dask bag map over partitions of a few hundred
items; its `map_shared` runs alignment block by block and comparison fact by fact, in
batches balanced by cost. Results come back in input order, so the report is the same
as the local engine's.

Only this module imports dask, and only `--engine dask` imports this module: dask takes
a second to import, and `check` on a handful of files must start at once. dask is typed
only in part, so it is imported through importlib and its client and modules are `Any`
here: the boundary is this file.
"""

from __future__ import annotations

import heapq
import importlib
import logging
import pickle
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError
from contextlib import AbstractContextManager, contextmanager
from types import TracebackType
from typing import Any, Generic, TypeVar

from checker.errors import CheckerError, UsageError
from checker.parallel import Tick
from checker.version import __version__

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

INSTALL_HINT = "pip install 'checker[dask]'"
# Seconds to wait for the scheduler to answer, and for it to have a worker: a wrong
# address should fail in a moment, not hang the run.
CONNECT_TIMEOUT = 5.0
# Items per partition: large enough that a task's overhead (a few milliseconds of
# scheduling and pickling) is small beside its work, small enough to spread a corpus
# over the workers' threads.
PARTITION_ITEMS = 250
# At least this many partitions per worker thread, so a thread done early takes more
# work rather than waiting idle for a straggler.
_PARTITIONS_PER_THREAD = 2
# Batches per worker thread for alignment and comparison: their items (blocks, facts)
# vary a thousandfold in work, so batches are balanced by cost, and a few per thread
# let the scheduler even out what the guess of cost got wrong.
_BATCHES_PER_THREAD = 3


# The checker version a worker imports. A lambda, so that it is pickled by value: a
# function of this module would be pickled by name, and a worker without checker could
# not even unpickle the question.
_WORKER_VERSION: Callable[[], str] = lambda: str(  # noqa: E731
    importlib.import_module("checker.version").__version__
)


class DaskError(CheckerError):
    """The cluster could not be reached or lost its workers: a one-line message for the user."""


def _modules() -> tuple[Any, Any]:
    """Import dask.bag and distributed, or say in one line how to install them."""
    try:
        bag = importlib.import_module("dask.bag")
        distributed = importlib.import_module("distributed")
    except ImportError as error:
        raise UsageError(f"--engine dask needs dask ({error}): {INSTALL_HINT}") from None
    return bag, distributed


def silence_logs() -> None:
    """Keep distributed's own log lines off standard error (for the command line).

    distributed logs tracebacks from its threads (a lost scheduler, a connection
    retried); the runner turns each failure into one line of its own. Its loggers are
    set up when it is imported, each with a level of its own, so they are silenced
    after the import, one by one; a logger made later takes its parent's level.
    """
    _modules()
    for name in list(logging.Logger.manager.loggerDict):
        if name == "distributed" or name.startswith("distributed."):
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def _checked_address(address: str) -> str:
    """Return `address` when it names a host and port; a malformed one fails here.

    distributed leaves a half-made client behind on a malformed address, and its
    destructor prints a traceback at exit, so the address is checked first.
    """
    addressing = importlib.import_module("distributed.comm.addressing")
    try:
        _host, port = addressing.get_address_host_port(address)
    except ValueError as error:
        raise UsageError(
            f"--scheduler {address!r}: {error}; expected an address like tcp://HOST:8786"
        ) from None
    if not 0 < port < 65536:
        raise UsageError(f"--scheduler {address!r}: port {port} is out of range")
    return address


class DaskRunner(AbstractContextManager["DaskRunner"]):
    """Map jobs over items on a Dask cluster; results come back in input order."""

    def __init__(self, client: Any, *, owned: bool = False) -> None:
        """Use a connected `distributed.Client`; close it on exit only when `owned`."""
        self.client = client
        self.address = str(client.scheduler.address)
        self._owned = owned
        self._bag, self._distributed = _modules()

    @classmethod
    def connect(cls, address: str, timeout: float = CONNECT_TIMEOUT) -> DaskRunner:
        """Connect to the scheduler at `address` and check its workers can run checker."""
        _bag, distributed = _modules()
        _checked_address(address)
        try:
            client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            raise DaskError(f"cannot reach the Dask scheduler at {address}: {error}") from None
        runner = cls(client, owned=True)
        try:
            runner.check_workers(timeout)
        except BaseException:
            client.close(timeout=1)
            raise
        return runner

    def check_workers(self, timeout: float = CONNECT_TIMEOUT) -> None:
        """Fail unless the cluster has a worker and every worker runs this checker version.

        A worker without checker, or with another version, would fail every task or,
        worse, read claims differently: the report would no longer match the local one.
        """
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError):
            raise DaskError(
                f"the Dask scheduler at {self.address} has no workers (waited {timeout:g} s)"
            ) from None
        found = self.client.run(_WORKER_VERSION, on_error="return")
        for worker, version in sorted(found.items()):
            if isinstance(version, BaseException):
                raise DaskError(
                    f"Dask worker {worker} cannot run checker ({version!r}); install "
                    f"checker {__version__} on every worker"
                )
            if version != __version__:
                raise DaskError(
                    f"Dask worker {worker} has checker {version}, this client {__version__}: "
                    "install the same version everywhere"
                )

    def threads(self) -> int:
        """Return how many tasks the cluster runs at once (its workers' threads)."""
        workers = self.client.scheduler_info().get("workers", {})
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def map(self, fn: Callable[[T], R], items: Sequence[T], tick: Tick | None = None) -> list[R]:
        """Return `[fn(x) for x in items]`, computed as a bag map over partitions of items.

        The partitions are scattered to the workers first rather than embedded in the task
        graph: documents are megabytes, and the scheduler should carry tasks, not text.
        `tick` hears each partition's size as it completes.
        """
        if not items:
            return []
        parts = _split(items, self.partitions(len(items)))
        with self._failures():
            scattered = self.client.scatter(parts, hash=False)
            bag = self._bag.from_delayed(scattered).map(fn)
            futures = self.client.compute(bag.to_delayed())
            return _concat(self._collect(futures, tick))

    def map_shared(
        self,
        fn: Callable[[T, S], R],
        items: Sequence[T],
        shared: S,
        cost: Callable[[T], int] | None = None,
    ) -> list[R]:
        """Return `[fn(x, shared) for x in items]`: a `checker.parallel.SharedMap`.

        `shared` is scattered once; each worker fetches it once, whatever its tasks.
        Items go in batches balanced by `cost`, heaviest first, so one huge block of
        claims gets a worker to itself while small ones share.

        Batches and their results travel pickled by `pickle` itself: distributed's own
        pickler calls back into Python for every object, and a batch of claims is tens of
        thousands of small objects (measured on 2,000 documents: 2.5 s to scatter the
        claims of alignment that way, 1.0 s to pickle them).
        """
        if not items:
            return []
        costs = [max(1, cost(item)) if cost is not None else 1 for item in items]
        batches = _balance(costs, self.threads() * _BATCHES_PER_THREAD)
        with self._failures():
            # A list, because scatter would spread a tuple or a dict item by item.
            [context] = self.client.scatter([shared], hash=False)
            packed = [_pack([items[i] for i in batch]) for batch in batches]
            parts = self.client.scatter(packed, hash=False)
            job: _SharedBatch[T, S, R] = _SharedBatch(fn)
            futures = [self.client.submit(job, part, context, pure=False) for part in parts]
            done = self.client.gather(futures)
        out: list[Any] = [None] * len(items)
        for batch, results in zip(batches, done, strict=True):
            for i, result in zip(batch, pickle.loads(results), strict=True):
                out[i] = result
        return out

    @contextmanager
    def _failures(self) -> Iterator[None]:
        """Turn a lost worker or scheduler into one line for the user."""
        try:
            yield
        except (self._distributed.KilledWorker, OSError, TimeoutError) as error:
            raise DaskError(f"the Dask cluster at {self.address} failed: {error}") from None
        except CancelledError:
            # distributed cancels every pending future when the scheduler goes away.
            raise DaskError(f"lost the Dask scheduler at {self.address} during the run") from None

    def partitions(self, count: int) -> int:
        """Return how many partitions `count` items are split into."""
        wanted = max(self.threads() * _PARTITIONS_PER_THREAD, -(-count // PARTITION_ITEMS))
        return max(1, min(count, wanted))

    def _collect(self, futures: list[Any], tick: Tick | None) -> list[Any]:
        """Wait for the futures, ticking as each completes; return results in their order."""
        index = {future.key: i for i, future in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        for future in self._distributed.as_completed(futures, loop=self.client.loop):
            # result() raises a task's error, or CancelledError for a lost scheduler;
            # as_completed(with_results=True) would hand the latter over as a result.
            result = future.result()
            results[index[future.key]] = result
            if tick is not None:
                tick(len(result))
        return results

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._owned:
            # After a failure the scheduler may be gone: do not wait long to say goodbye.
            self.client.close(timeout=CONNECT_TIMEOUT if kind is None else 1)


class _SharedBatch(Generic[T, S, R]):
    """Apply `fn(item, shared)` to a pickled batch of items; return the results pickled.

    A task for a worker: see `DaskRunner.map_shared` for why the pickling is its own.
    """

    def __init__(self, fn: Callable[[T, S], R]) -> None:
        self.fn = fn

    def __call__(self, packed: bytes, shared: S) -> bytes:
        items: list[T] = pickle.loads(packed)
        return _pack([self.fn(item, shared) for item in items])


def _pack(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _balance(costs: Sequence[int], bins: int) -> list[list[int]]:
    """Deal item positions into at most `bins` batches of nearly equal total cost.

    Heaviest first, each to the lightest batch so far (longest processing time first):
    an item heavier than a fair share ends up alone. Positions stay in order within a
    batch; the caller puts results back by position, so output never depends on this.
    """
    bins = max(1, min(bins, len(costs)))
    loads = [(0, b) for b in range(bins)]
    batches: list[list[int]] = [[] for _ in range(bins)]
    for i in sorted(range(len(costs)), key=lambda i: -costs[i]):
        load, b = heapq.heappop(loads)
        batches[b].append(i)
        heapq.heappush(loads, (load + costs[i], b))
    return [sorted(batch) for batch in batches if batch]


def _split(items: Sequence[T], parts: int) -> list[list[T]]:
    """Cut items into `parts` runs of nearly equal length, in order."""
    size, extra = divmod(len(items), parts)
    out: list[list[T]] = []
    start = 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(list(items[start:end]))
        start = end
    return out


def _concat(parts: Sequence[Sequence[R]]) -> list[R]:
    return [item for part in parts for item in part]
