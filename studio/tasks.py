"""The playground's tasks as data: one `Task` record per task, plus the pure functions they point to.

A record says which inputs the task shows (with their labels and examples), how the user's inputs
become a `transformers.pipeline` call (`prepare`), how the pipeline's output becomes the value of one
output component (`render`), which model answers by default, and which Hub pipeline tags fit it.
Adding a task is adding a record. The UI (studio/tabs/playground.py) only wires components to `run`.

transformers 5 removed the "summarization", "translation" and "question-answering" pipelines (its
migration guide says: use text-generation with an instruction model) and renamed "image-to-text" to
"image-text-to-text"; those tasks here run on the replacement pipeline with an instruction prompt.
"""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from contract.errors import error_summary
from studio import config
from studio.hub_guard import PlaygroundError, check_model
from studio.models import load_pipeline
from studio.strings import t

INPUT_SLOTS = ("text", "text2", "image", "audio")
OUTPUT_KINDS = ("label", "highlight", "text", "annotated", "image")
MASK_SPELLINGS = ("[MASK]", "<mask>")
EXAMPLE_IMAGE, EXAMPLE_AUDIO = "<example image>", "<example audio>"


class InputError(PlaygroundError):
    """The inputs do not fit the task (empty, unreadable, no [MASK], no labels...)."""


@dataclass(frozen=True)
class Inputs:
    """What the user gave, slot by slot; `image` is already decoded, `audio` is a file path."""

    text: str = ""
    text2: str = ""
    image: Image.Image | None = None
    audio: str | None = None


@dataclass(frozen=True)
class PipeInfo:
    """What pre-processing needs to know about the loaded pipeline."""

    mask_token: str | None = None
    sampling_rate: int = 16000
    chat: bool = False


@dataclass
class Call:
    """`pipe(*args, **kwargs)`."""

    args: tuple
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Task:
    name: str
    pipeline_task: str                        # what transformers.pipeline() gets
    inputs: dict[str, str]                    # slot -> strings key of its label, in display order
    output: str                               # one of OUTPUT_KINDS
    default_model: str
    example: dict[str, str]                   # slot -> example value
    prepare: Callable[[Inputs, PipeInfo], Call]
    render: Callable[[Any, Inputs], Any]
    hub_tags: tuple[str, ...] = ()            # Hub pipeline_tag values a model must have (default: pipeline_task)

    @property
    def accepted_tags(self) -> tuple[str, ...]:
        return self.hub_tags or (self.pipeline_task,)


# ---------------------------------------------------------------- reading inputs

def require_text(value: str, key: str = "playground.error.empty_text") -> str:
    value = (value or "").strip()
    if not value:
        raise InputError(key)
    return value


def split_labels(value: str) -> list[str]:
    """'a, b,c' or one per line -> ['a', 'b', 'c'], without empties or repeats."""
    labels = [part.strip() for line in (value or "").splitlines() for part in line.split(",")]
    return list(dict.fromkeys(label for label in labels if label))


def require_labels(value: str) -> list[str]:
    labels = split_labels(value)
    if not labels:
        raise InputError("playground.error.no_labels")
    return labels


def load_image(path: str | Path | None) -> Image.Image | None:
    """An RGB PIL image from a file, None for no file, InputError for a file PIL cannot read."""
    if not path:
        return None
    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        raise InputError("playground.error.bad_image") from None


def require_image(inputs: Inputs) -> Image.Image:
    if inputs.image is None:
        raise InputError("playground.error.no_image")
    return inputs.image


