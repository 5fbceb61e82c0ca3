"""An image checkpoint's model.onnx: open it, run it, and check it against torch's logits.

Training writes it and checks it (training/outputs/onnx.py); the app checks it again against the weights it
loaded before serving it (studio/serving/onnx.py); the benchmark times it. onnxruntime is imported only
when a graph is opened, through `runtime()`: its telemetry is turned off before anything runs.

model.int8.onnx (training/outputs/quantize.py) is the same graph with 8-bit weights and activations: metrics.json
`inference.onnx_int8` records its accuracy beside the float graph's on the validation split, and how far
its probabilities may stray from the float graph's on the check pictures; the app serves it only on the
operator's request, within an accuracy-drop bound, after checking that stray again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from contract.checkpoint import ONNX_INPUT


def runtime() -> Any:
    """The onnxruntime module with its telemetry events off (ONNX Runtime's own switch): an offline app
    sends nothing. Every use of onnxruntime in the project imports it through here."""
    import onnxruntime

    onnxruntime.disable_telemetry_events()
    return onnxruntime


def open_graph(path: str | Path, threads: int = 1, spin: bool = True) -> Any:
    """An ONNX Runtime session on the CPU, `threads` threads for one pass; spin=False: idle threads sleep
    instead of spinning, leaving the core to another thread of the process between passes."""
    onnxruntime = runtime()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    if not spin:
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def graph_logits(session: Any, pixel_values: np.ndarray) -> np.ndarray:
    return session.run(None, {ONNX_INPUT: np.asarray(pixel_values, dtype=np.float32)})[0]


def logit_difference(session: Any, pixel_values: np.ndarray, expected: np.ndarray) -> float:
    """The largest absolute difference between the graph's logits and `expected` (torch's) on the same inputs."""
    return float(np.abs(graph_logits(session, pixel_values) - expected).max())


INT8_ONNX_FILE = "model.int8.onnx"
INT8_RECORD = "onnx_int8"  # its key in metrics.json's "inference"
INT8_MAX_ACCURACY_DROP = 0.01  # default bound on (float - int8) validation accuracy for the app to serve it
# Slack over the recorded stray on the check pictures: 8-bit kernels round differently from one CPU's
# instruction set to another's (VNNI or not), a swapped or corrupted graph strays much further
INT8_CHECK_SLACK = 0.05


def softmax(logits: np.ndarray) -> np.ndarray:
    """Class probabilities of logits (last axis): how the graphs are compared, and how training scores."""
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def probability_difference(session: Any, reference: Any, pixel_values: np.ndarray) -> float:
    """The largest absolute difference between two graphs' class probabilities on the same inputs."""
    found = softmax(graph_logits(session, pixel_values).astype(np.float64))
    expected = softmax(graph_logits(reference, pixel_values).astype(np.float64))
    return float(np.abs(found - expected).max())


def check_pictures(count: int = 1) -> list[Image.Image]:
    """Fixed, textured pictures of slightly different sizes: every pixel value and edge a check may need,
    no file to ship."""
    rng = np.random.default_rng(0)
    return [Image.fromarray(rng.integers(0, 256, (300 + 20 * i, 320, 3), dtype=np.uint8)) for i in range(count)]
