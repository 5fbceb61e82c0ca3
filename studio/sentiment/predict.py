"""Sentiment tab logic, free of UI: clean and split input texts, read a CSV, classify, write results.

Everything here works on its arguments (a loaded model and tokenizer are passed in; results are
written to a capped downloads folder), so the tests exercise it without a server;
studio/sentiment/tab.py only wires it to components.
"""

from __future__ import annotations

import csv
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from contract.checkpoint import TEXT_CLASSIFICATION
from contract.escaping import csv_cell
from contract.tables import TEXT_COLUMN_NAMES, TableError, read_table
from contract.tokens import token_limit
from studio.answers.about import display_label
from studio.errors import StudioError
from studio.i18n import percent, t
from studio.serving.service import ModelService, tokenizer_lock

# Online without a local checkpoint: a model that reads Spanish too (the course's choice), 1 to 5 stars.
HUB_DEFAULT = "nlptown/bert-base-multilingual-uncased-sentiment"
# Shown when no model is available (offline, nothing trained yet). tests/training/test_text.py checks
# that `training.modalities.text` accepts exactly these arguments.
TRAIN_COMMAND = (
    "python -m training text --data-dir ../shared/data/sst2 --base-model distilbert-base-uncased "
    "--label-names negative,positive --strategy full --epochs 1 --max-train-samples 4000 --max-length 0 "
    "--group-by-length --name sst2-distilbert"
)
MAX_BATCH_ROWS = 500  # a batch or CSV is cut to this many texts; the user is told
# ... and to this many characters (why: docs/RESULTS.md, serving). Each text counts
# for at most MAX_TEXT_CHARS, since no more is read of it (see `chars_read`).
MAX_BATCH_CHARS = 100_000
MAX_TEXT_CHARS = 5_120
CHARS_PER_TOKEN_READ = 10  # a model that reads N tokens is given N × this many characters of a text
TABLE_TEXT_CHARS = 120  # texts in the on-screen table are cut to this; the CSV keeps them whole
BATCH_SIZE = 16  # texts per forward pass
RESULT_COLUMNS = ("text", "label", "confidence", "truncated")  # the CSV download, machine-readable
# The on-screen table: the answer first, text clipped; each column's header key.
DISPLAY_COLUMNS = {"label": "sentiment.col.label", "confidence": "sentiment.col.confidence",
                   "text": "sentiment.col.text", "truncated": "sentiment.col.truncated"}
# Batch results to download. Gradio copies a returned file into its own cache, so ours only has to
# outlive the event: each new download removes the ones past the age or count limit.
DOWNLOADS_DIR = Path(tempfile.gettempdir()) / "studio-downloads"
MAX_DOWNLOADS = 100
MAX_DOWNLOAD_AGE_S = 15 * 60
DOWNLOAD_PREFIX = "sentiment-"
# How a spreadsheet in each UI language reads a CSV: (delimiter, decimal mark, file encoding). Excel in
# Spanish splits on `;` (the comma is its decimal mark) and needs a BOM to read UTF-8.
SPREADSHEETS = {"es": (";", ",", "utf-8-sig"), "en": (",", ".", "utf-8")}
SPREADSHEET_COLUMNS = {"text": "sentiment.csv.col.text", "label": "sentiment.csv.col.label",
                       "confidence": "sentiment.csv.col.confidence", "truncated": "sentiment.csv.col.truncated"}

EXAMPLES = [
    "This movie was absolutely wonderful, I loved every minute of it!",
    "The plot was boring and the acting was terrible.",
    "¡Qué película tan maravillosa, me encantó!",
    "El servicio fue lento y la comida llegó fría.",
]


class SentimentInputError(StudioError, ValueError):
    """Input the sentiment tab rejects; `key` names the UI string (studio/sentiment/strings.py) that explains it."""


