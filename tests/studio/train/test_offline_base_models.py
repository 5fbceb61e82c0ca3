"""The Train tab offline (issue 19): every operator base model that can serve a task is offered."""

from __future__ import annotations

import pytest

from tests.support.tiny import (
    make_tiny_bert_classifier,
    make_tiny_mobilenet,
    make_tiny_tokenizer,
    tiny_bert_config,
)


def test_an_encoder_without_a_head_is_offered_for_text_only(tmp_path, monkeypatch):
    from transformers import BertModel

    from studio.train.start import operator_models

    encoder = tmp_path / "minilm"
    tokenizer = make_tiny_tokenizer(encoder)
    BertModel(tiny_bert_config(tokenizer.vocab_size)).save_pretrained(encoder)  # architectures: ["BertModel"]
    classifier = make_tiny_bert_classifier(tmp_path / "sst2-tiny")
    mobilenet = make_tiny_mobilenet(tmp_path / "mobilenet")
    monkeypatch.setenv("STUDIO_BASE_MODELS", f"minilm={encoder},sst2={classifier},mobilenet={mobilenet},hub=org/model")
    assert set(operator_models("text")) == {"minilm", "sst2", "hub"}
    assert set(operator_models("image")) == {"mobilenet", "hub"}


def test_spreadsheet_csv_dialects_are_read_as_their_columns(tmp_path):
    """Excel in Spanish saves `;`-separated, often with a BOM, or in Windows-1252: one reader for all."""
    import pytest

    from contract.tables import TableError, read_table

    rows = [("texto", "etiqueta", "fecha"), ("Me encantó, de verdad", "1", "2024-01-02"), ("Qué lata", "0", "2024-01-03")]
    cases = {
        "excel.csv": ("\ufeff" + "\n".join(";".join(row) for row in rows), "utf-8", ";"),
        "tabs.csv": ("\n".join("\t".join(row) for row in rows), "utf-8", "\t"),
        "windows.csv": ("\n".join(";".join(row) for row in rows), "cp1252", ";"),
    }
    for name, (text, encoding, delimiter) in cases.items():
        (tmp_path / name).write_bytes(text.encode(encoding))
        table = read_table(tmp_path / name, strict=True, sniff=True, windows_1252=True)
        assert table.columns == ["texto", "etiqueta", "fecha"], name
        assert [row["texto"] for row in table.rows] == ["Me encantó, de verdad", "Qué lata"], name
        assert (table.encoding, table.delimiter) == (encoding, delimiter)
    with pytest.raises(TableError) as refused:  # without the fallback, Windows-1252 stays refused
        read_table(tmp_path / "windows.csv", strict=True)
    assert refused.value.key == "table.encoding"


def test_numeric_labels_can_be_given_names_and_reach_the_command():
    import pytest

    from studio.train.jobs import training_args
    from studio.train.jobstore import Job
    from studio.train.start import TrainRequestError, checked_label_names

    numeric = Job(id="d", kind="text", labels=["1", "0"])
    assert checked_label_names(numeric, " negativo , positivo ") == ["negativo", "positivo"]
    assert checked_label_names(numeric, "") == []
    for data, names, key in ((numeric, "solo-uno", "train.error.label_names"),
                             (numeric, "a,a", "train.error.label_names"),
                             (Job(id="d", kind="text", labels=["bad", "good"]), "x,y", "train.error.label_names_numeric"),
                             (Job(id="d", kind="text", labels=["1", "2"]), "x,y", "train.error.label_names_numeric"),
                             (Job(id="d", kind="image", labels=["0", "1"]), "x,y", "train.error.label_names_numeric")):
        with pytest.raises(TrainRequestError) as refused:
            checked_label_names(data, names)
        assert refused.value.key == key
    job = Job(id="n", kind="text", data_dir="d", name="n", strategy="full", text_column="texto",
              label_column="etiqueta", extra_args=["--label-names", "negativo,positivo"])
    argv = training_args(job, "d", "minilm")
    assert argv[argv.index("--label-names") + 1] == "negativo,positivo"


def test_the_state_line_and_the_result_speak_spanish(monkeypatch):
    """A run's numbers in the user's words: epoch, loss and accuracy as Spanish writes them, split names too."""
    from studio.train.jobstore import Job
    from studio.train.progress import Progress
    from studio.train.view import epoch_summary, result_text, translated_curves

    monkeypatch.setenv("STUDIO_LANG", "es")
    progress = Progress(step=5, max_steps=10, epochs=3.0, loss=[(1.0, 0.51234)], accuracy=[(1.0, 0.8333)])
    assert epoch_summary(progress).strip() == "época 1 de 3 · pérdida de entrenamiento 0,512 · exactitud en validación 83,3 %"
    metrics = {"splits": {"validation": {"accuracy": 0.8333, "f1_macro": 0.8123, "loss": 0.4, "num_examples": 6}}}
    result = result_text(metrics, Job(id="r"))
    assert "| validación | 83,3 % | 0,812 | 0,4000 | 6 |" in result and "83.3%" not in result
    assert translated_curves([{"epoch": 1, "value": 0.5, "curve": "train"}])[0]["curve"] == "entrenamiento"


