"""What every tab does the same way: turn errors into gr.Error, resolve and load its model."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import gradio as gr

from studio.errors import StudioError, first_line
from studio.hub_guard import check_model
from studio.models import ModelChoice, ModelRefError, load_pipeline, resolve_model
from studio.strings import t

log = logging.getLogger(__name__)


def user_error(problem: str | StudioError) -> gr.Error:
    """A message for the user; not a server fault, so no traceback in the log (failures log their own)."""
    message = problem.message() if isinstance(problem, StudioError) else problem
    return gr.Error(message, print_exception=False)


def resolve_tab_model(tab: str, task: str, hub_default: str | None, no_model_message: str) -> ModelChoice:
    """The tab's model (STUDIO_<TAB>_MODEL -> best local checkpoint -> Hub default), or a gr.Error.

    Resolved on every call, so a checkpoint trained while the app runs is picked up without a restart.
    """
    try:
        choice = resolve_model(tab, task, hub_default)
    except ModelRefError as error:
        raise user_error(t("model.error.config", variable=f"STUDIO_{tab.upper()}_MODEL", error=error)) from error
    if choice is None:
        raise user_error(no_model_message)
    return choice


def load_tab_pipeline(task: str, choice: ModelChoice) -> Any:
    """The cached pipeline for `choice`; any loading failure is a message, never a dead app.

    A Hub model goes through the playground's guard first: looked up with a short timeout (an
    unreachable Hub is an immediate message, not retries for 20 s) and refused if gated, too big,
    without safetensors or made for another task.
    """
    try:
        if not Path(choice.ref).is_dir():
            check_model(choice.ref, (task,))
    except StudioError as error:
        raise user_error(error) from None
    try:
        return load_pipeline(task, choice.ref)
    except Exception as error:
        log.exception("loading %s failed", choice.ref)
        raise user_error(t("model.error.load", name=choice.name, error=first_line(error))) from error


def warm_up_tab(tab: str, task: str, hub_default: str | None) -> None:
    """Load a tab's model into the cache at start-up (app.py runs it in a thread); never raises."""
    try:
        load_tab_pipeline(task, resolve_tab_model(tab, task, hub_default, ""))
    except gr.Error as error:  # the first request reports it to the user
        log.warning("could not preload the %s model: %s", tab, error.message)
