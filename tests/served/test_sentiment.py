"""The sentiment tab served for real (serve_app) and driven through gradio_client (Chromium: tests/browser/).

The model is a tiny random BERT checkpoint in a temporary models dir with a metrics.json, exactly
as `python -m training text` leaves one, so the tab resolves it as "the best local checkpoint".
"""

from __future__ import annotations

import csv
import json
import re

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from studio.sentiment import predict as sentiment
from tests.support.checkpoints import make_sst2_tiny
from tests.support.tiny import make_tiny_bert_classifier


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory):
    return make_sst2_tiny(tmp_path_factory.mktemp("models"))


@pytest.fixture
def client(serve_app, models_dir, monkeypatch, tmp_path):
    monkeypatch.delenv("STUDIO_SENTIMENT_MODEL", raising=False)
    url = serve_app(env={"STUDIO_MODELS_DIR": models_dir, "STUDIO_LANG": "en"})
    return Client(url, verbose=False, download_files=str(tmp_path))


def assert_label(result):
    assert result["label"] in ("negative", "positive")
    confidences = {c["label"]: c["confidence"] for c in result["confidences"]}
    assert set(confidences) == {"negative", "positive"}
    assert sum(confidences.values()) == pytest.approx(1.0, abs=1e-4)


LONG = "great movie , loved it . " * 4000  # 100k characters


@pytest.mark.parametrize(
    "text",
    ["great movie , loved it", "¡Qué película tan maravillosa!", "😀😀 👍🏽", "这部电影很好看", "هذا الفيلم رائع",
     "bad\x00 film\x1b\x07 \u202e ok", LONG],
    ids=["english", "spanish", "emoji", "cjk", "arabic", "control-chars", "100k-chars"],
)
def test_predict_sentiment_answers_any_text(client, text):
    result, note = client.predict(text, api_name="/predict_sentiment")
    assert_label(result)
    assert "sst2-tiny" in note and "87.5%" in note  # which checkpoint answered, and its accuracy
    assert ("64 tokens" in note) == (text is LONG)  # the user is told when the text was truncated


@pytest.mark.parametrize("text", ["", "   \n\t ", "\x00\x01"])
def test_predict_sentiment_rejects_empty_input(client, text):
    with pytest.raises(AppError, match="input is empty"):
        client.predict(text, api_name="/predict_sentiment")
    # and the server is still alive afterwards
    assert_label(client.predict("good acting", api_name="/predict_sentiment")[0])


def read_download(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_batch_lines_give_a_table_and_a_csv(client):
    table, download, note = client.predict("good acting\n\n  \nawful , hated it\n😀\n" + LONG,
                                           api_name="/predict_sentiment_batch")
    rows = table["data"]
    # the answer first, in the user's language; the text clipped last but one
    assert table["headers"] == ["sentiment", "confidence", "text", "truncated"]
    assert [row[2] for row in rows[:3]] == ["good acting", "awful , hated it", "😀"]
    assert all(row[0] in ("negative", "positive") and re.fullmatch(r"\d{2,3}\.\d%", row[1]) for row in rows)
    assert [row[3] for row in rows] == ["no", "no", "no", "yes"]
    assert "4 texts" in note and "1 texts were longer" in note
    csv_rows = read_download(download)
    assert csv_rows[0] == list(sentiment.RESULT_COLUMNS)  # the download stays machine-readable
    assert [r[1] for r in csv_rows[1:]] == [row[0] for row in rows]
    for csv_row, row in zip(csv_rows[1:], rows, strict=True):  # the CSV keeps 4 decimals, the table 1 of a %
        assert abs(float(csv_row[2]) * 100 - float(row[1].rstrip("%"))) <= 0.051
    # the table shows the start of a long text; the CSV keeps it whole
    assert len(rows[3][2]) == sentiment.TABLE_TEXT_CHARS and rows[3][2].endswith("…")
    assert csv_rows[4][0] == LONG.strip()


def test_csv_upload_gives_a_table_and_a_csv(client, tmp_path):
    upload = tmp_path / "reviews.csv"
    with open(upload, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [["id", "sentence"], [1, "wonderful and fantastic"], [2, "una película mala y aburrida"], [3, ""]]
        )
    table, download, note = client.predict(handle_file(str(upload)), api_name="/predict_sentiment_csv")
    assert [row[2] for row in table["data"]] == ["wonderful and fantastic", "una película mala y aburrida"]
    assert "2 texts" in note
    assert len(read_download(download)) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"text\n\x81t\x8d bien\n", "not UTF-8"), (b"text\n  \n", "no rows with text")],
    ids=["not-text-encoding", "no-rows"],
)
def test_csv_upload_rejects_bad_files(client, tmp_path, content, message):
    upload = tmp_path / "bad.csv"
    upload.write_bytes(content)
    with pytest.raises(AppError, match=message):
        client.predict(handle_file(str(upload)), api_name="/predict_sentiment_csv")


