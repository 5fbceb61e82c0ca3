"""The confusion-matrix picture, drawn the same way by training (confusion_matrix.png, English, for the
model card) and by the app (in the visitor's language, from metrics.json's numbers).

matplotlib is imported when a picture is drawn, never when this module is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO

import numpy as np

from contract.escaping import plot_text

# At most 2,100 x 2,000 px whatever the class count (150 classes made it 13,800 x 13,700 px, which then
# broke every page that showed it); counts are written up to 40 classes.
MAX_PLOT_INCHES = 20.0
MAX_COUNTED_CLASSES = 40


def draw_confusion_matrix(matrix: Sequence[Sequence[int]], label_names: Sequence[str], target: Path | IO[bytes],
                          title: str, true_label: str = "true", predicted_label: str = "predicted") -> None:
    """A PNG of `matrix` (rows true, columns predicted) with counts in every cell, written to `target`."""
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
    axes.set_xlabel(plot_text(predicted_label))
    axes.set_ylabel(plot_text(true_label))
    axes.set_title(plot_text(title, 120))
    threshold = values.max() / 2 if values.size else 0
    for (row, column), count in np.ndenumerate(values if len(label_names) <= MAX_COUNTED_CLASSES else []):
        axes.text(column, row, str(count), ha="center", va="center",
                  color="white" if count > threshold else "black")
    figure.tight_layout()
    figure.savefig(target, dpi=100, format="png")
    plt.close(figure)
