"""Reading and checking what the user gave: texts, candidate labels, an image file, an audio file."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from contract.images import ImageInputError, open_rgb
from studio import config
from studio.errors import RequestError

MASK_SPELLINGS = ("[MASK]", "<mask>")
# Uploads are decoded no smaller than this (whole-factor shrink, as the bean tab does): every pipeline's
# processor resizes below it, and a 40-megapixel photo is not decoded in full.
IMAGE_MIN_SIDE = 1024
# Samples (frames × channels) one audio upload may decode to: STUDIO_MAX_AUDIO_SECONDS of 48 kHz stereo.
AUDIO_SAMPLES_PER_SECOND = 2 * 48_000
# Bounds checked before any work (issue 28: 6,000 candidate labels ran 156 s, one NLI pass per label).
MAX_TEXT_CHARS = 5_000  # each text slot
MAX_ITEMS = 20  # candidate labels (zero-shot), sentences to compare


class PlaygroundInputError(RequestError):
    """The inputs do not fit the task (empty, unreadable, no [MASK], no labels...)."""


@dataclass(frozen=True)
class Inputs:
    """What the user gave, slot by slot; `image` is already decoded, `audio` is a file path."""

    text: str = ""
    text2: str = ""
    image: Image.Image | None = None
    audio: str | None = None


def check_sizes(*texts: str) -> None:
    """Every text slot within MAX_TEXT_CHARS, checked when the request arrives, before any model or loop."""
    if any(len(text or "") > MAX_TEXT_CHARS for text in texts):
        raise PlaygroundInputError("playground.error.too_long", max=MAX_TEXT_CHARS)


def at_most(items: list[str]) -> list[str]:
    if len(items) > MAX_ITEMS:
        raise PlaygroundInputError("playground.error.too_many", count=len(items), max=MAX_ITEMS)
    return items


def require_text(value: str, key: str = "playground.error.empty_text") -> str:
    value = (value or "").strip()
    if not value:
        raise PlaygroundInputError(key)
    return value


def nonblank_lines(value: str) -> list[str]:
    return at_most([line.strip() for line in (value or "").splitlines() if line.strip()])


def split_labels(value: str) -> list[str]:
    """'a, b,c' or one per line -> ['a', 'b', 'c'], without empties or repeats."""
    labels = [part.strip() for line in (value or "").splitlines() for part in line.split(",")]
    return at_most(list(dict.fromkeys(label for label in labels if label)))


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
    """An RGB PIL image from a file (contract.images.open_rgb: the bean tab's caps, checked from the
    header before decoding), None for no file, an input error naming what is wrong with it."""
    if not path:
        return None
    try:
        return open_rgb(path, config.max_image_pixels(), IMAGE_MIN_SIDE)
    except ImageInputError as error:
        raise PlaygroundInputError(error.key, **error.fields) from None


def require_image(inputs: Inputs) -> Image.Image:
    if inputs.image is None:
        raise PlaygroundInputError("playground.error.no_image")
    return inputs.image


def check_audio(path: str | Path | None) -> int:
    """How many frames of the file to decode, from its header alone: no file, an unreadable one or one
    longer than STUDIO_MAX_AUDIO_SECONDS (a 546 KB FLAC can hold 3 hours of silence) is refused."""
    import soundfile

    if not path:
        raise PlaygroundInputError("playground.error.no_audio")
    try:
        info = soundfile.info(str(path))
    except (RuntimeError, OSError, ValueError, TypeError, soundfile.SoundFileError):
        raise PlaygroundInputError("playground.error.bad_audio") from None
    if info.frames <= 0 or info.samplerate <= 0 or info.channels <= 0:
        raise PlaygroundInputError("playground.error.bad_audio")
    limit = config.max_audio_seconds()
    seconds = info.frames / info.samplerate
    if seconds > limit or info.frames * info.channels > limit * AUDIO_SAMPLES_PER_SECOND:
        raise PlaygroundInputError("playground.error.audio_too_long", seconds=f"{seconds:,.0f}", max=f"{limit:g}")
    return info.frames


def load_audio(path: str | Path | None, sampling_rate: int) -> np.ndarray:
    """Mono float32 samples at `sampling_rate`: checked (`check_audio`), decoded with soundfile (never
    more frames than the header announced), resampled with scipy."""
    import soundfile
    from scipy.signal import resample_poly

    frames = check_audio(path)
    try:
        samples, rate = soundfile.read(str(path), frames=frames, dtype="float32", always_2d=True)
    except (RuntimeError, OSError, ValueError, TypeError, soundfile.SoundFileError):
        raise PlaygroundInputError("playground.error.bad_audio") from None
    if samples.size == 0:
        raise PlaygroundInputError("playground.error.bad_audio")
    mono = samples.mean(axis=1)
    if rate != sampling_rate:
        divisor = math.gcd(int(rate), int(sampling_rate))
        mono = resample_poly(mono, sampling_rate // divisor, int(rate) // divisor)
    return mono.astype(np.float32)
