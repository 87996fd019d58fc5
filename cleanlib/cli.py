"""The ``cleanlib`` command: clean, classify, train, evaluate, batch.

Files default to stdin and stdout. Every error prints one line, ``cleanlib: error: ...``, and exits
non-zero: 2 for a usage error, 1 for anything else (a batch counts as failed when every record failed, or
more than ``--max-errors``). A closed output pipe (``cleanlib classify f | head -1``) ends the command
quietly with 141, the status a shell shows for ``cat`` killed by SIGPIPE; Ctrl-C exits with 130.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from . import __version__
from .data import LABELS, DataError, LabeledDoc, no_documents, read_labeled
from .store import ModelError

if TYPE_CHECKING:
    from .api import Cleaner

__all__ = ["main", "EXIT_ERROR", "EXIT_USAGE", "EXIT_PIPE", "EXIT_INTERRUPTED"]

EXIT_ERROR, EXIT_USAGE = 1, 2
EXIT_PIPE = 128 + getattr(signal, "SIGPIPE", 13)       # 141: the output pipe was closed by its reader
EXIT_INTERRUPTED = 128 + getattr(signal, "SIGINT", 2)  # 130: Ctrl-C


def _read_input(path: str | None, errors: str = "strict") -> str:
    if path in (None, "-"):
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        p = Path(path)
        if p.is_dir():
            raise OSError(f"{path}: is a directory, not a file")
        data = p.read_bytes()
        name = path
    try:
        return data.decode("utf-8", errors)
    except UnicodeDecodeError as e:
        raise DataError(f"{name}: not valid UTF-8 (byte {e.start}: {e.reason}); --errors replace reads it with "
                        "U+FFFD for each invalid byte") from None


def _read_docs(path: str) -> list[LabeledDoc]:
    """The documents of a labeled JSONL file; an empty file is an error, named as such."""
    docs = read_labeled(path)
    if not docs:
        raise no_documents(path)
    return docs


def _cleaner_factory(args: argparse.Namespace) -> Callable[[], Cleaner]:
    """A picklable callable that builds the Cleaner the options ask for (``--model``, ``--threshold``,
    ``--no-rescue``, ``--keep``)."""
    import functools

    from .api import Cleaner

    keep = getattr(args, "keep", None) or ("content",)
    html = bool(getattr(args, "html", False) or getattr(args, "html_field", None))
    return functools.partial(Cleaner, args.model, html=html, threshold=getattr(args, "threshold", None), keep=keep,
                             rescue=not getattr(args, "no_rescue", False),
                             drop_comment_sections=not getattr(args, "keep_comment_sections", False))


def _cleaner(args: argparse.Namespace) -> Cleaner:
    return _cleaner_factory(args)()


def _read_page(path: str | None) -> bytes:
    """An HTML page's bytes (its charset is read from the page itself)."""
    if path in (None, "-"):
        return sys.stdin.buffer.read()
    if Path(path).is_dir():
        raise OSError(f"{path}: is a directory, not a file")
    return Path(path).read_bytes()


def _input(args: argparse.Namespace) -> str | bytes:
    return _read_page(args.input) if args.html else _read_input(args.input, args.errors)


def _cmd_clean(args: argparse.Namespace) -> int:
    out = _cleaner(args).clean(_input(args))
    sys.stdout.write(out + ("\n" if out else ""))
    return 0


