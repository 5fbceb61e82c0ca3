"""`python -m training text`: parse the arguments, build the text task, run the training flow.

The course's paraphrase task (GLUE MRPC, sentence pairs) is one command:

    python -m training text --dataset nyu-mll/glue --dataset-config mrpc --text-column sentence1 \\
        --text-pair-column sentence2 --base-model distilbert/distilroberta-base --strategy full \\
        --name mrpc-distilroberta
"""

from __future__ import annotations

import logging

from training.commands.parser import args_dict, parse_args
from training.flow.args import TrainArgs
from training.flow.run import run_training
from training.modalities.text import build_task
from training.modalities.text_args import TextDataArgs, TextModelArgs

ARGUMENTS = (TrainArgs, TextDataArgs, TextModelArgs)
PROG = "python -m training text"


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    train_args, data_args, model_args = parse_args(ARGUMENTS, argv, prog=PROG, kind="text")
    task = build_task(train_args, data_args, model_args)
    run_training(task, train_args, args_dict(train_args, data_args, model_args))
    return 0
