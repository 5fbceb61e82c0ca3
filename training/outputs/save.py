"""Writing the checkpoint folder (contract/checkpoint.py): weights, processor, metrics.json, confusion
matrix, model card and, for images, model.onnx; built aside and renamed into place in one step."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from torch import nn

from contract.checkpoint import (
    CONFUSION_MATRIX_FILE,
    EVAL_SPLIT,
    IMAGE_CLASSIFICATION,
    write_atomically,
    write_metrics,
)
from contract.errors import first_line
from contract.onnx_graph import INT8_RECORD
from training.data import TrainingTask
from training.errors import UserError
from training.metrics import plot_confusion_matrix

Quantizer = Callable[[Path], dict[str, Any] | None]  # folder with model.onnx -> its int8 record (metrics.json)


def versions() -> dict[str, str]:
    import datasets
    import transformers

    return {
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "datasets": datasets.__version__,
    }


def onnx_sample(task: TrainingTask, count: int = 4) -> torch.Tensor | None:
    """Model inputs of a few validation images (as the app will feed them) to check the ONNX export on."""
    if task.task != IMAGE_CLASSIFICATION:
        return None
    split = task.data.splits[EVAL_SPLIT]
    batch = task.collate([{**task.encode(split.examples[i], False), "labels": split.labels[i]}
                          for i in range(min(count, len(split)))])
    return batch["pixel_values"]


def write_checkpoint_files(folder: Path, model: nn.Module, processor: Any, metrics: dict[str, Any],
                           onnx_inputs: torch.Tensor | None = None, quantize: Quantizer | None = None) -> None:
    """Everything the contract lists, into `folder` (a temp folder: see `atomic_folder`); with
    `onnx_inputs`, also model.onnx, checked on them (training/export.py), and with `quantize`, its int8
    graph (training/quantize.py)."""
    from training.card import write_model_card

    model.save_pretrained(folder, safe_serialization=True)
    if processor is not None:
        processor.save_pretrained(folder)
    if onnx_inputs is not None:
        from training.export import export_image_classifier

        record = export_image_classifier(model, onnx_inputs, folder)
        if record:
            metrics["inference"] = {**metrics.get("inference", {}), "onnx": record}
            int8 = quantize(folder) if quantize else None
            if int8:
                metrics["inference"][INT8_RECORD] = int8
    write_metrics(folder, metrics)
    validation = metrics["splits"][EVAL_SPLIT]
    plot_confusion_matrix(validation["confusion_matrix"], metrics["label_names"], folder / CONFUSION_MATRIX_FILE,
                          f"{metrics['name']} · {EVAL_SPLIT} · accuracy {validation['accuracy']:.1%}")
    write_model_card(folder, metrics)


def save_checkpoint(target: Path, model: nn.Module, processor: Any, metrics: dict[str, Any],
                    onnx_inputs: torch.Tensor | None = None, quantize: Quantizer | None = None) -> Path:
    """Write models/<name>/ atomically: built in models/.<name>.tmp-<pid>/, renamed when complete.

    A failed write (disk full, read-only folder) is one line; the previous checkpoint is left as it was.
    """
    try:
        return write_atomically(target, lambda folder: write_checkpoint_files(folder, model, processor, metrics,
                                                                              onnx_inputs, quantize))
    except OSError as error:
        raise UserError(f"could not write the checkpoint {target.name!r}: {error.strerror or first_line(error)} "
                        "(any previous checkpoint of that name is unchanged)") from None
