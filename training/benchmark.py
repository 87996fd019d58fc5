"""cleanlib against the tools people use instead: the same pages, the same run, one table.

    python training/benchmark.py [--corpus scrapinghub|wcxb|both] [--tools NAME,...] [--out docs/benchmark.md]
                                 [--limit N] [--model DIR] [--readme]

Needs the extras ``html`` and ``bench`` (``pip install -e ".[html,bench]"``) and the corpora in ``../shared/data``.

Corpora and metrics (each corpus scored with its own):

- scrapinghub (181 pages, gold ``articleBody``): ``\\w+`` tokens with case kept, 4-token shingles with counts,
  precision and recall per page averaged over pages, F1 of the two averages;
- WCXB-dev held-out article pages (``is_heldout``, page type ``article``): lowercased ``\\w+`` word F1 per
  page, averaged (precision and recall likewise averaged), as the README's WCXB figure.

Every tool gets each page as the same ``str`` (decoded once, untimed, by ``cleanlib.html.render.decode_html``) and
is timed per page around the whole HTML-in, text-out call, one tool after the other in this one process, with
numeric libraries held to one thread; pages/s is total pages / total wall-clock seconds of those calls, CPU
pages/s the same over their process CPU time (less disturbed by other jobs on the machine). Each tool's
setup (imports, cleanlib's model load) and one warm-up call on the first page are not timed. A page on which a
tool raises counts as empty output and as one failure. ``--readme`` also replaces the table in README.md's
"Benchmark against other tools" section.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import datetime
import logging
import platform
import sys
import time
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

from cleanlib.corpora import is_heldout, page_html, scrapinghub_gold, wcxb_gold, wcxb_page_types
from cleanlib.evaluation.metrics import benchmark_shingle_f1, mean_word_f1

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
CORPORA = ("scrapinghub", "wcxb")
README_SECTION = "\n## Benchmark against other tools\n"
CORPUS_TITLE = {"scrapinghub": "scrapinghub", "wcxb": "WCXB"}
CORPUS_CAPTION = {"scrapinghub": "scrapinghub: {n} pages, shingle F1",
                  "wcxb": "WCXB: {n} WCXB-dev held-out article pages, word F1"}
METRICS: dict[str, Callable] = {"scrapinghub": benchmark_shingle_f1, "wcxb": mean_word_f1}

Extract = Callable[[str], str]

# --tools name: (row label, the distribution whose version is shown)
TOOLS: dict[str, tuple[str, str]] = {
    "cleanlib-html": ("cleanlib: clean_html() (the HTML model, on the page's DOM)", "cleanlib-text"),
    "cleanlib-html-batch": ("cleanlib: Cleaner(html=True).clean_many, batches of 64", "cleanlib-text"),
    "cleanlib-html_text": ("cleanlib: html-text, then clean()", "cleanlib-text"),
    "cleanlib-resiliparse": ("cleanlib: resiliparse, then clean()", "cleanlib-text"),
    "cleanlib-trafilatura": ("cleanlib: trafilatura favor_recall, then clean() a line a paragraph", "cleanlib-text"),
    "cleanlib-trafilatura-auto": ("cleanlib: trafilatura favor_recall, then clean() (default split)", "cleanlib-text"),
    "trafilatura": ("trafilatura, the benchmark's call", "trafilatura"),
    "trafilatura-precision": ("trafilatura, favor_precision", "trafilatura"),
    "trafilatura-recall": ("trafilatura, favor_recall (alone)", "trafilatura"),
    "readability": ("readability-lxml (+ html-text)", "readability-lxml"),
    "justext": ("jusText, English stoplist", "jusText"),
    "boilerpy3": ("boilerpy3 ArticleExtractor", "boilerpy3"),
    "resiliparse": ("resiliparse, main_content=True", "resiliparse"),
}
DEFAULT_TOOLS = [n for n in TOOLS if n != "cleanlib-trafilatura-auto"]  # that one only when named


class Page(NamedTuple):
    """One benchmark page: its id, its HTML decoded to text, and its gold main text."""

    id: str
    html: str
    gold: str


@dataclass
class Run:
    """One tool's outputs and per-page seconds on one corpus, with its failures."""

    outputs: list[str]
    seconds: list[float]
    cpu_seconds: float = 0.0
    failures: int = 0
    first_error: str = ""

    @property
    def pages_per_s(self) -> float:
        """Total pages over the total (wall-clock) seconds of the timed calls."""
        total = sum(self.seconds)
        return len(self.seconds) / total if total > 0 else float("inf")

    @property
    def cpu_pages_per_s(self) -> float:
        """Total pages over the process CPU seconds of the timed calls (less sensitive to other jobs)."""
        return len(self.seconds) / self.cpu_seconds if self.cpu_seconds > 0 else float("inf")


