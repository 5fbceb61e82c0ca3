"""Tiny classifiers trained in a few seconds on CPU on synthetic data whose answer sits in a known place.

`train_patch_classifier` learns "is there a bright patch in the top-left quadrant" from noisy images;
`train_keyword_classifier` learns "does the sentence contain KEYWORD". Both save a `save_pretrained`
folder (with processor / tokenizer) that `transformers.pipeline` loads, so a test can check that an
explanation points at the patch or the keyword.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from PIL import Image

from tests.support.tiny import make_tiny_vit, tiny_bert_config

PATCH_LABELS = ("plain", "patch")
IMAGE_SIZE = 32
PATCH_SIDE = 8
KEYWORD = "excellent"
KEYWORD_LABELS = ("negative", "positive")
FILLER_WORDS = (
    "the", "movie", "plot", "was", "slow", "and", "long", "but", "actors", "played", "their", "parts", "with",
    "some", "care", "while", "music", "felt", "loud", "at", "times", "so", "we", "left", "after", "an",
    "hour", "of", "quiet", "scenes", "in", "old", "town",
)


def patch_image(size: tuple[int, int] = (IMAGE_SIZE, IMAGE_SIZE), patch_at: tuple[int, int] | None = None,
                side: int = PATCH_SIDE, rng: np.random.Generator | None = None) -> Image.Image:
    """Grey noise (width, height = size), with a white square of `side` px at patch_at = (x, y) if given."""
    rng = rng or np.random.default_rng(0)
    width, height = size
    pixels = rng.integers(40, 170, size=(height, width, 3)).astype(np.uint8)
    if patch_at is not None:
        x, y = patch_at
        pixels[y : y + side, x : x + side] = 255
    return Image.fromarray(pixels, mode="RGB")


def patch_dataset(count: int, seed: int = 0) -> tuple[list[Image.Image], list[int]]:
    """Half plain noise (label 0), half with the patch somewhere inside the top-left quadrant (label 1)."""
    rng = np.random.default_rng(seed)
    quadrant = IMAGE_SIZE // 2
    images, labels = [], []
    for n in range(count):
        label = n % 2
        at = tuple(int(v) for v in rng.integers(0, quadrant - PATCH_SIDE + 1, size=2)) if label else None
        images.append(patch_image(patch_at=at, rng=rng))
        labels.append(label)
    return images, labels


def _train(model, batches, steps: int, lr: float, seed: int = 0) -> None:
    import torch

    torch.manual_seed(seed)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    model.train()
    for step in range(steps):
        inputs, labels = batches[step % len(batches)]
        loss = model(**inputs, labels=labels).loss
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    model.eval()
    model.zero_grad(set_to_none=True)


def train_patch_classifier(folder: Path, steps: int = 120, seed: int = 0) -> Path:
    """A tiny ViT that tells images with the top-left patch from plain noise, saved with its (plain resize)
    processor in `folder`. (A tiny MobileNetV2 at 32 px trains 10x slower and learns global brightness.)"""
    import torch
    from transformers import AutoImageProcessor, AutoModelForImageClassification

    torch.manual_seed(seed)
    make_tiny_vit(folder, labels=PATCH_LABELS, image_size=IMAGE_SIZE)
    model = AutoModelForImageClassification.from_pretrained(folder)
    processor = AutoImageProcessor.from_pretrained(folder)
    images, labels = patch_dataset(128)
    pixels = processor(images=images, return_tensors="pt")["pixel_values"]
    targets = torch.tensor(labels)
    batches = [({"pixel_values": pixels[i : i + 32]}, targets[i : i + 32]) for i in range(0, len(labels), 32)]
    _train(model, batches, steps, lr=3e-3, seed=seed)
    model.save_pretrained(folder)
    return folder


def with_centre_crop(trained: Path, folder: Path, shortest_edge: int = IMAGE_SIZE, crop: int = IMAGE_SIZE) -> Path:
    """A copy of `trained` whose processor is MobileNetV2's: resize the shortest edge, then centre crop."""
    import shutil

    from transformers import MobileNetV2ImageProcessor

    shutil.copytree(trained, folder)
    MobileNetV2ImageProcessor(
        size={"shortest_edge": shortest_edge}, crop_size={"height": crop, "width": crop}
    ).save_pretrained(folder)
    return folder


def keyword_sentences(count: int, seed: int = 0) -> tuple[list[str], list[int]]:
    """Sentences of filler words; the odd ones (label 1) contain KEYWORD somewhere."""
    rng = random.Random(seed)
    texts, labels = [], []
    for n in range(count):
        words = rng.sample(FILLER_WORDS, rng.randint(4, 9))
        label = n % 2
        if label:
            words.insert(rng.randint(0, len(words)), KEYWORD)
        texts.append(" ".join(words))
        labels.append(label)
    return texts, labels


def keyword_tokenizer(folder: Path):
    """A BERT-style WordPiece tokenizer over FILLER_WORDS, KEYWORD and single letters, saved to `folder`.

    Built from a fixed vocabulary because the `tokenizers` trainer breaks ties differently in every
    process; any other lowercase word is cut into letter pieces ("quietness" -> quiet ##n ##e ##s ##s).
    """
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    letters = [chr(code) for code in range(ord("a"), ord("z") + 1)]
    pieces = [*special, *FILLER_WORDS, KEYWORD, *letters, *(f"##{c}" for c in letters), *",.!?"]
    vocab = {piece: index for index, piece in enumerate(dict.fromkeys(pieces))}
    tok = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])]
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]", model_max_length=64,
    )
    fast.save_pretrained(folder)
    return fast


def train_keyword_classifier(folder: Path, steps: int = 120, seed: int = 0) -> Path:
    """A tiny 2-layer BERT that tells sentences with KEYWORD (positive) from those without, saved with its
    tokenizer in `folder`."""
    import torch
    from transformers import BertForSequenceClassification

    torch.manual_seed(seed)
    texts, labels = keyword_sentences(256)
    tokenizer = keyword_tokenizer(folder)
    model = BertForSequenceClassification(
        tiny_bert_config(len(tokenizer), KEYWORD_LABELS, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    )
    targets = torch.tensor(labels)
    batches = []
    for i in range(0, len(texts), 32):
        encoded = tokenizer(texts[i : i + 32], padding=True, return_tensors="pt")
        batches.append((dict(encoded), targets[i : i + 32]))
    _train(model, batches, steps, lr=3e-3, seed=seed)
    model.save_pretrained(folder)
    return folder
