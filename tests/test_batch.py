import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleanlib.scale.batch import BatchError, BatchSummary, partial_path, run_batch
from cleanlib.cli import main

ROOT = Path(__file__).resolve().parent.parent


class FakeCleaner:
    """Stands in for ``Cleaner``: drops paragraphs that start with "Share"; fails on texts holding "BOOM"."""

    def __init__(self, *args, **kwargs):
        self.seen: list[str] = []
        self.calls = 0

    def clean_many(self, texts):
        texts = list(texts)
        self.calls += 1
        self.seen += texts
        if any("BOOM" in t for t in texts):
            raise RuntimeError("boom")
        return ["\n\n".join(p for p in t.split("\n\n") if not p.startswith("Share")) for t in texts]


def doc(i: int, **extra) -> dict:
    return {"id": f"d{i}", "text": f"Body of document {i}.\n\nShare this article", **extra}


def write_lines(path: Path, lines: list[str]) -> Path:
    data = "".join(l + "\n" for l in lines).encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def read_out(path: Path) -> list[dict]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return [json.loads(l) for l in data.decode("utf-8").splitlines()]


def test_passes_fields_through_in_input_order(tmp_path):
    records = [doc(i, meta={"url": f"https://x/{i}", "tags": [i, None]}, n=i) for i in range(10)]
    records[3]["clean"] = "stale"  # an existing "clean" field is replaced
    src = write_lines(tmp_path / "in.jsonl", [json.dumps(r) for r in records])
    cleaner = FakeCleaner()
    s = run_batch(src, tmp_path / "out.jsonl", cleaner=cleaner, chunk_size=3)
    out = read_out(tmp_path / "out.jsonl")
    assert out == [{**r, "clean": f"Body of document {i}."} for i, r in enumerate(records)]
    assert s == BatchSummary(read=10, ok=10, errors=0, blank=0)
    assert cleaner.calls == 4  # chunks of 3, 3, 3, 1
    assert not partial_path(tmp_path / "out.jsonl").exists()


def test_error_records_account_for_every_line(tmp_path):
    lines = [
        json.dumps(doc(1)),
        '{"id": "d2", "text": "unterminated',
        json.dumps({"id": "d3", "body": "no text field"}),
        json.dumps({"id": "d4", "text": 5}),
        json.dumps({"id": "d5", "text": None}),
        "[1, 2, 3]",
        json.dumps({"text": "no id is fine"}),
        json.dumps(doc(8)),
    ]
    src = write_lines(tmp_path / "in.jsonl", lines)
    with open(src, "ab") as f:
        f.write(b'{"id": "d9", "text": "bad \xff byte"}\n')
        f.write(json.dumps({"id": "d10", "text": "BOOM"}).encode() + b"\n")
    s = run_batch(src, tmp_path / "out.jsonl", cleaner=FakeCleaner())
    out = read_out(tmp_path / "out.jsonl")
    assert len(out) == 10
    assert out[0]["clean"] == "Body of document 1." and out[7]["clean"] == "Body of document 8."
    assert out[6] == {"text": "no id is fine", "clean": "no id is fine"}
    errors = {o["line"]: o for o in out if "error" in o}
    assert sorted(errors) == [2, 3, 4, 5, 6, 9, 10]
    assert all(set(o) == {"id", "line", "error"} for o in errors.values())
    assert errors[2] == {"id": None, "line": 2, "error": "invalid JSON at line 2: Unterminated string starting at "
                                                   "column 22; the line ends inside it, at column 34 (is it cut short?)"}
    assert errors[3]["id"] == "d3" and "missing field 'text'" in errors[3]["error"]
    assert errors[4]["id"] == "d4" and "not a string" in errors[4]["error"]
    assert "null" in errors[5]["error"]
    assert errors[6]["id"] is None and "JSON object" in errors[6]["error"]
    assert errors[9]["id"] is None and "UTF-8" in errors[9]["error"]
    # a text the cleaner fails on becomes an error record; the rest of its chunk is still cleaned
    assert errors[10]["id"] == "d10" and "RuntimeError: boom" in errors[10]["error"]
    assert s == BatchSummary(read=10, ok=3, errors=7, blank=0)
    assert s.first_error == "line 2: " + errors[2]["error"]


