"""Train tab: explore data, train in a separate process with live curves, compare runs, share on the Hub.

Components and wiring only: data checks in studio/train/preview.py + studio/train/zip_intake.py (staged by
studio/train/data.py), requests in studio/train/start.py, the job process in studio/train/jobs.py,
what a job looks like in studio/train/view.py, the Runs table in studio/train/runs.py.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import pandas as pd
from gradio.context import Context
from PIL import Image

from contract.checkpoint import IMAGE_CLASSIFICATION, TEXT_CLASSIFICATION, list_checkpoints
from contract.errors import KeyedError
from contract.images import open_rgb
from studio import config
from studio.strings import t
from studio.train import data as train_data
from studio.train import runs
from studio.train.jobs import list_jobs, read_job, runner_for
from studio.train.preview import DataReport
from studio.train.push import push_checkpoint
from studio.train.start import (
    STRATEGIES,
    base_model_options,
    baseline_job,
    mark_data_used,
    resumable_job,
    training_job,
)
from studio.train.view import job_view
from studio.train.zip_intake import DataError
from studio.ui import user_error

POLL_S = 2
THUMBNAIL = 160
TEXT_SUFFIXES = (".csv", ".tsv", ".jsonl", ".json", ".txt")
RUN_TASKS = {"image": IMAGE_CLASSIFICATION, "text": TEXT_CLASSIFICATION}


def models_dir() -> Path:
    return config.models_dir()


def runner():
    return runner_for(models_dir(), config.train_max_minutes() * 60)


# ---------------------------------------------------------------- 1. data


def source_fields(source: str) -> tuple[dict, dict, dict]:
    """Visibility of the upload, folder and Hub-id fields for a data source."""
    return (gr.update(visible=source == "upload"), gr.update(visible=source == "folder"),
            gr.update(visible=source == "hub"))


def thumbnail(path: Path) -> Image.Image:
    picture = open_rgb(path, config.max_image_pixels(), THUMBNAIL)
    picture.thumbnail((THUMBNAIL, THUMBNAIL))
    return picture


def summary_text(report: DataReport) -> str:
    sizes = ", ".join(f"{split} {count}" for split, count in report.sizes().items()) or "—"
    labels = report.label_names
    lines = [t("train.summary.title", splits=sizes, count=len(labels), labels=", ".join(labels) or "—")]
    lines += [("⛔ " if problem.blocking else "⚠️ ") + t(problem.key, **problem.fields) for problem in report.problems]
    lines.append(t("train.summary.ready") if report.ok else t("train.summary.blocked"))
    return "\n\n".join(lines)


def explore(source: str, upload: str | None, folder: str | None, hub_id: str | None, text_column: str | None,
            label_column: str | None, previous: str | None):
    """Outputs: data id, summary, bar plot, gallery, sample rows, text column, label column, base models."""
    models = models_dir()
    train_data.forget_draft(models, previous)
    try:
        if source == "folder":
            job, report = train_data.explore_folder(models, folder or "", config.max_image_pixels())
        elif source == "hub":
            job, report = train_data.explore_hub(models, hub_id or "")
        elif not upload:
            raise DataError("train.data.no_upload")
        elif str(upload).lower().endswith(TEXT_SUFFIXES):
            job, report = train_data.explore_text(models, upload, text_column or "", label_column or "")
        else:
            job, report = train_data.explore_zip(models, upload, config.max_image_pixels())
    except KeyedError as error:
        raise user_error(error) from None
    counts = pd.DataFrame(report.counts(), columns=["split", "label", "count"])
    text = report.kind == "text"
    gallery = [] if text else [(thumbnail(path), label) for label, path in report.samples() if path]
    rows = [[label, row[report.text_column]] for label, row in report.samples()] if text else []
    return (job["id"], summary_text(report), counts, gr.update(value=gallery, visible=not text),
            gr.update(value=rows, visible=text),
            gr.update(choices=report.columns, visible=text, value=report.text_column),
            gr.update(choices=report.columns, visible=text, value=report.label_column), base_update(report.kind))


def base_update(kind: str, picked: str | None = None) -> dict:
    options = base_model_options(kind)
    values = [value for _label, value in options]
    return gr.update(choices=options, value=picked if picked in values else (values[0] if values else None))


# ---------------------------------------------------------------- 2. train


def view_outputs(job: dict | None) -> tuple:
    """Outputs: job id, status, progress, loss plot, accuracy plot, log, command, cancel, resume, result,
    confusion matrix, timer, then the Runs task and table and the share picker (a finished run shows up)."""
    view = job_view(models_dir(), job)
    kind = (job or {}).get("kind") or "image"
    confusion = Image.open(view.confusion).convert("RGB") if view.confusion else None
    return (view.job_id, view.status, gr.update(value=round(view.progress * 100), label=view.progress_text),
            pd.DataFrame(view.loss, columns=["epoch", "value", "curve"]),
            pd.DataFrame(view.accuracy, columns=["epoch", "value", "curve"]), view.log, view.command,
            gr.update(visible=view.active), gr.update(visible=view.resumable), view.result,
            gr.update(value=confusion, visible=confusion is not None), gr.Timer(active=view.active),
            kind, runs_table(kind), gr.update(choices=checkpoint_names()))


def start(data_id: str, base_model: str, strategy: str, epochs: float | None, learning_rate: float | None,
          name: str, overwrite: bool, baseline: bool = False):
    """Queue the run (and, when asked, the same run from random weights right after it)."""
    try:
        job = training_job(models_dir(), data_id, base_model, strategy, epochs, learning_rate, name, overwrite)
        random_run = baseline_job(models_dir(), job, overwrite) if baseline else None
    except KeyedError as error:
        raise user_error(error) from None
    mark_data_used(models_dir(), data_id)
    queued = runner().submit(job)
    if random_run:
        runner().submit(random_run)
    return view_outputs(queued)


def progress(job_id: str):
    return view_outputs(read_job(models_dir(), job_id) if job_id else None)


def cancel(job_id: str):
    return view_outputs(runner().cancel(job_id) if job_id else None)


def resume(job_id: str):
    try:
        job = resumable_job(models_dir(), job_id)
    except KeyedError as error:
        raise user_error(error) from None
    return view_outputs(runner().submit(job))


def latest_job() -> dict | None:
    jobs = [job for job in list_jobs(models_dir()) if job.get("status") != "draft"]
    return jobs[-1] if jobs else None


# ---------------------------------------------------------------- 3. runs, 4. share


def runs_table(kind: str) -> list[list]:
    return runs.leaderboard(models_dir(), RUN_TASKS.get(kind, IMAGE_CLASSIFICATION), t("train.runs.baseline"),
                            t("train.runs.random"))


def checkpoint_names() -> list[str]:
    return [folder.name for folder in list_checkpoints(models_dir())]


def share(name: str, repo_id: str, token: str, private: bool) -> str:
    try:
        return t("train.share.done", url=push_checkpoint(models_dir(), name, repo_id, token or None, private))
    except KeyedError as error:
        raise user_error(error) from None


def page_status(job_id: str):
    """On every page load: the given (else the latest) job, the Runs table, the lists."""
    job = (read_job(models_dir(), job_id) if job_id else None) or latest_job()
    return (*view_outputs(job), base_update("image"), gr.update(choices=sorted(config.train_data_dirs())))


# ---------------------------------------------------------------- layout and wiring


def build(demo: gr.Blocks) -> None:
    if not config.training_enabled():
        Context.block.visible = False  # the tab itself: STUDIO_TRAINING=off hides it
        return
    runner()  # on server start: jobs a previous server left running show as interrupted
    gr.Markdown(t("train.intro"))
    with gr.Accordion(t("train.step.data"), open=True):
        source = gr.Radio([(t("train.source.upload"), "upload"), (t("train.source.folder"), "folder"),
                           (t("train.source.hub"), "hub")], value="upload", label=t("train.source"),
                          elem_id="train-source")
        upload = gr.File(label=t("train.upload"), type="filepath", elem_id="train-upload",
                         file_types=[".zip", *TEXT_SUFFIXES])
        folder = gr.Dropdown(choices=sorted(config.train_data_dirs()), label=t("train.folder"), visible=False,
                             elem_id="train-folder", allow_custom_value=True)
        hub_id = gr.Textbox(label=t("train.hub_id"), visible=False, elem_id="train-hub-id")
        with gr.Row():
            text_column = gr.Dropdown(label=t("train.text_column"), visible=False, allow_custom_value=True)
            label_column = gr.Dropdown(label=t("train.label_column"), visible=False, allow_custom_value=True)
        explore_button = gr.Button(t("train.explore"), elem_id="train-explore")
        data_id = gr.Textbox(visible=False, elem_id="train-data-id")
        summary = gr.Markdown(label=t("train.summary"), elem_id="train-summary")
        bars = gr.BarPlot(x="label", y="count", color="split", label=t("train.bars"), elem_id="train-bars")
        gallery = gr.Gallery(label=t("train.gallery"), columns=8, height=220, elem_id="train-gallery")
        samples = gr.Dataframe(headers=["label", "text"], label=t("train.samples"), visible=False, wrap=True,
                               interactive=False)
    with gr.Accordion(t("train.step.train"), open=True):
        with gr.Row():
            base_model = gr.Dropdown(label=t("train.base_model"), info=t("train.base_model.info"),
                                     allow_custom_value=True, elem_id="train-base-model")
            strategy = gr.Radio([(t(f"train.strategy.{name}"), name) for name in STRATEGIES],
                                value="head", label=t("train.strategy"), elem_id="train-strategy")
        with gr.Row():
            epochs = gr.Number(label=t("train.epochs"), info=t("train.epochs.info", max=f"{config.train_max_epochs():g}"),
                               minimum=0, elem_id="train-epochs")
            learning_rate = gr.Number(label=t("train.learning_rate"), info=t("train.learning_rate.info"), minimum=0)
            name = gr.Textbox(label=t("train.name"), info=t("train.name.info"), elem_id="train-name")
            with gr.Column():
                overwrite = gr.Checkbox(label=t("train.overwrite"), elem_id="train-overwrite")
                baseline = gr.Checkbox(label=t("train.baseline"), info=t("train.baseline.info"),
                                       elem_id="train-baseline")
        start_button = gr.Button(t("train.start"), variant="primary", elem_id="train-start")
        job_id = gr.Textbox(visible=False, elem_id="train-job-id")
        status = gr.Markdown(label=t("train.status"), elem_id="train-status")
        bar = gr.Slider(0, 100, value=0, label=t("train.progress"), interactive=False, elem_id="train-progress")
        with gr.Row():
            loss_plot = gr.LinePlot(x="epoch", y="value", color="curve", label=t("train.loss_plot"),
                                    elem_id="train-loss")
            accuracy_plot = gr.LinePlot(x="epoch", y="value", color="curve", label=t("train.accuracy_plot"),
                                        y_lim=[0, 1], elem_id="train-accuracy")
        with gr.Row():
            cancel_button = gr.Button(t("train.cancel"), variant="stop", visible=False, elem_id="train-cancel")
            resume_button = gr.Button(t("train.resume"), visible=False, elem_id="train-resume")
        result = gr.Markdown(label=t("train.result"), elem_id="train-result")
        confusion = gr.Image(label=t("train.confusion"), type="pil", interactive=False, visible=False,
                             elem_id="train-confusion")
        log = gr.Textbox(label=t("train.log"), lines=6, max_lines=12, interactive=False, elem_id="train-log")
        command = gr.Code(label=t("train.command"), language="shell", interactive=False, elem_id="train-command")
        timer = gr.Timer(POLL_S, active=False)
    with gr.Accordion(t("train.step.runs"), open=True):
        run_kind = gr.Radio([(t("train.runs.image"), "image"), (t("train.runs.text"), "text")], value="image",
                            label=t("train.runs.task"))
        runs_frame = gr.Dataframe(headers=[t(f"train.runs.col.{column}") for column in runs.COLUMNS],
                                  label=t("train.runs"), interactive=False, elem_id="train-runs")
    with gr.Accordion(t("train.step.share"), open=False):
        with gr.Row():
            share_name = gr.Dropdown(label=t("train.share.checkpoint"), allow_custom_value=True)
            repo_id = gr.Textbox(label=t("train.share.repo_id"))
            token = gr.Textbox(label=t("train.share.token"), type="password")
            private = gr.Checkbox(label=t("train.share.private"))
        share_button = gr.Button(t("train.share.button"))
        share_result = gr.Markdown()

    view = [job_id, status, bar, loss_plot, accuracy_plot, log, command, cancel_button, resume_button, result,
            confusion, timer, run_kind, runs_frame, share_name]
    source.change(source_fields, source, [upload, folder, hub_id], api_name="train_source",
                  api_description=t("train.api.source"))
    explore_button.click(explore, [source, upload, folder, hub_id, text_column, label_column, data_id],
                         [data_id, summary, bars, gallery, samples, text_column, label_column, base_model],
                         api_name="train_explore", api_description=t("train.api.explore"))
    start_button.click(start, [data_id, base_model, strategy, epochs, learning_rate, name, overwrite, baseline], view,
                       api_name="train_start", api_description=t("train.api.start"))
    timer.tick(progress, job_id, view, api_name="train_progress", api_description=t("train.api.progress"))
    cancel_button.click(cancel, job_id, view, api_name="train_cancel", api_description=t("train.api.cancel"))
    resume_button.click(resume, job_id, view, api_name="train_resume", api_description=t("train.api.resume"))
    run_kind.change(runs_table, run_kind, runs_frame, api_name="train_runs", api_description=t("train.api.runs"))
    share_button.click(share, [share_name, repo_id, token, private], share_result, api_name="train_push",
                       api_description=t("train.api.push"))
    demo.load(page_status, job_id, [*view, base_model, folder],
              api_name="train_status", api_description=t("train.api.status"))
