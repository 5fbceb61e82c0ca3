"""Classification metrics (scikit-learn) and the confusion-matrix plot."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from contract.escaping import plot_text


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


# confusion_matrix.png stays at most 2,100 × 2,000 px whatever the class count (150 classes made it
# 13,800 × 13,700 px, which then broke every page that showed it); counts are written up to 40 classes.
MAX_PLOT_INCHES = 20.0
MAX_COUNTED_CLASSES = 40


def plot_confusion_matrix(matrix: list[list[int]], label_names: Sequence[str], path: Path, title: str) -> Path:
    """confusion_matrix.png with counts in every cell (matplotlib, Agg backend: no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    values = np.asarray(matrix)
    size = min(MAX_PLOT_INCHES, max(4.0, 0.9 * len(label_names) + 2))
    figure, axes = plt.subplots(figsize=(size + 1, size))
    image = axes.imshow(values, cmap="Blues")
    figure.colorbar(image, ax=axes)
    ticks = range(len(label_names))
    names = [plot_text(name) for name in label_names]  # a visitor's `$\macro$` label is not mathtext
    font = max(4.0, min(10.0, 10.0 * 20 / max(1, len(label_names))))
    axes.set_xticks(ticks, names, rotation=45, ha="right", fontsize=font)
    axes.set_yticks(ticks, names, fontsize=font)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(plot_text(title, 120))
    threshold = values.max() / 2 if values.size else 0
    for (row, column), count in np.ndenumerate(values if len(label_names) <= MAX_COUNTED_CLASSES else []):
        axes.text(column, row, str(count), ha="center", va="center",
                  color="white" if count > threshold else "black")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
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
