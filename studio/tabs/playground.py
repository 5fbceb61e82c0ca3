"""Zero-code pipeline playground: pick a task and a model, give the input, see the output and the code.

Wiring only: the tasks are data in studio/tasks.py; one change handler shows the inputs and the output
component a task's record asks for; one run handler calls `tasks.run` and turns its errors into gr.Error.
"""

from __future__ import annotations

import gradio as gr

from studio import tasks
from studio.hub_guard import PlaygroundError
from studio.models import local_checkpoints
from studio.strings import t

FIRST_TASK = "text-classification"


def model_choices(task: tasks.Task) -> list[str]:
    return [""] + [choice.name for choice in local_checkpoints(task.name)]


def show_task(task_name: str):
    """Updates for: model, default-model note, the 4 input slots, the 5 output components."""
    try:
        task = tasks.get_task(task_name)
    except PlaygroundError as error:
        raise gr.Error(error.message()) from None
    slots = [
        gr.update(visible=slot in task.inputs, label=t(task.inputs.get(slot, "playground.in.text")),
                  value=tasks.example_value(task, slot))
        for slot in tasks.INPUT_SLOTS
    ]
    outputs = [gr.update(visible=kind == task.output, value=None) for kind in tasks.OUTPUT_KINDS]
    return [gr.update(choices=model_choices(task), value=""),
            t("playground.model_default", model=task.default_model), *slots, *outputs]


def run_task(task_name, model, text, text2, image_path, audio_path, progress=gr.Progress()):  # noqa: B008
    """Outputs: the 5 output components (only the task's gets a value), answered-by line, code, raw JSON."""
    try:
        inputs = tasks.Inputs(text or "", text2 or "", tasks.load_image(image_path), audio_path)
        result = tasks.run(task_name, model, inputs,
                           on_loading=lambda ref: progress(0.1, desc=t("playground.loading", model=ref)))
    except PlaygroundError as error:
        raise gr.Error(error.message()) from None
    values = [result.value if kind == result.task.output else None for kind in tasks.OUTPUT_KINDS]
    load = (t("playground.load.cached") if result.cached
            else t("playground.load.seconds", seconds=result.load_seconds))
    answered = t("playground.answered", model=tasks.display_ref(result.model_ref), load=load,
                 infer=result.inference_seconds)
    return [*values, answered, result.code, result.raw]


def build(demo: gr.Blocks) -> None:
    first = tasks.get_task(FIRST_TASK)
    gr.Markdown(t("playground.intro"))
    with gr.Row():
        task = gr.Dropdown(list(tasks.TASKS), value=FIRST_TASK, label=t("playground.task"), scale=1)
        model = gr.Dropdown(model_choices(first), value="", allow_custom_value=True,
                            label=t("playground.model"), scale=2)
    default_note = gr.Markdown(t("playground.model_default", model=first.default_model))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("playground.in.text"), lines=3, value=tasks.example_value(first, "text"))
            text2 = gr.Textbox(lines=3, visible=False)
            image = gr.Image(type="filepath", label=t("playground.in.image"), visible=False)
            audio = gr.Audio(type="filepath", sources=["upload", "microphone"],
                             label=t("playground.in.audio"), visible=False)
            run = gr.Button(t("playground.run"), variant="primary")
        with gr.Column():
            result_label = t("playground.out.result")
            outputs = [
                gr.Label(label=result_label, num_top_classes=5, visible=first.output == "label"),
                gr.HighlightedText(label=result_label, combine_adjacent=True, show_legend=True, visible=False),
                gr.Textbox(label=result_label, lines=4, visible=False),
                gr.AnnotatedImage(label=result_label, show_legend=True, visible=False),
                gr.Image(label=result_label, type="pil", visible=False, interactive=False),
            ]
            answered = gr.Markdown()
            code = gr.Code(language="python", label=t("playground.code"), interactive=False, wrap_lines=True)
            with gr.Accordion(t("playground.raw"), open=False):
                raw = gr.JSON(label=t("playground.raw"))
    slots = [text, text2, image, audio]
    task.change(show_task, task, [model, default_note, *slots, *outputs], api_name="playground_task")
    run.click(run_task, [task, model, *slots], [*outputs, answered, code, raw], api_name="playground_run")
