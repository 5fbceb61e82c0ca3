"""Plain-text tables: the CLI's results after training and evaluation, and the benchmarks' rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """Left-aligned columns separated by two spaces, with a header row; missing cells are blank."""
    cells = [list(columns)] + [["" if row.get(c) is None else str(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
                     for line in cells)


def splits_table(splits: dict[str, dict[str, Any]]) -> str:
    """One row per split of metrics.json's `splits`: examples, accuracy, macro-F1, loss."""
    rows = [{"split": name, "examples": found["num_examples"], "accuracy": f"{found['accuracy']:.4f}",
             "f1_macro": f"{found['f1_macro']:.4f}",
             "loss": "-" if found.get("loss") is None else f"{found['loss']:.4f}"}
            for name, found in splits.items()]
    return format_table(rows, ["split", "examples", "accuracy", "f1_macro", "loss"])


def kfold_line(kfold: dict[str, Any]) -> str:
    """metrics.json's `kfold` in one line: k, mean +- std of accuracy and macro-F1."""
    return (f"{kfold['folds']}-fold over {'+'.join(kfold['splits'])} ({kfold['num_examples']} examples): "
            f"accuracy {kfold['accuracy_mean']:.4f} ± {kfold['accuracy_std']:.4f}, "
            f"f1_macro {kfold['f1_macro_mean']:.4f} ± {kfold['f1_macro_std']:.4f}")
