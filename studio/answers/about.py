"""What the app says about a model: its classes in the user's language, which model answers (the tab's
status line, `answering_model`), and the "about this model" card.

Pure functions of a ModelChoice (its metrics.json) and the UI strings: the same card for every tab.
A local path is never shown (contract.hub_ids.public_ref); a Hub id becomes a link.
"""

from __future__ import annotations

import io
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from contract.checkpoint import CONFUSION_MATRIX_FILE, checkpoint_version
from contract.escaping import markdown_text
from contract.hub_ids import is_hub_id, public_ref
from contract.images import open_saved_image
from contract.plots import draw_confusion_matrix
from contract.visitors import OPERATOR
from studio import config
from studio.errors import StudioError
from studio.i18n import percent, t
from studio.serving.models import ModelChoice, is_local_ref
from studio.serving.service import ModelService

SPLITS_SHOWN = ("validation", "test")
# Keys spelled out, so a search for a key finds where it is used.
SPLIT_KEYS = {"validation": "model.split.validation", "test": "model.split.test"}
SOURCE_KEYS = {"env": "model.source.env", "local": "model.source.local", "hub": "model.source.hub",
               "picked": "model.source.picked"}
STRATEGY_KEYS = {"head": "about.strategy.head", "full": "about.strategy.full"}  # others: the name itself
LIMITS_KEYS = {"image-classification": "about.limits.image-classification",
               "text-classification": "about.limits.text-classification"}
# The models' own labels (class folders, label names) the UI translates; any other label is shown as is.
LABEL_KEYS = {
    "angular_leaf_spot": "label.angular_leaf_spot", "bean_rust": "label.bean_rust", "healthy": "label.healthy",
    "negative": "label.negative", "positive": "label.positive", "1 star": "label.1 star",
    "2 stars": "label.2 stars", "3 stars": "label.3 stars", "4 stars": "label.4 stars", "5 stars": "label.5 stars",
}


def display_label(label: str) -> str:
    """'bean_rust' -> 'Roya del frijol (bean_rust)', 'negative' -> 'negativo (negative)': translated when known;
    the model's own label stays visible, since the API and the model card use it."""
    key = LABEL_KEYS.get(label.lower())
    name = t(key) if key else label
    return label if name == label else f"{name} ({label})"


def display_scores(scores: dict[str, float]) -> dict[str, float]:
    """{label: probability} with each label as `display_label` shows it, order kept."""
    return {display_label(label): score for label, score in scores.items()}


def hub_link(ref: str | None) -> str:
    """A Hub id as a Markdown link to its page; anything else by its public name only."""
    if ref and is_hub_id(ref, need_owner=True) and not Path(ref).exists():
        return f"[{ref}](https://huggingface.co/{ref})"
    return public_ref(ref) or "—"


def per_class_scores(matrix: list[list[int]]) -> list[tuple[float | None, float | None, int]]:
    """(precision, recall, support) of each class from a confusion matrix (rows true, columns predicted)."""
    scores = []
    for index, row in enumerate(matrix):
        predicted = sum(line[index] for line in matrix)
        support = sum(row)
        correct = row[index]
        scores.append((correct / predicted if predicted else None, correct / support if support else None, support))
    return scores


def class_table(labels: list[str], matrix: list[list[int]]) -> str:
    """A Markdown table: class, precision, recall, examples (validation)."""
    rows = [f"| {t('about.class')} | {t('about.precision')} | {t('about.recall')} | {t('about.examples')} |",
            "| --- | --- | --- | --- |"]
    for name, (precision, recall, support) in zip(labels, per_class_scores(matrix), strict=False):
        shown = [percent(v) if v is not None else "—" for v in (precision, recall)]
        rows.append(f"| {display_label(name)} | {shown[0]} | {shown[1]} | {support} |")
    return "\n".join(rows)