def load_audio(path: str | Path | None, sampling_rate: int) -> np.ndarray:
    """Mono float32 samples at `sampling_rate`: decoded with soundfile, resampled with scipy."""
    import soundfile
    from scipy.signal import resample_poly

    if not path:
        raise InputError("playground.error.no_audio")
    try:
        samples, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (RuntimeError, OSError, ValueError, TypeError, soundfile.SoundFileError):
        raise InputError("playground.error.bad_audio") from None
    if samples.size == 0:
        raise InputError("playground.error.bad_audio")
    mono = samples.mean(axis=1)
    if rate != sampling_rate:
        divisor = math.gcd(int(rate), int(sampling_rate))
        mono = resample_poly(mono, sampling_rate // divisor, int(rate) // divisor)
    return mono.astype(np.float32)


def audio_call(inputs: Inputs, info: PipeInfo, **kwargs: Any) -> Call:
    raw = load_audio(inputs.audio, info.sampling_rate)
    return Call(({"raw": raw, "sampling_rate": info.sampling_rate},), kwargs)


def with_mask_token(text: str, mask_token: str | None) -> str:
    """Let the user write [MASK] or <mask> whatever the model's own mask token is."""
    text = require_text(text)
    token = mask_token or "[MASK]"
    for spelling in MASK_SPELLINGS:
        text = text.replace(spelling, token)
    if token not in text:
        raise InputError("playground.error.no_mask", mask=token)
    return text


def generation_kwargs() -> dict[str, Any]:
    return {"max_new_tokens": config.max_new_tokens(), "do_sample": False}


def prompt_input(prompt: str, info: PipeInfo):
    """Instruction models get a chat message (their template), plain language models the bare prompt."""
    return [{"role": "user", "content": prompt}] if info.chat else prompt


# Prompts for the tasks transformers 5 runs through text-generation (answer language follows the input).
PROMPTS = {
    "summarization": "Summarize the following text in one or two sentences.\n\n{text}",
    "translation": "Translate the following text into {target}. Reply with the translation only.\n\n{text}",
    "question-answering": (
        "Answer the question with a short span copied from the context.\n\n"
        "Context: {context}\n\nQuestion: {question}"
    ),
}


def prompted(prompt_of: Callable[[Inputs], str]) -> Callable[[Inputs, PipeInfo], Call]:
    def prepare(inputs: Inputs, info: PipeInfo) -> Call:
        return Call((prompt_input(prompt_of(inputs), info),), {**generation_kwargs(), "return_full_text": False})

    return prepare


# ---------------------------------------------------------------- rendering outputs

def scores_by_label(items: list[dict], label_key: str = "label") -> dict[str, float]:
    """[{'label': 'POSITIVE', 'score': 0.9}, ...] -> {'POSITIVE': 0.9, ...} for gr.Label (best score kept)."""
    scores: dict[str, float] = {}
    for item in items:
        label = str(item[label_key]).strip()
        scores[label] = max(float(item["score"]), scores.get(label, 0.0))
    return scores


def generated_text(output: Any) -> str:
    """The text a text-generation pipeline produced, whether it answered a prompt or a chat."""
    first = output[0] if isinstance(output, list) else output
    text = first["generated_text"] if isinstance(first, dict) else first
    if isinstance(text, list):      # a chat: the last message is the model's
        text = text[-1]
    if isinstance(text, dict):
        text = text.get("content", "")
    return str(text).strip()


def spans_to_segments(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """Cut `text` into (piece, label or None) for gr.HighlightedText; overlapping spans are dropped."""
    segments: list[tuple[str, str | None]] = []
    cursor = 0
    for start, end, label in sorted(spans):
        if start < cursor or end <= start:
            continue
        if start > cursor:
            segments.append((text[cursor:start], None))
        segments.append((text[start:end], label))
        cursor = end
    if cursor < len(text):
        segments.append((text[cursor:], None))
    return segments


def entity_label(entity: dict) -> str:
    """'B-PER' / 'I-PER' / grouped 'PER' -> 'PER'."""
    label = str(entity.get("entity_group") or entity.get("entity") or "")
    return label[2:] if label[:2] in ("B-", "I-") else label


def render_entities(output: list[dict], inputs: Inputs) -> list[tuple[str, str | None]]:
    spans = [(int(e["start"]), int(e["end"]), entity_label(e)) for e in output
             if e.get("start") is not None and entity_label(e) not in ("", "O")]
    return spans_to_segments(inputs.text, spans)


def answer_segments(context: str, answer: str, label: str = "answer") -> list[tuple[str, str | None]]:
    """The context with the answer highlighted where it occurs; the bare answer if it does not."""
    needle = answer.strip().strip(".\"'«»").strip()
    start = context.lower().find(needle.lower()) if needle else -1
    if start < 0:
        return [(answer.strip() or "—", label)]
    return spans_to_segments(context, [(start, start + len(needle), label)])


def mean_embedding(features: Any) -> np.ndarray:
    """A feature-extraction output ([1][tokens][hidden]) averaged over tokens."""
    array = np.asarray(features, dtype=np.float32)
    return array.reshape(-1, array.shape[-1]).mean(axis=0)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))


