"""Sentiment tab: one text -> label + confidence (and why); many lines or a CSV -> a table and a CSV.

The logic is in studio/sentiment/predict.py, the model's path in studio/serving/service.py.
Every answer is tied to its input: a new text or an error clears the previous result.
"""

from __future__ import annotations

import time

import gradio as gr
import pandas as pd

from contract.escaping import markdown_text
from contract.visitors import OPERATOR
from studio import config
from studio.answers.about import (
    about_model,
    answering_model,
    confusion_matrix_image,
    describe_model,
    display_label,
    display_scores,
)
from studio.answers.confidence import score_notes
from studio.answers.language import language_names, language_notes, model_languages
from studio.errors import StudioError
from studio.feedback import wrong_answer
from studio.i18n import t
from studio.sentiment import predict as sentiment
from studio.sentiment.predict import MODEL
from studio.serving import memory
from studio.serving.admission import ADMITTED, Lane
from studio.ui import checked_size, model_picker, picker_update, shown_image, shows_errors, watch_first_model
from studio.visitors import after_visit, owner_of

# Single texts classified at once: their forward passes are shared (`loaded.batcher`).
ONE_TEXT_CONCURRENCY = 8
BATCH_QUEUE = "sentiment-batch"
EXPLAIN_LANE = Lane(first_guess_s=1.0)  # explanations one at a time; too long a wait is refused at once


def read_part(text: str | None) -> str:
    """The part of a text the model reads, cut before any other work: a 10 MB text cost 27 s and +1.4 GB
    to clean, detect and explain, for a model that reads its first MAX_TEXT_CHARS characters."""
    return (text or "")[:sentiment.MAX_TEXT_CHARS]


@shows_errors
def predict_one(text: str, model: str | None = "", request: gr.Request = None) -> tuple[dict[str, float], str]:
    """(labels with probabilities, which model answered + caveats + time).

    Args:
        text: the text whose sentiment is asked (any language; the answer says which ones the model reads).
        model: which model answers: "" for the tab's default, else a checkpoint name the tab's picker lists.
    """
    cleaned = sentiment.clean_user_text(read_part(text))
    with MODEL.serving(model, owner_of(request)) as (choice, classifier):
        started = time.perf_counter()
        prediction = sentiment.classify_one(classifier, cleaned)
        took = t("model.took", ms=f"{(time.perf_counter() - started) * 1000:.0f}")
        notes = [f"{describe_model(choice)} · {took}", *language_notes(cleaned, choice),
                 *score_notes(prediction.scores, choice.metrics)]
        if prediction.truncated:
            notes.append(t("sentiment.truncated", limit=sentiment.model_token_limit(classifier)))
        return display_scores(prediction.scores), "\n\n".join(notes)


@shows_errors
def explain_text_answer(text: str, model: str | None = "",
                        request: gr.Request = None) -> tuple[list[tuple[str, float]], str]:
    """Each word with how much it pushed towards the answer (HighlightedText), and what it shows."""
    from studio.answers.explain import explain_text

    cleaned = sentiment.clean_user_text(read_part(text))
    with EXPLAIN_LANE.turn(), MODEL.serving(model, owner_of(request)) as (_choice, classifier):
        try:
            found = explain_text(classifier, cleaned)
        finally:
            memory.give_back()
        return found.highlighted(), t("sentiment.explain.result", label=markdown_text(display_label(found.label)),
                                      seconds=f"{found.seconds:.1f}")


def predict_many(texts: list[str], model: str | None = "", source: sentiment.CsvInput | None = None,
                 owner: str = OPERATOR) -> tuple[pd.DataFrame, str, str]:
    """(the table, the CSV download, the notes) for a batch of cleaned texts, cut to the batch limits; the
    download opens in the visitor's spreadsheet and keeps the other columns of an uploaded CSV (`source`)."""
    texts, dropped = sentiment.cap_batch(texts)
    with MODEL.serving(model, owner) as (choice, classifier):
        predictions = sentiment.classify(classifier.model, classifier.tokenizer, texts)
        limit = sentiment.model_token_limit(classifier)
    notes = [t("sentiment.batch.summary", count=len(predictions)), describe_model(choice)]
    truncated = sum(p.truncated for p in predictions)
    if truncated:
        notes.append(t("sentiment.batch.truncated", count=truncated, limit=limit))
    if dropped:
        notes.append(t("sentiment.batch.capped", count=len(texts), max=sentiment.MAX_BATCH_ROWS,
                       max_chars=f"{sentiment.MAX_BATCH_CHARS:,}", dropped=dropped))
    if source is not None and source.encoding == "cp1252":
        notes.append(t("sentiment.csv.windows_1252"))
    table = pd.DataFrame(sentiment.display_table(predictions), columns=sentiment.display_headers())
    download = sentiment.write_results_csv(predictions, lang=config.language(), source=source)
    return table, str(download), "\n\n".join(notes)


@shows_errors
def predict_lines(text: str, model: str | None = "", request: gr.Request = None) -> tuple[pd.DataFrame, str, str]:
    """(the table, the CSV download, the notes) for several texts.

    Args:
        text: the texts, one per line (at most the tab's batch limits; the notes say what was cut).
        model: which model answers: "" for the tab's default, else a checkpoint name the tab's picker lists.
    """
    return predict_many(sentiment.texts_from_lines(text), model, owner=owner_of(request))


