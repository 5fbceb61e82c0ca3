"""Classification metrics (scikit-learn) and the confusion-matrix plot."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from contract.plots import draw_confusion_matrix


def classification_metrics(logits: np.ndarray, labels: np.ndarray, num_labels: int) -> dict[str, Any]:
    """accuracy, macro-F1 (scikit-learn) and the confusion matrix (rows = true, columns = predicted)."""
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    predictions = np.asarray(logits).argmax(axis=-1)
    every_label = list(range(num_labels))
    return {
        "accuracy": float(accuracy_score(labels, predictions)),
        "f1_macro": float(f1_score(labels, predictions, labels=every_label, average="macro", zero_division=0)),
        "confusion_matrix": confusion_matrix(labels, predictions, labels=every_label).tolist(),
    }


def trainer_metrics(num_labels: int) -> Callable:
    """compute_metrics for Trainer: scalar metrics only (the matrix is added in the final evaluation)."""

    def compute(eval_prediction) -> dict[str, float]:
        found = classification_metrics(eval_prediction.predictions, eval_prediction.label_ids, num_labels)
        return {"accuracy": found["accuracy"], "f1_macro": found["f1_macro"]}

    return compute


def plot_confusion_matrix(matrix: list[list[int]], label_names: Sequence[str], path: Path, title: str) -> Path:
    """confusion_matrix.png with counts in every cell (contract/plots.py; English, as the model card)."""
    draw_confusion_matrix(matrix, label_names, path, title)
    return path


LOW_CONFIDENCE_SHARE = 0.1  # the least confident tenth of validation answers defines "low confidence"


def confidence_calibration(probabilities: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    """What "low confidence" means for this model, measured on an evaluation split: the top probability
    below which the least confident LOW_CONFIDENCE_SHARE of answers fall, and how often those (and the
    others) were right. The app flags answers under that threshold with the accuracy measured here."""
    top = np.asarray(probabilities).max(axis=-1)
    correct = np.asarray(probabilities).argmax(axis=-1) == np.asarray(labels)
    threshold = float(np.quantile(top, LOW_CONFIDENCE_SHARE)) if len(top) else 0.0
    below = top < threshold

    def share_right(mask: np.ndarray) -> float | None:
        return round(float(correct[mask].mean()), 4) if mask.any() else None

    return {"low_confidence_below": round(threshold, 4), "accuracy_below": share_right(below),
            "accuracy_above": share_right(~below), "examples_below": int(below.sum()), "examples": len(top)}
