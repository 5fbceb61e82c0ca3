"""What `image` and `text` share: parse the arguments, build the modality's task, run the training flow."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from training.commands.parser import args_dict, parse_args
from training.flow.data import TrainingTask
from training.flow.run import run_training


def train(kind: str, arguments: tuple[type, ...], build_task: Callable[..., TrainingTask], argv: list[str]) -> int:
    """`python -m training <kind> argv`: `arguments` (TrainArgs first) parsed, `build_task(*parsed)` trained."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    parsed: tuple[Any, ...] = parse_args(arguments, argv, prog=f"python -m training {kind}", kind=kind)
    run_training(build_task(*parsed), parsed[0], args_dict(*parsed))
    return 0