def test_blank_lines_are_counted_and_skipped(tmp_path):
    src = write_lines(tmp_path / "in.jsonl", ["", json.dumps(doc(1)), "   ", "\t", "{oops", "", json.dumps(doc(2))])
    with open(src, "ab") as f:
        f.write(b"\r\n")
    s = run_batch(src, tmp_path / "out.jsonl", cleaner=FakeCleaner())
    out = read_out(tmp_path / "out.jsonl")
    assert [o.get("id") for o in out] == ["d1", None, "d2"]
    assert out[1]["line"] == 5  # line numbers count the blank lines too
    assert s == BatchSummary(read=3, ok=2, errors=1, blank=5)
    assert "5 blank lines skipped" in s.describe()


def test_bom_crlf_and_lone_surrogates(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc(1)).encode() + b"\r\n"
                    + b'{"id": "d2", "text": "odd \\ud800 half", "k": "caf\xc3\xa9"}\r\n')
    s = run_batch(src, tmp_path / "out.jsonl", cleaner=FakeCleaner())
    out = read_out(tmp_path / "out.jsonl")
    assert s.ok == 2 and out[0]["id"] == "d1"
    assert out[1]["clean"] == "odd \ud800 half" and out[1]["k"] == "café"


@pytest.mark.parametrize("in_name, out_name", [("in.jsonl.gz", "out.jsonl.gz"), ("in.jsonl.gz", "out.jsonl"),
                                               ("in.jsonl", "out.jsonl.gz")])
def test_gzip_input_and_output(tmp_path, in_name, out_name):
    records = [doc(i) for i in range(20)]
    src = write_lines(tmp_path / in_name, [json.dumps(r) for r in records])
    dst = tmp_path / out_name
    run_batch(src, dst, cleaner=FakeCleaner(), chunk_size=7)
    if out_name.endswith(".gz"):
        assert dst.read_bytes()[:2] == b"\x1f\x8b"
    else:
        assert dst.read_bytes().startswith(b"{")
    assert [o["id"] for o in read_out(dst)] == [r["id"] for r in records]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({in_name, out_name})


class Interrupt(BaseException):
    pass


class DiesAfter(FakeCleaner):
    def __init__(self, chunks: int):
        super().__init__()
        self.chunks = chunks

    def clean_many(self, texts):
        if self.calls == self.chunks:
            raise Interrupt
        return super().clean_many(texts)


@pytest.mark.parametrize("out_name", ["out.jsonl", "out.jsonl.gz"])
def test_only_partial_exists_until_complete(tmp_path, out_name):
    src = write_lines(tmp_path / "in.jsonl", [json.dumps(doc(i)) for i in range(50)])
    dst = tmp_path / out_name
    with pytest.raises(Interrupt):
        run_batch(src, dst, cleaner=DiesAfter(3), chunk_size=10)
    assert not dst.exists()
    done = partial_path(dst).read_bytes()
    assert done.count(b"\n") == 30 and done.endswith(b"\n")  # three chunks, flushed; plain even for .gz
    assert [json.loads(l)["id"] for l in done.splitlines()] == [f"d{i}" for i in range(30)]


