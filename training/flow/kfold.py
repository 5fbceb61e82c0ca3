"""--eval-protocol kfold: the strategy on stratified folds of train+validation, a fresh pretrained model
each fold, accuracy and macro-F1 per fold with their mean and std (metrics.json `kfold`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from contract.checkpoint import EVAL_SPLIT, TRAIN_SPLIT
from training.errors import UserError
from training.flow.args import TrainArgs
from training.flow.data import SplitData, TaskData, TrainingTask, concatenated, stratified_split, subset
from training.flow.features import FeatureCache
from training.flow.scoring import PROBABILITIES
from training.flow.strategies import Strategy
from training.flow.trainer import remove_run_dir

log = logging.getLogger("training")


FOLD_SPLIT = "fold"  # inside --eval-protocol kfold: the fold being scored


def fold_task(task: TrainingTask, pool: SplitData, train: Sequence[int], scored: Sequence[int],
              args: TrainArgs) -> tuple[TrainingTask, str]:
    """One fold: a fresh model, trained on `train`, scored on `scored`; (task, name of the scored split).

    With --select-best a validation part is carved from the fold's own training part, in the same
    proportion as validation to train+validation, so the scored fold never picks the epoch.
    """
    fold_train = subset(pool, train)
    if args.select_best:
        share = len(task.data.splits[EVAL_SPLIT]) / len(pool)
        kept, carved = stratified_split(fold_train, share, args.seed, "--select-best under --eval-protocol kfold")
        splits = {TRAIN_SPLIT: subset(fold_train, kept), EVAL_SPLIT: subset(fold_train, carved),
                  FOLD_SPLIT: subset(pool, scored)}
    else:
        splits = {TRAIN_SPLIT: fold_train, EVAL_SPLIT: subset(pool, scored)}
    data = TaskData(splits, task.data.label_names, task.data.source)
    return replace(task, data=data, model=task.fresh_model()), FOLD_SPLIT if args.select_best else EVAL_SPLIT


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    return round(float(np.mean(values)), 4), round(float(np.std(values)), 4)


@dataclass
class OutOfFold:
    """Every example of train+validation with the class probabilities of the fold model that did not
    train on it (training/outputs/label_issues.py ranks suspect labels from them)."""

    probabilities: np.ndarray
    labels: list[int]
    items: list[dict[str, Any]]


def cross_validated(task: TrainingTask, args: TrainArgs, strategy: Strategy, epochs: float, learning_rate: float,
                    cache: FeatureCache) -> tuple[dict[str, Any], OutOfFold | None]:
    """Stratified k-fold over train+validation (a holdout split stays out): the strategy on each fold,
    a fresh pretrained model each time; metrics.json's `kfold` (accuracy and macro-F1 per fold, their mean
    and std) and the out-of-fold probabilities (None when a strategy does not report them). The folds'
    models start from the same pretrained weights: the frozen features in `cache` serve every fold."""
    from sklearn.model_selection import StratifiedKFold

    if task.fresh_model is None:
        raise UserError("--eval-protocol kfold: this adapter cannot load a fresh model for each fold")
    pool = concatenated(task.data.splits[TRAIN_SPLIT], task.data.splits[EVAL_SPLIT])
    counts = np.bincount(pool.labels)
    if counts[counts > 0].min() < args.folds:
        raise UserError(f"--folds {args.folds}: a class of train+validation has only {counts[counts > 0].min()} examples")
    folder = StratifiedKFold(args.folds, shuffle=True, random_state=args.seed)
    started, per_fold = time.perf_counter(), []
    out_of_fold: np.ndarray | None = np.zeros((len(pool), len(task.data.label_names)))
    for number, (train, scored) in enumerate(folder.split(np.zeros(len(pool)), pool.labels), 1):
        fold_started = time.perf_counter()
        one, split_name = fold_task(task, pool, train, scored, args)
        # the fold's own run folder; the name is cut so that a name at the length limit still fits
        fold_args = replace(args, name=f"{args.name[:80]}.fold{number}", resume=False, push_to_hub=False,
                            progress_file=None)  # a --progress-file watcher follows the final run
        found = strategy.train(one, fold_args, epochs, learning_rate, cache)["splits"][split_name]
        remove_run_dir(fold_args)
        probabilities = found.get(PROBABILITIES)
        if out_of_fold is not None and probabilities is not None and len(probabilities) == len(scored):
            out_of_fold[scored] = probabilities  # the scored split is subset(pool, scored): same order
        else:
            out_of_fold = None
        per_fold.append({"fold": number, "accuracy": round(found["accuracy"], 4), "f1_macro": round(found["f1_macro"], 4),
                         "num_examples": found["num_examples"], "runtime_s": round(time.perf_counter() - fold_started, 2)})
        log.warning("fold %d/%d: accuracy %.4f", number, args.folds, found["accuracy"])
    accuracy, f1_macro = mean_std([f["accuracy"] for f in per_fold]), mean_std([f["f1_macro"] for f in per_fold])
    summary = {"folds": args.folds, "num_examples": len(pool), "splits": [TRAIN_SPLIT, EVAL_SPLIT],
               "accuracy_mean": accuracy[0], "accuracy_std": accuracy[1],
               "f1_macro_mean": f1_macro[0], "f1_macro_std": f1_macro[1],
               "runtime_s": round(time.perf_counter() - started, 2), "per_fold": per_fold}
    found_all = out_of_fold is not None and len(pool.items) == len(pool)
    return summary, OutOfFold(out_of_fold, list(pool.labels), list(pool.items)) if found_all else None
