"""model.int8.onnx: model.onnx with 8-bit weights and activations (ONNX Runtime's static quantization).

Static QDQ: each convolution's weights are quantized per output channel, its activations with ranges
measured on training images (calibration), and ONNX Runtime runs integer kernels between them. The
graph is then checked against the float one on the validation split, the checkpoint's test-time views
averaged as the app averages them: accuracy of both, how often they agree, their size and CPU time per
picture (one thread, batch 1, the two graphs timed in turn on the same pictures). That record goes into
metrics.json `inference.onnx_int8`; the app serves the int8 graph only when the operator asks for it and
its accuracy drop is within a bound (contract/onnx_graph.py).

Dynamic quantization (weights only, activations quantized on the fly) needs no calibration, but on this
conv net it is slower than the float graph and loses more accuracy (docs/RESULTS.md): `--quantize int8`
means static QDQ; `QUANTIZERS` keeps the dynamic one for the benchmark's comparison.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from contract.checkpoint import ONNX_FILE, ONNX_INPUT
from contract.onnx_graph import (
    INT8_ONNX_FILE,
    check_pictures,
    open_graph,
    probability_difference,
    runtime,
    softmax,
)

log = logging.getLogger("training")
QUANTIZE_CHOICES = ("none", "int8")
CALIBRATION_EXAMPLES = 64  # training images whose activation ranges set the 8-bit scales


def quantize_flag(help_text: str) -> Any:
    """The `--quantize` field of a command's arguments (none, int8), with that command's help."""
    return field(default="none", metadata={"help": help_text, "choices": list(QUANTIZE_CHOICES)})


def calibration_reader(pictures: Iterable[np.ndarray]) -> Any:
    """ONNX Runtime's calibration interface over model inputs [C, H, W] (one picture per pass)."""
    from onnxruntime.quantization import CalibrationDataReader

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.pictures: Iterator[np.ndarray] = iter(pictures)

        def get_next(self) -> dict[str, np.ndarray] | None:
            picture = next(self.pictures, None)
            return None if picture is None else {ONNX_INPUT: np.asarray(picture, dtype=np.float32)[None]}

    return Reader()


def prepared_graph(float_path: Path, scratch: Path) -> Path:
    """The float graph with shapes inferred and constants folded, as ONNX Runtime advises before
    quantizing; the graph as it is when that step fails (it is an optimisation, not a requirement)."""
    from onnxruntime.quantization import quant_pre_process

    prepared = scratch / "prepared.onnx"
    try:
        quant_pre_process(str(float_path), str(prepared), skip_symbolic_shape=True)
        return prepared
    except Exception as error:
        log.warning("quantizing the graph as exported (pre-processing failed: %s: %s)",
                    type(error).__name__, str(error)[:200])
        return float_path


def quantize_static_qdq(float_path: Path, out_path: Path, calibration: Iterable[np.ndarray]) -> None:
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static

    with tempfile.TemporaryDirectory(prefix="quantize-") as scratch:
        quantize_static(
            str(prepared_graph(float_path, Path(scratch))), str(out_path), calibration_reader(calibration),
            quant_format=QuantFormat.QDQ, per_channel=True, activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8, calibrate_method=CalibrationMethod.MinMax)


def quantize_dynamic_weights(float_path: Path, out_path: Path, _calibration: Iterable[np.ndarray]) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(prefix="quantize-") as scratch:
        quantize_dynamic(str(prepared_graph(float_path, Path(scratch))), str(out_path), per_channel=True,
                         weight_type=QuantType.QInt8)


# method name (metrics.json) -> quantize(float_path, out_path, calibration pictures)
QUANTIZERS: dict[str, Callable[[Path, Path, Iterable[np.ndarray]], None]] = {
    "static-qdq": quantize_static_qdq,
    "dynamic": quantize_dynamic_weights,
}
DEFAULT_METHOD = "static-qdq"


def megabytes(path: Path) -> float:
    return round(path.stat().st_size / 1e6, 2)


