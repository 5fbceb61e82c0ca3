"""Sentiment tab: one text -> label + confidence; many lines or a CSV -> a table and a CSV to download.

Components and wiring only; the logic is in studio/sentiment.py. The model is resolved on every
request (a newly trained checkpoint is picked up without a restart) and loaded once (MODEL_CACHE).
"""

from __future__ import annotations

import gradio as gr

from studio import models, sentiment
from studio.strings import t
from studio.tabs.common import load_tab_pipeline, resolve_tab_model, user_error, warm_up_tab


def resolve() -> models.ModelChoice:
    no_model = t("sentiment.no_model", command=sentiment.TRAIN_COMMAND)
    return resolve_tab_model("sentiment", sentiment.TASK, sentiment.HUB_DEFAULT, no_model)


def load() -> tuple[models.ModelChoice, object]:
    """The chosen model as a cached transformers pipeline, or a gr.Error saying how to get one."""
    choice = resolve()
    return choice, load_tab_pipeline(sentiment.TASK, choice)


def run(texts: list[str]) -> tuple[list[sentiment.Prediction], str, int]:
    choice, pipe = load()
    predictions = sentiment.classify(pipe.model, pipe.tokenizer, texts)
    return predictions, models.describe_model(choice), sentiment.token_limit(pipe.tokenizer, pipe.model)


def warm_up() -> None:
    warm_up_tab("sentiment", sentiment.TASK, sentiment.HUB_DEFAULT)


def predict_one(text: str) -> tuple[dict[str, float], str]:
    try:
        cleaned = sentiment.clean_text(text)
    except sentiment.InputError as error:
        raise user_error(error) from error
    predictions, answered, limit = run([cleaned])
    notes = [answered] + ([t("sentiment.truncated", limit=limit)] if predictions[0].truncated else [])
    return predictions[0].scores, "\n\n".join(notes)


def predict_many(texts: list[str]) -> tuple[list[list], str, str]:
    texts, dropped = sentiment.cap_rows(texts)
    predictions, answered, limit = run(texts)
    notes = [t("sentiment.batch.summary", count=len(predictions)), answered]
    truncated = sum(p.truncated for p in predictions)
    if truncated:
        notes.append(t("sentiment.batch.truncated", count=truncated, limit=limit))
    if dropped:
        notes.append(t("sentiment.batch.capped", max=sentiment.MAX_BATCH_ROWS, dropped=dropped))
    table = sentiment.results_table(predictions, sentiment.TABLE_TEXT_CHARS)
    return table, str(sentiment.write_results_csv(predictions)), "\n\n".join(notes)


def predict_lines(text: str) -> tuple[list[list], str, str]:
    try:
        texts = sentiment.split_lines(text)
    except sentiment.InputError as error:
        raise user_error(error) from error
    return predict_many(texts)


def predict_csv(path: str | None) -> tuple[list[list], str, str]:
    if not path:
        raise user_error(t("sentiment.error.no_csv"))
    try:
        texts = sentiment.read_csv_texts(path)
    except sentiment.InputError as error:
        raise user_error(error) from error
    return predict_many(texts)


def startup_note() -> str:
    try:
        return models.describe_model(resolve())
    except gr.Error as error:
        return error.message


def build(demo: gr.Blocks) -> None:
    gr.Markdown(t("sentiment.intro"))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("sentiment.input"), placeholder=t("sentiment.placeholder"), lines=3,
                              elem_id="sentiment-text")
            button = gr.Button(t("sentiment.button"), variant="primary", elem_id="sentiment-button")
            gr.Examples(sentiment.EXAMPLES, inputs=text, label=t("sentiment.examples"))
        with gr.Column():
            label = gr.Label(label=t("sentiment.result"), num_top_classes=3, elem_id="sentiment-label")
            answered = gr.Markdown(startup_note(), elem_id="sentiment-answered")
    button.click(predict_one, inputs=text, outputs=[label, answered], api_name="predict_sentiment")

    with gr.Accordion(t("sentiment.batch.title"), open=False):
        with gr.Row():
            lines = gr.Textbox(label=t("sentiment.batch.input"), lines=5)
            upload = gr.File(label=t("sentiment.csv.input"), file_types=[".csv", ".tsv", ".txt"])
        with gr.Row():
            lines_button = gr.Button(t("sentiment.batch.button"))
            csv_button = gr.Button(t("sentiment.csv.button"))
        table = gr.Dataframe(
            headers=list(sentiment.RESULT_COLUMNS), label=t("sentiment.batch.table"), interactive=False, wrap=True
        )
        download = gr.File(label=t("sentiment.batch.download"), interactive=False)
        batch_note = gr.Markdown()
    outputs = [table, download, batch_note]
    lines_button.click(predict_lines, inputs=lines, outputs=outputs, api_name="predict_sentiment_batch")
    csv_button.click(predict_csv, inputs=upload, outputs=outputs, api_name="predict_sentiment_csv")
