"""The training flow, whatever the modality: data -> [holdout] -> [k-fold] -> strategy -> checkpoint.

`run_training(task, args, all_args)` takes an adapter's TrainingTask (training/data.py), trains it with
`--strategy`, scores every split, writes models/<name>/ and prints the results.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

from contract.checkpoint import EVAL_SPLIT, TRAIN_SPLIT, clean_leftovers
from contract.tables import kfold_line, splits_table
from training.args import TrainArgs
from training.data import TrainingTask, carve_holdout, check_labels
from training.kfold import OutOfFold, cross_validated
from training.label_issues import (
    LABEL_ISSUES_FILE,
    TOP_LOSSES_FILE,
    label_issues,
    summary,
    top_losses,
    write_json,
)
from training.save import onnx_sample, save_checkpoint, versions
from training.scoring import PROBABILITIES, without_probabilities
from training.strategies import STRATEGIES
from training.trainer import remove_run_dir


def is_main_process() -> bool:
    """False in the other processes of `accelerate launch` / torchrun (they set RANK); True otherwise."""
    return int(os.environ.get("RANK", "0")) == 0


def data_review_files(task: TrainingTask, splits: dict[str, Any], out_of_fold: OutOfFold | None) -> dict[str, Any]:
    """{file name: JSON} for the checkpoint: the evaluation split's examples by loss (top_losses.json)
    and, after k-fold, the suspect labels of train+validation (label_issues.json); an adapter that does
    not say what its examples are (SplitData.items) gets neither."""
    files: dict[str, Any] = {}
    validation, scored = task.data.splits[EVAL_SPLIT], splits[EVAL_SPLIT].get(PROBABILITIES)
    names = list(task.data.label_names)
    if scored is not None and len(validation.items) == len(validation):
        files[TOP_LOSSES_FILE] = {"split": EVAL_SPLIT, "label_names": names,
                                  "examples": top_losses(scored, validation.labels, validation.items, names)}
    if out_of_fold is not None:
        files[LABEL_ISSUES_FILE] = label_issues(out_of_fold.probabilities, out_of_fold.labels, out_of_fold.items,
                                                names)
    return files


def run_training(task: TrainingTask, args: TrainArgs, all_args: dict[str, Any]) -> Path:
    """Train `task.model` with `args.strategy`, evaluate every split, write models/<name>/; return it."""
    check_labels(task.data)
    if args.holdout_fraction:
        task.data = carve_holdout(task.data, args.holdout_fraction, args.seed)
    clean_leftovers(Path(args.models_dir))  # what a run killed mid-save left behind
    strategy = STRATEGIES[args.strategy]
    epochs = args.epochs or strategy.default_epochs
    learning_rate = args.learning_rate or strategy.default_learning_rate
    if not args.resume:
        remove_run_dir(args)  # stale checkpoints of an older run would confuse a later --resume
    kfold, out_of_fold = (cross_validated(task, args, strategy, epochs, learning_rate)
                          if args.eval_protocol == "kfold" else (None, None))
    started = time.perf_counter()
    result = strategy.train(task, args, epochs, learning_rate)
    runtime = time.perf_counter() - started
    train_examples = len(task.data.splits[TRAIN_SPLIT])
    calibrations = {name: found.pop("calibration", None) for name, found in result["splits"].items()}
    data_files = data_review_files(task, result["splits"], out_of_fold)  # label issues, top losses
    result["splits"] = {name: without_probabilities(found) for name, found in result["splits"].items()}
    metrics = {
        "task": task.task,
        "name": args.name,
        "base_model": task.base_model,
        "dataset": task.data.source,
        "strategy": args.strategy,
        "label_names": list(task.data.label_names),
        "splits": result["splits"],
        "skipped": {name: split.skipped for name, split in task.data.splits.items()},
        "train": {
            "runtime_s": round(runtime, 2),
            "epochs": epochs,
            "learning_rate": learning_rate,
            "num_examples": train_examples,
            **result["train"],
        },
        "args": {**all_args, "epochs": epochs, "learning_rate": learning_rate},
        **({"kfold": kfold} if kfold else {}),
        **({"label_issues": summary(data_files[LABEL_ISSUES_FILE], len(out_of_fold.labels))} if out_of_fold else {}),
        **({"inference": task.inference} if task.inference else {}),
        **({"calibration": {"split": EVAL_SPLIT, **calibrations[EVAL_SPLIT]}} if calibrations.get(EVAL_SPLIT) else {}),
        **({"languages": task.languages} if task.languages else {}),
        "versions": versions(),
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    task.model.to("cpu")
    if not is_main_process():  # under `accelerate launch`, every process trained; one writes
        return args.output_dir
    onnx_inputs = onnx_sample(task) if args.onnx else None
    path = save_checkpoint(args.output_dir, task.model, task.processor, metrics, onnx_inputs,
                           int8_quantizer(task) if onnx_inputs is not None and args.quantize == "int8" else None)
    for file_name, content in data_files.items():  # beside the checkpoint; `inspect` and the Train tab read them
        write_json(path / file_name, content)
    remove_run_dir(args)  # the run is complete: nothing left to resume
    print_summary(metrics, path)
    if args.push_to_hub:
        from training.hub import push_checkpoint

        info = push_checkpoint(path, args.hub_repo_id, private=args.hub_private)
        print(f"pushed to {info.repo_url}")
    return path


def int8_quantizer(task: TrainingTask):
    """--quantize int8: model.int8.onnx calibrated on training images, checked on the evaluation split."""
    from training.quantize import quantize_task_checkpoint

    return lambda folder: quantize_task_checkpoint(folder, task, TRAIN_SPLIT, EVAL_SPLIT)


def print_summary(metrics: dict[str, Any], path: Path) -> None:
    print(splits_table(metrics["splits"]))
    if metrics.get("kfold"):
        print(kfold_line(metrics["kfold"]))
    skipped = sum(metrics.get("skipped", {}).values())
    if skipped:
        print(f"skipped {skipped} unreadable files: {metrics['skipped']}")
    print(f"checkpoint written to {path} ({metrics['train']['runtime_s']}s)")
