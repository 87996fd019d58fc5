"""Rebuild the shipped default model from ../shared/data, with fixed seeds, and print its held-out figures.

    python training/prepare.py          # once: renders and labels the corpus into data/prepared/
    python training/build_default.py    # trains on the WCXB-dev train split, writes cleanlib/models/default/
    python training/build_default.py --score-only   # scores the shipped model again, writes its evaluation files

The held-out split (20% of pages, fixed by page id) is never trained on; its figures are printed
and stored in the model's model.json and in evaluation.json / evaluation.md beside it.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


from cleanlib.data import read_labeled
from cleanlib.evaluation import evaluate_docs, evaluation_summary, write_evaluation
from cleanlib.learn.model import ParagraphClassifier
from cleanlib.core.scoring import Model
from cleanlib.store import DEFAULT_MODEL_DIR, load_model, save_model

sys.path.insert(0, str(Path(__file__).resolve().parent))
from augment import add_trailers  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def heldout_figures(model: Model, docs, threshold: float = 0.5) -> dict:
    """Held-out figures on articles, for each rendering, and on all page types."""
    out = {}
    for renderer in sorted({d.extra["renderer"] for d in docs}):
        arts = [d for d in docs if d.extra["renderer"] == renderer and d.extra["page_type"] == "article"]
        out[f"articles/{renderer}"] = evaluate_docs(model, arts, threshold)
        every = [d for d in docs if d.extra["renderer"] == renderer]
        out[f"all-types/{renderer}"] = evaluate_docs(model, every, threshold)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT / "data" / "prepared")
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--score-only", action="store_true",
                    help="do not train: score the model already in --out and (re)write its evaluation files")
    args = ap.parse_args(argv)
    train_path = args.data / "wcxb-train.jsonl.gz"
    if not train_path.exists():
        print(f"{train_path} is missing: run python training/prepare.py first", file=sys.stderr)
        return 1
    # articles only: on listing, product and forum pages the gold main content is lists of links and
    # teasers, exactly what is boilerplate around an article (training on all types scored lower)
    train = [d for d in read_labeled(train_path) if d.extra.get("page_type") == "article"]
    train = add_trailers(train, seed=args.seed)
    held = read_labeled(args.data / "wcxb-heldout.jsonl.gz")
    labels = [l for d in train for l in d.labels]
    if args.score_only:
        model, manifest = load_model(args.out)
        figures = heldout_figures(model, held)
        write_summary(args.out, train, figures, manifest["summary"]["trained_on"], args.seed)
        print_figures(f"scored {args.out} (not retrained)", figures)
        return 0
    t0 = time.time()
    model = ParagraphClassifier(random_state=args.seed)
    model.fit([d.texts for d in train], [d.labels for d in train], groups=[d.id.split("/")[0] for d in train])
    fit_s = time.time() - t0
    figures = heldout_figures(model, held)
    summary = {
        "trained_on": "WCXB-dev train split, article pages (80% of pages, two renderings each: html_text, "
                      "resiliparse), 35% with a synthetic trailer (training/augment.py)",
        "documents": len(train), "paragraphs": len(labels),
        "label_counts": {l: labels.count(l) for l in ("content", "meta", "boilerplate")},
        "fit_seconds": round(fit_s, 1), "seed": args.seed,
        "heldout": {k: {"documents": v["documents"], "word_f1": round(v["word"]["f1"], 4),
                        "shingle_f1": round(v["shingle"]["f1"], 4),
                        "paragraph": {l: {m: round(x, 4) for m, x in s.items()}
                                      for l, s in v["paragraph"]["per_label"].items()}}
                    for k, v in figures.items()},
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
        split={"heldout": "WCXB-dev, 20% of pages fixed by the SHA-1 of the page id (cleanlib.corpora.is_heldout)",
               "seed": seed}))


def print_figures(headline: str, figures: dict) -> None:
    print(headline)
    print(f"{'held-out split':<26}{'docs':>6}{'word F1':>9}{'shingle F1':>12}  paragraph P/R: content, meta, boilerplate")
    for k, v in figures.items():
        pl = v["paragraph"]["per_label"]
        pr = "  ".join(f"{pl[l]['precision']:.3f}/{pl[l]['recall']:.3f}" for l in ("content", "meta", "boilerplate"))
        print(f"{k:<26}{v['documents']:>6}{v['word']['f1']:>9.4f}{v['shingle']['f1']:>12.4f}  {pr}")


if __name__ == "__main__":
    sys.exit(main())