def _cmd_classify(args: argparse.Namespace) -> int:
    for p in _cleaner(args).classify(_input(args)):
        sys.stdout.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from .api import check_trainable, train
    from .evaluation import evaluate_docs, evaluation_summary, holdout_split, write_evaluation
    from .store import read_manifest

    docs = _read_docs(args.data)
    fit, held = holdout_split(docs, args.holdout, args.seed)
    if held:
        try:
            check_trainable(fit)
        except ValueError as e:
            raise ValueError(f"{e} (after holding out {len(held)} of {len(docs)} documents for evaluation; "
                             "--holdout 0 trains on all of them)") from None
    model = train(fit, out=args.out, random_state=args.seed)
    threshold = float(read_manifest(args.out)["threshold"])  # the threshold saved with the model
    heldout = {"held-out": evaluate_docs(model, held, threshold, worst=0)} if held else {}
    split = {"holdout": args.holdout, "seed": args.seed, "by": "document group (or id)"}
    js, _ = write_evaluation(args.out, evaluation_summary(fit, heldout, threshold=threshold, split=split,
                                                          trained_on=f"{len(fit)} of {len(docs)} documents"))
    print(f"model written to {args.out}", file=sys.stderr)
    if held:
        r = heldout["held-out"]
        print(f"held out {len(held)} of {len(docs)} documents: word F1 {r['word']['f1']:.4f}, shingle F1 "
              f"{r['shingle']['f1']:.4f}, macro paragraph F1 {r['paragraph']['macro_f1']:.4f}; "
              f"summary in {js} and evaluation.md", file=sys.stderr)
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluation import compare_models, evaluate_model, format_comparison, format_summary

    from .store import DEFAULT_HTML_MODEL_DIR

    if args.html and not args.corpus:
        raise ValueError("--html scores an HTML model on a corpus's pages: give --corpus NAME DIR")
    shipped = str(DEFAULT_HTML_MODEL_DIR) if args.html else None
    models = [shipped if m == "default" else m for m in (args.model or [shipped])]
    if args.worst < 0:
        raise ValueError(f"--worst must be 0 or more, got {args.worst}")
    if len(models) > 2:
        raise ValueError(f"evaluate compares at most two models (--model A --model B); got {len(models)}")
    if args.report:  # fail before the slow part, not after it
        from .evaluation.report import require_matplotlib

        require_matplotlib()
    if args.corpus:
        name, root = args.corpus
        data = _corpus_docs(name, root, args)
        source = {"corpus": name, "dir": str(root), "renderer": "dom (HTML model)" if args.html else args.renderer,
                  "split": args.split if name == "wcxb" else "all", "all_types": bool(args.all_types),
                  "limit": args.limit}
        pages = "pages" if args.all_types else "article pages"
        split = f", {'held-out' if args.split == 'heldout' else 'all'} {pages}" if name == "wcxb" else ""
        how = "DOM blocks (HTML model)" if args.html else f"{args.renderer} rendering"
        print(f"{name} {root}: {how}{split}" + (f", first {args.limit} pages" if args.limit else ""))
    else:
        data, source = _read_docs(args.data), {"data": args.data}
    if len(models) == 1:
        result = evaluate_model(data, model=models[0], threshold=args.threshold, worst=args.worst)
        print(format_summary(result))
    else:
        result = compare_models(data, models[0], models[1], threshold=args.threshold, worst=args.worst)
        for key in ("a", "b"):
            print(f"== {key.upper()}: {result[key]['model']} ==")
            print(format_summary(result[key]) + "\n")
        print("== A against B ==")
        print(format_comparison(result))
    result["source"] = source
    if args.json:
        from .evaluation import to_json

        Path(args.json).write_text(to_json(result), encoding="utf-8")
    if args.report:
        from .evaluation.report import write_report

        write_report(args.report, result)
        print(f"report written to {args.report}", file=sys.stderr)
    return 0


def _corpus_docs(name: str, root: str, args: argparse.Namespace) -> list[LabeledDoc]:
    """The labeled documents of a corpus directory, with the split, page-type and limit options: each page in
    the chosen rendering, or with --html its DOM blocks (for the HTML model)."""
    from .corpora import CORPORA, TRAINING_CORPORA, html_docs, is_heldout, page_docs

    if not Path(root).is_dir():
        raise OSError(f"{root}: not a directory")
    pages = CORPORA[name][0](root)
    if name in TRAINING_CORPORA and args.split == "heldout":
        pages = [p for p in pages if is_heldout(p.group)]
    if name == "wcxb" and not args.all_types:
        pages = [p for p in pages if p.extra.get("page_type") == "article"]
    pages = pages[:args.limit] if args.limit else pages
    if args.html:
        docs = html_docs(pages)
    else:
        docs = [d for p in pages for d in page_docs(p.id, p.html, p.gold, p.extra, args.renderer, p.group)]
    if not docs:
        raise ValueError(f"{root}: no {name} pages to evaluate with these options")
    return docs


