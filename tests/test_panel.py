"""The validation panel's metrics and scoring on made-up documents (fast)."""
import numpy as np
import pytest

from cleanlib.data import LabeledDoc
from cleanlib.evaluation.metrics import comments_removed, line_prf, mean_word_f1
from cleanlib.evaluation.panel import SETS, figure, kept_texts, panel_mean, score_panel


def _doc(i, texts, labels, **extra):
    return LabeledDoc(f"p{i}/html_text", texts, labels, {"renderer": "html_text", **extra})


def test_comments_removed_counts_comment_only_words_with_multiplicity():
    # comment-only words: "great" x2, "post" (the article has "thanks"); the output keeps one "great"
    got = comments_removed([("the article great", "the article thanks", "great great post thanks"),
                            ("anything", "an article", "")])
    assert got == {"removed": pytest.approx(2 / 3), "words": 3, "pages": 1}


def test_line_prf_pools_lines():
    got = line_prf([True, True, False, True], [True, False, False, True])
    assert (got["precision"], got["recall"], got["lines"]) == (pytest.approx(2 / 3), 1.0, 4)
    assert got["f1"] == pytest.approx(0.8)
    assert line_prf([False, False], [True, False])["f1"] == 0.0


def test_figure_for_each_metric():
    docs = [_doc(0, ["Body one here.", "Menu"], ["content", "boilerplate"], gold="Body one here.",
                 comments="Nice nice article"),
            _doc(1, ["Body two.", "Nice reply"], ["content", "boilerplate"], gold="Body two.", comments="Nice reply")]
    keep = np.array([True, False, True, True])
    assert kept_texts(docs, keep) == ["Body one here.", "Body two.\n\nNice reply"]
    word = figure("word", docs, keep=keep)["f1"]
    assert word == pytest.approx(mean_word_f1([("Body one here.", "Body one here."),
                                               ("Body two.\n\nNice reply", "Body two.")])["f1"])
    drag = figure("dragnet", docs, keep=keep)
    assert drag["f1"] == word and drag["comments_removed"] == pytest.approx(1 - 2 / 5)
    assert figure("word", docs, texts=["Body one here.", "Body two."])["f1"] == 1.0
    lines = [LabeledDoc("t/en/0", ["a", "b"], ["content", "boilerplate"], {"lang": "en"}),
             LabeledDoc("t/de/0", ["c", "d"], ["content", "content"], {"lang": "de"})]
    got = figure("lines", lines, keep=np.array([True, False, True, False]))
    assert got["f1_en"] == 1.0 and got["f1_de"] == pytest.approx(2 / 3) and got["f1"] == pytest.approx(5 / 6)
    with pytest.raises(ValueError, match="keep flag"):
        figure("lines", lines, texts=["a", "b"])


def test_score_panel_by_rendering_and_the_mean_leaves_scrapinghub_out():
    docs = [_doc(0, ["Body one here.", "Menu"], ["content", "boilerplate"], gold="Body one here.")]
    wet = [LabeledDoc("p0/wet", d.texts, d.labels, {**d.extra, "renderer": "wet"}) for d in docs]
    panel = {"wcxb-articles": docs + wet, "scrapinghub": docs}
    keep_first = lambda part: np.array([i == 0 for d in part for i in range(len(d.texts))])  # noqa: E731
    scores = score_panel(keep_first, panel)
    assert set(scores["wcxb-articles"]) == {"html_text", "wet"} and scores["wcxb-articles"]["wet"]["f1"] == 1.0
    keep_all = lambda part: np.ones(sum(len(d.texts) for d in part), bool)  # noqa: E731
    worse = score_panel(keep_all, {"wcxb-articles": docs + wet})
    both = {**worse, "scrapinghub": scores["scrapinghub"]}
    assert panel_mean(both) == panel_mean(worse) < panel_mean(scores) == 1.0
    assert [s.name for s in SETS if not s.chosen_by] == ["scrapinghub"]
