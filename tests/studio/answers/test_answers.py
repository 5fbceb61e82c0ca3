"""Trust what the app says: caveats, languages, the "about this model" card, labels and numbers in the
user's language, and the explain endpoints of both tabs served for real."""

from __future__ import annotations

import json

import pytest
from gradio_client import Client, handle_file
from PIL import Image

from studio.answers.about import about_model, display_label, hub_link, per_class_scores
from studio.answers.confidence import image_notes, low_confidence_threshold, score_notes
from studio.answers.language import foreign_language, has_words, model_languages
from studio.i18n import percent
from studio.serving.models import ModelChoice
from tests.support.checkpoints import make_leaf_checkpoint
from tests.support.tiny import make_tiny_bert_classifier


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("STUDIO_LANG", "en")


def test_score_notes():
    assert score_notes({"a": 0.9, "b": 0.1}, {}) == []
    assert "Low confidence (52.0%)" in score_notes({"a": 0.52, "b": 0.48}, {})[0]
    assert "not certainty" in score_notes({"a": 0.999, "b": 0.001}, {})[0]
    calibrated = {"calibration": {"low_confidence_below": 0.8, "accuracy_below": 0.61}}
    assert low_confidence_threshold(calibrated) == 0.8
    assert "right only 61.0%" in score_notes({"a": 0.7, "b": 0.3}, calibrated)[0]


def test_image_notes_flag_small_images():
    assert image_notes((500, 500)) == []
    assert "40×60" in image_notes((40, 60))[0]


@pytest.mark.parametrize(("text", "languages", "foreign"), [
    ("No está nada mal", ["en"], True),   # Spanish (or Portuguese: the detector hesitates) for an English model
    ("La película es una basura.", ["en"], True),
    ("La película es una basura.", ["en", "es"], False),
    ("This movie was great", ["en"], False),
    ("ok", ["en"], False),                 # one word: too short to tell
    ("12345", ["en"], False),              # no words at all: its own note (has_words)
    ("Una frase en español", [], False),   # the model's languages are unknown: no claim
])
def test_foreign_language(text, languages, foreign):
    assert (foreign_language(text, languages) is not None) is foreign


def test_has_words():
    assert not has_words("😡😡😡") and not has_words("12345") and has_words("¡Hola!")


def test_model_languages_from_metrics_then_card_then_known_hub_models(tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    assert model_languages(ModelChoice("local", str(folder), "m", {"languages": ["en"]})) == ["en"]
    (folder / "README.md").write_text("---\nlanguage: en\n---\n# card\n")
    assert model_languages(ModelChoice("local", str(folder), "m", {})) == ["en"]
    hub = "nlptown/bert-base-multilingual-uncased-sentiment"
    assert "es" in model_languages(ModelChoice("hub", hub, hub))
    assert model_languages(ModelChoice("hub", "someone/else", "someone/else")) == []


def test_per_class_scores():
    precision, recall, support = zip(*per_class_scores([[8, 2], [1, 9]]), strict=True)
    assert precision == pytest.approx((8 / 9, 9 / 11)) and recall == pytest.approx((0.8, 0.9)) and support == (10, 10)
    assert per_class_scores([[0, 0], [0, 3]])[0] == (None, None, 0)


def test_about_model_links_the_hub_and_never_shows_a_server_path():
    metrics = {"task": "image-classification", "base_model": "/srv/secret/models/mobilenet_v2",
               "dataset": "AI-Lab-Makerere/beans", "strategy": "head", "train": {"runtime_s": 41.7, "num_examples": 1034},
               "calibration": {"low_confidence_below": 0.71, "accuracy_below": 0.5, "accuracy_above": 0.99},
               "splits": {"validation": {"accuracy": 0.97, "num_examples": 133, "confusion_matrix": [[40, 3], [1, 89]]},
                          "test": {"accuracy": 0.91, "num_examples": 128}}}
    about = about_model(ModelChoice("local", "/srv/secret/models/beans", "beans", metrics), ["healthy", "bean_rust"])
    assert "/srv/secret" not in about and "mobilenet_v2" in about
    assert "[AI-Lab-Makerere/beans](https://huggingface.co/AI-Lab-Makerere/beans)" in about
    assert "Accuracy on validation**: 97.0% (133 examples)" in about and "Accuracy on test**: 91.0%" in about
    assert "| Healthy (healthy) | 97.6% | 93.0% | 43 |" in about  # precision 40/41, recall 40/43
    assert "Training time**: 42 s" in about and "**Limits**" in about
    assert "below 71.0% the model says it is unsure" in about and "right 50.0% of the time (the rest, 99.0%)" in about
    assert hub_link("google/vit-base") == "[google/vit-base](https://huggingface.co/google/vit-base)"


def test_labels_and_numbers_in_the_users_language(monkeypatch):
    assert display_label("positive") == "positive" and percent(0.8734) == "87.3%"
    monkeypatch.setenv("STUDIO_LANG", "es")
    assert display_label("positive") == "positivo (positive)" and display_label("bean_rust") == "Roya del frijol (bean_rust)"
    assert display_label("4 stars") == "★★★★☆ 4 estrellas (4 stars)" and display_label("other") == "other"
    assert percent(0.8734) == "87,3 %"


@pytest.mark.serves
def test_both_tabs_explain_their_answers_through_the_api(serve_app, tmp_path, tiny_vit):
    models = tmp_path / "models"
    make_leaf_checkpoint(models, "beans-tiny", 0.8, tiny_vit)
    text_model = make_tiny_bert_classifier(models / "sst2-tiny")
    (text_model / "metrics.json").write_text(json.dumps({
        "task": "text-classification", "name": "sst2-tiny", "label_names": ["negative", "positive"],
        "splits": {"validation": {"accuracy": 0.8}}, "languages": ["en"]}))
    client = Client(serve_app({"STUDIO_MODELS_DIR": models, "STUDIO_LANG": "en"}), verbose=False,
                    download_files=str(tmp_path))
    Image.new("RGB", (120, 90), (40, 160, 40)).save(tmp_path / "leaf.png")
    heatmap, note = client.predict(handle_file(tmp_path / "leaf.png"), "", 0.5, api_name="/explain_leaf")
    with Image.open(heatmap) as shown:  # over the photo as decoded: shrunk towards the model's side, same shape
        assert shown.width * 90 == shown.height * 120 and min(shown.size) >= 32
    assert "Areas that weighed most for" in note
    words, note = client.predict("a truly wonderful film", "", api_name="/explain_sentiment")
    assert [item["token"] for item in words if item["class_or_confidence"] is not None] == \
        ["a", "truly", "wonderful", "film"]
    assert "".join(item["token"] for item in words) == "a truly wonderful film" and "integrated gradients" in note
