"""From the user's inputs to the `pipe(*args, **kwargs)` call each task makes (the tasks' `prepare`).

transformers 5 removed the "summarization", "translation" and "question-answering" pipelines (its
migration guide says: use text-generation with an instruction model); those tasks are a prompt here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from studio import config
from studio.playground.inputs import (
    Inputs,
    PlaygroundInputError,
    check_audio,
    load_audio,
    nonblank_lines,
    require_image,
    require_labels,
    require_text,
    with_mask_token,
)


@dataclass(frozen=True)
class PipeInfo:
    """What pre-processing needs to know about the loaded pipeline (the defaults: none loaded yet)."""

    mask_token: str | None = None
    sampling_rate: int = 16000
    chat: bool = False
    loaded: bool = False  # False: no pipeline yet (make_request), inputs are only checked


@dataclass
class Call:
    """`pipe(*args, **kwargs)`."""

    args: tuple
    kwargs: dict = field(default_factory=dict)


Prepare = Callable[[Inputs, PipeInfo], Call]


def no_samples(path: Any) -> np.ndarray:
    check_audio(path)
    return np.zeros(0, dtype=np.float32)


def pipe_info(pipe: Any) -> PipeInfo:
    tokenizer = getattr(pipe, "tokenizer", None)
    extractor = getattr(pipe, "feature_extractor", None)
    templated = (getattr(pipe, "processor", None), tokenizer)
    return PipeInfo(
        loaded=True,
        mask_token=getattr(tokenizer, "mask_token", None),
        sampling_rate=int(getattr(extractor, "sampling_rate", None) or 16000),
        chat=any(getattr(owner, "chat_template", None) for owner in templated),
    )


def generation_kwargs() -> dict[str, Any]:
    return {"max_new_tokens": config.max_new_tokens(), "do_sample": False}


def text_call(**kwargs: Any) -> Prepare:
    return lambda inputs, info: Call((require_text(inputs.text),), dict(kwargs))


def image_call(**kwargs: Any) -> Prepare:
    return lambda inputs, info: Call((require_image(inputs),), dict(kwargs))


def audio_call(**kwargs: Any) -> Prepare:
    def prepare(inputs: Inputs, info: PipeInfo) -> Call:
        # Before the model is known and checked (no pipe yet) only the header is read: no decoding.
        raw = load_audio(inputs.audio, info.sampling_rate) if info.loaded else no_samples(inputs.audio)
        return Call(({"raw": raw, "sampling_rate": info.sampling_rate},), dict(kwargs))

    return prepare


def fill_mask_call(inputs: Inputs, info: PipeInfo) -> Call:
    return Call((with_mask_token(inputs.text, info.mask_token),), {"top_k": 5})


def zero_shot_text_call(inputs: Inputs, info: PipeInfo) -> Call:
    return Call((require_text(inputs.text),), {"candidate_labels": require_labels(inputs.text2)})


def zero_shot_image_call(inputs: Inputs, info: PipeInfo) -> Call:
    return Call((require_image(inputs),), {"candidate_labels": require_labels(inputs.text2)})


def generation_call(inputs: Inputs, info: PipeInfo) -> Call:
    return Call((require_text(inputs.text),), generation_kwargs())


def similarity_call(inputs: Inputs, info: PipeInfo) -> Call:
    """The reference sentence first, then the sentences to compare with it."""
    others = nonblank_lines(inputs.text2)
    if not others:
        raise PlaygroundInputError("playground.error.no_sentences")
    return Call(([require_text(inputs.text), *others],))


def caption_call(inputs: Inputs, info: PipeInfo) -> Call:
    """Chat vision-language models get a message with the image; captioners (BLIP) the bare prompt."""
    image, prompt = require_image(inputs), require_text(inputs.text)
    if not info.chat:
        return Call((), {"images": image, "text": prompt, **generation_kwargs()})
    message = {"role": "user", "content": [{"type": "image", "image": image}, {"type": "text", "text": prompt}]}
    return Call((), {"text": [message], **generation_kwargs(), "return_full_text": False})


# Prompts for the tasks transformers 5 runs through text-generation (answer language follows the input).
PROMPTS = {
    "summarization": "Summarize the following text in one or two sentences.\n\n{text}",
    "translation": "Translate the following text into {target}. Reply with the translation only.\n\n{text}",
    "question-answering": (
        "Answer the question with a short span copied from the context.\n\n"
        "Context: {context}\n\nQuestion: {question}"
    ),
}


def prompt_call(prompt: str, info: PipeInfo) -> Call:
    """Instruction models get a chat message (their template), plain language models the bare prompt."""
    message = [{"role": "user", "content": prompt}] if info.chat else prompt
    return Call((message,), {**generation_kwargs(), "return_full_text": False})


def summary_call(inputs: Inputs, info: PipeInfo) -> Call:
    return prompt_call(PROMPTS["summarization"].format(text=require_text(inputs.text)), info)


def translation_call(inputs: Inputs, info: PipeInfo) -> Call:
    target = require_text(inputs.text2, "playground.error.no_target")
    return prompt_call(PROMPTS["translation"].format(text=require_text(inputs.text), target=target), info)


def question_call(inputs: Inputs, info: PipeInfo) -> Call:
    question = require_text(inputs.text)
    context = require_text(inputs.text2, "playground.error.no_context")
    return prompt_call(PROMPTS["question-answering"].format(question=question, context=context), info)
