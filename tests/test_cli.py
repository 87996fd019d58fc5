import argparse
import json
import os
import shlex
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from cleanlib.cli import main

from conftest import SEEDS, synthetic_docs

SEED = str(SEEDS / "000_093bc6fb16e34310.txt")
ROOT = Path(__file__).resolve().parent.parent


def test_clean_file_and_stdin(capsys, seed_text):
    assert main(["clean", SEED]) == 0
    out = capsys.readouterr().out
    assert "WASHINGTON/NEW YORK" in out and "Watch Next:" not in out
    r = subprocess.run([sys.executable, "-m", "cleanlib.cli", "clean"], input=seed_text.encode(), capture_output=True)
    assert r.returncode == 0 and r.stdout.decode() == out


def test_clean_threshold_and_no_rescue(capsys):
    # no paragraph reaches 1.0: the rescue keeps the best prose; --no-rescue keeps nothing
    assert main(["clean", SEED, "--threshold", "1.0"]) == 0
    rescued = capsys.readouterr().out
    paragraphs = rescued.strip().split("\n\n")
    assert rescued.strip() and all(len(p.split()) >= 20 for p in paragraphs)  # prose, not the short lines
    assert sum(len(p.split()) < 30 for p in paragraphs) <= 1  # 30 words or more but the best one
    assert main(["clean", SEED, "--threshold", "1.0", "--no-rescue"]) == 0
    assert capsys.readouterr().out.strip() == ""


def test_classify_json_lines(capsys, seed_text):
    assert main(["classify", SEED]) == 0
    rows = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
    assert len(rows) == 21 and rows[-2]["text"] == "Watch Next:"
    assert all(seed_text[r["start"]:r["end"]] == r["text"] for r in rows)
    assert set(rows[0]) == {"index", "start", "end", "label", "score", "kept", "text"}
    assert main(["clean", SEED]) == 0
    assert "\n\n".join(r["text"] for r in rows if r["kept"]) == capsys.readouterr().out.rstrip("\n")
    assert not rows[-1]["kept"] and not rows[-2]["kept"]
    # with --threshold 1.0 --no-rescue nothing reaches the threshold, so nothing is kept
    assert main(["classify", SEED, "--threshold", "1.0", "--no-rescue"]) == 0
    assert not any(json.loads(l)["kept"] for l in capsys.readouterr().out.splitlines())


@pytest.mark.parametrize("args, message", [
    (["clean", "/nonexistent/file.txt"], "No such file"),
    (["clean", "/"], "is a directory"),
    (["clean", SEED, "--model", "/nonexistent"], "not a model directory"),
])
def test_errors_print_one_line_and_exit_non_zero(capsys, args, message):
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("cleanlib: error:") and message in err and err.count("\n") == 1


@pytest.mark.parametrize("args, message", [
    (["clean", SEED, "--keep", "body"], "--keep: must name labels among content, meta, boilerplate"),
    (["clean", SEED, "--threshold", "2"], "--threshold: must be in [0, 1]"),
    (["classify", SEED, "--threshold", "abc"], "--threshold: must be a number in [0, 1], got 'abc'"),
    (["batch", "--input", SEED, "--output", "out.jsonl", "--jobs", "0"], "--jobs/-j: must be 1 or more, or -1"),
    (["batch", "--input", SEED, "--output", "out.jsonl", "--chunk-size", "0"], "--chunk-size: must be 1 or more"),
])
def test_bad_option_values_are_usage_errors_exit_2(capsys, args, message):
    with pytest.raises(SystemExit) as e:
        main(args)
    assert e.value.code == 2 and message in capsys.readouterr().err


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


# --- errors that name the right thing, each with its exit code ------------------------------------------------

