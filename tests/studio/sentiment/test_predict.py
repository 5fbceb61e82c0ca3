"""studio/sentiment/predict.py: input cleaning, CSV reading, classification and results, without the UI."""

from __future__ import annotations

import csv
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from contract.tokens import token_limit
from studio.sentiment import predict as sentiment
from tests.support.tiny import make_tiny_bert_classifier


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    path = make_tiny_bert_classifier(tmp_path_factory.mktemp("tiny-bert"))
    return AutoModelForSequenceClassification.from_pretrained(path), AutoTokenizer.from_pretrained(path)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  hello  ", "hello"),
        ("a\x00b\x07c\x1b[31m", "abc[31m"),
        ("line one\nline two\ttab", "line one line two tab"),
        ("emoji 😀👍🏽 ok", "emoji 😀👍🏽 ok"),
        ("这部电影很好看", "这部电影很好看"),
        ("هذا الفيلم رائع", "هذا الفيلم رائع"),
        ("zero\u200dwidth joiner", "zero\u200dwidth joiner"),
        ("lone \ud800surrogate\udfff", "lone surrogate"),  # issue 9: crashed the tokenizer and the CSV writer
    ],
)
def test_clean_user_text_keeps_meaning_and_drops_control_characters(raw, cleaned):
    assert sentiment.clean_user_text(raw) == cleaned


@pytest.mark.parametrize("raw", [None, "", "   ", "\n\t\r", "\x00\x01\x02", " \x0b\x0c "])
def test_clean_user_text_rejects_empty_input(raw):
    with pytest.raises(sentiment.SentimentInputError) as error:
        sentiment.clean_user_text(raw)
    assert error.value.key == "sentiment.error.empty"


def test_texts_from_lines_skips_blank_lines_and_rejects_all_blank():
    assert sentiment.texts_from_lines("good\n\n  \nbad\x00 film\r\n") == ["good", "bad film"]
    with pytest.raises(sentiment.SentimentInputError):
        sentiment.texts_from_lines("\n  \n\x00\n")


def test_cap_batch_bounds_rows():
    assert sentiment.cap_batch(["a", "b"]) == (["a", "b"], 0)
    texts, dropped = sentiment.cap_batch(["x"] * (sentiment.MAX_BATCH_ROWS + 7))
    assert len(texts) == sentiment.MAX_BATCH_ROWS and dropped == 7


def test_cap_batch_bounds_characters():
    """Issue 9: 500 rows × 18k characters (9 MB) cost 105 s of server CPU; the batch is cut by characters."""
    texts, dropped = sentiment.cap_batch(["y" * 18_000] * 500)
    counted = sum(min(len(text), sentiment.MAX_TEXT_CHARS) for text in texts)
    assert counted <= sentiment.MAX_BATCH_CHARS and len(texts) + dropped == 500 and dropped > 400
    assert sentiment.cap_batch(["z" * 10 * sentiment.MAX_BATCH_CHARS]) == (["z" * 10 * sentiment.MAX_BATCH_CHARS], 0)


@pytest.mark.parametrize(
    ("columns", "expected"),
    [(["id", "Sentence", "label"], "Sentence"), (["review", "stars"], "review"), (["comentario"], "comentario")],
)
def test_pick_text_column(columns, expected):
    assert sentiment.pick_text_column(columns) == expected


def test_pick_text_column_refuses_to_guess():
    """Issue 9: a CSV without a text column silently classified its `id` column."""
    with pytest.raises(sentiment.SentimentInputError) as error:
        sentiment.pick_text_column(["id", "notes", "stars"])
    assert error.value.key == "sentiment.error.csv_no_text_column"
    assert "id, notes, stars" in error.value.message("en") and "sentence" in error.value.message("en")


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_read_csv_texts_sniffs_delimiter_and_finds_the_text_column(tmp_path, delimiter):
    path = tmp_path / "reviews.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerows([["id", "text"], [1, "great, really great"], [2, "   "], [3, "malísima 😡"]])
    assert sentiment.read_csv_texts(path) == ["great, really great", "malísima 😡"]


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"text\nbuena\n\x81\x8d\x90 ma\xf1ana\n", "sentiment.error.csv_encoding"),  # neither UTF-8 nor Windows-1252
        (b"", "sentiment.error.csv_empty"),
        (b"text\n\n   \n", "sentiment.error.csv_empty"),
        (b"id,stars\n1,5\n2,3\n", "sentiment.error.csv_no_text_column"),
        (b"text\x00\x01\x02\n\x00\x00ok\n", "sentiment.error.csv_binary"),
        (b"text\n" + b"a" * 140_000 + b"\n", "sentiment.error.csv_field_too_long"),
    ],
)
def test_read_csv_texts_rejects_bad_files(tmp_path, content, key):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(sentiment.SentimentInputError) as error:
        sentiment.read_csv_texts(path)
    assert error.value.key == key


