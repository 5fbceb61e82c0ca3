"""From a pipeline's output to the value of the task's output component (the tasks' `render`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image

from studio.i18n import t
from studio.playground.inputs import Inputs, nonblank_lines

Segments = list[tuple[str, str | None]]
Render = Callable[[Any, Inputs], Any]


def scores_by_label(items: list[dict], label_key: str = "label") -> dict[str, float]:
    """[{'label': 'POSITIVE', 'score': 0.9}, ...] -> {'POSITIVE': 0.9, ...} for gr.Label (best score kept)."""
    scores: dict[str, float] = {}
    for item in items:
        label = str(item[label_key]).strip()
        scores[label] = max(float(item["score"]), scores.get(label, 0.0))
    return scores


def render_scores(output: list[dict], inputs: Inputs) -> dict[str, float]:
    return scores_by_label(output)


def render_filled_words(output: list[dict], inputs: Inputs) -> dict[str, float]:
    return scores_by_label(output, "token_str")


def render_zero_shot_text(output: dict, inputs: Inputs) -> dict[str, float]:
    return dict(zip(output["labels"], map(float, output["scores"]), strict=True))


def generated_text(output: Any) -> str:
    """The text a text-generation pipeline produced, whether it answered a prompt or a chat."""
    first = output[0] if isinstance(output, list) else output
    text = first["generated_text"] if isinstance(first, dict) else first
    if isinstance(text, list):      # a chat: the last message is the model's
        text = text[-1]
    if isinstance(text, dict):
        text = text.get("content", "")
    return str(text).strip()


def render_generated(output: Any, inputs: Inputs) -> str:
    return generated_text(output)


def render_transcript(output: dict, inputs: Inputs) -> str:
    return str(output["text"]).strip()


def spans_to_segments(text: str, spans: list[tuple[int, int, str]]) -> Segments:
    """Cut `text` into (piece, label or None) for gr.HighlightedText; overlapping spans are dropped."""
    segments: Segments = []
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


def render_entities(output: list[dict], inputs: Inputs) -> Segments:
    spans = [(int(e["start"]), int(e["end"]), entity_label(e)) for e in output
             if e.get("start") is not None and entity_label(e) not in ("", "O")]
    return spans_to_segments(inputs.text, spans)


def answer_segments(context: str, answer: str, label: str = "answer") -> Segments:
    """The context with the answer highlighted where it occurs; the bare answer if it does not."""
    needle = answer.strip().strip(".\"'«»").strip()
    start = context.lower().find(needle.lower()) if needle else -1
    if start < 0:
        return [(answer.strip() or "—", label)]
    return spans_to_segments(context, [(start, start + len(needle), label)])


def render_answer(output: Any, inputs: Inputs) -> Segments:
    return answer_segments(inputs.text2, generated_text(output), t("playground.answer"))


def mean_embedding(features: Any) -> np.ndarray:
    """A feature-extraction output ([1][tokens][hidden]) averaged over tokens."""
    array = np.asarray(features, dtype=np.float32)
    return array.reshape(-1, array.shape[-1]).mean(axis=0)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))


def render_similarity(output: list, inputs: Inputs) -> dict[str, float]:
    """Cosine similarity of each other sentence to the first (negative shown as 0 in a gr.Label)."""
    vectors = [mean_embedding(features) for features in output]
    sentences = nonblank_lines(inputs.text2)
    return {sentence: max(0.0, cosine(vectors[0], vector))
            for sentence, vector in zip(sentences, vectors[1:], strict=True)}


def render_boxes(output: list[dict], inputs: Inputs):
    boxes = [((int(d["box"]["xmin"]), int(d["box"]["ymin"]), int(d["box"]["xmax"]), int(d["box"]["ymax"])),
              f"{d['label']} {float(d['score']):.0%}") for d in output]
    return inputs.image, boxes


def render_masks(output: list[dict], inputs: Inputs):
    masks = [(np.asarray(item["mask"], dtype=np.float32) / 255.0, str(item["label"])) for item in output]
    return inputs.image, masks


def render_depth(output: dict, inputs: Inputs) -> Image.Image:
    return output["depth"]


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
