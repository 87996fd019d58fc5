"""The training recipe on tiny prepared files: corpora, renderings, weights, subsets and the coverage filter; the
HTML training set's forum weight on a tiny WCXB folder."""
import gzip
import json

import pytest

from cleanlib.corpora import is_heldout
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
                   fragments=0, other_types=0.5)
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
    alone, alone_w = training_set(data, plain.but(fragments=1.0))  # one paragraph of each page that has both labels
    added = alone[len(docs):]
    assert len(added) >= 10 and all(len(d.texts) == 1 for d in added) and (alone_w[len(docs):] == 1.0).all()
    assert [d.texts for d in alone[:len(docs)]] == [d.texts for d in docs]


def test_coverage():
    d = LabeledDoc("x", ["one two", "three"], ["content", "boilerplate"], {"gold": "one two three four"})
    assert coverage(d) == 0.5 and coverage(LabeledDoc("y", ["a"], ["content"], {"gold": ""})) == 1.0


def _wcxb_folder(root, pages):
    """A tiny WCXB-dev folder (metadata, gzipped HTML, gold) of ``pages``: (page type, body) pairs, or (page
    type, body, HTML after the main element) triples."""
    ids = [pid for pid in (f"p{i}" for i in range(100)) if not is_heldout(pid)][:len(pages)]
    folder = root / "wcxb-dev"
    (folder / "html").mkdir(parents=True)
    (folder / "ground-truth").mkdir()
    types = {pid: {"page_type": t} for pid, (t, *_) in zip(ids, pages)}
    (folder / "metadata.json").write_text(json.dumps({"files": types}))
    for pid, (_, body, *tail) in zip(ids, pages):
        html = f"<html><body><nav><a href='/'>Home</a></nav><main><p>{body}</p></main>{''.join(tail)}</body></html>"
        (folder / "html" / f"{pid}.html.gz").write_bytes(gzip.compress(html.encode()))
        (folder / "ground-truth" / f"{pid}.json").write_text(json.dumps({"ground_truth": {"main_content": body}}))
    return root


def test_html_training_set_weighs_forum_pages_by_html_forums(tmp_path):
    pytest.importorskip("selectolax", reason="the html extra is not installed (pip install 'cleanlib-text[html]')")
    from cleanlib.learn.recipe import html_training_set

    body = "The council met on Tuesday and approved the plan for the new bridge across the river. " * 3
    shared = _wcxb_folder(tmp_path, [("article", body), ("forum", body)])
    recipe = Recipe(corpora=("wcxb-train",), short=0, bare=0, html_fragments=0.0)
    assert recipe.html_forums == 0.05 and recipe.forums == 0.15  # the HTML model's forum weight is its own
    assert html_training_set(shared, recipe)[3].tolist() == [1.0, 0.05]
    assert html_training_set(shared, recipe.but(html_forums=None))[3].tolist() == [1.0, 0.15]  # as the text model
    assert html_training_set(shared, recipe.but(html_forums=0.0))[3].tolist() == [1.0]  # left out


def test_html_training_set_weighs_article_pages_with_a_comment_thread(tmp_path):
    pytest.importorskip("selectolax", reason="the html extra is not installed (pip install 'cleanlib-text[html]')")
    from cleanlib.learn.recipe import html_training_set

    body = "The council met on Tuesday and approved the plan for the new bridge across the river. " * 3
    said = "I walk across that old bridge every single morning and I am very glad that they will finally fix it now."
    thread = f"<div id='comments'><div class='comment-body'><p>{said}</p></div></div>"
    short = "<div class='comments'><p>Great news, thanks!</p></div>"  # under twenty words: not a thread of prose
    named = f"<div class='replies'><p>{said}</p></div>"               # a comment word other than "comment"
    pages = [("article", body, thread), ("article", body), ("article", body, short), ("forum", body, thread),
             ("article", body, named)]
    recipe = Recipe(corpora=("wcxb-train",), short=0, bare=0, html_comment_pages=3.0, html_fragments=0.0)
    assert html_training_set(_wcxb_folder(tmp_path, pages), recipe)[3].tolist() == [3.0, 1.0, 1.0, 0.05, 3.0]
    assert html_training_set(tmp_path, recipe.but(html_comment_pages=1.0))[3].tolist() == [1.0, 1.0, 1.0, 0.05, 1.0]


