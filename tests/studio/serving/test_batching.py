"""studio.serving.service.MicroBatcher with real threads: concurrent requests share forward passes, each gets its own answer."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from studio.serving.service import MicroBatcher


class Model:
    """Stands for a loaded model: the batcher holds it weakly and passes it to every pass."""


MODEL = Model()


def slow_squares(model: Model, batch: list[int]) -> list[int]:
    time.sleep(0.02)  # a forward pass: long enough for other requests to arrive meanwhile
    return [x * x for x in batch]


def test_one_request_alone_runs_alone():
    batcher = MicroBatcher(MODEL, slow_squares)
    assert batcher.submit(7) == 49
    assert batcher.batch_sizes == [1]  # how long it waited: bench/refusals.py


def test_concurrent_requests_share_batches_and_get_their_own_results():
    batcher = MicroBatcher(MODEL, slow_squares, max_batch=8)
    with ThreadPoolExecutor(24) as pool:
        results = list(pool.map(batcher.submit, range(200)))
    assert results == [x * x for x in range(200)]
    assert sum(batcher.batch_sizes) == 200 and max(batcher.batch_sizes) <= 8
    assert len(batcher.batch_sizes) < 100, "requests arriving during a forward pass must share the next one"


def test_a_failing_batch_fails_its_requests_only():
    def fragile(model: Model, batch: list[int]) -> list[int]:
        if 13 in batch:
            raise ValueError("unlucky")
        return slow_squares(model, batch)

    batcher = MicroBatcher(MODEL, fragile, max_batch=1)
    with ThreadPoolExecutor(8) as pool:
        futures = {x: pool.submit(batcher.submit, x) for x in range(20)}
    with pytest.raises(ValueError, match="unlucky"):
        futures[13].result()
    assert all(futures[x].result() == x * x for x in futures if x != 13)


def test_no_request_hangs_when_threads_come_and_go():
    batcher = MicroBatcher(MODEL, slow_squares, max_batch=3)
    results: dict[int, int] = {}

    def client(offset: int) -> None:
        for x in range(offset, offset + 15):
            results[x] = batcher.submit(x)

    threads = [threading.Thread(target=client, args=(100 * i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert results == {x: x * x for i in range(6) for x in range(100 * i, 100 * i + 15)}


def test_forward_passes_run_in_one_thread_that_ends_when_idle():
    """One thread runs every pass (its memory arena holds one pass's peak, not one per request thread)."""
    threads = set()

    def record(model: Model, batch: list[int]) -> list[int]:
        threads.add(threading.get_ident())
        return [x + 1 for x in batch]

    batcher = MicroBatcher(MODEL, record, idle_exit_s=0.2)
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(batcher.submit, range(50))) == list(range(1, 51))
    assert len(threads) == 1 and threading.get_ident() not in threads
    time.sleep(0.6)
    assert batcher._worker is None
    assert batcher.submit(1) == 2  # a new worker starts on demand


def test_an_unloaded_model_is_freed_and_its_batcher_with_it():
    import gc
    import weakref

    from studio.serving.service import LoadedModel

    loaded = LoadedModel(model=Model())
    loaded.batcher = MicroBatcher(loaded, lambda m, batch: batch, idle_exit_s=0.2)  # as the service's loader does
    assert loaded.batcher.submit(5) == 5
    gone, batcher_gone = weakref.ref(loaded), weakref.ref(loaded.batcher)
    del loaded  # the LRU cache dropped it while its batcher's worker thread still waits for work
    gc.collect()
    assert gone() is None  # the model's memory is free at once
    time.sleep(0.6)  # the idle worker ends
    gc.collect()
    assert batcher_gone() is None
