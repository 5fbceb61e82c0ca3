"""Open an uploaded file as the RGB picture a classifier expects, or say in one line why not.

Pure functions, no Gradio: the app shows an `ImageInputError` translated (studio.errors); training
skips the file and counts it. Both decode through `open_rgb`, so the app sees what training saw.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from contract.checkpoint import TTA_CONFIG_KEY
from contract.errors import KeyedError

# Modes with an alpha channel: composited on white (a transparent background is not black).
ALPHA_MODES = ("RGBA", "RGBa", "LA", "La", "PA")
# Integer/float modes that `convert("RGB")` would clip to 255 (a 16-bit photo turns white):
# each is rescaled to 0..255 by the largest value its type can hold.
DEEP_MODE_MAX = {"I;16": 65535, "I;16L": 65535, "I;16B": 65535, "I;16N": 65535}
# Bytes one sample of a mode takes once decoded: the pixel cap counts a 16-bit picture twice and a 32-bit
# one four times (a 6000×6000 16-bit PNG of 70 KB decodes to what a 72-megapixel 8-bit one does).
SAMPLE_BYTES = {**dict.fromkeys(DEEP_MODE_MAX, 2), "I": 4, "F": 4}
# A progressive JPEG may hold any number of scans, each a pass over every block of the picture when
# decoded: 20,000 tiny ones (1.3 MB) cost a minute of CPU. Real photos have about ten.
MAX_JPEG_SCANS = 100
# What a picture may keep after decoding, in units of the model's side squared: any photo's shrink stays
# under it (short side < 2 × min_side, aspect <= 2), only strips are scaled further.
MAX_SHRUNK_AREA = 8
JPEG_SCAN_MARKER = b"\xff\xda"
WHITE = (255, 255, 255)
# A 40000×1 strip passes any pixel cap, but a processor that resizes its short side to 256 would then
# build a 10-megapixel-wide picture (GBs): the long side may be at most this many times the short one.
MAX_ASPECT_RATIO = 20
# Modes that `Image.reduce` averages correctly: shrunk before the RGB conversion, so a big RGBA or CMYK
# upload is composited and converted at the model's size, not at its own.
REDUCE_FIRST_MODES = ("RGB", "RGBA", "L", "LA", "CMYK", "YCbCr")


class ImageInputError(KeyedError):
    """An upload the app refuses; `key` is a studio.strings key, `fields` fill its placeholders."""


def check_size(size: tuple[int, int], max_pixels: int, mode: str = "") -> None:
    """Refuse, from the header alone, too many pixels (a deep mode counting as SAMPLE_BYTES of them) or a
    strip longer than MAX_ASPECT_RATIO : 1."""
    width, height = size
    depth = SAMPLE_BYTES.get(mode, 1)
    if width * height * depth > max_pixels:
        shown = f"{width}×{height}" + (f" × {8 * depth} bits" if depth > 1 else "")
        raise ImageInputError("app.image.too_large", size=shown, max_pixels=f"{max_pixels:,}")
    if max(width, height) > MAX_ASPECT_RATIO * max(1, min(width, height)):
        raise ImageInputError("app.image.aspect", size=f"{width}×{height}", max_ratio=MAX_ASPECT_RATIO)


def check_scans(path: str | Path) -> None:
    """Refuse a JPEG with more than MAX_JPEG_SCANS scans before decoding (a scan marker cannot occur
    inside entropy-coded data, where every 0xFF byte is followed by 0x00 or a restart number)."""
    scans = Path(path).read_bytes().count(JPEG_SCAN_MARKER)
    if scans > MAX_JPEG_SCANS:
        raise ImageInputError("app.image.scans", scans=f"{scans:,}", max=MAX_JPEG_SCANS)


def deep_to_8bit(image: Image.Image) -> Image.Image:
    """16/32-bit integer or float grayscale -> 8-bit 'L', scaled (not clipped) to 0..255.

    In PIL's own 32-bit modes (no float64 copy of the picture: that was +860 MB for one 16-bit upload)."""
    wide = image if image.mode in ("I", "F") else image.convert("I")
    _low, high = wide.getextrema()
    if image.mode in DEEP_MODE_MAX:
        top = DEEP_MODE_MAX[image.mode]
    elif image.mode == "F" and high <= 1.0:
        top = 1.0  # float images are usually 0..1
    else:  # 'I' (32-bit) or other floats: 16-bit data stored wide is the common case
        top = 255 if high <= 255 else 65535
    scale = 255.0 / top
    return wide.point(lambda value: value * scale + 0.5).convert("L")


def to_rgb(image: Image.Image) -> Image.Image:
    """Any PIL mode -> 'RGB': alpha on white, 16-bit scaled, CMYK/palette/grayscale converted."""
    if image.mode == "RGB":
        return image
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ALPHA_MODES:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, WHITE + (255,))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode in DEEP_MODE_MAX or image.mode in ("I", "F"):
        image = deep_to_8bit(image)
    try:
        return image.convert("RGB")
    except ValueError as error:  # e.g. LAB: PIL has no direct conversion
        raise ImageInputError("app.image.mode", mode=image.mode) from error


