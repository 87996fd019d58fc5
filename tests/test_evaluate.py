import gzip
import json

import numpy as np
import pytest

from cleanlib.cli import main
from cleanlib.corpora import is_heldout, load_scrapinghub, load_wcxb
from cleanlib.data import LABELS, LabeledDoc
from cleanlib.evaluation import THRESHOLDS, evaluate_docs, format_summary
from cleanlib.evaluation.metrics import word_prf

from conftest import SHARED, synthetic_docs


class FixedModel:
    """Stands in for a ParagraphClassifier: gives preset probabilities (one row per paragraph)."""

    def __init__(self, proba):
        self.proba = np.asarray(proba, dtype=float)

    def predict_proba_features(self, feats):
        return self.proba


def _noisy(docs, seed=0):
    """Probabilities that mostly agree with the labels, with some content scored low and some boilerplate high."""
    rng = np.random.default_rng(seed)
    rows = []
    for d in docs:
        for l in d.labels:
            p = np.full(3, 0.05)
            p[LABELS.index(l)] = 0.9
            if rng.random() < 0.2:
                p = rng.dirichlet(np.ones(3))
            rows.append(p / p.sum())
    return FixedModel(rows)


@pytest.fixture(scope="module")
def report():
    docs = synthetic_docs(12)
    return docs, evaluate_docs(_noisy(docs), docs)


def test_old_keys_stay(report):
    _, r = report
    for k in ("documents", "paragraphs", "threshold", "paragraph", "word", "shingle"):
        assert k in r
    assert r["documents"] == 12 and set(r["paragraph"]["per_label"]) == set(LABELS)
    json.dumps(r)  # the whole report is JSON


def test_bootstrap_intervals_hold_the_point_figures_and_are_fixed(report):
    docs, r = report
    b = r["bootstrap"]
    assert b["resamples"] == 1000 and b["level"] == 0.95
    lo, hi = b["word_f1"]
    assert 0 <= lo <= r["word"]["f1"] <= hi <= 1
    lo, hi = b["shingle_f1"]
    assert 0 <= lo <= hi <= 1 and lo - 0.02 <= r["shingle"]["f1"] <= hi + 0.02
    again = evaluate_docs(_noisy(docs), docs)
    assert again["bootstrap"] == b  # fixed seed


def test_distribution_quantiles(report):
    _, r = report
    q = r["distribution"]["word_f1_quantiles"]
    assert list(q) == ["5", "25", "50", "75", "95"]
    assert list(q.values()) == sorted(q.values())
    assert r["distribution"]["word_f1_min"] <= q["5"]


def test_sweep_matches_word_f1_computed_directly(report):
    docs, r = report
    rows = r["sweep"]["rows"]
    assert [x["threshold"] for x in rows] == list(THRESHOLDS) and len(rows) == 19
    # the vectorized word sweep (the threshold alone; the headline figures keep as clean() does, the rescue
    # included) against word_prf on the joined kept text, at a few thresholds
    content = _noisy(docs).proba[:, 0]
    for t in (0.05, 0.3, 0.5, 0.95):
        row, f1s = 0, []
        for d in docs:
            keep = content[row:row + len(d.texts)] >= t
            row += len(d.texts)
            gold = "\n\n".join(x for x, l in zip(d.texts, d.labels) if l == "content")
            f1s.append(word_prf("\n\n".join(x for x, k in zip(d.texts, keep) if k), gold)[2])
        got = next(x for x in rows if x["threshold"] == t)["word"]["f1"]
        assert got == pytest.approx(np.mean(f1s))
    # paragraph level: content vs. rest
    truth = np.array([l == "content" for d in docs for l in d.labels])
    kept = content >= 0.3
    p30 = next(x for x in rows if x["threshold"] == 0.3)["paragraph"]
    assert p30["precision"] == pytest.approx((kept & truth).sum() / kept.sum())
    assert p30["recall"] == pytest.approx((kept & truth).sum() / truth.sum())
    best = max(rows, key=lambda x: x["word"]["f1"])
    assert r["sweep"]["best_word_f1"] == best["threshold"]


def test_worst_documents(report):
    docs, r = report
    worst = r["worst"]
    assert len(worst) == 5
    f1s = [w["word_f1"] for w in worst]
    assert f1s == sorted(f1s)
    w = worst[0]
    doc = next(d for d in docs if d.id == w["id"])
    assert len(w["paragraphs"]) == len(doc.texts)
    for p, text, label in zip(w["paragraphs"], doc.texts, doc.labels):
        assert p["text"] == text[:160] and p["chars"] == len(text) and p["true"] == label and p["wrong"] == (p["pred"] != label)
        assert set(p) >= {"index", "true", "pred", "score", "content", "kept", "wrong", "text", "chars"}
        assert p["score"] == pytest.approx(max(p["score"], p["content"]))  # the predicted label is the most probable
    assert w["wrong"] == sum(p["wrong"] for p in w["paragraphs"])


