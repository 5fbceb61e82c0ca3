"""An image data set on disk, as the Train tab checks it and `python -m training image` reads it:
`<root>/<split>/<class>/<image>`. A split folder is named after a split (contract.checkpoint.DATA_SPLITS or
an alias: dev, val...); names that start with "." and the clutter of archives and file browsers
(__MACOSX, Thumbs.db, desktop.ini) are never splits, classes or images.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from contract.checkpoint import DATA_SPLITS, canonical_split

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff")
CLUTTER = ("__MACOSX", "Thumbs.db", "desktop.ini")


def is_clutter(name: str) -> bool:
    """Whether a path (any of its parts, `/` or `\\` separated) is hidden or clutter."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return any(part.startswith(".") or part in CLUTTER for part in parts)


def visible_dirs(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.is_dir() and not is_clutter(p.name))


def visible_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and not is_clutter(p.name))


def split_folders(root: Path) -> dict[str, Path]:
    """{canonical split name: folder} of the folders of `root` named after a split."""
    return {canonical_split(p.name): p for p in visible_dirs(root) if canonical_split(p.name) in DATA_SPLITS}
