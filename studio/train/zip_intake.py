"""An uploaded zip of images, checked before anything is extracted, then extracted into one folder only.

Pure functions, no Gradio. Refused outright (a `DataError`): not a zip, a member outside the target
(`../`, an absolute name, a drive letter), a symlink, too many files, too many bytes once extracted,
a compression ratio no photo folder has (a zip bomb), more bytes than the disk has free. Files that
are not images are left out and listed; system clutter (`__MACOSX/`, `.DS_Store`, hidden files) is
left out silently. Extraction counts the bytes it really writes: a member lying about its size in
the zip's directory stops at the size it declared.
"""

from __future__ import annotations

import errno
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from contract.image_folders import IMAGE_SUFFIXES, is_clutter
from studio.errors import StudioError

CHUNK = 1 << 20
MB = 1 << 20


class DataError(StudioError):
    """Data the Train tab refuses: `key` is a string key ("train.data.*", "train.zip.*", studio/train/strings.py)."""


@dataclass(frozen=True)
class ZipLimits:
    max_unzipped_bytes: int
    max_files: int
    max_ratio: float
    max_depth: int = 8          # folders nested 1,500 deep broke shutil.rmtree (and then every start-up)
    max_folders: int = 1000     # 184 KB of nested names made 20,000 folders in 2 s


# Compression methods zipfile can read; Deflate64 (9) and others raise NotImplementedError mid-extraction.
READABLE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


@dataclass
class ZipPlan:
    """What will be extracted (image members), what was left out (not images), their total size."""

    members: list[zipfile.ZipInfo]
    left_out: list[str] = field(default_factory=list)
    total_bytes: int = 0


def unsafe_name(name: str) -> bool:
    """A member name that would land outside the target folder: absolute, drive letter, or `..`."""
    normalized = name.replace("\\", "/")
    parts = PurePosixPath(normalized).parts
    return normalized.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in parts


def is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise DataError("train.zip.not_zip", error=str(error)[:120]) from None


def plan_zip(path: Path, limits: ZipLimits, free_bytes: int) -> ZipPlan:
    """Check every member of the zip at `path` from its directory alone; nothing is extracted."""
    with open_zip(Path(path)) as archive:
        infos = archive.infolist()
    plan = ZipPlan([])
    files = [info for info in infos if not info.is_dir()]
    if len(files) > limits.max_files:
        raise DataError("train.zip.too_many_files", count=len(files), max=limits.max_files)
    for info in infos:
        if unsafe_name(info.filename):
            raise DataError("train.zip.unsafe_path", name=info.filename[:120])
        if is_symlink(info):
            raise DataError("train.zip.symlink", name=info.filename[:120])
    check_shape(infos, limits)
    for info in files:
        if is_clutter(info.filename):
            continue
        if not info.filename.lower().endswith(IMAGE_SUFFIXES):
            plan.left_out.append(info.filename)
            continue
        plan.members.append(info)
        plan.total_bytes += info.file_size
    total = sum(info.file_size for info in files)
    if total > limits.max_unzipped_bytes:
        raise DataError("train.zip.too_big", size_mb=round(total / MB, 1), max_mb=round(limits.max_unzipped_bytes / MB))
    compressed = max(1, Path(path).stat().st_size)
    if total / compressed > limits.max_ratio:
        raise DataError("train.zip.bomb", ratio=round(total / compressed), max=round(limits.max_ratio))
    if total > free_bytes:
        raise DataError("train.data.disk_full")
    if not plan.members:
        raise DataError("train.zip.no_images", left_out=len(plan.left_out))
    return plan


def member_folders(name: str) -> list[str]:
    """The folders a member's name creates: `a/b/c.png` -> [`a`, `a/b`]."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    parts = parts if name.endswith("/") else parts[:-1]
    return ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]


def check_shape(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """Refuse, from the directory alone: folders nested too deep or too many, an encrypted member, a
    compression zipfile cannot read (each found only halfway through extracting otherwise)."""
    folders: set[str] = set()
    for info in infos:
        created = member_folders(info.filename)
        if len(created) > limits.max_depth:
            raise DataError("share.zip_too_deep", depth=len(created), name=info.filename[:60] + "…", max=limits.max_depth)
        folders.update(created)
        if len(folders) > limits.max_folders:
            raise DataError("share.zip_too_many_folders", count=f"> {limits.max_folders}", max=limits.max_folders)
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise DataError("share.zip_encrypted", name=info.filename[:120])
        if info.compress_type not in READABLE_METHODS:
            method = {9: "Deflate64", 12: "BZIP2", 14: "LZMA", 93: "Zstandard", 98: "PPMd", 99: "AES"}.get(
                info.compress_type, f"#{info.compress_type}")
            raise DataError("share.zip_method", name=info.filename[:120], method=method)


def copy_capped(source, target: Path, limit: int) -> None:
    """Copy at most `limit` bytes; a member that inflates beyond what it declared is a bomb."""
    written = 0
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise DataError("train.zip.bomb", ratio="?", max="?")
            out.write(chunk)


def extract_zip(path: Path, plan: ZipPlan, target: Path) -> Path:
    """Extract the planned members into `target` (created), each checked to stay inside it.

    A full disk or a bad member removes `target` again and raises a DataError.
    """
    target = Path(target)
    target.mkdir(parents=True, exist_ok=False)
    root = target.resolve()
    try:
        with open_zip(Path(path)) as archive:
            for info in plan.members:
                destination = (root / info.filename.replace("\\", "/")).resolve()
                if not destination.is_relative_to(root):
                    raise DataError("train.zip.unsafe_path", name=info.filename[:120])
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source:
                    copy_capped(source, destination, info.file_size)
    except OSError as error:
        shutil.rmtree(target, ignore_errors=True)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DataError("train.data.disk_full") from None
        raise DataError("train.zip.not_zip", error=str(error)[:120]) from None
    except (DataError, zipfile.BadZipFile, EOFError, ValueError) as error:
        shutil.rmtree(target, ignore_errors=True)
        if isinstance(error, DataError):
            raise
        raise DataError("train.zip.not_zip", error=str(error)[:120]) from None
    return target
