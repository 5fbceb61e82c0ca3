"""Reading and checking what the user gave: texts, candidate labels, an image file, an audio file."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from studio.hub_guard import PlaygroundError

MASK_SPELLINGS = ("[MASK]", "<mask>")


class PlaygroundInputError(PlaygroundError):
    """The inputs do not fit the task (empty, unreadable, no [MASK], no labels...)."""


@dataclass(frozen=True)
class Inputs:
    """What the user gave, slot by slot; `image` is already decoded, `audio` is a file path."""

    text: str = ""
    text2: str = ""
    image: Image.Image | None = None
    audio: str | None = None


def require_text(value: str, key: str = "playground.error.empty_text") -> str:
    value = (value or "").strip()
    if not value:
        raise PlaygroundInputError(key)
    return value


def nonblank_lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def split_labels(value: str) -> list[str]:
    """'a, b,c' or one per line -> ['a', 'b', 'c'], without empties or repeats."""
    labels = [part.strip() for line in (value or "").splitlines() for part in line.split(",")]
    return list(dict.fromkeys(label for label in labels if label))


def require_labels(value: str) -> list[str]:
    labels = split_labels(value)
    if not labels:
        raise PlaygroundInputError("playground.error.no_labels")
    return labels


def with_mask_token(text: str, mask_token: str | None) -> str:
    """Let the user write [MASK] or <mask> whatever the model's own mask token is.

    With no model loaded yet (`mask_token` None) the text is only checked, and kept as written.
    """
    text = require_text(text)
    if mask_token is None:
        if not any(spelling in text for spelling in MASK_SPELLINGS):
            raise PlaygroundInputError("playground.error.no_mask", mask=MASK_SPELLINGS[0])
        return text
    for spelling in MASK_SPELLINGS:
        text = text.replace(spelling, mask_token)
    if mask_token not in text:
        raise PlaygroundInputError("playground.error.no_mask", mask=mask_token)
    return text


def load_image(path: str | Path | None) -> Image.Image | None:
    """An RGB PIL image from a file, None for no file, an input error for a file PIL cannot read."""
    if not path:
        return None
    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        raise PlaygroundInputError("playground.error.bad_image") from None


def require_image(inputs: Inputs) -> Image.Image:
    if inputs.image is None:
        raise PlaygroundInputError("playground.error.no_image")
    return inputs.image


def load_audio(path: str | Path | None, sampling_rate: int) -> np.ndarray:
    """Mono float32 samples at `sampling_rate`: decoded with soundfile, resampled with scipy."""
    import soundfile
    from scipy.signal import resample_poly

    if not path:
        raise PlaygroundInputError("playground.error.no_audio")
    try:
        samples, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (RuntimeError, OSError, ValueError, TypeError, soundfile.SoundFileError):
        raise PlaygroundInputError("playground.error.bad_audio") from None
    if samples.size == 0:
        raise PlaygroundInputError("playground.error.bad_audio")
    mono = samples.mean(axis=1)
    if rate != sampling_rate:
        divisor = math.gcd(int(rate), int(sampling_rate))
        mono = resample_poly(mono, sampling_rate // divisor, int(rate) // divisor)
    return mono.astype(np.float32)