def test_summary_is_compact_and_has_the_figures(report):
    _, r = report
    s = format_summary(r)
    for needle in ("word F1", "shingle F1", "95% intervals", "p50", "threshold sweep", "best: word F1 at",
                   "worst 5 documents"):
        assert needle in s
    assert len(s.splitlines()) < 80


def test_undefined_shingle_precision_does_not_break_the_bootstrap():
    docs = synthetic_docs(4)
    n = sum(len(d.texts) for d in docs)
    proba = np.tile([0.01, 0.01, 0.98], (n, 1))  # nothing kept: shingle precision undefined on every page
    r = evaluate_docs(FixedModel(proba), docs)
    assert r["word"]["f1"] == 0 and r["bootstrap"]["word_f1"] == [0.0, 0.0]
    assert r["bootstrap"]["shingle_f1"] == [0.0, 0.0]
    assert all(w["word_f1"] == 0 for w in r["worst"][:4])


# ---- corpus loaders, on a tiny fake corpus ------------------------------------------------------------------

BODY = [
    "The river city council said on Monday that the new plans for the bridge would be shown to residents next week.",
    "Months of debate about costs and the schedule of works had delayed the decision, officials said in a statement.",
    "Many people had asked for a crossing that would carry bicycles as well as cars, and the plan now includes one.",
]


def _html(i: int) -> str:
    body = "".join(f"<p>{p} Page {i}.</p>" for p in BODY)
    return (f"<html><head><title>Bridge plans {i}</title></head><body>"
            "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
            f"<h1>Council plans bridge number {i}</h1><p>By Jane Reporter</p>{body}"
            "<div><p>Share this article</p><p>Related: Celebrity chef opens a new restaurant downtown tonight</p></div>"
            "<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer></body></html>")


def _gold_text(i: int) -> str:
    return "\n".join(f"{p} Page {i}." for p in BODY)


# ids chosen so the fake corpus has held-out and training pages
IDS = [f"{i:04d}" for i in range(1, 40)]
HELD = [p for p in IDS if is_heldout(p)][:2]
TRAIN = [p for p in IDS if not is_heldout(p)][:1]


@pytest.fixture
def wcxb_dir(tmp_path):
    root = tmp_path / "wcxb"
    (root / "html").mkdir(parents=True)
    (root / "ground-truth").mkdir()
    pages = {HELD[0]: "article", HELD[1]: "listing", TRAIN[0]: "article"}
    meta = {"name": "fake", "files": {p: {"split": "dev", "page_type": t} for p, t in pages.items()}}
    (root / "metadata.json").write_text(json.dumps(meta))
    for n, pid in enumerate(pages):
        (root / "html" / f"{pid}.html.gz").write_bytes(gzip.compress(_html(n).encode()))
        gt = {"ground_truth": {"title": f"Council plans bridge number {n}", "author": "Jane Reporter",
                               "publish_date": "", "main_content": _gold_text(n)}}
        (root / "ground-truth" / f"{pid}.json").write_text(json.dumps(gt))
    return root


@pytest.fixture
def scrapinghub_dir(tmp_path):
    root = tmp_path / "sh"
    (root / "html").mkdir(parents=True)
    gt = {}
    for n, pid in enumerate(["aaa", "bbb"]):
        (root / "html" / f"{pid}.html.gz").write_bytes(gzip.compress(_html(n).encode()))
        gt[pid] = {"articleBody": _gold_text(n), "url": f"https://example.com/{pid}"}
    (root / "ground-truth.json").write_text(json.dumps(gt))
    return root


@pytest.mark.parametrize("renderer", ["html_text", "resiliparse"])
def test_load_wcxb(wcxb_dir, renderer):
    docs = load_wcxb(wcxb_dir, renderer)
    assert [d.id for d in docs] == [f"{p}/{renderer}" for p in sorted([*HELD, *TRAIN])]
    for d in docs:
        assert isinstance(d, LabeledDoc) and len(d.texts) == len(d.labels)
        assert d.extra["renderer"] == renderer and d.extra["gold"].startswith("The river city council")
        assert d.extra["page_type"] in ("article", "listing")
        assert d.labels.count("content") == 3 and "Home" not in [t for t, l in zip(d.texts, d.labels) if l == "content"]
        assert "meta" in d.labels
    assert [d.id for d in load_wcxb(wcxb_dir, renderer, ids=[HELD[1]])] == [f"{HELD[1]}/{renderer}"]