def test_batch_rejects_blank_lines_only(client):
    with pytest.raises(AppError, match="input is empty"):
        client.predict("\n \n\t\n", api_name="/predict_sentiment_batch")


def test_without_any_model_the_tab_says_how_to_train_one(serve_app, monkeypatch, tmp_path):
    monkeypatch.delenv("STUDIO_SENTIMENT_MODEL", raising=False)
    url = serve_app(env={"STUDIO_MODELS_DIR": tmp_path / "empty", "STUDIO_LANG": "en", "HF_HUB_OFFLINE": "1"})
    client = Client(url, verbose=False, download_files=str(tmp_path))
    with pytest.raises(AppError, match="python -m training text"):
        client.predict("great movie", api_name="/predict_sentiment")
    with pytest.raises(AppError, match="input is empty"):  # and the server still answers
        client.predict("", api_name="/predict_sentiment")



def test_a_refused_model_reference_is_a_message_not_a_crash(serve_app, tmp_path):
    url = serve_app(env={"STUDIO_SENTIMENT_MODEL": "https://example.com/model", "STUDIO_LANG": "en"})
    client = Client(url, verbose=False, download_files=str(tmp_path))
    with pytest.raises(AppError, match="model configured in STUDIO_SENTIMENT_MODEL is not valid: .*is a URL"):
        client.predict("great movie", api_name="/predict_sentiment")


def test_a_broken_checkpoint_is_a_message_not_a_crash(serve_app, monkeypatch, tmp_path):
    broken = make_tiny_bert_classifier(tmp_path / "models" / "broken")
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    (broken / "metrics.json").write_text(json.dumps({"task": "text-classification"}))
    monkeypatch.delenv("STUDIO_SENTIMENT_MODEL", raising=False)
    client = Client(serve_app(env={"STUDIO_MODELS_DIR": tmp_path / "models", "STUDIO_LANG": "en"}), verbose=False,
                    download_files=str(tmp_path))
    with pytest.raises(AppError, match="Could not load the model broken"):
        client.predict("great movie", api_name="/predict_sentiment")


def test_batch_downloads_go_to_the_app_downloads_folder(client, monkeypatch, tmp_path):
    downloads = tmp_path / "downloads"
    monkeypatch.setattr(sentiment, "DOWNLOADS_DIR", downloads)
    for _ in range(2):
        table, download, _ = client.predict("good acting\nawful , hated it", api_name="/predict_sentiment_batch")
        assert [row[1] for row in read_download(download)[1:]] == [row[0] for row in table["data"]]
    assert len(list(downloads.glob("sentiment-*.csv"))) == 2



def test_status_is_computed_per_page_load(serve_app, tmp_path):
    """A checkpoint trained while the app runs is named on the next page load (not frozen at build time)."""
    models = tmp_path / "models"
    models.mkdir()
    client = Client(serve_app(env={"STUDIO_MODELS_DIR": models, "STUDIO_LANG": "en"}), verbose=False,
                    download_files=str(tmp_path))
    _picker, before, _about, _matrix = client.predict("", api_name="/sentiment_status")
    assert "python -m training text" in before and str(models) not in before
    folder = make_tiny_bert_classifier(models / "sst2-new")
    (folder / "metrics.json").write_text(json.dumps({
        "task": "text-classification", "name": "sst2-new", "label_names": ["negative", "positive"],
        "splits": {"validation": {"accuracy": 0.875}}}))
    _picker, after, about, _matrix = client.predict("", api_name="/sentiment_status")
    assert "sst2-new" in after and "87.5%" in after
