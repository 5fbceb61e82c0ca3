"""studio/sentiment.py: input cleaning, CSV reading, classification and results, without the UI."""

from __future__ import annotations

import csv

import pytest

from studio import sentiment
from tests.tiny import make_tiny_bert_classifier


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
    ],
)
def test_clean_text_keeps_meaning_and_drops_control_characters(raw, cleaned):
    assert sentiment.clean_user_text(raw) == cleaned


@pytest.mark.parametrize("raw", [None, "", "   ", "\n\t\r", "\x00\x01\x02", " \x0b\x0c "])
def test_clean_text_rejects_empty_input(raw):
    with pytest.raises(sentiment.SentimentInputError) as error:
        sentiment.clean_user_text(raw)
    assert error.value.key == "sentiment.error.empty"


def test_split_lines_skips_blank_lines_and_rejects_all_blank():
    assert sentiment.texts_from_lines("good\n\n  \nbad\x00 film\r\n") == ["good", "bad film"]
    with pytest.raises(sentiment.SentimentInputError):
        sentiment.texts_from_lines("\n  \n\x00\n")


def test_cap_rows():
    assert sentiment.cap_rows(["a", "b"]) == (["a", "b"], 0)
    texts, dropped = sentiment.cap_rows(["x"] * (sentiment.MAX_BATCH_ROWS + 7))
    assert len(texts) == sentiment.MAX_BATCH_ROWS and dropped == 7


@pytest.mark.parametrize(
    ("columns", "expected"),
    [(["id", "Sentence", "label"], "Sentence"), (["review", "stars"], "review"), (["comment", "x"], "comment")],
)
def test_pick_text_column(columns, expected):
    assert sentiment.pick_text_column(columns) == expected


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
        ("text\nbuena\n".encode("latin-1") + "película mañana\n".encode("latin-1"), "sentiment.error.csv_encoding"),
        (b"", "sentiment.error.csv_empty"),
        (b"text\n\n   \n", "sentiment.error.csv_empty"),
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
    limit = sentiment.token_limit(tokenizer, model)
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