@pytest.mark.parametrize("out_name", ["out.jsonl", "out.jsonl.gz"])
def test_resume_after_interruption_gives_the_uninterrupted_output(tmp_path, out_name):
    lines = [json.dumps(doc(i)) for i in range(40)]
    lines[5], lines[12], lines[30] = "", "{bad json", json.dumps({"id": "x", "text": 1})
    lines.insert(20, "   ")
    src = write_lines(tmp_path / "in.jsonl", lines)
    whole = tmp_path / "whole" / out_name
    whole.parent.mkdir()
    full = run_batch(src, whole, cleaner=FakeCleaner(), chunk_size=6)
    expected = read_out(whole)

    dst = tmp_path / out_name
    plain = "\n".join(json.dumps(o, ensure_ascii=False) for o in expected).encode() + b"\n"
    cut = [i for i, b in enumerate(plain) if b == ord("\n")][16] + 1  # 17 complete lines ...
    partial_path(dst).write_bytes(plain[:cut] + plain[cut:cut + 25])  # ... and half of the 18th
    cleaner = FakeCleaner()
    s = run_batch(src, dst, cleaner=cleaner, resume=True, chunk_size=6)
    assert read_out(dst) == expected
    unzip = gzip.decompress if out_name.endswith(".gz") else bytes
    assert unzip(dst.read_bytes()) == unzip(whole.read_bytes())
    assert not partial_path(dst).exists()
    assert s == BatchSummary(read=full.read, ok=full.ok, errors=full.errors, blank=full.blank, resumed=17)
    assert len(cleaner.seen) == sum("clean" in o for o in expected[17:])  # the done records are not redone


def test_resume_checks_the_partial_belongs_to_the_input(tmp_path):
    src = write_lines(tmp_path / "in.jsonl", [json.dumps(doc(i)) for i in range(5)])
    dst = tmp_path / "out.jsonl"
    partial_path(dst).write_text(json.dumps({**doc(7), "clean": "x"}) + "\n")
    with pytest.raises(BatchError, match="does not match"):
        run_batch(src, dst, cleaner=FakeCleaner(), resume=True)
    partial_path(dst).write_text("".join(json.dumps({**doc(i), "clean": "x"}) + "\n" for i in range(6)))
    with pytest.raises(BatchError, match="only 5 non-blank lines"):
        run_batch(src, dst, cleaner=FakeCleaner(), resume=True)
    assert not dst.exists()
    # without --resume a stale partial is overwritten; with --resume and none there, it starts from scratch
    assert run_batch(src, dst, cleaner=FakeCleaner()).ok == 5
    assert run_batch(src, tmp_path / "other.jsonl", cleaner=FakeCleaner(), resume=True).resumed == 0
    assert read_out(dst) == read_out(tmp_path / "other.jsonl")


def test_progress_bar_only_when_asked(tmp_path, capsys, monkeypatch):
    src = write_lines(tmp_path / "in.jsonl", [json.dumps(doc(i)) for i in range(5)])
    run_batch(src, tmp_path / "a.jsonl", cleaner=FakeCleaner())  # stderr is not a terminal here
    assert capsys.readouterr().err == ""
    run_batch(src, tmp_path / "b.jsonl", cleaner=FakeCleaner(), progress=True)
    assert "cleanlib batch" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "tqdm", None)  # tqdm not installed: a plain counter
    run_batch(src, tmp_path / "c.jsonl", cleaner=FakeCleaner(), progress=True, chunk_size=2)
    assert "cleanlib batch: " in capsys.readouterr().err


