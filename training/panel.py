"""The validation panel: a model on every validation set, beside keep-everything and the tools people use.

    python training/prepare.py                      # once: renders and labels the corpora into data/prepared/
    python training/panel.py [--model DIR] [--html-model DIR|none] [--tools trafilatura,readability|none]
                             [--out docs/panel.md] [--readme]

Each set is scored with its own metric (see cleanlib/evaluation/panel.py): word F1 for the page corpora, the
article's word F1 and the share of comment-only words removed for dragnet, F1 of keeping the clean lines for
turku (per language), scrapinghub's shingle F1 (reported, never chosen by). cleanlib is scored on each of the
three renderings of a page (html-text, resiliparse, resiliparse one block a line), and its HTML model on the
page itself; keep-everything on the same renderings; trafilatura and readability (extra ``bench``) on the
page's HTML. The tools' outputs are
deterministic for a page and a tool version, so they are kept in data/cache/tools/ and reused by later runs
(``--fresh-tools`` recomputes them). The panel mean, which model changes are chosen by, leaves scrapinghub out.
"""
from __future__ import annotations

import argparse
import datetime
import gzip
import json
import logging
import sys
from pathlib import Path
from typing import Callable

import numpy as np

from cleanlib.corpora import (cleaneval_pages, dragnet_pages, fundus_pages, readability_pages, scrapinghub_pages,
                              wcxb_pages)
from cleanlib.data import LabeledDoc
from cleanlib import Cleaner
from cleanlib.evaluation.panel import (SETS, TEXT_COLUMNS, figure, html_panel, load_panel, panel_mean, score_outputs,
                                       score_panel)
from cleanlib.store import DEFAULT_HTML_MODEL_DIR, DEFAULT_MODEL_DIR, load_model

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
TOOLS = ("trafilatura", "readability")
RENDERINGS = ("html_text", "resiliparse", "wet")
# prepared file -> the reader and folder of its pages' HTML
HTML_SOURCES: dict[str, tuple[Callable, str]] = {
    "wcxb-heldout": (wcxb_pages, "wcxb-dev"), "fundus-heldout": (fundus_pages, "fundus"),
    "readability-heldout": (readability_pages, "readability"), "dragnet": (dragnet_pages, "dragnet"),
    "cleaneval": (cleaneval_pages, "cleaneval-dev"), "scrapinghub": (scrapinghub_pages, "scrapinghub"),
}
README_SECTION = "\n## Validation panel\n"


def page_of(doc: LabeledDoc) -> str:
    """The page id of a document: ``<page id>/<rendering>`` for a rendered page, else its id."""
    return doc.id.rsplit("/", 1)[0] if doc.extra.get("renderer") in RENDERINGS else doc.id


def tool_outputs(tool: str, file: str, page_ids: set[str], shared: Path, cache_dir: Path,
                 fresh: bool) -> dict[str, str]:
    """``{page id: text}`` of one tool on the pages of one prepared file, from the cache where it has them."""
    from benchmark import make_tool, tool_version  # training/benchmark.py: the tools, called as it calls them

    name = {"trafilatura": "trafilatura", "readability": "readability"}[tool]
    path = cache_dir / f"{name}-{tool_version(name)}" / f"{file}.json.gz"
    cached: dict[str, str] = {}
    if path.exists() and not fresh:
        cached = json.loads(gzip.decompress(path.read_bytes()))
    todo = page_ids - cached.keys()
    if todo:
        reader, folder = HTML_SOURCES[file]
        extract = make_tool(name)
        from cleanlib.html.render import decode_html

        for page in reader(shared / folder):
            if page.id in todo:
                try:
                    cached[page.id] = extract(decode_html(page.html)) or ""
                except Exception:  # a tool that fails on a page: scored as empty output
                    cached[page.id] = ""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(json.dumps(cached).encode()))
    return cached