def test_load_scrapinghub(scrapinghub_dir):
    docs = load_scrapinghub(scrapinghub_dir, "html_text")
    assert [d.id for d in docs] == ["aaa/html_text", "bbb/html_text"]
    assert all(d.extra["page_type"] == "article" and d.extra["renderer"] == "html_text" for d in docs)
    assert docs[1].extra["gold"] == _gold_text(1) and docs[1].labels.count("content") == 3


def test_loaders_name_a_missing_file(tmp_path):
    from cleanlib.data import DataError

    with pytest.raises(DataError, match="metadata.json"):
        load_wcxb(tmp_path)
    with pytest.raises(DataError, match="ground-truth.json"):
        load_scrapinghub(tmp_path)


def test_prepare_uses_the_same_split():
    from conftest import training_script

    mod = training_script("prepare")
    assert mod.is_heldout is is_heldout
    assert 0.15 < np.mean([is_heldout(f"{i:04d}") for i in range(1, 1001)]) < 0.25


def test_cli_evaluate_wcxb_splits(wcxb_dir, tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["evaluate", "--corpus", "wcxb", str(wcxb_dir), "--json", str(out)]) == 0
    r = json.loads(out.read_text())
    assert r["documents"] == 1 and r["worst"][0]["id"] == f"{HELD[0]}/html_text"  # held-out articles only
    assert r["source"] == {"corpus": "wcxb", "dir": str(wcxb_dir), "renderer": "html_text", "split": "heldout",
                           "all_types": False, "limit": None}
    assert main(["evaluate", "--corpus", "wcxb", str(wcxb_dir), "--all-types", "--json", str(out)]) == 0
    assert json.loads(out.read_text())["documents"] == 2
    assert main(["evaluate", "--corpus", "wcxb", str(wcxb_dir), "--split", "all", "--all-types",
                 "--renderer", "resiliparse", "--json", str(out)]) == 0
    r = json.loads(out.read_text())
    assert r["documents"] == 3 and r["worst"][0]["id"].endswith("/resiliparse")
    s = capsys.readouterr().out
    assert "held-out article pages" in s and "95% intervals" in s


def test_cli_evaluate_scrapinghub_fake(scrapinghub_dir, capsys):
    assert main(["evaluate", "--corpus", "scrapinghub", str(scrapinghub_dir), "--limit", "1"]) == 0
    s = capsys.readouterr().out
    assert "first 1 pages" in s and "1 documents" in s and "shingle F1" in s


@pytest.mark.parametrize("args, code, message", [
    (["evaluate"], 2, "one of the arguments --data --corpus is required"),
    (["evaluate", "--data", "x.jsonl", "--corpus", "wcxb", "d"], 2, "not allowed with"),
    (["evaluate", "--corpus", "wcx", "d"], 2, "invalid corpus 'wcx'"),
    (["evaluate", "--corpus", "wcxb", "/nonexistent/dir"], 1, "not a directory"),
])
def test_cli_evaluate_usage(capsys, args, code, message):
    if code == 2:
        with pytest.raises(SystemExit) as e:
            main(args)
        assert e.value.code == 2
    else:
        assert main(args) == code
    assert message in capsys.readouterr().err


@pytest.mark.skipif(not (SHARED / "scrapinghub" / "ground-truth.json").exists(),
                    reason="the scrapinghub benchmark is not at ../shared/data/scrapinghub")
def test_cli_evaluate_real_scrapinghub_first_pages(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["evaluate", "--corpus", "scrapinghub", str(SHARED / "scrapinghub"), "--limit", "10",
                 "--json", str(out)]) == 0
    s = capsys.readouterr().out
    r = json.loads(out.read_text())
    assert r["documents"] == 10 and r["word"]["pages"] == 10
    for needle in ("word F1 (per document, averaged)", "shingle F1 (scrapinghub metric)", "95% intervals",
                   "p50", "threshold sweep", "worst 5 documents"):
        assert needle in s
    assert 0.5 < r["shingle"]["f1"] <= 1 and r["bootstrap"]["word_f1"][0] <= r["word"]["f1"]


# ---- plots' numbers, --worst, comparison, held-out summary ---------------------------------------------------

