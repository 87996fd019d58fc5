import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared" / "data"


def training_script(name: str):
    """``training/<name>.py`` as a module (registered in ``sys.modules``: a dataclass looks its module up there;
    the training folder goes on the path for the scripts' imports of each other)."""
    import importlib.util
    import sys

    if str(ROOT / "training") not in sys.path:
        sys.path.insert(0, str(ROOT / "training"))
    spec = importlib.util.spec_from_file_location(f"training_{name}", ROOT / "training" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def seed_records():
    return [json.loads(line) for f in sorted(SEEDS.glob("*.jsonl")) for line in f.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (SEEDS / "000_093bc6fb16e34310.txt").read_text(encoding="utf-8")


def synthetic_docs(n_docs: int = 24, seed: int = 0):
    """Small made-up articles: a title, a byline, body paragraphs, then menus, a cue line and a teaser."""
    import random

    from cleanlib.data import LabeledDoc

    rng = random.Random(seed)
    words = ("the river city council said on monday that new plans for the bridge would be shown to residents "
             "after months of debate about costs and the schedule of works which many people had asked for").split()
    docs = []
    for i in range(n_docs):
        body = [" ".join(rng.choice(words) for _ in range(rng.randint(25, 60))).capitalize() + "."
                for _ in range(rng.randint(3, 7))]
        texts = ["Home", "News", "Sport", f"Council plans bridge number {i}", f"By Reporter {i}"] + body + \
                ["Share this article", "Watch Next:", "Celebrity chef opens a new restaurant downtown tonight.",
                 "© 2024 Example News. All rights reserved."]
        labels = ["boilerplate"] * 3 + ["meta", "meta"] + ["content"] * len(body) + ["boilerplate"] * 4
        docs.append(LabeledDoc(f"doc-{i}", texts, labels))
    return docs
