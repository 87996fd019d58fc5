import threading

import numpy as np
import pytest

from cleanlib import Cleaner, classify, clean


def test_classify_offsets_and_labels(seed_text):
    paras = classify(seed_text)
    assert len(paras) == 21
    for i, p in enumerate(paras):
        assert p.index == i and seed_text[p.start:p.end] == p.text
        assert p.label in ("content", "meta", "boilerplate") and 0.0 <= p.score <= 1.0
        assert p.score == pytest.approx(max(p.probs.values()))


def test_clean_returns_unaltered_input_paragraphs_in_order(seed_text):
    out = clean(seed_text)
    parts = out.split("\n\n")
    positions = [seed_text.index(p) for p in parts]
    assert positions == sorted(positions)
    assert "Watch Next:" not in out and "Communist Party USA" not in out
    assert parts[0].startswith("WASHINGTON/NEW YORK")


def test_keep_meta_and_threshold(seed_text):
    with_meta = Cleaner(keep=("content", "meta")).clean(seed_text)
    assert with_meta.startswith("US Pulls Diplomats From Iraqi City")
    assert "By Phil Stewart" in with_meta
    assert Cleaner(threshold=1.0, rescue=False).clean(seed_text) == ""
    assert Cleaner(threshold=0.0).clean(seed_text).count("\n\n") == 20


def test_rescue_keeps_the_best_prose_where_nothing_reaches_the_threshold(seed_text):
    # no paragraph reaches 1.0: the rescue keeps the article's best-scoring prose (paragraphs of 30 words or more,
    # and the best one from 20), not its short lines
    rescued = Cleaner(threshold=1.0).clean(seed_text).split("\n\n")
    body = clean(seed_text).split("\n\n")
    assert len(rescued) >= 5 and set(rescued) <= set(body)
    assert all(len(p.split()) >= 20 for p in rescued) and sum(len(p.split()) < 30 for p in rescued) <= 1


def test_kept_says_what_clean_keeps_rescue_included(seed_text):
    short = ("Council approves new bridge\n\nBy Jane Smith, March 3, 2025\n\nThe city council voted 7-2 on Tuesday "
             "to fund a new pedestrian bridge over the river, ending a decade of debate.\n\nShare this article")
    for cleaner in (Cleaner(), Cleaner(keep=("content", "meta")), Cleaner(threshold=1.0),
                    Cleaner(threshold=1.0, rescue=False)):
        for text in (seed_text, short, "One line.", ""):
            paras = cleaner.classify(text)
            assert "\n\n".join(p.text for p in paras if p.kept) == cleaner.clean(text)
    # at threshold 1.0 no label reaches it: what is kept, the rescue kept, whatever its label
    rescued = [p for p in Cleaner(threshold=1.0).classify(seed_text) if p.kept]
    assert rescued and all(p.probs["content"] < 1.0 for p in rescued)
    assert not any(p.kept for p in Cleaner(threshold=1.0, rescue=False).classify(seed_text))


def test_clean_html_drops_a_comment_thread_but_not_a_forum_thread():
    pytest.importorskip("selectolax", reason="the 'html' extra is not installed")
    from cleanlib import clean_html

    body = ("The city council voted on Tuesday to fund a new pedestrian bridge over the river, ending a decade of "
            "debate about the crossing. Construction is expected to begin next spring and take eighteen months. ")
    post = ("I walk across that river every single morning and I have been asking the council for a safe crossing "
            "for years now, so this is wonderful news for our whole neighbourhood and for the children. ")
    thread = "".join(f"<li class='comment'><div class='comment-body'><p>{post} ({i})</p></div></li>" for i in range(4))
    page = (f"<html><body><article><h1>Council approves bridge</h1><p>{body}</p><p>{body}</p></article>"
            f"<div id='comments'><h2>4 Comments</h2><ol class='commentlist'>{thread}</ol></div></body></html>")
    cleaned = clean_html(page)
    assert body.strip() in cleaned and post.strip() not in cleaned
    assert not any(p.kept for p in Cleaner(html=True).classify(page) if post.strip() in p.text)
    model_alone = Cleaner(html=True, drop_comment_sections=False).clean(page)
    assert set(cleaned.split("\n\n")) <= set(model_alone.split("\n\n"))  # the rule only takes away
    forum = f"<html><body><h1>Bridge thread</h1><ol class='commentlist'>{thread}</ol></body></html>"
    assert post.strip() in clean_html(forum)


def test_bad_settings_and_inputs():
    with pytest.raises(ValueError, match="keep"):
        Cleaner(keep=("body",))
    with pytest.raises(ValueError, match="threshold"):
        Cleaner(threshold=1.5)
    with pytest.raises(TypeError, match="NoneType"):
        clean(None)
    with pytest.raises(TypeError, match="int"):
        classify(3)
    assert clean("") == "" and classify("  \n\n ") == []
    assert clean(b"caf\xc3\xa9 \xff") == clean("café \ufffd")


def test_clean_many_equals_clean(seed_text):
    texts = [seed_text, "", "Just one line here.", seed_text.replace("\n\n", "\n")] * 20
    c = Cleaner()
    assert c.clean_many(texts) == [c.clean(t) for t in texts]