@shows_errors
def predict_csv(path: str | None, model: str | None = "", request: gr.Request = None) -> tuple[pd.DataFrame, str, str]:
    if not path:
        raise StudioError("sentiment.error.no_csv")
    source = sentiment.read_csv_input(checked_size(path, config.max_file_size(), "STUDIO_MAX_FILE_SIZE"))
    return predict_many(source.texts, model, source, owner_of(request))


def model_status(model: str | None = "", request: gr.Request = None) -> tuple[str, str, object]:
    """(which model answers and the languages it reads, about the model, its confusion matrix); never raises."""
    choice, status = answering_model(MODEL, model, owner_of(request))
    if choice is None:
        return status, status, shown_image(None)
    languages = model_languages(choice)
    if languages:
        status += "\n\n" + t("sentiment.language.reads", languages=language_names(languages))
    labels = list(choice.metrics.get("label_names") or [])
    return status, about_model(choice, labels), shown_image(confusion_matrix_image(choice))


def page_status(model: str | None = "", request: gr.Request = None) -> tuple[dict, str, str, object]:
    """The model picker's choices (the visitor's own runs among them) and the model lines, on every page load."""
    return picker_update(MODEL, model, owner_of(request)), *model_status(model, request)


def cleared() -> tuple[None, str, None, str]:
    """What a new text resets: the label, the answer line, the word highlights, their note."""
    return None, "", None, ""


def warm_up() -> None:
    MODEL.warm_up()


def build(demo: gr.Blocks) -> None:
    gr.Markdown(t("sentiment.intro"))
    with gr.Row():
        with gr.Column():
            text = gr.Textbox(label=t("sentiment.input"), placeholder=t("sentiment.placeholder"), lines=3,
                              elem_id="sentiment-text")
            with gr.Row():
                button = gr.Button(t("sentiment.button"), variant="primary", elem_id="sentiment-button")
                explain = gr.Button(t("sentiment.explain"), elem_id="sentiment-explain")
            picker = model_picker(MODEL)
            examples = gr.Examples(sentiment.EXAMPLES, inputs=text, label=t("sentiment.examples"),
                                   api_name="sentiment_example_input")
        with gr.Column():
            label = gr.Label(label=t("sentiment.result"), num_top_classes=3, elem_id="sentiment-label")
            answered = gr.Markdown(elem_id="sentiment-answered", label=t("model.answered_label"))
            words = gr.HighlightedText(label=t("sentiment.explain.words"), combine_adjacent=False,
                                       show_legend=False, elem_id="sentiment-words")
            words_note = gr.Markdown(label=t("sentiment.explain.note"))
    with gr.Accordion(t("sentiment.info"), open=False):
        about = gr.Markdown(label=t("sentiment.info"))
        matrix = gr.Image(label=t("about.matrix"), type="pil", interactive=False, height=360)
    wrong_answer.build(demo, MODEL, text, picker)

    result = [label, answered, words, words_note]
    text.input(cleared, outputs=result, queue=False, api_visibility="private", show_progress="hidden")
    after_visit(page_status, inputs=picker, outputs=[picker, answered, about, matrix], api_name="sentiment_status",
                api_description=t("sentiment.api.status"))
    watch_first_model(demo, MODEL, page_status, inputs=picker, outputs=[picker, answered, about, matrix])
    picker.input(model_status, inputs=picker, outputs=[answered, about, matrix], api_name="sentiment_model",
                 api_description=t("sentiment.api.model"))
    for trigger, api_name in ((button.click, "predict_sentiment"), (examples.load_input_event.then, "sentiment_example")):
        trigger(cleared, outputs=result, queue=False, api_visibility="private", show_progress="hidden").then(
            predict_one, inputs=[text, picker], outputs=[label, answered], api_name=api_name,
            api_description=t("sentiment.api.one"), concurrency_limit=ONE_TEXT_CONCURRENCY,
            concurrency_id="sentiment-one")
    explain.click(explain_text_answer, inputs=[text, picker], outputs=[words, words_note],
                  api_name="explain_sentiment", api_description=t("sentiment.api.explain"),
                  concurrency_limit=ADMITTED)  # one at a time in EXPLAIN_LANE

    with gr.Accordion(t("sentiment.batch.title"), open=False):
        with gr.Row():
            lines = gr.Textbox(label=t("sentiment.batch.input"), lines=5)
            upload = gr.File(label=t("sentiment.csv.input"), file_types=[".csv", ".tsv", ".txt"])
        with gr.Row():
            lines_button = gr.Button(t("sentiment.batch.button"))
            csv_button = gr.Button(t("sentiment.csv.button"))
        table = gr.Dataframe(headers=sentiment.display_headers(), label=t("sentiment.batch.table"),
                             interactive=False, wrap=True, column_widths=["18%", "12%", "60%", "10%"])
        download = gr.File(label=t("sentiment.batch.download"), interactive=False)
        batch_note = gr.Markdown(label=t("sentiment.batch.note"))
    outputs = [table, download, batch_note]
    # Batches (up to MAX_BATCH_CHARS each) take turns: one at a time, whichever button started it.
    lines_button.click(predict_lines, inputs=[lines, picker], outputs=outputs, api_name="predict_sentiment_batch",
                       api_description=t("sentiment.api.lines"), concurrency_limit=1, concurrency_id=BATCH_QUEUE)
    csv_button.click(predict_csv, inputs=[upload, picker], outputs=outputs, api_name="predict_sentiment_csv",
                     api_description=t("sentiment.api.csv"), concurrency_limit=1, concurrency_id=BATCH_QUEUE)
