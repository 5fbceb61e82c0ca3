"""The playground's call as runnable Python with `transformers.pipeline`, the way the course writes it."""

from __future__ import annotations

from typing import Any

from PIL import Image

from studio.playground.calls import Call

# The files the snippet reads its image and audio from (the user saves theirs under these names).
IMAGE_FILE, AUDIO_FILE = "mi_imagen.jpg", "mi_audio.wav"


def source(value: Any) -> str:
    """Python source for a call argument; images and audio become the variables the snippet defines."""
    if isinstance(value, Image.Image):
        return "image"
    if isinstance(value, dict) and "raw" in value:
        return "audio"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key!r}: {source(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(source(item) for item in value) + "]"
    return repr(value)


def uses(value: Any, kind: str) -> bool:
    """Whether an argument holds an image (kind "image") or an audio dict (kind "audio")."""
    if isinstance(value, (list, tuple)):
        return any(uses(item, kind) for item in value)
    if isinstance(value, dict):
        return ("raw" in value) if kind == "audio" else any(uses(item, kind) for item in value.values())
    return kind == "image" and isinstance(value, Image.Image)


def snippet(pipeline_task: str, model: str, call: Call) -> str:
    """`pipe = pipeline(task, model=...)` then `pipe(...)` with the call's arguments, ready to run."""
    values = [*call.args, *call.kwargs.values()]
    image, audio = uses(values, "image"), uses(values, "audio")
    lines = ["from transformers import pipeline"]
    lines += ["from PIL import Image"] if image else []
    lines += ["import soundfile as sf", "from scipy.signal import resample_poly"] if audio else []
    lines += ["", f"pipe = pipeline({pipeline_task!r}, model={model!r})"]
    lines += [f'image = Image.open("{IMAGE_FILE}").convert("RGB")'] if image else []
    if audio:
        lines += [
            f'samples, rate = sf.read("{AUDIO_FILE}", dtype="float32", always_2d=True)',
            "target = pipe.feature_extractor.sampling_rate",
            'audio = {"raw": resample_poly(samples.mean(axis=1), target, rate), "sampling_rate": target}',
        ]
    arguments = [source(arg) for arg in call.args] + [f"{key}={source(value)}" for key, value in call.kwargs.items()]
    lines += [f"result = pipe({', '.join(arguments)})", "print(result)"]
    return "\n".join(lines)