def _decode(html: bytes) -> str:
    """Page bytes to str with cleanlib's decoder (the page's declared or detected charset)."""
    from cleanlib.html.render import decode_html

    return decode_html(html)


def scrapinghub_pages(root: Path, limit: int | None = None) -> list[Page]:
    """The scrapinghub benchmark's pages in id order (the first ``limit`` of them)."""
    gold = list(scrapinghub_gold(root).items())[:limit]
    return [Page(pid, _decode(page_html(root, pid)), body) for pid, body in gold]


def wcxb_pages(root: Path, limit: int | None = None) -> list[Page]:
    """WCXB-dev's held-out article pages in id order (the first ``limit``); gold is the main content."""
    ids = [pid for pid, t in wcxb_page_types(root).items() if t == "article" and is_heldout(pid)][:limit]
    return [Page(pid, _decode(page_html(root, pid)), wcxb_gold(root, pid).main_text) for pid in ids]


@cache
def _cleaner(model: str | None, html: bool = False):  # -> cleanlib.Cleaner
    """One Cleaner (the default model unless ``model``), shared by the cleanlib pipelines."""
    from cleanlib import Cleaner

    return Cleaner(model, html=html)


class Batched:
    """A tool that takes a batch of pages at once (``many``); called on one page, it cleans that one."""

    def __init__(self, many: Callable[[list[str]], list[str]], size: int = 64):
        self.many, self.size = many, size

    def __call__(self, html: str) -> str:
        return self.many([html])[0]


def make_tool(name: str, model: str | None = None, html_model: str | None = None) -> Extract:
    """The HTML-in, text-out function of a tool named in ``TOOLS`` (imports happen here, untimed)."""
    if name == "cleanlib-html":
        return _cleaner(html_model, html=True).clean
    if name == "cleanlib-html-batch":
        return Batched(_cleaner(html_model, html=True).clean_many)
    if name.startswith("cleanlib-"):
        cleaner = _cleaner(model)
        if name.startswith("cleanlib-trafilatura"):
            recall = make_tool("trafilatura-recall")
            if name == "cleanlib-trafilatura":  # trafilatura writes a paragraph a line, at times with blank-looking
                # lines of tabs between, which the default split would take for paragraph breaks
                from cleanlib import Cleaner

                cleaner = Cleaner(cleaner.model, threshold=cleaner.threshold, keep=cleaner.keep, split="line")
            return lambda html: cleaner.clean(recall(html))
        from cleanlib.html.render import html_to_text

        renderer = name.removeprefix("cleanlib-")
        return lambda html: cleaner.clean(html_to_text(html, renderer))
    if name.startswith("trafilatura"):
        import trafilatura

        kw = {"trafilatura-precision": {"favor_precision": True},
              "trafilatura-recall": {"favor_recall": True, "output_format": "txt"}}.get(name, {})
        return lambda html: trafilatura.extract(html, include_comments=False, **kw) or ""
    if name == "readability":
        import html_text
        from readability import Document

        return lambda html: html_text.extract_text(Document(html).summary(html_partial=True))
    if name == "justext":
        import justext

        stoplist = justext.get_stoplist("English")
        # the scrapinghub benchmark's call: length_low 50, stopwords_low 0.1, stopwords_high 0.2, no_headings
        return lambda html: "\n\n".join(p.text for p in justext.justext(html, stoplist, 50, 200, 0.1, 0.2, 0.2,
                                                                          200, True) if not p.is_boilerplate)
    if name == "boilerpy3":
        from boilerpy3 import extractors

        extractor = extractors.ArticleExtractor()
        return lambda html: extractor.get_content(html)
    if name == "resiliparse":
        from resiliparse.extract.html2text import extract_plain_text

        return lambda html: extract_plain_text(html, main_content=True)
    raise ValueError(f"unknown tool {name!r}; choose among {', '.join(TOOLS)}")


def run_tool(extract: Extract, htmls: Sequence[str], warmup: bool = True) -> Run:
    """Each page through one tool, timed per call; a page on which it raises gives "" and a failure."""
    if warmup and htmls:
        try:
            extract(htmls[0])
        except Exception:
            pass
    run = Run([], [])
    if isinstance(extract, Batched):
        return _run_batches(extract, htmls, run)
    for html in htmls:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            out = extract(html) or ""
        except Exception as e:  # any tool error: count it, score the page as empty, go on
            out, run.failures = "", run.failures + 1
            run.first_error = run.first_error or _describe(e)
        run.seconds.append(time.perf_counter() - t0)
        run.cpu_seconds += time.process_time() - c0
        run.outputs.append(out)
    return run