def render_similarity(output: list, inputs: Inputs) -> dict[str, float]:
    """Cosine similarity of each other sentence to the first (negative shown as 0 in a gr.Label)."""
    vectors = [mean_embedding(features) for features in output]
    sentences = split_lines(inputs.text2)
    return {sentence: max(0.0, cosine(vectors[0], vector)) for sentence, vector in zip(sentences, vectors[1:], strict=True)}


def split_lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def render_boxes(output: list[dict], inputs: Inputs):
    boxes = [((int(d["box"]["xmin"]), int(d["box"]["ymin"]), int(d["box"]["xmax"]), int(d["box"]["ymax"])),
              f"{d['label']} {float(d['score']):.0%}") for d in output]
    return inputs.image, boxes


def render_masks(output: list[dict], inputs: Inputs):
    masks = [(np.asarray(item["mask"], dtype=np.float32) / 255.0, str(item["label"])) for item in output]
    return inputs.image, masks


def render_depth(output: dict, inputs: Inputs) -> Image.Image:
    return output["depth"]


# ---------------------------------------------------------------- the table

def _text_call(**kwargs: Any) -> Callable[[Inputs, PipeInfo], Call]:
    return lambda inputs, info: Call((require_text(inputs.text),), dict(kwargs))


def _image_call(**kwargs: Any) -> Callable[[Inputs, PipeInfo], Call]:
    return lambda inputs, info: Call((require_image(inputs),), dict(kwargs))


def _generation_call(inputs: Inputs, info: PipeInfo) -> Call:
    return Call((require_text(inputs.text),), generation_kwargs())


def _caption_call(inputs: Inputs, info: PipeInfo) -> Call:
    """Chat vision-language models get a message with the image; captioners (BLIP) the bare prompt."""
    image, prompt = require_image(inputs), require_text(inputs.text)
    if not info.chat:
        return Call((), {"images": image, "text": prompt, **generation_kwargs()})
    message = {"role": "user", "content": [{"type": "image", "image": image}, {"type": "text", "text": prompt}]}
    return Call((), {"text": [message], **generation_kwargs(), "return_full_text": False})


def _similarity_call(inputs: Inputs, info: PipeInfo) -> Call:
    others = split_lines(inputs.text2)
    if not others:
        raise InputError("playground.error.no_sentences")
    return Call(([require_text(inputs.text), *others],))


TEXT = {"text": "playground.in.text"}
IMAGE = {"image": "playground.in.image"}
AUDIO = {"audio": "playground.in.audio"}
INSTRUCT_MODEL = "Qwen/Qwen2.5-0.5B-Instruct"

