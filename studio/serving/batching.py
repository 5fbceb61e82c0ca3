"""Requests that arrive while the model is busy share its next forward pass; a shared tokenizer is used
by one request at a time.

Gradio's own `batch=True` fails every request of a batch when one input is bad; here each request
decodes and validates its own input in its own thread (a bad upload is that user's error only) and
hands the model-ready input to `MicroBatcher.submit`. One worker thread per model runs the forward
passes: no timer (a request alone waits for nothing; those arriving during a pass go together into the
next one), and the big temporary tensors of a pass always come from the same thread's memory arena, so
the server's memory stays at one pass's peak instead of one per request thread (measured: +435 MB at
16 clients when whichever request thread came first ran the pass).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

MAX_BATCH = 8  # inputs per forward pass by default: beyond this a 2-core CPU gains little and memory grows
IDLE_EXIT_S = 30.0  # an idle worker thread ends (and lets its model be freed); the next request starts one

RunBatch = Callable[[Any, list[Any]], list[Any]]


class MicroBatcher:
    """`submit(item)` -> `run_batch(owner, [...items])[i]` for this item, computed by the worker thread
    together with whatever else was submitted meanwhile (at most `max_batch` per pass). A failing pass
    fails its own requests only. `owner` (the loaded model) is held weakly."""

    def __init__(self, owner: Any, run_batch: RunBatch, max_batch: int = MAX_BATCH, idle_exit_s: float = IDLE_EXIT_S):
        self.owner = weakref.ref(owner)
        self.run_batch = run_batch
        self.max_batch = max_batch
        self.idle_exit_s = idle_exit_s
        self._pending: list[tuple[Any, Future]] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._worker: threading.Thread | None = None
        self.batch_sizes: list[int] = []  # of the last 1000 passes (tests and benchmarks read it)

    def submit(self, item: Any) -> Any:
        return self.submit_all([item])[0]

    def submit_all(self, items: list[Any]) -> list[Any]:
        """Several inputs of one request (e.g. an image and its test-time views), queued together so they
        can share a pass instead of waiting for each other's."""
        futures = [Future() for _ in items]
        with self._lock:
            self._pending.extend(zip(items, futures, strict=True))
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="forward-passes", daemon=True)
                self._worker.start()
            self._arrived.notify()
        return [future.result() for future in futures]

    def _next_batch(self) -> list[tuple[Any, Future]]:
        """Wait for work; [] (and the worker is gone) after `idle_exit_s` without any."""
        with self._lock:
            if not self._pending:
                self._arrived.wait(self.idle_exit_s)
            if not self._pending:
                self._worker = None
                return []
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            self.batch_sizes = [*self.batch_sizes[-999:], len(batch)]
            return batch

    def _work(self) -> None:
        while batch := self._next_batch():
            self._run(batch)

    def _run(self, batch: list[tuple[Any, Future]]) -> None:
        try:
            owner = self.owner()
            if owner is None:
                raise RuntimeError("the model was unloaded")
            results = self.run_batch(owner, [item for item, _future in batch])
            del owner
            for (_item, future), result in zip(batch, results, strict=True):
                future.set_result(result)
        except BaseException as error:  # every request of the pass gets it, none hangs
            for _item, future in batch:
                if not future.done():
                    future.set_exception(error)


BATCHERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
BATCHERS_GUARD = threading.Lock()


def batcher_for(owner: Any, run_batch: RunBatch, max_batch: int = MAX_BATCH) -> MicroBatcher:
    """One MicroBatcher per loaded model (`owner`), gone when the model leaves the cache."""
    with BATCHERS_GUARD:
        if owner not in BATCHERS:
            BATCHERS[owner] = MicroBatcher(owner, run_batch, max_batch)
        return BATCHERS[owner]


# A fast tokenizer keeps its truncation and padding settings on its shared Rust backend and changes them
# on every call, so concurrent events calling the same tokenizer change each other's: one lock each.
TOKENIZER_LOCKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
TOKENIZER_LOCKS_GUARD = threading.Lock()


def tokenizer_lock(tokenizer) -> threading.Lock:
    """The lock a caller holds while it uses `tokenizer` (shared by every request to one loaded model)."""
    with TOKENIZER_LOCKS_GUARD:
        return TOKENIZER_LOCKS.setdefault(tokenizer, threading.Lock())
