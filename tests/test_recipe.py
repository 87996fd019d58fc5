"""The training recipe on tiny prepared files: corpora, renderings, weights, subsets and the coverage filter."""
from cleanlib.data import LabeledDoc, write_labeled
from cleanlib.learn.recipe import Recipe, coverage, training_set

from conftest import synthetic_docs


def _prepared(tmp_path):
    docs = []
    for d in synthetic_docs(10):
        gold = " ".join(t for t, l in zip(d.texts, d.labels) if l == "content")
        for renderer in ("html_text", "wet"):
            docs.append(LabeledDoc(f"{d.id}/{renderer}", d.texts, d.labels,
                                   {"renderer": renderer, "group": d.id, "gold": gold, "page_type": "article"}))
    lost = LabeledDoc("lost/html_text", ["Menu", "Title"], ["boilerplate", "meta"],
                      {"renderer": "html_text", "group": "lost", "gold": "a long body " * 20, "page_type": "article"})
    listing = LabeledDoc("list/html_text", ["Item one", "Item two"], ["content", "boilerplate"],
                         {"renderer": "html_text", "group": "list", "gold": "Item one", "page_type": "listing"})
    write_labeled(tmp_path / "a-train.jsonl.gz", docs + [lost, listing])
    return tmp_path


def test_training_set_follows_the_recipe(tmp_path):
    data = _prepared(tmp_path)
    plain = Recipe(corpora=("a-train",), related=0, comments=0, short=0, bare=0, trailers=0, precleaned=0,
                   other_types=0.5)
    docs, weights = training_set(data, plain)
    assert len(docs) == 21 and "lost/html_text" not in {d.id for d in docs}  # lost the body: left out
    assert weights[[d.id for d in docs].index("list/html_text")] == 0.5 and weights.sum() == 20.5
    only_html = training_set(data, plain.but(renderings=("html_text",), other_types=0.0))[0]
    assert {d.extra["renderer"] for d in only_html} == {"html_text"} and len(only_html) == 10
    half = training_set(data, plain.but(subset=0.5), seed=1)[0]
    groups = {d.extra["group"] for d in half}
    assert len(groups) == 6 and all(sum(d.extra["group"] == g for d in half) <= 2 for g in groups)
    more, more_w = training_set(data, plain.but(short=1.0, related=1.0), seed=0)
    assert len(more) == 21 + 20 + 20 and len(more_w) == len(more)
    assert training_set(data, plain.but(short=1.0), seed=3)[0][-1].texts == \
        training_set(data, plain.but(short=1.0), seed=3)[0][-1].texts


def test_coverage():
    d = LabeledDoc("x", ["one two", "three"], ["content", "boilerplate"], {"gold": "one two three four"})
    assert coverage(d) == 0.5 and coverage(LabeledDoc("y", ["a"], ["content"], {"gold": ""})) == 1.0
