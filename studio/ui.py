"""What every tab does the same way in Gradio: errors become one translated pop-up, the model picker and
the status refreshed while the tab's first model trains, an image output hidden while empty, the
server-side file of an upload.

A handler is decorated with `shows_errors`: whatever KeyedError it (or anything it calls) raises is
shown to the user as a gr.Error in their language, with no traceback in the log (a failure that is
not the user's logs its own, studio.serving.service).
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr
from gradio.context import Context

from contract.errors import KeyedError
from contract.escaping import paths_hidden
from contract.visitors import OPERATOR
from studio import config
from studio.answers.about import picker_options
from studio.errors import StudioError, Waiting, message_of
from studio.i18n import t
from studio.serving.service import ModelService

Handler = TypeVar("Handler", bound=Callable[..., Any])
WATCH_S = 3  # how often a tab waiting for its first model refreshes its status


def user_error(problem: KeyedError) -> gr.Error:
    """A message for the user (no server path in it: an OSError names the file); not a server fault, so no
    traceback in the log."""
    return gr.Error(paths_hidden(message_of(problem)), print_exception=False)


def shows_errors(handler: Handler) -> Handler:
    """The event handler, with each KeyedError it raises turned into the user's gr.Error pop-up; a `Waiting`
    (the first model is training) is a gray notice instead, and the outputs stay as they were."""

    @functools.wraps(handler)
    def handled(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        except Waiting as waiting:
            gr.Info(message_of(waiting), title=t("app.waiting.title"))
            return gr.skip()
        except KeyedError as error:
            raise user_error(error) from None

    return handled  # type: ignore[return-value]


def model_picker(service: ModelService) -> gr.Dropdown:
    """The tab's model dropdown; its choices are filled on every page load (`picker_update`)."""
    return gr.Dropdown(choices=[(t("model.picker.auto"), "")], value="", label=t("model.picker"),
                       info=t("model.picker.info"), elem_id=f"{service.tab}-model", interactive=True,
                       allow_custom_value=True)  # choices change per page load; `ModelService.picked` validates


def picker_update(service: ModelService, picked: str | None = None, owner: str = OPERATOR) -> dict:
    """Fresh choices for the picker (the visitor's own runs among them); keeps the user's pick while it still
    exists, else "automatic": the server's best model, never a run the visitor did not pick."""
    options = picker_options(service, owner)
    values = {value for _label, value in options}
    return gr.update(choices=options, value=picked if picked and picked in values else "")


def scroll_into_view(elem_id: str) -> str:
    """JavaScript for a browser-only event (`.then(None, js=...)`) after an answer: on a phone, where the answer
    is below the input and the examples, bring it into view; on a wide screen, where it is beside them and
    already visible, nothing moves."""
    return (f"() => {{ const shown = document.getElementById({json.dumps(elem_id)}); if (!shown) return; "
            "const box = shown.getBoundingClientRect(); "
            "if (box.top > window.innerHeight * 0.6 || box.bottom < 0) "
            "shown.scrollIntoView({behavior: 'smooth', block: 'start'}); }")


def code_block(code: str, language: str) -> str:
    """Code shown in a gr.Markdown (highlighted, with a copy button): gr.Code's editor would add ~130 KB of
    script to the page's first load (bench/page_weight.py)."""
    if not code:
        return ""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall("`+", code)), default=0))
    return f"{fence}{language}\n{code}\n{fence}"


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
