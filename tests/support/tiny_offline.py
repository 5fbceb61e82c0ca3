"""A tiny image checkpoint as training writes it, with a real, checked model.onnx: what the offline page
is built from, in a second and without ../shared."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.tiny import LEAF_CLASSES, make_tiny_vit


def tiny_onnx_checkpoint(folder: Path, labels: tuple[str, ...] = LEAF_CLASSES, accuracy: float = 0.5) -> Path:
    import torch
    from transformers import AutoImageProcessor, AutoModelForImageClassification

    from contract.onnx_graph import check_pictures
    from training.outputs.onnx import export_image_classifier

    make_tiny_vit(folder, labels=labels)
    model = AutoModelForImageClassification.from_pretrained(folder)
    pixels = AutoImageProcessor.from_pretrained(folder)(check_pictures(2), return_tensors="pt")["pixel_values"]
    with torch.inference_mode():
        assert export_image_classifier(model, pixels, folder) is not None
    metrics = {"task": "image-classification", "name": folder.name, "label_names": list(labels),
               "splits": {"validation": {"accuracy": accuracy, "num_examples": 12}}}
    (folder / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    return folder
