"""cleanlib.batch_fn with Hugging Face datasets: Dataset.map(batched=True, num_proc=2) matches Cleaner.clean_many."""
import os
import pickle

import pytest

os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
datasets = pytest.importorskip("datasets", reason="datasets not installed (pip install 'cleanlib-text[hf]')")

from cleanlib import Cleaner, batch_fn  # noqa: E402
from conftest import synthetic_docs  # noqa: E402


@pytest.fixture(scope="module")
def texts():
    return ["\n\n".join(d.texts) for d in synthetic_docs(24, seed=5)]


def test_batch_fn_is_picklable_and_lazy():
    fn = batch_fn(column="body", threshold=0.7)
    again = pickle.loads(pickle.dumps(fn))
    assert again.column == "body" and again.settings == fn.settings
    assert again({"body": ["Home\n\nThe council met on monday to discuss the bridge plans."]})["clean"] \
        == Cleaner(threshold=0.7).clean_many(["Home\n\nThe council met on monday to discuss the bridge plans."])
    with pytest.raises(ValueError, match="keep"):
        batch_fn(keep=("nonsense",))


def test_dataset_map_num_proc_2_matches_clean_many(texts, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path))
    ds = datasets.Dataset.from_dict({"id": list(range(len(texts))), "text": texts})
    expected = Cleaner().clean_many(texts)
    single = ds.map(batch_fn(), batched=True, batch_size=5)
    multi = ds.map(batch_fn(), batched=True, batch_size=5, num_proc=2)
    assert single["clean"] == expected
    assert multi["clean"] == expected
    assert multi["id"] == list(range(len(texts))) and multi["text"] == texts
    custom = ds.map(batch_fn(output_column="kept", keep=("content", "meta"), threshold=0.9), batched=True, num_proc=2)
    assert custom["kept"] == Cleaner(threshold=0.9, keep=("content", "meta")).clean_many(texts)
