"""Rebuild the shipped default model from ../shared/data, with fixed seeds, and print its held-out figures.

    python training/prepare.py          # once: renders and labels the corpora into data/prepared/
    python training/build_default.py    # trains on the default recipe, writes cleanlib/models/default/
    python training/build_default.py --score-only   # scores the shipped model again, writes its evaluation files

The training set is ``cleanlib.learn.recipe.Recipe()``: the training splits of WCXB-dev (every page type),
fundus and readability in three renderings, with synthetic documents (cleanlib/learn/augment.py). The
held-out splits (20% of pages, fixed by a hash of the page id, or of the publisher for fundus) are never
trained on; their figures are printed and stored in model.json and in evaluation.json / evaluation.md beside
the model. ``python training/panel.py`` then scores the model on the whole validation panel.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cleanlib.core.scoring import Model
from cleanlib.data import LABELS, read_labeled
from cleanlib.evaluation import evaluate_docs, evaluation_summary, write_evaluation
from cleanlib.learn.model import ParagraphClassifier
from cleanlib.learn.recipe import Recipe, training_set
from cleanlib.store import DEFAULT_MODEL_DIR, load_model, save_model

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ("wcxb-heldout", "fundus-heldout", "readability-heldout")


def heldout_figures(model: Model, data: Path, threshold: float = 0.5) -> dict:
    """Held-out figures of the training corpora, for each rendering (WCXB: articles, and every page type)."""
    out = {}
    for name in HELD_OUT:
        docs = read_labeled(data / f"{name}.jsonl.gz")
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT / "data" / "prepared")
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR)
    ap.add_argument("--seed", type=int, default=0, help="seed of the synthetic documents and of both passes")
    ap.add_argument("--score-only", action="store_true",
                    help="do not train: score the model already in --out and (re)write its evaluation files")
    args = ap.parse_args(argv)
    if not (args.data / "wcxb-train.jsonl.gz").exists():
        print(f"{args.data} has no prepared data: run python training/prepare.py first", file=sys.stderr)
        return 1
    recipe = Recipe()
    train, weights = training_set(args.data, recipe, args.seed)
    if args.score_only:
        model, manifest = load_model(args.out)
        figures = heldout_figures(model, args.data)
        write_summary(args.out, train, figures, manifest["summary"]["trained_on"], args.seed)
        print_figures(f"scored {args.out} (not retrained)", figures)
        return 0
    t0 = time.time()
    model = ParagraphClassifier(random_state=args.seed, **recipe.model)
    model.fit([d.texts for d in train], [d.labels for d in train], groups=[d.extra["group"] for d in train],
              sample_weight=weights)
    fit_s = time.time() - t0
    figures = heldout_figures(model, args.data)
    labels = [l for d in train for l in d.labels]
    summary = {
        "trained_on": f"training splits of {', '.join(recipe.corpora)} (80% of pages; fundus by publisher), "
                      f"renderings {', '.join(recipe.renderings)}, with synthetic documents "
                      "(cleanlib/learn/augment.py); recipe: " + repr(recipe),
        "documents": len(train), "paragraphs": len(labels),
        "label_counts": {l: labels.count(l) for l in LABELS},
        "fit_seconds": round(fit_s, 1), "seed": args.seed,
        "heldout": {k: {"documents": v["documents"], "word_f1": round(v["word"]["f1"], 4),
                        "shingle_f1": round(v["shingle"]["f1"], 4)} for k, v in figures.items()},
    }
    save_model(model, args.out, summary=summary)
    write_summary(args.out, train, figures, summary["trained_on"], args.seed)
    print_figures(f"trained on {len(train)} documents, {len(labels)} paragraphs in {fit_s:.0f}s; saved to {args.out}",
                  figures)
    return 0


def write_summary(out: Path, train, figures: dict, trained_on: str, seed: int) -> None:
    """The same numbers-only evaluation.json / evaluation.md that `cleanlib train` writes beside a model."""
    write_evaluation(out, evaluation_summary(
        train, figures, threshold=0.5, trained_on=trained_on,
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