@dataclass(frozen=True)
class Prediction:
    text: str
    scores: dict[str, float]  # label -> probability, highest first
    truncated: bool

    @property
    def label(self) -> str:
        return next(iter(self.scores))

    @property
    def confidence(self) -> float:
        return next(iter(self.scores.values()))


def clean_user_text(text: str | None) -> str:
    """Drop control characters (keeping newlines and tabs as spaces) and surrounding whitespace.

    Raises SentimentInputError("sentiment.error.empty") when nothing is left.
    """
    kept = []
    for char in text or "":
        if char in "\t\n\r":
            kept.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cs"):  # controls; lone surrogates cannot be encoded
            kept.append(char)
    cleaned = "".join(kept).strip()
    if not cleaned:
        raise SentimentInputError("sentiment.error.empty")
    return cleaned


def cap_batch(texts: list[str]) -> tuple[list[str], int]:
    """The first texts within MAX_BATCH_ROWS and MAX_BATCH_CHARS (always at least one), and how many
    were dropped."""
    total = 0
    for count, text in enumerate(texts[:MAX_BATCH_ROWS]):
        total += min(len(text), MAX_TEXT_CHARS)
        if total > MAX_BATCH_CHARS and count > 0:
            return texts[:count], len(texts) - count
    kept = texts[:MAX_BATCH_ROWS]
    return kept, len(texts) - len(kept)


def texts_from_lines(text: str | None) -> list[str]:
    """One text per non-blank line, cleaned. Raises SentimentInputError when there is none."""
    lines = []
    for line in (text or "").splitlines():
        try:
            lines.append(clean_user_text(line))
        except SentimentInputError:
            continue
    if not lines:
        raise SentimentInputError("sentiment.error.empty")
    return lines


def pick_text_column(columns: list[str]) -> str:
    """The column holding the texts: a well-known name, or the only column; never a guess (an `id`
    column classified as text would be a silently wrong answer)."""
    by_name = {str(name).strip().lower(): name for name in columns}
    for candidate in TEXT_COLUMN_NAMES:
        if candidate in by_name:
            return by_name[candidate]
    if len(columns) == 1:
        return columns[0]
    shown = ", ".join(" ".join(str(name).split())[:40] for name in columns[:10])
    raise SentimentInputError("sentiment.error.csv_no_text_column", columns=shown,
                              accepted=", ".join(TEXT_COLUMN_NAMES))


@dataclass
class CsvInput:
    """An uploaded CSV: the texts to classify, and each one's whole row (the download keeps the other columns)."""

    texts: list[str]
    header: list[str]
    rows: list[list[str]]
    encoding: str = "utf-8"  # "cp1252": not UTF-8, read as Excel's Windows-1252 (the tab says so)


def read_csv_texts(path: str | Path) -> list[str]:
    """Texts from an uploaded CSV/TSV with a header row (delimiter sniffed); blank rows skipped."""
    return read_csv_input(path).texts


# contract.tables.read_table's refusals, in this tab's words (an upload that is no table at all: csv_binary)
TABLE_ERRORS = {"table.encoding": "sentiment.error.csv_encoding", "table.binary": "sentiment.error.csv_binary",
                "table.empty": "sentiment.error.csv_empty", "table.field_too_long": "sentiment.error.csv_field_too_long",
                "table.parse": "sentiment.error.csv_parse", "table.header": "sentiment.error.csv_parse",
                "table.json": "sentiment.error.csv_parse", "table.format": "sentiment.error.csv_binary"}


