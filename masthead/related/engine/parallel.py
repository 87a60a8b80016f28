"""Run a function over chunks of work in forked worker processes (serially when small).

The workers inherit the (read-only) state through ``fork``, so the large index arrays are
shared copy-on-write instead of being pickled to each worker. They drop the signal
handlers they inherit: a parent that handles SIGTERM gracefully (the task worker does)
would otherwise leave them deaf to the pool's own shutdown.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_state: Any = None
_func: Callable[[Any, Any], Any] | None = None


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def _default_signals() -> None:
    for name in ("SIGTERM", "SIGINT", "SIGQUIT"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


@contextmanager
def _pool(processes: int):
    """A fork pool that is closed and joined when the work is done.

    ``Pool.__exit__`` terminates its workers with SIGTERM instead, and a worker killed while
    it holds the task queue's lock leaves another blocked on that lock for ever, with the
    pool waiting on it: a hang seen under load. Workers told to finish cannot hold it.
    """
    pool = multiprocessing.get_context("fork").Pool(processes, _default_signals)
    try:
        yield pool
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    pool.close()
    pool.join()


def _call(chunk: Any) -> Any:
    assert _func is not None
    return _func(_state, chunk)


def imap_chunks(
    func: Callable[[Any, T], R], state: Any, chunks: Sequence[T], workers: int
) -> Iterator[R]:
    """Like :func:`map_chunks`, yielding results in order as they are ready."""
    global _state, _func
    if workers <= 1 or len(chunks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for c in chunks:
            yield func(state, c)
        return
    _state, _func = state, func
    try:
        with _pool(min(workers, len(chunks))) as pool:
            yield from pool.imap(_call, chunks, chunksize=1)
    finally:
        _state, _func = None, None


def map_chunks(
    func: Callable[[Any, T], R], state: Any, chunks: Sequence[T], workers: int
) -> list[R]:
    """``[func(state, c) for c in chunks]``, spread over ``workers`` processes."""
    global _state, _func
    if workers <= 1 or len(chunks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [func(state, c) for c in chunks]
    _state, _func = state, func
    try:
        with _pool(min(workers, len(chunks))) as pool:
            return pool.map(_call, chunks, chunksize=1)
    finally:
        _state, _func = None, None
