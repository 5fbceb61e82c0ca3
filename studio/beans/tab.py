"""Bean-leaf tab: an image in, the top-3 diseases out, which checkpoint answered, and why.

Every answer is tied to its input: a new upload or an error clears the previous result, an example
runs when clicked and shows its true label, and each answer says how long it took.
"""

from __future__ import annotations

import time
from pathlib import Path

import gradio as gr

from contract.escaping import markdown_text
from studio import config
from studio.answers.about import (
    about_model,
    answering_model,
    confusion_matrix_image,
    describe_model,
    display_label,
    display_scores,
)
from studio.answers.confidence import image_notes, score_notes
from studio.answers.offline import offline_zip
from studio.beans.examples import example_images
from studio.beans.predict import MODEL, TOP_K, label_names, predict_leaf
from studio.errors import StudioError
from studio.feedback import wrong_answer
from studio.i18n import t
from studio.serving import memory
from studio.serving.admission import ADMITTED, Lane
from studio.ui import model_picker, picker_update, shown_image, shows_errors, uploaded_path, watch_first_model
from studio.visitors import after_visit, owner_of

# Requests decoding at once; their forward passes are shared (`loaded.batcher`), so more
# concurrency means bigger batches, not more threads fighting over the cores.
CONCURRENCY = 8
# Explanations: seconds of CPU each, so one at a time; the lane refuses at once the ones that would wait
# past config.max_wait_s(), with the expected wait.
EXPLAIN_LANE = Lane(first_guess_s=2.0)


def upload_of(image: dict | str | None) -> str:
    path = uploaded_path(image)
    if not path:
        raise StudioError("app.image.empty")
    return path


@shows_errors
def classify_leaf(image: dict | str | None, model: str | None = "",
                  request: gr.Request = None) -> tuple[dict[str, float], str, str]:
    """(top-3 classes, which model answered + caveats + time, about the model).

    Args:
        image: a photo of a bean leaf (JPEG, PNG, WebP...; as an MCP tool: an http(s) or data: URL).
        model: which model answers: "" for the tab's default, else a checkpoint name the tab's picker lists.
    """
    path = upload_of(image)
    with MODEL.serving(model, owner_of(request)) as (choice, classifier):
        started = time.perf_counter()
        leaf = predict_leaf(classifier, path)
        took = t("model.took", ms=f"{(time.perf_counter() - started) * 1000:.0f}")
        notes = [f"{describe_model(choice)} · {took}", *image_notes(leaf.picture.size),
                 *score_notes(leaf.scores, choice.metrics)]
        return display_scores(leaf.scores), "\n\n".join(notes), about_model(choice, label_names(choice, classifier))


@shows_errors
def classify_example(image: dict | str | None, model: str | None, truth: str,
                     request: gr.Request = None) -> tuple[dict[str, float], str, str]:
    """An example runs when clicked and says whether the model got its true label."""
    scores, answered, about = classify_leaf(image, model, request)
    if truth:  # shown as display_label(class folder): compare with the top class shown the same way
        hit = next(iter(scores), "") == truth
        answered += "\n\n" + t("beans.truth", label=truth, mark="✅" if hit else "❌")
    return scores, answered, about


@shows_errors
def explain_leaf(image: dict | str | None, model: str | None, opacity: float, request: gr.Request = None):
    """(heatmap over the photo, what it shows, the photo and heatmap for the opacity slider)."""
    from studio.answers.explain import explain_image, overlay

    path = upload_of(image)
    with EXPLAIN_LANE.turn(), MODEL.serving(model, owner_of(request)) as (_choice, classifier):
        leaf = predict_leaf(classifier, path, top_k=1)  # the class the tab answers is the one explained
        try:
            found = explain_image(classifier, leaf.picture, label=next(iter(leaf.scores)))
        finally:
            memory.give_back()
        note = t("beans.explain.result", label=markdown_text(display_label(found.label)), seconds=f"{found.seconds:.1f}")
        return overlay(leaf.picture, found.heatmap, opacity), note, (leaf.picture, found.heatmap)


def blend(opacity: float, shown):
    """Re-draw the heatmap at a new opacity, without the model."""
    from studio.answers.explain import overlay

    return None if shown is None else overlay(shown[0], shown[1], opacity)


def model_status(model: str | None = "", request: gr.Request = None) -> tuple[str, str, object]:
    """(which model answers, about the model, its confusion matrix) for the picked model; never raises."""
    choice, status = answering_model(MODEL, model, owner_of(request))
    if choice is None:
        return status, status, shown_image(None)
    return status, about_model(choice, label_names(choice)), shown_image(confusion_matrix_image(choice))


@shows_errors
def offline_download(model: str | None = "", request: gr.Request = None) -> str:
    """The picked model (the visitor's own run or the operator's) as a zip that runs in a browser, no server."""
    return str(offline_zip(MODEL.resolve(model, owner_of(request)).ref))


