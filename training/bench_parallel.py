"""Throughput and memory of ``run_batch`` (``cleanlib batch``) with one process and with worker processes,
and of ``cleanlib.scale.dask.clean_bag`` on a Dask LocalCluster.

    python training/bench_parallel.py                            # jobs 1 and 2, Dask with 2 workers
    python training/bench_parallel.py --markdown out/bench_parallel.md   # also the Markdown table to a file
    python training/bench_parallel.py --jobs 1,2,4 --docs 50000 --out out/bench_parallel.txt

The scrapinghub pages (``../shared/data/scrapinghub``: ``ground-truth.json`` names the ids, the pages are
``html/<id>.html.gz``) are rendered to text once (``cleanlib.html.render.html_to_text``, html_text renderer),
repeated until there are at least ``--docs`` documents, and written as one JSON Lines file to a temporary
directory. Then ``run_batch`` cleans that file once for each ``--jobs`` value, each time with the model
loaded inside the timed run (by the main process for jobs=1, by each worker for jobs>1), so the times
include start-up. The table gives seconds, documents per second, the speed-up over jobs=1 (else the first
value), the 1-minute load average at the end of the run (other work on the machine skews the times), the CPU
seconds of every process, and the RSS (``VmRSS`` of ``/proc/<pid>/status``) of the main process and of
every child process, sampled every ``--interval`` seconds by a thread of the main process: at the first
sample, at 10% and 50% of the run, the peak, and at the last sample, so one can see whether memory stays
flat while the file streams through. The outputs of all runs are checked to be byte-identical.

Then (``--dask-workers 2``, the default; 0 skips it) the same file is cleaned on a ``distributed.LocalCluster``
of that many worker processes with one thread each, the natural Dask path for JSON Lines: ``dask.bag.read_text``
in ``--dask-blocksize`` blocks, ``json.loads``, ``cleanlib.scale.dask.clean_bag`` on the texts, and ``to_textfiles``
of ``{"id", "clean"}`` lines written by the workers. Its time starts once the cluster is up (the cluster's
start-up is reported apart) and includes each worker's import of cleanlib and its model load; the RSS of the
worker pids (``client.run(os.getpid)``) is sampled the same way, and every ``(id, clean)`` is checked against
the jobs=1 output. A Markdown table of the three kinds of run ends the report.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from cleanlib.html.render import html_to_text
from cleanlib.scale.batch import run_batch

ROOT = Path(__file__).resolve().parent.parent


def rss_mb(pid: int) -> float | None:
    """``VmRSS`` of ``pid`` in MB, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of ``pid`` so far (``/proc/<pid>/stat``), or None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid`` (from every thread's ``/proc/<pid>/task/*/children``)."""
    out: set[int] = set()
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for t in tasks:
        try:
            with open(f"/proc/{pid}/task/{t}/children") as f:
                out.update(int(x) for x in f.read().split())
        except OSError:
            pass
    return sorted(out)


def role(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "?"
    if "resource_tracker" in cmd:
        return "resource tracker"
    if "spawn_main" in cmd or "forkserver" in cmd:
        return "worker"
    return "child"


class Sampler(threading.Thread):
    """Samples the RSS of this process and of its children every ``interval`` seconds until stopped."""

    def __init__(self, interval: float, named: dict[int, str] | None = None):
        super().__init__(daemon=True)
        self.interval = interval
        self.named = dict(named or {})  # more pids to sample (not necessarily children), with their roles
        self.samples: dict[int, list[float]] = {}
        self.times: dict[int, list[float]] = {}  # time.perf_counter() of each sample
        self.roles: dict[int, str] = {}
        self.cpu: dict[int, tuple[float, float]] = {}  # first and last CPU-seconds seen
        self._stop_event = threading.Event()

    def sample(self) -> None:
        me = os.getpid()
        now = time.perf_counter()
        for pid in dict.fromkeys([me] + children(me) + list(self.named)):
            r = rss_mb(pid)
            if r is None:
                continue
            if pid == me:
                self.roles[pid] = "main"
            elif pid in self.named:
                self.roles[pid] = self.named[pid]
            elif self.roles.get(pid, "child") == "child":  # a just-spawned child may not have exec'd yet
                self.roles[pid] = role(pid)
            self.samples.setdefault(pid, []).append(r)
            self.times.setdefault(pid, []).append(now)
            c = cpu_s(pid)
            if c is not None:
                self.cpu[pid] = (self.cpu.get(pid, (c, c))[0], c)

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def at_fraction(self, pid: int, start: float, end: float, fraction: float) -> float:
        """RSS of ``pid`` at the first sample at or after ``fraction`` of the run from ``start`` to ``end``."""
        cut = start + fraction * (end - start)
        for t, r in zip(self.times[pid], self.samples[pid]):
            if t >= cut:
                return r
        return self.samples[pid][-1]

    def rows(self, label: str, start: float, end: float) -> list[str]:
        """One line of the memory table for each process sampled."""
        out = []
        for pid, s in self.samples.items():
            cpu = self.cpu.get(pid, (0.0, 0.0))
            at10, at50 = self.at_fraction(pid, start, end, 0.1), self.at_fraction(pid, start, end, 0.5)
            out.append(f"{label:>6}  {self.roles[pid]:<16}  {pid:>8}  {len(s):>7}  {s[0]:>8.0f}  {at10:>8.0f}  "
                       f"{at50:>8.0f}  {max(s):>8.0f}  {s[-1]:>8.0f}  {cpu[1] - cpu[0]:>7.1f}")
        return out

    def cpu_used(self, role_name: str) -> list[float]:
        """CPU seconds used during the run by every process of this role, in pid order."""
        return [self.cpu[p][1] - self.cpu[p][0] for p in sorted(self.samples) if self.roles[p] == role_name
                and p in self.cpu]

    def peaks(self, role_name: str) -> list[float]:
        """Peak RSS of every process of this role, in pid order."""
        return [max(self.samples[p]) for p in sorted(self.samples) if self.roles[p] == role_name]

    def flat(self, role_name: str, start: float, end: float) -> list[tuple[float, float, float]]:
        """RSS at 10% and at 50% of the run and at its end, of every process of this role, in pid order."""
        return [(self.at_fraction(p, start, end, 0.1), self.at_fraction(p, start, end, 0.5), self.samples[p][-1])
                for p in sorted(self.samples) if self.roles[p] == role_name]


def render_pages(data: Path, limit: int | None) -> list[tuple[str, str]]:
    ids = list(json.loads((data / "ground-truth.json").read_text()))
    texts = []
    for pid in ids[:limit]:
        html = gzip.decompress((data / "html" / f"{pid}.html.gz").read_bytes())
        texts.append((pid, html_to_text(html, "html_text")))
    return texts


def run_dask(src: Path, out_dir: Path, n_workers: int, blocksize: str, interval: float) -> dict[str, Any]:
    """Clean ``src`` on a fresh LocalCluster of ``n_workers`` one-thread worker processes, writing
    ``{"id", "clean"}`` lines to ``out_dir/*.jsonl``; returns the timings, the sampler and the output files."""
    import logging

    import dask.bag as db
    from distributed import Client, LocalCluster

    from cleanlib.scale.dask import clean_bag

    t = time.perf_counter()
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        client.wait_for_workers(n_workers)
        startup = time.perf_counter() - t
        pids = client.run(os.getpid)  # {worker address: pid}
        sampler = Sampler(interval, {pid: "dask worker" for pid in pids.values()})
        sampler.sample()
        sampler.start()
        start = time.perf_counter()
        docs = db.read_text(str(src), blocksize=blocksize).map(json.loads)
        cleaned = clean_bag(docs.pluck("text"))
        lines = db.zip(docs.pluck("id"), cleaned).map(lambda ic: json.dumps({"id": ic[0], "clean": ic[1]},
                                                                           ensure_ascii=False))
        files = lines.to_textfiles(str(out_dir / "*.jsonl"))
        end = time.perf_counter()
        sampler.stop()
        partitions = lines.npartitions
    return {"seconds": end - start, "startup": startup, "sampler": sampler, "start": start, "end": end,
            "files": [Path(f) for f in files], "partitions": partitions}


def same_as(reference: Path, files: list[Path]) -> tuple[bool, int]:
    """Whether the ``(id, clean)`` lines of ``files`` (in order) equal those of the ``run_batch`` output
    ``reference``, and how many lines were compared."""
    n = 0
    with open(reference, encoding="utf-8") as ref:
        for f in files:
            with open(f, encoding="utf-8") as got:
                for line in got:
                    r, g = json.loads(ref.readline() or "null"), json.loads(line)
                    if r is None or (r["id"], r["clean"]) != (g["id"], g["clean"]):
                        return False, n
                    n += 1
        return ref.readline() == "", n


def mb_list(values: list[float]) -> str:
    return " and ".join(f"{v:.0f}" for v in values) + " MB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "scrapinghub",
                    help="scrapinghub corpus directory (default: ../shared/data/scrapinghub)")
    ap.add_argument("--docs", type=int, default=20_000, help="at least this many documents (default 20000)")
    ap.add_argument("--jobs", default="2,1",
                    help="comma-separated jobs values, timed in this order (default 2,1: the workers run "
                         "before the main process has loaded a model of its own)")
    ap.add_argument("--chunk-size", type=int, default=256, help="records per chunk (default 256, as the CLI)")
    ap.add_argument("--dask-workers", type=int, default=2,
                    help="LocalCluster worker processes for the Dask run (default 2; 0: no Dask run)")
    ap.add_argument("--dask-blocksize", default="4MB",
                    help="dask.bag.read_text block size, i.e. partition size (default 4MB)")
    ap.add_argument("--interval", type=float, default=0.5, help="RSS sampling interval in seconds (default 0.5)")
    ap.add_argument("--limit", type=int, default=None, help="render only the first N pages (quick runs)")
    ap.add_argument("--out", type=Path, help="also write the report to this file")
    ap.add_argument("--markdown", type=Path, help="also write the Markdown table to this file")
    args = ap.parse_args(argv)
    jobs_list = [int(j) for j in args.jobs.split(",")]

    t0 = time.perf_counter()
    pages = render_pages(args.data, args.limit)
    render_s = time.perf_counter() - t0
    reps = -(-args.docs // len(pages))
    lines = []
    with tempfile.TemporaryDirectory(prefix="bench_parallel_") as tmp:
        src = Path(tmp) / "docs.jsonl"
        n = 0
        with open(src, "w", encoding="utf-8") as f:
            for r in range(reps):
                for pid, text in pages:
                    f.write(json.dumps({"id": f"{pid}-{r}", "text": text}, ensure_ascii=False) + "\n")
                    n += 1
        size_mb = src.stat().st_size / 1e6
        lines.append(f"cleanlib batch: run_batch with worker processes ({platform.python_version()}, "
                     f"{os.cpu_count()} CPUs, {platform.machine()})")
        lines.append(f"input: {len(pages)} scrapinghub pages rendered (html_text, {render_s:.1f} s), repeated "
                     f"x{reps} = {n} documents, {size_mb:.1f} MB of JSONL; chunk size {args.chunk_size}")
        lines.append("times include loading the model (main process for jobs=1, each worker for jobs>1)")
        lines.append(f"load average before the runs: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        lines.append("")
        header = f"{'jobs':>6}  {'seconds':>8}  {'docs/s':>8}  {'speed-up':>8}  {'load 1min':>9}"
        lines.append(header)
        rows, mem, outputs, rates, samplers = [], [], [], {}, {}
        for jobs in jobs_list:
            dst = Path(tmp) / f"out-{jobs}.jsonl"
            sampler = Sampler(args.interval)
            sampler.sample()
            sampler.start()
            t = time.perf_counter()
            summary = run_batch(src, dst, jobs=jobs, chunk_size=args.chunk_size, progress=False)
            end = time.perf_counter()
            secs = end - t
            sampler.stop()
            assert summary.read == n and summary.ok == n, summary.describe()
            rates[jobs] = rate = n / secs
            rows.append((str(jobs), secs, rate, os.getloadavg()[0]))
            outputs.append(dst)
            samplers[jobs] = (sampler, t, end)
            mem += sampler.rows(str(jobs), t, end)
        base = rates.get(1, rates[jobs_list[0]])
        first = outputs[0].read_bytes()
        same = all(o.read_bytes() == first for o in outputs[1:])
        dask_run = None
        if args.dask_workers > 0:
            out_dir = Path(tmp) / "dask-out"
            out_dir.mkdir()
            dask_run = run_dask(src, out_dir, args.dask_workers, args.dask_blocksize, args.interval)
            rate = n / dask_run["seconds"]
            rows.append((f"dask {args.dask_workers}", dask_run["seconds"], rate, os.getloadavg()[0]))
            mem += dask_run["sampler"].rows(f"dask {args.dask_workers}", dask_run["start"], dask_run["end"])
            reference = outputs[jobs_list.index(1)] if 1 in jobs_list else outputs[0]
            dask_same, compared = same_as(reference, dask_run["files"])
        order = sorted(range(len(jobs_list)), key=lambda k: jobs_list[k]) + list(range(len(jobs_list), len(rows)))
        lines += [f"{j:>6}  {secs:>8.1f}  {rate:>8.0f}  {rate / base:>7.2f}x  {load:>9.2f}"
                  for j, secs, rate, load in (rows[k] for k in order)]
        lines.append(f"outputs byte-identical across jobs values: {'yes' if same else 'NO'}")
        if dask_run is not None:
            lines.append(f"dask: LocalCluster of {args.dask_workers} worker processes x 1 thread, started in "
                         f"{dask_run['startup']:.1f} s (not in its time); read_text blocksize "
                         f"{args.dask_blocksize} = {dask_run['partitions']} partitions; clean_bag")
            lines.append(f"dask (id, clean) equal to the jobs={1 if 1 in jobs_list else jobs_list[0]} output: "
                         f"{'yes' if dask_same else 'NO'} ({compared} of {n} records compared)")
        lines.append("")
        lines.append(f"RSS in MB, sampled every {args.interval} s during each run (start = first sample, "
                     "10%, 50% = at that share of the run's time, end = last sample while the process was alive; a")
        lines.append("child's first sample can show the parent's RSS while it is being spawned); CPU s = user + "
                     "system CPU seconds used during the run (load-independent)")
        lines.append(f"{'run':>6}  {'process':<16}  {'pid':>8}  {'samples':>7}  {'start':>8}  {'10%':>8}  {'50%':>8}  "
                     f"{'peak':>8}  {'end':>8}  {'CPU s':>7}")
        lines += mem

        md = ["| run | seconds | docs/s | vs 1 process | CPU seconds | peak RSS per worker "
              "| RSS per worker at 10% / 50% / end |",
              "|---|---|---|---|---|---|---|"]
        keys: list[Any] = jobs_list + ["dask"]
        for (label, secs, rate, _load), key in ((rows[k], keys[k]) for k in order):
            if key == "dask":
                sampler, start, end, role_name = dask_run["sampler"], dask_run["start"], dask_run["end"], "dask worker"
                name = f"Dask LocalCluster, {args.dask_workers} workers"
            else:
                (sampler, start, end), role_name = samplers[key], ("main" if key == 1 else "worker")
                name = "1 process" if key == 1 else f"{key} processes (`--jobs {key}`)"
            peaks = sampler.peaks(role_name)
            flat = " and ".join(f"{a:.0f} / {b:.0f} / {c:.0f}" for a, b, c in sampler.flat(role_name, start, end))
            flat += " MB"
            peak = f"{mb_list(peaks)}" + (" (main process)" if key == 1 else "")
            cpu = " + ".join(f"{c:.0f}" for c in sampler.cpu_used(role_name))
            if key != 1:
                cpu += f" (+ {sum(sampler.cpu_used('main')):.0f} main)"
            md.append(f"| {name} | {secs:.1f} | {rate:.0f} | {rate / base:.2f}x | {cpu} | {peak} | {flat} |")
        lines.append("")
        lines += md
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(table + "\n")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text("\n".join(md) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
