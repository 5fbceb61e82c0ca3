"""Requests that arrive while the model is busy share its next forward pass.

Gradio's own `batch=True` fails every request of a batch when one input is bad; here each request
decodes and validates its own input in its own thread (a bad upload is that user's error only) and
hands the model-ready tensor to `MicroBatcher.submit`. No timer: a waiting thread that finds the model
idle runs at once what is pending (one request alone waits for nothing); requests that arrive during a
forward pass go together into the next one.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

MAX_BATCH = 16  # images per forward pass: beyond this a 2-core CPU gains nothing and latency grows


class MicroBatcher:
    """`submit(item)` -> `run_batch([...items])[i]` for this item, computed together with whatever other
    items were submitted meanwhile (at most `max_batch` per call). A failing batch fails its items only."""

    def __init__(self, run_batch: Callable[[list[Any]], list[Any]], max_batch: int = MAX_BATCH):
        self.run_batch = run_batch
        self.max_batch = max_batch
        self._pending: list[tuple[Any, Future]] = []
        self._lock = threading.Lock()
        self._running = False
        self._idle = threading.Condition(self._lock)
        self.batch_sizes: list[int] = []  # of the last 1000 batches run (tests and benchmarks read it)

    def submit(self, item: Any) -> Any:
        future: Future = Future()
        with self._lock:
            self._pending.append((item, future))
        while not future.done():
            batch = self._take()
            if batch:
                self._run(batch)
                continue
            with self._lock:  # our item is in the batch another thread runs: wait for that one
                while self._running and not future.done():
                    self._idle.wait()
        return future.result()

    def _take(self) -> list[tuple[Any, Future]]:
        """The next batch to run, or [] when one is running or nothing is pending."""
        with self._lock:
            if self._running or not self._pending:
                return []
            self._running = True
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            return batch

    def _run(self, batch: list[tuple[Any, Future]]) -> None:
        try:
            results = self.run_batch([item for item, _future in batch])
            for (_item, future), result in zip(batch, results, strict=True):
                future.set_result(result)
        except BaseException as error:  # every request of the batch gets it, none hangs
            for _item, future in batch:
                if not future.done():
                    future.set_exception(error)
        finally:
            with self._lock:
                self._running = False
                self.batch_sizes = [*self.batch_sizes[-999:], len(batch)]
                self._idle.notify_all()


BATCHERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
BATCHERS_GUARD = threading.Lock()


def batcher_for(owner: Any, run_batch: Callable[[list[Any]], list[Any]]) -> MicroBatcher:
    """One MicroBatcher per loaded model (`owner`), gone when the model leaves the cache."""
    with BATCHERS_GUARD:
        if owner not in BATCHERS:
            BATCHERS[owner] = MicroBatcher(run_batch)
        return BATCHERS[owner]