def page_status(model: str | None = "", request: gr.Request = None) -> tuple[dict, str, str, object]:
    """The model picker's choices (the visitor's own runs among them) and the model lines, on every page load."""
    return picker_update(MODEL, model, owner_of(request)), *model_status(model, request)


def cleared_result() -> tuple[None, str, None, str, None]:
    """What a new answer replaces: scores, answer line, heatmap, its note, its state."""
    return None, "", None, "", None


def cleared_input() -> tuple[None, str, None, str, None, str]:
    """What a new upload resets: the result, and the true label of the example it replaced."""
    return *cleared_result(), ""


def warm_up() -> None:
    MODEL.warm_up()


def example_rows() -> list[list[str]]:
    """[image, true label] for each example; the label is the class folder of beans-style examples."""
    return [[path, display_label(Path(path).parent.name) if config.examples_dir() is None else ""]
            for path in example_images()]


def build(demo: gr.Blocks) -> None:
    gr.Markdown(t("beans.intro"))
    with gr.Row():
        with gr.Column():
            # image_mode=None + preprocess=False below: our code opens and validates the raw upload.
            image = gr.Image(
                type="filepath", image_mode=None, sources=["upload", "webcam", "clipboard"],
                label=t("beans.image"), height=320, elem_id="beans-image",
            )
            truth = gr.Textbox(visible=False, label=t("beans.truth.label"))
            with gr.Row():
                classify = gr.Button(t("beans.classify"), variant="primary", elem_id="beans-classify")
                explain = gr.Button(t("beans.explain"), elem_id="beans-explain")
            picker = model_picker(MODEL)
            rows = example_rows()
            examples = gr.Examples(examples=rows, inputs=[image, truth], label=t("beans.examples"),
                                   elem_id="beans-examples", api_name="beans_example_input") if rows else None
        with gr.Column():
            scores = gr.Label(num_top_classes=TOP_K, label=t("beans.result"), elem_id="beans-scores")
            answered = gr.Markdown(elem_id="beans-answered", label=t("model.answered_label"))
            heatmap = gr.Image(label=t("beans.explain.image"), type="pil", interactive=False,
                               elem_id="beans-heatmap", height=260)
            opacity = gr.Slider(0, 1, value=0.5, step=0.05, label=t("beans.explain.opacity"))
            heatmap_note = gr.Markdown(label=t("beans.explain.note"))
            shown = gr.State(None)
    with gr.Accordion(t("beans.info"), open=False):
        about = gr.Markdown(label=t("beans.info"))
        matrix = gr.Image(label=t("about.matrix"), type="pil", interactive=False, height=360)
        offline_button = gr.Button(t("offline.button"), elem_id="beans-offline")
        offline_file = gr.File(label=t("offline.file"), interactive=False, elem_id="beans-offline-file")
    wrong_answer.build(demo, MODEL, image, picker)

    reset = [scores, answered, heatmap, heatmap_note, shown, truth]
    if examples is not None:  # an example runs when clicked
        examples.load_input_event.then(
            cleared_result, outputs=reset[:5], queue=False, api_visibility="private", show_progress="hidden",
        ).then(classify_example, inputs=[image, picker, truth], outputs=[scores, answered, about],
               api_name="classify_example", api_description=t("beans.api.example"), preprocess=False,
               concurrency_limit=CONCURRENCY, concurrency_id="beans-classify")
    for user_changed in (image.input, image.clear):
        user_changed(cleared_input, outputs=reset, queue=False, api_visibility="private", show_progress="hidden")
    after_visit(page_status, inputs=picker, outputs=[picker, answered, about, matrix], api_name="beans_status",
                api_description=t("beans.api.status"))
    watch_first_model(demo, MODEL, page_status, inputs=picker, outputs=[picker, answered, about, matrix])
    picker.input(model_status, inputs=picker, outputs=[answered, about, matrix], api_name="beans_model",
                 api_description=t("beans.api.model"))
    classify.click(cleared_result, outputs=reset[:5], queue=False, api_visibility="private",
                   show_progress="hidden").then(
        classify_leaf, inputs=[image, picker], outputs=[scores, answered, about],
        api_name="classify_leaf", api_description=t("beans.api.classify"), preprocess=False,
        concurrency_limit=CONCURRENCY, concurrency_id="beans-classify",
    )
    explain.click(explain_leaf, inputs=[image, picker, opacity], outputs=[heatmap, heatmap_note, shown],
                  api_name="explain_leaf", api_description=t("beans.api.explain"), preprocess=False,
                  concurrency_limit=ADMITTED)  # one at a time in EXPLAIN_LANE
    offline_button.click(offline_download, inputs=picker, outputs=offline_file, api_name="beans_offline",
                         api_description=t("offline.api"), concurrency_limit=1)  # seconds of CPU each
    opacity.input(blend, inputs=[opacity, shown], outputs=heatmap, api_name="explain_opacity",
                  api_description=t("beans.api.opacity"), show_progress="hidden")
