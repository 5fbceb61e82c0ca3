"""Scoring a model on a split: accuracy, macro-F1, loss, confusion matrix and calibration of the
probabilities averaged over the example's test-time views (by Trainer, or by the model as it is)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from contract.onnx_graph import softmax
from training.flow.data import EncodedDataset, SplitData, TrainingTask
from training.outputs.metrics import classification_metrics, confidence_calibration

PROBABILITIES = "probabilities"  # scored_views' per-example array: not a metric, never written as one


def without_probabilities(scored: dict[str, Any]) -> dict[str, Any]:
    """A split's scores as metrics.json keeps them (the per-example array left out)."""
    return {key: value for key, value in scored.items() if key != PROBABILITIES}


def prediction_order(trainer, dataset: Any) -> np.ndarray | None:
    """The order in which trainer.predict visits `dataset` when it is not the dataset's own (batches
    grouped by length): the same seeded sampler again; None when it is sequential."""
    from torch.utils.data import SequentialSampler

    sampler = trainer._get_eval_sampler(dataset)
    return None if sampler is None or isinstance(sampler, SequentialSampler) else np.fromiter(sampler, dtype=np.int64)


def scored_views(predict: Callable[[int], tuple[np.ndarray, np.ndarray]], views: int, num_labels: int) -> dict:
    """accuracy, macro-F1, confusion matrix and cross-entropy of the probabilities averaged over view
    0 (the example itself) and views 1..`views` (test-time augmentation); predict(view) -> (logits, labels)
    (Trainer may batch examples in its own order, e.g. grouped by length: the same order for every view)."""
    predictions = [predict(view) for view in range(views + 1)]
    labels = np.asarray(predictions[0][1])
    if any(not np.array_equal(labels, found) for _logits, found in predictions):
        raise RuntimeError("test-time views were predicted in different orders")
    probabilities = np.mean([softmax(np.asarray(logits, dtype=np.float64)) for logits, _ in predictions], axis=0)
    found = classification_metrics(probabilities, labels, num_labels)
    loss = -np.mean(np.log(np.clip(probabilities[np.arange(len(labels)), labels], 1e-12, None)))
    return {**found, "loss": round(float(loss), 6), "num_examples": len(labels),
            "calibration": confidence_calibration(probabilities, labels),
            # per example (top losses, k-fold's out-of-fold probabilities): popped before metrics.json
            PROBABILITIES: probabilities}


@torch.no_grad()
def predict_logits(task: TrainingTask, split: SplitData, batch_size: int, view: int = 0) -> np.ndarray:
    """Logits of `task.model` (as it is) for every example of `split`, without Trainer."""
    device = next(task.model.parameters()).device
    task.model.eval()
    loader = torch.utils.data.DataLoader(
        EncodedDataset(split, task.encode, train=False, view=task.view(view)), batch_size=batch_size,
        collate_fn=task.collate,
    )
    found = []
    for batch in loader:
        batch.pop("labels")
        found.append(task.model(**{key: value.to(device) for key, value in batch.items()}).logits.float().cpu())
    return torch.cat(found).numpy()


def evaluate_split(task: TrainingTask, split_name: str, batch_size: int) -> dict[str, Any]:
    """accuracy, macro-F1, loss, confusion matrix of `task.model` (as it is) on one split of task.data,
    averaged over the task's test-time views."""
    split = task.data.splits[split_name]
    return scored_views(lambda view: (predict_logits(task, split, batch_size, view), split.labels),
                        len(task.tta_views), len(task.data.label_names))


def evaluate_with_trainer(trainer, task: TrainingTask, dataset: Callable[[str, int], Any]) -> dict[str, Any]:
    """Every evaluation split scored with trainer.predict on dataset(split, view), views averaged."""
    def predict(name: str, view: int) -> tuple[np.ndarray, np.ndarray]:
        data = dataset(name, view)
        found = trainer.predict(data)
        order = prediction_order(trainer, data)
        if order is None:
            return found.predictions, found.label_ids
        logits, labels = np.empty_like(found.predictions), np.empty_like(found.label_ids)
        logits[order], labels[order] = found.predictions, found.label_ids  # back in the dataset's order
        return logits, labels

    num_labels = len(task.data.label_names)
    return {name: scored_views(lambda view, name=name: predict(name, view), len(task.tta_views), num_labels)
            for name in task.data.eval_splits()}
