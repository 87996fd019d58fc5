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
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import sys
import time
import zlib
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, Iterator

if TYPE_CHECKING:
    from ..api import Cleaner

__all__ = ["BatchError", "BatchSummary", "run_batch", "partial_path"]

_BOM = b"\xef\xbb\xbf"
_WHITESPACE = b" \t\r\n\x0b\x0c"


class BatchError(ValueError):
    """A batch job that cannot run or continue; the message names the file and what is wrong."""


@dataclass
class BatchSummary:
    """Counts for one output file: non-blank lines read, records written ok, error records, blank lines."""

    read: int = 0
    ok: int = 0
    errors: int = 0
    blank: int = 0
    resumed: int = 0  # of ``read``: lines already done in ``<output>.partial`` and kept by ``resume``

    def describe(self) -> str:
        """The counts as one line of text."""
        line = (f"{self.read} records read, {self.ok} written ok, {self.errors} errors, "
                f"{self.blank} blank lines skipped")
        return line + (f" ({self.resumed} resumed from a partial output)" if self.resumed else "")


def partial_path(output_path: str | os.PathLike[str]) -> Path:
    """Where ``run_batch`` writes ``output_path`` until it is complete: ``<output>.partial``."""
    p = Path(output_path)
    return p.with_name(p.name + ".partial")


@dataclass
class _Item:
    line: int
    record: dict[str, Any] | None = None
    id: Any = None
    text: str | None = None
    error: str | None = None


def _parse(raw: bytes, line: int, text_field: str, id_field: str) -> _Item:
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return _Item(line, error=f"not valid UTF-8 at line {line} (byte {e.start + 1}: {e.reason})")
    try:
        record = json.loads(s)
    except json.JSONDecodeError as e:
        return _Item(line, error=f"invalid JSON at line {line}, column {e.colno}: {e.msg}")
    except (ValueError, RecursionError) as e:
        return _Item(line, error=f"invalid JSON at line {line}: {e}")
    if not isinstance(record, dict):
        return _Item(line, error=f"expected a JSON object at line {line}, got {_type_name(record)}")
    rid = record.get(id_field)
    if text_field not in record:
        return _Item(line, id=rid, error=f"missing field {text_field!r}")
    text = record[text_field]
    if not isinstance(text, str):
        return _Item(line, id=rid, error=f"field {text_field!r} is {_type_name(text)}, not a string")
    return _Item(line, record, rid, text)


def _type_name(value: Any) -> str:
    return {type(None): "null", bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "an array", dict: "an object"}.get(type(value), type(value).__name__)


def _dump(obj: dict[str, Any]) -> bytes:
    try:
        return json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # a lone surrogate (from a "\ud800" escape): keep it escaped, as it came in
        return json.dumps(obj).encode("ascii") + b"\n"


