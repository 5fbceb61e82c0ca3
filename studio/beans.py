"""The bean-leaf tab's logic, without Gradio: which model, top-3 prediction, class names."""

from __future__ import annotations

from PIL import Image

from contract.checkpoint import IMAGE_CLASSIFICATION, TTA_CONFIG_KEY
from contract.images import VIEWS
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


def tta_views(classifier) -> list:
    """The mirrored views the checkpoint was evaluated with (config.json), applied the same way here."""
    names = getattr(classifier.model.config, TTA_CONFIG_KEY, None) or []
    return [VIEWS[name] for name in names if name in VIEWS]


def predict_leaf(classifier, image: Image.Image, top_k: int = TOP_K) -> dict[str, float]:
    """{label: probability} for the `top_k` most likely classes, most likely first; with the checkpoint's
    test-time views, the probabilities of the picture and its views averaged, as training evaluated it."""
    import torch

    pictures = [image, *(view(image) for view in tta_views(classifier))]
    every_label = len(classifier.model.config.id2label)
    with torch.inference_mode():
        results = [classifier(picture, top_k=every_label) for picture in pictures]
    totals: dict[str, float] = {}
    for result in results:
        for item in result:
            totals[item["label"]] = totals.get(item["label"], 0.0) + float(item["score"]) / len(results)
    return dict(sorted(totals.items(), key=lambda pair: -pair[1])[:top_k])


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
