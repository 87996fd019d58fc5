import numpy as np

from cleanlib.core.features import DENSE_NAMES, N_HASH, featurize


def test_shapes_and_finite_values_on_odd_input():
    docs = [["Hello world.", "", "   ", "\x00nul", "\ud800 lone surrogate", "😀😀 emoji", "x" * 5000],
            [], ["Watch Next:", "A teaser about something else entirely."]]
    f = featurize(docs)
    assert f.dense.shape == (9, len(DENSE_NAMES)) and f.sparse.shape == (9, N_HASH)
    assert np.isfinite(f.dense).all()
    assert f.doc.tolist() == [0] * 7 + [2, 2]


def test_batch_equals_one_document_at_a_time():
    docs = [["Title here", "Some body text that is long enough to be a sentence.", "Related:"],
            ["Another one.", "With words, words and words.", "Share", "Share"]]
    both = featurize(docs)
    one = [featurize([d]) for d in docs]
    np.testing.assert_allclose(both.dense, np.vstack([o.dense for o in one]))
    assert (both.sparse != __import__("scipy.sparse", fromlist=["vstack"]).vstack([o.sparse for o in one])).nnz == 0


def test_context_features_see_cues_repeats_and_overlap():
    doc = ["Iran sanctions tension grows as the consulate in Basra closes.",
           "The consulate in Basra closes after rocket fire, officials said of Iran.",
           "Watch Next:", "A celebrity chef opens a restaurant.", "Share", "Share"]
    f = featurize([doc])
    assert f.column("is_cue").tolist() == [0, 0, 1, 0, 0, 0]
    assert f.column("after_cue").tolist() == [0, 0, 0, 1, 0, 0]
    assert f.column("repeats")[4] > 0 and f.column("repeats")[0] == 0
    assert f.column("overlap_rest")[1] > f.column("overlap_rest")[3]
    assert f.column("stop_share")[1] > 0.2


def test_features_are_built_by_keyword_only():
    import pytest
    from cleanlib.core.features import Features
    with pytest.raises(TypeError):
        Features(np.zeros((0, len(DENSE_NAMES))), np.zeros(0, dtype=np.int64))
