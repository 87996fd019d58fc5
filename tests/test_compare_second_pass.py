"""training/compare_second_pass.py: settings parsing and per-rendering scoring on made-up documents (fast)."""
import numpy as np

from conftest import training_script
from cleanlib.evaluation.metrics import mean_word_f1


def _module():
    return training_script("compare_second_pass")


def test_parse_setting_reads_numbers_and_text():
    mod = _module()
    assert mod.parse_setting("default") == ("default", {})
    assert mod.parse_setting("x:min_samples_leaf=200,l2_regularization=1.5,loss=log_loss") == (
        "x", {"min_samples_leaf": 200, "l2_regularization": 1.5, "loss": "log_loss"})


def test_scores_keep_content_at_half_per_rendering():
    mod = _module()
    s = {"texts": [["the bridge opens in spring", "Home News Sport"], ["rain is due on friday", "Subscribe now"]],
         "gold": ["the bridge opens in spring", "rain is due on friday"], "renderer": ["a", "b"]}
    # columns: content, meta, boilerplate; doc a keeps its body only, doc b keeps both paragraphs
    proba = np.array([[0.9, 0.05, 0.05], [0.1, 0.1, 0.8], [0.6, 0.1, 0.3], [0.5, 0.0, 0.5]])
    got = mod.scores(proba, s, mean_word_f1)
    assert got["a"] == 1.0
    assert got["b"] == mean_word_f1([("rain is due on friday\n\nSubscribe now", "rain is due on friday")])["f1"]
    assert got["b"] < 1.0
