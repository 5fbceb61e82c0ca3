"""What every tab does the same way in Gradio: a refusal or failure becomes one translated gr.Error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr

from contract.errors import KeyedError
from studio.errors import message_of
from studio.serving.service import ModelChoice, ModelTab
from studio.strings import t

Answer = TypeVar("Answer")


def user_error(problem: str | KeyedError) -> gr.Error:
    """A message for the user; not a server fault, so no traceback in the log (failures log their own)."""
    message = message_of(problem) if isinstance(problem, KeyedError) else problem
    return gr.Error(message, print_exception=False)


def answer(tab: ModelTab, predict: Callable[[ModelChoice, Any], Answer], picked: str | None = None) -> Answer:
    """`tab.answer(predict, picked)` for an event handler: every StudioError/KeyedError is a gr.Error pop-up."""
    return checked(tab.answer, predict, picked)


def model_picker(tab: ModelTab) -> gr.Dropdown:
    """The tab's model dropdown; its choices are filled on every page load (`picker_update`)."""
    return gr.Dropdown(choices=[(t("model.picker.auto"), "")], value="", label=t("model.picker"),
                       info=t("model.picker.info"), elem_id=f"{tab.name}-model", interactive=True,
                       allow_custom_value=True)  # choices change per page load; `ModelTab.picked` validates


def picker_update(tab: ModelTab, picked: str | None = None) -> dict:
    """Fresh choices for the picker; keeps the user's pick while it still exists."""
    options = tab.options()
    values = {value for _label, value in options}
    return gr.update(choices=options, value=picked if picked in values else "")


def shown_image(image) -> dict:
    """An image output that is hidden while there is nothing to show (no empty placeholder)."""
    return gr.update(value=image, visible=image is not None)


def uploaded_path(payload: dict | str | None) -> str | None:
    """The server-side file of a gr.Image (or gr.Audio, gr.File) payload, for events that run with
    preprocess=False: our code opens and validates the raw upload, Gradio never decodes it first)."""
    if isinstance(payload, dict):
        return payload.get("path")
    return payload


def checked(function: Callable[..., Answer], *args: Any) -> Answer:
    """`function(*args)` for pure input checks: a KeyedError becomes the user's gr.Error."""
    try:
        return function(*args)
    except KeyedError as error:
        raise user_error(error) from None
