"""Running a task: check the inputs, resolve and load the model (refusals translated), run, render.

`make_request` checks everything that needs no model and writes the snippet for the model the user
asked for, so the UI can show it even when `run` then fails (offline, refused, unloadable).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract.checkpoint import checkpoint_version
from contract.hub_ids import shown_ref
from studio import config
from studio.errors import RequestError
from studio.playground.calls import PipeInfo, pipe_info
from studio.playground.checkpoints import SHOWN_PREFIX, local_folder, local_models, shown_model
from studio.playground.inputs import Inputs
from studio.playground.render import jsonable
from studio.playground.snippet import snippet
from studio.playground.table import Task, get_task
from studio.serving.hub_guard import ModelRefusal, check_model
from studio.serving.models import ModelRefError, validate_model_ref
from studio.serving.service import MODEL_CACHE

log = logging.getLogger(__name__)
NO_HUB = ("model.refuse.offline", "model.refuse.unreachable")


@dataclass(frozen=True)
class Request:
    """A task with inputs that fit it, the model asked for (a Hub id or `models/<name>`) and its snippet."""

    task: Task
    model: str
    inputs: Inputs
    code: str


@dataclass
class Result:
    task: Task
    model_ref: str             # what was loaded: a Hub id or a checkpoint folder
    shown_model: str           # the same as users see it: a Hub id or models/<name>
    value: Any                 # for the task's output component
    raw: Any                   # jsonable(pipeline output)
    code: str
    load_seconds: float
    inference_seconds: float
    cached: bool


def make_request(task_name: str, model: str | None, inputs: Inputs) -> Request:
    """Fail on bad inputs before any model lookup or load; '' means the task's default model."""
    task = get_task(task_name)
    call = task.prepare(inputs, PipeInfo())
    wanted = shown_model((model or "").strip() or task.default_model)
    return Request(task, wanted, inputs, snippet(task.pipeline_task, wanted, call))


def bad_model(model: str) -> RequestError:
    return RequestError("playground.error.bad_model", model=shown_ref(model))


def local_ref(model: str) -> str | None:
    """The folder to load for a local checkpoint named `model`, None for a Hub id, or a refusal."""
    folder = local_folder(model)
    if folder is None:
        if model.startswith(SHOWN_PREFIX):
            raise RequestError("playground.error.no_checkpoint", model=model)
        return None
    relative = folder.relative_to(config.models_dir())
    if any(part.startswith(".") for part in relative.parts):   # a checkpoint still being written
        raise bad_model(model)
    try:
        return validate_model_ref(str(folder))
    except ModelRefError:
        raise bad_model(model) from None


def hub_ref(model: str, task: Task) -> str:
    """A Hub id checked by hub_guard; offline, the refusal names the local checkpoints that fit."""
    try:
        return check_model(validate_model_ref(model), task.accepted_tags)
    except ModelRefError:
        raise bad_model(model) from None
    except ModelRefusal as refusal:
        local = local_models(task.pipeline_task)
        if refusal.key in NO_HUB and local:
            raise RequestError("playground.error.offline_pick_local", model=model,
                                  choices=", ".join(local)) from None
        raise


def loadable_ref(model: str, task: Task) -> str:
    return local_ref(model) or hub_ref(model, task)


def load_pipeline(task: str, ref: str) -> tuple[Any, float, bool]:
    """(pipeline, load_seconds, was_cached): a transformers pipeline, safetensors only and never remote code,
    kept in the LRU cache the tabs' models share."""
    from transformers import pipeline

    def loader():
        return pipeline(task, model=ref, trust_remote_code=False, model_kwargs={"use_safetensors": True})

    return MODEL_CACHE.get_or_load(("pipeline", task, ref, checkpoint_version(Path(ref))), loader)


def load(request: Request, on_loading: Callable[[str], None] = lambda model: None) -> tuple[Any, str, float, bool]:
    """(pipeline, loaded ref, load seconds, was cached) for the request's model; a RequestError says why not."""
    ref = loadable_ref(request.model, request.task)
    on_loading(request.model)
    try:
        pipe, load_seconds, cached = load_pipeline(request.task.pipeline_task, ref)
    except Exception as error:  # wrong architecture for the task, missing files, no safetensors...
        log.warning("playground: loading %s for %s failed: %s", ref, request.task.name, error)
        raise RequestError("playground.error.load", model=request.model, kind=type(error).__name__) from None
    return pipe, ref, load_seconds, cached


def run(request: Request, on_loading: Callable[[str], None] = lambda model: None) -> Result:
    """Load (or reuse) the pipeline, run it and render its output; a RequestError says why not."""
    task, inputs = request.task, request.inputs
    pipe, ref, load_seconds, cached = load(request, on_loading)
    call = task.prepare(inputs, pipe_info(pipe))
    code = snippet(task.pipeline_task, request.model, call)   # before the call: pipelines consume the audio dict
    start = time.perf_counter()
    try:
        output = pipe(*call.args, **call.kwargs)
        value = task.render(output, inputs)
    except RequestError:
        raise
    except Exception as error:
        log.warning("playground: %s on %s failed: %s", task.name, ref, error)
        raise RequestError("playground.error.run", kind=type(error).__name__) from None
    seconds = time.perf_counter() - start
    return Result(task, ref, request.model, value, jsonable(output), code, load_seconds, seconds, cached)

