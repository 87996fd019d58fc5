import json

import numpy as np
import pytest

from cleanlib import AveragedScorer, Cleaner, ModelError, ParagraphClassifier, load_model, save_model

from conftest import synthetic_docs


@pytest.fixture(scope="module")
def two_fits():
    docs = synthetic_docs(24)
    fits = []
    for seed in (0, 1):
        model = ParagraphClassifier(n_folds=3, n_trees=20, max_iter=50, random_state=seed)
        # the two fits see different documents, as fits of different seeds see different synthetic ones
        part = docs[seed * 4:] + docs[:seed * 4]
        fits.append(model.fit([d.texts for d in part[:20]], [d.labels for d in part[:20]]))
    return fits, synthetic_docs(6, seed=1)


def test_an_averaged_model_scores_the_mean_of_its_members(two_fits):
    (a, b), test = two_fits
    X = [d.texts for d in test]
    pa, pb = a.predict_proba(X), b.predict_proba(X)
    assert not np.allclose(pa, pb)  # the fits differ, so the mean is not either of them
    np.testing.assert_allclose(AveragedScorer([a, b]).predict_proba(X), (pa + pb) / 2, rtol=1e-12)


def test_an_averaged_model_survives_saving_and_cleans(two_fits, tmp_path):
    (a, b), test = two_fits
    model = AveragedScorer([a, b])
    save_model(model, tmp_path / "m", threshold=0.45)
    loaded, manifest = load_model(tmp_path / "m")
    assert isinstance(loaded, AveragedScorer) and len(loaded.members) == 2
    assert manifest["format_version"] == 2 and [m["random_state"] for m in manifest["members"]] == [0, 1]
    X = [d.texts for d in test]
    np.testing.assert_allclose(loaded.predict_proba(X), model.predict_proba(X), rtol=1e-6, atol=1e-6)
    text = "\n\n".join(test[0].texts)
    assert Cleaner(tmp_path / "m").clean(text) == Cleaner(model, threshold=0.45).clean(text)
    # a single fit is still written in the first format, which older versions read
    save_model(a, tmp_path / "single")
    assert load_model(tmp_path / "single")[1]["format_version"] == 1


def test_a_damaged_averaged_model_names_the_problem(two_fits, tmp_path):
    (a, b), _ = two_fits
    d = save_model(AveragedScorer([a, b]), tmp_path / "m")
    manifest = json.loads((d / "model.json").read_text())
    # a manifest that lists fewer members than the file holds would silently drop one
    (d / "model.json").write_text(json.dumps({**manifest, "members": manifest["members"][:1]}))
    with pytest.raises(ModelError, match="no member"):
        load_model(d)
    (d / "model.json").write_text(json.dumps({**manifest, "members": manifest["members"] * 3}))
    with pytest.raises(ModelError, match=r"member 2.*missing"):
        load_model(d)
    (d / "model.json").write_text(json.dumps({**manifest, "members": []}))
    with pytest.raises(ModelError, match="non-empty list"):
        load_model(d)


def test_members_of_different_inputs_are_refused(two_fits):
    (a, _), _ = two_fits

    class HtmlModel:
        def get_params(self, deep=True):
            return {"input": "html"}

    with pytest.raises(ValueError, match="different inputs"):
        AveragedScorer([a, HtmlModel()])
    with pytest.raises(ValueError, match="at least one"):
        AveragedScorer([])


def test_members_of_any_class_with_predict_proba_features_are_averaged_too(two_fits):
    (a, b), test = two_fits

    class Wrapped:  # not a ParagraphScorer: scored on its own, not through the shared first pass
        def __init__(self, m):
            self.m = m

        def get_params(self, deep=True):
            return self.m.get_params()

        def predict_proba_features(self, F):
            return self.m.predict_proba_features(F)

    X = [d.texts for d in test]
    np.testing.assert_allclose(AveragedScorer([Wrapped(a), b]).predict_proba(X),
                               AveragedScorer([a, b]).predict_proba(X), rtol=1e-12)
