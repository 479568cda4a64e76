"""Pausing Python's cycle collector around work that allocates a great deal.

Assessing a thousand engagements or laying out a hundred-page PDF allocates
a million small objects that live until the work ends; each time the
allocation count crosses a threshold the cycle collector scans them all again
and finds nothing to free (a third of the PDF's render time). Paused, the
garbage is collected as usual once the work is done.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
