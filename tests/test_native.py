"""The compiled speedups give the numpy code's results (features bit for bit, tree scores to 1e-12)."""
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleanlib.core import native
from cleanlib.core.chars import char_table
from cleanlib.core.features import N_HASH, featurize
from cleanlib.core.segment import Segments, split_paragraphs
from cleanlib.core.trees import complete_layout, complete_raw_scores

pytestmark = pytest.mark.skipif(native._speedups is None,
                                reason="the C extension cleanlib.core._speedups is not compiled in this install")
SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_093bc6fb16e34310.txt"


@pytest.fixture
def both(monkeypatch):
    """Run a function with the extension, then with numpy only; return both results."""
    def run(fn, *args):
        monkeypatch.setattr(native, "ENABLED", True)
        a = fn(*args)
        monkeypatch.setattr(native, "ENABLED", False)
        b = fn(*args)
        monkeypatch.setattr(native, "ENABLED", True)
        return a, b
    return run


def assert_same_features(a, b):
    np.testing.assert_array_equal(a.dense, b.dense)
    assert (a.sparse != b.sparse).nnz == 0
    for name in ("doc", "word_para", "word_key", "key_doc"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def test_seed_article_features_are_identical(both):
    docs = [split_paragraphs(SEED.read_text(encoding="utf-8")).texts]
    assert_same_features(*both(featurize, docs))


def test_edge_cases_are_identical(both):
    docs = [["Hello there world.", ""], ["", "a.", "", "b »", "", ""], [""], [],
            ["emoji 😀 and Deseret 𐐀𐐨 at 9:30 pm", "x\x00y 3 days AGO", "a_b ﬁ ǅ ß ẞ", "\ud800 lone"],
            ["Sept. 3, 2018\nOct 4 2019", "٣ ١٢:٣٠ ٢٠١٩", "“quoted.”", "   ", "@handle #tag a@b"],
            ["12:𝟑𝟎", "𝟑 days ago", "-𐒠:12", "on 𝟏𝟐 Sep 𝟐𝟎𝟏𝟗"],
            ["see https://x.com/a.html and http://www.b.org.", "www.com .htmlx .htm5 .html_ .net, a.comb",
             "@a#b @@c a@b #1 _@x", "https:/x http//y"]]
    assert_same_features(*both(featurize, docs))


def test_paragraphs_whose_lowercase_depends_on_context_go_to_numpy_and_the_rest_stays_compiled(both, monkeypatch):
    from cleanlib.core import features
    monkeypatch.setattr(native, "ENABLED", True)  # also under CLEANLIB_PURE_NUMPY=1
    handed = []

    def numpy_scan(texts):
        handed.append(list(texts))
        return features._scan(texts)

    texts = ["plain text here", "ΟΔΥΣΣΕΥΣ ΚΑΙ ΣΑΣ", "more plain, 12 Sep 2019", "İstanbul’da", "𐐀 last one"]
    got = native.scan_text(texts, numpy_scan)
    assert handed == [["ΟΔΥΣΣΕΥΣ ΚΑΙ ΣΑΣ", "İstanbul’da"]]  # only the special paragraphs
    want = features._scan(texts)
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_array_equal(got[2], want[2])
    for name, col in want[0].items():
        np.testing.assert_array_equal(got[0][name], col, err_msg=name)
    docs = [texts[:2], [], texts[2:], ["Σ"], ["", "İ", ""]]
    assert_same_features(*both(featurize, docs))
    monkeypatch.setattr(features, "_scan", numpy_scan)
    handed.clear()
    featurize([["only plain text"]])
    assert handed == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60)
                         | st.sampled_from(["12 Sep 2019", "2019-01-02", "10:30 am", "3 days ago", "Watch Next:", "ΑΣ Σ",
                                            "By Jane Doe", "www.example.com", "«Hi»", "a.\n\nb"]),
                         max_size=8), max_size=4))
def test_random_text_is_identical(docs):
    a = featurize(docs)
    native.ENABLED = False
    try:
        b = featurize(docs)
    finally:
        native.ENABLED = True
    assert_same_features(a, b)


