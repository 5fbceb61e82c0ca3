"""The example picture and sound the image and audio tasks start with: drawn once, no bundled media."""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

# What a task's `example` says for a media slot; `example_files()` maps it to a file.
EXAMPLE_IMAGE, EXAMPLE_AUDIO = "<example image>", "<example audio>"


def draw_house() -> Image.Image:
    image = Image.new("RGB", (320, 240), (135, 195, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 170, 320, 240), fill=(70, 150, 60))
    draw.ellipse((240, 20, 300, 80), fill=(250, 210, 50))
    draw.rectangle((60, 110, 170, 190), fill=(190, 90, 60))
    draw.polygon([(50, 110), (115, 60), (180, 110)], fill=(120, 40, 30))
    draw.rectangle((100, 145, 130, 190), fill=(90, 60, 40))
    return image


def c_major_chord(rate: int = 16000, seconds: float = 1.5) -> np.ndarray:
    time = np.arange(int(seconds * rate)) / rate
    return (sum(np.sin(2 * np.pi * f * time) for f in (261.6, 329.6, 392.0)) * 0.2).astype(np.float32)


@lru_cache(maxsize=1)
def example_files() -> dict[str, str]:
    """{EXAMPLE_IMAGE: png path, EXAMPLE_AUDIO: wav path}, written once per process to a temp folder."""
    import soundfile

    folder = Path(tempfile.mkdtemp(prefix="studio-playground-examples-"))
    draw_house().save(folder / "example.png")
    soundfile.write(folder / "example.wav", c_major_chord(), 16000)
    return {EXAMPLE_IMAGE: str(folder / "example.png"), EXAMPLE_AUDIO: str(folder / "example.wav")}


def example_value(example: dict[str, str], slot: str) -> str | None:
    """A task's example for one input slot: the text itself, or the path of the drawn media."""
    value = example.get(slot)
    return example_files().get(value, value) if value else None