def _run_batches(tool: Batched, htmls: Sequence[str], run: Run) -> Run:
    """A batch tool's run: each batch timed whole, its seconds shared equally by its pages; a batch that
    raises (or gives the wrong number of texts) is run again a page at a time, so a failure costs only its page."""
    for start in range(0, len(htmls), tool.size):
        chunk = list(htmls[start:start + tool.size])
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            outs = list(tool.many(chunk))
        except Exception:
            outs = None
        if outs is None or len(outs) != len(chunk):  # the failed batch's time counts too
            lost, lost_cpu = time.perf_counter() - t0, time.process_time() - c0
            one = run_tool(tool.__call__, chunk, warmup=False)
            run.outputs += one.outputs
            run.seconds += [t + lost / len(chunk) for t in one.seconds]
            run.cpu_seconds += one.cpu_seconds + lost_cpu
            run.failures += one.failures
            run.first_error = run.first_error or one.first_error
            continue
        dt = time.perf_counter() - t0
        run.cpu_seconds += time.process_time() - c0
        run.outputs += [o or "" for o in outs]
        run.seconds += [dt / len(chunk)] * len(chunk)
    return run


def _describe(e: BaseException) -> str:
    """An exception as "Type: message", with its cause where its own message is empty."""
    cause = e.__cause__ or e.__context__
    msg = str(e) or (f"(from {type(cause).__name__}: {cause})" if cause else "")
    return f"{type(e).__name__}: {msg}"[:160]


def score(corpus: str, run: Run, pages: Sequence[Page]) -> dict[str, float]:
    """The corpus's own metric on a run, with pages/s and failures."""
    s = METRICS[corpus](zip(run.outputs, (p.gold for p in pages)))
    return {"f1": s["f1"], "precision": s["precision"], "recall": s["recall"], "pages": len(pages),
            "pages_per_s": run.pages_per_s, "cpu_pages_per_s": run.cpu_pages_per_s, "failures": run.failures}


def tool_version(name: str) -> str:
    """The installed version of the tool's distribution, or "?"."""
    try:
        return version(TOOLS[name][1])
    except PackageNotFoundError:
        return "?"


