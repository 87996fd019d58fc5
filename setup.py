"""Only the optional C extension lives here; everything else is in pyproject.toml.

``optional=True``: where no C compiler is found the build skips the extension, and cleanlib runs the
same computations in numpy (see cleanlib/core/native.py).
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("cleanlib.core._speedups", ["cleanlib/core/_speedups.c"], optional=True)])