def read_csv_input(path: str | Path) -> CsvInput:
    """The texts of an uploaded CSV/TSV with a header row (contract.tables.read_table: delimiter sniffed,
    UTF-8 or Windows-1252) and their rows; blank ones skipped."""
    try:
        table = read_table(path, strict=True, sniff=True, windows_1252=True)
    except OSError as error:
        raise SentimentInputError("sentiment.error.csv_read", reason=str(error)) from error
    except TableError as error:
        fields = {"line": error.fields.get("line", "?"), "max_chars": error.fields.get("max_chars", "")}
        raise SentimentInputError(TABLE_ERRORS.get(error.key, "sentiment.error.csv_parse"), **fields) from None
    header = [str(column) for column in table.columns]
    index = header.index(pick_text_column(header))
    texts, kept = [], []
    for row in table.rows:
        cells = ["" if row.get(name) is None else str(row.get(name)) for name in header]
        try:
            texts.append(clean_user_text(cells[index]))
        except SentimentInputError:
            continue
        kept.append(cells)
    if not texts:
        raise SentimentInputError("sentiment.error.csv_empty")
    return CsvInput(texts, header, kept, table.encoding)


def model_token_limit(classifier) -> int:
    """How many tokens a loaded model reads (contract.tokens.token_limit)."""
    return token_limit(classifier.tokenizer, classifier.model.config)


def chars_read(limit: int) -> int:
    """How much of a text a model that reads `limit` tokens is given: more would be cut anyway."""
    return min(MAX_TEXT_CHARS, limit * CHARS_PER_TOKEN_READ)


def encode_batch(tokenizer, texts: list[str], limit: int) -> tuple[dict, list[int]]:
    """Model inputs (truncated to `limit` tokens, padded) and each text's length in tokens (a text cut to
    `chars_read(limit)` characters counts as longer than `limit`)."""
    cut = chars_read(limit)
    was_cut = [len(text) > cut for text in texts]
    texts = [text[:cut] for text in texts]
    with tokenizer_lock(tokenizer):
        lengths = [len(ids) for ids in tokenizer(texts, verbose=False)["input_ids"]]
        full_lengths = [limit + 1 if cut_off else length for cut_off, length in zip(was_cut, lengths, strict=True)]
        encoded = tokenizer(texts, truncation=True, max_length=limit, padding=True, return_tensors="pt")
    return encoded, full_lengths


def classify(model, tokenizer, texts: list[str], batch_size: int = BATCH_SIZE) -> list[Prediction]:
    """Probabilities for every label of each text; texts over the token limit are truncated and flagged.

    Safe to call from concurrent events with one shared model and tokenizer.
    """
    import torch

    limit = token_limit(tokenizer, model.config)
    id2label = model.config.id2label
    predictions = []
    model.eval()
    for start in range(0, len(texts), batch_size):
        batch = texts[start : start + batch_size]
        encoded, full_lengths = encode_batch(tokenizer, batch, limit)
        with torch.inference_mode():
            probabilities = model(**encoded).logits.float().softmax(dim=-1)
        for text, length, row in zip(batch, full_lengths, probabilities.tolist(), strict=True):
            ranked = sorted(enumerate(row), key=lambda pair: -pair[1])
            scores = {str(id2label.get(i, i)): float(p) for i, p in ranked}
            predictions.append(Prediction(text, scores, truncated=length > limit))
    return predictions


def classify_one(pipe, text: str) -> Prediction:
    """`classify(pipe.model, pipe.tokenizer, [text])[0]`, sharing the forward pass with the other
    single texts being classified at the same moment (`pipe.batcher`, studio/serving/service.py)."""
    return pipe.batcher.submit(text)


def classify_with(pipe, texts: list[str]) -> list[Prediction]:
    return classify(pipe.model, pipe.tokenizer, texts)


MODEL = ModelService("sentiment", TEXT_CLASSIFICATION, HUB_DEFAULT, TRAIN_COMMAND, forward=classify_with)


def shorten(text: str, max_chars: int | None) -> str:
    return text if max_chars is None or len(text) <= max_chars else text[: max_chars - 1] + "…"


def results_table(predictions: list[Prediction], max_chars: int | None = None) -> list[list]:
    """Rows for the CSV download: text (cut to `max_chars`), label, confidence (0..1), truncated."""
    return [[shorten(p.text, max_chars), p.label, round(p.confidence, 4), p.truncated] for p in predictions]


