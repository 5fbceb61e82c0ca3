"""Local checkpoints (folders in STUDIO_MODELS_DIR) as the playground lists and names them.

Which tasks a checkpoint serves is contract.checkpoint.checkpoint_tasks (the same for every tab).
Users see a checkpoint as `models/<name>`, never as a server path.
"""

from __future__ import annotations

from pathlib import Path

from studio import config
from studio.serving.models import MAX_REF_CHARS, local_checkpoints

SHOWN_PREFIX = "models/"


def shown_name(folder: Path) -> str:
    """`models/<name>` for a folder inside the models folder (whatever STUDIO_MODELS_DIR is)."""
    return SHOWN_PREFIX + folder.resolve().relative_to(config.models_dir()).as_posix()


def local_models(pipeline_task: str) -> list[str]:
    """Shown names of the checkpoints in the models folder that serve `pipeline_task`, best first."""
    return [shown_name(Path(choice.ref)) for choice in local_checkpoints(pipeline_task)]


def local_folder(model: str) -> Path | None:
    """The folder inside the models folder that `model` names ('<name>', 'models/<name>' or its path), or None."""
    if len(model) > MAX_REF_CHARS or not model.isprintable():  # a NUL or 5,000 characters: no file system call
        return None
    root = config.models_dir()
    path = Path(model).expanduser()
    candidates = [path] if path.is_absolute() else [root / model, root / model.removeprefix(SHOWN_PREFIX)]
    for candidate in candidates:
        folder = candidate.resolve()
        if folder.is_dir() and root in folder.parents:
            return folder
    return None
