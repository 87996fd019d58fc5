"""cleanlib.scale.dask on a real two-process LocalCluster: same output as Cleaner.clean_many, one model load per worker."""
import json

import pytest

pytest.importorskip("dask.bag", reason="dask[bag] not installed (pip install 'cleanlib-text[dask]')")
pytest.importorskip("dask.dataframe", reason="dask[dataframe] not installed (pip install 'cleanlib-text[dask]')")
pytest.importorskip("distributed", reason="distributed not installed (pip install 'cleanlib-text[dask]')")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from cleanlib import Cleaner  # noqa: E402
from cleanlib.api import Settings  # noqa: E402
from cleanlib.scale.dask import clean_bag, clean_dataframe  # noqa: E402
from conftest import synthetic_docs  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def texts():
    return ["\n\n".join(d.texts) for d in synthetic_docs(40, seed=3)]


def _cached_settings(client):
    """The settings each worker process holds a loaded Cleaner for (one entry = one model load)."""
    return client.run(lambda: sorted(map(repr, __import__("cleanlib.api", fromlist=["_CACHE"])._CACHE)))

DEFAULT = repr(Settings())


def test_bag_matches_clean_many(client, texts):
    expected = Cleaner().clean_many(texts)
    assert any(expected) and expected != texts
    out = clean_bag(db.from_sequence(texts, npartitions=8)).compute()
    assert out == expected
    # bytes items are decoded like Cleaner does
    assert clean_bag(db.from_sequence([t.encode() for t in texts[:6]], npartitions=2)).compute() == expected[:6]
    held = _cached_settings(client)
    assert len(held) == 2 and DEFAULT in sum(held.values(), [])
    assert all(keys.count(DEFAULT) <= 1 for keys in held.values())


def test_bag_settings_travel(client, texts):
    expected = Cleaner(threshold=0.9, keep=("content", "meta")).clean_many(texts)
    out = clean_bag(db.from_sequence(texts, npartitions=4), threshold=0.9, keep=("content", "meta")).compute()
    assert out == expected


def test_dataframe_matches_clean_many(client, texts, tmp_path):
    cleaner = Cleaner()
    pdf = pd.DataFrame({"id": range(len(texts)), "body": texts})
    ddf = dd.from_pandas(pdf, npartitions=6)
    result = clean_dataframe(ddf, column="body", labels=True)
    assert list(result.columns) == ["id", "body", "clean", "labels"]
    got = result.compute().sort_values("id")
    assert got["clean"].tolist() == cleaner.clean_many(texts)
    assert [json.loads(s) for s in got["labels"]] == [[p.label for p in ps] for ps in cleaner.classify_many(texts)]
    assert got["id"].tolist() == list(range(len(texts)))
    plain = clean_dataframe(ddf, column="body").compute()
    assert "labels" not in plain.columns and plain["clean"].tolist() == got["clean"].tolist()
    result.to_parquet(tmp_path / "out")  # the added text columns have a dtype Parquet can write
    assert dd.read_parquet(tmp_path / "out").compute().sort_values("id")["clean"].tolist() == got["clean"].tolist()
    held = _cached_settings(client)  # each worker loaded each settings' model at most once, for 40 texts
    assert all(len(keys) <= 2 for keys in held.values())


def test_dataframe_bad_settings_fail_early(texts):
    ddf = dd.from_pandas(pd.DataFrame({"text": texts[:4]}), npartitions=1)
    with pytest.raises(KeyError, match="body"):
        clean_dataframe(ddf, column="body")
    with pytest.raises(ValueError, match="keep"):
        clean_dataframe(ddf, keep=("nonsense",))
    with pytest.raises(ValueError, match="threshold"):
        clean_bag(db.from_sequence(texts[:2]), threshold=2)
