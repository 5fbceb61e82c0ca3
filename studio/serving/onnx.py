"""An image checkpoint's forward pass on ONNX Runtime, when the checkpoint has a model.onnx.

training/outputs/onnx.py writes model.onnx beside the safetensors and checks it. Here it is checked again
when the model is loaded, against the loaded torch model on a fixed picture, so a graph left over from other
weights (a re-trained or hand-edited checkpoint, another revision of a Hub repo) is never served: any
disagreement, a missing onnxruntime or STUDIO_RUNTIME=torch, and the tab stays on torch. A tab's Hub
model (a Space serving a pushed checkpoint: `python -m training push` uploads model.onnx too) gets the
graph from the Hub's cache or, online, downloads it once.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from contract.checkpoint import ONNX_FILE, ONNX_MAX_ABS_DIFF
from contract.hub_ids import is_hub_id, public_ref
from contract.onnx_graph import check_pictures, logit_difference, open_graph
from studio import config
from studio.serving.onnx_int8 import int8_or_float

log = logging.getLogger("studio")
def onnx_file(classifier: Any) -> Path | None:
    """model.onnx beside the model's weights: in its local folder, or in its Hub repo."""
    ref = str(getattr(classifier.model, "name_or_path", "") or "")
    if Path(ref).is_absolute():
        path = Path(ref) / ONNX_FILE
        return path if path.is_file() else None
    if not is_hub_id(ref):
        return None
    from huggingface_hub import hf_hub_download

    try:  # offline: the cached copy, if any; online: a lookup bounded like the playground's
        return Path(hf_hub_download(ref, ONNX_FILE, etag_timeout=config.hub_timeout()))
    except Exception:  # no graph in that repo (the usual case), or the Hub unreachable: torch serves
        return None


def open_session(classifier: Any) -> Any | None:
    """The checked ONNX Runtime session of a loaded image classifier (its .model and .image_processor),
    or None: torch serves it. Run once, when the model is loaded (studio/serving/service.py)."""
    path = onnx_file(classifier) if config.inference_runtime() != "torch" else None
    if path is None:
        return None
    name = public_ref(str(classifier.model.name_or_path))
    try:
        import torch

        session = open_graph(path, config.torch_threads())
        pixels = classifier.image_processor(check_pictures(1), return_tensors="pt")["pixel_values"]
        with torch.inference_mode():
            expected = classifier.model(pixel_values=pixels.to(classifier.model.dtype)).logits.float().numpy()
        difference = logit_difference(session, pixels.numpy(), expected)
    except Exception as error:
        log.warning("%s: served by torch, %s unusable (%s: %s)", name, ONNX_FILE, type(error).__name__, error)
        return None
    if not difference <= ONNX_MAX_ABS_DIFF:
        log.warning("%s: served by torch, %s disagrees with the weights (logits differ by %.3g)",
                    name, ONNX_FILE, difference)
        return None
    return int8_or_float(classifier, session, path)  # STUDIO_RUNTIME=onnx-int8: model.int8.onnx when allowed
