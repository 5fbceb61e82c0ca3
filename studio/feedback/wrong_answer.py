"""The "this answer is wrong -> the right label is …" row under a tab's answer (bean and sentiment tabs).

`build(demo, service, source)` adds, below the tab's input, a label picker (the picked model's labels)
and a save button; the input (`source`: the image or the text component) is stored with the chosen label
in the visitor's own corrections data set (studio/feedback/store.py), which the Train tab offers as data.
"""

from __future__ import annotations

import gradio as gr

from contract.checkpoint import checkpoint_label_names, config_label_names
from studio import config
from studio.answers.about import answering_model, display_label
from studio.feedback import store
from studio.i18n import t
from studio.serving.service import ModelService
from studio.ui import shows_errors, uploaded_path
from studio.visitors import owner_of


def model_labels(service: ModelService, picked: str | None) -> list[str]:
    """The label names of the model the tab would answer with (metrics.json, else the loaded config)."""
    choice, _status = answering_model(service, picked)
    if choice is None:
        return []
    if choice.metrics.get("label_names"):
        return checkpoint_label_names(choice.metrics)
    with service.serving(picked) as (_choice, loaded):
        return config_label_names(loaded.model.config)


def label_choices(service: ModelService, picked: str | None) -> dict:
    names = model_labels(service, picked)
    return gr.update(choices=[(display_label(name), name) for name in names], value=None)


def saver(service: ModelService):
    """The save handler of one tab: (input, picked model, label, request) -> a line saying where it went."""
    spec = store.SETS[service.tab]

    @shows_errors
    def save(given, picked: str | None, label: str | None, request: gr.Request = None) -> str:
        owner, models = owner_of(request), config.models_dir()
        names = model_labels(service, picked)
        if spec.kind == "image":
            store.save_image(models, owner, uploaded_path(given), label, names, config.max_image_pixels())
        else:
            store.save_text(models, owner, given, label, names)
        return t("feedback.saved", name=spec.name, label=display_label(label),
                 count=store.count(models, owner, service.tab), max=store.MAX_ITEMS)

    return save


def build(demo: gr.Blocks, service: ModelService, source: gr.components.Component, picker: gr.Dropdown) -> None:
    name = store.SETS[service.tab].name
    with gr.Accordion(t("feedback.title"), open=False, elem_id=f"{service.tab}-wrong"):
        gr.Markdown(t("feedback.info", name=name))
        with gr.Row():
            label = gr.Dropdown(label=t("feedback.label"), choices=[], elem_id=f"{service.tab}-right-label")
            save = gr.Button(t("feedback.save"), elem_id=f"{service.tab}-save-correction")
        saved = gr.Markdown(elem_id=f"{service.tab}-correction-saved")
    for event, suffix in ((demo.load, ""), (picker.input, "_picked")):
        event(lambda picked: label_choices(service, picked), picker, label,
              api_name=f"{service.tab}_correction_labels{suffix}", api_description=t("feedback.api.labels"),
              show_progress="hidden")
    save.click(saver(service), [source, picker, label], saved, api_name=f"{service.tab}_correction",
               api_description=t("feedback.api.save"), preprocess=False)
