"""Bean-leaf tab: an image in, the top-3 diseases out, and which checkpoint answered."""

from __future__ import annotations

import logging

import gradio as gr

from studio import config
from studio.beans import (
    HUB_DEFAULT,
    TAB,
    TASK,
    TOP_K,
    display_scores,
    label_names,
    model_info,
    no_model_message,
    predict_leaf,
    resolve_leaf_model,
)
from studio.errors import first_line
from studio.examples import example_images
from studio.images import ImageInputError, open_rgb, processor_side
from studio.models import ModelChoice, ModelRefError, describe_model
from studio.strings import t
from studio.tabs.common import load_tab_pipeline, resolve_tab_model, user_error, warm_up_tab

log = logging.getLogger(__name__)


def current_choice() -> ModelChoice:
    """Resolved on every call, so a checkpoint trained while the app runs is picked up."""
    return resolve_tab_model(TAB, TASK, HUB_DEFAULT, no_model_message())


def uploaded_path(payload: dict | str | None) -> str | None:
    """The server-side file of a gr.Image payload (the event runs with preprocess=False)."""
    if isinstance(payload, dict):
        return payload.get("path")
    return payload


def classify_leaf(image: dict | str | None) -> tuple[dict[str, float], str, str]:
    choice = current_choice()
    path = uploaded_path(image)
    if not path:
        raise user_error(t("app.image.empty"))
    classifier = load_tab_pipeline(TASK, choice)
    try:  # decoded as training decoded it: shrunk towards the model's own input size
        picture = open_rgb(path, config.max_image_pixels(), processor_side(classifier.image_processor))
    except ImageInputError as error:
        raise user_error(error) from error
    try:
        scores = predict_leaf(classifier, picture)
    except Exception as error:
        log.exception("predicting with %s failed", choice.ref)
        raise user_error(t("beans.error.predict", name=choice.name, error=first_line(error))) from error
    return display_scores(scores), describe_model(choice), model_info(choice, label_names(choice, classifier))


def warm_up() -> None:
    warm_up_tab(TAB, TASK, HUB_DEFAULT)


def initial_status() -> tuple[str, str]:
    """(model line, model info) shown before any prediction; never raises, so the tab always renders."""
    try:
        choice = resolve_leaf_model()
    except ModelRefError as error:
        message = t("model.error.config", variable="STUDIO_BEANS_MODEL", error=error)
        return message, message
    if choice is None:
        return no_model_message(markdown=True), no_model_message(markdown=True)
    return describe_model(choice), model_info(choice, label_names(choice))


def build(demo: gr.Blocks) -> None:
    status, info = initial_status()
    gr.Markdown(t("beans.intro"))
    with gr.Row():
        with gr.Column():
            # image_mode=None + preprocess=False below: our code opens and validates the raw upload.
            image = gr.Image(
                type="filepath", image_mode=None, sources=["upload", "webcam", "clipboard"],
                label=t("beans.image"), height=320, elem_id="beans-image",
            )
            classify = gr.Button(t("beans.classify"), variant="primary", elem_id="beans-classify")
        with gr.Column():
            scores = gr.Label(num_top_classes=TOP_K, label=t("beans.result"), elem_id="beans-scores")
            answered = gr.Markdown(status, elem_id="beans-answered")
    examples = example_images()
    if examples:
        gr.Examples(examples=examples, inputs=image, label=t("beans.examples"), elem_id="beans-examples")
    with gr.Accordion(t("beans.info"), open=False):
        about = gr.Markdown(info)
    classify.click(
        classify_leaf, inputs=image, outputs=[scores, answered, about],
        api_name="classify_leaf", preprocess=False,
    )
