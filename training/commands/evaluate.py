"""`python -m training evaluate --model models/<name> --data-dir <folder> [--split test]`.

Evaluates any checkpoint on any split: accuracy, macro-F1, loss and confusion matrix, printed as a
table and written as JSON (--output, default models/<name>/eval-<split>.json). The adapter is chosen
from the checkpoint's task (contract.checkpoint.checkpoint_task): EVALUATION_TASKS, one per modality.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract.checkpoint import (
    CONFIG_FILE,
    IMAGE_CLASSIFICATION,
    TEXT_CLASSIFICATION,
    architectures,
    canonical_split,
    checkpoint_task,
)
from contract.tables import splits_table
from training.commands.parser import parse_args
from training.errors import UserError
from training.flow.scoring import evaluate_split, without_probabilities
from training.modalities import image, text
from training.outputs.save import versions

# By task: evaluation_task(checkpoint, data_dir, split, max_examples, seed) -> a TrainingTask of one split
EVALUATION_TASKS = {IMAGE_CLASSIFICATION: image.evaluation_task, TEXT_CLASSIFICATION: text.evaluation_task}


@dataclass(frozen=True)
class EvaluateArgs:
    model: str = field(metadata={"help": "Checkpoint folder (e.g. models/beans-mobilenet-head)."})
    data_dir: str = field(metadata={"help": "Data folder holding the split (same layout as for training)."})
    split: str = field(default="test", metadata={"help": "Which split of --data-dir to evaluate."})
    output: str | None = field(
        default=None, metadata={"help": "Where to write the JSON (default: <model>/eval-<split>.json)."}
    )
    batch_size: int | None = field(
        default=None, metadata={"help": "Examples per batch (default: the adapter's choice for this device, else 16)."}
    )
    max_samples: int | None = field(default=None, metadata={"help": "Evaluate at most this many examples."})
    seed: int = field(default=42, metadata={"help": "Seed for drawing --max-samples examples."})


def evaluated_task(checkpoint: Path) -> str:
    """The checkpoint's task (metrics.json, else config.json's architectures), if an adapter evaluates it."""
    if not (checkpoint / CONFIG_FILE).is_file():
        raise UserError(f"not a checkpoint folder (no {CONFIG_FILE}): {checkpoint}")
    task = checkpoint_task(checkpoint)
    if task not in EVALUATION_TASKS:
        raise UserError(f"cannot evaluate {checkpoint}: task {task or 'unknown'} "
                        f"(architectures {architectures(checkpoint)})")
    return task


def evaluate_checkpoint(args: EvaluateArgs) -> dict[str, Any]:
    """Load the checkpoint and the split through the task's adapter; return the metrics report."""
    checkpoint, data_dir = Path(args.model).expanduser(), Path(args.data_dir).expanduser()
    if not checkpoint.is_dir():
        raise UserError(f"model folder not found: {checkpoint}")
    if not data_dir.exists():
        raise UserError(f"data folder not found: {data_dir}")
    task_name = evaluated_task(checkpoint)
    task = EVALUATION_TASKS[task_name](checkpoint, data_dir, args.split, args.max_samples, args.seed)
    split = canonical_split(args.split)
    if len(task.data.splits[split]) == 0:
        raise UserError(f"the '{args.split}' split has no usable examples ({task.data.splits[split].skipped} skipped)")
    return {
        "task": task_name,
        "model": str(checkpoint),
        "dataset": str(data_dir),
        "split": split,
        "label_names": list(task.data.label_names),
        "metrics": without_probabilities(evaluate_split(task, split, args.batch_size or task.inference_batch_size or 16)),
        "skipped": task.data.splits[split].skipped,
        "versions": versions(),
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    (args,) = parse_args((EvaluateArgs,), argv, prog="python -m training evaluate")
    report = evaluate_checkpoint(args)
    output = Path(args.output) if args.output else Path(args.model) / f"eval-{report['split']}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(splits_table({report["split"]: report["metrics"]}))
    if report["skipped"]:
        print(f"skipped {report['skipped']} unreadable files")
    print(f"written to {output}")
    return 0
