"""`python -m training export-onnx --checkpoint models/<name> [--quantize int8]`: add model.onnx (and
model.int8.onnx) to an image checkpoint trained before exports existed, or with --onnx false."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract.checkpoint import (
    IMAGE_CLASSIFICATION,
    METRICS_FILE,
    ONNX_FILE,
    canonical_split,
    checkpoint_task,
    is_checkpoint,
    read_metrics,
    write_metrics,
)
from contract.onnx_graph import INT8_ONNX_FILE, INT8_RECORD, check_pictures
from training.commands.parser import parse_args
from training.errors import UserError
from training.modalities.image import evaluation_task
from training.outputs.onnx import export_image_classifier
from training.outputs.quantize import (
    CALIBRATION_EXAMPLES,
    QUANTIZERS,
    Int8Inputs,
    check_pixels,
    quantize_checkpoint,
    quantize_flag,
    task_calibration,
    task_validation,
)


@dataclass(frozen=True)
class ExportArgs:
    """What `export-onnx` was asked."""

    checkpoint: str = field(metadata={"help": "A local image-classification checkpoint folder."})
    quantize: str = quantize_flag(
        "int8: also write model.int8.onnx (ONNX Runtime static quantization, calibrated on --calibration-split "
        "images), checked against the float graph on --split; the app serves it with STUDIO_RUNTIME=onnx-int8 "
        "when its accuracy drop is within STUDIO_INT8_MAX_DROP.")
    data_dir: str | None = field(
        default=None,
        metadata={"help": "--quantize: the data folder (<split>/<class>/*.jpg); default: the checkpoint's own "
                  "training data (metrics.json dataset) when it is a local folder."},
    )
    split: str = field(default="validation", metadata={"help": "--quantize: the split the int8 graph is checked on."})
    calibration_split: str = field(
        default="train", metadata={"help": "--quantize: the split whose images calibrate the 8-bit ranges."})
    quantize_method: str = field(
        default="static-qdq",
        metadata={"help": "--quantize: static-qdq (weights and activations, calibrated) or dynamic (weights only).",
                  "choices": list(QUANTIZERS)},
    )


def quantize_data_dir(args: ExportArgs, metrics: dict[str, Any]) -> Path:
    """The folder whose images calibrate and check the int8 graph."""
    chosen = args.data_dir or metrics.get("dataset") or ""
    folder = Path(chosen).expanduser()
    if not chosen or not folder.is_dir():
        raise UserError("--quantize int8 needs the images it is checked on: give --data-dir (a local folder "
                        f"with '{args.calibration_split}' and '{args.split}' splits)")
    return folder


def quantize_folder(folder: Path, scratch: Path, args: ExportArgs, metrics: dict[str, Any]) -> dict[str, Any]:
    """model.int8.onnx of scratch/model.onnx, into scratch, with the data of --data-dir."""
    data_dir = quantize_data_dir(args, metrics)
    checked = evaluation_task(folder, data_dir, args.split, None, 0)
    calibration = evaluation_task(folder, data_dir, args.calibration_split, CALIBRATION_EXAMPLES, 0)
    inputs = Int8Inputs(task_calibration(calibration, canonical_split(args.calibration_split)),
                        task_validation(checked, canonical_split(args.split)), check_pixels(checked.processor),
                        canonical_split(args.split), args.quantize_method)
    record = quantize_checkpoint(scratch, inputs)
    if record is None:
        raise UserError(f"could not quantize {folder.name!r} (see the warning above); model.onnx is unchanged")
    return record


def main(argv: list[str]) -> int:
    from transformers import AutoImageProcessor, AutoModelForImageClassification

    (args,) = parse_args((ExportArgs,), argv, prog="python -m training export-onnx")
    folder = Path(args.checkpoint).expanduser().resolve()
    if not is_checkpoint(folder) or checkpoint_task(folder) != IMAGE_CLASSIFICATION:
        raise UserError(f"--checkpoint: {folder.name!r} is not an image-classification checkpoint")
    metrics = read_metrics(folder)
    if args.quantize == "int8":
        quantize_data_dir(args, metrics)  # a missing folder is said before minutes of work
    model = AutoModelForImageClassification.from_pretrained(folder, use_safetensors=True).eval()
    processor = AutoImageProcessor.from_pretrained(folder)
    pixels = processor(check_pictures(2), return_tensors="pt")["pixel_values"]
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".export-") as scratch:  # renames stay atomic
        record = export_image_classifier(model, pixels, Path(scratch))
        if record is None:
            raise UserError(f"could not export {folder.name!r} to ONNX (see the warning above); the app keeps torch")
        inference = {**metrics.get("inference", {}), "onnx": record}
        written = [ONNX_FILE]
        if args.quantize == "int8":
            inference[INT8_RECORD] = quantize_folder(folder, Path(scratch), args, metrics)
            written.append(INT8_ONNX_FILE)
        else:
            inference.pop(INT8_RECORD, None)  # a new model.onnx: an older int8 graph no longer matches it
            (folder / INT8_ONNX_FILE).unlink(missing_ok=True)
        if metrics:
            write_metrics(Path(scratch), {**metrics, "inference": inference})
            os.replace(Path(scratch) / METRICS_FILE, folder / METRICS_FILE)
        for name in written:
            os.replace(Path(scratch) / name, folder / name)
    print(f"{folder / ONNX_FILE} written: logits within {record['max_abs_logit_diff']} of torch's")
    if args.quantize == "int8":
        found = inference[INT8_RECORD]
        print(f"{folder / INT8_ONNX_FILE} written: {found['split']} accuracy {found['accuracy']:.4f} "
              f"(float {found['float_accuracy']:.4f}, agreement {found['agreement']:.4f}), {found['size_mb']} MB "
              f"(float {found['float_size_mb']}), {found['ms_per_image']} ms per picture "
              f"(float {found['float_ms_per_image']}, one thread)")
    return 0
