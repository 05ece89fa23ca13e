"""Run the cyclic garbage collector rarely while a corpus is checked.

A run builds millions of small objects that live until the report is written (tokens,
claims, subjects, records) and almost none of them form cycles: reference counting
frees them. With Python's default thresholds (700, 10, 10) the collector still walks
them again and again, and its full passes grow with the heap: on 10,000 reports they
took 11.5 s of an 88 s run, on 2,000 about 0.8 s. Larger thresholds keep the collector
for what it is for, at a few dozen passes a run, without turning it off: a hostile
text that does make cycles is still collected.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Objects allocated (net) before a young collection, and young (then middle-aged)
# collections before the next older one. Measured on c2k/c10k: 100,000 makes a few
# dozen collections a run; the gain flattens beyond it.
_THRESHOLDS = (100_000, 50, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's thresholds for the block, then restore the caller's.

    Only ever raises them: a caller that set its own larger ones keeps them, and one
    that turned collection off with a threshold of 0 keeps it off.
    """
    before = gc.get_threshold()
    if before[0] > 0:
        raised = (max(mine, theirs) for mine, theirs in zip(_THRESHOLDS, before, strict=True))
        gc.set_threshold(*raised)
    try:
        yield
    finally:
        gc.set_threshold(*before)
