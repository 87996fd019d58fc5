"""Cleaning in worker processes (``run_batch(..., jobs=N)``, N > 1).

The chunks go to N worker processes ('spawn' context), each of which builds its cleaner once; the main
process still reads, writes in input order and keeps the counts, with at most ``2 * N`` chunks in flight,
so memory stays constant. Workers end when the main process is gone.
"""
from __future__ import annotations

import os
import time
from collections import deque
from typing import IO, Any, Callable, Iterator

from .records import BatchError, BatchSummary, CleanerLike, Item, WorkerFailure, clean_chunk, texts_of, write_chunk

__all__ = ["run_parallel", "WorkerInitError"]

Make = Callable[[], CleanerLike] | CleanerLike | None  # what a worker builds its cleaner from (run_parallel)

_worker_cleaner: CleanerLike | None = None
_worker_limits: Any = None  # threadpoolctl's limits, held for the worker's life
_worker_init_error: str | None = None  # why this worker has no cleaner, reported back with every chunk


class WorkerInitError(Exception):
    """A worker process could not build its cleaner; the message is the cause (e.g. the ``ModelError``'s)."""


def _exit_with_parent(parent: int) -> None:
    """End this worker when the main process ``parent`` is gone (killed with SIGKILL, say): a worker blocked
    waiting for work would otherwise live on as an orphan, holding its model in memory (and keeping
    multiprocessing's resource tracker alive with it).

    ``parent`` is the main process's pid as the main process saw it, not ``os.getppid()`` read here: a spawned
    worker spends seconds importing before its initializer runs, and a parent that died in that time has
    already been replaced by init (or a subreaper) as this process's parent."""
    import threading

    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="cleanlib-batch-parent-watch", daemon=True).start()


def _init_worker(make: Make, threads: int, parent: int) -> None:
    """Pool initializer: watch the main process ``parent``, cap this worker's OpenMP/BLAS threads at
    ``threads`` (so that N workers do not oversubscribe the cores), then build (or unpickle) its cleaner once.

    A failure to build the cleaner (a damaged model, say) is kept and raised by every task as a
    ``WorkerInitError`` with its message: raised here it would only break the pool, and the main process
    would learn that a worker died, not why."""
    global _worker_cleaner, _worker_limits, _worker_init_error
    _exit_with_parent(parent)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        pass
    else:
        _worker_limits = threadpool_limits(limits=threads)
    try:
        if make is None:
            from ..api import Cleaner
            make = Cleaner
        is_cleaner = hasattr(make, "clean_many") and not isinstance(make, type)
        _worker_cleaner = make if is_cleaner else make()
    except Exception as e:
        _worker_init_error = str(e) or type(e).__name__


def _worker_clean(texts: list[str]) -> list[tuple[bool, str]]:
    """Clean one chunk's texts in a worker: ``(True, clean)`` or ``(False, "Type: message")`` for each."""
    if _worker_init_error is not None:
        raise WorkerInitError(_worker_init_error)
    return [(True, r) if isinstance(r, str) else (False, f"{type(r).__name__}: {r}")
            for r in clean_chunk(_worker_cleaner, texts)]


def run_parallel(out: IO[bytes], chunks: Iterator[list[Item]], jobs: int, make: Make, summary: BatchSummary,
                 on_chunk: Callable[[], None]) -> None:
    """Clean ``chunks`` in ``jobs`` worker processes, writing each chunk in input order as soon as it and all
    the chunks before it are done; at most ``2 * jobs`` chunks are read ahead. ``make``: what each worker
    builds its cleaner with (a picklable factory), or a cleaner to unpickle, or None for ``Cleaner()``;
    ``on_chunk`` is called after each chunk is written."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker,
                               initargs=(make, max(1, (os.cpu_count() or 1) // jobs), os.getpid()))
    pending: deque = deque()
    try:
        def drain_one() -> None:
            chunk, fut = pending.popleft()
            res: list[str | Exception] = [r if good else WorkerFailure(r) for good, r in fut.result()]
            write_chunk(out, chunk, res, summary)
            on_chunk()

        for chunk in chunks:
            pending.append((chunk, pool.submit(_worker_clean, texts_of(chunk))))
            while len(pending) >= 2 * jobs:
                drain_one()
        while pending:
            drain_one()
    except WorkerInitError as e:
        raise BatchError(f"a worker process could not load the model: {e}") from None
    except BrokenProcessPool as e:
        raise BatchError(f"a worker process died ({e}); the output so far is in {out.name}, "
                         "continue it with --resume") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