def test_html_training_set_adds_pages_with_a_synthetic_comment_thread(tmp_path):
    pytest.importorskip("selectolax", reason="the html extra is not installed (pip install 'cleanlib-text[html]')")
    from cleanlib.learn.recipe import html_training_set

    bodies = ["The council met on Tuesday and approved the plan for the new bridge across the river. " * 3,
              "Farmers in the valley expect a larger harvest this year after a wet spring and a warm summer. " * 3]
    shared = _wcxb_folder(tmp_path, [("article", bodies[0]), ("article", bodies[1]), ("forum", bodies[0])])
    recipe = Recipe(corpora=("wcxb-train",), short=0, bare=0, html_threads=0.0, html_fragments=0.0)
    plain = html_training_set(shared, recipe)
    blocks, labels, groups, weights = html_training_set(shared, recipe.but(html_threads=1.0))
    assert len(plain[0]) == 3 and len(blocks) == 5 and weights.tolist() == [1.0, 1.0, 0.05, 1.0, 1.0]
    assert groups[3:] == groups[:2]  # a copy stays in its page's group (held out together)
    for copy, page_labels, original in zip(blocks[3:], labels[3:], plain[1][:2]):
        assert page_labels.count("content") == original.count("content")
        added = len(copy) - len(original)
        assert added >= 2 * 2 + 1 and page_labels.count("boilerplate") - original.count("boilerplate") == added
    assert html_training_set(shared, recipe.but(html_threads=1.0))[1] == labels  # seeded
    post = "Thanks for the tip, I tried it last night and the leak under the sink is gone now. " * 3
    forum = _wcxb_folder(tmp_path / "voices", [("article", bodies[0]), ("article", bodies[1]), ("forum", post)])
    voiced = html_training_set(forum, recipe.but(html_threads=1.0, html_forum_voices=1.0))
    posts = [l for copy, page in zip(voiced[0][3:], voiced[1][3:]) for t, l in zip(copy.texts, page)
             if t.startswith("Thanks for the tip")]
    assert posts and set(posts) == {"boilerplate"}  # the forum's post, as a comment on the other page


def test_html_training_set_adds_pages_of_one_block_in_its_own_markup(tmp_path):
    pytest.importorskip("selectolax", reason="the html extra is not installed (pip install 'cleanlib-text[html]')")
    from cleanlib.learn.recipe import html_training_set

    bodies = [f"Story {i}: the council met on Tuesday and approved the plan for the new bridge." for i in range(40)]
    shared = _wcxb_folder(tmp_path, [("article", b) for b in bodies])
    recipe = Recipe(corpora=("wcxb-train",), short=0, bare=0, html_threads=0.0, html_fragments=0.0)
    plain = html_training_set(shared, recipe)
    blocks, labels, groups, weights = html_training_set(shared, recipe.but(html_fragments=1.0))
    assert blocks[:40] and [b.texts for b in blocks[:40]] == [b.texts for b in plain[0]]  # the pages as they were
    made = list(zip(blocks[40:], labels[40:], groups[40:]))
    assert len(made) == 40 and weights[40:].tolist() == [1.0] * 40 and groups[40:] == groups[:40]
    for b, page_labels, _ in made:
        assert len(b) == 1 and len(page_labels) == 1
        if page_labels == ["content"]:
            assert b.texts[0] in bodies and b.tag == ["p"] and b.link_chars[0] == 0
        else:  # the page's one boilerplate block, its nav link: still a link, alone
            assert page_labels == ["boilerplate"] and b.texts == ["Home"] and b.link_chars[0] == b.chars[0]
    assert 10 < sum(l == ["content"] for _, l, _ in made) < 30  # at even odds
    assert html_training_set(shared, recipe.but(html_fragments=1.0))[1] == labels  # seeded
    assert len(html_training_set(shared, recipe.but(html_fragments=0.5))[0]) < 80
