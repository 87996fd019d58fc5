"""Clean a JSON Lines file of documents in constant memory, crash-safely and resumably.

Each input line ``{"id": ..., "text": ..., ...}`` gives one output line: the same record with a new field
``"clean"``, or ``{"id": <id or null>, "line": N, "error": "<reason>"}`` when the line cannot be cleaned.
Blank lines are counted and skipped. A ``.gz`` name means gzip, for the input and for the output.

The output is written to ``<output>.partial`` (always plain JSON Lines, flushed after every chunk) and
renamed, or gzipped, to ``<output>`` only once every line is done. ``resume=True`` keeps the complete lines
of an existing ``<output>.partial``, checks them against the input, and appends the rest.

``jobs=N`` (N > 1; -1 for every core) cleans the chunks in N worker processes ('spawn' context), each of
which builds its cleaner once; the main process still reads, writes in input order and keeps the counts,
with at most ``2 * N`` chunks in flight, so memory stays constant. The main process loads the model once
too, first, so that a bad model fails with its own message; workers end when the main process is gone.

Where the parts are: ``records`` (parsing input lines, writing output lines, the counts), ``resume``
(the partial output), ``progress`` (the bar on stderr), ``pool`` (worker processes); this module runs them.
"""
from __future__ import annotations

import gzip
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .pool import run_parallel
from .progress import Progress
from .records import BatchError, BatchSummary, CleanerLike, InputLines, chunks, clean_chunk, texts_of, write_chunk
from .resume import partial_path, skip_done, truncate_to_last_newline

if TYPE_CHECKING:
    from ..api import Cleaner

__all__ = ["BatchError", "BatchSummary", "run_batch", "resolve_jobs", "partial_path"]


def run_batch(input_path: str | os.PathLike[str], output_path: str | os.PathLike[str], *,
              cleaner: Cleaner | CleanerLike | None = None, resume: bool = False, text_field: str = "text",
              id_field: str = "id", chunk_size: int = 256, progress: bool | None = None, jobs: int = 1,
              cleaner_factory: Callable[[], CleanerLike] | None = None) -> BatchSummary:
    """Clean every record of a JSON Lines file into ``output_path`` (see the module docstring); returns the counts.

    ``jobs``: worker processes (1: clean in this process; -1: ``os.cpu_count()``). With ``jobs > 1`` each
    worker calls ``cleaner_factory()`` once (a picklable callable, e.g. ``functools.partial(Cleaner, path,
    threshold=0.6)``); without one it gets a pickled copy of ``cleaner``, or builds the default ``Cleaner()``.
    Without ``cleaner``, the main process builds one first too, so that a model that does not load raises its
    own error (``ModelError``, ``FileNotFoundError``) before any worker starts; a worker that still fails to
    build its cleaner ends the job with a ``BatchError`` carrying the worker's message.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    jobs = resolve_jobs(jobs)
    src, dst = Path(input_path), Path(output_path)
    partial = partial_path(dst)
    if src.resolve() in (dst.resolve(), partial.resolve()):
        raise BatchError(f"{src}: the input cannot also be the output")
    summary = BatchSummary()
    inp = InputLines(src)
    try:
        if cleaner is None:
            # jobs == 1: the cleaner to use; jobs > 1: built here once only to check that the model loads
            # (about 0.1 s and 10 MB), so that a bad model fails with its own error before any worker starts
            if cleaner_factory is not None:
                built = cleaner_factory()
            else:
                from ..api import Cleaner
                built = Cleaner()
            if jobs == 1:
                cleaner = built
            del built
        lines = inp.lines()
        resuming = resume and partial.exists()
        if resuming:
            truncate_to_last_newline(partial)
            skip_done(partial, inp, lines, summary, text_field, id_field)
        bar = Progress(sys.stderr.isatty() if progress is None else progress, inp.size, inp.position)
        try:
            with open(partial, "ab" if resuming else "wb") as out:
                parsed = chunks(lines, summary, chunk_size, text_field, id_field)
                if jobs == 1:
                    for chunk in parsed:
                        write_chunk(out, chunk, clean_chunk(cleaner, texts_of(chunk)), summary)
                        bar.update(inp.position, summary)
                else:
                    run_parallel(out, parsed, jobs, cleaner_factory or cleaner, summary,
                                 lambda: bar.update(inp.position, summary))
                bar.update(inp.position, summary)
                os.fsync(out.fileno())
        finally:
            bar.close()
    finally:
        inp.close()
    _finish(partial, dst)
    return summary


def resolve_jobs(jobs: int) -> int:
    """``jobs`` as a number of processes: -1 means ``os.cpu_count()``; 0 and other negatives are refused."""
    if jobs == -1:
        return max(1, os.cpu_count() or 1)
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive number of processes, or -1 for all cores; got {jobs!r}")
    return jobs


def _finish(partial: Path, dst: Path) -> None:
    """Move the complete ``partial`` to ``dst`` in one step (gzipping it first for a ``.gz`` name)."""
    if not dst.name.endswith(".gz"):
        os.replace(partial, dst)
        return
    tmp = dst.with_name(dst.name + ".tmp")
    with open(partial, "rb") as f, open(tmp, "wb") as raw:
        with gzip.GzipFile(filename=dst.name[:-3], mode="wb", fileobj=raw, compresslevel=6) as gz:
            shutil.copyfileobj(f, gz, 1 << 20)
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(tmp, dst)
    partial.unlink()
