"""One pause of the cyclic garbage collector, shared by every thread that asks for it.

Big reads, decoded answers, generated and loaded datasets are hundreds of thousands of
lists and dicts without reference cycles; the collector, triggered by the allocations
alone, would walk them again and again (a 4 MB read_group answer decodes 35% faster
without it, a 50k-row read in the sandbox ~30%). Threads that pause it at the same time
(the client's page readers, the sandbox's request threads) share one pause: the last
one out restores the state the first one found, so one thread never re-enables the
collector under another, and a collector the user turned off stays off.

Example::

    with gc_paused():
        rows = orjson.loads(body)
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["gc_paused"]

_lock = threading.Lock()
_pausers = 0
_was_enabled = False


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the block builds many acyclic objects."""
    global _pausers, _was_enabled
    with _lock:
        if _pausers == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pausers += 1
    try:
        yield
    finally:
        with _lock:
            _pausers -= 1
            if _pausers == 0 and _was_enabled:
                gc.enable()