def test_the_confusion_matrix_is_drawn_in_the_visitors_language(tmp_path, monkeypatch):
    """From metrics.json's numbers, with the classes and axes translated (the PNG of the checkpoint is English)."""
    from studio.answers.about import confusion_matrix_image
    from studio.serving.models import ModelChoice

    metrics = {"label_names": ["healthy", "bean_rust"], "splits": {"validation": {"confusion_matrix": [[5, 1], [0, 6]]}}}
    choice = ModelChoice("local", str(tmp_path), "beans", metrics)
    drawn = {}
    for lang in ("es", "en"):
        monkeypatch.setenv("STUDIO_LANG", lang)
        drawn[lang] = confusion_matrix_image(choice)
        assert drawn[lang].size[0] <= 2100 and drawn[lang].size[1] <= 2000
    assert drawn["es"].tobytes() != drawn["en"].tobytes()  # other words on the axes and the classes
    monkeypatch.setenv("STUDIO_LANG", "es")
    assert confusion_matrix_image(choice).tobytes() == drawn["es"].tobytes()  # drawn once, then cached
    assert confusion_matrix_image(ModelChoice("local", str(tmp_path), "x", {})) is None  # no numbers, no PNG


@pytest.mark.trains
def test_a_head_run_writes_its_feature_progress(tmp_path):
    import json

    from tests.support.tiny import LEAF_CLASSES, make_image_folder, make_tiny_vit
    from training.commands import image

    data = make_image_folder(tmp_path / "data", per_split={"train": 6, "validation": 3})
    base = make_tiny_vit(tmp_path / "vit", labels=LEAF_CLASSES)
    progress = tmp_path / "progress.jsonl"
    assert image.main(["--name", "p", "--data_dir", str(data), "--base_model", str(base), "--strategy", "head",
                       "--augment", "hflip", "--epochs", "1", "--models_dir", str(tmp_path / "models"),
                       "--progress_file", str(progress)]) == 0
    events = [json.loads(line) for line in progress.read_text().splitlines()]
    phases = [event for event in events if event["event"] == "phase"]
    assert phases[0]["done"] == 0 and phases[-1]["done"] == phases[-1]["total"] > 0
    assert events.index(phases[-1]) < next(i for i, event in enumerate(events) if event["event"] == "begin")


def test_a_training_upload_has_its_own_cap_and_a_message_that_says_who_can_raise_it(tmp_path, monkeypatch):
    import pytest

    from studio import config
    from studio.errors import StudioError
    from studio.ui import checked_size

    monkeypatch.setenv("STUDIO_LANG", "es")
    monkeypatch.setenv("STUDIO_MAX_FILE_SIZE", "10mb")
    monkeypatch.setenv("STUDIO_TRAIN_MAX_UPLOAD", "20mb")
    photos = tmp_path / "fotos.zip"
    photos.write_bytes(b"\0" * (14 * 1024**2))  # 60 phone photos: past the image cap, within the training cap
    assert checked_size(str(photos), config.train_max_upload(), "STUDIO_TRAIN_MAX_UPLOAD") == str(photos)
    with pytest.raises(StudioError) as refused:
        checked_size(str(photos), config.max_file_size(), "STUDIO_MAX_FILE_SIZE")
    assert refused.value.message() == ("El archivo pesa 14 MB y este servidor acepta como mucho 10 MB. Quien "
                                       "administra el servidor puede subir ese límite (STUDIO_MAX_FILE_SIZE).")
    assert config.upload_cap() == 20 * 1024**2


def test_a_spanish_spreadsheet_gets_its_text_and_label_columns_guessed(tmp_path):
    from studio.train.preview import inspect_text_file

    upload = tmp_path / "opiniones.csv"
    rows = ["fecha;texto;etiqueta;id"] + [f"2024-05-{n:02d};frase número {n};{n % 2};{n}" for n in range(1, 21)]
    upload.write_bytes(("\ufeff" + "\r\n".join(rows)).encode("utf-8"))
    report = inspect_text_file(upload)
    assert (report.text_column, report.label_column) == ("texto", "etiqueta")
    assert report.ok and sorted(report.label_names) == ["0", "1"]
