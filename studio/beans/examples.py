"""Example leaf images for the bean tab, found at run time (never committed to git).

STUDIO_EXAMPLES_DIR (any images in it) -> a few beans validation images per class under STUDIO_ASSETS
-> none. The page shows and sends small copies (`thumbnail`): six full-size photos were 0.85 MB of the
page's first load, and the model reads 224-320 px anyway.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from pathlib import Path

from PIL import Image, ImageOps

from studio import config

EXAMPLE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp")
MAX_EXAMPLES = 12
THUMBNAIL_SIDE = 256  # px, the longer side: about the bean models' input (224-320), a twelfth of the bytes
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


def thumbnail(path: str | Path, folder: Path | None = None) -> str:
    """A JPEG copy of an example at most THUMBNAIL_SIDE px a side (made once per file version, in a temporary
    folder); the file itself when it is small already or cannot be read (the tab's decoder reports that)."""
    path = Path(path)
    try:
        stat = path.stat()
        version = f"{path.resolve()}:{stat.st_mtime_ns}:{stat.st_size}:{THUMBNAIL_SIDE}"
        key = hashlib.sha256(version.encode()).hexdigest()[:16]
        target = (folder or Path(tempfile.gettempdir()) / "studio-examples") / f"{path.stem}-{key}.jpg"
        if target.is_file():
            return str(target)
        with Image.open(path) as image:
            if max(image.size) <= THUMBNAIL_SIDE:
                return str(path)
            small = ImageOps.exif_transpose(image).convert("RGB")
            small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        small.save(partial, "JPEG", quality=75)
        partial.replace(target)  # two servers making the same copy: each replaces it whole
        return str(target)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        log.warning("example %s: no thumbnail (%s)", path.name, error)
        return str(path)