def test_cli_summary_and_exit_codes(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("cleanlib.api.Cleaner", FakeCleaner)
    src = write_lines(tmp_path / "in.jsonl", [json.dumps(doc(1)), "", "nope", json.dumps({"id": 3, "txt": "a"})])
    assert main(["batch", "--input", str(src), "--output", str(tmp_path / "out.jsonl")]) == 0
    err = capsys.readouterr().err
    assert err == "cleanlib: batch: 3 records read, 1 written ok, 2 failed, 1 blank lines skipped\n"
    assert main(["batch", "--input", str(src), "--output", str(tmp_path / "o2.jsonl"),
                 "--text-field", "txt", "--id-field", "id"]) == 0
    assert [o.get("clean") for o in read_out(tmp_path / "o2.jsonl")] == [None, None, "a"]
    capsys.readouterr()
    for args, message in [(["--input", str(tmp_path / "missing.jsonl")], "No such file"),
                          (["--input", str(tmp_path)], "is a directory"),
                          (["--input", str(src), "--output", str(tmp_path / "no" / "dir.jsonl")],
                           "no such directory")]:
        argv = ["batch", "--output", str(tmp_path / "x.jsonl")] + args
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err.startswith("cleanlib: error:") and message in err and err.count("\n") == 1
    bad_gz = tmp_path / "bad.jsonl.gz"
    bad_gz.write_bytes(gzip.compress(b'{"id": 1, "text": "a"}\n' * 100)[:-30])
    assert main(["batch", "--input", str(bad_gz), "--output", str(tmp_path / "y.jsonl")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cleanlib: error:") and "damaged gzip" in err and err.count("\n") == 1
    assert not (tmp_path / "y.jsonl").exists() and not (tmp_path / "x.jsonl").exists()


def test_cli_every_record_failed_exit_1(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("cleanlib.api.Cleaner", FakeCleaner)
    src = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": i, "body": "x"}) for i in range(3)] + ["", "{oops"])
    dst = tmp_path / "out.jsonl"
    assert main(["batch", "--input", str(src), "--output", str(dst)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "cleanlib: batch: 4 records read, 0 written ok, 4 failed, 1 blank lines skipped",
        f"cleanlib: error: every record failed (4 of 4; the first, line 1: missing field 'text'); the error records "
        f"are in {dst}"]
    assert [o["line"] for o in read_out(dst)] == [1, 2, 3, 5]  # the output is complete, for a look at why
    write_lines(src, [json.dumps({"id": 0, "body": "x"}), json.dumps(doc(1))])  # one record cleaned: a success
    assert main(["batch", "--input", str(src), "--output", str(dst)]) == 0
    assert "2 records read, 1 written ok, 1 failed" in capsys.readouterr().err
    empty = write_lines(tmp_path / "empty.jsonl", [])  # no records, none failed
    assert main(["batch", "--input", str(empty), "--output", str(tmp_path / "e.jsonl")]) == 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_cli_max_errors_stops_once_exceeded_exit_1_then_resume_goes_on(tmp_path, capsys, monkeypatch, jobs):
    monkeypatch.setattr("cleanlib.api.Cleaner", FakeCleaner)
    src = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": i}) if i % 3 == 0 else json.dumps(doc(i))
                                              for i in range(30)])  # lines 1, 4, 7, ... 28 fail: 10 of 30
    dst = tmp_path / "out.jsonl"
    argv = ["batch", "--input", str(src), "--output", str(dst), "--chunk-size", "5", "--jobs", str(jobs)]
    assert main(argv + ["--max-errors", "3"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cleanlib: error: more than 3 records failed (4 of 10 read; the first, line 1: missing "
                          "field 'text'); stopped after that chunk, with the output so far, error records included, "
                          f"in {partial_path(dst)}: allow more failures and continue with --resume")
    assert err.count("\n") == 1
    assert not dst.exists() and partial_path(dst).read_bytes().count(b"\n") == 10  # stopped after two chunks
    assert main(argv + ["--max-errors", "10", "--resume"]) == 0
    assert "30 records read, 20 written ok, 10 failed, 0 blank lines skipped (10 resumed" in capsys.readouterr().err
    assert len(read_out(dst)) == 30
    assert main(argv + ["--max-errors", "9"]) == 1  # 10 > 9: found at the last chunk
    capsys.readouterr()
    with pytest.raises(SystemExit) as e:
        main(argv + ["--max-errors", "-1"])
    assert e.value.code == 2 and "must be 0 or more" in capsys.readouterr().err


@pytest.mark.parametrize("case", ["directory", "missing-directory", "parent-is-a-file", "no-files-allowed"])
def test_cli_output_path_is_checked_before_any_work_exit_1(tmp_path, capsys, monkeypatch, case):
    built = []

    class Counting(FakeCleaner):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__()

    monkeypatch.setattr("cleanlib.api.Cleaner", Counting)
    src = write_lines(tmp_path / "in.jsonl", [json.dumps(doc(i)) for i in range(5)])
    if case == "no-files-allowed" and not Path("/proc/self").is_dir():
        pytest.skip("needs Linux /proc (a directory where even root cannot create files)")
    dst, message = {"directory": (tmp_path / "out", "out: is a directory; the output must be a file name"),
                    "missing-directory": (tmp_path / "no" / "o.jsonl", "no: no such directory, so the output"),
                    "parent-is-a-file": (src / "o.jsonl", "in.jsonl: not a directory, so the output"),
                    "no-files-allowed": (Path("/proc/o.jsonl"), "/proc: cannot create files here")}[case]
    if case == "directory":
        dst.mkdir()
    assert main(["batch", "--input", str(src), "--output", str(dst)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cleanlib: error:") and message in err and err.count("\n") == 1, err
    assert built == []  # no model loaded, nothing cleaned
    assert not partial_path(dst).exists() and sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["in.jsonl"] + (["out"] if case == "directory" else []))
    if case == "directory":
        assert list(dst.iterdir()) == []


def test_cli_errors_replace_reads_invalid_utf8_exit_0(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("cleanlib.api.Cleaner", FakeCleaner)
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": 1, "text": "caf\xe9 ok", "k": "\xff"}\n' + json.dumps(doc(2)).encode() + b"\n")
    dst = tmp_path / "out.jsonl"
    assert main(["batch", "--input", str(src), "--output", str(dst)]) == 0
    assert "UTF-8" in read_out(dst)[0]["error"]  # the default: that line is an error record
    assert main(["batch", "--input", str(src), "--output", str(dst), "--errors", "replace"]) == 0
    assert "2 records read, 2 written ok, 0 failed" in capsys.readouterr().err
    assert read_out(dst)[0] == {"id": 1, "text": "caf\ufffd ok", "k": "\ufffd", "clean": "caf\ufffd ok"}


def test_kill_9_then_resume(tmp_path):
    """A real crash: SIGKILL the command mid-run, then --resume; every record comes out once, in order."""
    n = 3000
    src = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": i, "text": f"Council news item {i} said the "
                                                          f"bridge would open.\n\nShare this article", "n": i})
                                              for i in range(n)])
    dst = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "cleanlib.cli", "batch", "--input", str(src), "--output", str(dst),
           "--chunk-size", "5"]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    partial = partial_path(dst)
    deadline = time.monotonic() + 20
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if partial.exists() and partial.read_bytes().count(b"\n") >= 100:
                break
            time.sleep(0.002)
        assert proc.poll() is None, f"finished or failed before the kill: {proc.stderr.read().decode()}"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert not dst.exists() and partial.exists()
    done = partial.read_bytes().count(b"\n")
    assert 100 <= done < n

    r = subprocess.run(cmd[:-1] + ["200", "--resume"], cwd=ROOT, env=env, capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr.decode()
    assert f"{n} records read, {n} written ok, 0 failed" in r.stderr.decode()
    assert f"({done} resumed" in r.stderr.decode()
    out = read_out(dst)
    assert [o["id"] for o in out] == list(range(n))
    assert all(o["n"] == o["id"] and o["clean"] is not None for o in out)
    assert not partial.exists()


def mixed_lines(n: int) -> list[str]:
    """``n`` records with blank lines, bad JSON, missing fields and texts the cleaner fails on mixed in."""
    lines = []
    for i in range(n):
        if i % 37 == 5:
            lines.append("")
        if i % 41 == 7:
            lines.append("{not json")
        if i % 53 == 11:
            lines.append(json.dumps({"id": f"m{i}", "body": "no text"}))
        text = "BOOM here" if i % 61 == 13 else f"Paragraph {i} \u00e9t\u00e9.\n\nShare this\n\nMore {i}"
        lines.append(json.dumps({"id": i, "text": text, "n": [i, None]}, ensure_ascii=i % 2 == 0))
    return lines


def test_jobs_2_gives_the_same_bytes_as_jobs_1(tmp_path):
    src = write_lines(tmp_path / "in.jsonl", mixed_lines(400))
    one = run_batch(src, tmp_path / "one.jsonl", cleaner=FakeCleaner(), chunk_size=16)
    two = run_batch(src, tmp_path / "two.jsonl", cleaner_factory=FakeCleaner, chunk_size=16, jobs=2)
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    assert two == one and one.errors > 20 and one.blank > 5
    out = read_out(tmp_path / "two.jsonl")
    assert any("RuntimeError: boom" in o.get("error", "") for o in out)  # a worker's failure, reported
    assert not partial_path(tmp_path / "two.jsonl").exists()


def test_resume_with_jobs_2(tmp_path):
    src = write_lines(tmp_path / "in.jsonl", mixed_lines(300))
    whole = tmp_path / "whole.jsonl"
    full = run_batch(src, whole, cleaner=FakeCleaner(), chunk_size=10)
    dst = tmp_path / "out.jsonl.gz"
    plain = whole.read_bytes()
    cut = [i for i, b in enumerate(plain) if b == ord("\n")][122] + 1  # 123 complete lines and a torn one
    partial_path(dst).write_bytes(plain[:cut] + plain[cut:cut + 30])
    s = run_batch(src, dst, cleaner_factory=FakeCleaner, resume=True, chunk_size=10, jobs=2)
    assert gzip.decompress(dst.read_bytes()) == plain
    assert s == BatchSummary(read=full.read, ok=full.ok, errors=full.errors, blank=full.blank, resumed=123)


def test_jobs_setting(tmp_path, monkeypatch):
    from cleanlib.scale.batch import resolve_jobs

    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    assert resolve_jobs(-1) == 3 and resolve_jobs(1) == 1 and resolve_jobs(4) == 4
    for bad in (0, -2):
        with pytest.raises(ValueError, match="jobs must be"):
            resolve_jobs(bad)
    src = write_lines(tmp_path / "in.jsonl", [json.dumps(doc(1))])
    # bad values are usage errors (exit 2), refused before any worker starts or any output is made
    for bad in (["--jobs", "0"], ["--jobs", "2", "--keep", "nonsense"]):
        with pytest.raises(SystemExit) as e:
            main(["batch", "--input", str(src), "--output", str(tmp_path / "o.jsonl"), *bad])
        assert e.value.code == 2
    # a setting only the Cleaner can judge fails with its own error, exit 1, before the workers start
    assert main(["batch", "--input", str(src), "--output", str(tmp_path / "o.jsonl"), "--jobs", "2",
                 "--model", str(tmp_path / "no-model")]) == 1
    assert not (tmp_path / "o.jsonl").exists()


def test_cli_jobs_2_with_the_real_model(tmp_path, capsys):
    src = write_lines(tmp_path / "in.jsonl", mixed_lines(150))
    assert main(["batch", "--input", str(src), "--output", str(tmp_path / "one.jsonl")]) == 0
    err1 = capsys.readouterr().err
    assert main(["batch", "--input", str(src), "--output", str(tmp_path / "two.jsonl"), "--jobs", "2",
                 "--chunk-size", "8"]) == 0
    assert capsys.readouterr().err == err1
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()



def damaged_model(tmp_path: Path) -> Path:
    """A copy of the default model whose ``arrays.npz`` is cut in half."""
    import shutil

    import cleanlib

    model = tmp_path / "damaged-model"
    shutil.copytree(Path(cleanlib.__file__).parent / "models" / "default", model)
    arrays = model / "arrays.npz"
    arrays.write_bytes(arrays.read_bytes()[: arrays.stat().st_size // 2])
    return model


@pytest.mark.parametrize("case", ["damaged", "missing"])
def test_cli_jobs_2_with_a_bad_model_names_the_cause(tmp_path, case):
    """--jobs 2 with a model that does not load: the model's own error, one line, exit 1, no traceback."""
    src = write_lines(tmp_path / "in.jsonl", [json.dumps(doc(i)) for i in range(20)])
    model = damaged_model(tmp_path) if case == "damaged" else tmp_path / "no-such-model"
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    r = subprocess.run([sys.executable, "-m", "cleanlib.cli", "batch", "--input", str(src), "--output",
                        str(tmp_path / "out.jsonl"), "--jobs", "2", "--model", str(model)],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert r.stderr.startswith("cleanlib: error:") and r.stderr.count("\n") == 1, r.stderr
    assert "Traceback" not in r.stderr and "worker process died" not in r.stderr
    cause = "arrays.npz: checksum does not match" if case == "damaged" else f"{model}: not a model directory"
    assert cause in r.stderr
    assert not (tmp_path / "out.jsonl").exists()


class FailsInWorkers:
    """A cleaner factory that works in the process that made it and fails in any other (a worker)."""

    def __init__(self):
        self.pid = os.getpid()

    def __call__(self):
        if os.getpid() != self.pid:
            raise OSError("model directory not readable on this worker")
        return FakeCleaner()


def test_a_worker_that_cannot_build_its_cleaner_reports_why(tmp_path):
    src = write_lines(tmp_path / "in.jsonl", [json.dumps(doc(i)) for i in range(50)])
    with pytest.raises(BatchError, match="a worker process could not load the model: model directory not "
                                         "readable on this worker"):
        run_batch(src, tmp_path / "out.jsonl", cleaner_factory=FailsInWorkers(), chunk_size=5, jobs=2)
    assert not (tmp_path / "out.jsonl").exists()


# Test aid for the kill -9 test: a ``sitecustomize`` that holds the second spawned worker back, before it
# imports anything, until its parent is gone: a worker still starting up (importing, on a loaded machine or
# from a cold disk) when the main process is killed, the case that left orphans in a fresh virtualenv.
SLOW_START = '''
import os, time
if os.environ.get("CLEANLIB_TEST_SLOW_WORKER"):
    try:
        cmd = open("/proc/self/cmdline", "rb").read()
    except OSError:
        cmd = b""
    if b"spawn_main" in cmd:
        try:
            os.close(os.open(os.path.join(os.environ["CLEANLIB_TEST_SLOW_WORKER"], "first"),
                             os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            parent, deadline = os.getppid(), time.monotonic() + 60
            while os.getppid() == parent and time.monotonic() < deadline:
                time.sleep(0.05)
'''


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("slow_worker", [False, True], ids=["workers-running", "worker-still-starting"])
def test_kill_9_with_jobs_2_leaves_no_workers_behind(tmp_path, slow_worker):
    """SIGKILL of the main process: its worker processes end too instead of living on as orphans, and so
    does multiprocessing's resource tracker, which lives as long as a worker holds its pipe."""
    src = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": i, "text": f"News item {i} said the bridge would "
                                                          "open.\n\nShare this article"}) for i in range(5000)])
    dst = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    if slow_worker:
        site = tmp_path / "site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(SLOW_START)
        env["PYTHONPATH"] = str(site) + os.pathsep + env["PYTHONPATH"]
        env["CLEANLIB_TEST_SLOW_WORKER"] = str(site)
    proc = subprocess.Popen([sys.executable, "-m", "cleanlib.cli", "batch", "--input", str(src), "--output",
                             str(dst), "--jobs", "2", "--chunk-size", "20"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kids: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if partial_path(dst).exists() and partial_path(dst).read_bytes().count(b"\n") >= 100:
                break
            time.sleep(0.05)
        for task in Path(f"/proc/{proc.pid}/task").iterdir():
            kids.update(int(k) for k in (task / "children").read_text().split())
        assert proc.poll() is None and len(kids) >= 2
    finally:
        proc.kill()
        proc.wait()

    def running(pid: int) -> bool:  # an exited child that nobody reaped yet (a zombie) counts as gone
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return False

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(running(k) for k in kids):
        time.sleep(0.1)
    alive = {k: Path(f"/proc/{k}/cmdline").read_bytes()[:150] for k in kids if running(k)}
    for k in alive:  # clean up before failing
        os.kill(k, signal.SIGKILL)
    assert not alive
