"""The progress bar of a batch job, on stderr: tqdm when it is installed, else a plain counter."""
from __future__ import annotations

import sys
import time
from typing import Any

from .records import BatchSummary

__all__ = ["Progress"]


class Progress:
    """A bar on stderr (tqdm when installed, else a plain counter), over the input's bytes."""

    def __init__(self, enabled: bool, total: int, initial: int):
        self._bar: Any = None
        self._last = 0.0
        self._total = total
        self.enabled = enabled
        if not enabled:
            return
        try:
            from tqdm import tqdm
        except ImportError:
            return
        self._bar = tqdm(total=total or None, initial=initial, unit="B", unit_scale=True, unit_divisor=1024,
                         desc="cleanlib batch", file=sys.stderr, dynamic_ncols=True)

    def update(self, position: int, s: BatchSummary) -> None:
        """Show ``position`` bytes of the input read and the counts so far (the counter: at most twice a second)."""
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(max(0, position - self._bar.n))
            self._bar.set_postfix(records=s.read, errors=s.errors, refresh=False)
            return
        now = time.monotonic()
        if now - self._last >= 0.5:
            self._last = now
            pct = f" ({100 * position / self._total:.0f}%)" if self._total else ""
            print(f"\rcleanlib batch: {s.read} records, {s.errors} errors{pct}", end="", file=sys.stderr,
                  flush=True)

    def close(self) -> None:
        """End the bar (or the counter's line)."""
        if self._bar is not None:
            self._bar.close()
        elif self.enabled and self._last:
            print(file=sys.stderr, flush=True)