def test_classify_returns_probabilities_for_every_label(tiny_model):
    model, tokenizer = tiny_model
    texts = ["great movie , loved it", "terrible boring film", "😀", "这部电影很好看"]
    predictions = sentiment.classify(model, tokenizer, texts, batch_size=3)
    assert [p.text for p in predictions] == texts
    for prediction in predictions:
        assert set(prediction.scores) == {"negative", "positive"}
        assert sum(prediction.scores.values()) == pytest.approx(1.0, abs=1e-5)
        assert prediction.label == max(prediction.scores, key=prediction.scores.get)
        assert prediction.confidence >= 0.5 and not prediction.truncated


def test_classify_truncates_long_texts_and_says_so(tiny_model):
    model, tokenizer = tiny_model
    limit = token_limit(tokenizer, model.config)
    assert limit == 64  # the tiny tokenizer's model_max_length, below the model's 128 positions
    long_text = "great movie " * 50_000  # ~600k characters
    short, long = sentiment.classify(model, tokenizer, ["great movie", long_text])
    assert long.truncated and not short.truncated
    # The truncated text is read as its first `limit` tokens: same scores as that prefix alone.
    content_tokens = limit - tokenizer.num_special_tokens_to_add()
    prefix = tokenizer.decode(tokenizer(long_text, add_special_tokens=False)["input_ids"][:content_tokens])
    (alone,) = sentiment.classify(model, tokenizer, [prefix])
    assert long.scores == pytest.approx(alone.scores, abs=1e-4)


def test_shorten():
    assert sentiment.shorten("abc", None) == sentiment.shorten("abc", 3) == "abc"
    assert sentiment.shorten("abcdef", 4) == "abc…"


def test_results_table_and_csv_round_trip(tiny_model, tmp_path):
    model, tokenizer = tiny_model
    predictions = sentiment.classify(model, tokenizer, ["good acting", "awful , hated it"])
    path = sentiment.write_results_csv(predictions, folder=tmp_path)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(sentiment.RESULT_COLUMNS)
    assert [row[0] for row in rows[1:]] == ["good acting", "awful , hated it"]
    assert [row[1] for row in rows[1:]] == [p.label for p in predictions]
    assert [float(row[2]) for row in rows[1:]] == pytest.approx([p.confidence for p in predictions], abs=1e-4)


def test_classify_is_safe_when_events_share_one_tokenizer(tiny_model):
    """A fast tokenizer keeps its truncation/padding settings on the shared Rust backend; concurrent
    events must not change each other's (a long text read whole, a lost truncation flag)."""
    import torch

    model, tokenizer = tiny_model
    # Over the 64-token limit, and over the model's 128 positions when read whole.
    long_texts = ["terrible boring film , hated it " * 40, "wonderful " * 300]
    short_texts = ["great movie", "good acting", "😀"]
    batches = [[text] for text in long_texts + short_texts] + [short_texts + long_texts, long_texts[::-1]]
    serial = [sentiment.classify(model, tokenizer, batch) for batch in batches]
    assert {p.truncated for predictions in serial for p in predictions} == {True, False}
    threads, calls = 8, 20
    start = threading.Barrier(threads, timeout=60)

    def worker(n: int) -> list[tuple[int, list[sentiment.Prediction]]]:
        start.wait()
        indices = [(n + i) % len(batches) for i in range(calls)]
        return [(i, sentiment.classify(model, tokenizer, batches[i])) for i in indices]

    torch_threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with ThreadPoolExecutor(threads) as pool:
            outcomes = [outcome for done in pool.map(worker, range(threads)) for outcome in done]
    finally:
        torch.set_num_threads(torch_threads)
    assert len(outcomes) == threads * calls
    for index, predictions in outcomes:
        expected = serial[index]
        assert [p.label for p in predictions] == [p.label for p in expected]
        assert [p.truncated for p in predictions] == [p.truncated for p in expected]
        for got, want in zip(predictions, expected, strict=True):
            assert got.scores == pytest.approx(want.scores, abs=1e-5)