class _CorpusAction(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        if values[0] not in CORPORA:
            parser.error(f"argument --corpus: invalid corpus {values[0]!r} (choose from {', '.join(CORPORA)})")
        setattr(namespace, self.dest, values)


CORPORA = ("wcxb", "scrapinghub", "fundus", "readability", "dragnet", "cleaneval")


def _cmd_batch(args: argparse.Namespace) -> int:
    from .scale.batch import resolve_jobs, run_batch

    # run_batch checks the output path, then builds one cleaner in this process, so a bad path, model or
    # setting fails here with its own message before any work; with --jobs N each worker process then
    # builds its own from the same factory
    summary = run_batch(args.input, args.output, resume=args.resume,
                        text_field=args.html_field or args.text_field, id_field=args.id_field,
                        chunk_size=args.chunk_size,
                        jobs=resolve_jobs(args.jobs), cleaner_factory=_cleaner_factory(args),
                        max_errors=args.max_errors, encoding_errors=args.errors)
    print(f"cleanlib: batch: {summary.describe()}", file=sys.stderr)
    if args.max_errors is None and summary.read and not summary.ok:
        raise DataError(f"every record failed ({summary.errors} of {summary.read}; the first, "
                        f"{summary.first_error}); the error records are in {args.output}")
    return 0


def _non_negative(value: str) -> int:
    n = int(value)
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {n}")
    return n


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {n}")
    return n


def _jobs(value: str) -> int:
    n = int(value)
    if n < 1 and n != -1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, or -1 for all cores; got {n}")
    return n


def _probability(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number in [0, 1], got {value!r}") from None
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"must be in [0, 1], got {value}")
    return x


def _labels(value: str) -> tuple[str, ...]:
    """``--keep``'s comma-separated labels, checked as ``Cleaner`` checks them (``api._keep_labels``)."""
    from .api import _keep_labels

    try:
        return _keep_labels([k.strip() for k in value.split(",")])
    except ValueError:
        raise argparse.ArgumentTypeError(f"must name labels among {', '.join(LABELS)}; got {value!r}") from None


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="cleanlib", description="Tell an article's core text from boilerplate.",
                                 epilog="Exit status: 0 done, 1 error, 2 usage error, 141 output pipe closed, "
                                        "130 interrupted.")
    ap.add_argument("--version", action="version", version=f"cleanlib {__version__}",
                    help="print the version and exit")
    sub = ap.add_subparsers(dest="command", required=True)

    def errors_opt(p: argparse.ArgumentParser, strict: str = "refuses the input") -> None:
        p.add_argument("--errors", choices=("strict", "replace"), default="strict",
                       help=f"invalid UTF-8: strict {strict} (default), replace reads each invalid byte as U+FFFD, "
                            "as the Python API does")

    def model_opts(p: argparse.ArgumentParser, threshold: bool = True, keep: bool = False) -> None:
        p.add_argument("--model", help="model directory (default: the shipped model)")
        if threshold:
            p.add_argument("--threshold", type=_probability,
                           help="keep a paragraph at this probability (default: the model's own, 0.5 for text, "
                                "0.4 with --html)")
            p.add_argument("--no-rescue", action="store_true",
                           help="keep by the threshold alone: a text where no paragraph reaches it comes out empty "
                                "(default: its best-scoring prose paragraphs are kept, and a short text keeps the "
                                "prose beside what it keeps)")
        if keep:
            p.add_argument("--keep", type=_labels,
                           help="labels to keep, comma-separated (default: content; e.g. content,meta)")

    def html_opt(p: argparse.ArgumentParser) -> None:
        p.add_argument("--html", action="store_true",
                       help="the input is an HTML page (its charset read from the page), read with the HTML model "
                            "from its DOM blocks (needs the 'html' extra)")
        p.add_argument("--keep-comment-sections", action="store_true",
                       help="let the model alone decide the blocks inside comment sections (HTML; default: never "
                            "kept, unless the page keeps next to nothing else, as a forum thread) and the paragraphs "
                            "from a 'Comments' heading on (text; default: not kept after 60 words kept before it)")

    p = sub.add_parser("clean", help="print the article's content paragraphs")
    p.add_argument("input", nargs="?", help="text file, or HTML page with --html (default: stdin)")
    model_opts(p, keep=True)
    html_opt(p)
    errors_opt(p)
    p.set_defaults(func=_cmd_clean)

    p = sub.add_parser("classify", help="print every paragraph as a JSON line with its label, score and whether "
                                        "clean keeps it (with the same --threshold, --keep, --no-rescue)")
    p.add_argument("input", nargs="?", help="text file, or HTML page with --html (default: stdin)")
    model_opts(p, keep=True)
    html_opt(p)
    errors_opt(p)
    p.set_defaults(func=_cmd_classify)

    p = sub.add_parser("train", help="train a model on labeled paragraphs (JSONL)")
    p.add_argument("--data", required=True, help="labeled JSONL file")
    p.add_argument("--out", required=True, help="directory to write the model to")
    p.add_argument("--seed", type=int, default=0,
                   help="random seed of the held-out split and of training (default 0)")
    p.add_argument("--holdout", type=float, default=0.2,
                   help="share of documents (by group) held out, scored and summarized in OUT/evaluation.json and "
                        "evaluation.md; the model is trained on the rest (default 0.2; 0: train on all)")
    p.set_defaults(func=_cmd_train)

    p = sub.add_parser("evaluate", help="score a model on labeled paragraphs (JSONL) or an HTML + gold corpus")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--data", help="labeled JSONL file")
    src.add_argument("--corpus", nargs=2, metavar=("{" + ",".join(CORPORA) + "}", "DIR"), action=_CorpusAction,
                     help="render, label and score a corpus directory laid out as in ../shared/data "
                          "(needs the 'html' extra)")
    p.add_argument("--renderer", choices=("html_text", "resiliparse", "wet"), default="html_text",
                   help="HTML to text rendering for --corpus (default: html_text; wet: resiliparse, one block a line)")
    p.add_argument("--html", action="store_true",
                   help="--corpus: score the HTML model (default: the shipped one) on the pages' DOM blocks")
    p.add_argument("--split", choices=("heldout", "all"), default="heldout",
                   help="wcxb, fundus, readability: the 20%% held out from training (default) or all")
    p.add_argument("--all-types", action="store_true", help="wcxb: every page type, not only articles")
    p.add_argument("--limit", type=int, default=None, metavar="N",
                   help="--corpus: evaluate only the first N pages (a quick look; default: all)")
    p.add_argument("--model", action="append", metavar="DIR",
                   help="model directory (default: the shipped model); give it twice to compare A and B on the "
                        "same data, 'default' naming the shipped model")
    p.add_argument("--threshold", type=_probability,
                   help="keep a paragraph at this probability (default: each model's own)")
    p.add_argument("--worst", type=int, default=5, metavar="N",
                   help="list the N documents with the lowest word F1, every paragraph (default 5; 0: none)")
    p.add_argument("--json", help="also write the full report as JSON here")
    p.add_argument("--report", metavar="HTML", help="also write a self-contained HTML report with plots here "
                                                    "(needs the 'report' extra: pip install 'cleanlib-text[report]')")
    p.set_defaults(func=_cmd_evaluate)

    p = sub.add_parser("batch", help="clean every record of a JSON Lines file (.gz too) into another")
    p.add_argument("--input", required=True, help="JSONL file of records with a text field")
    p.add_argument("--output", required=True, help="JSONL file to write: each record plus a \"clean\" field")
    p.add_argument("--resume", action="store_true", help="continue from <output>.partial left by a stopped run")
    model_opts(p, keep=True)
    p.add_argument("--text-field", default="text", help="field holding the text (default: text)")
    p.add_argument("--html-field", metavar="FIELD",
                   help="clean the HTML page in this field with the HTML model instead of a text field")
    p.add_argument("--keep-comment-sections", action="store_true",
                   help="let the model alone decide the blocks inside comment sections (with --html-field) or "
                        "the paragraphs from a 'Comments' heading on (text)")
    p.add_argument("--id-field", default="id", help="field holding the record id (default: id)")
    p.add_argument("--chunk-size", type=_positive, default=256, metavar="N",
                   help="records cleaned together and flushed to the output at once (default 256)")
    p.add_argument("--jobs", "-j", type=_jobs, default=1,
                   help="worker processes, each loading the model once (default 1; -1: all cores)")
    p.add_argument("--max-errors", type=_non_negative, default=None, metavar="N",
                   help="stop, and exit 1, after the chunk in which more than N records have failed (the output "
                        "so far stays in OUTPUT.partial); default: finish, and exit 1 if every record failed")
    errors_opt(p, strict="makes its line an error record")
    p.set_defaults(func=_cmd_batch)
    return ap


def _output_closed() -> int:
    """A reader closed our output pipe (``| head``): a normal end, as for ``cat``. Python ignores SIGPIPE, so
    the write raised ``BrokenPipeError`` instead of killing the process; point stdout at /dev/null so that
    the flush at interpreter exit cannot raise it again, and exit with the status a SIGPIPE death shows."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout is no file descriptor (replaced in-process)
        pass
    return EXIT_PIPE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0, or ``EXIT_ERROR``, ``EXIT_PIPE``, ``EXIT_INTERRUPTED``;
    argparse exits with ``EXIT_USAGE`` itself)."""
    args = _parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # here, not at interpreter exit, so that a closed pipe is seen below
        return code
    except BrokenPipeError:
        return _output_closed()
    except (DataError, ModelError, OSError, ValueError, TypeError, ImportError) as e:
        msg = str(e) if not isinstance(e, OSError) or not e.filename else f"{e.filename}: {e.strerror}"
        print(f"cleanlib: error: {msg}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("cleanlib: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
