"""Sentiment tab: one text -> label + confidence; many lines or a CSV -> a table and a CSV to download.

Components and wiring only; the logic is in studio/sentiment.py, the model path in studio/serving.py.
"""

from __future__ import annotations

import gradio as gr

from studio import sentiment
from studio.models import describe_model
from studio.sentiment import MODEL
from studio.strings import t
from studio.tabs.common import answer, checked, model_picker, picker_update, user_error

# Single texts classified at once: their forward passes are shared (studio.batching).
ONE_TEXT_CONCURRENCY = 8
BATCH_QUEUE = "sentiment-batch"


def classify_texts(texts: list[str], model: str | None = "") -> tuple[list[sentiment.Prediction], str, int]:
    """(predictions, which model answered, its token limit) through the tab's model path."""

    def predict(choice, pipe):
        predictions = sentiment.classify(pipe.model, pipe.tokenizer, texts)
        return predictions, describe_model(choice), sentiment.token_limit(pipe.tokenizer, pipe.model)

    return answer(MODEL, predict, model)


def predict_one(text: str, model: str | None = "") -> tuple[dict[str, float], str]:
    cleaned = checked(sentiment.clean_user_text, text)

    def predict(choice, pipe):
        prediction = sentiment.classify_one(pipe, cleaned)
        limit = sentiment.token_limit(pipe.tokenizer, pipe.model)
        notes = [describe_model(choice)] + ([t("sentiment.truncated", limit=limit)] if prediction.truncated else [])
        return prediction.scores, "\n\n".join(notes)

    return answer(MODEL, predict, model)


def predict_many(texts: list[str], model: str | None = "") -> tuple[list[list], str, str]:
    texts, dropped = sentiment.cap_batch(texts)
    predictions, answered, limit = classify_texts(texts, model)
    notes = [t("sentiment.batch.summary", count=len(predictions)), answered]
    truncated = sum(p.truncated for p in predictions)
    if truncated:
        notes.append(t("sentiment.batch.truncated", count=truncated, limit=limit))
    if dropped:
        notes.append(t("sentiment.batch.capped", count=len(texts), max=sentiment.MAX_BATCH_ROWS,
                       max_chars=f"{sentiment.MAX_BATCH_CHARS:,}", dropped=dropped))
    table = sentiment.results_table(predictions, sentiment.TABLE_TEXT_CHARS)
    return table, str(sentiment.write_results_csv(predictions)), "\n\n".join(notes)


def predict_lines(text: str, model: str | None = "") -> tuple[list[list], str, str]:
    return predict_many(checked(sentiment.texts_from_lines, text), model)


def predict_csv(path: str | None, model: str | None = "") -> tuple[list[list], str, str]:
    if not path:
        raise user_error(t("sentiment.error.no_csv"))
    return predict_many(checked(sentiment.read_csv_texts, path), model)


def model_status(model: str | None = "") -> str:
    """Which model answers (or how to get one) for the picked model; never raises."""
    return MODEL.status(model)[1]


def page_status(model: str | None = "") -> tuple[dict, str]:
    """The model picker's choices and the model line, computed on every page load."""
    return picker_update(MODEL, model), model_status(model)


def warm_up() -> None:
    MODEL.warm_up()


def build(demo: gr.Blocks) -> None:
    gr.Markdown(t("sentiment.intro"))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("sentiment.input"), placeholder=t("sentiment.placeholder"), lines=3,
                              elem_id="sentiment-text")
            button = gr.Button(t("sentiment.button"), variant="primary", elem_id="sentiment-button")
            picker = model_picker(MODEL)
            gr.Examples(sentiment.EXAMPLES, inputs=text, label=t("sentiment.examples"))
        with gr.Column():
            label = gr.Label(label=t("sentiment.result"), num_top_classes=3, elem_id="sentiment-label")
            answered = gr.Markdown(elem_id="sentiment-answered", label=t("model.answered_label"))
    demo.load(page_status, inputs=picker, outputs=[picker, answered], api_name="sentiment_status",
              api_description=t("sentiment.api.status"))
    picker.input(model_status, inputs=picker, outputs=answered, api_name="sentiment_model",
                 api_description=t("sentiment.api.model"))
    button.click(predict_one, inputs=[text, picker], outputs=[label, answered], api_name="predict_sentiment",
                 api_description=t("sentiment.api.one"), concurrency_limit=ONE_TEXT_CONCURRENCY)

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
        batch_note = gr.Markdown(label=t("sentiment.batch.note"))
    outputs = [table, download, batch_note]
    # Batches (up to MAX_BATCH_CHARS each) take turns: one at a time, whichever button started it.
    lines_button.click(predict_lines, inputs=[lines, picker], outputs=outputs, api_name="predict_sentiment_batch",
                       api_description=t("sentiment.api.lines"), concurrency_limit=1, concurrency_id=BATCH_QUEUE)
    csv_button.click(predict_csv, inputs=[upload, picker], outputs=outputs, api_name="predict_sentiment_csv",
                     api_description=t("sentiment.api.csv"), concurrency_limit=1, concurrency_id=BATCH_QUEUE)
