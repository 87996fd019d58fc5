"""Rebuild the shipped models from ../shared/data, with fixed seeds, and print their held-out figures.

    python training/prepare.py          # once: renders and labels the corpora into data/prepared/
    python training/build_default.py    # trains both on the default recipe: cleanlib/models/default/ and html/
    python training/build_default.py --only html     # or text
    python training/build_default.py --score-only   # scores the shipped models again, writes their figures

The training set is ``cleanlib.learn.recipe.Recipe()``: the training splits of WCXB-dev (every page type),
fundus and readability in three renderings, with synthetic documents (cleanlib/learn/augment.py). The
held-out splits (20% of pages, fixed by a hash of the page id, or of the publisher for fundus) are never
trained on; their figures are printed and stored in model.json and in evaluation.json / evaluation.md beside
the model. The HTML model (``cleanlib/models/html/``) is trained on the same pages' DOM blocks
(``recipe.html_training_set``, read from ../shared/data) and scored on the same held-out pages.
``python training/panel.py`` then scores both models on the whole validation panel.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cleanlib.core.scoring import Model
from cleanlib.corpora import CORPORA, TEXT_RENDERINGS, html_docs, is_heldout
from cleanlib.data import LABELS, LabeledDoc, read_labeled
from cleanlib.evaluation import evaluate_docs, evaluation_summary, write_evaluation
from cleanlib.learn.model import ParagraphClassifier
from cleanlib.learn.recipe import Recipe, html_training_set, training_set
from cleanlib.store import DEFAULT_HTML_MODEL_DIR, DEFAULT_MODEL_DIR, load_model, replace_summary, save_model

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ("wcxb-heldout", "fundus-heldout", "readability-heldout")


def _heldout_docs(name: str, data: Path, shared: Path, html: bool) -> list:
    """The held-out documents of a training corpus: its prepared renderings, or its pages' DOM blocks."""
    if not html:
        return [d for d in read_labeled(data / f"{name}.jsonl.gz") if d.extra["renderer"] in TEXT_RENDERINGS]
    reader, folder = CORPORA[name.removesuffix("-heldout")]
    return html_docs([p for p in reader(shared / folder) if is_heldout(p.group)])


def heldout_figures(model: Model, data: Path, shared: Path, html: bool = False, threshold: float = 0.5) -> dict:
    """Held-out figures of the training corpora, for each rendering (WCXB: articles, and every page type)."""
    out = {}
    for name in HELD_OUT:
        docs = _heldout_docs(name, data, shared, html)
        corpus = name.removesuffix("-heldout")
        for renderer in sorted({d.extra["renderer"] for d in docs}):
            every = [d for d in docs if d.extra["renderer"] == renderer]
            if corpus == "wcxb":
                out[f"wcxb-articles/{renderer}"] = evaluate_docs(
                    model, [d for d in every if d.extra["page_type"] == "article"], threshold)
                out[f"wcxb-all/{renderer}"] = evaluate_docs(model, every, threshold)
            else:
                out[f"{corpus}/{renderer}"] = evaluate_docs(model, every, threshold)
    return out


