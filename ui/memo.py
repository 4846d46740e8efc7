"""A small bounded cache for slow computations that report progress to the page.

st.cache_data records every Streamlit call made inside the cached function and replays it on
a hit; a progress bar drawn in a container from outside cannot be replayed that way. This
cache keeps only return values: keyword arguments whose names start with "_" are passed
through but are not part of the key (e.g. the progress callback and the runs, which are
identified by their content hash instead).
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def memoize(max_entries: int = 16, ttl: float = 3600.0) -> Callable[[Callable[..., T]], Callable[..., T]]:
    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        entries: OrderedDict[tuple, tuple[float, T]] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            key = (args, tuple(sorted((k, v) for k, v in kwargs.items() if not k.startswith("_"))))
            now = time.monotonic()
            with lock:
                hit = entries.get(key)
                if hit is not None and now - hit[0] < ttl:
                    entries.move_to_end(key)
                    return hit[1]
            value = fn(*args, **kwargs)
            with lock:
                entries[key] = (now, value)
                entries.move_to_end(key)
                while len(entries) > max_entries:
                    entries.popitem(last=False)
            return value

        wrapper.cache_clear = entries.clear  # type: ignore[attr-defined]
        return wrapper

    return decorate
