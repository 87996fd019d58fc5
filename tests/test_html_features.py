"""HTML blocks' features, an HTML model's round trip, and Cleaner(html=True) on made-up pages."""
import json
import random

import numpy as np
import pytest

pytest.importorskip("selectolax", reason="the html extra is not installed (pip install 'cleanlib-text[html]')")

from cleanlib import Cleaner, load_model, save_model  # noqa: E402
from cleanlib.api import _block_segments  # noqa: E402
from cleanlib.core.features import DENSE_NAMES, featurize  # noqa: E402
from cleanlib.html.dom import blocks_text, html_blocks  # noqa: E402
from cleanlib.html.features import HTML_NAMES, featurize_html  # noqa: E402
from cleanlib.learn.model import ParagraphClassifier  # noqa: E402

WORDS = ("the river city council said on monday that new plans for the bridge would be shown to residents after "
         "months of debate about costs and the schedule of works which many people had asked for").split()


def page(i: int, rng: random.Random, comments: bool = False) -> tuple[str, list[str]]:
    """A made-up news page and the label of each of its blocks."""
    body = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 50))).capitalize() + "." for _ in range(rng.randint(2, 5))]
    ld = json.dumps({"@type": "NewsArticle", "headline": f"Council plans bridge {i}", "author": {"name": "Ann Writer"},
                     "articleBody": " ".join(body)})
    html = (f"<html><head><title>Bridge {i} | The Paper</title><script type='application/ld+json'>{ld}</script></head>"
            "<body><nav class='main-nav'><ul><li><a href='/'>Home</a></li><li><a href='/n'>News</a></li></ul></nav>"
            f"<article><h1>Council plans bridge {i}</h1><p class='byline'>By Ann Writer</p>"
            + "".join(f"<p>{b}</p>" for b in body) + "</article>"
            "<aside class='relatedPosts'><h3>Related</h3><ul><li><a href='/a'>Chef opens a new restaurant</a></li></ul></aside>"
            + ("<section id='comments'><div class='comment'><p>Great read, thanks!</p></div></section>" if comments else "")
            + "<footer><p>© 2024 The Paper</p></footer></body></html>")
    labels = (["meta", "boilerplate", "boilerplate", "meta", "meta"] + ["content"] * len(body)
              + ["boilerplate", "boilerplate"] + (["boilerplate"] if comments else []) + ["boilerplate"])
    return html, labels


@pytest.fixture(scope="module")
def pages():
    rng = random.Random(0)
    return [page(i, rng, comments=i % 2 == 0) for i in range(30)]

@pytest.fixture(scope="module")
def html_model(pages, tmp_path_factory):
    out = tmp_path_factory.mktemp("html-model")
    train = pages[:24]
    model = ParagraphClassifier(input="html", n_trees=20, n_folds=2, max_iter=30).fit(
        [h for h, _ in train], [l for _, l in train], groups=[str(i) for i in range(len(train))])
    save_model(model, out)
    return out


def test_block_features_hold_the_text_features_and_the_structure(pages):
    html, labels = pages[0]
    b = html_blocks(html)
    assert len(b) == len(labels) and b.texts[5].startswith(b.texts[5][:10])
    F = featurize_html([b])
    assert list(F.names) == list(DENSE_NAMES) + list(HTML_NAMES) and F.dense.shape == (len(b), len(F.names))
    np.testing.assert_array_equal(F.dense[:, :len(DENSE_NAMES)], featurize([b.texts]).dense)
    assert np.isfinite(F.dense).all()
    at = {t: i for i, t in enumerate(b.texts)}
    assert F.column("link_density")[at["Home"]] == 1.0 and F.column("in_nav")[at["Home"]] == 1.0
    assert F.column("class_nav_near")[at["Home"]] == 1.0
    assert F.column("class_related_near")[at["Related"]] == 1.0 and F.column("in_aside")[at["Related"]] == 1.0
    assert F.column("class_comment_near")[at["Great read, thanks!"]] == 1.0
    assert F.column("is_headline")[at["Council plans bridge 0"]] == 1.0
    assert F.column("names_author")[at["By Ann Writer"]] == 1.0 and F.column("names_author")[at["Home"]] == 0.0
    body = [i for i, l in enumerate(labels) if l == "content"]
    assert (F.column("ld_body_share")[body] == 1.0).all() and F.column("ld_body_share")[at["Home"]] == 0.0
    assert (F.column("in_article")[body] == 1.0).all() and (F.column("in_main")[body] == 1.0).all()
    assert len(F.sparse_rows) > len(featurize([b.texts]).sparse_rows)  # class/id tokens in the sparse block


def test_a_window_of_blocks_is_the_same_blocks(pages):
    b = html_blocks(pages[1][0])
    w = b.window(2, 6)
    assert w.texts == b.texts[2:6] and len(w.tag_code) == 4 and set(w.token_block.tolist()) <= set(range(4))
    assert (featurize_html([w]).dense[:, len(DENSE_NAMES):][:, 0] == featurize_html([b]).dense[2:6, len(DENSE_NAMES)]).all()


