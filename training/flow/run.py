"""The training flow, whatever the modality: data -> [holdout] -> [k-fold] -> strategy -> checkpoint.

`run_training(task, args, all_args)` takes an adapter's TrainingTask (training/flow/data.py), trains it with
`--strategy`, scores every split, writes models/<name>/ and prints the results.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch

from contract.checkpoint import (
    EVAL_SPLIT,
    IMAGE_CLASSIFICATION,
    LABEL_ISSUES_FILE,
    TOP_LOSSES_FILE,
    TRAIN_SPLIT,
    clean_leftovers,
)
from contract.tables import kfold_line, splits_table
from training.flow.args import TrainArgs
from training.flow.data import TrainingTask, carve_holdout, check_labels
from training.flow.features import FeatureCache
from training.flow.kfold import OutOfFold, cross_validated
from training.flow.scoring import PROBABILITIES, without_probabilities
from training.flow.strategies import STRATEGIES
from training.flow.trainer import remove_run_dir
from training.outputs.hub import push_checkpoint
from training.outputs.label_issues import label_issues, losses_record, summary
from training.outputs.quantize import task_int8_inputs
from training.outputs.save import save_checkpoint, versions


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
        files[TOP_LOSSES_FILE] = losses_record(scored, validation.labels, validation.items, names)
    if out_of_fold is not None:
        files[LABEL_ISSUES_FILE] = label_issues(out_of_fold.probabilities, out_of_fold.labels, out_of_fold.items,
                                                names)
    return files


def run_training(task: TrainingTask, args: TrainArgs, all_args: dict[str, Any],
                 cache: FeatureCache | None = None) -> Path:
    """Train `task.model` with `args.strategy`, evaluate every split, write models/<name>/; return it.
    `cache`: where the frozen layers' outputs are kept for this run (a new one unless given)."""
    check_labels(task.data)
    if args.holdout_fraction:
        task = replace(task, data=carve_holdout(task.data, args.holdout_fraction, args.seed))
    clean_leftovers(Path(args.models_dir))  # what a run killed mid-save left behind
    cache = FeatureCache() if cache is None else cache
    strategy = STRATEGIES[args.strategy]
    epochs = args.epochs or strategy.default_epochs
    learning_rate = args.learning_rate or strategy.default_learning_rate
    if not args.resume:
        remove_run_dir(args)  # stale checkpoints of an older run would confuse a later --resume
    kfold, out_of_fold = (cross_validated(task, args, strategy, epochs, learning_rate, cache)
                          if args.eval_protocol == "kfold" else (None, None))
    started = time.perf_counter()
    result = strategy.train(task, args, epochs, learning_rate, cache)
    runtime = time.perf_counter() - started
    calibrations = {name: found.get("calibration") for name, found in result["splits"].items()}
    data_files = data_review_files(task, result["splits"], out_of_fold)  # label issues, top losses
    splits = {name: {key: value for key, value in without_probabilities(found).items() if key != "calibration"}
              for name, found in result["splits"].items()}  # calibration: the evaluation split's, once, below
    metrics = {
        "task": task.task,
        "name": args.name,
        "base_model": task.base_model,
        "dataset": task.data.source,
        "strategy": args.strategy,
        "label_names": list(task.data.label_names),
        "splits": splits,
        "skipped": {name: split.skipped for name, split in task.data.splits.items()},
        "train": {
            "runtime_s": round(runtime, 2),
            "epochs": epochs,
            "learning_rate": learning_rate,
            "num_examples": len(task.data.splits[TRAIN_SPLIT]),
            **result["train"],
        },
        "args": {**all_args, **task.decided, "epochs": epochs, "learning_rate": learning_rate},
        **({"kfold": kfold} if kfold else {}),
        **({"label_issues": summary(data_files[LABEL_ISSUES_FILE], len(out_of_fold.labels))} if out_of_fold else {}),
        **({"inference": dict(task.inference)} if task.inference else {}),
        **({"calibration": {"split": EVAL_SPLIT, **calibrations[EVAL_SPLIT]}} if calibrations.get(EVAL_SPLIT) else {}),
        **({"languages": list(task.languages)} if task.languages else {}),
        "versions": versions(),
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    task.model.to("cpu")
    if not is_main_process():  # under `accelerate launch`, every process trained; one writes
        return args.output_dir
    onnx_inputs = onnx_sample(task) if args.onnx else None
    int8 = (task_int8_inputs(task, TRAIN_SPLIT, EVAL_SPLIT)  # calibrated on training images
            if onnx_inputs is not None and args.quantize == "int8" else None)
    written = save_checkpoint(args.output_dir, task.model, task.processor, metrics, onnx_inputs, int8, data_files)
    remove_run_dir(args)  # the run is complete: nothing left to resume
    print_summary(written, args.output_dir)
    if args.push_to_hub:
        info = push_checkpoint(args.output_dir, args.hub_repo_id, private=args.hub_private)
        print(f"pushed to {info.repo_url}")
    return args.output_dir


def onnx_sample(task: TrainingTask, count: int = 4) -> torch.Tensor | None:
    """Model inputs of a few validation images (as the app will feed them) to check the ONNX export on."""
    if task.task != IMAGE_CLASSIFICATION:
        return None
    split = task.data.splits[EVAL_SPLIT]
    batch = task.collate([{**task.encode(split.examples[i], False), "labels": split.labels[i]}
                          for i in range(min(count, len(split)))])
    return batch["pixel_values"]


def print_summary(metrics: dict[str, Any], path: Path) -> None:
    print(splits_table(metrics["splits"]))
    if metrics.get("kfold"):
        print(kfold_line(metrics["kfold"]))
    skipped = sum(metrics.get("skipped", {}).values())
    if skipped:
        print(f"skipped {skipped} unreadable files: {metrics['skipped']}")
    print(f"checkpoint written to {path} ({metrics['train']['runtime_s']}s)")
