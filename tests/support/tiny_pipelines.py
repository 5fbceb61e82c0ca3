"""Tiny random models, one per playground task, that `transformers.pipeline(task, model=folder)` runs offline.

`build_tiny_model(task, root)` writes `root/<task>/` (safetensors + tokenizer / processor) once per root;
`example_input(task)` is a valid first argument for that pipeline, `example_kwargs(task)` the extra
keyword arguments it needs (e.g. candidate_labels). The weights are random: outputs have the right
shape, not the right answer.

transformers 5.x removed the pipelines "question-answering", "summarization" and "translation*"
(`pipeline()` raises KeyError, see REMOVED_TASKS) and renamed "image-to-text" to "image-text-to-text";
so those are not in TINY_TASKS (see REMOVED_TASKS for what replaces them). `build_tiny_model` still
builds tiny models for the first three (MODEL_ONLY_BUILDERS) to be driven through the Auto classes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from tests.support.tiny import TINY_CORPUS, make_tiny_tokenizer, make_tiny_vit, tiny_bert_config

ENTAILMENT_LABELS = ("contradiction", "neutral", "entailment")
NER_LABELS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")
DETECTION_LABELS = ("leaf", "bean")
SEGMENT_LABELS = ("background", "leaf")
AUDIO_LABELS = ("sí", "no", "ruido")
IMAGE_SIZE = 32
SAMPLING_RATE = 16000


def _bert_with_tokenizer(model_class_name: str, labels: tuple[str, ...] = ("negative", "positive")):
    def build(folder: Path) -> None:
        import transformers

        tokenizer = make_tiny_tokenizer(folder)
        model_class = getattr(transformers, model_class_name)
        model_class(tiny_bert_config(len(tokenizer), labels)).save_pretrained(folder)

    return build


def _make_bpe_tokenizer(folder: Path):
    """A byte-level BPE tokenizer (GPT-2 style, with an end-of-text token) trained on the tiny corpus."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=300, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(TINY_CORPUS * 3, trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<|endoftext|>", eos_token="<|endoftext|>",
        unk_token="<|endoftext|>", model_max_length=128,
    )
    fast.save_pretrained(folder)
    return fast


def _build_gpt2(folder: Path) -> None:
    from transformers import GPT2Config, GPT2LMHeadModel

    tokenizer = _make_bpe_tokenizer(folder)
    config = GPT2Config(
        vocab_size=len(tokenizer), n_positions=128, n_embd=32, n_layer=2, n_head=2,
        bos_token_id=tokenizer.eos_token_id, eos_token_id=tokenizer.eos_token_id,
    )
    GPT2LMHeadModel(config).save_pretrained(folder)


def _build_vit(folder: Path) -> None:
    make_tiny_vit(folder, image_size=IMAGE_SIZE)


def _label_maps(labels: tuple[str, ...]) -> dict:
    return {"id2label": dict(enumerate(labels)), "label2id": {name: i for i, name in enumerate(labels)}}


def _build_yolos(folder: Path) -> None:
    # YOLOS (a plain ViT) rather than DETR: DETR's default backbone needs timm, which breaks torch here.
    from transformers import YolosConfig, YolosForObjectDetection, YolosImageProcessor

    config = YolosConfig(
        image_size=[IMAGE_SIZE, IMAGE_SIZE], patch_size=8, hidden_size=32, num_hidden_layers=1,
        num_attention_heads=2, intermediate_size=64, num_detection_tokens=5, **_label_maps(DETECTION_LABELS),
    )
    YolosForObjectDetection(config).save_pretrained(folder)
    YolosImageProcessor(size={"shortest_edge": IMAGE_SIZE, "longest_edge": IMAGE_SIZE}).save_pretrained(folder)


# A 2-stage Mix Transformer encoder, shared by Segformer (segmentation) and GLPN (depth).
MIT_ENCODER = dict(
    num_encoder_blocks=2, depths=[1, 1], sr_ratios=[2, 1], hidden_sizes=[8, 16], patch_sizes=[7, 3],
    strides=[4, 2], num_attention_heads=[1, 2], mlp_ratios=[2, 2], decoder_hidden_size=16,
)


def _build_segformer(folder: Path) -> None:
    from transformers import SegformerConfig, SegformerForSemanticSegmentation, SegformerImageProcessor

    config = SegformerConfig(**MIT_ENCODER, **_label_maps(SEGMENT_LABELS))
    SegformerForSemanticSegmentation(config).save_pretrained(folder)
    SegformerImageProcessor(size={"height": IMAGE_SIZE, "width": IMAGE_SIZE}).save_pretrained(folder)


def _build_glpn(folder: Path) -> None:
    from transformers import GLPNConfig, GLPNForDepthEstimation, GLPNImageProcessor

    GLPNForDepthEstimation(GLPNConfig(**MIT_ENCODER)).save_pretrained(folder)
    GLPNImageProcessor(size_divisor=32).save_pretrained(folder)