def display_table(predictions: list[Prediction], max_chars: int = TABLE_TEXT_CHARS) -> list[list]:
    """Rows for the on-screen table, in the user's language: label translated, confidence a percentage."""
    yes, no = t("sentiment.col.yes"), t("sentiment.col.no")
    return [[display_label(p.label), percent(p.confidence), shorten(p.text, max_chars), yes if p.truncated else no]
            for p in predictions]


def display_headers() -> list[str]:
    return [t(key) for key in DISPLAY_COLUMNS.values()]


def remove_old_downloads(folder: Path, keep: int, max_age_s: float) -> None:
    """Delete our downloads in `folder` older than `max_age_s`, then all but the `keep` newest."""
    ages = []
    for path in folder.glob(f"{DOWNLOAD_PREFIX}*.csv"):
        try:
            ages.append((path.stat().st_mtime, path))
        except OSError:  # removed meanwhile by a concurrent download
            continue
    ages.sort(reverse=True)
    oldest_kept = time.time() - max_age_s
    for rank, (modified, path) in enumerate(ages):
        if rank >= keep or modified < oldest_kept:
            path.unlink(missing_ok=True)


def spreadsheet_rows(predictions: list[Prediction], lang: str, source: CsvInput | None) -> list[list]:
    """Header and rows as a spreadsheet in `lang` opens them: the user's own columns first (when the texts
    came from a CSV), then the answer with translated headers and labels, numbers written the language's way;
    every cell inert (a text starting with `=` stays text)."""
    results = [t(SPREADSHEET_COLUMNS[column], lang=lang) for column in RESULT_COLUMNS[1:]]
    yes, no = t("sentiment.col.yes", lang=lang), t("sentiment.col.no", lang=lang)
    answers = [[display_label(p.label) if lang == "es" else p.label,
                f"{p.confidence:.4f}".replace(".", SPREADSHEETS[lang][1]), yes if p.truncated else no]
               for p in predictions]
    if source is None:
        header = [t(SPREADSHEET_COLUMNS["text"], lang=lang), *results]
        rows = [[p.text, *answer] for p, answer in zip(predictions, answers, strict=True)]
    else:
        header = [*source.header, *results]
        width = len(source.header)
        rows = [[*(row + [""] * width)[:width], *answer] for row, answer in zip(source.rows, answers, strict=False)]
    return [[csv_cell(cell) for cell in row] for row in [header, *rows]]


def write_results_csv(
    predictions: list[Prediction],
    folder: str | Path | None = None,
    max_files: int = MAX_DOWNLOADS,
    max_age_s: float = MAX_DOWNLOAD_AGE_S,
    lang: str | None = None,
    source: CsvInput | None = None,
) -> Path:
    """The batch results as a new CSV file in `folder` (DOWNLOADS_DIR by default), which then holds at
    most `max_files` downloads, none older than `max_age_s` but this one. lang None: machine-readable
    (RESULT_COLUMNS, commas, UTF-8); "es": what a Spanish spreadsheet opens (`;`, a BOM, Spanish headers
    and labels, decimal commas); "en": English headers, commas. Both keep the user's other columns."""
    folder = Path(folder or DOWNLOADS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    remove_old_downloads(folder, keep=max_files - 1, max_age_s=max_age_s)
    delimiter, _decimal, encoding = SPREADSHEETS.get(lang or "", (",", ".", "utf-8"))
    with tempfile.NamedTemporaryFile(
        "w", suffix=".csv", prefix=DOWNLOAD_PREFIX, dir=folder, delete=False, newline="", encoding=encoding
    ) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        if lang is None:
            writer.writerow(RESULT_COLUMNS)
            writer.writerows(results_table(predictions))
        else:
            writer.writerows(spreadsheet_rows(predictions, lang, source))
    return Path(handle.name)
