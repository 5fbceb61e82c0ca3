"""A tab's model, as a service: resolve which model -> guard -> load (cached) -> your code.

A `ModelService` names a tab's model slot (its env var, task, Hub default and the command that trains
one). A handler reads straight through:

    with MODEL.serving(picked) as (choice, loaded):
        scores = predict(loaded, picture)

Every failure is a StudioError (a translated line; studio.ui.shows_errors shows it); an unexpected
one is logged with its traceback first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract.checkpoint import checkpoint_version
from contract.errors import KeyedError, error_summary
from contract.hub_ids import shown_ref
from contract.visitors import OPERATOR, owner_models_dir
from studio import config
from studio.answers.about import describe_model
from studio.errors import StudioError, message_of
from studio.i18n import percent, t
from studio.serving.cache import LoadedModel, load_model
from studio.serving.hub_guard import check_model
from studio.serving.models import (
    ModelChoice,
    ModelRefError,
    is_local_ref,
    local_checkpoints,
    resolve_model,
)

log = logging.getLogger("studio")


@dataclass(frozen=True)
class ModelService:
    tab: str                   # "beans" -> STUDIO_BEANS_MODEL and the "beans.*" strings
    task: str                  # contract.checkpoint task name, also the transformers pipeline task
    hub_default: str | None    # used online when there is no local checkpoint
    train_command: str         # shown when no model is available
    prepare: Callable[[Any], Any] | None = None  # run on the loaded model at start-up (e.g. its ONNX session)

    @property
    def env_var(self) -> str:
        return config.model_variable(self.tab)

    def no_model(self, markdown: bool = False) -> StudioError:
        """While the tab's first model trains (studio/train/bootstrap.py), how far it is; else where to get one."""
        preparing = self.preparing()
        if preparing is not None:
            return preparing
        command = f"\n\n```\n{self.train_command}\n```" if markdown else self.train_command
        key = {"beans": "beans.no_model", "sentiment": "sentiment.no_model"}[self.tab]
        return StudioError(key, models_dir=f"{config.models_dir().name}/", command=command)

    def own_choices(self, owner: str) -> list[ModelChoice]:
        """A visitor's own runs for this task, newest first: offered to them only, never a default for others."""
        if owner == OPERATOR:
            return []
        own = local_checkpoints(self.task, owner_models_dir(config.models_dir(), owner))
        return sorted(own, key=lambda choice: -(checkpoint_version(Path(choice.ref)) or 0))

    def options(self, owner: str = OPERATOR) -> list[tuple[str, str]]:
        """(label, value) for the tab's model picker: automatic first, then the visitor's own runs, then
        the operator's checkpoints for the task (best first), then the Hub default when online."""
        found = [(t("model.picker.auto"), "")]
        for choice in self.own_choices(owner):
            accuracy = choice.accuracy("validation")
            found.append((t("model.picker.yours", name=choice.name,
                            accuracy="" if accuracy is None else f" · {percent(accuracy)}"), choice.name))
        for choice in local_checkpoints(self.task):
            accuracy = choice.accuracy("validation")
            found.append((choice.name if accuracy is None else f"{choice.name} ({percent(accuracy)})", choice.name))
        if self.hub_default and not config.hub_offline():
            found.append((self.hub_default, self.hub_default))
        return found

    def resolve(self, picked: str | None = None, owner: str = OPERATOR) -> ModelChoice:
        """The model the user picked (a checkpoint name from `options`), else the visitor's newest own run,
        else the operator's: STUDIO_<TAB>_MODEL -> best checkpoint in models/ -> Hub default; resolved
        on every call, so a checkpoint trained while the app runs is picked up without a restart."""
        if picked:
            return self.picked(picked, owner)
        own = self.own_choices(owner)
        if own:
            return own[0]
        try:
            choice = resolve_model(self.tab, self.task, self.hub_default)
        except ModelRefError as error:
            raise StudioError("model.error.config", variable=self.env_var, error=message_of(error)) from None
        if choice is None or (choice.source == "hub" and self.preparing() is not None):
            raise self.no_model()  # the Hub did not answer at start: the tab's first model is on its way
        return choice

    def preparing(self) -> StudioError | None:
        # imported late: serving loads without the Train tab
        from studio.train.bootstrap import preparing_error

        return preparing_error(self.tab)

    def picked(self, name: str, owner: str = OPERATOR) -> ModelChoice:
        for choice in [*self.own_choices(owner), *local_checkpoints(self.task)]:
            if choice.name == name:
                return ModelChoice("picked", choice.ref, choice.name, choice.metrics)
        if name == self.hub_default and not config.hub_offline():
            return ModelChoice("picked", name, name)
        raise StudioError("model.error.unknown_pick", name=shown_ref(name))

    def load(self, choice: ModelChoice) -> LoadedModel:
        """The cached model and its processor; a Hub model passes the guard first (short lookup, refusals)."""
        if not is_local_ref(choice.ref):
            check_model(choice.ref, (self.task,))
        try:
            return load_model(self.task, choice.ref)[0]
        except Exception as error:
            log.exception("%s: loading %s failed", self.tab, choice.ref)
            raise StudioError("model.error.load", name=choice.name, error=error_summary(error)) from None

    @contextmanager
    def serving(self, picked: str | None = None, owner: str = OPERATOR) -> Iterator[tuple[ModelChoice, LoadedModel]]:
        """`with service.serving(picked) as (choice, loaded):` resolve -> load -> the block. A KeyedError
        in the block passes through as the user's message; any other failure is logged and becomes
        one line naming the model."""
        choice = self.resolve(picked, owner)
        loaded = self.load(choice)
        try:
            yield choice, loaded
        except KeyedError:
            raise
        except Exception as error:
            log.exception("%s: predicting with %s failed", self.tab, choice.ref)
            raise StudioError("model.error.predict", name=choice.name, error=error_summary(error)) from None

    def status(self, picked: str | None = None, owner: str = OPERATOR) -> tuple[ModelChoice | None, str]:
        """(the model or None, Markdown saying which model answers or how to get one): for every page
        load and picker change, so it never raises."""
        try:
            choice = self.resolve(picked, owner)
        except StudioError as error:
            no_model = error.key in (self.no_model().key, "beans.no_model", "sentiment.no_model")
            return None, (self.no_model(markdown=True) if no_model else error).message()
        return choice, describe_model(choice)

    def warm_up(self) -> None:
        """Load the model into the cache and prepare it (at start-up); a failure to load is logged, the
        first request reports it."""
        try:
            model = self.load(self.resolve())
        except StudioError as error:
            log.warning("could not preload the %s model: %s", self.tab, error.message("en"))
            return
        if self.prepare:
            self.prepare(model)
