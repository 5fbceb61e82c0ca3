"""The progress file (`python -m training ... --progress-file F`): what a run appends, what a watcher (the
app's Train tab) reads. One JSON object per line, append-only; a half-written last line is ignored.

    {"event": "phase", "phase": "features", "done": n, "total": n, "time": t}
        work before the Trainer starts, counted in examples (the frozen layers' outputs, most of a `head` run)
    {"event": "begin" | "step" | "log" | "end", "time": t, "step": n, "max_steps": n, "epoch": e, ...}
        the Trainer's events: "begin" also has num_train_epochs; a "log" line carries the epoch's training
        "loss" or its evaluation ("eval_accuracy", "eval_loss"); "step" lines come at most once a second
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EVENT = "event"
PHASE, BEGIN, STEP, LOG, END = "phase", "begin", "step", "log", "end"
STEP_INTERVAL_S = 1.0


def phase_line(phase: str, done: int, total: int, time: float) -> dict[str, Any]:
    return {EVENT: PHASE, "phase": phase, "done": done, "total": total, "time": round(time, 3)}


def trainer_line(event: str, time: float, step: int, max_steps: int, epoch: float | None, /,
                 **values: Any) -> dict[str, Any]:
    """A Trainer event's line; `values` (the Trainer's logs: loss, eval_accuracy, its own epoch...) go last."""
    return {EVENT: event, "time": round(time, 3), "step": step, "max_steps": max_steps, "epoch": epoch, **values}


def append_line(path: str | Path, line: dict[str, Any]) -> None:
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, default=float) + "\n")


def read_events(path: str | Path) -> list[dict[str, Any]]:
    """The lines written so far (a half-written last line is ignored; no file: none)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    events = []
    for line in lines:
        try:
            events.append(json.loads(line))
        except ValueError:
            continue
    return events
