"""What a running or finished job looks like: progress and ETA, curves per epoch, the last log lines.

Pure functions over the job's files (`progress.jsonl` from the CLI's `--progress-file`, `log.txt`),
no Gradio. Log lines are shown with the server's folders replaced by their names.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract.escaping import paths_hidden
from contract.hub_ids import public_ref
from contract.progress import BEGIN, END, EVENT, LOG, PHASE

LOG_LINES = 12


@dataclass
class Progress:
    """Where a run stands: steps done of all, seconds since its Trainer began, curves per epoch."""

    step: int = 0
    max_steps: int = 0
    start_step: int = 0          # a resumed run begins past 0
    epochs: float = 0.0          # epochs asked for
    training_s: float = 0.0
    loss: list[tuple[float, float]] = field(default_factory=list)        # (epoch, training loss)
    eval_loss: list[tuple[float, float]] = field(default_factory=list)   # (epoch, validation loss)
    accuracy: list[tuple[float, float]] = field(default_factory=list)    # (epoch, validation accuracy)
    phase_done: int = 0          # before the Trainer: examples whose frozen-layer outputs are computed
    phase_total: int = 0
    phase_s: float = 0.0         # seconds since that work began

    @property
    def phase_fraction(self) -> float | None:
        return min(1.0, self.phase_done / self.phase_total) if self.phase_total else None

    @property
    def phase_eta_s(self) -> float | None:
        """Seconds left of the work before the Trainer at its pace so far (None before its first step)."""
        if not self.phase_total or not self.phase_done or not self.phase_s:
            return None
        return max(0.0, self.phase_s / self.phase_done * (self.phase_total - self.phase_done))

    @property
    def fraction(self) -> float:
        return min(1.0, self.step / self.max_steps) if self.max_steps else 0.0

    @property
    def eta_s(self) -> float | None:
        """Seconds left at the pace so far (None before the first step)."""
        done = self.step - self.start_step
        if done <= 0 or not self.max_steps or not self.training_s:
            return None
        return max(0.0, self.training_s / done * (self.max_steps - self.step))


def progress_of(events: list[dict[str, Any]], now: float) -> Progress:
    """Fold the events of one run (the last "begin" on: a resumed run starts a new one) into a Progress."""
    if events and events[-1].get(EVENT) == PHASE:
        return phase_progress(events, now)
    begins = [i for i, event in enumerate(events) if event.get(EVENT) == BEGIN]
    run = events[begins[-1]:] if begins else events
    progress = Progress()
    if not run:
        return progress
    first_time = run[0].get("time", now)
    progress.start_step = run[0].get("step", 0) or 0
    finished = any(event.get(EVENT) == END for event in run)
    for event in run:
        progress.step = event.get("step", progress.step) or 0
        progress.max_steps = event.get("max_steps", progress.max_steps) or 0
        epoch = round(float(event.get("epoch") or 0), 3)
        progress.epochs = float(event.get("num_train_epochs") or progress.epochs)
        if event.get(EVENT) == LOG and "loss" in event:
            progress.loss.append((epoch, float(event["loss"])))
        if event.get(EVENT) == LOG and "eval_accuracy" in event:
            progress.accuracy.append((epoch, float(event["eval_accuracy"])))
            progress.eval_loss.append((epoch, float(event.get("eval_loss", "nan"))))
    last_time = run[-1].get("time", now) if finished else now
    progress.training_s = max(0.0, last_time - first_time)
    return progress


def phase_progress(events: list[dict[str, Any]], now: float) -> Progress:
    """Where the work before a Trainer run stands (the last lines are "phase" lines): count and pace."""
    start = len(events)
    while start and events[start - 1].get(EVENT) == PHASE:
        start -= 1
    last = events[-1]
    first = next(event for event in events[start:] if event.get("total") == last.get("total"))
    return Progress(phase_done=int(last.get("done") or 0), phase_total=int(last.get("total") or 0),
                    phase_s=max(0.0, now - float(first.get("time", now))))


def curve_rows(progress: Progress) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(loss rows, accuracy rows) for the two line plots: {"epoch", "value", "curve"}."""
    loss = ([{"epoch": e, "value": v, "curve": "train"} for e, v in progress.loss]
            + [{"epoch": e, "value": v, "curve": "validation"} for e, v in progress.eval_loss])
    accuracy = [{"epoch": e, "value": v, "curve": "validation"} for e, v in progress.accuracy]
    return loss, accuracy


def scrub(text: str, paths: list[str]) -> str:
    """Each server folder in `text` replaced by its name (longest first, so nested paths go whole)."""
    for path in sorted({str(p) for p in paths if p}, key=len, reverse=True):
        text = text.replace(path, public_ref(path))
    return text


def log_tail(path: Path, hide: list[str], lines: int = LOG_LINES) -> str:
    try:
        with Path(path).open(encoding="utf-8", errors="replace") as handle:
            tail = deque(handle, maxlen=lines)
    except OSError:
        return ""
    return paths_hidden(scrub("".join(tail), hide))  # a traceback's own paths too


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "…"
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"
