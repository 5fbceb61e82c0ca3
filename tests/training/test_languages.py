"""Text models know their languages (issue 19): detected on the training texts when no one says, so the
sentiment tab warns about a text in another language."""

from __future__ import annotations

import csv

import pytest

from training.modalities.languages import detected_languages

SPANISH = ["Me encantó esta película, es maravillosa de principio a fin.",
           "Qué aburrimiento, no la recomiendo a nadie.",
           "Los actores están geniales y la música es preciosa."]


@pytest.fixture(scope="module")
def sst2_sentences(assets_dir):
    with open(assets_dir / "data" / "sst2-sentences" / "train.tsv", newline="", encoding="utf-8") as handle:
        return [row["sentence"] for row in csv.DictReader(handle, delimiter="\t")]


def test_sst2_is_detected_as_english_and_spanish_texts_as_spanish(sst2_sentences):
    assert detected_languages(sst2_sentences) == ["en"]
    assert detected_languages(SPANISH * 10) == ["es"]
    mixed = SPANISH * 10 + sst2_sentences[:3000:100]
    assert set(detected_languages(mixed)) == {"en", "es"}
    assert detected_languages(["ok", "no", "great film"]) == []  # too few words to tell


def test_the_sentiment_tab_warns_about_spanish_for_a_model_trained_on_english(sst2_sentences):
    from studio.answers.language import language_notes
    from studio.serving.models import ModelChoice

    choice = ModelChoice("local", "/nowhere", "sst2-minilm", {"languages": detected_languages(sst2_sentences)})
    for text in SPANISH:
        notes = language_notes(text, choice)
        assert len(notes) == 1 and ("English" in notes[0] or "inglés" in notes[0]), (text, notes)
    assert language_notes("A wonderful, moving film with superb acting.", choice) == []


@pytest.mark.trains
def test_the_cli_records_the_recipe_and_the_detected_languages(tmp_path):
    """`python -m training text` on Spanish texts with no --languages: metrics.json says es (and which recipe)."""
    import json

    from tests.support.tiny import make_tiny_bert_classifier
    from training.__main__ import main

    data = tmp_path / "opiniones"
    data.mkdir()
    positive = ["Me encantó esta película, es maravillosa.", "Los actores están geniales y la música preciosa."]
    negative = ["Qué aburrimiento, no la recomiendo a nadie.", "Una historia pésima y un final sin sentido."]
    for split, count in (("train", 12), ("validation", 3)):
        with open(data / f"{split}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["texto", "etiqueta"])
            for n in range(count):
                writer.writerows([[positive[n % 2], "positivo"], [negative[n % 2], "negativo"]])
    base = make_tiny_bert_classifier(tmp_path / "tiny-bert")
    assert main(["text", "--data-dir", str(data), "--text-column", "texto", "--label-column", "etiqueta",
                 "--base-model", str(base), "--name", "opiniones", "--models-dir", str(tmp_path / "models")]) == 0
    metrics = json.loads((tmp_path / "models" / "opiniones" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["languages"] == ["es"]
    assert (metrics["args"]["recipe"], metrics["args"]["strategy"], metrics["args"]["group_by_length"]) == (
        "fast", "full", True)
