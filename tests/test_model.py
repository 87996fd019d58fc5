import dataclasses

import numpy as np
import pytest

from cleanlib import LABELS, ModelError, ParagraphClassifier, load_model, save_model
from cleanlib.api import check_trainable, training_params

from conftest import synthetic_docs


@pytest.fixture(scope="module")
def fitted():
    docs = synthetic_docs(24)
    model = ParagraphClassifier(n_folds=3, n_trees=20, max_iter=50)
    model.fit([d.texts for d in docs], [d.labels for d in docs])
    return model, synthetic_docs(6, seed=1)


def test_learns_the_synthetic_structure(fitted):
    model, test = fitted
    pred = model.predict([d.texts for d in test])
    truth = np.array([l for d in test for l in d.labels])
    assert (pred == truth).mean() > 0.9
    proba = model.predict_proba([d.texts for d in test])
    assert proba.shape == (len(truth), 3) and np.allclose(proba.sum(axis=1), 1)
    assert list(model.classes_) == list(LABELS)


def test_sklearn_params(fitted):
    model, _ = fitted
    assert model.get_params()["n_trees"] == 20
    assert model.set_params(C=0.5).C == 0.5
    model.set_params(C=0.1)


def test_save_load_gives_identical_probabilities(fitted, tmp_path):
    model, test = fitted
    save_model(model, tmp_path / "m")
    loaded, manifest = load_model(tmp_path / "m")
    X = [d.texts for d in test]
    np.testing.assert_allclose(loaded.predict_proba(X), model.predict_proba(X), rtol=1e-6, atol=1e-6)
    assert manifest["params"]["n_trees"] == 20


def test_replacing_the_summary_leaves_the_arrays_as_they_are(fitted, tmp_path):
    from cleanlib.store import replace_summary

    model, _ = fitted
    d = save_model(model, tmp_path / "m", summary={"seed": 3, "heldout": {"a": 0.5}})
    arrays = (d / "arrays.npz").read_bytes()
    replace_summary(d, {"seed": 3, "heldout": {"a": 0.75}})
    loaded, manifest = load_model(d)  # the checksum still matches
    assert manifest["summary"] == {"seed": 3, "heldout": {"a": 0.75}} and (d / "arrays.npz").read_bytes() == arrays


