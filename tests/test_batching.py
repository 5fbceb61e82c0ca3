"""studio.batching with real threads: concurrent requests share forward passes, each gets its own answer."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from studio.batching import MicroBatcher


def slow_squares(batch: list[int]) -> list[int]:
    time.sleep(0.02)  # a forward pass: long enough for other requests to arrive meanwhile
    return [x * x for x in batch]


def test_one_request_alone_runs_at_once():
    batcher = MicroBatcher(slow_squares)
    started = time.perf_counter()
    assert batcher.submit(7) == 49
    assert time.perf_counter() - started < 0.5 and batcher.batch_sizes == [1]


def test_concurrent_requests_share_batches_and_get_their_own_results():
    batcher = MicroBatcher(slow_squares, max_batch=8)
    with ThreadPoolExecutor(24) as pool:
        results = list(pool.map(batcher.submit, range(200)))
    assert results == [x * x for x in range(200)]
    assert sum(batcher.batch_sizes) == 200 and max(batcher.batch_sizes) <= 8
    assert len(batcher.batch_sizes) < 100, "requests arriving during a forward pass must share the next one"


def test_a_failing_batch_fails_its_requests_only():
    def fragile(batch: list[int]) -> list[int]:
        if 13 in batch:
            raise ValueError("unlucky")
        return slow_squares(batch)

    batcher = MicroBatcher(fragile, max_batch=1)
    with ThreadPoolExecutor(8) as pool:
        futures = {x: pool.submit(batcher.submit, x) for x in range(20)}
    with pytest.raises(ValueError, match="unlucky"):
        futures[13].result()
    assert all(futures[x].result() == x * x for x in futures if x != 13)


def test_no_request_hangs_when_threads_come_and_go():
    batcher = MicroBatcher(slow_squares, max_batch=3)
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
