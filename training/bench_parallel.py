"""Throughput and memory of ``run_batch`` (``cleanlib batch``) with one process and with worker processes.

    python training/bench_parallel.py                            # jobs 1 and 2, table on stdout
    python training/bench_parallel.py --jobs 1,2,4 --docs 50000 --out out/bench_parallel.txt

The scrapinghub pages (``../shared/data/scrapinghub``: ``ground-truth.json`` names the ids, the pages are
``html/<id>.html.gz``) are rendered to text once (``cleanlib.render.html_to_text``, html_text renderer),
repeated until there are at least ``--docs`` documents, and written as one JSON Lines file to a temporary
directory. Then ``run_batch`` cleans that file once for each ``--jobs`` value, each time with the model
loaded inside the timed run (by the main process for jobs=1, by each worker for jobs>1), so the times
include start-up. The table gives seconds, documents per second, the speed-up over jobs=1 (else the first value), the
1-minute load average at the end of the run (other work on the machine skews the times), the CPU seconds of every process,
and the RSS (``VmRSS`` of ``/proc/<pid>/status``) of the main process and of every child process, sampled
every ``--interval`` seconds by a thread of the main process: at the first sample, the peak, and at the last
sample, so one can see whether memory stays flat while the file streams through. The outputs of all runs
are checked to be byte-identical.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleanlib.batch import run_batch  # noqa: E402
from cleanlib.render import html_to_text  # noqa: E402


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

    def __init__(self, interval: float):
        super().__init__(daemon=True)
        self.interval = interval
        self.samples: dict[int, list[float]] = {}
        self.roles: dict[int, str] = {}
        self.cpu: dict[int, tuple[float, float]] = {}  # first and last CPU-seconds seen
        self._stop_event = threading.Event()

    def sample(self) -> None:
        me = os.getpid()
        for pid in [me] + children(me):
            r = rss_mb(pid)
            if r is None:
                continue
            if pid == me:
                self.roles[pid] = "main"
            elif self.roles.get(pid, "child") == "child":  # a just-spawned child may not have exec'd yet
                self.roles[pid] = role(pid)
            self.samples.setdefault(pid, []).append(r)
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


def render_pages(data: Path, limit: int | None) -> list[tuple[str, str]]:
    ids = list(json.loads((data / "ground-truth.json").read_text()))
    texts = []
    for pid in ids[:limit]:
        html = gzip.decompress((data / "html" / f"{pid}.html.gz").read_bytes())
        texts.append((pid, html_to_text(html, "html_text")))
    return texts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "scrapinghub",
                    help="scrapinghub corpus directory (default: ../shared/data/scrapinghub)")
    ap.add_argument("--docs", type=int, default=20_000, help="at least this many documents (default 20000)")
    ap.add_argument("--jobs", default="2,1",
                    help="comma-separated jobs values, timed in this order (default 2,1: the workers run "
                         "before the main process has loaded a model of its own)")
    ap.add_argument("--chunk-size", type=int, default=256, help="records per chunk (default 256, as the CLI)")
    ap.add_argument("--interval", type=float, default=0.5, help="RSS sampling interval in seconds (default 0.5)")
    ap.add_argument("--limit", type=int, default=None, help="render only the first N pages (quick runs)")
    ap.add_argument("--out", type=Path, help="also write the table to this file")
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
        lines.append("")
        header = f"{'jobs':>4}  {'seconds':>8}  {'docs/s':>8}  {'speed-up':>8}  {'load 1min':>9}"
        lines.append(header)
        rows, mem, outputs, rates = [], [], [], {}
        for jobs in jobs_list:
            dst = Path(tmp) / f"out-{jobs}.jsonl"
            sampler = Sampler(args.interval)
            sampler.sample()
            sampler.start()
            t = time.perf_counter()
            summary = run_batch(src, dst, jobs=jobs, chunk_size=args.chunk_size, progress=False)
            secs = time.perf_counter() - t
            sampler.stop()
            assert summary.read == n and summary.ok == n, summary.describe()
            rates[jobs] = rate = n / secs
            rows.append((jobs, secs, rate, os.getloadavg()[0]))
            outputs.append(dst)
            for pid, s in sampler.samples.items():
                cpu = sampler.cpu.get(pid, (0.0, 0.0))
                mem.append(f"{jobs:>4}  {sampler.roles[pid]:<16}  {pid:>8}  {len(s):>7}  {s[0]:>8.0f}  "
                           f"{max(s):>8.0f}  {s[-1]:>8.0f}  {cpu[1] - cpu[0]:>7.1f}")
        base = rates.get(1, rates[jobs_list[0]])
        lines += [f"{j:>4}  {secs:>8.1f}  {rate:>8.0f}  {rate / base:>7.2f}x  {load:>9.2f}"
                  for j, secs, rate, load in sorted(rows)]
        first = outputs[0].read_bytes()
        same = all(o.read_bytes() == first for o in outputs[1:])
        lines.append(f"outputs byte-identical across jobs values: {'yes' if same else 'NO'}")
        lines.append("")
        lines.append(f"RSS in MB, sampled every {args.interval} s during each run (start = first sample, "
                     "end = last sample while the process was alive; a child's first sample can show the")
        lines.append("parent's RSS while it is being spawned); CPU s = user + system CPU seconds used during the run "
                     "(load-independent)")
        lines.append(f"{'jobs':>4}  {'process':<16}  {'pid':>8}  {'samples':>7}  {'start':>8}  {'peak':>8}  "
                     f"{'end':>8}  {'CPU s':>7}")
        lines += mem
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
