"""Zero-code pipeline playground: pick a task and a model, give the input, see the output and the code.

The logic is in the other modules of studio/playground/. Picking a task shows its inputs, its output component,
its description and the local checkpoints that fit it (listed again on every page load, so a checkpoint
trained while the app runs appears). Run shows the result and the snippet; when the model cannot be
used (offline, refused, unloadable) it shows why, next to the snippet for that model.
"""

from __future__ import annotations

import gradio as gr

from studio.errors import RequestError
from studio.i18n import t
from studio.playground.checkpoints import local_models
from studio.playground.inputs import Inputs, check_sizes, load_image
from studio.playground.media import example_value
from studio.playground.run import load, make_request, run
from studio.playground.table import INPUT_SLOTS, OUTPUT_KINDS, TASKS, Task, get_task
from studio.serving.admission import ADMITTED, Lane
from studio.ui import shows_errors, uploaded_path

FIRST_TASK = "text-classification"
EXPLAINED_TASK = "image-classification"  # the task whose answers the Explain button draws a heatmap for
# Runs and explanations, one at a time; one that would wait past config.max_wait_s() is refused at once,
# with the expected wait, so a long request never leaves a one-line one waiting for minutes.
LANE = Lane(first_guess_s=3.0)


def model_choices(task: Task) -> list[tuple[str, str]]:
    """(shown, value) pairs: the task's default model (value '') then the local checkpoints that fit it."""
    default = (t("playground.model.default_choice", model=task.default_model), "")
    return [default, *((name, name) for name in local_models(task.pipeline_task))]


@shows_errors
def list_models(task_name: str):
    return gr.update(choices=model_choices(get_task(task_name)))


@shows_errors
def show_task(task_name: str):
    task = get_task(task_name)
    slots = [
        gr.update(visible=slot in task.inputs, label=t(task.inputs.get(slot, "playground.in.text")),
                  value=example_value(task.example, slot))
        for slot in INPUT_SLOTS
    ]
    outputs = [gr.update(visible=kind == task.output, value=None) for kind in OUTPUT_KINDS]
    explaining = task.name == EXPLAINED_TASK
    return [gr.update(choices=model_choices(task), value=""), t(task.description_key),
            t("playground.model_default", model=task.default_model), *slots, *outputs,
            gr.update(visible=explaining), gr.update(visible=explaining, value=None), ""]


@shows_errors
def run_task(task_name, model, text, text2, image, audio, progress=gr.Progress()):  # noqa: B008
    """Runs with preprocess=False: the image and the audio arrive as uploaded files, decoded only here,
    with the bean tab's caps (Gradio would decode a 12000×12000 upload in full before any check).
    Bad inputs are a pop-up (there is no call to show yet); a model that cannot be used is shown
    next to the snippet for it.

    Args:
        task_name: the pipeline task, e.g. text-classification, image-classification, fill-mask.
        model: a Hub model id or a local checkpoint name; "" for the task's default model.
        text: the text of text tasks (the question of question-answering, the prompt of text-generation).
        text2: a second text: the context (question-answering), the target language (translation), labels (zero-shot).
        image: the image of vision tasks (as an MCP tool: an http(s) or data: URL).
        audio: the audio of audio tasks (as an MCP tool: an http(s) or data: URL).
    """
    check_sizes(text, text2)
    inputs = Inputs(text or "", text2 or "", load_image(uploaded_path(image)), uploaded_path(audio))
    request = make_request(task_name, model, inputs)
    try:
        with LANE.turn():
            result = run(request, on_loading=lambda name: progress(0.1, desc=t("playground.loading", model=name)))
    except RequestError as error:
        gr.Warning(error.message())
        return [*(None for _ in OUTPUT_KINDS), f"⚠️ {error.message()}", request.code, None]
    values = [result.value if kind == result.task.output else None for kind in OUTPUT_KINDS]
    load = (t("playground.load.cached") if result.cached
            else t("playground.load.seconds", seconds=result.load_seconds))
    answered = t("playground.answered", model=result.shown_model, load=load, infer=result.inference_seconds)
    return [*values, answered, result.code, result.raw]


