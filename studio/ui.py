"""What every tab does the same way in Gradio: errors become one translated pop-up, the model picker and
the status refreshed while the tab's first model trains, an image output hidden while empty, the
server-side file of an upload.

A handler is decorated with `shows_errors`: whatever KeyedError it (or anything it calls) raises is
shown to the user as a gr.Error in their language, with no traceback in the log (a failure that is
not the user's logs its own, studio.serving.service).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr
from gradio.context import Context

from contract.errors import KeyedError
from contract.escaping import paths_hidden
from contract.visitors import OPERATOR
from studio import config
from studio.errors import StudioError, message_of
from studio.i18n import t
from studio.serving.service import ModelService

Handler = TypeVar("Handler", bound=Callable[..., Any])
WATCH_S = 3  # how often a tab waiting for its first model refreshes its status


def user_error(problem: KeyedError) -> gr.Error:
    """A message for the user (no server path in it: an OSError names the file); not a server fault, so no
    traceback in the log."""
    return gr.Error(paths_hidden(message_of(problem)), print_exception=False)


def shows_errors(handler: Handler) -> Handler:
    """The event handler, with each KeyedError it raises turned into the user's gr.Error pop-up."""

    @functools.wraps(handler)
    def handled(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        except KeyedError as error:
            raise user_error(error) from None

    return handled  # type: ignore[return-value]


def model_picker(service: ModelService) -> gr.Dropdown:
    """The tab's model dropdown; its choices are filled on every page load (`picker_update`)."""
    return gr.Dropdown(choices=[(t("model.picker.auto"), "")], value="", label=t("model.picker"),
                       info=t("model.picker.info"), elem_id=f"{service.tab}-model", interactive=True,
                       allow_custom_value=True)  # choices change per page load; `ModelService.picked` validates


def picker_update(service: ModelService, picked: str | None = None, owner: str = OPERATOR) -> dict:
    """Fresh choices for the picker; keeps the user's pick while it still exists, else preselects the
    visitor's newest own run (someone alone trains, then uses it without a step more)."""
    options = service.options(owner)
    values = {value for _label, value in options}
    own = service.own_choices(owner)
    return gr.update(choices=options, value=picked if picked and picked in values else (own[0].name if own else ""))


def first_model_timer(service: ModelService) -> gr.Timer:
    """The tab's first-model timer: ticking while that model is prepared, stopped otherwise."""
    return gr.Timer(active=service.preparing() is not None)


def watch_first_model(demo: gr.Blocks, service: ModelService, refresh: Callable, inputs, outputs) -> None:
    """While the tab's first model is prepared, `refresh` its status every few seconds (from page load on);
    and whenever the tab is opened, so a model trained meanwhile in the Train tab shows at once."""
    if isinstance(Context.block, gr.Tab):
        Context.block.select(refresh, inputs=inputs, outputs=outputs, api_visibility="private", show_progress="hidden")
    timer = gr.Timer(WATCH_S, active=False)
    demo.load(lambda: first_model_timer(service), outputs=timer, api_name=f"{service.tab}_first_model",
              api_visibility="private", queue=False)
    timer.tick(refresh, inputs=inputs, outputs=outputs, api_visibility="private", show_progress="hidden").then(
        lambda: first_model_timer(service), outputs=timer, api_visibility="private", queue=False,
        show_progress="hidden")


def shown_image(image) -> dict:
    """An image output that is hidden while there is nothing to show (no empty placeholder)."""
    return gr.update(value=image, visible=image is not None)


def uploaded_path(payload: dict | str | None) -> str | None:
    """The server-side file of a gr.Image (or gr.Audio, gr.File) payload, for events that run with
    preprocess=False: our code opens and validates the raw upload, Gradio never decodes it first);
    refused past STUDIO_MAX_FILE_SIZE (`checked_size`)."""
    path = payload.get("path") if isinstance(payload, dict) else payload
    return checked_size(path, config.max_file_size(), "STUDIO_MAX_FILE_SIZE") if path else path


def checked_size(path: str, limit: str, variable: str) -> str:
    """`path`, unless the file is larger than `limit` ('10mb'): then a message that says the limit and that the
    server's operator sets it (`variable`). The upload route accepts up to the larger cap (config.upload_cap)."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return path  # a missing file is the opener's to report
    if size > config.size_bytes(limit):
        raise StudioError("app.upload.too_large", size=shown_size(size), limit=shown_size(config.size_bytes(limit)),
                          variable=variable)
    return path


def shown_size(size: int) -> str:
    """27746 -> '27 KB', 14_680_064 -> '14 MB'."""
    return f"{size // 1024**2} MB" if size >= 1024**2 else f"{max(1, size // 1024)} KB"
