"""Images of a data set decoded once, already shrunk towards the model's input size (JPEG draft mode decodes
a 500 px leaf at 250 px, ~4x less work), by the app's own decoder (contract/images.py); a file that
cannot be decoded is skipped and counted."""

from __future__ import annotations

import logging
from typing import Any

from PIL import Image

from contract.images import check_size, open_rgb, shrunk_rgb
from training.flow.data import SplitData

log = logging.getLogger("training")

MAX_TRAIN_IMAGE_PIXELS = 100_000_000  # a decompression bomb in a data set is skipped, not decoded


def open_image(source: Any, min_side: int) -> Image.Image:
    """A path/file/PIL image -> RGB, shrunk towards `min_side`: the app's own decoding (contract.images)."""
    if isinstance(source, Image.Image):
        check_size(source.size, MAX_TRAIN_IMAGE_PIXELS)
        return shrunk_rgb(source, min_side)
    return open_rgb(source, MAX_TRAIN_IMAGE_PIXELS, min_side)


def decode_images(sources: list[tuple[Any, int, str]], min_side: int) -> SplitData:
    """(source, label, display name) triples -> SplitData of RGB images; unreadable ones skipped and counted."""
    images, labels, items, skipped = [], [], [], 0
    for source, label, name in sources:
        try:
            images.append(open_image(source, min_side))
            labels.append(label)
            items.append({"path": name})
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
            skipped += 1
            log.warning("skipped unreadable image %s: %s", name, error)
    return SplitData(images, labels, skipped, items)