TASKS: dict[str, Task] = {task.name: task for task in (
    Task("text-classification", "text-classification", TEXT, "label",
         "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
         {"text": "I loved this course, the examples are wonderful!"},
         _text_call(top_k=None), lambda out, inputs: scores_by_label(out)),
    Task("token-classification", "token-classification", TEXT, "highlight", "dslim/bert-base-NER",
         {"text": "My name is Clara and I work at Hugging Face in Paris."},
         _text_call(aggregation_strategy="simple"), render_entities),
    Task("question-answering", "text-generation",
         {"text": "playground.in.question", "text2": "playground.in.context"}, "highlight", INSTRUCT_MODEL,
         {"text": "¿Dónde vive Clara?", "text2": "Clara es ingeniera y vive en Bogotá desde 2019."},
         prompted(lambda i: PROMPTS["question-answering"].format(
             question=require_text(i.text), context=require_text(i.text2, "playground.error.no_context"))),
         lambda out, inputs: answer_segments(inputs.text2, generated_text(out), t("playground.answer"))),
    Task("fill-mask", "fill-mask", {"text": "playground.in.masked"}, "label", "distilbert/distilroberta-base",
         {"text": "Transfer learning saves a lot of <mask>."},
         lambda inputs, info: Call((with_mask_token(inputs.text, info.mask_token),), {"top_k": 5}),
         lambda out, inputs: scores_by_label(out, "token_str")),
    Task("summarization", "text-generation", TEXT, "text", INSTRUCT_MODEL,
         {"text": ("El aprendizaje por transferencia reutiliza un modelo entrenado con muchos datos para una "
                   "tarea nueva con pocos datos. En lugar de entrenar desde cero, se ajustan solo algunas "
                   "capas, lo que ahorra tiempo, energía y datos etiquetados.")},
         prompted(lambda i: PROMPTS["summarization"].format(text=require_text(i.text))),
         lambda out, inputs: generated_text(out)),
    Task("translation", "text-generation", {"text": "playground.in.text", "text2": "playground.in.target"},
         "text", INSTRUCT_MODEL, {"text": "El modelo aprende rápido con pocos ejemplos.", "text2": "English"},
         prompted(lambda i: PROMPTS["translation"].format(
             text=require_text(i.text), target=require_text(i.text2, "playground.error.no_target"))),
         lambda out, inputs: generated_text(out)),
    Task("text-generation", "text-generation", {"text": "playground.in.prompt"}, "text",
         "HuggingFaceTB/SmolLM2-135M", {"text": "Transfer learning is useful because"},
         _generation_call, lambda out, inputs: generated_text(out)),
    Task("zero-shot-classification", "zero-shot-classification",
         {"text": "playground.in.text", "text2": "playground.in.labels"}, "label", "facebook/bart-large-mnli",
         {"text": "The new phone has an amazing camera and a battery that lasts two days.",
          "text2": "technology, sports, politics, cooking"},
         lambda inputs, info: Call((require_text(inputs.text),), {"candidate_labels": require_labels(inputs.text2)}),
         lambda out, inputs: dict(zip(out["labels"], map(float, out["scores"]), strict=True))),
    Task("feature-extraction", "feature-extraction",
         {"text": "playground.in.sentence", "text2": "playground.in.sentences"}, "label",
         "sentence-transformers/all-MiniLM-L6-v2",
         {"text": "A cat sleeps on the sofa.",
          "text2": "A kitten is napping on the couch.\nThe stock market fell today.\nA dog runs in the park."},
         _similarity_call, render_similarity, ("feature-extraction", "sentence-similarity")),
    Task("image-classification", "image-classification", IMAGE, "label", "google/vit-base-patch16-224",
         {"image": EXAMPLE_IMAGE}, _image_call(top_k=5), lambda out, inputs: scores_by_label(out)),
    Task("object-detection", "object-detection", IMAGE, "annotated", "hustvl/yolos-tiny",
         {"image": EXAMPLE_IMAGE}, _image_call(threshold=0.5), render_boxes),
    Task("image-segmentation", "image-segmentation", IMAGE, "annotated",
         "nvidia/segformer-b0-finetuned-ade-512-512", {"image": EXAMPLE_IMAGE}, _image_call(), render_masks),
    Task("zero-shot-image-classification", "zero-shot-image-classification",
         {"image": "playground.in.image", "text2": "playground.in.labels"}, "label",
         "openai/clip-vit-base-patch32", {"image": EXAMPLE_IMAGE, "text2": "a house, a car, a cat, a beach"},
         lambda inputs, info: Call((require_image(inputs),), {"candidate_labels": require_labels(inputs.text2)}),
         lambda out, inputs: scores_by_label(out)),
    Task("image-to-text", "image-text-to-text", {"image": "playground.in.image", "text": "playground.in.prompt"},
         "text", "HuggingFaceTB/SmolVLM-256M-Instruct",
         {"image": EXAMPLE_IMAGE, "text": "Describe this image in one sentence."},
         _caption_call, lambda out, inputs: generated_text(out), ("image-text-to-text", "image-to-text")),
    Task("depth-estimation", "depth-estimation", IMAGE, "image", "depth-anything/Depth-Anything-V2-Small-hf",
         {"image": EXAMPLE_IMAGE}, _image_call(), render_depth),
    Task("automatic-speech-recognition", "automatic-speech-recognition", AUDIO, "text", "openai/whisper-tiny",
         {"audio": EXAMPLE_AUDIO}, audio_call, lambda out, inputs: str(out["text"]).strip()),
    Task("audio-classification", "audio-classification", AUDIO, "label",
         "MIT/ast-finetuned-audioset-10-10-0.4593", {"audio": EXAMPLE_AUDIO},
         lambda inputs, info: audio_call(inputs, info, top_k=5), lambda out, inputs: scores_by_label(out)),
)}


