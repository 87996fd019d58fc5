"""Compare second-pass settings over several fits, since one rebuild is one noisy draw.

    python training/compare_second_pass.py default "leaf200:min_samples_leaf=200,l2_regularization=1.0"
    python training/compare_second_pass.py --fits 4 "lr0.1:learning_rate=0.1,max_iter=150"

The first pass is fitted once, as ``build_default.py`` fits it (the default recipe's training set,
cleanlib.learn.recipe; out-of-fold probabilities), and cached in data/cache/ (ignored by git; delete it
after a change to the features or the first pass). Each setting then fits ``--fits`` second passes,
each on the same random 80% of the training pages for every setting, and prints the mean and the
standard deviation of held-out WCXB word F1 for each rendering. A setting is
``name:param=value,...`` with HistGradientBoostingClassifier parameters over the model's own
(``default`` alone: the model's settings). ``--scrapinghub`` adds the benchmark's shingle F1: shown
for information, never to choose by (the benchmark is for reporting, not tuning).
"""
from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from cleanlib.data import LABELS, LabeledDoc, read_labeled
from cleanlib.core.features import featurize
from cleanlib.evaluation.metrics import benchmark_shingle_f1, mean_word_f1
from cleanlib.core.scoring import proba_context
from cleanlib.learn.model import ParagraphClassifier
from cleanlib.learn.recipe import Recipe, training_set

ROOT = Path(__file__).resolve().parent.parent


def _articles(path: Path) -> list[LabeledDoc]:
    return [d for d in read_labeled(path) if d.extra.get("page_type", "article") == "article"]


def _eval_set(model: ParagraphClassifier, arrays: dict, docs: list[LabeledDoc]) -> dict:
    """Second-pass inputs of ``docs`` with the fitted first pass, and what scoring needs."""
    F = featurize([d.texts for d in docs])
    Z = np.hstack([F.dense, proba_context(model.first_pass_proba(F, arrays), F)])
    return {"Z": Z, "texts": [d.texts for d in docs], "gold": [d.extra["gold"] for d in docs],
            "renderer": [d.extra["renderer"] for d in docs]}


def build_cache(data: Path, seed: int) -> dict:
    """Second-pass training inputs (out-of-fold first pass) and the held-out sets' inputs."""
    train, weights = training_set(data, Recipe(), seed)
    F = featurize([d.texts for d in train])
    target = np.array([LABELS.index(l) for d in train for l in d.labels])
    groups = np.array([d.extra["group"] for d in train])[F.doc]
    model = ParagraphClassifier(random_state=seed, **Recipe().model_params())
    oof, arrays = model.fit_first_pass(F, target, groups, weights[F.doc])
    cache = {"Z": np.hstack([F.dense, proba_context(oof, F)]), "y": target, "groups": groups,
             "wcxb": _eval_set(model, arrays, _articles(data / "wcxb-heldout.jsonl.gz"))}
    if (data / "scrapinghub.jsonl.gz").exists():
        cache["scrapinghub"] = _eval_set(model, arrays, read_labeled(data / "scrapinghub.jsonl.gz"))
    return cache


def scores(proba: np.ndarray, s: dict, metric) -> dict[str, float]:
    """The metric's F1 for each rendering, keeping paragraphs whose content probability is >= 0.5."""
    by: dict[str, list[tuple[str, str]]] = {}
    row = 0
    for texts, gold, renderer in zip(s["texts"], s["gold"], s["renderer"]):
        keep = proba[row:row + len(texts), LABELS.index("content")] >= 0.5
        row += len(texts)
        by.setdefault(renderer, []).append(("\n\n".join(t for t, k in zip(texts, keep) if k), gold))
    return {r: metric(pairs)["f1"] for r, pairs in sorted(by.items())}


def parse_setting(spec: str) -> tuple[str, dict]:
    """``name:param=value,...`` -> (name, params); values are read as int, float or text."""
    name, _, rest = spec.partition(":")
    params = {}
    for item in filter(None, rest.split(",")):
        key, _, value = item.partition("=")
        for cast in (int, float, str):
            try:
                params[key.strip()] = cast(value)
                break
            except ValueError:
                continue
    return name, params


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("settings", nargs="+", help="name:param=value,... (or default)")
    ap.add_argument("--data", type=Path, default=ROOT / "data" / "prepared")
    ap.add_argument("--cache", type=Path, default=ROOT / "data" / "cache" / "second-pass.pkl")
    ap.add_argument("--fits", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scrapinghub", action="store_true", help="also print the benchmark's figures")
    args = ap.parse_args(argv)
    if not (args.data / "wcxb-train.jsonl.gz").exists():
        print(f"{args.data} has no prepared data: run python training/prepare.py first", file=sys.stderr)
        return 1
    if args.cache.exists():
        cache = pickle.loads(args.cache.read_bytes())
    else:
        cache = build_cache(args.data, args.seed)
        args.cache.parent.mkdir(parents=True, exist_ok=True)
        args.cache.write_bytes(pickle.dumps(cache, protocol=4))
    base = ParagraphClassifier(random_state=args.seed, **Recipe().model_params())  # the shipped model's settings
    defaults = {"max_iter": base.n_trees, "max_depth": base.max_depth, "learning_rate": base.learning_rate,
                "min_samples_leaf": base.min_samples_leaf, "l2_regularization": base.l2_regularization,
                "early_stopping": False}
    sets = [("WCXB word F1", cache["wcxb"], mean_word_f1)]
    if args.scrapinghub and "scrapinghub" in cache:
        sets.append(("scrapinghub shingle F1 (not for choosing)", cache["scrapinghub"], benchmark_shingle_f1))
    pages = np.unique(cache["groups"])
    print(f"{args.fits} fits a setting, each on 80% of {len(pages)} training pages; mean (sd) over fits")
    for spec in args.settings:
        name, params = parse_setting(spec)
        rng = np.random.default_rng(args.seed)  # the same page subsets for every setting
        rows = []
        for k in range(args.fits):
            keep = np.isin(cache["groups"], rng.choice(pages, size=int(0.8 * len(pages)), replace=False))
            clf = HistGradientBoostingClassifier(**{**defaults, "random_state": k, **params})
            clf.fit(cache["Z"][keep], cache["y"][keep])
            rows.append({f"{title}, {r}": f1 for title, s, metric in sets
                         for r, f1 in scores(clf.predict_proba(s["Z"]), s, metric).items()})
        for key in rows[0]:
            v = np.array([row[key] for row in rows])
            print(f"{name:<16}{key:<58}{v.mean():.4f} ({v.std(ddof=1) if len(v) > 1 else 0:.4f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
