"""The path every model tab takes, without Gradio: resolve -> guard -> load (cache) -> predict.

A `ModelTab` names a tab's model slot (its env var, task, Hub default and the command that trains
one); `studio/ui.py` wraps `ModelTab.answer` for Gradio. Every failure is a StudioError
(a translated line); an unexpected one is logged with its traceback first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from contract.errors import KeyedError, error_summary
from contract.hub_ids import shown_ref
from studio import config
from studio.errors import StudioError, message_of
from studio.serving.hub_guard import check_model
from studio.serving.models import (
    ModelChoice,
    ModelRefError,
    describe_model,
    is_local_ref,
    load_pipeline,
    local_checkpoints,
    resolve_model,
)
from studio.strings import percent, t

log = logging.getLogger("studio")
Answer = TypeVar("Answer")


@dataclass(frozen=True)
class ModelTab:
    name: str                  # "beans" -> STUDIO_BEANS_MODEL and the "beans.*" strings
    task: str                  # contract.checkpoint task name, also the transformers pipeline task
    hub_default: str | None    # used online when there is no local checkpoint
    train_command: str         # shown when no model is available
    prepare: Callable[[Any], Any] | None = None  # run on the loaded model at start-up (e.g. its ONNX session)

    @property
    def env_var(self) -> str:
        return f"STUDIO_{self.name.upper()}_MODEL"

    def no_model(self, markdown: bool = False) -> StudioError:
        command = f"\n\n```\n{self.train_command}\n```" if markdown else self.train_command
        return StudioError(f"{self.name}.no_model", models_dir=f"{config.models_dir().name}/", command=command)

    def options(self) -> list[tuple[str, str]]:
        """(label, value) for the tab's model picker: automatic first, then the local checkpoints for
        the task (best first), then the Hub default when online."""
        found = [(t("model.picker.auto"), "")]
        for choice in local_checkpoints(self.task):
            accuracy = choice.accuracy("validation")
            found.append((choice.name if accuracy is None else f"{choice.name} ({percent(accuracy)})", choice.name))
        if self.hub_default and not config.hub_offline():
            found.append((self.hub_default, self.hub_default))
        return found

    def resolve(self, picked: str | None = None) -> ModelChoice:
        """The model the user picked (a checkpoint name from `options`), else STUDIO_<TAB>_MODEL -> best
        local checkpoint -> Hub default; resolved on every call, so a checkpoint trained while the app
        runs is picked up without a restart."""
        if picked:
            return self.picked(picked)
        try:
            choice = resolve_model(self.name, self.task, self.hub_default)
        except ModelRefError as error:
            raise StudioError("model.error.config", variable=self.env_var, error=message_of(error)) from None
        if choice is None:
            raise self.no_model()
        return choice

    def picked(self, name: str) -> ModelChoice:
        for choice in local_checkpoints(self.task):
            if choice.name == name:
                return ModelChoice("picked", choice.ref, choice.name, choice.metrics)
        if name == self.hub_default and not config.hub_offline():
            return ModelChoice("picked", name, name)
        raise StudioError("model.error.unknown_pick", name=shown_ref(name))

    def load(self, choice: ModelChoice) -> Any:
        """The cached pipeline; a Hub model passes the guard first (short lookup, refusals)."""
        if not is_local_ref(choice.ref):
            check_model(choice.ref, (self.task,))
        try:
            return load_pipeline(self.task, choice.ref)[0]
        except Exception as error:
            log.exception("%s: loading %s failed", self.name, choice.ref)
            raise StudioError("model.error.load", name=choice.name, error=error_summary(error)) from None

    def answer(self, predict: Callable[[ModelChoice, Any], Answer], picked: str | None = None) -> Answer:
        """resolve -> load -> predict(choice, pipeline): a KeyedError passes through as the user's
        message; any other failure is logged and becomes one line naming the model."""
        choice = self.resolve(picked)
        pipe = self.load(choice)
        try:
            return predict(choice, pipe)
        except KeyedError:
            raise
        except Exception as error:
            log.exception("%s: predicting with %s failed", self.name, choice.ref)
            raise StudioError("model.error.predict", name=choice.name, error=error_summary(error)) from None

    def status(self, picked: str | None = None) -> tuple[ModelChoice | None, str]:
        """(the model or None, Markdown saying which model answers or how to get one): for every page
        load and picker change, so it never raises."""
        try:
            choice = self.resolve(picked)
        except StudioError as error:
            no_model = error.key == self.no_model().key
            return None, (self.no_model(markdown=True) if no_model else error).message()
        return choice, describe_model(choice)

    def warm_up(self) -> None:
        """Load the model into the cache and prepare it (at start-up); a failure to load is logged, the
        first request reports it."""
        try:
            model = self.load(self.resolve())
        except StudioError as error:
            log.warning("could not preload the %s model: %s", self.name, error.message("en"))
            return
        if self.prepare:
            self.prepare(model)
