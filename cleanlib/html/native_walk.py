"""The compiled DOM walk (``cleanlib/html/_walk.c``), with ``dom._walk`` in Python as the fallback.

``pip install`` compiles the extension where a C compiler is found. It reads selectolax's lexbor tree
through lexbor's exported functions (found with ctypes in selectolax's own module), and is used only
when a check on a real text node at first use finds lexbor's layout as the C code expects it; else,
or with ``CLEANLIB_PURE_NUMPY=1`` (as for cleanlib's other speedups), the Python walk runs. Both give
the same blocks (tests/test_dom_walk.py compares them). ``walk_columns`` returns ``None`` whenever the
caller should run the Python walk.
"""
from __future__ import annotations

import ctypes
import os
from typing import Any

import numpy as np

try:
    from . import _walk  # type: ignore[attr-defined]
except ImportError:  # not compiled
    _walk = None

__all__ = ["enabled", "walk_columns"]

_FUNCTIONS = ("lxb_dom_node_first_child_noi", "lxb_dom_node_next_noi", "lxb_dom_node_tag_id_noi",
              "lxb_dom_element_first_attribute_noi", "lxb_dom_element_next_attribute_noi",
              "lxb_dom_attr_qualified_name", "lxb_dom_attr_value_noi")
_CHECK_TEXT = "layout check: text node \u00e9\u00e8 37"
_STATE: dict[str, Any] = {}


def _init(parser_class: Any) -> bool:
    """Hand lexbor's function addresses to the extension and check a text node's layout; whether it runs."""
    if _walk is None or os.environ.get("CLEANLIB_PURE_NUMPY", "") not in ("", "0"):
        return False
    import selectolax.lexbor as lexbor_module

    try:
        lib = ctypes.CDLL(lexbor_module.__file__)
        addresses = tuple(ctypes.cast(getattr(lib, name), ctypes.c_void_p).value or 0 for name in _FUNCTIONS)
    except (OSError, AttributeError):
        return False
    tree = parser_class(f"<p>{_CHECK_TEXT}</p>")
    text = tree.css_first("p").first_child
    _STATE["keep"] = tree  # the checked tree stays alive while its address is in use
    return bool(_walk.init(addresses, text.mem_id, _CHECK_TEXT.encode("utf-8")))


def enabled(parser_class: Any) -> bool:
    """Whether the compiled walk is in use (decided once, at first call)."""
    if "enabled" not in _STATE:
        _STATE["enabled"] = _init(parser_class)
    return bool(_STATE["enabled"])


def _tag_tables(info: dict[int, tuple[int, int, int]], names: dict[int, str], other_code: int
                ) -> tuple[bytes, bytes, bytes, list[str | None]]:
    """(kinds, bits, codes, names) indexed by lexbor tag id; ids outside ``info`` are inline, code "other"
    (index 0, which no tag has, stands for ids past the tables' end)."""
    size = max(info) + 1
    kinds = np.zeros(size, np.uint8)  # dom._INLINE
    bits = np.zeros(size, np.uint64)
    codes = np.full(size, other_code, np.int16)
    for tid, (kind, bit, code) in info.items():
        kinds[tid], bits[tid], codes[tid] = kind, bit, code
    by_id: list[str | None] = [names.get(t) for t in range(size)]
    return kinds.tobytes(), bits.tobytes(), codes.tobytes(), by_id


def walk_columns(root: Any, info: dict[int, tuple[int, int, int]], names: dict[int, str], other_code: int,
                 role_bits: dict[int, int], root_name: str, text_id: int) -> dict[str, Any] | None:
    """The compiled walk's block columns from ``root`` (a selectolax node), or None: run the Python walk."""
    if 0 in info:  # tag id 0 stands for the ids past the tables' end
        return None
    cached = _STATE.get("tables")
    if cached is None or cached[0] is not info:  # the page's table (the one with <noscript> read is rare)
        cached = (info, _tag_tables(info, names, other_code))
        _STATE["tables"] = cached
    kinds, bits, codes, by_id = cached[1]
    return _walk.walk(root.mem_id, kinds, bits, codes, by_id, role_bits, root_name, text_id)
