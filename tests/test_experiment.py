"""training/experiment.py: the comparison table and its decision rule, on made-up fit results (fast)."""
from conftest import training_script


def _module():
    return training_script("experiment")


def _fit(seed: int, wcxb: float, dragnet: float, comments: float) -> dict:
    """One fit's result as experiment.run writes it, with two sets scored on one rendering each."""
    scores = {"wcxb-articles": {"html_text": {"f1": wcxb}},
              "dragnet": {"html_text": {"f1": dragnet, "comments_removed": comments}}}
    return {"seed": seed, "scores": scores, "panel_mean": (wcxb + dragnet) / 2}


def test_compare_applies_the_rule_and_shows_the_fits_seed_by_seed():
    mod = _module()
    base = [_fit(0, 0.90, 0.80, 0.60), _fit(1, 0.92, 0.80, 0.62), _fit(2, 0.91, 0.82, 0.61)]
    better = [_fit(2, 0.93, 0.84, 0.70), _fit(0, 0.92, 0.84, 0.70), _fit(1, 0.94, 0.84, 0.71)]  # every set up
    table = mod.compare({"base": base, "better": better})
    assert "better vs base: panel mean +0.0267" in table and "falls beyond spread: none -> adopt" in table
    # seed order, whatever order the fits came in: seeds 0, 1, 2 rose by 0.03, 0.03, 0.02
    assert table.splitlines()[-1].endswith("panel mean +0.0300 +0.0300 +0.0200")
    worse = [_fit(0, 0.90, 0.70, 0.60), _fit(1, 0.95, 0.78, 0.62), _fit(5, 0.99, 0.70, 0.50)]  # seed 5: no pair
    table = mod.compare({"base": base, "worse": worse})
    assert "falls beyond spread: dragnet -> do not adopt" in table  # comments fell by less than their sd
    assert table.splitlines()[-1].endswith("panel mean -0.0500 +0.0050")


def test_rescoring_a_saved_fit_is_refused_for_a_recipe_that_differs_beyond_its_threshold(tmp_path):
    import pytest

    mod = _module()
    known = {"src": mod.DEFAULT.but(html_threads=0.5)}
    with pytest.raises(SystemExit, match="more than its threshold"):
        mod.rescore("other", mod.DEFAULT.but(html_threads=0.25, html_threshold=0.4), "src", known, 0, tmp_path, {})
    with pytest.raises(FileNotFoundError):  # the same recipe but its threshold: it goes on to read the saved fit
        mod.rescore("lower", mod.DEFAULT.but(html_threads=0.5, html_threshold=0.4), "src", known, 0, tmp_path, {})