def shrink(image: Image.Image, min_side: int | None) -> Image.Image:
    """Reduce by a whole factor while the shorter side stays >= `min_side` (no-op without it); a long
    strip is then scaled down to MAX_SHRUNK_AREA × min_side² pixels (8940×447 stayed 4 megapixels:
    training kept 120 of them decoded in 2.6 GB)."""
    factor = min(image.size) // min_side if min_side else 0
    image = image.reduce(factor) if factor >= 2 else image
    budget = MAX_SHRUNK_AREA * min_side * min_side if min_side else 0
    width, height = image.size
    if budget and width * height > budget:
        scale = (budget / (width * height)) ** 0.5
        short = max(1, int(min(width, height) * scale))  # the long side follows it: the aspect ratio stays
        long = max(1, min(round(max(width, height) * short / min(width, height)), budget // short))
        image = image.resize((long, short) if width >= height else (short, long), Image.Resampling.BOX)
    return image


def size_fields(value: object) -> dict:
    """A processor's size/crop_size as a dict: a dict, transformers 5's SizeDict, or a bare int side."""
    if isinstance(value, int):
        return {"shortest_edge": value}
    try:
        return {key: side for key, side in dict(value).items() if side} if value is not None else {}
    except (TypeError, ValueError):
        return {}


def shrunk_rgb(image: Image.Image, min_side: int | None) -> Image.Image:
    """`to_rgb` and `shrink`, shrinking first where the mode allows: no full-size RGB copy is made."""
    if image.mode in REDUCE_FIRST_MODES:
        return to_rgb(shrink(image, min_side))
    if image.mode in DEEP_MODE_MAX or image.mode in ("I", "F"):  # shrunk in 32 bits, then made 8-bit
        return to_rgb(deep_to_8bit(shrink(image if image.mode in ("I", "F") else image.convert("I"), min_side)))
    return shrink(to_rgb(image), min_side)


def processor_side(processor: object) -> int:
    """The smallest side an image processor resizes/crops to: what decoding must keep."""
    sides = []
    for attribute in ("crop_size", "size"):
        if attribute == "crop_size" and getattr(processor, "do_center_crop", True) is False:
            continue  # a crop size that is not used (resize-whole geometry) says nothing
        found = size_fields(getattr(processor, attribute, None))
        sides += [v for k, v in found.items() if k in ("height", "width", "shortest_edge")]
    return min(sides) if sides else 224


def open_rgb(path: str | Path | None, max_pixels: int, min_side: int | None = None) -> Image.Image:
    """Open, validate and decode an image file into a fully loaded RGB image.

    The pixel cap and the aspect ratio are checked from the header, before decoding, so a decompression
    bomb costs nothing, and after the shrink both sides are bounded (short < 2 × `min_side`, long
    <= MAX_ASPECT_RATIO × short): whatever a processor resizes it to stays small.
    With `min_side`, the image is shrunk (never below `min_side` px), a JPEG already while decoding:
    a classifier that looks at 224 px does not need a 12-megapixel phone photo decoded in full.
    Training (training/modalities/image.py) decodes through this same function, so the app sees what training saw.
    """
    if not path:
        raise ImageInputError("app.image.empty")
    try:
        with Image.open(path) as image:
            check_size(image.size, max_pixels, image.mode)
            if image.format == "JPEG":
                check_scans(path)
            if min_side and image.format == "JPEG":
                image.draft(None, (min_side, min_side))
            image.load()  # decode now: truncated or corrupt data fails here, inside this try
            try:
                upright = ImageOps.exif_transpose(image)
            except Exception:  # a broken EXIF block is no reason to refuse the picture itself
                upright = image
            return shrunk_rgb(upright, min_side).copy()
    except ImageInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # PIL's own bomb guard fired first (dimensions far beyond even its default cap)
        raise ImageInputError(
            "app.image.too_large", size=f"> {2 * Image.MAX_IMAGE_PIXELS:,}", max_pixels=f"{max_pixels:,}") from error
    except UnidentifiedImageError as error:
        raise ImageInputError("app.image.not_image") from error
    except FileNotFoundError as error:
        raise ImageInputError("app.image.empty") from error
    except (OSError, SyntaxError, EOFError, ValueError) as error:
        raise ImageInputError("app.image.corrupt", error=str(error)[:120]) from error


# Mirrored (and quarter-turned) views of a picture by name: training augments and averages with them
# (--augment, --tta), and the app averages the same ones when a checkpoint's config.json asks
# (contract.checkpoint.TTA_CONFIG_KEY).
VIEWS = {"hflip": lambda image: image.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
         "vflip": lambda image: image.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
         "rot90": lambda image: image.transpose(Image.Transpose.ROTATE_90)}


def config_views(config: Any) -> tuple:
    """The test-time views a checkpoint's loaded config names (TTA_CONFIG_KEY), as functions of VIEWS."""
    names = getattr(config, TTA_CONFIG_KEY, None) or ()
    return tuple(VIEWS[name] for name in names if name in VIEWS)


SAVED_IMAGE_SIDE = 1000  # a plot the app shows needs no more


def open_saved_image(path: str | Path | None, max_pixels: int) -> Image.Image | None:
    """A picture the app saved itself (a confusion matrix) opened with the uploads' guard; None when it is
    missing or refused: one oversized plot (13,800 px) failed every page that showed it for every visitor."""
    if not path or not Path(path).is_file():
        return None
    try:
        return open_rgb(path, max_pixels, SAVED_IMAGE_SIDE)
    except ImageInputError:
        return None