def test_histogram_pr_curve_and_calibration(report):
    docs, r = report
    h = r["distribution"]["histogram"]
    assert len(h["edges"]) == 21 and sum(h["word_f1"]) == sum(h["shingle_f1"]) == len(docs)
    pr = r["pr_curve"]
    assert pr["thresholds"][0] == 0 and pr["recall"][0] == 1.0 and 0 < pr["average_precision"] <= 1
    assert len(pr["thresholds"]) == len(pr["precision"]) == len(pr["recall"])
    cal = r["calibration"]
    assert sum(b["count"] for b in cal["bins"]) == r["paragraphs"] and 0 <= cal["expected_calibration_error"] <= 1
    for b in cal["bins"]:
        assert b["count"] == 0 or b["lo"] - 1e-9 <= b["mean_probability"] <= b["hi"] + 1e-9
    assert r["bootstrap"]["macro_f1"][0] <= r["paragraph"]["macro_f1"] <= r["bootstrap"]["macro_f1"][1]


def test_worst_zero_leaves_out_the_text():
    docs = synthetic_docs(6)
    r = evaluate_docs(_noisy(docs), docs, worst=0)
    assert r["worst"] == [] and "Celebrity chef" not in json.dumps(r)


def test_compare_difference_is_b_minus_a_with_a_paired_interval():
    from cleanlib.evaluation import HEADLINE, compare_docs, format_comparison

    docs = synthetic_docs(30)
    a, b = _noisy(docs, seed=1), _noisy(docs, seed=2)
    c = compare_docs(a, b, docs)
    ra, rb = evaluate_docs(a, docs), evaluate_docs(b, docs)
    assert c["a"]["bootstrap"] == ra["bootstrap"] and c["b"]["word"] == rb["word"]  # same as scoring each alone
    figs = c["comparison"]["figures"]
    assert list(figs) == list(HEADLINE) and c["comparison"]["documents"] == 30
    point = {"word_f1": lambda r: r["word"]["f1"], "shingle_f1": lambda r: r["shingle"]["f1"],
             "macro_f1": lambda r: r["paragraph"]["macro_f1"],
             "content_precision": lambda r: r["paragraph"]["per_label"]["content"]["precision"],
             "content_recall": lambda r: r["paragraph"]["per_label"]["content"]["recall"],
             "content_f1": lambda r: r["paragraph"]["per_label"]["content"]["f1"]}
    for key, f in figs.items():
        assert f["a"] == pytest.approx(point[key](ra)) and f["b"] == pytest.approx(point[key](rb))
        assert f["difference"] == pytest.approx(f["b"] - f["a"])
        lo, hi = f["interval"]
        assert lo <= f["difference"] <= hi
    assert any(f["difference"] != 0 for f in figs.values())
    assert compare_docs(a, b, docs)["comparison"] == c["comparison"]  # fixed seed
    s = format_comparison(c)
    assert "B - A" in s and "word F1" in s and f"{figs['word_f1']['difference']:+.4f}" in s
    assert s.endswith("* the interval excludes 0") == (" *\n" in s)


def test_compare_a_model_with_itself_gives_zero():
    from cleanlib.evaluation import compare_docs

    docs = synthetic_docs(10)
    c = compare_docs(_noisy(docs), _noisy(docs), docs)
    for f in c["comparison"]["figures"].values():
        assert f["difference"] == 0 and f["interval"] == [0.0, 0.0] and f["a"] == f["b"]
    from cleanlib.evaluation import format_comparison

    s = format_comparison(c)  # no row is marked, so the legend says so
    assert " *" not in s and s.endswith("no interval excludes 0")


def test_holdout_split_by_group_fixed_by_seed():
    from cleanlib.evaluation import holdout_split

    docs = synthetic_docs(20)
    for i, d in enumerate(docs):
        d.extra["group"] = f"page-{i // 2}"  # two renderings of each page
    train, held = holdout_split(docs, 0.2, seed=0)
    assert len(held) == 4 and len(train) == 16
    assert not {d.extra["group"] for d in train} & {d.extra["group"] for d in held}
    assert [d.id for d in held] == [d.id for d in holdout_split(docs, 0.2, seed=0)[1]]
    assert [d.id for d in held] != [d.id for d in holdout_split(docs, 0.2, seed=1)[1]]
    assert holdout_split(docs, 0, seed=0) == (docs, [])
    with pytest.raises(ValueError, match="holdout must be in"):
        holdout_split(docs, 1.0)


TINY = {"n_folds": 2, "n_trees": 10, "max_iter": 30, "max_depth": 3}  # a tiny model: seconds, not a minute


@pytest.fixture
def fast_train(monkeypatch):
    """``cleanlib train`` fits a tiny model (the command's own code path, fewer trees)."""
    import cleanlib.api

    real = cleanlib.api.train
    monkeypatch.setattr(cleanlib.api, "train", lambda data, out=None, **kw: real(data, out=out, **{**kw, **TINY}))


