"""What every tab does the same way in Gradio: a refusal or failure becomes one translated gr.Error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr

from contract.errors import KeyedError
from studio.errors import message_of
from studio.serving import ModelChoice, ModelTab

Answer = TypeVar("Answer")


def user_error(problem: str | KeyedError) -> gr.Error:
    """A message for the user; not a server fault, so no traceback in the log (failures log their own)."""
    message = message_of(problem) if isinstance(problem, KeyedError) else problem
    return gr.Error(message, print_exception=False)


def answer(tab: ModelTab, predict: Callable[[ModelChoice, Any], Answer]) -> Answer:
    """`tab.answer(predict)` for an event handler: every StudioError/KeyedError is a gr.Error pop-up."""
    try:
        return tab.answer(predict)
    except KeyedError as error:
        raise user_error(error) from None


def checked(function: Callable[..., Answer], *args: Any) -> Answer:
    """`function(*args)` for pure input checks: a KeyedError becomes the user's gr.Error."""
    try:
        return function(*args)
    except KeyedError as error:
        raise user_error(error) from None
