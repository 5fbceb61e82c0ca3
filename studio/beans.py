"""The bean-leaf tab's logic, without Gradio: which model, top-3 prediction, class names."""

from __future__ import annotations

from PIL import Image

from contract.checkpoint import IMAGE_CLASSIFICATION
from studio.about import display_label
from studio.models import ModelChoice
from studio.serving import ModelTab

HUB_DEFAULT = "nateraw/vit-base-beans"  # public ViT fine-tuned on beans, for users who are online
TOP_K = 3
# Kept in sync with training/args.py + training/image.py: tests/test_beans.py parses it with their parser.
TRAIN_COMMAND = (
    "python -m training image --data-dir ../shared/data/beans "
    "--base-model ../shared/models/mobilenet_v2_imagenet --strategy head --resize-mode whole --image-size 320 "
    "--augment hflip,vflip --tta flips --name beans-mobilenet-head"
)


MODEL = ModelTab("beans", IMAGE_CLASSIFICATION, HUB_DEFAULT, TRAIN_COMMAND)


def predict_leaf(classifier, image: Image.Image, top_k: int = TOP_K) -> dict[str, float]:
    """{label: probability} for the `top_k` most likely classes, most likely first."""
    import torch

    with torch.inference_mode():
        results = classifier(image, top_k=top_k)
    return {result["label"]: float(result["score"]) for result in results}


def display_scores(scores: dict[str, float]) -> dict[str, float]:
    return {display_label(label): score for label, score in scores.items()}


def label_names(choice: ModelChoice, classifier=None) -> list[str]:
    """Class names from metrics.json, else from the loaded model's config."""
    names = choice.metrics.get("label_names")
    if names:
        return list(names)
    if classifier is not None:
        id2label = classifier.model.config.id2label
        return [id2label[i] for i in sorted(id2label)]
    return []