TINY_VISION_TOWER = dict(
    image_size=IMAGE_SIZE, patch_size=8, hidden_size=32, intermediate_size=64, num_hidden_layers=1,
    num_attention_heads=2,
)


def _tiny_text_tower(tokenizer, **overrides) -> dict:
    values = dict(
        vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
        num_attention_heads=2, max_position_embeddings=64, pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.cls_token_id, eos_token_id=tokenizer.sep_token_id,
    )
    values.update(overrides)
    return values


def _build_clip(folder: Path) -> None:
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel, CLIPProcessor

    tokenizer = make_tiny_tokenizer(folder)
    image_processor = CLIPImageProcessor(
        size={"shortest_edge": IMAGE_SIZE}, crop_size={"height": IMAGE_SIZE, "width": IMAGE_SIZE}
    )
    CLIPProcessor(image_processor=image_processor, tokenizer=tokenizer).save_pretrained(folder)
    config = CLIPConfig(
        text_config=_tiny_text_tower(tokenizer), vision_config=TINY_VISION_TOWER, projection_dim=16
    )
    CLIPModel(config).save_pretrained(folder)


def _build_blip(folder: Path) -> None:
    # BLIP, not VisionEncoderDecoder: image-text-to-text only accepts AutoModelForImageTextToText models.
    from transformers import BlipConfig, BlipForConditionalGeneration, BlipImageProcessor, BlipProcessor

    tokenizer = make_tiny_tokenizer(folder)
    image_processor = BlipImageProcessor(size={"height": IMAGE_SIZE, "width": IMAGE_SIZE})
    BlipProcessor(image_processor=image_processor, tokenizer=tokenizer).save_pretrained(folder)
    text_config = _tiny_text_tower(tokenizer, encoder_hidden_size=32, sep_token_id=tokenizer.sep_token_id)
    config = BlipConfig(
        text_config=text_config, vision_config=TINY_VISION_TOWER, projection_dim=16, image_text_hidden_size=32
    )
    BlipForConditionalGeneration(config).save_pretrained(folder)


def _wav2vec2_config(**overrides):
    from transformers import Wav2Vec2Config

    return Wav2Vec2Config(
        hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
        conv_dim=(16, 16, 16), conv_stride=(5, 4, 4), conv_kernel=(10, 4, 4), num_conv_pos_embeddings=16,
        num_conv_pos_embedding_groups=2, classifier_proj_size=16, **overrides,
    )


def _wav2vec2_feature_extractor():
    from transformers import Wav2Vec2FeatureExtractor

    return Wav2Vec2FeatureExtractor(
        feature_size=1, sampling_rate=SAMPLING_RATE, padding_value=0.0, do_normalize=True,
        return_attention_mask=True,
    )


def _build_wav2vec2_ctc(folder: Path) -> None:
    from transformers import Wav2Vec2CTCTokenizer, Wav2Vec2ForCTC, Wav2Vec2Processor

    vocab = {"<pad>": 0, "<unk>": 1, "|": 2}
    vocab.update({char: len(vocab) + i for i, char in enumerate("abcdefghijklmnopqrstuvwxyz'")})
    vocab_file = folder / "vocab.json"
    vocab_file.write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = Wav2Vec2CTCTokenizer(
        str(vocab_file), unk_token="<unk>", pad_token="<pad>", word_delimiter_token="|"
    )
    Wav2Vec2Processor(feature_extractor=_wav2vec2_feature_extractor(), tokenizer=tokenizer).save_pretrained(folder)
    Wav2Vec2ForCTC(_wav2vec2_config(vocab_size=len(vocab), pad_token_id=0)).save_pretrained(folder)


def _build_wav2vec2_classifier(folder: Path) -> None:
    from transformers import Wav2Vec2ForSequenceClassification

    _wav2vec2_feature_extractor().save_pretrained(folder)
    Wav2Vec2ForSequenceClassification(_wav2vec2_config(**_label_maps(AUDIO_LABELS))).save_pretrained(folder)


BUILDERS: dict[str, Callable[[Path], None]] = {
    "text-classification": _bert_with_tokenizer("BertForSequenceClassification"),
    "token-classification": _bert_with_tokenizer("BertForTokenClassification", NER_LABELS),
    "fill-mask": _bert_with_tokenizer("BertForMaskedLM"),
    "feature-extraction": _bert_with_tokenizer("BertModel"),
    "zero-shot-classification": _bert_with_tokenizer("BertForSequenceClassification", ENTAILMENT_LABELS),
    "text-generation": _build_gpt2,
    "image-classification": _build_vit,
    "object-detection": _build_yolos,
    "image-segmentation": _build_segformer,
    "zero-shot-image-classification": _build_clip,
    "image-text-to-text": _build_blip,
    "depth-estimation": _build_glpn,
    "automatic-speech-recognition": _build_wav2vec2_ctc,
    "audio-classification": _build_wav2vec2_classifier,
}

