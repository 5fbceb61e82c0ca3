"""`model.onnx` beside the safetensors: the same image classifier as an ONNX graph, for serving.

The app runs it with ONNX Runtime, which costs a third of torch's CPU time per image here (MobileNetV2,
one thread: 7 vs 18 ms) and releases the GIL for the whole forward pass instead of once per layer, so
a busy web server no longer stalls it. The export is checked against torch's logits on real inputs; a
graph that disagrees (or an architecture the exporter can't handle) is not written, and the app then
serves the safetensors with torch as before.

Training also runs the frozen layers of `head` and `last-n` on ONNX Runtime (frozen_part_graph): the
graph of the pretrained model up to the trained part, checked against torch on the first batch.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from contract.checkpoint import METRICS_FILE, ONNX_FILE, ONNX_INPUT, ONNX_MAX_ABS_DIFF
from contract.onnx_graph import check_pictures, logit_difference, open_graph
from training.errors import UserError
from training.quantize import QUANTIZE_CHOICES, QUANTIZERS

log = logging.getLogger("training")
OPSET = 17


def export_image_classifier(model: nn.Module, pixel_values: torch.Tensor, folder: Path) -> dict[str, Any] | None:
    """Write folder/model.onnx (inputs `pixel_values`, batch and size dynamic; output `logits`) and check
    it on `pixel_values`; the record for metrics.json inference.onnx, or None (and no file) on failure."""
    path = Path(folder) / ONNX_FILE
    model = model.eval()
    try:
        with torch.inference_mode():
            expected = model(pixel_values=pixel_values).logits.float().numpy()
        to_onnx(model, pixel_values, path, ONNX_INPUT, "logits", {0: "batch", 2: "height", 3: "width"})
        difference = logit_difference(open_graph(path), pixel_values.numpy(), expected)
    except Exception as error:  # an optional speed-up: training's result must not depend on it
        log.warning("no %s: the export failed (%s: %s)", ONNX_FILE, type(error).__name__, str(error)[:200])
        path.unlink(missing_ok=True)
        return None
    if not difference <= ONNX_MAX_ABS_DIFF:
        log.warning("no %s: its logits differ from torch's by %.2g", ONNX_FILE, difference)
        path.unlink(missing_ok=True)
        return None
    import onnxruntime

    return {"file": ONNX_FILE, "opset": OPSET, "checked_examples": int(pixel_values.shape[0]),
            "max_abs_logit_diff": float(f"{difference:.3g}"), "onnxruntime": onnxruntime.__version__}


def to_onnx(module: nn.Module, values: torch.Tensor, path: Path, input_name: str, output_name: str,
            input_axes: dict[int, str]) -> None:
    """Export `module(values)` (one input tensor, dynamic `input_axes`, a dynamic batch out) to `path`."""
    with warnings.catch_warnings():  # the TorchScript exporter is deprecated in favour of dynamo's,
        warnings.simplefilter("ignore")  # which needs onnxscript and handles these models no better
        torch.onnx.export(
            module, (values,), str(path), input_names=[input_name], output_names=[output_name],
            dynamic_axes={input_name: input_axes, output_name: {0: "batch"}}, opset_version=OPSET, dynamo=False)


class ModuleInput(nn.Module):
    """The model from its one input to what its module `where` receives. The rest of the model runs when
    traced but feeds no output, so the exporter leaves it out of the graph."""

    def __init__(self, model: nn.Module, where: str, input_name: str):
        super().__init__()
        self.model, self.where, self.input_name = model, model.get_submodule(where), input_name

    def forward(self, values: torch.Tensor) -> torch.Tensor:
        captured: list[torch.Tensor] = []
        handle = self.where.register_forward_pre_hook(lambda _module, inputs: captured.append(inputs[0]))
        try:
            self.model(**{self.input_name: values})
        finally:
            handle.remove()
        return captured[0]


def frozen_part_graph(model: nn.Module, where: str, batch: dict[str, torch.Tensor],
                      threads: int) -> Callable[[dict[str, torch.Tensor]], torch.Tensor] | None:
    """The frozen model's passes up to module `where` on ONNX Runtime: `run(batch) -> what where receives`,
    checked against torch on `batch`; None (torch does them) for a model of several inputs (text), when
    onnxruntime or the export fails, or when the graph disagrees. Same-size inputs: only the batch varies.
    For MobileNetV2 on 2 cores this is 3-4x faster than torch (12 vs 49 ms per 384-px image), and the
    next batch is encoded meanwhile (run_to)."""
    if len(batch) != 1:
        return None
    ((name, values),) = batch.items()
    # eval() before exporting: the exporter leaves the whole model in the wrapper's mode afterwards, and a
    # new module is in training mode (batch norms would then update their statistics on every pass)
    part = ModuleInput(model, where, name).eval()
    try:
        with torch.inference_mode():
            expected = part(values).numpy()
        with tempfile.TemporaryDirectory(prefix="frozen-onnx-") as scratch:
            path = Path(scratch) / "frozen.onnx"
            to_onnx(part, values, path, name, "features", {0: "batch"})
            # the session holds the graph, the file can go; no spinning: the next batch is encoded meanwhile
            session = open_graph(path, threads, spin=False)
        found = session.run(None, {name: values.numpy()})[0]
    except Exception as error:  # a speed-up only: torch computes the same features
        log.warning("frozen layers on torch: no ONNX graph (%s: %s)", type(error).__name__, str(error)[:200])
        return None
    difference = float(np.abs(found - expected).max()) if found.shape == expected.shape else float("inf")
    if not difference <= ONNX_MAX_ABS_DIFF * max(1.0, float(np.abs(expected).max())):
        log.warning("frozen layers on torch: the ONNX graph differs from torch by %.2g", difference)
        return None

    def run(inputs: dict[str, torch.Tensor]) -> torch.Tensor:
        # a copy: the array ONNX Runtime returns keeps a much larger allocation alive (kept for the whole
        # run, the uncopied outputs of MobileNetV2's beans features grew the process by ~2 GB)
        return torch.from_numpy(session.run(None, {name: inputs[name].numpy()})[0]).clone()

    return run


@dataclass
class ExportArgs:
    """`python -m training export-onnx --checkpoint models/<name> [--quantize int8]`: add model.onnx to a
    checkpoint trained before exports existed (or with --onnx false), and model.int8.onnx beside it."""

    checkpoint: str = field(metadata={"help": "A local image-classification checkpoint folder."})
    quantize: str = field(
        default="none",
        metadata={"help": "int8: also write model.int8.onnx (ONNX Runtime static quantization, calibrated on "
                  "--calibration-split images), checked against the float graph on --split; the app serves it "
                  "with STUDIO_RUNTIME=onnx-int8 when its accuracy drop is within STUDIO_INT8_MAX_DROP.",
                  "choices": list(QUANTIZE_CHOICES)},
    )
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
    from contract.checkpoint import canonical_split
    from training.image import evaluation_task
    from training.quantize import CALIBRATION_EXAMPLES, quantize_task_checkpoint

    data_dir = quantize_data_dir(args, metrics)
    task = evaluation_task(folder, data_dir, args.split, None, 0)
    calibration = evaluation_task(folder, data_dir, args.calibration_split, CALIBRATION_EXAMPLES, 0)
    task.data.splits.update(calibration.data.splits)
    record = quantize_task_checkpoint(scratch, task, canonical_split(args.calibration_split),
                                      canonical_split(args.split), args.quantize_method)
    if record is None:
        raise UserError(f"could not quantize {folder.name!r} (see the warning above); model.onnx is unchanged")
    return record


def main(argv: list[str]) -> int:
    from transformers import AutoImageProcessor, AutoModelForImageClassification

    from contract.checkpoint import (
        IMAGE_CLASSIFICATION,
        checkpoint_task,
        is_checkpoint,
        read_metrics,
        write_metrics,
    )
    from contract.onnx_graph import INT8_ONNX_FILE, INT8_RECORD
    from training.args import parse_args

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