def _same_id(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


class _Input:
    """The input's lines as ``(line number, bytes)``, lazily; ``position`` is the bytes of the file read."""

    def __init__(self, path: Path):
        self.path = path
        if path.is_dir():
            raise IsADirectoryError(21, "is a directory, not a file", str(path))
        self._raw: IO[bytes] = open(path, "rb")
        self.size = os.fstat(self._raw.fileno()).st_size
        self._stream: IO[bytes] = gzip.GzipFile(fileobj=self._raw, mode="rb") if path.name.endswith(".gz") \
            else self._raw

    @property
    def position(self) -> int:
        return self._raw.tell()

    def lines(self) -> Iterator[tuple[int, bytes]]:
        n = 0
        try:
            for n, raw in enumerate(self._stream, 1):
                yield n, (raw[3:] if n == 1 and raw.startswith(_BOM) else raw)
        except (EOFError, zlib.error, gzip.BadGzipFile) as e:
            raise BatchError(f"{self.path}: damaged gzip input after line {n} ({e})") from None

    def close(self) -> None:
        if self._stream is not self._raw:
            self._stream.close()
        self._raw.close()


class _Progress:
    """A bar on stderr (tqdm when installed, else a plain counter), over the input's bytes."""

    def __init__(self, enabled: bool, total: int, initial: int):
        self._bar: Any = None
        self._last = 0.0
        self._total = total
        self.enabled = enabled
        if not enabled:
            return
        try:
            from tqdm import tqdm
        except ImportError:
            return
        self._bar = tqdm(total=total or None, initial=initial, unit="B", unit_scale=True, unit_divisor=1024,
                         desc="cleanlib batch", file=sys.stderr, dynamic_ncols=True)

    def update(self, position: int, s: BatchSummary) -> None:
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(max(0, position - self._bar.n))
            self._bar.set_postfix(records=s.read, errors=s.errors, refresh=False)
            return
        now = time.monotonic()
        if now - self._last >= 0.5:
            self._last = now
            pct = f" ({100 * position / self._total:.0f}%)" if self._total else ""
            print(f"\rcleanlib batch: {s.read} records, {s.errors} errors{pct}", end="", file=sys.stderr,
                  flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self.enabled and self._last:
            print(file=sys.stderr, flush=True)


def _truncate_to_last_newline(path: Path) -> None:
    """Drop an incomplete last line (one a crash cut short) so that the file ends with a newline."""
    with open(path, "r+b") as f:
        end = f.seek(0, os.SEEK_END)
        pos, keep = end, 0
        while pos > 0:
            step = min(1 << 16, pos)
            pos -= step
            f.seek(pos)
            i = f.read(step).rfind(b"\n")
            if i >= 0:
                keep = pos + i + 1
                break
        if keep != end:
            f.truncate(keep)


def _skip_done(partial: Path, src: _Input, lines: Iterator[tuple[int, bytes]], summary: BatchSummary,
               text_field: str, id_field: str) -> None:
    """Match the complete lines of ``partial`` one to one with the first non-blank input lines."""
    def mismatch(where: str) -> BatchError:
        return BatchError(f"{partial} does not match {src.path} at {where}; was it made from another input? "
                          "Delete it, or run without --resume to start over")

    with open(partial, "rb") as done:
        for k, out_line in enumerate(done, 1):
            try:
                out = json.loads(out_line)
            except ValueError:
                out = None
            if not isinstance(out, dict):
                raise BatchError(f"{partial}: line {k} is damaged (not a JSON object); "
                                 "delete the file, or run without --resume to start over")
            for n, raw in lines:
                if raw.strip(_WHITESPACE):
                    break
                summary.blank += 1
            else:
                raise mismatch(f"its line {k}: the input has only {k - 1} non-blank lines")
            item = _parse(raw, n, text_field, id_field)
            if "clean" in out:
                if item.error is not None or not _same_id(out.get(id_field), item.id):
                    raise mismatch(f"input line {n}")
                summary.ok += 1
            else:
                if out.get("line") != n:
                    raise mismatch(f"input line {n}")
                summary.errors += 1
            summary.read += 1
            summary.resumed += 1


def _clean_chunk(cleaner: Any, texts: list[str]) -> list[str | Exception]:
    """``cleaner.clean_many(texts)``; if the batch fails, each text alone, so one bad text fails alone."""
    try:
        out = cleaner.clean_many(texts)
        if len(out) == len(texts):
            return list(out)
    except Exception:
        pass
    results: list[str | Exception] = []
    for t in texts:
        try:
            results.append(cleaner.clean_many([t])[0])
        except Exception as e:  # reported in that record's error line; the job goes on
            results.append(e)
    return results


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


def run_batch(input_path: str | os.PathLike[str], output_path: str | os.PathLike[str], *,
              cleaner: Cleaner | None = None, resume: bool = False, text_field: str = "text",
              id_field: str = "id", chunk_size: int = 256, progress: bool | None = None, jobs: int = 1,
              cleaner_factory: Callable[[], Any] | None = None) -> BatchSummary:
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
    inp = _Input(src)
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
            _truncate_to_last_newline(partial)
            _skip_done(partial, inp, lines, summary, text_field, id_field)
        bar = _Progress(sys.stderr.isatty() if progress is None else progress, inp.size, inp.position)
        try:
            with open(partial, "ab" if resuming else "wb") as out:
                chunks = _chunks(lines, summary, chunk_size, text_field, id_field)
                if jobs == 1:
                    for chunk in chunks:
                        _write_chunk(out, chunk, _results(chunk, cleaner), summary)
                        bar.update(inp.position, summary)
                else:
                    _run_parallel(out, chunks, jobs, cleaner_factory or cleaner, summary,
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


def _chunks(lines: Iterator[tuple[int, bytes]], summary: BatchSummary, chunk_size: int, text_field: str,
            id_field: str) -> Iterator[list[_Item]]:
    """The non-blank input lines, parsed, in chunks of ``chunk_size``; blank lines are counted in ``summary``."""
    chunk: list[_Item] = []
    for n, raw in lines:
        if not raw.strip(_WHITESPACE):
            summary.blank += 1
            continue
        chunk.append(_parse(raw, n, text_field, id_field))
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _texts(chunk: list[_Item]) -> list[str]:
    return [it.text for it in chunk if it.record is not None and it.text is not None]


def _results(chunk: list[_Item], cleaner: Any) -> list[str | Exception]:
    return _clean_chunk(cleaner, _texts(chunk))


# --- worker processes (jobs > 1) ---------------------------------------------------------------------------

_worker_cleaner: Any = None
_worker_limits: Any = None


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


_worker_init_error: str | None = None  # why this worker has no cleaner, reported back with every chunk


def _init_worker(make: Any, threads: int, parent: int) -> None:
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


class WorkerInitError(Exception):
    """A worker process could not build its cleaner; the message is the cause (e.g. the ``ModelError``'s)."""


def _worker_clean(texts: list[str]) -> list[tuple[bool, str]]:
    """Clean one chunk's texts in a worker: ``(True, clean)`` or ``(False, "Type: message")`` for each."""
    if _worker_init_error is not None:
        raise WorkerInitError(_worker_init_error)
    return [(True, r) if isinstance(r, str) else (False, f"{type(r).__name__}: {r}")
            for r in _clean_chunk(_worker_cleaner, texts)]


class _WorkerFailure(Exception):
    """A cleaning failure reported by a worker process (only its text crosses the process boundary)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def _run_parallel(out: IO[bytes], chunks: Iterator[list[_Item]], jobs: int, make: Any, summary: BatchSummary,
                  on_chunk: Callable[[], None]) -> None:
    """Clean ``chunks`` in ``jobs`` worker processes, writing each chunk in input order as soon as it and all
    the chunks before it are done; at most ``2 * jobs`` chunks are read ahead."""
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
            res = [r if good else _WorkerFailure(r) for good, r in fut.result()]
            _write_chunk(out, chunk, res, summary)
            on_chunk()

        for chunk in chunks:
            texts = _texts(chunk)
            pending.append((chunk, pool.submit(_worker_clean, texts)))
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


def _write_chunk(out: IO[bytes], chunk: list[_Item], results: list[Any], summary: BatchSummary) -> None:
    """Append one cleaned chunk's lines, in input order, flushed so that a crash loses at most this chunk.

    ``results``: for each item with a text, in order, its clean text or the exception cleaning it raised."""
    todo = [it for it in chunk if it.record is not None and it.text is not None]
    for it, res in zip(todo, results):
        if isinstance(res, str):
            it.record["clean"] = res
        elif isinstance(res, _WorkerFailure):
            it.record, it.error = None, f"cleaning failed: {res.text}"
        else:
            it.record, it.error = None, f"cleaning failed: {type(res).__name__}: {res}"
    lines = []
    for it in chunk:
        if it.record is not None:
            lines.append(_dump(it.record))
            summary.ok += 1
        else:
            lines.append(_dump({"id": it.id, "line": it.line, "error": it.error}))
            summary.errors += 1
        summary.read += 1
    out.write(b"".join(lines))
    out.flush()
