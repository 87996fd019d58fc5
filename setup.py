"""Only the optional C extensions live here; everything else is in pyproject.toml.

``optional=True``: where no C compiler is found the build skips an extension, and cleanlib runs the
same computations in numpy or Python (see cleanlib/core/native.py and cleanlib/html/native_walk.py).
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("cleanlib.core._speedups", ["cleanlib/core/_speedups.c"], optional=True),
                   Extension("cleanlib.html._walk", ["cleanlib/html/_walk.c"], optional=True)])
