"""`--progress-file`: the lines of contract/progress.py written as a run goes, for whoever watches it
(the app's Train tab): a `Phase` before the Trainer, a TrainerCallback during it."""

from __future__ import annotations

import time
from typing import Any

from contract.progress import BEGIN, END, LOG, STEP, STEP_INTERVAL_S, append_line, phase_line, trainer_line


class Phase:
    """Work done before the Trainer starts, counted in examples: a "phase" line at the start and per step."""

    def __init__(self, path: str | None, name: str, total: int):
        self.path, self.name, self.total, self.done = path, name, total, 0
        self.write()

    def advance(self, count: int) -> None:
        if self.done < self.total:  # once complete, later lookups (evaluation's, from the cache) say nothing
            self.done = min(self.total, self.done + count)
            self.write()

    def write(self) -> None:
        if self.path:
            append_line(self.path, phase_line(self.name, self.done, self.total, time.time()))


def progress_callbacks(path: str | None) -> list:
    """[a TrainerCallback writing to `path`], or [] when no progress file was asked for."""
    if not path:
        return []
    from transformers import TrainerCallback

    class ProgressFile(TrainerCallback):
        def __init__(self):
            self.last_step_line = 0.0

        def write(self, event: str, state: Any, **values: Any) -> None:
            append_line(path, trainer_line(event, time.time(), state.global_step, state.max_steps, state.epoch,
                                           **values))

        def on_train_begin(self, args, state, control, **kwargs):
            self.write(BEGIN, state, num_train_epochs=args.num_train_epochs)

        def on_step_end(self, args, state, control, **kwargs):
            if time.time() - self.last_step_line >= STEP_INTERVAL_S:
                self.last_step_line = time.time()
                self.write(STEP, state)

        def on_log(self, args, state, control, logs=None, **kwargs):
            self.write(LOG, state, **(logs or {}))

        def on_train_end(self, args, state, control, **kwargs):
            self.write(END, state)

    return [ProgressFile()]