def baselines(panel: dict[str, list[LabeledDoc]], tools: list[str], shared: Path, cache_dir: Path,
              fresh: bool) -> dict[str, dict[str, dict[str, float]]]:
    """``{set: {column: figures}}`` for keep-everything (each rendering) and each tool (from the HTML)."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for s in SETS:
        docs = panel.get(s.name)
        if not docs:
            continue
        row = out[s.name] = {}
        for rendering in sorted({d.extra.get("renderer", "") for d in docs} & set(TEXT_COLUMNS)):
            part = [d for d in docs if d.extra.get("renderer") == rendering]
            row[f"keep all/{rendering}"] = figure(s.metric, part, keep=np.ones(sum(len(d.texts) for d in part), bool))
        if s.file not in HTML_SOURCES:
            continue
        one = [d for d in docs if d.extra.get("renderer") == "html_text"]  # one document a page
        for tool in tools:
            texts = tool_outputs(tool, s.file, {page_of(d) for d in one}, shared, cache_dir, fresh)
            row[tool] = figure(s.metric, one, texts=[texts[page_of(d)] for d in one])
    return out


def _cell(figures: dict[str, float] | None, key: str) -> str:
    return "—" if figures is None or key not in figures else f"{figures[key]:.3f}"


def format_table(scores: dict, base: dict, tools: list[str], pages: dict[str, int]) -> str:
    """One row a set and figure: cleanlib's text model on each rendering, its HTML model, keep-everything, and
    the tools."""
    head = ["set", "pages", "metric", "cleanlib, text: html-text / resiliparse / WET lines", "cleanlib, HTML",
            "keep all", *tools]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in SETS:
        if s.name not in scores:
            continue
        per = scores[s.name]
        keys = [("f1", "word F1")]
        if s.metric == "dragnet":
            keys = [("f1", "article word F1"), ("comments_removed", "comment words removed")]
        elif s.metric == "shingle":
            keys = [("f1", "shingle F1 (reported only)")]
        elif s.metric == "lines":
            keys = [(k, f"F1 of kept clean lines, {k[3:]}") for k in per["lines"] if k != "f1"]
        for key, label in keys:
            cleanlib = " / ".join(_cell(per.get(r), key) for r in RENDERINGS if r in per) \
                if s.metric != "lines" else _cell(per["lines"], key)
            keep = " / ".join(_cell(f, key) for c, f in base.get(s.name, {}).items() if c.startswith("keep all/"))
            keep = keep.split(" / ")[0] if s.metric != "lines" and len(set(keep.split(" / "))) == 1 else keep
            html = _cell(base.get(s.name, {}).get("cleanlib-html"), key)
            cells = [s.name, str(pages.get(s.name, "")), label, cleanlib, html, keep,
                     *(_cell(base.get(s.name, {}).get(t), key) for t in tools)]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR, help="model directory (default: the shipped model)")
    ap.add_argument("--html-model", type=Path, default=DEFAULT_HTML_MODEL_DIR,
                    help="HTML model directory (default: the shipped one); 'none' leaves the HTML column out")
    ap.add_argument("--data", type=Path, default=ROOT / "data" / "prepared")
    ap.add_argument("--shared", type=Path, default=DATA)
    ap.add_argument("--tools", default=",".join(TOOLS), help="comma-separated among trafilatura, readability; or none")
    ap.add_argument("--fresh-tools", action="store_true", help="recompute the tools' outputs instead of the cache")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "panel.md")
    ap.add_argument("--readme", action="store_true", help="also replace the table in README.md's panel section")
    args = ap.parse_args(argv)
    tools = [] if args.tools == "none" else [t.strip() for t in args.tools.split(",") if t.strip()]
    bad = [t for t in tools if t not in TOOLS]
    if bad:
        ap.error(f"unknown tools {', '.join(bad)}; choose among {', '.join(TOOLS)}")
    if not (args.data / "wcxb-heldout.jsonl.gz").exists():
        print(f"{args.data} has no prepared data: run python training/prepare.py first", file=sys.stderr)
        return 1
    logging.disable(logging.CRITICAL)  # the tools' own warnings about odd pages
    panel = load_panel(args.data)
    model, manifest = load_model(args.model)
    scores = score_panel(model, panel, manifest.get("threshold", 0.5))
    base = baselines(panel, tools, args.shared, ROOT / "data" / "cache" / "tools", args.fresh_tools)
    if str(args.html_model) != "none":
        html_pages = html_panel(args.shared)
        cleaner = Cleaner(args.html_model, html=True)
        for name, figures in score_outputs({n: cleaner.clean_many([p.html for p in ps]) for n, ps in html_pages.items()},
                                           html_pages, "cleanlib-html").items():
            base.setdefault(name, {}).update(figures)
    pages = {name: len({page_of(d) for d in docs}) for name, docs in panel.items()}
    table = format_table(scores, base, tools, pages)
    mean = panel_mean(scores)
    html_mean = panel_mean({n: {"html": f["cleanlib-html"]} for n, f in base.items() if "cleanlib-html" in f})
    print(table)
    print(f"\npanel mean (scrapinghub left out): text model {mean:.4f}; HTML model {html_mean:.4f} (its sets)")
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sha = manifest["files"]["arrays.npz"][:12]
    doc = (f"# Validation panel\n\n{table}\n\npanel mean (scrapinghub left out): text model {mean:.4f}; HTML model "
           f"{html_mean:.4f} (the sets with HTML)\n\n"
           f"Command: `python3 training/panel.py{' ' + ' '.join(argv or sys.argv[1:]) if (argv or sys.argv[1:]) else ''}`,"
           f" run {started}; model {args.model} (arrays.npz sha256 {sha}).\n")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(doc, encoding="utf-8")
    json_path = args.out.with_suffix(".json")
    json_path.write_text(json.dumps({"cleanlib": scores, "baselines": base, "panel_mean": mean}, indent=1) + "\n")
    print(f"wrote {args.out} and {json_path}", file=sys.stderr)
    if args.readme:
        from benchmark import update_readme

        done = update_readme(ROOT / "README.md", table, README_SECTION)
        print("replaced the table in README.md" if done else "README.md has no panel table to replace", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
