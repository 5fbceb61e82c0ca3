"""The bean-leaf tab's logic, without Gradio: which model, top-3 prediction, class names."""

from __future__ import annotations

from PIL import Image

from contract.checkpoint import IMAGE_CLASSIFICATION, TTA_CONFIG_KEY
from contract.images import VIEWS
from studio.serving.batching import batcher_for
from studio.serving.models import ModelChoice
from studio.serving.onnx import onnx_logits, onnx_session
from studio.serving.service import ModelTab

HUB_DEFAULT = "nateraw/vit-base-beans"  # public ViT fine-tuned on beans, for users who are online
TOP_K = 3
# Images per forward pass. Measured for MobileNetV2 on one thread: 21 CPU-ms per image alone, 20 in pairs,
# 27 in fours, 37 in eights (bigger activations spill the cache). A transformer gains from batches
# (MiniLM: 13 ms per text alone, 7 in eights); this conv net does not, so pairs at most.
MAX_BATCH = 2
# Kept in sync with training/args.py + training/image.py: tests/test_beans.py parses it with their parser.
TRAIN_COMMAND = (
    "python -m training image --data-dir ../shared/data/beans "
    "--base-model ../shared/models/mobilenet_v2_imagenet --strategy last-n --unfreeze-last 3 --resize-mode whole "
    "--image-size 320 --augment hflip,vflip,rot90 --epochs 3 --learning-rate 1e-3 --lr-scheduler-type cosine "
    "--label-smoothing 0.1 --no-select-best --tta flips --name beans-mobilenet-last3"
)


MODEL = ModelTab("beans", IMAGE_CLASSIFICATION, HUB_DEFAULT, TRAIN_COMMAND, prepare=onnx_session)


def tta_views(classifier) -> list:
    """The mirrored views the checkpoint was evaluated with (config.json), applied the same way here."""
    names = getattr(classifier.model.config, TTA_CONFIG_KEY, None) or []
    return [VIEWS[name] for name in names if name in VIEWS]


def predict_leaf(classifier, image: Image.Image, top_k: int = TOP_K) -> dict[str, float]:
    """{label: probability} for the `top_k` most likely classes, most likely first: what the pipeline
    `classifier(image, top_k=top_k)` answers, with the forward pass shared by concurrent requests. With
    the checkpoint's test-time views, the probabilities of the picture and its views are averaged, as
    training evaluated it."""
    batcher = batcher_for(classifier, pipeline_probabilities, MAX_BATCH)
    pictures = [image, *(view(image) for view in tta_views(classifier))]
    rows = batcher.submit_all([classifier.image_processor(picture, return_tensors="pt")["pixel_values"][0]
                               for picture in pictures])
    probabilities = [sum(column) / len(rows) for column in zip(*rows, strict=True)]
    ranked = sorted(enumerate(probabilities), key=lambda pair: -pair[1])[:top_k]
    id2label = classifier.model.config.id2label
    return {str(id2label.get(i, i)): float(p) for i, p in ranked}


def pipeline_probabilities(classifier, pixel_batch: list) -> list[list[float]]:
    session = onnx_session(classifier)
    if session is None:
        return class_probabilities(classifier.model, pixel_batch)
    return class_probabilities(classifier.model, pixel_batch, lambda batch: onnx_logits(session, batch))


def class_probabilities(model, pixel_batch: list, forward=None) -> list[list[float]]:
    """One forward pass per input shape (a processor without a crop can give several), by `forward`
    (pixel batch -> logits; default the torch model); softmax as the image-classification pipeline applies
    it (sigmoid for one or several independent labels)."""
    import torch

    forward = forward or (lambda batch: model(pixel_values=batch).logits)
    rows: list = [None] * len(pixel_batch)
    shapes: dict[tuple, list[int]] = {}
    for index, pixels in enumerate(pixel_batch):
        shapes.setdefault(tuple(pixels.shape), []).append(index)
    independent = model.config.num_labels == 1 or model.config.problem_type == "multi_label_classification"
    with torch.inference_mode():
        for indices in shapes.values():
            batch = torch.stack([pixel_batch[i] for i in indices]).to(model.dtype)
            logits = forward(batch).float()
            scores = logits.sigmoid() if independent else logits.softmax(dim=-1)
            for index, row in zip(indices, scores.tolist(), strict=True):
                rows[index] = row
    return rows


def label_names(choice: ModelChoice, classifier=None) -> list[str]:
    """Class names from metrics.json, else from the loaded model's config."""
    names = choice.metrics.get("label_names")
    if names:
        return list(names)
    if classifier is not None:
        id2label = classifier.model.config.id2label
        return [id2label[i] for i in sorted(id2label)]
    return []
