"""`python -m training image`: parse the arguments, build the image task, run the training flow."""

from __future__ import annotations

import logging

from training.commands.parser import args_dict, parse_args
from training.flow.args import TrainArgs
from training.flow.run import run_training
from training.modalities.image import build_task
from training.modalities.image_args import ImageDataArgs, ImageModelArgs

ARGUMENTS = (TrainArgs, ImageDataArgs, ImageModelArgs)
PROG = "python -m training image"


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    train_args, data_args, model_args = parse_args(ARGUMENTS, argv, prog=PROG, kind="image")
    task = build_task(train_args, data_args, model_args)
    run_training(task, train_args, args_dict(train_args, data_args, model_args))
    return 0