def format_table(results: dict[str, dict[str, dict[str, float]]], corpora: Sequence[str]) -> str:
    """A caption and a Markdown table: a row a tool; per corpus F1 (the best in bold), P, R, pages/s; failures."""
    head, caption = ["tool", "version"], []
    for c in corpora:
        n = next((r[c]["pages"] for r in results.values() if c in r), 0)
        caption.append(CORPUS_CAPTION[c].format(n=n))
        head += [f"{CORPUS_TITLE[c]} F1", "P", "R", "pages/s", "CPU pages/s"]
    head.append("failures" if len(corpora) == 1 else "failures (" + " / ".join(CORPUS_TITLE[c] for c in corpora) + ")")
    best = {c: max((r[c]["f1"] for r in results.values() if c in r), default=0.0) for c in corpora}
    lines = ["; ".join(caption) + ".", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, per_corpus in results.items():
        cells = [TOOLS[name][0], tool_version(name)]
        for c in corpora:
            s = per_corpus.get(c)
            f1 = f"{s['f1']:.3f}" if s else ""
            cells += ([f"**{f1}**" if f1 == f"{best[c]:.3f}" else f1, f"{s['precision']:.3f}", f"{s['recall']:.3f}",
                       f"{s['pages_per_s']:.0f}", f"{s['cpu_pages_per_s']:.0f}"] if s else ["-"] * 5)
        cells.append(" / ".join(str(int(per_corpus[c]["failures"])) if c in per_corpus else "-" for c in corpora))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def model_id(model: str | None) -> str:
    """The model directory and the start of its arrays' SHA-256, to tell reruns apart."""
    from cleanlib.store import DEFAULT_MODEL_DIR, read_manifest

    sha = read_manifest(model or DEFAULT_MODEL_DIR)["files"]["arrays.npz"]
    return f"{model or 'default model'} (arrays.npz sha256 {sha[:12]})"


def document(table: str, command: str, started: str, model: str | None, errors: dict[str, str],
             load: tuple[float, float], cpu_share: float) -> str:
    """The Markdown file: the table, the command, and how and where it was measured."""
    notes = "".join(f"- {TOOLS[n][0]}: first error: `{e}`\n" for n, e in errors.items())
    return (f"# Benchmark against other tools\n\n{table}\n\n"
            f"Command: `{command}`, run {started} on {platform.node() or 'this machine'} "
            f"({os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python "
            f"{platform.python_version()}; load average {load[0]:.1f} at the start, {load[1]:.1f} at the end); "
            f"cleanlib with the {model_id(model)}.\n\n"
            "pages/s: total pages / total wall-clock seconds of the per-page HTML-in, text-out calls, one process, "
            "numeric libraries on one thread, tools run one after the other; setup and one warm-up call are not "
            "timed. CPU pages/s: the same pages over the process CPU time of those calls, which other jobs on the "
            f"machine disturb less; over the run the timed calls got {cpu_share:.0%} of a core (CPU time / wall "
            "time). "
            "A page on which a tool raised is scored as empty output and counted under failures.\n"
            + (f"\n{notes}" if notes else ""))


def update_readme(readme: Path, table: str, section: str = README_SECTION) -> bool:
    """Replace the table in the README's ``section`` with ``table``; False if there is none to replace."""
    text = readme.read_text(encoding="utf-8")
    start = text.find(section)
    if start < 0:
        return False
    end = text.find("\n## ", start + len(section))
    end = len(text) if end < 0 else end
    lines = text[start:end].split("\n")
    rows = [i for i, line in enumerate(lines) if line.startswith("|")]
    if not rows:
        return False
    new_rows = [line for line in table.splitlines() if line.startswith("|")]
    lines[rows[0]:rows[-1] + 1] = new_rows
    readme.write_text(text[:start] + "\n".join(lines) + text[end:], encoding="utf-8")
    return True


def _load() -> float:
    """The 1-minute load average (0 where the platform has none)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


def main(argv: list[str] | None = None) -> int:
    """Run the chosen tools on the chosen corpora, print the table and write it as Markdown."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=(*CORPORA, "both"), default="both")
    ap.add_argument("--tools", default=",".join(DEFAULT_TOOLS), help=f"comma-separated, among: {', '.join(TOOLS)}")
    ap.add_argument("--out", type=Path, help="Markdown file (default docs/benchmark.md; none with --limit)")
    ap.add_argument("--limit", type=int, help="only the first N pages of each corpus (quick tries)")
    ap.add_argument("--model", help="cleanlib model directory (default: the shipped model)")
    ap.add_argument("--html-model", help="cleanlib HTML model directory (default: the shipped HTML model)")
    ap.add_argument("--readme", action="store_true", help="also replace the table in README.md's benchmark section")
    ap.add_argument("--scrapinghub", type=Path, default=DATA / "scrapinghub")
    ap.add_argument("--wcxb", type=Path, default=DATA / "wcxb-dev")
    args = ap.parse_args(argv)
    names = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in names if t not in TOOLS]
    if unknown or not names:
        ap.error(f"unknown tools {', '.join(unknown) or '(none given)'}; choose among {', '.join(TOOLS)}")
    corpora = CORPORA if args.corpus == "both" else (args.corpus,)
    out = args.out if args.out or args.limit else ROOT / "docs" / "benchmark.md"
    logging.disable(logging.CRITICAL)  # the tools' own warnings about odd pages
    started, load0 = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), _load()
    tools = {n: make_tool(n, args.model, args.html_model) for n in names}
    results: dict[str, dict[str, dict[str, float]]] = {n: {} for n in names}
    errors: dict[str, str] = {}
    wall = cpu = 0.0
    for corpus in corpora:
        pages = (scrapinghub_pages if corpus == "scrapinghub" else wcxb_pages)(getattr(args, corpus), args.limit)
        print(f"{corpus}: {len(pages)} pages", file=sys.stderr)
        for n, extract in tools.items():
            run = run_tool(extract, [p.html for p in pages])
            results[n][corpus] = s = score(corpus, run, pages)
            wall, cpu = wall + sum(run.seconds), cpu + run.cpu_seconds
            if run.first_error:
                errors.setdefault(n, f"{corpus} {run.first_error}")
            print(f"  {n:<24} F1 {s['f1']:.4f}  P {s['precision']:.4f}  R {s['recall']:.4f}  "
                  f"{s['pages_per_s']:6.1f} pages/s ({s['cpu_pages_per_s']:.1f} CPU)  {run.failures} failures",
                  file=sys.stderr)
    table = format_table(results, corpora)
    print(table)
    if out:
        command = " ".join(["python3 training/benchmark.py", *(sys.argv[1:] if argv is None else argv)])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(document(table, command, started, args.model, errors, (load0, _load()),
                                 cpu / wall if wall else 0.0), encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    if args.readme:
        done = update_readme(ROOT / "README.md", table)
        print("replaced the table in README.md" if done else "README.md has no benchmark table to replace",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
