"""model.int8.onnx instead of model.onnx, when the operator asks for it (STUDIO_RUNTIME=onnx-int8).

The 8-bit graph is about a third of the float one's size and half its CPU time per picture, and answers
slightly differently. It is served only when metrics.json records how it scored (`inference.onnx_int8`,
written by `python -m training export-onnx --quantize int8` or training's `--quantize int8`), its accuracy
drop from the float graph is within STUDIO_INT8_MAX_DROP, and on the check pictures its probabilities stray
from the float graph's no further than recorded (plus a slack for other CPUs' integer kernels): a graph of
other weights is never served. Otherwise the float graph serves and the log says why.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from contract.checkpoint import METRICS_FILE, read_metrics
from contract.hub_ids import is_hub_id, public_ref
from contract.onnx_graph import (
    INT8_CHECK_SLACK,
    INT8_ONNX_FILE,
    INT8_RECORD,
    check_pictures,
    open_graph,
    probability_difference,
)
from studio import config

log = logging.getLogger("studio")


def int8_refusal(record: Any, graph: Path | None, max_drop: float) -> str | None:
    """Why the int8 graph must not serve (a sentence for the log), or None when its record allows it."""
    if graph is None:
        return f"the checkpoint has no {INT8_ONNX_FILE} (python -m training export-onnx --quantize int8)"
    if not isinstance(record, dict) or not isinstance(record.get("accuracy_drop"), int | float):
        return f"{METRICS_FILE} records no accuracy for it (inference.{INT8_RECORD})"
    if record["accuracy_drop"] > max_drop:
        return (f"its validation accuracy is {record['accuracy_drop']:.2%} below the float graph's, more than "
                f"STUDIO_INT8_MAX_DROP={max_drop:g}")
    return None


def beside(classifier: Any, float_graph: Path, name: str) -> Path | None:
    """A file of the same checkpoint as `float_graph`: in its local folder, or in the Hub repo's same
    revision (the cached copy, or downloaded once, online); None when there is none."""
    path = float_graph.parent / name
    if path.is_file():
        return path
    ref = str(getattr(classifier.model, "name_or_path", "") or "")
    if Path(ref).is_absolute() or not is_hub_id(ref):
        return None
    from huggingface_hub import hf_hub_download

    try:
        return Path(hf_hub_download(ref, name, etag_timeout=config.hub_timeout()))
    except Exception:  # not in that repo, or the Hub unreachable: the float graph serves
        return None


def int8_or_float(classifier: Any, float_session: Any, float_graph: Path) -> Any:
    """The session to serve: int8 when asked for and allowed, else `float_session` (the reason logged)."""
    if config.inference_runtime() != "onnx-int8":
        return float_session
    name = public_ref(str(classifier.model.name_or_path))
    graph = beside(classifier, float_graph, INT8_ONNX_FILE)
    metrics_file = beside(classifier, float_graph, METRICS_FILE)
    record = read_metrics(metrics_file.parent).get("inference", {}).get(INT8_RECORD) if metrics_file else None
    reason = int8_refusal(record, graph, config.int8_max_drop())
    if reason is None:
        try:
            session = open_graph(graph, config.torch_threads())
            pixels = classifier.image_processor(check_pictures(2), return_tensors="np")["pixel_values"]
            stray = probability_difference(session, float_session, pixels)
        except Exception as error:
            reason = f"it cannot be run ({type(error).__name__}: {str(error)[:200]})"
        else:
            bound = float(record.get("check_max_prob_diff", 0.0)) + INT8_CHECK_SLACK
            if stray <= bound:
                log.warning("%s: served by %s (validation accuracy %s, float %s)", name, INT8_ONNX_FILE,
                            record.get("accuracy"), record.get("float_accuracy"))
                return session
            reason = (f"on the check pictures its probabilities differ from the float graph's by {stray:.3f}, "
                      f"more than the {bound:.3f} allowed: it belongs to other weights")
    log.warning("%s: served by the float model.onnx, not %s: %s", name, INT8_ONNX_FILE, reason)
    return float_session