def build(kind: str, args: argparse.Namespace, recipe: Recipe) -> None:
    """Train (or with --score-only, score) one shipped model, write it with its evaluation files, print figures."""
    html = kind == "html"
    out = args.html_out if html else args.out
    if html:
        train, labels, groups, weights = html_training_set(args.shared, recipe, args.seed)
        n_docs, n_paragraphs = len(train), sum(len(b) for b in train)
    else:
        docs, weights = training_set(args.data, recipe, args.seed)
        train, labels, groups = [d.texts for d in docs], [d.labels for d in docs], [d.extra["group"] for d in docs]
        n_docs, n_paragraphs = len(docs), sum(len(d) for d in train)
    flat = [l for doc_labels in labels for l in doc_labels]
    if args.score_only:
        model, manifest = load_model(out)
        figures = heldout_figures(model, args.data, args.shared, html, manifest.get("threshold", 0.5))
        # the manifest's held-out figures too, as the scoring code gives them now
        replace_summary(out, {**manifest["summary"], "heldout": heldout_summary(figures)})
        write_summary(out, labels, figures, manifest["summary"]["trained_on"], args.seed)
        print_figures(f"{kind}: scored {out} (not retrained)", figures)
        return
    t0 = time.time()
    model = ParagraphClassifier(random_state=args.seed, input=kind, **recipe.model_params(html))
    model.fit(train, labels, groups=groups, sample_weight=weights)
    fit_s = time.time() - t0
    threshold = recipe.html_threshold if html else 0.5
    figures = heldout_figures(model, args.data, args.shared, html, threshold)
    what = "DOM blocks of each page" if html else f"renderings {', '.join(recipe.renderings)}"
    summary = {
        "trained_on": f"training splits of {', '.join(recipe.corpora)} (80% of pages; fundus by publisher), {what}, "
                      "with synthetic documents (cleanlib/learn/augment.py, recipe.py); recipe: " + repr(recipe),
        "documents": n_docs, "paragraphs": n_paragraphs,
        "label_counts": {l: flat.count(l) for l in LABELS},
        "fit_seconds": round(fit_s, 1), "seed": args.seed,
        "heldout": heldout_summary(figures),
    }
    save_model(model, out, summary=summary, threshold=threshold)
    write_summary(out, labels, figures, summary["trained_on"], args.seed)
    print_figures(f"{kind}: trained on {n_docs} documents, {n_paragraphs} paragraphs in {fit_s:.0f}s; saved to {out}",
                  figures)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT / "data" / "prepared")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data",
                    help="the corpora (the HTML model reads the pages themselves)")
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR, help="the text model's directory")
    ap.add_argument("--html-out", type=Path, default=DEFAULT_HTML_MODEL_DIR, help="the HTML model's directory")
    ap.add_argument("--only", choices=("text", "html"), help="build one of the two models (default: both)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the synthetic documents and of both passes")
    ap.add_argument("--score-only", action="store_true",
                    help="do not train: score the models already there and (re)write their figures "
                         "(evaluation files, model.json)")
    args = ap.parse_args(argv)
    if not (args.data / "wcxb-train.jsonl.gz").exists():
        print(f"{args.data} has no prepared data: run python training/prepare.py first", file=sys.stderr)
        return 1
    for kind in ([args.only] if args.only else ["text", "html"]):
        build(kind, args, Recipe())
    return 0


def heldout_summary(figures: dict) -> dict:
    """The held-out figures model.json keeps: documents, word F1 and shingle F1 of each split."""
    return {k: {"documents": v["documents"], "word_f1": round(v["word"]["f1"], 4),
                "shingle_f1": round(v["shingle"]["f1"], 4)} for k, v in figures.items()}


def write_summary(out: Path, labels: list[list[str]], figures: dict, trained_on: str, seed: int) -> None:
    """The same numbers-only evaluation.json / evaluation.md that `cleanlib train` writes beside a model."""
    write_evaluation(out, evaluation_summary(
        [LabeledDoc(str(i), [""] * len(l), l) for i, l in enumerate(labels)], figures, threshold=0.5, trained_on=trained_on,
        split={"heldout": "20% of pages fixed by the SHA-1 of the page id (fundus: of the publisher; "
                          "cleanlib.corpora.is_heldout)", "seed": seed}))


def print_figures(headline: str, figures: dict) -> None:
    print(headline)
    print(f"{'held-out split':<28}{'docs':>6}{'word F1':>9}{'shingle F1':>12}  paragraph P/R: content, meta, boilerplate")
    for k, v in figures.items():
        pl = v["paragraph"]["per_label"]
        pr = "  ".join(f"{pl[l]['precision']:.3f}/{pl[l]['recall']:.3f}" for l in LABELS)
        print(f"{k:<28}{v['documents']:>6}{v['word']['f1']:>9.4f}{v['shingle']['f1']:>12.4f}  {pr}")


if __name__ == "__main__":
    sys.exit(main())