def test_train_writes_the_held_out_summary_beside_the_model(tmp_path, capsys, fast_train):
    from cleanlib.data import write_labeled

    data = tmp_path / "train.jsonl"
    write_labeled(data, synthetic_docs(20))
    out = tmp_path / "m"
    assert main(["train", "--data", str(data), "--out", str(out)]) == 0
    assert "held out 4 of 20 documents" in capsys.readouterr().err
    s = json.loads((out / "evaluation.json").read_text())
    assert set(s) >= {"train", "split", "threshold", "heldout"} and s["threshold"] == 0.5
    assert s["train"]["documents"] == 16 and s["train"]["labels"]["content"] > 0
    assert s["split"]["holdout"] == 0.2 and s["split"]["seed"] == 0
    h = s["heldout"]["held-out"]
    assert h["documents"] == 4 and 0 <= h["word"]["f1"] <= 1 and "bootstrap" in h and "sweep" in h
    md = (out / "evaluation.md").read_text()
    assert "## Held-out figures" in md and f"{h['word']['f1']:.4f}" in md
    # numbers only: no paragraph text, no document ids
    text = (out / "evaluation.json").read_text() + md
    assert "worst" not in s and "doc-" not in text and "bridge" not in text.lower() and "Council" not in text


def test_train_holdout_zero_and_too_little_left(tmp_path, capsys, fast_train):
    from cleanlib.data import write_labeled

    data = tmp_path / "train.jsonl"
    write_labeled(data, synthetic_docs(5))
    assert main(["train", "--data", str(data), "--out", str(tmp_path / "m"), "--holdout", "0"]) == 0
    s = json.loads((tmp_path / "m" / "evaluation.json").read_text())
    assert s["heldout"] == {} and s["train"]["documents"] == 5
    assert "No held-out split" in (tmp_path / "m" / "evaluation.md").read_text()
    assert main(["train", "--data", str(data), "--out", str(tmp_path / "m2"), "--holdout", "0.5"]) == 1
    err = capsys.readouterr().err
    assert "at least 4 documents" in err and "--holdout 0" in err


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A tiny model trained on synthetic data (directory ``m``), and other labeled data to score it on."""
    from cleanlib.api import train
    from cleanlib.data import write_labeled

    root = tmp_path_factory.mktemp("models")
    docs = synthetic_docs(14)
    train(docs[:10], out=root / "m", random_state=0, **TINY)
    write_labeled(root / "test.jsonl", docs[10:])
    return root


def test_cli_compare_the_default_with_a_model(tiny_model, tmp_path, capsys):
    out = tmp_path / "c.json"
    m = str(tiny_model / "m")
    assert main(["evaluate", "--data", str(tiny_model / "test.jsonl"), "--model", "default", "--model", m,
                 "--json", str(out)]) == 0
    s = capsys.readouterr().out
    assert "== A: default ==" in s and f"== B: {m} ==" in s and "95% interval of B - A" in s
    r = json.loads(out.read_text())
    assert r["a"]["model"] == "default" and r["b"]["model"] == m and r["source"]["data"].endswith("test.jsonl")
    f = r["comparison"]["figures"]["word_f1"]
    assert f["difference"] == pytest.approx(r["b"]["word"]["f1"] - r["a"]["word"]["f1"])
    assert len(r["a"]["worst"]) == 4


def test_cli_compare_a_model_with_itself_and_usage(tiny_model, tmp_path, capsys):
    out = tmp_path / "c.json"
    m, data = str(tiny_model / "m"), str(tiny_model / "test.jsonl")
    assert main(["evaluate", "--data", data, "--model", m, "--model", m, "--worst", "0", "--json", str(out)]) == 0
    r = json.loads(out.read_text())
    assert r["a"]["worst"] == [] and r["b"]["worst"] == []
    assert all(f["difference"] == 0 and f["interval"] == [0, 0] for f in r["comparison"]["figures"].values())
    capsys.readouterr()
    assert main(["evaluate", "--data", data, "--model", m, "--model", m, "--model", m]) == 1
    assert "at most two models" in capsys.readouterr().err
    assert main(["evaluate", "--data", data, "--worst", "-1"]) == 1
    assert "--worst must be 0 or more" in capsys.readouterr().err


def test_evaluate_model_on_a_file_with_no_documents_says_so(tmp_path):
    from cleanlib.data import DataError
    from cleanlib.evaluation import compare_models, evaluate_model

    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    for call in (lambda: evaluate_model(empty), lambda: compare_models(empty, None, None)):
        with pytest.raises(DataError, match="empty.jsonl: no documents"):
            call()
