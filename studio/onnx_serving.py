"""An image checkpoint's forward pass on ONNX Runtime, when the checkpoint has a model.onnx.

training/export.py writes model.onnx beside the safetensors and checks it. Here it is checked again
when first used, against the loaded torch model on a fixed picture, so a graph left over from other
weights (a re-trained or hand-edited checkpoint) is never served: any disagreement, a missing
onnxruntime or STUDIO_RUNTIME=torch, and the tab stays on torch. Only checkpoints loaded from a local
folder qualify; a Hub model is always run by torch.
"""

from __future__ import annotations

import logging
import threading
import weakref
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from contract.checkpoint import ONNX_FILE, ONNX_MAX_ABS_DIFF
from studio import config

log = logging.getLogger("studio")
SESSIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # pipeline -> InferenceSession | None
SESSIONS_GUARD = threading.Lock()


def onnx_session(classifier: Any) -> Any | None:
    """The checked ONNX Runtime session of this image-classification pipeline, or None (use torch)."""
    with SESSIONS_GUARD:
        if classifier not in SESSIONS:
            SESSIONS[classifier] = open_session(classifier)
        return SESSIONS[classifier]


def check_picture() -> Image.Image:
    """A fixed, textured picture: every pixel value and edge the check may need, no file to ship."""
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 256, (320, 300, 3), dtype=np.uint8))


def open_session(classifier: Any) -> Any | None:
    folder = Path(getattr(classifier.model, "name_or_path", "") or "")
    if config.inference_runtime() != "onnx" or not folder.is_absolute() or not (folder / ONNX_FILE).is_file():
        return None
    try:
        import onnxruntime
        import torch

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = config.torch_threads()
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"])
        pixels = classifier.image_processor(check_picture(), return_tensors="pt")["pixel_values"]
        with torch.inference_mode():
            expected = classifier.model(pixel_values=pixels.to(classifier.model.dtype)).logits.float().numpy()
        difference = float(np.abs(session.run(None, {"pixel_values": pixels.numpy()})[0] - expected).max())
    except Exception as error:
        log.warning("%s: served by torch, %s unusable (%s: %s)", folder.name, ONNX_FILE, type(error).__name__, error)
        return None
    if not difference <= ONNX_MAX_ABS_DIFF:
        log.warning("%s: served by torch, %s disagrees with the weights (logits differ by %.3g)",
                    folder.name, ONNX_FILE, difference)
        return None
    return session


def onnx_logits(session: Any, pixel_values: Any) -> Any:
    import torch

    return torch.from_numpy(session.run(None, {"pixel_values": pixel_values.float().numpy()})[0])
