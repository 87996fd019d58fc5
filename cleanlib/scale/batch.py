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

The output path is checked before any work: it must not be a directory, and its directory must exist and
take new files. ``max_errors=N`` stops the job as soon as more than N records have failed (``BatchError``;
the output so far stays in ``<output>.partial``). ``encoding_errors="replace"`` reads invalid UTF-8 with
U+FFFD for each bad byte instead of writing an error record for its line.

Where the parts are: ``records`` (parsing input lines, writing output lines, the counts), ``resume``
(the partial output), ``progress`` (the bar on stderr), ``pool`` (worker processes); this module runs them.
"""
from __future__ import annotations

import gzip
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .pool import run_parallel
from .progress import Progress
from .records import (BatchError, BatchSummary, CleanerLike, EncodingErrors, InputLines, chunks, clean_chunk, texts_of,
                      write_chunk)
from .resume import partial_path, skip_done, truncate_to_last_newline

if TYPE_CHECKING:
    from ..api import Cleaner

__all__ = ["BatchError", "BatchSummary", "run_batch", "resolve_jobs", "partial_path", "check_output"]


def run_batch(input_path: str | os.PathLike[str], output_path: str | os.PathLike[str], *,
              cleaner: Cleaner | CleanerLike | None = None, resume: bool = False, text_field: str = "text",
              id_field: str = "id", chunk_size: int = 256, progress: bool | None = None, jobs: int = 1,
              cleaner_factory: Callable[[], CleanerLike] | None = None, max_errors: int | None = None,
              encoding_errors: EncodingErrors = "strict") -> BatchSummary:
    """Clean every record of a JSON Lines file into ``output_path`` (see the module docstring); returns the counts.

    ``jobs``: worker processes (1: clean in this process; -1: ``os.cpu_count()``). With ``jobs > 1`` each
    worker calls ``cleaner_factory()`` once (a picklable callable, e.g. ``functools.partial(Cleaner, path,
    threshold=0.6)``); without one it gets a pickled copy of ``cleaner``, or builds the default ``Cleaner()``.
    Without ``cleaner``, the main process builds one first too, so that a model that does not load raises its
    own error (``ModelError``, ``FileNotFoundError``) before any worker starts; a worker that still fails to
    build its cleaner ends the job with a ``BatchError`` carrying the worker's message.

    ``max_errors``: stop with a ``BatchError`` once more than this many records have failed (None: never).
    ``encoding_errors``: ``"strict"`` (invalid UTF-8 makes its line an error record) or ``"replace"``.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    if max_errors is not None and max_errors < 0:
        raise ValueError(f"max_errors must be 0 or more, got {max_errors}")
    if encoding_errors not in ("strict", "replace"):
        raise ValueError(f"encoding_errors must be 'strict' or 'replace', got {encoding_errors!r}")
    jobs = resolve_jobs(jobs)
    src, dst = Path(input_path), Path(output_path)
    partial = partial_path(dst)
    if src.resolve() in (dst.resolve(), partial.resolve()):
        raise BatchError(f"{src}: the input cannot also be the output")
    check_output(dst)
    summary = BatchSummary()

    def check_errors() -> None:
        if max_errors is not None and summary.errors > max_errors:
            raise BatchError(f"more than {max_errors} records failed ({summary.errors} of {summary.read} read; "
                             f"the first, {summary.first_error}); stopped after that chunk, with the output so far, "
                             f"error records included, in {partial}: allow more failures and continue with "
                             "--resume, or fix the input and run again without --resume")

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
            skip_done(partial, inp, lines, summary, text_field, id_field, encoding_errors)
            check_errors()
        bar = Progress(sys.stderr.isatty() if progress is None else progress, inp.size, inp.position)
        try:
            with open(partial, "ab" if resuming else "wb") as out:
                parsed = chunks(lines, summary, chunk_size, text_field, id_field, encoding_errors)

                def on_chunk() -> None:
                    bar.update(inp.position, summary)
                    check_errors()

                if jobs == 1:
                    for chunk in parsed:
                        write_chunk(out, chunk, clean_chunk(cleaner, texts_of(chunk)), summary)
                        on_chunk()
                else:
                    run_parallel(out, parsed, jobs, cleaner_factory or cleaner, summary, on_chunk)
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


def check_output(output_path: str | os.PathLike[str]) -> None:
    """Raise ``BatchError`` unless ``output_path`` (and ``<output>.partial`` beside it) can be written: not a
    directory, in a directory that exists and takes new files (tried by creating and removing one)."""
    dst = Path(output_path)
    for p in (dst, partial_path(dst)):
        if p.is_dir():
            raise BatchError(f"{p}: is a directory; the output must be a file name (for example {p / 'out.jsonl'})")
    parent = dst.parent
    if not parent.exists():
        raise BatchError(f"{parent}: no such directory, so the output {dst} cannot be written there")
    if not parent.is_dir():
        raise BatchError(f"{parent}: not a directory, so the output {dst} cannot be written there")
    try:
        with tempfile.TemporaryFile(dir=parent, prefix=".cleanlib-batch-"):
            pass
    except OSError as e:
        raise BatchError(f"{parent}: cannot create files here ({e.strerror}), so the output {dst} "
                         "cannot be written") from None


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
