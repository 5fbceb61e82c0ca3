"""A training run as both sides name it: its name, its kind, its strategy, its resumable folder.

The Train tab builds a `python -m training <kind> --name <name> --strategy <strategy>` command from these;
the CLI checks its arguments against the same definitions, so a request the tab accepts is one the CLI runs.
"""

from __future__ import annotations

import re
from pathlib import Path

from contract.checkpoint import IMAGE_CLASSIFICATION, TEXT_CLASSIFICATION

# A run's name becomes its checkpoint folder, models/<name>/: a plain, portable folder name.
# Use `is_run_name` (fullmatch): `match` with a "$" would accept a trailing newline.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,95}")

# What `--strategy` accepts, fastest first (training/flow/strategies.py implements each one).
STRATEGY_NAMES = ("head", "last-n", "probe-then-full", "full")
DEFAULT_STRATEGY = STRATEGY_NAMES[0]  # `--recipe none` without --strategy
# A strategy's own epochs and learning rate: what an unset --epochs / --learning-rate takes when no recipe
# row sets it (contract/recipes.py says which row runs). probe-then-full's head stage takes head's.
STRATEGY_DEFAULTS: dict[str, dict[str, float]] = {
    "head": {"epochs": 10, "learning_rate": 5e-3},
    "last-n": {"epochs": 5, "learning_rate": 1e-4},
    "probe-then-full": {"epochs": 3, "learning_rate": 5e-5},
    "full": {"epochs": 3, "learning_rate": 5e-5},
}

# `python -m training <kind>` and the pipeline task of the checkpoint it writes.
TASK_OF_KIND = {"image": IMAGE_CLASSIFICATION, "text": TEXT_CLASSIFICATION}

RUNS_FOLDER = ".runs"  # <models_dir>/.runs/<name>/checkpoint-N: Trainer's own checkpoints, for --resume
TRAINER_STATE_FILE = "trainer_state.json"  # Trainer writes it last: a checkpoint-N without it is half-written


def is_run_name(name: object) -> bool:
    return isinstance(name, str) and NAME_PATTERN.fullmatch(name) is not None


def run_folder(models_dir: Path | str, name: str) -> Path:
    """Where the run `name` keeps its Trainer checkpoints until its own checkpoint folder is written."""
    return Path(models_dir) / RUNS_FOLDER / name


def resumable_checkpoints(folder: Path | str) -> list[Path]:
    """The complete checkpoint-N folders of a run folder, oldest step first (--resume takes the last).

    Not transformers' get_last_checkpoint: after a kill mid-save it returns the half-written folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    complete = [path for path in folder.glob("checkpoint-*")
                if path.name.rpartition("-")[2].isdigit() and (path / TRAINER_STATE_FILE).is_file()]
    return sorted(complete, key=lambda path: int(path.name.rpartition("-")[2]))
