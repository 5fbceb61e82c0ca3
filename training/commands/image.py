"""`python -m training image`: the image adapter's arguments and task, trained by the flow."""

from __future__ import annotations

from training.commands.train import train
from training.flow.args import TrainArgs
from training.modalities.image import build_task
from training.modalities.image_args import ImageDataArgs, ImageModelArgs

ARGUMENTS = (TrainArgs, ImageDataArgs, ImageModelArgs)


def main(argv: list[str]) -> int:
    return train("image", ARGUMENTS, build_task, argv)