_BREAKS = ["a", "b c", " ", "\t", "\xa0", "\u3000", "\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c",
           "\x1c", "\x1d", "\x1e", "😀", "\ud800", "\ufeff"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_BREAKS), max_size=20).map("".join) | st.text(max_size=40),
       st.sampled_from(["auto", "blank", "line"]))
def test_paragraph_spans_are_identical(text, mode):
    a = split_paragraphs(text, mode)
    native.ENABLED = False
    try:
        b = split_paragraphs(text, mode)
    finally:
        native.ENABLED = True
    assert isinstance(a, Segments) and a.texts == b.texts and a.mode == b.mode
    np.testing.assert_array_equal(a.starts, b.starts)
    np.testing.assert_array_equal(a.ends, b.ends)


@pytest.mark.parametrize("mode", ["auto", "blank", "line"])
@pytest.mark.parametrize("text", ["\ufeffTitle\n\nBody", "\ufeff", "\ufeff\n\n a", "\ufeff\ufeffa\nb", "\ufeff \u2029x",
                                  "a\ufeff\n\n\ufeffb"])
def test_a_leading_byte_order_mark_is_skipped_by_both(both, text, mode):
    a, b = both(split_paragraphs, text, mode)
    assert a.texts == b.texts and a.starts.tolist() == b.starts.tolist() and a.ends.tolist() == b.ends.tolist()
    assert a.mode == b.mode
    assert not (text.startswith("\ufeff") and a.texts and a.starts[0] == 0)  # the mark is in no paragraph
    assert all(text[s:e] == t for t, s, e in zip(a.texts, a.starts, a.ends))


def _random_trees(rng, n_trees=7, depth=4, n_features=5, n_classes=3):
    nodes = 2 ** depth - 1
    arr = {"t_feature": [], "t_threshold": [], "t_missing_left": [], "t_left": [], "t_right": [], "t_value": []}
    roots, offset = [], 0
    for _ in range(n_trees):  # a full tree of the given depth in heap order
        roots.append(offset)
        for i in range(2 * nodes + 1):
            leaf = i >= nodes
            arr["t_feature"].append(0 if leaf else rng.integers(n_features))
            arr["t_threshold"].append(0.0 if leaf else rng.normal())
            arr["t_missing_left"].append(bool(rng.integers(2)))
            arr["t_left"].append(offset + (i if leaf else 2 * i + 1))
            arr["t_right"].append(offset + (i if leaf else 2 * i + 2))
            arr["t_value"].append(rng.normal() if leaf else 0.0)
        offset += 2 * nodes + 1
    out = {k: np.array(v) for k, v in arr.items()}
    out.update(t_roots=np.array(roots), t_class=np.arange(n_trees) % n_classes, t_baseline=rng.normal(size=n_classes),
               t_depth=np.array([depth]))
    return out


def test_tree_scores_match_numpy_with_missing_values(both):
    rng = np.random.default_rng(0)
    layout = complete_layout(_random_trees(rng))
    X = rng.normal(size=(300, 5))
    X[rng.random(X.shape) < 0.2] = np.nan
    a, b = both(complete_raw_scores, layout, X)
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    assert both(complete_raw_scores, layout, X[:0])[0].shape == (0, 3)


def test_sparse_dot_makes_the_same_sums_as_numpy_and_checks_its_indices(both):
    F = featurize([SEED.read_text(encoding="utf-8").split("\n\n"), ["one more", ""], []])
    weights = np.random.default_rng(2).normal(size=(N_HASH, 3))
    a, b = both(F.sparse_dot, weights)
    np.testing.assert_array_equal(a, b)  # bit for bit: the same terms added in the same order
    assert a.shape == (len(F.doc), 3) and np.abs(a).sum() > 0
    rows, cols, vals = (np.array([0, 1], np.int64), np.array([0, N_HASH], np.int64), np.ones(2))
    with pytest.raises(ValueError, match="out of range"):
        native._speedups.sparse_dot(rows, cols, vals, weights, 3, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="buffer sizes"):
        native._speedups.sparse_dot(rows, cols[:1], vals, weights, 3, np.zeros((2, 3)))


