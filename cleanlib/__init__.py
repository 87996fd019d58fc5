"""cleanlib: tell an article's core text from the boilerplate around it, paragraph by paragraph."""
from .api import Cleaner, Paragraph, classify, classify_html, clean, clean_html, train
from .scale.hf import batch_fn
from .data import LABELS, DataError, LabeledDoc, read_labeled, write_labeled
from .core.averaging import AveragedScorer
from .core.scoring import ParagraphScorer
from .core.segment import split_paragraphs
from .store import ModelError, load_model, save_model

__all__ = ["Cleaner", "Paragraph", "classify", "clean", "classify_html", "clean_html", "train", "LABELS", "DataError", "LabeledDoc",
           "read_labeled", "write_labeled", "ParagraphClassifier", "ParagraphScorer", "AveragedScorer", "split_paragraphs", "ModelError",
           "load_model", "save_model", "batch_fn"]
__version__ = "0.1.0"


def __getattr__(name: str):
    """``cleanlib.ParagraphClassifier`` imports scikit-learn (about 2 s) only when it is first used:
    cleaning needs numpy alone."""
    if name == "ParagraphClassifier":
        from .learn.model import ParagraphClassifier
        return ParagraphClassifier
    raise AttributeError(f"module 'cleanlib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | {"ParagraphClassifier"})
