"""`python -m training text`: the text adapter's arguments and task, trained by the flow.

The course's paraphrase task (GLUE MRPC, sentence pairs) is one command:

    python -m training text --dataset nyu-mll/glue --dataset-config mrpc --text-column sentence1 \\
        --text-pair-column sentence2 --base-model distilbert/distilroberta-base --strategy full \\
        --name mrpc-distilroberta
"""

from __future__ import annotations

from training.commands.train import train
from training.flow.args import TrainArgs
from training.modalities.text import build_task
from training.modalities.text_args import TextDataArgs, TextModelArgs

ARGUMENTS = (TrainArgs, TextDataArgs, TextModelArgs)


def main(argv: list[str]) -> int:
    return train("text", ARGUMENTS, build_task, argv)
