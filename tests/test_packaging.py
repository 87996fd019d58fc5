"""The installed distribution: its name (not the unrelated "cleanlib" on PyPI), license, typing marker, metadata."""
from importlib import metadata, resources
from pathlib import Path

import cleanlib

ROOT = Path(__file__).resolve().parent.parent
DIST = "cleanlib-text"


def test_the_distribution_is_cleanlib_text_and_imports_as_cleanlib():
    meta = metadata.metadata(DIST)
    assert meta["Name"] == DIST and meta["Version"] == cleanlib.__version__
    assert DIST in metadata.packages_distributions()["cleanlib"]
    assert {ep.value for ep in metadata.entry_points(group="console_scripts") if ep.name == "cleanlib"} \
        == {"cleanlib.cli:main"}


def test_license_classifiers_and_urls():
    meta = metadata.metadata(DIST)
    assert meta["License-Expression"] == "MIT"
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n\nCopyright (c) 2026 the cleanlib authors\n")
    classifiers = meta.get_all("Classifier")
    assert "Typing :: Typed" in classifiers and "Programming Language :: Python :: 3 :: Only" in classifiers
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert set(urls) == {"Homepage", "Repository", "Issues"} and urls["Issues"].endswith("/issues")


def test_py_typed_ships_with_the_package():
    assert resources.files("cleanlib").joinpath("py.typed").is_file()
