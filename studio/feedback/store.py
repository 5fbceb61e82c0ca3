"""A visitor's corrections: an answer they marked wrong, saved with the right label into their own data.

"This answer is wrong -> the right label is …" in the bean and sentiment tabs stores the input in the
visitor's own data folder (contract.visitors.owner_data_dir), as a data set the Train tab can train on:

    <owner data>/beans-corrections/train/<label>/<time>-<hex>.jpg      an image folder (validation is carved)
    <owner data>/sentiment-corrections/train.jsonl                     {"text", "label"} per line

Bounded: at most MAX_ITEMS corrections per data set, images shrunk to MAX_IMAGE_SIDE px on their long
side, texts cut to MAX_TEXT_CHARS. The label must be one of the answering model's labels. No Gradio here.
A crowd is bounded too (issue 28: 4 sessions wrote 104 MB in 2 minutes): at most MAX_ALL corrections per
data set across all visitors, none while visitors' disk is full, and corrections expire with the
visitor's runs (config.visitor_run_days: `expire`, from the server's sweep and before a refusal).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from contract.images import open_rgb
from contract.visitors import OPERATOR, list_owners, owner_data_dir, visitors_bytes
from studio import config
from studio.errors import StudioError

MAX_ITEMS = int(os.environ.get("STUDIO_CORRECTIONS_MAX", "300"))  # per visitor and data set
MAX_ALL = int(os.environ.get("STUDIO_CORRECTIONS_TOTAL", "3000"))  # per data set, all visitors together
MAX_IMAGE_SIDE = 512
MAX_TEXT_CHARS = 2000
TEXT_FILE = "train.jsonl"


@dataclass(frozen=True)
class CorrectionSet:
    """Where one tab's corrections go, and whether they are image files or text lines."""

    name: str
    kind: str  # "image" | "text"


SETS = {"beans": CorrectionSet("beans-corrections", "image"), "sentiment": CorrectionSet("sentiment-corrections", "text")}


class CorrectionError(StudioError):
    """A correction that cannot be saved (key "feedback.error.*")."""


def set_folder(models_dir: Path, owner: str, tab: str) -> Path:
    return owner_data_dir(models_dir, owner) / SETS[tab].name


def checked_label(label: str | None, label_names: list[str]) -> str:
    if not label or label not in label_names:
        raise CorrectionError("feedback.error.label", labels=", ".join(label_names) or "—")
    return label


def count(models_dir: Path, owner: str, tab: str) -> int:
    """How many corrections the visitor has saved for `tab`."""
    folder = set_folder(models_dir, owner, tab)
    if SETS[tab].kind == "image":
        return sum(1 for path in folder.glob("train/*/*") if path.is_file())
    path = folder / TEXT_FILE
    return sum(1 for _ in path.open(encoding="utf-8")) if path.is_file() else 0


def count_all(models_dir: Path, tab: str) -> int:
    return sum(count(models_dir, owner, tab) for owner in list_owners(models_dir))


def crowd_full(models_dir: Path, tab: str) -> bool:
    return (count_all(models_dir, tab) >= MAX_ALL
            or visitors_bytes(models_dir) >= config.visitors_disk_mb() * 2**20)


def room_left(models_dir: Path, owner: str, tab: str) -> None:
    if count(models_dir, owner, tab) >= MAX_ITEMS:
        raise CorrectionError("feedback.error.full", max=MAX_ITEMS)
    if owner != OPERATOR and crowd_full(models_dir, tab):
        expire(models_dir, config.visitor_run_days() * 86400)
        if crowd_full(models_dir, tab):
            raise CorrectionError("feedback.error.crowd_full")


def expire(models_dir: Path, max_age_s: float, now: float | None = None) -> int:
    """Remove corrections not written for `max_age_s` (an image each, a text set by its file's last line);
    returns how many files went."""
    now = now or time.time()
    removed = 0
    for owner in list_owners(models_dir):
        for tab, spec in SETS.items():
            folder = set_folder(models_dir, owner, tab)
            files = folder.glob("train/*/*") if spec.kind == "image" else [folder / TEXT_FILE]
            for path in files:
                try:
                    if path.is_file() and now - path.stat().st_mtime > max_age_s:
                        path.unlink()
                        removed += 1
                except OSError:
                    continue
    return removed


def save_image(models_dir: Path, owner: str, path: str | None, label: str, label_names: list[str],
               max_pixels: int) -> Path:
    """The uploaded image (validated, decoded, shrunk, re-encoded as JPEG) under train/<label>/."""
    label = checked_label(label, label_names)
    room_left(models_dir, owner, "beans")
    if not path:
        raise CorrectionError("feedback.error.no_input")
    picture = open_rgb(path, max_pixels, MAX_IMAGE_SIDE)  # an ImageInputError is the user's message too
    picture.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    target = set_folder(models_dir, owner, "beans") / "train" / label / f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}.jpg"
    target.parent.mkdir(parents=True, exist_ok=True)
    picture.save(target, format="JPEG", quality=90)
    return target


def save_text(models_dir: Path, owner: str, text: str | None, label: str, label_names: list[str]) -> int:
    """One {"text", "label"} line appended to train.jsonl; the number of lines now."""
    label = checked_label(label, label_names)
    room_left(models_dir, owner, "sentiment")
    text = " ".join((text or "").split())[:MAX_TEXT_CHARS]
    if not text:
        raise CorrectionError("feedback.error.no_input")
    path = set_folder(models_dir, owner, "sentiment") / TEXT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(json.dumps({"text": text, "label": label}, ensure_ascii=False) + "\n")
    return count(models_dir, owner, "sentiment")


def owned_sets(models_dir: Path, owner: str) -> dict[str, Path]:
    """{data set name: its folder (images) or file (texts)} of the corrections the visitor has saved."""
    found = {}
    for tab, spec in SETS.items():
        folder = set_folder(models_dir, owner, tab)
        if spec.kind == "image" and any(folder.glob("train/*/*")):
            found[spec.name] = folder
        elif spec.kind == "text" and (folder / TEXT_FILE).is_file():
            found[spec.name] = folder / TEXT_FILE
    return found
