"""A lane of costly requests (explanations) that run one at a time, and refuse at once what would wait
too long, with an estimate of the wait (issue 28, item 8).

Gradio's queue cannot say how long a request will wait, and with 40 visitors an explanation waited
5 minutes in it. The event's concurrency_limit lets a few requests in; this lane runs them one after the
other and answers "busy, try again in about N s" (N: the wait for the ones ahead) when the answer, waiting included,
would take longer than config.max_wait_s().
The estimate is the running mean of the lane's own past durations. Free of Gradio.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Iterator

from studio import config
from studio.errors import StudioError

# An event whose handler runs in a lane lets this many requests in (its concurrency_limit): they wait in
# the lane, where the expected wait is known, instead of in Gradio's queue, where it is not.
ADMITTED = 8


class LaneBusy(StudioError):
    """Too many requests ahead: key "budget.busy" with `seconds`, the estimated wait."""


class Lane:
    def __init__(self, first_guess_s: float):
        self.mean_s = first_guess_s  # running mean of one request's time in the lane
        self.ahead = 0  # running + waiting
        self.counter = threading.Lock()
        self.running = threading.Lock()

    def expected_wait(self) -> float:
        return self.ahead * self.mean_s

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this request's turn, or raise LaneBusy at once when the wait would pass the budget."""
        with self.counter:
            wait = self.expected_wait()
            if self.ahead and wait + self.mean_s > config.max_wait_s():  # the answer's time, waiting included
                raise LaneBusy("budget.busy", seconds=math.ceil(wait))
            self.ahead += 1
        try:
            with self.running:
                started = time.monotonic()
                yield
                took = time.monotonic() - started
                with self.counter:
                    self.mean_s = 0.8 * self.mean_s + 0.2 * took
        finally:
            with self.counter:
                self.ahead -= 1