def about_model(choice: ModelChoice, labels: list[str]) -> str:
    """Markdown for "about this model": base model, data, strategy, time, accuracy, per-class figures, limits."""
    metrics: dict[str, Any] = choice.metrics
    if not metrics:
        lines = [t("about.hub", model=hub_link(choice.ref)) if not is_local_ref(choice.ref) else t("about.no_metrics")]
        if labels:
            lines.append(t("about.labels", labels=", ".join(markdown_text(display_label(name)) for name in labels)))
        return "\n\n".join(lines)
    lines = []
    if labels:
        lines.append(t("about.labels", labels=", ".join(markdown_text(display_label(name)) for name in labels)))
    if metrics.get("base_model"):
        lines.append(t("about.base_model", base_model=hub_link(metrics["base_model"])))
    if metrics.get("dataset"):
        examples = metrics.get("train", {}).get("num_examples", "?")
        lines.append(t("about.dataset", dataset=hub_link(metrics["dataset"]), examples=examples))
    if metrics.get("strategy"):
        strategy = str(metrics["strategy"])
        lines.append(t("about.strategy", strategy=t(STRATEGY_KEYS[strategy]) if strategy in STRATEGY_KEYS else strategy))
    runtime = metrics.get("train", {}).get("runtime_s")
    if runtime is not None:
        lines.append(t("about.time", seconds=f"{float(runtime):.0f}"))
    for split in SPLITS_SHOWN:
        found = metrics.get("splits", {}).get(split)
        if found and found.get("accuracy") is not None:
            lines.append(t("about.accuracy", split=t(SPLIT_KEYS[split]), accuracy=percent(found["accuracy"]),
                           examples=found.get("num_examples", "?")))
    kfold = metrics.get("kfold") or {}
    if kfold.get("accuracy_mean") is not None:
        lines.append(t("about.kfold", folds=kfold.get("folds", "?"), examples=kfold.get("num_examples", "?"),
                       mean=percent(kfold["accuracy_mean"]), std=percent(kfold.get("accuracy_std") or 0.0)))
    matrix = metrics.get("splits", {}).get("validation", {}).get("confusion_matrix")
    if matrix and labels:
        lines.append(t("about.per_class") + "\n\n" + class_table(labels, matrix))
    calibration = metrics.get("calibration") or {}
    if calibration.get("low_confidence_below") is not None and calibration.get("accuracy_below") is not None:
        lines.append(t("about.calibration", threshold=percent(calibration["low_confidence_below"]),
                       accuracy=percent(calibration["accuracy_below"]),
                       above=percent(calibration.get("accuracy_above") or 0.0)))
    if metrics.get("created"):
        created = str(metrics["created"]).replace("T", " ").removesuffix("Z")[:16]
        lines.append(t("about.created", created=f"{created} UTC"))
    task = metrics.get("task", "")
    lines.append(t("about.limits") + "\n\n" + t(LIMITS_KEYS.get(task, "about.limits.generic")))
    return "\n\n".join(lines)


def confusion_matrix_image(choice: ModelChoice | None):
    """The checkpoint's validation confusion matrix as a PIL image in the user's language (axes, class names),
    drawn from metrics.json; else its confusion_matrix.png; None for Hub models or when neither exists."""
    if choice is None or not is_local_ref(choice.ref):
        return None
    matrix = choice.metrics.get("splits", {}).get("validation", {}).get("confusion_matrix")
    names = choice.metrics.get("label_names")
    if matrix and names and len(names) == len(matrix):
        return translated_confusion_matrix(choice.ref, matrix, names)
    return open_saved_image(Path(choice.ref) / CONFUSION_MATRIX_FILE, config.max_image_pixels())


@lru_cache(maxsize=16)
def drawn_confusion_matrix(ref: str, version: int | None, lang: str, matrix: str, names: tuple[str, ...]):
    from PIL import Image

    buffer = io.BytesIO()
    draw_confusion_matrix(json.loads(matrix), [display_label(name) for name in names], buffer,
                          t("about.matrix", lang=lang), t("about.matrix.true", lang=lang),
                          t("about.matrix.predicted", lang=lang))
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def translated_confusion_matrix(ref: str, matrix: list, names: list):
    """Drawn once per checkpoint version and language (a page load must not redraw it)."""
    return drawn_confusion_matrix(ref, checkpoint_version(Path(ref)), config.language(), json.dumps(matrix),
                                  tuple(str(name) for name in names)).copy()


def describe_model(choice: ModelChoice | None) -> str:
    """Markdown for 'which model answered' shown under every tab's result: name, source, accuracy."""
    if choice is None:
        return t("model.none")
    parts = [t("model.answered", name=choice.name, source=t(SOURCE_KEYS[choice.source]))]
    for split in SPLITS_SHOWN:
        accuracy = choice.accuracy(split)
        if accuracy is not None:
            parts.append(t("model.accuracy", split=t(SPLIT_KEYS[split]), accuracy=percent(accuracy)))
    return " · ".join(parts)


def answering_model(service: ModelService, picked: str | None = None, owner: str = OPERATOR) -> tuple[ModelChoice | None, str]:
    """(the tab's model or None, Markdown saying which model answers or how to get one): for every page
    load and picker change, so it never raises."""
    try:
        choice = service.resolve(picked, owner)
    except StudioError as error:
        no_model = error.key in (service.no_model().key, "beans.no_model", "sentiment.no_model")
        return None, (service.no_model(markdown=True) if no_model else error).message()
    return choice, describe_model(choice)