def get_task(name: str) -> Task:
    if name not in TASKS:
        raise InputError("playground.error.unknown_task", task=name)
    return TASKS[name]


# ---------------------------------------------------------------- examples and snippets

@lru_cache(maxsize=1)
def example_files() -> dict[str, str]:
    """An example picture (drawn) and sound (a chord) written once to a temp folder: no bundled media."""
    folder = Path(tempfile.mkdtemp(prefix="studio-playground-examples-"))
    image = Image.new("RGB", (320, 240), (135, 195, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 170, 320, 240), fill=(70, 150, 60))
    draw.ellipse((240, 20, 300, 80), fill=(250, 210, 50))
    draw.rectangle((60, 110, 170, 190), fill=(190, 90, 60))
    draw.polygon([(50, 110), (115, 60), (180, 110)], fill=(120, 40, 30))
    draw.rectangle((100, 145, 130, 190), fill=(90, 60, 40))
    image.save(folder / "example.png")
    import soundfile

    rate = 16000
    seconds = np.arange(int(1.5 * rate)) / rate
    chord = sum(np.sin(2 * np.pi * f * seconds) for f in (261.6, 329.6, 392.0)) * 0.2
    soundfile.write(folder / "example.wav", chord.astype(np.float32), rate)
    return {EXAMPLE_IMAGE: str(folder / "example.png"), EXAMPLE_AUDIO: str(folder / "example.wav")}


def example_value(task: Task, slot: str) -> str | None:
    value = task.example.get(slot)
    return example_files().get(value, value) if value else None


def _code(value: Any) -> str:
    """Python source for a call argument; images and audio become the variables the snippet defines."""
    if isinstance(value, Image.Image):
        return "image"
    if isinstance(value, dict) and "raw" in value:
        return "audio"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key!r}: {_code(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_code(item) for item in value) + "]"
    return repr(value)


def _uses(value: Any, kind: str) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_uses(item, kind) for item in value)
    if isinstance(value, dict):
        return ("raw" in value) if kind == "audio" else any(_uses(item, kind) for item in value.values())
    return kind == "image" and isinstance(value, Image.Image)


def snippet(task: Task, model_ref: str, call: Call) -> str:
    """The same call in plain Python with transformers.pipeline, as the course writes it."""
    values = [*call.args, *call.kwargs.values()]
    image, audio = _uses(values, "image"), _uses(values, "audio")
    lines = ["from transformers import pipeline"]
    lines += ["from PIL import Image"] if image else []
    lines += ["import soundfile as sf", "from scipy.signal import resample_poly"] if audio else []
    lines += ["", f"pipe = pipeline({task.pipeline_task!r}, model={model_ref!r})"]
    lines += ['image = Image.open("mi_imagen.jpg").convert("RGB")'] if image else []
    if audio:
        lines += [
            'samples, rate = sf.read("mi_audio.wav", dtype="float32", always_2d=True)',
            "target = pipe.feature_extractor.sampling_rate",
            'audio = {"raw": resample_poly(samples.mean(axis=1), target, rate), "sampling_rate": target}',
        ]
    arguments = [_code(arg) for arg in call.args] + [f"{key}={_code(value)}" for key, value in call.kwargs.items()]
    lines += [f"result = pipe({', '.join(arguments)})", "print(result)"]
    return "\n".join(lines)


