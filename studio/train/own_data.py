"""The visitor's corrections as a Train tab data source: listed beside the operator's folders as
"mine:<name>", explored like them (a draft job whose data folder links to, or copies, the corrections).

Only the visitor's own sets are listed and accepted (studio/feedback/store.py finds them under
contract.visitors.owner_data_dir); a value naming another visitor's set, or none, is refused like an
unknown folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from studio import config
from studio.feedback import store
from studio.i18n import t
from studio.train import data as train_data
from studio.train.preview import DataReport, inspect_image_folder, stage_image_data
from studio.train.zip_intake import DataError
from studio.visitors import owner_of

MINE_PREFIX = "mine:"


def is_own(value: str | None) -> bool:
    return bool(value) and str(value).startswith(MINE_PREFIX)


def folder_choices(models_dir: Path, owner: str) -> list[tuple[str, str]]:
    """The operator's folders, then the visitor's corrections ("mine:<name>")."""
    mine = [(t("feedback.source", name=name), MINE_PREFIX + name) for name in store.owned_sets(models_dir, owner)]
    return [(name, name) for name in sorted(config.train_data_dirs())] + mine


def explore_own(models_dir: Path, owner: str, value: str, max_pixels: int) -> tuple[dict[str, Any], DataReport]:
    """A draft job for one of the visitor's correction sets (validation carved, as for an upload)."""
    name = str(value)[len(MINE_PREFIX):]
    found = store.owned_sets(models_dir, owner)
    if name not in found:
        raise DataError("train.data.unknown_folder", name=name[:60] or "—")
    if found[name].is_file():  # texts: one JSON-lines file
        return train_data.explore_text(models_dir, str(found[name]), "text", "label", owner=owner)
    report = inspect_image_folder(found[name], max_pixels)
    return train_data.draft(models_dir, "image", name, report, stage_image_data, owner=owner)


def choices_update(request: gr.Request = None) -> dict:
    return gr.update(choices=folder_choices(config.models_dir(), owner_of(request)))


def build(source: gr.Radio, folder: gr.Dropdown) -> None:
    """Choosing "server folder" lists the visitor's own correction sets too."""
    source.change(choices_update, None, folder, api_name="train_own_folders", show_progress="hidden")