def test_an_html_model_trains_saves_loads_and_cleans(pages, html_model, tmp_path):
    test = pages[24:]
    scorer = load_model(html_model)[0]
    model = ParagraphClassifier.from_arrays(scorer.to_arrays(), scorer.get_params())  # the estimator of it
    save_model(model, tmp_path / "m")
    loaded, manifest = load_model(tmp_path / "m")
    assert manifest["dense_features"] == list(DENSE_NAMES) + list(HTML_NAMES) and loaded.get_params()["input"] == "html"
    html = test[0][0]
    np.testing.assert_array_equal(loaded.predict_proba([html]), model.predict_proba([html]))
    cleaner = Cleaner(tmp_path / "m", html=True)
    out = cleaner.clean(html)
    body = [t for t, l in zip(html_blocks(html).texts, test[0][1]) if l == "content"]
    assert out == "\n\n".join(body)
    paras = cleaner.classify(html.encode())
    joined = blocks_text(html_blocks(html))
    assert all(joined[p.start:p.end] == p.text for p in paras) and [p.label for p in paras] == test[0][1]
    with pytest.raises(ValueError, match="html=True"):
        Cleaner(tmp_path / "m")
    with pytest.raises(ValueError, match="html=False"):
        Cleaner(ParagraphClassifier(n_trees=5, n_folds=2, max_iter=20).fit([["a b c.", "Home", "x"]] * 4,
                                                              [["content", "boilerplate", "boilerplate"]] * 4), html=True)


def test_block_offsets_index_the_joined_text():
    b = html_blocks("<p>One.</p><p>Two words.</p><div>Three</div>")
    seg = _block_segments(b)
    joined = blocks_text(b)
    assert [joined[s:e] for s, e in zip(seg.starts, seg.ends)] == b.texts == ["One.", "Two words.", "Three"]



def test_cli_clean_classify_batch_and_evaluate_html(pages, html_model, tmp_path, capsys):
    import gzip

    from cleanlib.cli import main
    html, labels = pages[25]
    (tmp_path / "p.html").write_bytes(html.encode("utf-8"))
    body = [t for t, l in zip(html_blocks(html).texts, labels) if l == "content"]
    assert main(["clean", "--html", "--model", str(html_model), str(tmp_path / "p.html")]) == 0
    assert capsys.readouterr().out == "\n\n".join(body) + "\n"
    assert main(["classify", "--html", "--model", str(html_model), str(tmp_path / "p.html")]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["label"] for r in rows] == labels
    records = tmp_path / "in.jsonl"
    records.write_text("".join(json.dumps({"id": i, "html": h}) + "\n" for i, (h, _) in enumerate(pages[24:27])))
    assert main(["batch", "--input", str(records), "--output", str(tmp_path / "out.jsonl"), "--html-field", "html",
                 "--model", str(html_model)]) == 0
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert out[1]["clean"] == "\n\n".join(body)
    corpus = tmp_path / "sh"
    (corpus / "html").mkdir(parents=True)
    gold = {}
    for i, (h, l) in enumerate(pages[24:]):
        (corpus / "html" / f"p{i}.html.gz").write_bytes(gzip.compress(h.encode()))
        gold[f"p{i}"] = {"articleBody": "\n\n".join(t for t, x in zip(html_blocks(h).texts, l) if x == "content")}
    (corpus / "ground-truth.json").write_text(json.dumps(gold))
    capsys.readouterr()
    assert main(["evaluate", "--corpus", "scrapinghub", str(corpus), "--html", "--model", str(html_model),
                 "--worst", "0", "--json", str(tmp_path / "r.json")]) == 0
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["word"]["f1"] == 1.0 and "DOM blocks" in capsys.readouterr().out
    assert main(["evaluate", "--data", str(records), "--html"]) == 1  # --html needs --corpus


def test_clean_html_on_hostile_pages_gives_a_defined_result(html_model):
    cleaner = Cleaner(html_model, html=True)
    hostile = ["<div>" * 20_000 + "deep text" + "</div>" * 20_000, b"\x00\xff\xfe garbage \x80\x81" * 1000,
               "<meta charset='x-nonsense'><p>text</p>", "", b"", "<p>" + "word " * 50_000 + "</p>",
               "<script>var x = 1;</script>"]
    out = cleaner.clean_many(hostile)
    assert len(out) == len(hostile) and all(isinstance(o, str) for o in out)
    assert out[3] == out[4] == "" and out[6] == ""
    with pytest.raises(TypeError):
        cleaner.clean(None)


def test_the_shipped_models_carry_the_recipes_thresholds():
    """build_default writes Recipe.html_threshold into the HTML model's manifest; Cleaner reads it from there."""
    from cleanlib.learn.recipe import Recipe
    from cleanlib.store import DEFAULT_HTML_MODEL_DIR, DEFAULT_MODEL_DIR, read_manifest

    assert read_manifest(DEFAULT_HTML_MODEL_DIR)["threshold"] == Recipe().html_threshold
    assert Cleaner(html=True).threshold == Recipe().html_threshold
    assert read_manifest(DEFAULT_MODEL_DIR)["threshold"] == Cleaner().threshold == 0.5
    assert Cleaner(html=True, threshold=0.5).threshold == 0.5  # the caller's own wins