def jsonable(value: Any, max_items: int = 12) -> Any:
    """The pipeline's raw output, shortened and made JSON-safe for display (images/tensors summarised)."""
    if isinstance(value, Image.Image):
        return f"<PIL.Image {value.width}x{value.height} {value.mode}>"
    if hasattr(value, "shape") and hasattr(value, "dtype"):   # numpy / torch: scalars as numbers
        if tuple(value.shape) == ():
            return jsonable(value.item(), max_items)
        return f"<{type(value).__name__} shape={tuple(value.shape)}>"
    if isinstance(value, dict):
        return {str(key): jsonable(item, max_items) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        items = [jsonable(item, max_items) for item in value[:max_items]]
        return items + [f"… {len(value) - max_items} more"] if len(value) > max_items else items
    if isinstance(value, float):
        return round(value, 4)
    return value if isinstance(value, (str, int, bool, type(None))) else repr(value)


# ---------------------------------------------------------------- running a task

def pipe_info(pipe: Any) -> PipeInfo:
    tokenizer = getattr(pipe, "tokenizer", None)
    extractor = getattr(pipe, "feature_extractor", None)
    templated = (getattr(pipe, "processor", None), tokenizer)
    return PipeInfo(
        mask_token=getattr(tokenizer, "mask_token", None),
        sampling_rate=int(getattr(extractor, "sampling_rate", None) or 16000),
        chat=any(getattr(owner, "chat_template", None) for owner in templated),
    )


@dataclass
class Result:
    task: Task
    model_ref: str
    value: Any                 # for the task's output component
    raw: Any                   # jsonable(pipeline output)
    code: str
    load_seconds: float
    inference_seconds: float
    cached: bool


def load_for_task(task: Task, model: str | None) -> tuple[Any, str, float, bool]:
    """(pipeline, ref, load_seconds, was_cached): the model checked by hub_guard, then loaded via MODEL_CACHE."""
    ref = check_model((model or "").strip() or task.default_model, task.accepted_tags)
    try:
        pipe, seconds, cached = load_pipeline(task.pipeline_task, ref)
    except Exception as error:  # wrong architecture for the task, missing files, no safetensors...
        raise PlaygroundError("playground.error.load", model=ref, reason=error_summary(error)) from None
    return pipe, ref, seconds, cached


def run(task_name: str, model: str | None, inputs: Inputs,
        on_loading: Callable[[str], None] = lambda ref: None) -> Result:
    """Check the inputs, load (or reuse) the pipeline, run it and render its output."""
    task = get_task(task_name)
    task.prepare(inputs, PipeInfo())        # fail on bad inputs before any model lookup or load
    on_loading((model or "").strip() or task.default_model)
    pipe, ref, load_seconds, cached = load_for_task(task, model)
    call = task.prepare(inputs, pipe_info(pipe))
    code = snippet(task, display_ref(ref), call)   # before the call: pipelines consume the audio dict
    start = time.perf_counter()
    try:
        output = pipe(*call.args, **call.kwargs)
        value = task.render(output, inputs)
    except PlaygroundError:
        raise
    except Exception as error:
        raise PlaygroundError("playground.error.run", reason=error_summary(error)) from None
    seconds = time.perf_counter() - start
    return Result(task, ref, value, jsonable(output), code, load_seconds, seconds, cached)


def display_ref(ref: str) -> str:
    """Local checkpoints as `models/<name>` in snippets (relative to the working folder when possible)."""
    path = Path(ref)
    if not path.is_dir():
        return ref
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
