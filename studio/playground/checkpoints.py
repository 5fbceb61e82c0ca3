"""Local checkpoints (folders in STUDIO_MODELS_DIR) as the playground lists and names them.

Which tasks a checkpoint serves is contract.checkpoint.checkpoint_tasks (the same for every tab).
Users see a checkpoint as `models/<name>`, never as a server path.
"""

from __future__ import annotations

from pathlib import Path

from contract.hub_ids import is_lookup_safe
from studio import config
from studio.serving.models import local_checkpoints

SHOWN_PREFIX = "models/"


def shown_model(model: str) -> str:
    """How the playground names a model: a checkpoint of the models folder as `models/<name>` (whatever
    STUDIO_MODELS_DIR is), anything else (a Hub id) as given."""
    folder = local_folder(model)
    return SHOWN_PREFIX + folder.relative_to(config.models_dir()).as_posix() if folder else model


def local_models(pipeline_task: str) -> list[str]:
    """Shown names of the checkpoints in the models folder that serve `pipeline_task`, best first."""
    return [shown_model(choice.ref) for choice in local_checkpoints(pipeline_task)]


def local_folder(model: str) -> Path | None:
    """The folder inside the models folder that `model` names ('<name>', 'models/<name>' or its path), or None."""
    if not is_lookup_safe(model):  # a NUL or 5,000 characters: no file system call
        return None
    root = config.models_dir()
    path = Path(model).expanduser()
    candidates = [path] if path.is_absolute() else [root / model, root / model.removeprefix(SHOWN_PREFIX)]
    for candidate in candidates:
        folder = candidate.resolve()
        if folder.is_dir() and root in folder.parents:
            return folder
    return None
