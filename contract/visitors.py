"""Who owns what on a shared studio: the operator's models, each visitor's runs and data, on disk.

A visitor is an owner id (`v-…`, `hf-…`, `u-…`, `s-…`: a hash, never the secret it was made from;
studio/visitors.py says how a request gets one). The operator, the person with a shell and the CLI,
is OPERATOR. Their places in the models folder:

    models/<name>/                          the operator's checkpoints: the only ones a tab serves by default
    models/.visitors/<owner>/models/<name>  a visitor's runs (the Train tab's `--models-dir` for their jobs)
    models/.visitors/<owner>/data/          a visitor's own data sets

`list_checkpoints(models/)` never sees a dot-folder, so a visitor's run can become a default only when the
operator promotes it (`python -m training promote`). Pure functions, stdlib only: the app and the CLI
both use them.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from contract.checkpoint import is_checkpoint, list_checkpoints, write_atomically

OPERATOR = "operator"
VISITORS_FOLDER = ".visitors"
OWNER_KINDS = ("v", "hf", "u", "s")  # browser key, Hugging Face login, the app's own login, a bare session
OWNER_PATTERN = re.compile(r"(?:v|hf|u|s)-[0-9a-f]{20}")


def owner_id(kind: str, secret: str) -> str:
    """The owner id of a secret (a browser key, a login name, a session): a hash, the secret never stored."""
    if kind not in OWNER_KINDS:
        raise ValueError(kind)
    return f"{kind}-{hashlib.sha256(f'{kind}:{secret}'.encode()).hexdigest()[:20]}"


def is_owner(owner: object) -> bool:
    return owner == OPERATOR or (isinstance(owner, str) and OWNER_PATTERN.fullmatch(owner) is not None)


def owner_root(models_dir: Path | str, owner: str) -> Path:
    """Everything a visitor has: models/.visitors/<owner>/ (the operator's root is models/ itself)."""
    if not is_owner(owner):
        raise ValueError(f"not an owner id: {owner!r:.40}")
    return Path(models_dir) if owner == OPERATOR else Path(models_dir) / VISITORS_FOLDER / owner


def owner_models_dir(models_dir: Path | str, owner: str) -> Path:
    """Where the owner's runs are written and read: models/ for the operator, else their own folder."""
    root = owner_root(models_dir, owner)
    return root if owner == OPERATOR else root / "models"


def owner_data_dir(models_dir: Path | str, owner: str) -> Path:
    return owner_root(models_dir, owner) / ("data" if owner != OPERATOR else ".data")


def owner_checkpoints(models_dir: Path | str, owner: str) -> list[Path]:
    """The owner's own checkpoint folders (the operator's: those directly in models/)."""
    return list_checkpoints(owner_models_dir(models_dir, owner))


def list_owners(models_dir: Path | str) -> list[str]:
    root = Path(models_dir) / VISITORS_FOLDER
    return sorted(folder.name for folder in root.iterdir() if is_owner(folder.name)) if root.is_dir() else []


def folder_bytes(folder: Path | str) -> int:
    """Bytes of the files under `folder` (links not followed); 0 when it does not exist."""
    total = 0
    for base, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(base, name)).st_size
            except OSError:
                continue
    return total


def remove_tree(folder: Path | str) -> None:
    """Remove a folder however deep: shutil.rmtree recurses once per level and raised RecursionError on an
    uploaded zip's 1,500-deep folders (and then at every start-up that purged drafts); rm -rf does not."""
    try:
        shutil.rmtree(folder)
    except FileNotFoundError:
        return
    except (OSError, RecursionError):
        subprocess.run(["rm", "-rf", "--", str(folder)], check=False, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def visitors_bytes(models_dir: Path | str) -> int:
    return folder_bytes(Path(models_dir) / VISITORS_FOLDER)


def expire_runs(models_dir: Path | str, max_age_s: float, now: float | None = None) -> list[Path]:
    """Remove visitors' runs (and their Trainer checkpoints) not written for `max_age_s`; a visitor
    folder left empty goes too. Returns the removed run folders."""
    now = now or time.time()
    removed = []
    for owner in list_owners(models_dir):
        models = owner_models_dir(models_dir, owner)
        for folder in sorted(models.iterdir()) if models.is_dir() else []:
            try:
                age = now - folder.stat().st_mtime
            except OSError:
                continue
            if folder.is_dir() and age > max_age_s:
                remove_tree(folder)
                removed.append(folder)
        root = owner_root(models_dir, owner)
        if not any(root.rglob("*")):
            remove_tree(root)
    return removed


def promote(models_dir: Path | str, owner: str, name: str, new_name: str | None = None,
            overwrite: bool = False) -> Path:
    """Copy a visitor's run into models/ as an operator's checkpoint (a default candidate from now on)."""
    source = owner_models_dir(models_dir, owner) / name
    if owner == OPERATOR or "/" in name or name.startswith(".") or not is_checkpoint(source):
        raise FileNotFoundError(f"no run {name!r} of {owner}")
    target = Path(models_dir) / (new_name or name)
    if "/" in target.name or target.name.startswith(".") or target.parent != Path(models_dir):
        raise ValueError(f"bad name {target.name!r}")
    if target.exists() and not overwrite:
        raise FileExistsError(target.name)
    return write_atomically(target, lambda folder: shutil.copytree(source, folder, dirs_exist_ok=True))
