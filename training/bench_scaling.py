"""How clean()'s time and memory grow with the size of one document.

    python training/bench_scaling.py                      # every case below, table on stdout
    python training/bench_scaling.py --out out/bench_scaling.txt
    python training/bench_scaling.py --cases article --sizes 1KB,1MB --repeat 3
    python training/bench_scaling.py --max-mb 10          # skip documents over 10 MB

Cases (synthetic, built in memory):

- ``article``: a news page's paragraphs (menu lines, title, byline, body prose, a cue line, a
  teaser, a footer) repeated, with a running number so repeats are not identical, cut to 1 KB,
  10 KB, 100 KB, 1 MB, 10 MB and 50 MB of UTF-8;
- ``nospace``: one 5 MB paragraph with no space or line break;
- ``lines``: a million one-character lines (``"a\\n" * 1_000_000``, 2 MB, a million paragraphs).

Each document is cleaned by a fresh child process (so its peak RSS is its own): the model is
loaded and warmed up on a short text, the document is built, then ``Cleaner.clean`` is timed
(the median of ``--repeat`` runs for documents up to 1 MB, one run above). The table gives
seconds, MB/s and seconds per MB (UTF-8 bytes of input), paragraphs, the child's peak RSS
(``resource.getrusage``) and that peak less the RSS before cleaning. A child that runs past
``--timeout`` or over ``--mem-limit-gb`` of address space (RLIMIT_AS, so a runaway case fails with
MemoryError instead of pushing the machine into the OOM killer) is reported as such in the table.
BLAS is limited to ``--threads`` threads (default 1).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SIZES = {"1KB": 1_000, "10KB": 10_000, "100KB": 100_000, "1MB": 1_000_000, "10MB": 10_000_000,
         "50MB": 50_000_000}

ARTICLE = [
    "Home", "News", "Sport", "Business", "Culture",
    "City council approves new river bridge after months of debate {i}",
    "By Jane Reporter, Staff Writer",
    "September 13, 2018 10:30 am",
    "The city council voted on Monday evening to approve the construction of a new bridge across the "
    "river, ending months of public debate about its cost, its design and the schedule of works that "
    "residents of both banks had asked to see before any decision was taken.",
    "Council members said the bridge, which will carry pedestrians, cyclists and a single lane of buses, "
    "would cost about 48 million euros and take three years to build. Work is expected to start next "
    "spring, once the final contracts have been signed and the river authority has given its consent.",
    "\u201cThis is a project that people on both sides of the river have been waiting for for a very long "
    "time,\u201d the mayor told reporters after the vote. \u201cWe listened to every objection, and the "
    "design we approved tonight is better because of them.\u201d",
    "Opponents of the plan, including a group of shop owners near the old market, argued that the money "
    "would be better spent on repairing existing roads and that the construction would drive customers "
    "away for years. Their petition gathered more than 3,000 signatures in the autumn.",
    "The council has promised to publish a detailed timetable of the works, along with the traffic "
    "diversions they will require, at least two months before construction begins. A public meeting is "
    "planned for the week after the timetable is released.",
    "Share this article", "Facebook", "Twitter", "Email",
    "Watch Next:",
    "Celebrity chef opens a new restaurant downtown tonight, and the queue is already around the block.",
    "Related: Five things to know about the city's transport budget",
    "\u00a9 2018 Example News. All rights reserved. | Privacy policy | Terms of use | Contact us",
]


def article_text(n_bytes: int) -> str:
    """Paragraphs of ARTICLE, each page numbered, repeated until ``n_bytes`` UTF-8 bytes, then cut."""
    pages, total, i = [], 0, 0
    while total < n_bytes:
        page = "\n\n".join(p.replace("{i}", str(i)) for p in ARTICLE) + "\n\n"
        pages.append(page)
        total += len(page.encode("utf-8"))
        i += 1
    data = "".join(pages).encode("utf-8")[:n_bytes]
    return data.decode("utf-8", errors="ignore")


def build(case: str, size: str) -> str:
    if case == "article":
        return article_text(SIZES[size])
    if case == "nospace":
        return ("Supercalifragilistic" * 250_001)[:5_000_000]
    if case == "lines":
        return "a\n" * 1_000_000
    raise ValueError(f"unknown case {case!r}")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(case: str, size: str, repeat: int, threads: int, mem_limit_gb: float) -> dict:
    """Run one case in this process and return its measurements."""
    if mem_limit_gb > 0:
        limit = int(mem_limit_gb * 2 ** 30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from threadpoolctl import threadpool_limits

    from cleanlib import Cleaner, split_paragraphs

    cleaner = Cleaner()
    cleaner.clean("Warm up.\n\nThe model and its lookup tables load on first use.")
    text = build(case, size)
    mb = len(text.encode("utf-8")) / 1e6
    base = _rss_mb()
    runs = repeat if mb <= 1.0 else 1
    times = []
    with threadpool_limits(threads):
        for _ in range(runs):
            t0 = time.perf_counter()
            out = cleaner.clean(text)
            times.append(time.perf_counter() - t0)
    peak = _rss_mb()
    paragraphs = len(split_paragraphs(text))  # counted after the peak is read: segmenting allocates too
    return {"case": case, "size": size, "mb": mb, "paragraphs": paragraphs, "seconds": statistics.median(times),
            "runs": runs, "kept_mb": len(out.encode("utf-8")) / 1e6, "base_rss_mb": base, "peak_rss_mb": peak}


def run_case(case: str, size: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--child", case, size, "--repeat", str(args.repeat),
           "--threads", str(args.threads), "--mem-limit-gb", str(args.mem_limit_gb)]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"case": case, "size": size, "error": f"timed out after {args.timeout:.0f} s"}
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        why = f"signal {-proc.returncode} (killed, likely out of memory)" if proc.returncode < 0 else tail
        return {"case": case, "size": size, "error": why[:160]}
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["wall"] = wall
    return res


def fmt_row(r: dict) -> str:
    label = f"{r['case']} {r['size']}"
    if "error" in r:
        return f"{label:<16} FAILED: {r['error']}"
    s, mb = r["seconds"], r["mb"]
    return (f"{label:<16}{mb:>9.3f}{r['paragraphs']:>11,}{s:>11.3f}{mb / s if s else float('inf'):>9.2f}"
            f"{s / mb:>9.3f}{r['peak_rss_mb']:>11.0f}{r['peak_rss_mb'] - r['base_rss_mb']:>10.0f}{r['runs']:>5}")


HEADER = (f"{'case':<16}{'MB':>9}{'paragraphs':>11}{'seconds':>11}{'MB/s':>9}{'s/MB':>9}{'peak RSS':>11}"
          f"{'+RSS':>10}{'runs':>5}\n" + f"{'':<16}{'':>9}{'':>11}{'':>11}{'':>9}{'':>9}{'(MB)':>11}{'(MB)':>10}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default="article,nospace,lines", help="comma-separated: article, nospace, lines")
    ap.add_argument("--sizes", default=",".join(SIZES), help="article sizes, comma-separated, of " + ", ".join(SIZES))
    ap.add_argument("--max-mb", type=float, default=None, help="skip article documents larger than this")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs for documents up to 1 MB (median)")
    ap.add_argument("--threads", type=int, default=1, help="BLAS/OpenMP threads")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds allowed a case, child start included")
    ap.add_argument("--mem-limit-gb", type=float, default=16, help="address-space limit of a case; 0: none")
    ap.add_argument("--out", type=Path, default=None, help="also write the report to this file")
    ap.add_argument("--child", nargs=2, metavar=("CASE", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        print(json.dumps(child(*args.child, args.repeat, args.threads, args.mem_limit_gb)))
        return 0

    plan = []
    for case in args.cases.split(","):
        if case == "article":
            for size in args.sizes.split(","):
                if size not in SIZES:
                    ap.error(f"unknown size {size!r}")
                if args.max_mb is None or SIZES[size] / 1e6 <= args.max_mb:
                    plan.append((case, size))
        elif case == "nospace":
            plan.append((case, "5MB"))
        elif case == "lines":
            plan.append((case, "1M"))
        else:
            ap.error(f"unknown case {case!r}")

    lines = [f"cleanlib clean() scaling, {time.strftime('%Y-%m-%d %H:%M')}, Python {platform.python_version()}, "
             f"{os.cpu_count()} CPUs, {args.threads} BLAS thread(s), address-space limit "
             f"{args.mem_limit_gb or 'none'} GB a case", "", HEADER]

    def emit(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    for line in lines:
        print(line, flush=True)
    results = []
    for case, size in plan:
        r = run_case(case, size, args)
        results.append(r)
        emit(fmt_row(r))
    emit("")
    emit("MB: UTF-8 bytes of input / 1e6. seconds: Cleaner.clean on one document (median of 'runs'). "
         "+RSS: peak RSS less the RSS before cleaning (model and input already in memory).")
    ok = [r for r in results if "error" not in r and r["case"] == "article"]
    if len(ok) >= 2:
        a, b = ok[0], ok[-1]
        emit(f"article: seconds per MB went from {a['seconds'] / a['mb']:.3f} ({a['size']}) to "
             f"{b['seconds'] / b['mb']:.3f} ({b['size']}); per paragraph "
             f"{1e6 * a['seconds'] / max(a['paragraphs'], 1):.0f} us to {1e6 * b['seconds'] / max(b['paragraphs'], 1):.0f} us")
    for r in results:
        if "error" not in r and r["case"] != "article" and r["paragraphs"] >= 1000:
            emit(f"{r['case']}: {1e6 * r['seconds'] / max(r['paragraphs'], 1):.1f} us and "
                 f"{1e3 * (r['peak_rss_mb'] - r['base_rss_mb']) / max(r['paragraphs'], 1):.1f} KB of peak RSS a paragraph")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