def test_threads_give_sequential_results(seed_text):
    c = Cleaner()
    texts = [seed_text[: 200 * k] for k in range(1, 17)]
    expected = [c.clean(t) for t in texts]
    results = [None] * 8
    def work(i):
        results[i] = [c.clean(t) for t in texts]
    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


def test_cleaning_imports_neither_scikit_learn_nor_scipy():
    import subprocess
    import sys
    code = ("import sys; from cleanlib import clean; "
            "assert clean('A first paragraph of the article, long enough to be one.') is not None; "
            "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_one_settings_check_and_one_cache_for_api_dask_and_datasets(seed_text):
    from cleanlib.api import Settings, cached_cleaner, check_settings
    from cleanlib.scale.hf import batch_fn

    s = check_settings(None, 0.7, "content")  # one label may be given as a string
    assert s == Settings(None, 0.7, ("content",)) and hash(s) == hash(Settings(threshold=0.7))
    assert cached_cleaner(s) is cached_cleaner(tuple(s))  # built once per process, also from a plain tuple
    assert batch_fn(threshold=0.7).settings == s
    assert clean(seed_text, threshold=0.7) == cached_cleaner(s).clean(seed_text)
    with pytest.raises(TypeError, match="model directory path"):
        check_settings(Cleaner().model)
    for bad in ({"keep": ()}, {"keep": ("body",)}, {"threshold": -0.1}):
        with pytest.raises(ValueError):
            check_settings(**bad)


def test_a_byte_order_mark_is_in_no_paragraph_and_offsets_slice_the_input():
    text = "\ufeffCouncil plans a new bridge\n\nThe council met on monday to discuss the bridge plans at length."
    paras = classify(text)
    assert paras[0].text == "Council plans a new bridge" and paras[0].start == 1
    assert all(p.text == text[p.start:p.end] and "\ufeff" not in p.text for p in paras)
    assert not clean(text.encode("utf-8")).startswith("\ufeff")  # bytes decode to the same text, mark first


def test_the_scorer_is_told_which_texts_are_one_paragraph_a_line():
    import numpy as np

    from cleanlib import api

    seen = []

    class Recorder:  # a model that records what it is told and keeps every paragraph
        def get_params(self):
            return {"input": "text"}

        def predict_proba_features(self, F):
            seen.append(F.lines[F.doc].tolist())
            return np.tile([1.0, 0.0, 0.0], (len(F.doc), 1))

    long_lines = "\n".join(f"line {i}" for i in range(api.WINDOW + 5))  # scored in two windows
    Cleaner(Recorder()).clean_many(["first\n\nsecond", "one\ntwo", long_lines])
    assert sum(seen, []) == [False, False, True, True] + [True] * (api.WINDOW + 5)
    seen.clear()
    Cleaner(Recorder(), split="blank").clean("one\ntwo")
    assert seen == [[False]]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"threshold": "0.5"}, TypeError, "threshold must be a number"),
    ({"threshold": True}, TypeError, "not bool"),
    ({"threshold": 1.5}, ValueError, "threshold must be in [0, 1]"),
    ({"split": "paragraph"}, ValueError, "split must be 'auto', 'blank' or 'line'"),
])
def test_a_cleaner_refuses_bad_settings_when_built(kwargs, error, message):
    with pytest.raises(error, match=message.replace("[", r"\[").replace("]", r"\]")):
        Cleaner(**kwargs)


def test_clean_many_refuses_one_text_for_a_list_of_them(seed_text):
    # a str is iterable: without the check, each character would be cleaned as a text
    for one in (seed_text, seed_text.encode()):
        with pytest.raises(TypeError, match="not one text"):
            Cleaner().clean_many(one)
        with pytest.raises(TypeError, match="not one text"):
            Cleaner().classify_many(one)
    assert Cleaner().clean_many((t for t in [seed_text])) == [clean(seed_text)]


def test_clean_keeps_nothing_from_a_comment_heading_after_the_article():
    class AllContent:  # a model that keeps every paragraph: what clean() drops, the comment rule dropped
        def get_params(self, deep=True):
            return {"input": "text"}

        def predict_proba_features(self, F):
            return np.tile([0.9, 0.05, 0.05], (len(F.doc), 1))

    body = "Los Angeles used to get cool at night, however hot the day had been, and the ocean breeze came in."
    article = [body, body.upper(), body.lower(), body]
    text = "\n\n".join(article + ["12 Comments", "Great post!", "Posted by: Ellen at 11:40 AM"])
    assert Cleaner(AllContent()).clean(text) == "\n\n".join(article)
    assert Cleaner(AllContent(), drop_comment_sections=False).clean(text) == text
    kept = [p.kept for p in Cleaner(AllContent()).classify(text.replace("\n\n", "\n"))]  # one block a line
    assert kept == [True] * 4 + [False] * 3


def test_settings_carry_the_comment_rule_to_the_cleaners_of_workers():
    from cleanlib.api import cached_cleaner, check_settings
    from cleanlib.scale.hf import BatchCleaner

    assert cached_cleaner(check_settings()).drop_comment_sections is True
    settings = check_settings(drop_comment_sections=False)
    assert settings.drop_comment_sections is False and cached_cleaner(settings).drop_comment_sections is False
    assert BatchCleaner(drop_comment_sections=False).settings == settings
