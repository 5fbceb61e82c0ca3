"""Writing the checkpoint folder (contract/checkpoint.py): weights, processor, metrics.json, confusion
matrix, model card and, for images, model.onnx (and model.int8.onnx); built aside and renamed into place
in one step. What is written is returned: the metrics.json written, with the ONNX records in it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import torch
from torch import nn

from contract.checkpoint import CONFUSION_MATRIX_FILE, EVAL_SPLIT, write_atomically, write_metrics
from contract.errors import first_line
from contract.onnx_graph import INT8_RECORD
from training.errors import UserError
from training.outputs.card import write_model_card
from training.outputs.label_issues import write_json
from training.outputs.metrics import plot_confusion_matrix
from training.outputs.onnx import export_image_classifier
from training.outputs.quantize import Int8Inputs, quantize_checkpoint


def versions() -> dict[str, str]:
    import datasets
    import transformers

    return {
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "datasets": datasets.__version__,
    }


def onnx_records(folder: Path, model: nn.Module, onnx_inputs: torch.Tensor | None,
                 int8: Int8Inputs | None) -> dict[str, Any]:
    """model.onnx checked on `onnx_inputs` and, with `int8`, model.int8.onnx, into `folder`; their records
    for metrics.json `inference` ({} when nothing was written)."""
    record = export_image_classifier(model, onnx_inputs, folder) if onnx_inputs is not None else None
    if not record:
        return {}
    int8_record = quantize_checkpoint(folder, int8) if int8 is not None else None
    return {"onnx": record, **({INT8_RECORD: int8_record} if int8_record else {})}


def write_checkpoint_files(folder: Path, model: nn.Module, processor: Any, metrics: dict[str, Any],
                           onnx_inputs: torch.Tensor | None, int8: Int8Inputs | None,
                           data_files: dict[str, Any]) -> dict[str, Any]:
    """Everything the contract lists, into `folder` (a temp folder: see `save_checkpoint`); the metrics
    written."""
    model.save_pretrained(folder, safe_serialization=True)
    if processor is not None:
        processor.save_pretrained(folder)
    records = onnx_records(folder, model, onnx_inputs, int8)
    written = {**metrics, "inference": {**metrics.get("inference", {}), **records}} if records else metrics
    write_metrics(folder, written)
    validation = written["splits"][EVAL_SPLIT]
    plot_confusion_matrix(validation["confusion_matrix"], written["label_names"], folder / CONFUSION_MATRIX_FILE,
                          f"{written['name']} · {EVAL_SPLIT} · accuracy {validation['accuracy']:.1%}")
    write_model_card(folder, written)
    for file_name, content in data_files.items():  # label issues, top losses: `inspect` and the Train tab
        write_json(folder / file_name, content)
    return written


def save_checkpoint(target: Path, model: nn.Module, processor: Any, metrics: dict[str, Any],
                    onnx_inputs: torch.Tensor | None = None, int8: Int8Inputs | None = None,
                    data_files: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write models/<name>/ atomically (built in models/.<name>.tmp-<pid>/, renamed when complete); with
    `onnx_inputs`, also model.onnx checked on them, and with `int8`, model.int8.onnx; `data_files`
    {file name: JSON} beside them. Returns the metrics written.

    A failed write (disk full, read-only folder) is one line; the previous checkpoint is left as it was.
    """
    written: list[dict[str, Any]] = []
    try:
        write_atomically(target, lambda folder: written.append(
            write_checkpoint_files(folder, model, processor, metrics, onnx_inputs, int8, data_files or {})))
    except OSError as error:
        raise UserError(f"could not write the checkpoint {target.name!r}: {error.strerror or first_line(error)} "
                        "(any previous checkpoint of that name is unchanged)") from None
    return written[0]
