"""`model.onnx` beside the safetensors: the same image classifier as an ONNX graph, for serving.

The app runs it with ONNX Runtime, which costs a third of torch's CPU time per image here (MobileNetV2,
one thread: 7 vs 18 ms) and releases the GIL for the whole forward pass instead of once per layer, so
a busy web server no longer stalls it. The export is checked against torch's logits on real inputs; a
graph that disagrees (or an architecture the exporter can't handle) is not written, and the app then
serves the safetensors with torch as before.

`to_onnx` is also how training exports the frozen part of a model (training/flow/frozen_graph.py), and
`python -m training export-onnx` (training/commands/export_onnx.py) adds model.onnx to a checkpoint later.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

import torch
from torch import nn

from contract.checkpoint import ONNX_FILE, ONNX_INPUT, ONNX_MAX_ABS_DIFF
from contract.onnx_graph import logit_difference, open_graph, runtime

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
    onnxruntime = runtime()  # telemetry off (contract/onnx_graph.py)

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
