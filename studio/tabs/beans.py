"""Bean-leaf tab: an image in, the top-3 diseases out, and which checkpoint answered."""

from __future__ import annotations

import gradio as gr

from contract.images import open_rgb, processor_side
from studio import config
from studio.beans import MODEL, TOP_K, display_scores, label_names, model_info, predict_leaf
from studio.examples import example_images
from studio.models import ModelChoice, describe_model
from studio.strings import t
from studio.tabs.common import answer, user_error

# Requests decoding at once; their forward passes are shared (studio.batching), so more concurrency means
# bigger batches, not more threads fighting over the cores.
CONCURRENCY = 8


def uploaded_path(payload: dict | str | None) -> str | None:
    """The server-side file of a gr.Image payload (the event runs with preprocess=False)."""
    if isinstance(payload, dict):
        return payload.get("path")
    return payload


def classify_leaf(image: dict | str | None) -> tuple[dict[str, float], str, str]:
    path = uploaded_path(image)
    if not path:
        raise user_error(t("app.image.empty"))

    def predict(choice: ModelChoice, classifier) -> tuple[dict[str, float], str, str]:
        # decoded as training decoded it: shrunk towards the model's own input size
        picture = open_rgb(path, config.max_image_pixels(), processor_side(classifier.image_processor))
        scores = predict_leaf(classifier, picture)
        return display_scores(scores), describe_model(choice), model_info(choice, label_names(choice, classifier))

    return answer(MODEL, predict)


def page_status() -> tuple[str, str]:
    """(which model answers, about the model), computed on every page load; never raises."""
    choice, status = MODEL.status()
    return status, status if choice is None else model_info(choice, label_names(choice))


def warm_up() -> None:
    MODEL.warm_up()


def build(demo: gr.Blocks) -> None:
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
            answered = gr.Markdown(elem_id="beans-answered", label=t("model.answered_label"))
    examples = example_images()
    if examples:
        gr.Examples(examples=examples, inputs=image, label=t("beans.examples"), elem_id="beans-examples")
    with gr.Accordion(t("beans.info"), open=False):
        about = gr.Markdown(label=t("beans.info"))
    demo.load(page_status, outputs=[answered, about], api_name="beans_status",
              api_description=t("beans.api.status"))
    classify.click(
        classify_leaf, inputs=image, outputs=[scores, answered, about],
        api_name="classify_leaf", api_description=t("beans.api.classify"), preprocess=False,
        concurrency_limit=CONCURRENCY,
    )
