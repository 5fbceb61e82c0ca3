"""`--progress-file`: one JSON line per Trainer event, for whoever watches a run (the app's Train tab).

Optional and append-only: `{"event": "begin" | "step" | "log" | "end", "time": ..., "step": ...,
"max_steps": ..., "epoch": ..., **the Trainer's logs}`. Step lines are written at most once a second;
a "log" line carries the epoch's training loss or its evaluation metrics (eval_accuracy, eval_loss).
Before the Trainer starts, `{"event": "phase", "phase": "features", "done": ..., "total": ..., "time": ...}`
lines say how far the work before it is (the frozen layers' outputs, most of a `head` run).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

STEP_INTERVAL_S = 1.0


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
            line = {"event": "phase", "phase": self.name, "done": self.done, "total": self.total,
                    "time": round(time.time(), 3)}
            with Path(self.path).open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(line) + "\n")


def progress_callbacks(path: str | None) -> list:
    """[a TrainerCallback writing to `path`], or [] when no progress file was asked for."""
    if not path:
        return []
    from transformers import TrainerCallback

    class ProgressFile(TrainerCallback):
        def __init__(self):
            self.last_step_line = 0.0

        def write(self, event: str, state: Any, **values: Any) -> None:
            line = {"event": event, "time": round(time.time(), 3), "step": state.global_step,
                    "max_steps": state.max_steps, "epoch": state.epoch, **values}
            with Path(path).open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(line, default=float) + "\n")

        def on_train_begin(self, args, state, control, **kwargs):
            self.write("begin", state, num_train_epochs=args.num_train_epochs)

        def on_step_end(self, args, state, control, **kwargs):
            if time.time() - self.last_step_line >= STEP_INTERVAL_S:
                self.last_step_line = time.time()
                self.write("step", state)

        def on_log(self, args, state, control, logs=None, **kwargs):
            self.write("log", state, **(logs or {}))

        def on_train_end(self, args, state, control, **kwargs):
            self.write("end", state)

    return [ProgressFile()]
