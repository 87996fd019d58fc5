import json
import subprocess
import sys

import pytest

from cleanlib.cli import main

from conftest import SEEDS, synthetic_docs

SEED = str(SEEDS / "000_093bc6fb16e34310.txt")


def test_clean_file_and_stdin(capsys, seed_text):
    assert main(["clean", SEED]) == 0
    out = capsys.readouterr().out
    assert "WASHINGTON/NEW YORK" in out and "Watch Next:" not in out
    r = subprocess.run([sys.executable, "-m", "cleanlib.cli", "clean"], input=seed_text.encode(), capture_output=True)
    assert r.returncode == 0 and r.stdout.decode() == out


def test_classify_json_lines(capsys, seed_text):
    assert main(["classify", SEED]) == 0
    rows = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
    assert len(rows) == 21 and rows[-2]["text"] == "Watch Next:"
    assert all(seed_text[r["start"]:r["end"]] == r["text"] for r in rows)
    assert set(rows[0]) == {"index", "start", "end", "label", "score", "text"}


@pytest.mark.parametrize("args, message", [
    (["clean", "/nonexistent/file.txt"], "No such file"),
    (["clean", "/"], "is a directory"),
    (["clean", SEED, "--model", "/nonexistent"], "not a model directory"),
    (["clean", SEED, "--keep", "body"], "keep must name labels"),
])
def test_errors_print_one_line_and_exit_non_zero(capsys, args, message):
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("cleanlib: error:") and message in err and err.count("\n") == 1


def test_invalid_utf8(tmp_path, capsys):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"caf\xe9\n")
    assert main(["clean", str(p)]) == 1
    assert "not valid UTF-8" in capsys.readouterr().err


def test_train_then_evaluate_with_the_new_model(tmp_path, capsys):
    from cleanlib.data import write_labeled

    data = tmp_path / "train.jsonl"
    write_labeled(data, synthetic_docs(16))
    assert main(["train", "--data", str(data), "--out", str(tmp_path / "m")]) == 0
    assert (tmp_path / "m" / "arrays.npz").exists()
    assert main(["evaluate", "--data", str(data), "--model", str(tmp_path / "m"), "--json", str(tmp_path / "r.json")]) == 0
    out = capsys.readouterr().out
    assert "word F1" in out and "confusion" in out
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["paragraph"]["per_label"]["content"]["recall"] > 0.9


def test_bad_training_label_names_line(tmp_path, capsys):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": 1, "paragraphs": [{"text": "x", "label": "article"}]}\n')
    assert main(["train", "--data", str(p), "--out", str(tmp_path / "m")]) == 1
    err = capsys.readouterr().err
    assert "line 1" in err and "'article'" in err