def test_damaged_model_directories_name_the_problem(fitted, tmp_path):
    model, _ = fitted
    d = save_model(model, tmp_path / "m")
    with pytest.raises(ModelError, match="no such directory"):
        load_model(tmp_path / "absent")
    data = (d / "arrays.npz").read_bytes()
    (d / "arrays.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="checksum"):
        load_model(d)
    (d / "arrays.npz").unlink()
    with pytest.raises(ModelError, match="missing"):
        load_model(d)
    manifest = (d / "model.json").read_text()
    (d / "model.json").write_text(manifest.replace('"format_version": 1', '"format_version": 99'))
    with pytest.raises(ModelError, match="newer"):
        load_model(d)
    (d / "model.json").write_text(manifest[:100])
    with pytest.raises(ModelError, match="not valid JSON"):
        load_model(d)


def test_training_refuses_unusable_data():
    docs = synthetic_docs(6)
    with pytest.raises(ValueError, match="at least 4 documents"):
        check_trainable(docs[:2])
    for d in docs:
        d.labels = ["content"] * len(d.labels)
    with pytest.raises(ValueError, match="at least one other label"):
        check_trainable(docs)
    docs[0].texts, docs[0].labels = [], []
    with pytest.raises(ValueError, match="no paragraphs"):
        check_trainable(docs)


def test_a_label_missing_from_training_is_never_predicted():
    docs = synthetic_docs(12)
    for d in docs:
        d.labels = ["boilerplate" if l == "meta" else l for l in d.labels]
    model = ParagraphClassifier(n_folds=3, n_trees=20, max_iter=50).fit([d.texts for d in docs], [d.labels for d in docs])
    proba = model.predict_proba([d.texts for d in docs])
    assert proba[:, LABELS.index("meta")].max() < 1e-6


def test_loaded_model_scores_without_sklearn_and_converts_back_to_the_estimator(fitted, tmp_path):
    from cleanlib import ParagraphScorer
    model, test = fitted
    save_model(model, tmp_path / "m")
    loaded, _ = load_model(tmp_path / "m")
    assert isinstance(loaded, ParagraphScorer) and loaded.get_params()["n_trees"] == 20
    again = ParagraphClassifier.from_arrays(loaded.to_arrays(), loaded.get_params())
    X = [d.texts for d in test]
    np.testing.assert_array_equal(again.predict_proba(X), loaded.predict_proba(X))
    assert again.get_params() == model.get_params()


def test_an_unfitted_classifier_says_so():
    from sklearn.exceptions import NotFittedError
    with pytest.raises(NotFittedError, match="not fitted"):
        ParagraphClassifier().predict_proba([["A paragraph."]])


def test_sklearn_clone_of_a_loaded_model_says_how_to_get_the_estimator(fitted, tmp_path):
    from sklearn.base import clone
    from sklearn.exceptions import NotFittedError
    model, test = fitted
    save_model(model, tmp_path / "m")
    loaded, _ = load_model(tmp_path / "m")
    with pytest.raises(TypeError, match=r"ParagraphClassifier\(\*\*model.get_params\(\)\)"):
        clone(loaded)
    fresh = ParagraphClassifier(**loaded.get_params())  # what the message says
    assert fresh.get_params() == model.get_params()
    with pytest.raises(NotFittedError):
        fresh.predict_proba([d.texts for d in test])
    assert clone(model).get_params() == model.get_params()  # the estimator itself clones as usual


def test_a_first_pass_without_position_reads_no_position_column(tmp_path):
    from cleanlib.core.features import featurize
    from cleanlib.learn.model import POSITION_NAMES

    docs = synthetic_docs(12)
    model = ParagraphClassifier(n_folds=2, n_trees=5, max_iter=30, first_pass_position=False)
    model.fit([d.texts for d in docs], [d.labels for d in docs])
    arrays = model.to_arrays()
    at = [list(featurize([["x"]]).names).index(n) for n in POSITION_NAMES]
    assert not arrays["w_dense"][:, at].any() and arrays["w_dense"].any()
    F = featurize([d.texts for d in synthetic_docs(3, seed=2)])
    moved = F.dense.copy()
    moved[:, at] = np.random.default_rng(0).normal(size=(len(moved), len(at))) * 5
    first = ParagraphClassifier.first_pass_proba
    np.testing.assert_allclose(first(F, arrays), first(dataclasses.replace(F, dense=moved), arrays))
    save_model(model, tmp_path / "m")
    assert load_model(tmp_path / "m")[1]["params"]["first_pass_position"] is False


def test_the_first_pass_folds_standardization_into_its_weights(fitted, tmp_path):
    # the loaded scorer's first pass, with mean and scale folded into the weights once, is the logistic
    # regression on the standardized features
    from cleanlib.core.features import featurize
    from cleanlib.core.scoring import _softmax, first_pass_proba

    save_model(fitted[0], tmp_path / "m")
    scorer, _ = load_model(tmp_path / "m")
    arr = scorer.to_arrays()
    F = featurize([d.texts for d in synthetic_docs(4, seed=3)])
    dense = (F.dense - arr["dense_mean"]) / arr["dense_scale"]
    z = F.sparse_dot(arr["w_sparse"].T.astype(np.float64)) + dense @ arr["w_dense"].T + arr["b_first"]
    np.testing.assert_allclose(first_pass_proba(F, scorer._runtime), _softmax(z), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(first_pass_proba(F, arr), _softmax(z), rtol=1e-10, atol=1e-12)


def test_train_defaults_to_the_shipped_recipe_with_leaves_sized_to_the_set():
    from cleanlib.learn.recipe import Recipe

    shipped = Recipe().model_params()
    assert training_params(2_000_000) == shipped
    small = training_params(5_000)
    assert small["min_samples_leaf"] == 20 and {k: v for k, v in small.items() if k != "min_samples_leaf"} == {
        k: v for k, v in shipped.items() if k != "min_samples_leaf"}
    assert training_params(60_000)["min_samples_leaf"] == min(60, shipped["min_samples_leaf"])


def test_a_third_pass_rescores_from_the_second_and_survives_saving(tmp_path):
    from cleanlib.core.features import featurize
    from cleanlib.core.scoring import PROBA_CONTEXT_NAMES

    docs = synthetic_docs(16)
    model = ParagraphClassifier(n_folds=2, n_trees=8, max_iter=30, third_pass=True)
    model.fit([d.texts for d in docs], [d.labels for d in docs])
    arrays = model.to_arrays()
    assert {"u_feature", "u_labels", "t_feature"} <= arrays.keys()
    F = featurize([d.texts for d in synthetic_docs(4, seed=3)])
    width = len(F.names) + 2 * len(PROBA_CONTEXT_NAMES)
    assert arrays["u_feature"].max() < width
    # the third pass vetoes (on data this easy its trees learn the second's splits, so their leaves are moved
    # here to see it): less content from it lowers the output, more leaves the second pass's score
    two = ParagraphClassifier.from_arrays({k: v for k, v in arrays.items() if not k.startswith("u_")},
                                          model.get_params()).predict_proba_features(F)
    three = model.predict_proba_features(F)
    assert (three[:, 0] <= two[:, 0]).all()
    for shift, lower in ((-2.0, True), (2.0, False)):
        moved = ParagraphClassifier.from_arrays(dict(arrays, u_baseline=arrays["u_baseline"] + [shift, 0.0, 0.0]),
                                                model.get_params()).predict_proba_features(F)
        if lower:  # ... on the paragraphs the second pass could keep; the rest keep its scores
            from cleanlib.core.scoring import VETO_FROM

            open_ = two[:, 0] >= VETO_FROM
            assert open_.sum() > 10 and (moved[open_, 0] < two[open_, 0] - 1e-3).all()
            np.testing.assert_array_equal(moved[~open_], two[~open_])
        else:
            np.testing.assert_array_equal(moved, two)
    # a document of lines keeps the second pass's scores
    lines = featurize([d.texts for d in synthetic_docs(4, seed=3)], lines=[True, False, True, False])
    got, line_rows = model.predict_proba_features(lines), lines.lines[lines.doc]
    np.testing.assert_array_equal(got[line_rows], two[line_rows])
    np.testing.assert_array_equal(got[~line_rows], three[~line_rows])
    with pytest.raises(ValueError, match="flags for"):
        featurize([["a"], ["b"]], lines=[True])
    test = synthetic_docs(6, seed=1)
    truth = np.array([l for d in test for l in d.labels])
    assert (model.predict([d.texts for d in test]) == truth).mean() > 0.9
    save_model(model, tmp_path / "m")
    loaded, manifest = load_model(tmp_path / "m")
    assert manifest["params"]["third_pass"] is True
    np.testing.assert_allclose(loaded.predict_proba_features(F), model.predict_proba_features(F), atol=1e-9)
    damaged = dict(arrays, u_feature=arrays["u_feature"] + width)
    from cleanlib.store import _check_arrays

    with pytest.raises(ModelError, match="u_"):
        _check_arrays(damaged, tmp_path / "m", list(F.names))