@shows_errors
def explain_task(task_name: str, model: str, image) -> tuple:
    """Image classification: a heatmap of what drove the top class over the photo (studio.answers.explain)."""
    from studio.answers.explain import explain_image, overlay

    if task_name != EXPLAINED_TASK:
        raise RequestError("playground.error.explain_task")
    inputs = Inputs(image=load_image(uploaded_path(image)))
    request = make_request(task_name, model, inputs)
    try:
        with LANE.turn():
            pipe, *_ = load(request)
            found = explain_image(pipe, inputs.image)
    except (ValueError, RuntimeError) as error:  # a model the attribution cannot go through
        raise RequestError("playground.error.run", kind=type(error).__name__) from None
    note = t("beans.explain.result", label=found.label, seconds=f"{found.seconds:.1f}")
    return overlay(inputs.image, found.heatmap, 0.5), note


def build(demo: gr.Blocks) -> None:
    first = get_task(FIRST_TASK)
    gr.Markdown(t("playground.intro"))
    with gr.Row():
        with gr.Column(scale=1):
            task = gr.Dropdown(list(TASKS), value=FIRST_TASK, label=t("playground.task"))
            about = gr.Markdown(t(first.description_key), label=t("playground.about"))
        with gr.Column(scale=2):
            # Filled on page load (demo.load below), not here: checkpoints trained later must appear.
            model = gr.Dropdown([], value="", allow_custom_value=True, label=t("playground.model"))
            default_note = gr.Markdown(t("playground.model_default", model=first.default_model),
                                       label=t("playground.default_label"))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("playground.in.text"), lines=3, value=example_value(first.example, "text"))
            text2 = gr.Textbox(label=t("playground.in.text2"), lines=3, visible=False)
            # preprocess=False on run: our code opens and validates the raw upload (studio.playground.inputs).
            image = gr.Image(type="filepath", image_mode=None, label=t("playground.in.image"), visible=False)
            audio = gr.Audio(type="filepath", sources=["upload", "microphone"],
                             label=t("playground.in.audio"), visible=False)
            run_button = gr.Button(t("playground.run"), variant="primary")
            explain = gr.Button(t("beans.explain"), visible=False, elem_id="playground-explain")
        with gr.Column():
            outputs = [
                gr.Label(label=t("playground.out.label"), num_top_classes=5, visible=first.output == "label"),
                gr.HighlightedText(label=t("playground.out.highlight"), combine_adjacent=True, show_legend=True,
                                   visible=False),
                gr.Textbox(label=t("playground.out.text"), lines=4, visible=False),
                gr.AnnotatedImage(label=t("playground.out.annotated"), show_legend=True, visible=False),
                gr.Image(label=t("playground.out.image"), type="pil", visible=False, interactive=False),
            ]
            answered = gr.Markdown(label=t("playground.answered_label"))
            heatmap = gr.Image(label=t("beans.explain.image"), type="pil", interactive=False, visible=False,
                               elem_id="playground-heatmap")
            heatmap_note = gr.Markdown(label=t("beans.explain.note"))
            code = gr.Code(language="python", label=t("playground.code"), interactive=False, wrap_lines=True)
            with gr.Accordion(t("playground.raw"), open=False):
                raw = gr.JSON(label=t("playground.raw"))
    slots = [text, text2, image, audio]
    demo.load(list_models, task, model, api_name="playground_models", api_description=t("playground.api.models"))
    task.change(show_task, task, [model, about, default_note, *slots, *outputs, explain, heatmap, heatmap_note],
                api_name="playground_task",
                api_description=t("playground.api.task"))
    run_button.click(run_task, [task, model, *slots], [*outputs, answered, code, raw], api_name="playground_run",
                     api_description=t("playground.api.run"), preprocess=False, concurrency_limit=ADMITTED)
    explain.click(explain_task, [task, model, image], [heatmap, heatmap_note], api_name="playground_explain",
                  api_description=t("playground.api.explain"), preprocess=False,
                  concurrency_limit=ADMITTED)