def test_results_csv_downloads_are_capped_and_expire(tiny_model, tmp_path):
    model, tokenizer = tiny_model
    predictions = sentiment.classify(model, tokenizer, ["good acting"])
    stale = tmp_path / "sentiment-stale.csv"
    stale.write_text("old")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    unrelated = tmp_path / "notes.txt"  # not a download: never removed
    unrelated.write_text("keep")
    os.utime(unrelated, (hour_ago, hour_ago))
    written = [
        sentiment.write_results_csv(predictions, folder=tmp_path, max_files=3, max_age_s=900) for _ in range(7)
    ]
    left = sorted(tmp_path.glob("sentiment-*.csv"))
    assert len(left) == 3 and not stale.exists() and unrelated.exists()
    assert set(left) == set(written[-3:])  # the newest are kept
    with open(written[-1], newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [list(sentiment.RESULT_COLUMNS), ["good acting", *map(str, [
            predictions[0].label, round(predictions[0].confidence, 4), False])]]


def test_results_csv_goes_to_one_app_folder_by_default(tiny_model):
    model, tokenizer = tiny_model
    path = sentiment.write_results_csv(sentiment.classify(model, tokenizer, ["good acting"]))
    assert path.parent == sentiment.DOWNLOADS_DIR and path.is_file()
    path.unlink()


def test_classify_one_shares_forward_passes_and_matches_classify(tmp_path_factory):
    """Concurrent single texts go through one forward pass (padded together): same scores as alone."""
    from studio.serving.service import load_checkpoint

    folder = make_tiny_bert_classifier(tmp_path_factory.mktemp("tiny") / "bert")
    pipe = load_checkpoint(sentiment.MODEL, str(folder))  # what the tab loads: model, tokenizer, batcher
    texts = ["great movie , loved it", "terrible boring film", "ok", "这部电影很好看 " * 20, "x " * 400]
    alone = sentiment.classify(pipe.model, pipe.tokenizer, texts, batch_size=1)
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda text: sentiment.classify_one(pipe, text), texts * 8))
    for got, want in zip(together, alone * 8, strict=True):
        assert got.text == want.text and got.truncated == want.truncated and got.label == want.label
        assert list(got.scores.values()) == pytest.approx(list(want.scores.values()), abs=1e-5)


def test_a_spanish_download_opens_in_a_spanish_spreadsheet_with_the_users_columns(tiny_model, tmp_path):
    """Excel in Spanish: `;`, a BOM, Spanish headers and labels, decimal commas; `id` and `fecha` kept; a
    Windows-1252 upload read (issue 19); a formula in a cell stays text."""
    model, tokenizer = tiny_model
    upload = tmp_path / "opiniones.csv"
    upload.write_bytes("id;texto;fecha\n7;¡Qué película tan buena!;2024-05-01\n8;  ;2024-05-02\n9;=1+1 mala;2024-05-03\n"
                       .encode("cp1252"))
    source = sentiment.read_csv_input(upload)
    assert (source.texts, source.encoding) == (["¡Qué película tan buena!", "=1+1 mala"], "cp1252")
    predictions = sentiment.classify(model, tokenizer, source.texts)
    path = sentiment.write_results_csv(predictions, folder=tmp_path, lang="es", source=source)
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["id", "texto", "fecha", "sentimiento", "confianza", "recortado"]
    assert [row[:3] for row in rows[1:]] == [["7", "¡Qué película tan buena!", "2024-05-01"],
                                             ["9", "'=1+1 mala", "2024-05-03"]]
    assert all("," in row[4] and "." not in row[4] for row in rows[1:])
    assert [row[3] for row in rows[1:]] == [sentiment.display_label(p.label) for p in predictions]
    assert rows[1][5] == "no"
