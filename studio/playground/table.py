"""The playground's tasks as data: one `Task` record per task. Adding a task is adding a record.

A record says which inputs the task shows (with their labels and examples), how the inputs become a
`transformers.pipeline` call (`prepare`, calls.py), how the output becomes the value of one output
component (`render`, render.py), which model answers by default and which Hub pipeline tags fit it.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.playground import calls, render
from studio.playground.inputs import PlaygroundInputError
from studio.playground.media import EXAMPLE_AUDIO, EXAMPLE_IMAGE

INPUT_SLOTS = ("text", "text2", "image", "audio")
OUTPUT_KINDS = ("label", "highlight", "text", "annotated", "image")


@dataclass(frozen=True, kw_only=True)
class Task:
    name: str
    pipeline_task: str                        # what transformers.pipeline() gets
    inputs: dict[str, str]                    # slot -> strings key of its label, in display order
    output: str                               # one of OUTPUT_KINDS
    default_model: str
    example: dict[str, str]                   # slot -> example value
    prepare: calls.Prepare
    render: render.Render
    description_key: str                      # strings key of the one-line description
    hub_tags: tuple[str, ...] = ()            # Hub pipeline_tag values a model must have (default: pipeline_task)

    @property
    def accepted_tags(self) -> tuple[str, ...]:
        return self.hub_tags or (self.pipeline_task,)


TEXT = {"text": "playground.in.text"}
IMAGE = {"image": "playground.in.image"}
AUDIO = {"audio": "playground.in.audio"}
INSTRUCT_MODEL = "Qwen/Qwen2.5-0.5B-Instruct"

TASKS: dict[str, Task] = {task.name: task for task in (
    Task(name="text-classification", pipeline_task="text-classification", inputs=TEXT, output="label",
         default_model="distilbert/distilbert-base-uncased-finetuned-sst-2-english",
         example={"text": "I loved this course, the examples are wonderful!"},
         prepare=calls.text_call(top_k=None), render=render.render_scores,
         description_key="playground.task.text-classification"),
    Task(name="token-classification", pipeline_task="token-classification", inputs=TEXT, output="highlight",
         default_model="dslim/bert-base-NER",
         example={"text": "My name is Clara and I work at Hugging Face in Paris."},
         prepare=calls.text_call(aggregation_strategy="simple"), render=render.render_entities,
         description_key="playground.task.token-classification"),
    Task(name="question-answering", pipeline_task="text-generation",
         inputs={"text": "playground.in.question", "text2": "playground.in.context"}, output="highlight",
         default_model=INSTRUCT_MODEL,
         example={"text": "¿Dónde vive Clara?", "text2": "Clara es ingeniera y vive en Bogotá desde 2019."},
         prepare=calls.question_call, render=render.render_answer,
         description_key="playground.task.question-answering"),
    Task(name="fill-mask", pipeline_task="fill-mask", inputs={"text": "playground.in.masked"}, output="label",
         default_model="distilbert/distilroberta-base",
         example={"text": "Transfer learning saves a lot of <mask>."},
         prepare=calls.fill_mask_call, render=render.render_filled_words,
         description_key="playground.task.fill-mask"),
    Task(name="summarization", pipeline_task="text-generation", inputs=TEXT, output="text",
         default_model=INSTRUCT_MODEL,
         example={"text": ("El aprendizaje por transferencia reutiliza un modelo entrenado con muchos datos para "
                           "una tarea nueva con pocos datos. En lugar de entrenar desde cero, se ajustan solo "
                           "algunas capas, lo que ahorra tiempo, energía y datos etiquetados.")},
         prepare=calls.summary_call, render=render.render_generated,
         description_key="playground.task.summarization"),
    Task(name="translation", pipeline_task="text-generation",
         inputs={"text": "playground.in.text", "text2": "playground.in.target"}, output="text",
         default_model=INSTRUCT_MODEL,
         example={"text": "El modelo aprende rápido con pocos ejemplos.", "text2": "English"},
         prepare=calls.translation_call, render=render.render_generated,
         description_key="playground.task.translation"),
    Task(name="text-generation", pipeline_task="text-generation", inputs={"text": "playground.in.prompt"},
         output="text", default_model="HuggingFaceTB/SmolLM2-135M",
         example={"text": "Transfer learning is useful because"},
         prepare=calls.generation_call, render=render.render_generated,
         description_key="playground.task.text-generation"),
    Task(name="zero-shot-classification", pipeline_task="zero-shot-classification",
         inputs={"text": "playground.in.text", "text2": "playground.in.labels"}, output="label",
         default_model="facebook/bart-large-mnli",
         example={"text": "The new phone has an amazing camera and a battery that lasts two days.",
                  "text2": "technology, sports, politics, cooking"},
         prepare=calls.zero_shot_text_call, render=render.render_zero_shot_text,
         description_key="playground.task.zero-shot-classification"),
    Task(name="feature-extraction", pipeline_task="feature-extraction",
         inputs={"text": "playground.in.sentence", "text2": "playground.in.sentences"}, output="label",
         default_model="sentence-transformers/all-MiniLM-L6-v2",
         example={"text": "A cat sleeps on the sofa.",
                  "text2": "A kitten is napping on the couch.\nThe stock market fell today.\nA dog runs in the park."},
         prepare=calls.similarity_call, render=render.render_similarity,
         description_key="playground.task.feature-extraction",
         hub_tags=("feature-extraction", "sentence-similarity")),
    Task(name="image-classification", pipeline_task="image-classification", inputs=IMAGE, output="label",
         default_model="google/vit-base-patch16-224", example={"image": EXAMPLE_IMAGE},
         prepare=calls.image_call(top_k=5), render=render.render_scores,
         description_key="playground.task.image-classification"),
    Task(name="object-detection", pipeline_task="object-detection", inputs=IMAGE, output="annotated",
         default_model="hustvl/yolos-tiny", example={"image": EXAMPLE_IMAGE},
         prepare=calls.image_call(threshold=0.5), render=render.render_boxes,
         description_key="playground.task.object-detection"),
    Task(name="image-segmentation", pipeline_task="image-segmentation", inputs=IMAGE, output="annotated",
         default_model="nvidia/segformer-b0-finetuned-ade-512-512", example={"image": EXAMPLE_IMAGE},
         prepare=calls.image_call(), render=render.render_masks,
         description_key="playground.task.image-segmentation"),
    Task(name="zero-shot-image-classification", pipeline_task="zero-shot-image-classification",
         inputs={"image": "playground.in.image", "text2": "playground.in.labels"}, output="label",
         default_model="openai/clip-vit-base-patch32",
         example={"image": EXAMPLE_IMAGE, "text2": "a house, a car, a cat, a beach"},
         prepare=calls.zero_shot_image_call, render=render.render_scores,
         description_key="playground.task.zero-shot-image-classification"),
    Task(name="image-to-text", pipeline_task="image-text-to-text",
         inputs={"image": "playground.in.image", "text": "playground.in.prompt"}, output="text",
         default_model="HuggingFaceTB/SmolVLM-256M-Instruct",
         example={"image": EXAMPLE_IMAGE, "text": "Describe this image in one sentence."},
         prepare=calls.caption_call, render=render.render_generated,
         description_key="playground.task.image-to-text", hub_tags=("image-text-to-text", "image-to-text")),
    Task(name="depth-estimation", pipeline_task="depth-estimation", inputs=IMAGE, output="image",
         default_model="depth-anything/Depth-Anything-V2-Small-hf", example={"image": EXAMPLE_IMAGE},
         prepare=calls.image_call(), render=render.render_depth,
         description_key="playground.task.depth-estimation"),
    Task(name="automatic-speech-recognition", pipeline_task="automatic-speech-recognition", inputs=AUDIO,
         output="text", default_model="openai/whisper-tiny", example={"audio": EXAMPLE_AUDIO},
         prepare=calls.audio_call(), render=render.render_transcript,
         description_key="playground.task.automatic-speech-recognition"),
    Task(name="audio-classification", pipeline_task="audio-classification", inputs=AUDIO, output="label",
         default_model="MIT/ast-finetuned-audioset-10-10-0.4593", example={"audio": EXAMPLE_AUDIO},
         prepare=calls.audio_call(top_k=5), render=render.render_scores,
         description_key="playground.task.audio-classification"),
)}


def get_task(name: str) -> Task:
    if name not in TASKS:
        raise PlaygroundInputError("playground.error.unknown_task", task=name)
    return TASKS[name]