def compare_graphs(float_path: Path, int8_path: Path, validation: Iterable[tuple[list[np.ndarray], int]],
                   check_pixels: np.ndarray) -> dict[str, Any]:
    """Both graphs on every validation example (its views' probabilities averaged; `validation` yields
    (views [C, H, W], label)), one thread each, batch 1, timed in turn; and the largest probability
    difference between them on `check_pixels` (the check pictures, as the processor prepares them)."""
    graphs = {"float": open_graph(float_path, threads=1), "int8": open_graph(int8_path, threads=1)}
    for session in graphs.values():  # the first pass allocates: not timed
        session.run(None, {ONNX_INPUT: np.asarray(check_pixels[:1], dtype=np.float32)})
    seconds = dict.fromkeys(graphs, 0.0)
    predictions: dict[str, list[int]] = {name: [] for name in graphs}
    labels: list[int] = []
    pictures = 0
    for views, label in validation:
        labels.append(int(label))
        pictures += len(views)
        for name, session in graphs.items():
            probabilities = []
            for view in views:
                started = time.perf_counter()
                logits = session.run(None, {ONNX_INPUT: np.asarray(view, dtype=np.float32)[None]})[0]
                seconds[name] += time.perf_counter() - started
                probabilities.append(softmax(logits[0].astype(np.float64)))
            predictions[name].append(int(np.mean(probabilities, axis=0).argmax()))
    if not labels:
        raise ValueError("no validation examples to check the quantized graph on")
    truth = np.asarray(labels)
    accuracy = {name: float(np.mean(np.asarray(found) == truth)) for name, found in predictions.items()}
    return {
        "accuracy": round(accuracy["int8"], 4),
        "float_accuracy": round(accuracy["float"], 4),
        "accuracy_drop": round(accuracy["float"] - accuracy["int8"], 4),
        "agreement": round(float(np.mean(np.asarray(predictions["int8"]) == np.asarray(predictions["float"]))), 4),
        "num_examples": len(labels),
        "size_mb": megabytes(int8_path),
        "float_size_mb": megabytes(float_path),
        "ms_per_image": round(1000 * seconds["int8"] / pictures, 2),
        "float_ms_per_image": round(1000 * seconds["float"] / pictures, 2),
        "timed_pictures": pictures,
        "check_max_prob_diff": round(probability_difference(graphs["int8"], graphs["float"], check_pixels), 4),
    }


@dataclass(frozen=True)
class Int8Inputs:
    """What quantizing a checkpoint's model.onnx reads: calibration pictures [C, H, W], the checked split's
    examples (their views [C, H, W], label), the check pictures as the processor prepares them, and names
    recorded in metrics.json (the checked split, the method of QUANTIZERS)."""

    calibration: Iterable[np.ndarray]
    validation: Iterable[tuple[list[np.ndarray], int]]
    check_pixels: np.ndarray
    split: str = "validation"
    method: str = DEFAULT_METHOD


def quantize_checkpoint(folder: Path, inputs: Int8Inputs) -> dict[str, Any] | None:
    """Write folder/model.int8.onnx from folder/model.onnx and return its metrics.json record
    (inference.onnx_int8), or None (and no file) when quantizing or checking fails: the float graph serves."""
    onnxruntime = runtime()  # telemetry off (contract/onnx_graph.py)

    float_path, int8_path = Path(folder) / ONNX_FILE, Path(folder) / INT8_ONNX_FILE
    started = time.perf_counter()
    try:
        QUANTIZERS[inputs.method](float_path, int8_path, inputs.calibration)
        record = compare_graphs(float_path, int8_path, inputs.validation, inputs.check_pixels)
    except Exception as error:  # an optional smaller model: the checkpoint is complete without it
        log.warning("no %s: %s: %s", INT8_ONNX_FILE, type(error).__name__, str(error)[:300])
        int8_path.unlink(missing_ok=True)
        return None
    log.warning("%s: validation accuracy %.4f (float %.4f), %.1f MB (float %.1f), %.2f ms per picture (float %.2f)",
                INT8_ONNX_FILE, record["accuracy"], record["float_accuracy"], record["size_mb"],
                record["float_size_mb"], record["ms_per_image"], record["float_ms_per_image"])
    return {"file": INT8_ONNX_FILE, "method": inputs.method, "split": inputs.split, **record, "threads": 1,
            "quantize_s": round(time.perf_counter() - started, 1), "onnxruntime": onnxruntime.__version__,
            "cpu_count": os.cpu_count()}


# ---------------------------------------------------------------- from a training task's data


def encoded(task: Any, example: Any, view: Callable[[Any], Any] | None = None) -> np.ndarray:
    """One model input [C, H, W] as the app will feed it (the processor, no augmentation)."""
    return task.encode(view(example) if view else example, False)["pixel_values"].numpy()


def task_calibration(task: Any, split: str, count: int = CALIBRATION_EXAMPLES, seed: int = 0) -> Iterator[np.ndarray]:
    """`count` pictures of `split` drawn evenly at random, encoded lazily."""
    examples = task.data.splits[split].examples
    chosen = np.random.default_rng(seed).permutation(len(examples))[:count]
    return (encoded(task, examples[i]) for i in chosen)


def task_validation(task: Any, split: str) -> Iterator[tuple[list[np.ndarray], int]]:
    """Every example of `split` with its test-time views, encoded one example at a time."""
    data = task.data.splits[split]
    views = (None, *task.tta_views)
    for example, label in zip(data.examples, data.labels, strict=True):
        yield [encoded(task, example, view) for view in views], int(label)


def check_pixels(processor: Any, count: int = 2) -> np.ndarray:
    return np.stack([processor(picture, return_tensors="np")["pixel_values"][0] for picture in check_pictures(count)])


def task_int8_inputs(task: Any, calibration_split: str, split: str, method: str = DEFAULT_METHOD) -> Int8Inputs:
    """Int8Inputs from a training task (training/flow/data.py): calibrated on `calibration_split`, checked
    on `split` with the task's test-time views."""
    return Int8Inputs(task_calibration(task, calibration_split), task_validation(task, split),
                      check_pixels(task.processor), split, method)