def test_evaluate_an_empty_file_says_it_has_no_documents_exit_1(tmp_path, capsys):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n  \n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy warnings either
        assert main(["evaluate", "--data", str(empty)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == f"cleanlib: error: {empty}: no documents (the file is empty or has only blank lines)\n"


def test_train_on_an_empty_file_says_it_has_no_documents_exit_1(tmp_path, capsys):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert main(["train", "--data", str(empty), "--out", str(tmp_path / "m")]) == 1
    err = capsys.readouterr().err
    assert err == f"cleanlib: error: {empty}: no documents (the file is empty or has only blank lines)\n"
    assert not (tmp_path / "m").exists()


def test_a_cut_json_line_is_reported_at_its_real_column_exit_1(tmp_path, capsys):
    line = json.dumps({"id": "doc-1", "paragraphs": [{"text": "abc", "label": "content"},
                                                     {"text": "More text", "label": "content"}]})
    cut = line[:line.index("}, {") + 3]  # ends after '}, ': the next value is missing
    assert len(cut) == 68
    data = tmp_path / "cut.jsonl"
    data.write_text(json.dumps({"id": "ok", "paragraphs": []}) + "\n" + cut + "\n")
    assert main(["train", "--data", str(data), "--out", str(tmp_path / "m")]) == 1
    err = capsys.readouterr().err
    assert err == (f"cleanlib: error: {data}, line 2: invalid JSON: Expecting value at column 69, the end of the line "
                   "(is it cut short?)\n")
    data.write_text(line[:43] + "\r\n")  # cut inside a string ("ab), with a Windows line end
    assert main(["evaluate", "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert "line 1: invalid JSON: Unterminated string starting at column 41; the line ends inside it, at column 43" in err


def test_a_byte_order_mark_is_in_no_paragraph_and_offsets_slice_the_input(tmp_path, capsys, seed_text):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + seed_text.encode("utf-8"))
    assert main(["classify", str(p)]) == 0
    rows = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
    text = p.read_bytes().decode("utf-8")  # the mark decodes to U+FEFF, and offsets index that text
    assert rows[0]["start"] == 1 and not rows[0]["text"].startswith("\ufeff")
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)
    assert main(["clean", str(p)]) == 0
    assert "\ufeff" not in capsys.readouterr().out


def test_errors_replace_reads_invalid_utf8_as_the_api_does_exit_0(tmp_path, capsys, seed_text):
    from cleanlib import classify, clean

    raw = seed_text.encode("utf-8").replace(b"WASHINGTON/NEW YORK", b"WASHINGTON/NEW \xff\xfeYORK", 1)
    at = raw.index(b"\xff")
    p = tmp_path / "bad.txt"
    p.write_bytes(raw)
    assert main(["clean", str(p)]) == 1  # the default still refuses, and says how to read it anyway
    assert f"not valid UTF-8 (byte {at}: invalid start byte); --errors replace" in capsys.readouterr().err
    assert main(["clean", str(p), "--errors", "replace"]) == 0
    out = capsys.readouterr().out
    assert out == clean(raw) + "\n" and "WASHINGTON/NEW \ufffd\ufffdYORK" in out
    assert main(["classify", str(p), "--errors", "replace"]) == 0
    rows = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in rows] == [q.text for q in classify(raw)]


def _quiet_env(**extra):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return {**env, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), **extra}


def test_classify_into_a_pipe_closed_by_head_ends_quietly_exit_141(tmp_path, seed_text):
    long = tmp_path / "long.txt"
    long.write_text(seed_text * 40)  # ~800 JSON lines, far more than a pipe holds
    r = subprocess.run(f"{shlex.quote(sys.executable)} -m cleanlib.cli classify {shlex.quote(str(long))} | head -1; "
                       "echo \"status ${PIPESTATUS[0]}\"", shell=True, executable="/bin/bash", capture_output=True,
                       text=True, cwd=ROOT, env=_quiet_env(), timeout=120)
    first, status = r.stdout.splitlines()
    assert json.loads(first)["index"] == 0
    assert status == "status 141" and r.stderr == ""  # as `cat long.txt | head -1` gives


@pytest.mark.parametrize("buffered", [True, False], ids=["flushed-at-exit", "unbuffered"])
def test_a_pipe_closed_before_the_output_is_flushed_ends_quietly_exit_141(buffered):
    """The reader is gone before anything is written: with buffered stdout the error comes at the final flush,
    which used to print 'Exception ignored ... BrokenPipeError' at interpreter exit and exit 120."""
    env = _quiet_env() if buffered else _quiet_env(PYTHONUNBUFFERED="1")
    p = subprocess.Popen([sys.executable, "-m", "cleanlib.cli", "clean", SEED], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, cwd=ROOT, env=env)
    p.stdout.close()
    err = p.stderr.read()
    assert p.wait(timeout=120) == 141 and err == b""


def test_every_option_of_every_command_has_help():
    from cleanlib.cli import _parser

    ap = _parser()
    commands = next(a for a in ap._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert set(commands) == {"clean", "classify", "train", "evaluate", "batch"}
    missing = [f"{name} {a.option_strings or a.dest}" for name, p in [("cleanlib", ap), *commands.items()]
               for a in p._actions if not isinstance(a, argparse._SubParsersAction)
               and (not a.help or a.help == argparse.SUPPRESS)]
    assert missing == []
    assert "random seed" in commands["train"].format_help()


def test_version_is_the_package_version_exit_0(capsys):
    from importlib.metadata import version

    import cleanlib

    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out == f"cleanlib {cleanlib.__version__}\n"
    assert version("cleanlib-text") == cleanlib.__version__  # the installed distribution's metadata agrees


def test_comment_sections_in_html_are_dropped_unless_asked(tmp_path, capsys):
    pytest.importorskip("selectolax", reason="the 'html' extra is not installed")
    body = "The council voted on Tuesday to fund a new bridge over the river, ending a decade of debate. " * 2
    page = tmp_path / "p.html"
    page.write_text(f"<article><h1>Bridge</h1><p>{body}</p></article><div id='comments'>"
                    "<div class='comment'><p>Great news for the town!</p></div></div>", encoding="utf-8")
    assert main(["clean", "--html", "--threshold", "0", str(page)]) == 0
    assert capsys.readouterr().out.split("\n\n")[-1].strip() == body.strip()
    assert main(["clean", "--html", "--threshold", "0", "--keep-comment-sections", str(page)]) == 0
    assert capsys.readouterr().out.split("\n\n")[-1].strip() == "Great news for the town!"
    assert main(["classify", "--html", "--threshold", "0", str(page)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["kept"] for r in rows] == [True, True, False]