def _build_bart(folder: Path) -> None:
    from transformers import BartConfig, BartForConditionalGeneration

    tokenizer = make_tiny_tokenizer(folder)
    config = BartConfig(
        vocab_size=len(tokenizer), d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=64,
        pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.cls_token_id,
        eos_token_id=tokenizer.sep_token_id, decoder_start_token_id=tokenizer.sep_token_id,
        forced_eos_token_id=tokenizer.sep_token_id,
    )
    BartForConditionalGeneration(config).save_pretrained(folder)


# Course tasks whose pipeline transformers 5 removed: a tiny model to drive with the Auto classes directly
# (AutoModelForQuestionAnswering, AutoModelForSeq2SeqLM + generate). Not in TINY_TASKS.
MODEL_ONLY_BUILDERS: dict[str, Callable[[Path], None]] = {
    "question-answering": _bert_with_tokenizer("BertForQuestionAnswering"),
    "summarization": _build_bart,
    "translation": _build_bart,
}

# Why a course task has no pipeline in transformers 5.x, and what to use instead.
REMOVED_TASKS = {
    "question-answering": "removed from transformers 5 pipelines; use AutoModelForQuestionAnswering directly "
                          "or text-generation with a chat model",
    "summarization": "removed from transformers 5 pipelines; use AutoModelForSeq2SeqLM.generate or text-generation",
    "translation": "removed from transformers 5 pipelines (also translation_xx_to_yy); use "
                   "AutoModelForSeq2SeqLM.generate or text-generation",
    "image-to-text": "renamed to image-text-to-text in transformers 5 (pipeline() redirects with a warning)",
}


def _example_image() -> Image.Image:
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 255, size=(48, 64, 3), dtype=np.uint8))


def _example_audio() -> dict:
    # A fresh dict per call: the ASR pipeline pops "raw" and "sampling_rate" out of the dict it is given.
    t = np.arange(SAMPLING_RATE, dtype=np.float32) / SAMPLING_RATE
    return {"raw": (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), "sampling_rate": SAMPLING_RATE}


EXAMPLE_INPUTS: dict[str, Callable[[], object]] = {
    "text-classification": lambda: "this movie was great and wonderful",
    "token-classification": lambda: "he said that she loved the movie",
    "fill-mask": lambda: "this movie was [MASK] .",
    "feature-extraction": lambda: "this movie was great",
    "zero-shot-classification": lambda: "this movie was great and wonderful",
    "text-generation": lambda: "this movie was",
    "image-classification": _example_image,
    "question-answering": lambda: {"question": "who said it ?", "context": "he said that she said it was fine"},
    "summarization": lambda: "the acting is good but the plot is bad . what a fantastic , moving story",
    "translation": lambda: "this movie was great",
    "object-detection": _example_image,
    "image-segmentation": _example_image,
    "zero-shot-image-classification": _example_image,
    "image-text-to-text": _example_image,
    "depth-estimation": _example_image,
    "automatic-speech-recognition": _example_audio,
    "audio-classification": _example_audio,
}

EXAMPLE_KWARGS: dict[str, dict] = {
    "zero-shot-classification": {"candidate_labels": ["cine", "deporte", "política"]},
    "text-generation": {"max_new_tokens": 5, "do_sample": False},
    # Random weights score every box about 1/num_labels, below the default threshold of 0.5.
    "object-detection": {"threshold": 0.0},
    "zero-shot-image-classification": {"candidate_labels": ["una hoja", "un gato", "un coche"]},
    # image-text-to-text refuses an image without text; for BLIP the text is the caption's prefix.
    "image-text-to-text": {"text": "a photo of", "max_new_tokens": 5},
}

TINY_TASKS: list[str] = list(BUILDERS)

_built: dict[tuple[Path, str], Path] = {}


def build_tiny_model(task: str, root: Path) -> Path:
    """Build (once per root) the tiny model for `task` into `root/<task>` and return that folder."""
    builder = BUILDERS.get(task) or MODEL_ONLY_BUILDERS.get(task)
    if builder is None:
        raise ValueError(f"no tiny model for task {task!r}: {REMOVED_TASKS.get(task, 'unknown task')}")
    folder = Path(root) / task
    key = (Path(root).resolve(), task)
    if key not in _built:
        if not (folder / "config.json").is_file():
            folder.mkdir(parents=True, exist_ok=True)
            builder(folder)
        _built[key] = folder
    return folder


def example_input(task: str):
    """A valid first argument for `pipeline(task)(...)`."""
    return EXAMPLE_INPUTS[task]()


def example_kwargs(task: str) -> dict:
    """Extra keyword arguments the pipeline call needs or should get to stay fast (may be empty)."""
    return dict(EXAMPLE_KWARGS.get(task, {}))
