"""The frozen part of a model on ONNX Runtime, for the cached strategies (`head`, cached `last-n`).

The pretrained model up to the trained module (the classifier, or the first trained block) is exported
with a dynamic batch and checked against torch on the first batch of features; a model of several inputs
(text), a failed export or a graph that disagrees leave torch to compute the same features.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import nn

from contract.checkpoint import ONNX_MAX_ABS_DIFF
from contract.onnx_graph import open_graph
from training.outputs.onnx import to_onnx

log = logging.getLogger("training")

FrozenGraph = Callable[[dict[str, torch.Tensor]], torch.Tensor]  # a batch -> what the trained module receives


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
                      threads: int) -> FrozenGraph | None:
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
