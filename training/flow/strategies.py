"""The training strategies (`--strategy`, names in contract/runs.py): which weights train, on what.

`head` trains the classifier on cached features; `last-n` the last blocks (on cached block inputs where
the architecture is in training.flow.pretrained.TAILS); `full` every weight; `probe-then-full` a head first.
Also how frozen and trained batch-norm layers keep sensible statistics.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import torch
from torch import nn

from contract.checkpoint import EVAL_SPLIT, TRAIN_SPLIT
from contract.runs import STRATEGY_DEFAULTS
from training.flow.args import TrainArgs
from training.flow.data import EncodedDataset, SplitData, TrainingTask
from training.flow.features import FeatureCache, FeatureDataset, OnCachedInputs, extract_features
from training.flow.pretrained import backbone_blocks, cached_tail, find_classifier
from training.flow.progress import Phase, progress_callbacks
from training.flow.scoring import evaluate_with_trainer
from training.flow.trainer import checkpoint_safe_trainer, fit, remove_run_dir, training_arguments
from training.outputs.metrics import trainer_metrics

log = logging.getLogger("training")


@dataclass(frozen=True)
class Strategy:
    train: Callable[..., dict[str, Any]]  # (task, args, epochs, learning rate, FeatureCache) -> {splits, train}
    default_epochs: float
    default_learning_rate: float


def train_on_cached(task: TrainingTask, args: TrainArgs, epochs: float, learning_rate: float, cache: FeatureCache,
                    where: str, trained: nn.Module, run: Callable[[torch.Tensor], torch.Tensor],
                    warmup: float = 0.0) -> dict:
    """Train the trainable weights of `trained` through `run` on what the frozen model's module `where`
    receives, computed once per example and fixed view (each view of train is one more training example)."""
    from transformers import Trainer, default_data_collator

    started = time.perf_counter()
    batch_size = task.inference_batch_size or args.eval_batch_size
    train = task.data.splits[TRAIN_SPLIT]
    train_views = (None, *task.feature_views)
    phase = Phase(args.progress_file, "features",
                  sum(map(len, task.data.splits.values())) + len(train) * len(train_views))

    def computed(split: SplitData, view) -> torch.Tensor:
        found = extract_features(task, cache, split, batch_size, view, where)
        phase.advance(len(split))
        return found

    def features(name: str, view: int = 0) -> FeatureDataset:
        split = task.data.splits[name]
        return FeatureDataset(computed(split, task.view(view)), split.labels)

    if not args.onnx:
        cache.graphs.setdefault(where, None)  # torch runs the frozen layers
    cached = {name: features(name) for name in task.data.splits}
    cached[TRAIN_SPLIT] = FeatureDataset(torch.cat([computed(train, view) for view in train_views]),
                                         train.labels * len(train_views))
    feature_seconds = time.perf_counter() - started
    runtime = "onnxruntime" if cache.graphs.get(where) else "torch"
    log.warning("features of %d examples (%d views of train) ready in %.1fs on %s",
                sum(map(len, cached.values())), len(train_views), feature_seconds, runtime)
    steady_batch_norm(trained)
    trainer = Trainer(
        model=OnCachedInputs(trained, run),
        args=training_arguments(args, epochs, learning_rate, warmup=warmup),
        train_dataset=cached[TRAIN_SPLIT],
        eval_dataset=cached[EVAL_SPLIT],
        data_collator=default_data_collator,
        compute_metrics=trainer_metrics(len(task.data.label_names)),
        callbacks=progress_callbacks(args.progress_file),
    )
    stats = fit(trainer, args)  # load_best_model_at_end restores the best weights, in place
    splits = evaluate_with_trainer(trainer, task, features)
    return {"splits": splits, "train": {**stats, "feature_extraction_s": round(feature_seconds, 2),
                                        "feature_runtime": runtime}}


def train_head(task: TrainingTask, args: TrainArgs, epochs: float, learning_rate: float,
               cache: FeatureCache) -> dict[str, Any]:
    """Freeze everything, cache classifier inputs once per split, train the classifier alone."""
    for parameter in task.model.parameters():
        parameter.requires_grad_(False)
    name, head = find_classifier(task.model)
    for parameter in head.parameters():
        parameter.requires_grad_(True)
    return train_on_cached(task, args, epochs, learning_rate, cache, name, head, lambda features: head(features))


def unfreeze_all(model: nn.Module) -> None:
    for parameter in model.parameters():
        parameter.requires_grad_(True)


def unfreeze_last(model: nn.Module, count: int) -> None:
    """Train the last `count` blocks and everything registered after them (final norm, pooler, head);
    batch-norm layers of the frozen part keep their pretrained statistics (always in eval mode)."""
    blocks = backbone_blocks(model)
    first_trained = {id(p) for p in blocks[max(0, len(blocks) - count)].parameters()} if count else set()
    trainable = False
    for parameter in model.parameters():  # registration order follows the forward pass
        trainable = trainable or id(parameter) in first_trained
        parameter.requires_grad_(trainable)
    _name, head = find_classifier(model)
    for parameter in head.parameters():
        parameter.requires_grad_(True)
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm) and not any(p.requires_grad for p in module.parameters()):
            module.register_forward_pre_hook(keep_statistics)


def steady_batch_norm(model: nn.Module) -> None:
    """Trained batch-norm layers average their running statistics over ~10 batches (PyTorch's default).
    transformers' MobileNetV2 sets momentum 0.997, a TensorFlow decay read as PyTorch's momentum: its
    running statistics, used at evaluation, would be those of the last training batch alone."""
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm) and any(p.requires_grad for p in module.parameters()):
            module.momentum = 0.1


def keep_statistics(layer: nn.Module, _inputs: Any) -> None:
    """Forward pre-hook of a frozen batch-norm layer: normalise with its pretrained statistics, never update them."""
    layer.train(False)


def fine_tune(task: TrainingTask, args: TrainArgs, epochs: float, learning_rate: float,
              trainable: Callable[[nn.Module], None]) -> dict[str, Any]:
    """Train the weights `trainable(model)` leaves trainable; encode(train=True) augments training examples."""
    trainable(task.model)
    steady_batch_norm(task.model)

    def dataset(name: str, view: int = 0, train: bool = False) -> EncodedDataset:
        return EncodedDataset(task.data.splits[name], task.encode, train=train, view=task.view(view))

    trainer = checkpoint_safe_trainer(
        model=task.model,
        args=training_arguments(args, epochs, learning_rate, warmup=0.1, **task.trainer_overrides),
        train_dataset=dataset(TRAIN_SPLIT, train=True),
        eval_dataset=dataset(EVAL_SPLIT),
        data_collator=task.collate,
        compute_metrics=trainer_metrics(len(task.data.label_names)),
        callbacks=progress_callbacks(args.progress_file),
    )
    stats = fit(trainer, args)
    return {"splits": evaluate_with_trainer(trainer, task, dataset), "train": stats}


def train_full(task: TrainingTask, args: TrainArgs, epochs: float, learning_rate: float,
               _cache: FeatureCache) -> dict[str, Any]:
    """Fine-tune every weight."""
    return fine_tune(task, args, epochs, learning_rate, unfreeze_all)


def train_last_n(task: TrainingTask, args: TrainArgs, epochs: float, learning_rate: float,
                 cache: FeatureCache) -> dict[str, Any]:
    """Fine-tune the last --unfreeze-last blocks of the backbone and the classifier. The frozen blocks give
    the same output every epoch: where the model can be split (TAILS) they run once per example and fixed
    view (the flips of --augment, as extra training examples; random augmentations are not used)."""
    split = cached_tail(task.model, args.unfreeze_last) if args.cache_frozen else None
    if split is None:
        return fine_tune(task, args, epochs, learning_rate, lambda model: unfreeze_last(model, args.unfreeze_last))
    unfreeze_last(task.model, args.unfreeze_last)
    where, run = split
    return train_on_cached(task, args, epochs, learning_rate, cache, where, task.model, run, warmup=0.1)


def train_probe_then_full(task: TrainingTask, args: TrainArgs, epochs: float, learning_rate: float,
                          cache: FeatureCache) -> dict[str, Any]:
    """A linear probe first (`head`, its own epochs and learning rate), then every weight from that head:
    the new classifier no longer sends random gradients through the pretrained backbone."""
    head = STRATEGIES["head"]
    probe = train_head(task, replace(args, resume=False, push_to_hub=False), args.probe_epochs or head.default_epochs,
                       head.default_learning_rate, cache)
    remove_run_dir(args)  # the head's Trainer checkpoints are not the full run's
    result = train_full(task, args, epochs, learning_rate, cache)
    probe_summary = {"epochs": args.probe_epochs or head.default_epochs, "learning_rate": head.default_learning_rate,
                     "validation_accuracy": probe["splits"][EVAL_SPLIT]["accuracy"], **probe["train"]}
    return {"splits": result["splits"], "train": {**result["train"], "probe": probe_summary}}


def implemented(name: str, train: Callable[..., dict[str, Any]]) -> Strategy:
    """The strategy `name` trained by `train`, with its own epochs and learning rate (contract/runs.py)."""
    own = STRATEGY_DEFAULTS[name]
    return Strategy(train, default_epochs=own["epochs"], default_learning_rate=own["learning_rate"])


# Each name of contract.runs.STRATEGY_NAMES, implemented (tests/contract/test_contract.py keeps the two in step).
STRATEGIES: dict[str, Strategy] = {
    "head": implemented("head", train_head),
    "last-n": implemented("last-n", train_last_n),
    "probe-then-full": implemented("probe-then-full", train_probe_then_full),
    "full": implemented("full", train_full),
}
