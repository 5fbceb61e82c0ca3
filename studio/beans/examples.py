"""Example leaf images for the bean tab, found at run time (never committed to git).

STUDIO_EXAMPLES_DIR (any images in it) -> a few beans validation images per class under STUDIO_ASSETS
-> none.
"""

from __future__ import annotations

import logging
from pathlib import Path

from studio import config

EXAMPLE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp")
MAX_EXAMPLES = 12
log = logging.getLogger(__name__)


def images_in(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.suffix.lower() in EXAMPLE_SUFFIXES and path.is_file())


def beans_validation_examples(validation: Path, per_class: int) -> list[Path]:
    """The first `per_class` images (by name) of each class folder, classes in name order."""
    classes = sorted(folder for folder in validation.iterdir() if folder.is_dir())
    return [path for folder in classes for path in images_in(folder)[:per_class]]


def example_images(per_class: int = 2) -> list[str]:
    folder = config.examples_dir()
    if folder is not None:
        if not folder.is_dir():
            log.warning("STUDIO_EXAMPLES_DIR=%s is not a folder: no examples shown", folder)
            return []
        return [str(path) for path in images_in(folder)[:MAX_EXAMPLES]]
    validation = config.assets_dir() / "data" / "beans" / "validation"
    if validation.is_dir():
        return [str(path) for path in beans_validation_examples(validation, per_class)[:MAX_EXAMPLES]]
    return []
