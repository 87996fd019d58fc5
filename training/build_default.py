"""Rebuild the shipped models from ../shared/data, with fixed seeds, and print their held-out figures.

    python training/prepare.py          # once: renders and labels the corpora into data/prepared/
    python training/build_default.py    # trains both on the default recipe: cleanlib/models/default/ and html/
    python training/build_default.py --only html     # or text
    python training/build_default.py --score-only   # scores the shipped models again, writes their figures
    python training/build_default.py --only html --seed 1 --html-out data/fits/html-seed1   # one more fit
    python training/build_default.py --only html --members-from cleanlib/models/html data/fits/html-seed1 ...

A model can be the mean of several fits (``core.averaging.AveragedScorer``; the shipped ones are single fits,
``MEMBERS``: four HTML fits averaged gained nothing on the panel, docs/experiments.md, session 32):
``--members N`` fits seeds seed .. seed+N-1 (``--jobs`` at a time) and saves their average, and
``--members-from DIR...`` averages fits already saved (each by this script with its own ``--seed``; the
summary's counts and recipe are then those of the current recipe at ``--seed``).

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
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from cleanlib.core.averaging import AveragedScorer
from cleanlib.core.scoring import Model
from cleanlib.corpora import CORPORA, TEXT_RENDERINGS, html_docs, is_heldout
from cleanlib.data import LABELS, LabeledDoc, read_labeled
from cleanlib.evaluation import evaluate_docs, evaluation_summary, write_evaluation
from cleanlib.learn.model import ParagraphClassifier
from cleanlib.learn.recipe import Recipe, html_training_set, training_set
from cleanlib.store import DEFAULT_HTML_MODEL_DIR, DEFAULT_MODEL_DIR, load_model, replace_summary, save_model

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ("wcxb-heldout", "fundus-heldout", "readability-heldout")
# the shipped models' members: one fit each (four HTML fits averaged: no gain, docs/experiments.md, session 32)
MEMBERS = {"text": 1, "html": 1}


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
        write_summary(out, labels, figures, manifest["summary"]["trained_on"], manifest["summary"].get("seed"),
                      manifest.get("threshold", 0.5))
        print_figures(f"{kind}: scored {out} (not retrained)", figures)
        return
    threshold = recipe.html_threshold if html else 0.5
    if args.members_from:
        model, seeds, fit_s = _saved_members(args.members_from, kind)
    else:
        n = args.members or MEMBERS[kind]
        seeds = list(range(args.seed, args.seed + n))
        t0 = time.time()
        if n == 1:
            model = fit_member(kind, args, recipe, args.seed, (train, labels, groups, weights))
        else:
            with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, n))) as pool:
                model = AveragedScorer(list(pool.map(fit_member, [kind] * n, [args] * n, [recipe] * n, seeds)))
        fit_s = time.time() - t0
    figures = heldout_figures(model, args.data, args.shared, html, threshold)
    what = "DOM blocks of each page" if html else f"renderings {', '.join(recipe.renderings)}"
    summary = {
        "trained_on": f"training splits of {', '.join(recipe.corpora)} (80% of pages; fundus by publisher), {what}, "
                      "with synthetic documents (cleanlib/learn/augment.py, recipe.py); recipe: " + repr(recipe)
                      + ("" if len(seeds) == 1 else f"; the mean of {len(seeds)} fits, seeds {seeds}"),
        "documents": n_docs, "paragraphs": n_paragraphs,
        "label_counts": {l: flat.count(l) for l in LABELS},
        "fit_seconds": round(fit_s, 1), "seed": seeds[0] if len(seeds) == 1 else seeds,
        "heldout": heldout_summary(figures),
    }
    save_model(model, out, summary=summary, threshold=threshold)
    write_summary(out, labels, figures, summary["trained_on"], summary["seed"], threshold)
    print_figures(f"{kind}: trained on {n_docs} documents, {n_paragraphs} paragraphs (seeds {seeds}) in {fit_s:.0f}s; "
                  f"saved to {out}", figures)


def fit_member(kind: str, args: argparse.Namespace, recipe: Recipe, seed: int,
               training: tuple | None = None) -> ParagraphClassifier:
    """One fit of the recipe with one seed (its synthetic documents and both passes); ``training``: the seed's
    training set where the caller has it already."""
    html = kind == "html"
    if training is None:
        if html:
            training = html_training_set(args.shared, recipe, seed)
        else:
            docs, weights = training_set(args.data, recipe, seed)
            training = ([d.texts for d in docs], [d.labels for d in docs], [d.extra["group"] for d in docs], weights)
    train, labels, groups, weights = training
    model = ParagraphClassifier(random_state=seed, input=kind, **recipe.model_params(html))
    return model.fit(train, labels, groups=groups, sample_weight=weights)


def _saved_members(directories: list[Path], kind: str) -> tuple[AveragedScorer, list, float]:
    """The average of single models saved by this script, with their seeds and summed fit time."""
    members, seeds, fit_s = [], [], 0.0
    for d in directories:
        model, manifest = load_model(d)
        if isinstance(model, AveragedScorer):
            raise SystemExit(f"{d}: already an average of {len(model.members)} fits; give the single fits")
        if model.get_params().get("input", "text") != kind:
            raise SystemExit(f"{d}: a model of {model.get_params().get('input', 'text')} input, not {kind}")
        members.append(model)
        seeds.append(manifest["summary"].get("seed"))
        fit_s += manifest["summary"].get("fit_seconds", 0.0)
    if None in seeds:
        raise SystemExit(f"{directories[seeds.index(None)]}: its model.json records no seed (not a build_default fit)")
    if len(set(seeds)) < len(seeds):
        raise SystemExit(f"the fits share seeds ({seeds}): averaging a fit with itself gains nothing")
    return AveragedScorer(members), seeds, fit_s


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
    ap.add_argument("--members", type=int,
                    help=f"fit this many seeds (from --seed) and save their mean (default: {MEMBERS})")
    ap.add_argument("--jobs", type=int, default=1, help="members fitted at once (processes; each needs ~5 GB)")
    ap.add_argument("--members-from", type=Path, nargs="+", metavar="DIR",
                    help="do not train: save the mean of these fits (model directories of one kind, each a single fit)")
    args = ap.parse_args(argv)
    if args.members is not None and args.members < 1:
        ap.error("--members must be 1 or more")
    if args.jobs < 1:
        ap.error("--jobs must be 1 or more")
    if args.members_from and (args.members or args.score_only):
        ap.error("--members-from averages saved fits: it takes neither --members nor --score-only")
    if args.members_from and args.only is None:
        ap.error("--members-from needs --only text or --only html")
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


def write_summary(out: Path, labels: list[list[str]], figures: dict, trained_on: str, seed: int | list | None,
                  threshold: float = 0.5) -> None:
    """The same numbers-only evaluation.json / evaluation.md that `cleanlib train` writes beside a model."""
    write_evaluation(out, evaluation_summary(
        [LabeledDoc(str(i), [""] * len(l), l) for i, l in enumerate(labels)], figures, threshold=threshold, trained_on=trained_on,
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