def test_paragraph_lengths_that_overflow_or_do_not_add_up_raise():
    wtab, ltab = native._bmp_word_tables()
    cps = np.frombuffer("abc".encode("utf-32-le"), dtype=np.uint32)
    e32, e8 = np.zeros(0, np.uint32), np.zeros(0, np.uint8)
    for lengths in ([2 ** 62, 2 ** 62, 2 ** 62, 2 ** 62 + 3], [1, 1], [4], [-1, 4]):
        n = len(lengths)
        with pytest.raises(ValueError, match="lengths do not add up"):
            native._speedups.scan_text(cps, np.array(lengths, dtype=np.int64), char_table(), wtab, ltab, e32, e32,
                                       e8, np.zeros((n, len(native.STAT_NAMES)), np.int64), np.zeros(8, np.int64),
                                       np.zeros(n, np.int64))


def test_wrong_item_sizes_raise():
    with pytest.raises(ValueError, match="items of 4 bytes"):
        native._speedups.split_spans(np.zeros(3, dtype=np.int64), 0, char_table())


def test_wrong_buffer_sizes_raise_instead_of_reading_past_them():
    layout = complete_layout(_random_trees(np.random.default_rng(1)))
    out = np.zeros((3, 3))  # one row short
    with pytest.raises(ValueError, match="buffer sizes"):
        native._speedups.tree_scores(np.zeros((4, 5)), 5, layout["c_feat"], layout["c_thr"],
                                     layout["c_miss"].view(np.uint8), layout["c_leaf"], layout["c_class"], 4, out)
    with pytest.raises(ValueError, match="feature index"):
        native._speedups.tree_scores(np.zeros((4, 2)), 2, layout["c_feat"], layout["c_thr"],
                                     layout["c_miss"].view(np.uint8), layout["c_leaf"], layout["c_class"], 4,
                                     np.zeros((4, 3)))
    wtab, ltab = native._bmp_word_tables()
    cps = np.frombuffer("abc".encode("utf-32-le"), dtype=np.uint32)
    empty32, empty8 = np.zeros(0, np.uint32), np.zeros(0, np.uint8)
    with pytest.raises(ValueError, match="buffer sizes"):
        native._speedups.scan_text(cps, np.array([3], dtype=np.int64), char_table(), wtab, ltab, empty32, empty32,
                                   empty8, np.zeros((2, len(native.STAT_NAMES)), np.int64), np.zeros(2, np.int64),
                                   np.zeros(1, np.int64))  # statistics for two paragraphs, not one


def test_word_tables_follow_python_str_lower_and_isalnum():
    bits, lower = native._bmp_word_tables()
    slow_bits, slow_lower = zip(*map(native._word_bits, map(chr, range(0x10000))))
    np.testing.assert_array_equal(bits, np.array(slow_bits, dtype=np.uint8))
    np.testing.assert_array_equal(lower, np.array(slow_lower, dtype=np.uint32))
    assert bits[ord("A")] == 1 and lower[ord("A")] == ord("a") and bits[ord(" ")] == 0 and bits[0x130] == 2


def _python_attr_tokens(value, max_chars, max_tokens):
    import zlib

    from cleanlib.html.dom import split_tokens

    words = tuple(dict.fromkeys(split_tokens(value[:max_chars])))[:max_tokens]
    return words, tuple(zlib.crc32(w.encode()) for w in words)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZbYzA09 -_:Éé\u00df\u4e2d\U0001F600"), max_size=80),
       st.integers(0, 90), st.integers(0, 20))
def test_class_tokens_are_python_s(value, max_chars, max_tokens):
    assert native._speedups.attr_tokens(value, max_chars, max_tokens) == _python_attr_tokens(value, max_chars, max_tokens)


def test_class_tokens_of_real_shapes():
    for value in ("HTMLParser main-content", "article__body js-Foo123", "comment-12 c123 ABC9x", "commentList x"
                  " comment", "\u00e9clair \u00dcber", " ".join(f"w{i}x" for i in range(40)), "a" * 600):
        assert native._speedups.attr_tokens(value, 512, 16) == _python_attr_tokens(value, 512, 16)
    with pytest.raises(ValueError, match="limits"):
        native._speedups.attr_tokens("x", 512, 65)
