"""The Runs table: every checkpoint of a task, best first, and what no learning at all would score.

Pure functions over contract.checkpoint (list_checkpoints + read_metrics), no Gradio. Base models and
data sets are shown by `public_ref` (a Hub id, or a folder's name: never a server path). The baseline
row of a data set is the accuracy of always answering its most frequent validation class, read from
a checkpoint's own confusion matrix: what a model that learned nothing scores on the same split. A run
trained on the same backbone with random weights (the Train tab's baseline option) is labelled too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from contract.checkpoint import best_accuracy, honest_score, split_accuracy
from contract.hub_ids import public_ref
from contract.visitors import OPERATOR, owner_models_dir
from studio.answers.about import score_text
from studio.i18n import percent
from studio.serving.models import local_checkpoints

RANDOM_PREFIX = "random-"
# The table's columns and their header keys.
COLUMNS = {"name": "train.runs.col.name", "base_model": "train.runs.col.base_model",
           "strategy": "train.runs.col.strategy", "data": "train.runs.col.data", "train_s": "train.runs.col.train_s",
           "validation": "train.runs.col.validation", "test": "train.runs.col.test", "honest": "train.runs.col.honest"}


def accuracy_cell(value: float | None) -> str:
    """An accuracy in the Runs table as the UI's language writes it ('87,3 %' / '87.3%'), '' when unknown."""
    return "" if value is None else percent(value)


def honest_cell(metrics: dict[str, Any]) -> str:
    """The run's honest score and where it was measured: '96,7 % ± 6,7 % (validación cruzada)'."""
    score = honest_score(metrics)
    return "" if score is None else score_text(score)


def majority_accuracy(metrics: dict[str, Any]) -> float | None:
    """Share of the most frequent class among the validation examples (rows of the confusion matrix)."""
    matrix = metrics.get("splits", {}).get("validation", {}).get("confusion_matrix")
    totals = [sum(row) for row in matrix or []]
    return max(totals) / sum(totals) if totals and sum(totals) else None


def task_runs(models_dir: Path, task: str) -> list[tuple[str, dict[str, Any]]]:
    """(name, metrics) of the checkpoints of `task`, best honest score first."""
    return [(choice.name, choice.metrics) for choice in local_checkpoints(task, models_dir)]


def is_random_baseline(metrics: dict[str, Any]) -> bool:
    """Trained from a randomly initialised copy of a backbone (studio/train/random_base.py names it random-*)."""
    return public_ref(metrics.get("base_model")).startswith(RANDOM_PREFIX)


def run_row(name: str, metrics: dict[str, Any], random_label: str = "") -> list[Any]:
    runtime = metrics.get("train", {}).get("runtime_s")
    if random_label and is_random_baseline(metrics):
        name = f"{name} ({random_label})"
    return [name, public_ref(metrics.get("base_model")), metrics.get("strategy", ""),
            public_ref(metrics.get("dataset")), "" if runtime is None else round(float(runtime), 1),
            accuracy_cell(split_accuracy(metrics, "validation")), accuracy_cell(split_accuracy(metrics, "test")),
            honest_cell(metrics)]


def baseline_rows(runs: list[tuple[str, dict[str, Any]]], label: str) -> list[list[Any]]:
    """One row per data set: the most-frequent-class accuracy on its validation split."""
    rows, seen = [], set()
    for _name, metrics in runs:
        data = public_ref(metrics.get("dataset"))
        accuracy = majority_accuracy(metrics)
        if data in seen or accuracy is None:
            continue
        seen.add(data)
        rows.append([label, "—", "—", data, "", accuracy_cell(accuracy), "", ""])
    return rows


def leaderboard(models_dir: Path, task: str, baseline_label: str, random_label: str = "",
                owner: str = OPERATOR) -> list[list[Any]]:
    """The Runs table of a task as `owner` sees it: the operator's checkpoints and the owner's own runs
    (never another visitor's), best first (a random-weights baseline run labelled as such), then a
    most-frequent-class baseline row per data set."""
    runs = task_runs(models_dir, task)
    if owner != OPERATOR:
        runs = sorted(task_runs(owner_models_dir(models_dir, owner), task) + runs,
                      key=lambda run: -best_accuracy(run[1]))
    return [run_row(name, metrics, random_label) for name, metrics in runs] + baseline_rows(runs, baseline_label)
