"""Memory that comes back after a heavy request (issue 28, item 1).

Measured on the real server (docs/RESULTS.md, request budgets): 12 explanations from 12 distinct sessions
left +500 MB of RSS per round, for good, while 12 from one session left +17 MB. Nothing was kept per
session: Gradio runs each session's request on whichever worker thread is free, glibc gives each new
thread its own malloc arena (up to 8 per core), and an arena keeps the pages of a freed Integrated
Gradients batch (hundreds of MB of activations) for its next allocation. With two arenas RSS stopped
growing after the first round; `malloc_trim` after a heavy request hands the freed pages back.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading

M_ARENA_MAX = -8  # glibc's mallopt parameter number
ARENAS = 2
_LOCK = threading.Lock()


def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


LIBC = _libc()  # None off glibc (macOS, musl): both calls below are then no-ops


def limit_arenas() -> None:
    """At start, before the web server's threads exist: at most ARENAS malloc arenas (MALLOC_ARENA_MAX wins)."""
    if LIBC is not None and not os.environ.get("MALLOC_ARENA_MAX"):
        LIBC.mallopt(M_ARENA_MAX, ARENAS)


def give_back() -> None:
    """After a heavy request: return the heap's free pages to the system (one trim at a time)."""
    if LIBC is not None and _LOCK.acquire(blocking=False):
        try:
            LIBC.malloc_trim(0)
        finally:
            _LOCK.release()
