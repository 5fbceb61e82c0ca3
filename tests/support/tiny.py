"""Builders for tiny random models and tiny data sets, made offline in a second or two.

They produce exactly what a user would have on disk (a `save_pretrained` folder with safetensors,
an image folder, CSV/TSV files), so the code under test loads them through its real code paths.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from PIL import Image

# Colours far apart so even a tiny model can learn the classes in a few steps.
CLASS_COLOURS = [(200, 40, 40), (40, 180, 40), (40, 40, 200), (200, 200, 40)]
LEAF_CLASSES = ("angular_leaf_spot", "bean_rust", "healthy")


def make_image_folder(
    root: Path,
    classes: tuple[str, ...] = LEAF_CLASSES,
    per_split: dict[str, int] | None = None,
    size: int = 48,
    seed: int = 0,
) -> Path:
    """`root/<split>/<class>/<n>.png`: noisy solid-colour images, one colour per class."""
    per_split = per_split or {"train": 8, "validation": 4}
    rng = np.random.default_rng(seed)
    for split, count in per_split.items():
        for index, name in enumerate(classes):
            folder = root / split / name
            folder.mkdir(parents=True, exist_ok=True)
            base = np.array(CLASS_COLOURS[index % len(CLASS_COLOURS)], dtype=np.int16)
            for n in range(count):
                noise = rng.integers(-30, 30, size=(size, size, 3))
                pixels = np.clip(base + noise, 0, 255).astype(np.uint8)
                Image.fromarray(pixels).save(folder / f"{name}_{split}.{n}.png")
    return root


def make_tiny_vit(path: Path, labels: tuple[str, ...] = LEAF_CLASSES, image_size: int = 32) -> Path:
    """A random 1-layer ViT image classifier with its image processor, saved as safetensors."""
    from transformers import ViTConfig, ViTForImageClassification, ViTImageProcessor

    config = ViTConfig(
        image_size=image_size, patch_size=8, num_channels=3, hidden_size=32, num_hidden_layers=1,
        num_attention_heads=2, intermediate_size=64,
        id2label=dict(enumerate(labels)), label2id={name: i for i, name in enumerate(labels)},
    )
    ViTForImageClassification(config).save_pretrained(path)
    ViTImageProcessor(size={"height": image_size, "width": image_size}).save_pretrained(path)
    return path


def make_tiny_mobilenet(path: Path, labels: tuple[str, ...] = ("a", "b"), image_size: int = 32) -> Path:
    """A random thin MobileNetV2 image classifier (the architecture of ../shared's real backbone)."""
    from transformers import MobileNetV2Config, MobileNetV2ForImageClassification, MobileNetV2ImageProcessor

    config = MobileNetV2Config(
        image_size=image_size, depth_multiplier=0.35, num_labels=len(labels),
        id2label=dict(enumerate(labels)), label2id={name: i for i, name in enumerate(labels)},
    )
    MobileNetV2ForImageClassification(config).save_pretrained(path)
    MobileNetV2ImageProcessor(
        size={"shortest_edge": image_size}, crop_size={"height": image_size, "width": image_size}
    ).save_pretrained(path)
    return path


TINY_CORPUS = [
    "this movie was great and wonderful , i loved it !",
    "a terrible , boring and awful film . i hated it .",
    "the acting is good but the plot is bad",
    "what a fantastic , moving story",
    "worst experience ever , never again",
    "esta película es maravillosa y la recomiendo",
    "una película aburrida y terrible",
    "me encantó , es excelente",
    "no me gustó nada , es mala",
    "the paraphrase says the same thing in other words",
    "he said that she said it was fine",
]


def make_tiny_tokenizer(path: Path, corpus: list[str] | None = None, model_max_length: int = 64):
    """A WordPiece (BERT-style) tokenizer trained with `tokenizers` on a tiny corpus, saved to `path`."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(vocab_size=400, special_tokens=special)
    tok.train_from_iterator((corpus or TINY_CORPUS) * 3, trainer=trainer)
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)],
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]", model_max_length=model_max_length,
    )
    fast.save_pretrained(path)
    return fast


def tiny_bert_config(vocab_size: int, labels: tuple[str, ...] = ("negative", "positive"), **overrides):
    from transformers import BertConfig

    values = dict(
        vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=128,
        id2label=dict(enumerate(labels)), label2id={name: i for i, name in enumerate(labels)},
    )
    values.update(overrides)
    return BertConfig(**values)


def make_tiny_bert_classifier(path: Path, labels: tuple[str, ...] = ("negative", "positive")) -> Path:
    """A random 2-layer BERT sequence classifier with its trained tokenizer, saved as safetensors."""
    from transformers import BertForSequenceClassification

    tokenizer = make_tiny_tokenizer(path)
    BertForSequenceClassification(tiny_bert_config(len(tokenizer), labels)).save_pretrained(path)
    return path


POSITIVE = ["great movie , loved it", "wonderful and fantastic", "me encantó , excelente", "good acting"]
NEGATIVE = ["terrible boring film", "awful , hated it", "una película mala y aburrida", "worst ever"]


def make_sentiment_files(root: Path, rows_per_class: int = 12, sep: str = "\t") -> Path:
    """`root/train.tsv` and `root/dev.tsv` (`sentence<TAB>label`, 0 = negative) like ../shared/data/sst2."""
    root.mkdir(parents=True, exist_ok=True)
    ext = "tsv" if sep == "\t" else "csv"
    for split, count in (("train", rows_per_class), ("dev", max(2, rows_per_class // 3))):
        with open(root / f"{split}.{ext}", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=sep)
            writer.writerow(["sentence", "label"])
            for n in range(count):
                writer.writerow([POSITIVE[n % len(POSITIVE)], 1])
                writer.writerow([NEGATIVE[n % len(NEGATIVE)], 0])
    return root


def make_tab_checkpoints(folder: Path, accuracy: float = 0.9,
                         names: tuple[str, str] = ("beans-tiny", "sst2-tiny")) -> tuple[Path, Path]:
    """A tiny bean checkpoint and a tiny sentiment checkpoint with their metrics.json, as the two model tabs
    serve them: (folder/names[0], folder/names[1])."""
    import json

    beans = make_tiny_mobilenet(folder / names[0], labels=LEAF_CLASSES)
    sentiment = make_tiny_bert_classifier(folder / names[1])
    for checkpoint, task, labels in ((beans, "image-classification", list(LEAF_CLASSES)),
                                     (sentiment, "text-classification", ["negative", "positive"])):
        metrics = {"task": task, "name": checkpoint.name, "label_names": labels,
                   "splits": {"validation": {"accuracy": accuracy, "num_examples": 8}}}
        (checkpoint / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    return beans, sentiment
