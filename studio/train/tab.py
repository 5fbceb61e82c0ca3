"""Train tab: explore data, train in a separate process with live curves, compare runs, share on the Hub.

Data checks in studio/train/preview.py + studio/train/zip_intake.py (staged by
studio/train/data.py), requests in studio/train/start.py, the job process in studio/train/jobs.py,
what a job looks like in studio/train/view.py, the Runs table in studio/train/runs.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import gradio as gr
import pandas as pd
from gradio.context import Context
from PIL import Image

from contract.checkpoint import IMAGE_CLASSIFICATION, is_checkpoint, list_checkpoints
from contract.errors import KeyedError
from contract.escaping import markdown_text
from contract.images import open_rgb
from contract.runs import STRATEGY_NAMES, TASK_OF_KIND
from contract.tables import TABLE_SUFFIXES
from contract.visitors import OPERATOR, owner_models_dir
from studio import config
from studio.answers.about import confusion_matrix_image
from studio.answers.offline import offline_zip
from studio.i18n import t
from studio.serving.models import choice_for
from studio.train import data as train_data
from studio.train import own_data, review_tab, runs
from studio.train.jobs import runner_for
from studio.train.jobstore import Job, list_jobs, owns, read_job
from studio.train.preview import DataReport
from studio.train.push import push_checkpoint
from studio.train.review import with_kfold
from studio.train.signin import login_button, visitor_push
from studio.train.start import (
    base_model_options,
    baseline_job,
    default_base_model,
    mark_data_used,
    resumable_job,
    training_job,
)
from studio.train.view import job_view, split_name
from studio.train.zip_intake import DataError
from studio.ui import checked_size, code_block, shows_errors
from studio.visitors import after_visit, owner_of, source_of

POLL_S = 2
THUMBNAIL = 160
SAMPLE_CHARS = 500  # a sample text shown in the table (a 50 MB JSONL line was echoed back whole)
STRATEGY_LABEL_KEYS = {"head": "train.strategy.head", "last-n": "train.strategy.last-n",
                       "probe-then-full": "train.strategy.probe-then-full", "full": "train.strategy.full"}


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
    sizes = ", ".join(f"{split_name(split)} {count}" for split, count in report.sizes().items()) or "—"
    labels = report.label_names
    shown = ", ".join(markdown_text(label, 60) for label in labels[:30]) + (", …" if len(labels) > 30 else "")
    lines = [t("train.summary.title", splits=sizes, count=len(labels), labels=shown or "—")]
    lines += [("⛔ " if problem.blocking else "⚠️ ") + t(problem.key, **problem.fields) for problem in report.problems]
    lines.append(t("train.summary.ready") if report.ok else t("train.summary.blocked"))
    return "\n\n".join(lines)


@shows_errors
def explore(source: str, upload: str | None, folder: str | None, hub_id: str | None, text_column: str | None,
            label_column: str | None, previous: str | None, request: gr.Request = None):
    """Outputs: data id, summary, bar plot, gallery, sample rows, text column, label column, base models."""
    models, owner = models_dir(), owner_of(request)
    train_data.forget_draft(models, previous, owner)
    if source == "folder" and own_data.is_own(folder):  # the visitor's corrections (studio/feedback/store.py)
        job, report = own_data.explore_own(models, owner, folder, config.max_image_pixels())
    elif source == "folder":
        job, report = train_data.explore_folder(models, folder or "", config.max_image_pixels(), owner)
    elif source == "hub":
        job, report = train_data.explore_hub(models, hub_id or "", owner)
    elif not upload:
        raise DataError("train.data.no_upload")
    elif not str(upload).lower().endswith((".zip", *TABLE_SUFFIXES)):  # a PDF was refused without a word
        raise DataError("train.upload.format", name=Path(upload).name[:80])
    elif str(upload).lower().endswith(tuple(TABLE_SUFFIXES)):
        upload = checked_size(upload, config.train_max_upload(), "STUDIO_TRAIN_MAX_UPLOAD")
        job, report = train_data.explore_text(models, upload, text_column or "", label_column or "", owner)
    else:
        upload = checked_size(upload, config.train_max_upload(), "STUDIO_TRAIN_MAX_UPLOAD")
        job, report = train_data.explore_zip(models, upload, config.max_image_pixels(), owner)
    counts = pd.DataFrame([(split_name(split), label, count) for split, label, count in report.counts()],
                          columns=["split", "label", "count"])
    text = report.kind == "text"
    gallery = [] if text else [(thumbnail(path), label) for label, path in report.samples() if path]
    rows = [[label, str(row[report.text_column])[:SAMPLE_CHARS]] for label, row in report.samples()] if text else []
    return (job.id, summary_text(report), counts, gr.update(value=gallery, visible=not text),
            gr.update(value=rows, visible=text),
            gr.update(choices=report.columns, visible=text, value=report.text_column),
            gr.update(choices=report.columns, visible=text, value=report.label_column),
            base_update(report.kind, owner=owner))


def new_file_columns() -> tuple[dict, dict, str, str]:
    """Another file uploaded: its columns are guessed again on exploring (the column pickers emptied), and the
    previous file's summary and data go (they must not stand for the new one)."""
    return gr.update(value=None, choices=[]), gr.update(value=None, choices=[]), "", ""


def base_update(kind: str, picked: str | None = None, owner: str = OPERATOR) -> dict:
    """The base-model picker: the user's pick while it is offered, else a pretrained backbone."""
    options = base_model_options(kind, owner)
    values = [value for _label, value in options]
    return gr.update(choices=options, value=picked if picked in values else default_base_model(options))


# ---------------------------------------------------------------- 2. train, 3. runs, 4. share


def latest_job(owner: str = OPERATOR) -> Job | None:
    jobs = [job for job in list_jobs(models_dir(), owner) if job.status != "draft"]
    return jobs[-1] if jobs else None


def owned_job(job_id: str, owner: str) -> Job | None:
    """The job `job_id` when it is `owner`'s; another visitor's is no job at all (not even its name)."""
    job = read_job(models_dir(), job_id) if job_id else None
    return job if owns(job, owner) else None


def runs_table(kind: str, request: gr.Request = None) -> list[list]:
    return runs.leaderboard(models_dir(), TASK_OF_KIND.get(kind, IMAGE_CLASSIFICATION), t("train.runs.baseline"),
                            t("train.runs.random"), owner_of(request))


def checkpoint_names(owner: str = OPERATOR) -> list[str]:
    """The runs a visitor may share: their own."""
    return [folder.name for folder in list_checkpoints(owner_models_dir(models_dir(), owner))]


@shows_errors
def share(name: str, repo_id: str, token: str, private: bool, login: gr.OAuthToken | None = None,
          profile: gr.OAuthProfile | None = None, request: gr.Request = None) -> str:
    """Push the visitor's own run with the visitor's own token: their Space login, else the one typed."""
    runs_dir = owner_models_dir(models_dir(), owner_of(request))  # a visitor shares their own runs only
    token, repo_id = visitor_push(token, repo_id, login, profile)
    return t("train.share.done", url=push_checkpoint(runs_dir, name, repo_id, token, private))


@shows_errors
def offline_download(name: str, request: gr.Request = None) -> str:
    """The visitor's own run as a zip that runs in a browser with no server (the Share step's checkpoint)."""
    checkpoint = owner_models_dir(models_dir(), owner_of(request)) / (name or "")
    if not name or "/" in name or not is_checkpoint(checkpoint):
        raise KeyedError("train.share.no_checkpoint")
    return str(offline_zip(checkpoint))


@dataclass
class JobPanel:
    """The components that show one job, and the handlers that answer with their values by component:
    the job's id, state line, progress, curves, log, command, buttons, result, confusion matrix and
    poll timer, then the Runs table and the share picker (a finished run shows up in both)."""

    job_id: gr.Textbox
    status: gr.Markdown
    bar: gr.Slider
    loss_plot: gr.LinePlot
    accuracy_plot: gr.LinePlot
    log: gr.Textbox
    command: gr.Markdown
    cancel_button: gr.Button
    resume_button: gr.Button
    result: gr.Markdown
    confusion: gr.Image
    timer: gr.Timer
    run_kind: gr.Radio
    runs_frame: gr.Dataframe
    share_name: gr.Dropdown
    base_model: gr.Dropdown = field(kw_only=True)  # refreshed on page load only
    folder: gr.Dropdown = field(kw_only=True)
    settings: dict[str, gr.components.Component] = field(kw_only=True, default_factory=dict)  # Job field -> its input

    def components(self) -> list:
        """The outputs of every job event, in the order the API answers them."""
        return [getattr(self, column.name) for column in fields(self) if not column.kw_only]

    def shown(self, job: Job | None, owner: str = OPERATOR) -> dict:
        view = job_view(models_dir(), job)
        kind = (job.kind if job else "") or "image"
        # drawn from metrics.json in the visitor's language (the CLI's PNG is in English), else that PNG
        confusion = confusion_matrix_image(choice_for(str(view.confusion.parent), "local")) if view.confusion else None
        return {
            self.job_id: view.job_id,
            self.status: view.status,
            self.bar: gr.update(value=round(view.progress * 100), label=view.progress_text or t("train.progress")),
            self.loss_plot: pd.DataFrame(view.loss, columns=["epoch", "value", "curve"]),
            self.accuracy_plot: pd.DataFrame(view.accuracy, columns=["epoch", "value", "curve"]),
            self.log: view.log,
            self.command: code_block(view.command, "shell"),
            self.cancel_button: gr.update(visible=view.active),
            self.resume_button: gr.update(visible=view.resumable),
            self.result: view.result,
            self.confusion: gr.update(value=confusion, visible=confusion is not None),
            self.timer: gr.Timer(active=view.active),
            self.run_kind: kind,
            self.runs_frame: runs.leaderboard(models_dir(), TASK_OF_KIND.get(kind, IMAGE_CLASSIFICATION),
                                              t("train.runs.baseline"), t("train.runs.random"), owner),
            self.share_name: gr.update(choices=checkpoint_names(owner)),
        }

    @shows_errors
    def start(self, data_id: str, base_model: str, strategy: str, epochs: float | None,
              learning_rate: float | None, name: str, overwrite: bool, baseline: bool = False,
              label_names: str = "", kfold: bool = False, request: gr.Request = None) -> dict:
        """Queue the run (and, when asked, the same run from random weights right after it)."""
        owner = owner_of(request)
        job = training_job(models_dir(), data_id, base_model, strategy, epochs, learning_rate, name, overwrite,
                           label_names, owner=owner)
        job = replace(with_kfold(job, kfold), origin=source_of(request))  # k-fold: accuracy and suspect labels
        random_run = baseline_job(models_dir(), job, overwrite) if baseline else None
        mark_data_used(models_dir(), data_id)
        queued = runner().submit(job)
        if random_run:
            runner().submit(random_run)
        return self.shown(queued, owner)

    def progress(self, job_id: str, request: gr.Request = None) -> dict:
        owner = owner_of(request)
        return self.shown(owned_job(job_id, owner), owner)

    def cancel(self, job_id: str, request: gr.Request = None) -> dict:
        owner = owner_of(request)
        return self.shown(runner().cancel(job_id) if owned_job(job_id, owner) else None, owner)

    @shows_errors
    def resume(self, job_id: str, request: gr.Request = None) -> dict:
        owner = owner_of(request)
        job = replace(resumable_job(models_dir(), job_id, owner), origin=source_of(request))
        return self.shown(runner().submit(job), owner)

    def page_status(self, job_id: str, request: gr.Request = None) -> dict:
        """On every page load: the visitor's given (else latest) job, the Runs table, the lists."""
        owner = owner_of(request)
        job = owned_job(job_id, owner) or latest_job(owner)
        running = job if job and job.active else None
        # a reload during a run shows that run's settings, not the form's defaults
        settings = {component: gr.update() if running is None or getattr(running, key) is None
                    else gr.update(value=getattr(running, key)) for key, component in self.settings.items()}
        picked = f"op:{running.base_label}" if running and running.base_label else None
        return {**self.shown(job, owner), **settings,
                self.base_model: base_update((running.kind if running else "") or "image", picked, owner),
                self.folder: gr.update(choices=sorted(config.train_data_dirs()))}


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
        # any file type: Gradio's own filter refused a PDF without a word; `explore` says what to upload
        upload = gr.File(label=t("train.upload"), type="filepath", elem_id="train-upload")
        folder = gr.Dropdown(choices=sorted(config.train_data_dirs()), label=t("train.folder"), visible=False,
                             elem_id="train-folder", allow_custom_value=True)
        hub_id = gr.Textbox(label=t("train.hub_id"), visible=False, elem_id="train-hub-id")
        with gr.Row():
            text_column = gr.Dropdown(label=t("train.text_column"), visible=False, allow_custom_value=True)
            label_column = gr.Dropdown(label=t("train.label_column"), visible=False, allow_custom_value=True)
        explore_button = gr.Button(t("train.explore"), elem_id="train-explore")
        data_id = gr.Textbox(visible=False, elem_id="train-data-id")
        summary = gr.Markdown(label=t("train.summary"), elem_id="train-summary")
        bars = gr.BarPlot(x="label", y="count", color="split", label=t("train.bars"), elem_id="train-bars",
                          x_title=t("train.plot.class"), y_title=t("train.plot.examples"),
                          color_title=t("train.plot.split"))
        gallery = gr.Gallery(label=t("train.gallery"), columns=8, height=220, elem_id="train-gallery")
        samples = gr.Dataframe(headers=["label", "text"], label=t("train.samples"), visible=False, wrap=True,
                               interactive=False)
    with gr.Accordion(t("train.step.train"), open=True):
        with gr.Row():
            base_model = gr.Dropdown(label=t("train.base_model"), info=t("train.base_model.info"),
                                     allow_custom_value=True, elem_id="train-base-model")
            strategy = gr.Radio([(t(STRATEGY_LABEL_KEYS[name]), name) for name in STRATEGY_NAMES],
                                value="head", label=t("train.strategy"), elem_id="train-strategy")
        with gr.Row():
            epochs = gr.Number(label=t("train.epochs"), info=t("train.epochs.info", max=f"{config.train_max_epochs():g}"),
                               minimum=0, elem_id="train-epochs")
            learning_rate = gr.Number(label=t("train.learning_rate"), info=t("train.learning_rate.info"), minimum=0)
            name = gr.Textbox(label=t("train.name"), info=t("train.name.info"), elem_id="train-name")
            label_names = gr.Textbox(label=t("train.label_names"), info=t("train.label_names.info"),
                                     placeholder=t("train.label_names.placeholder"), elem_id="train-label-names")
            with gr.Column():
                overwrite = gr.Checkbox(label=t("train.overwrite"), elem_id="train-overwrite")
                baseline = gr.Checkbox(label=t("train.baseline"), info=t("train.baseline.info"),
                                       elem_id="train-baseline")
                kfold = gr.Checkbox(label=t("review.kfold"), info=t("review.kfold.info"), elem_id="train-kfold")
        start_button = gr.Button(t("train.start"), variant="primary", elem_id="train-start")
        job_id = gr.Textbox(visible=False, elem_id="train-job-id")
        status = gr.Markdown(label=t("train.status"), elem_id="train-status")
        bar = gr.Slider(0, 100, value=0, label=t("train.progress"), interactive=False, elem_id="train-progress")
        with gr.Row():
            loss_plot = gr.LinePlot(x="epoch", y="value", color="curve", label=t("train.loss_plot"),
                                    x_title=t("train.plot.epoch"), y_title=t("train.plot.loss"),
                                    color_title=t("train.plot.curve"), elem_id="train-loss")
            accuracy_plot = gr.LinePlot(x="epoch", y="value", color="curve", label=t("train.accuracy_plot"),
                                        x_title=t("train.plot.epoch"), y_title=t("train.plot.accuracy"),
                                        color_title=t("train.plot.curve"), y_lim=[0, 1], elem_id="train-accuracy")
        with gr.Row():
            cancel_button = gr.Button(t("train.cancel"), variant="stop", visible=False, elem_id="train-cancel")
            resume_button = gr.Button(t("train.resume"), visible=False, elem_id="train-resume")
        result = gr.Markdown(label=t("train.result"), elem_id="train-result")
        confusion = gr.Image(label=t("train.confusion"), type="pil", interactive=False, visible=False,
                             elem_id="train-confusion")
        with gr.Accordion(t("train.log.raw"), open=False):  # the state line above summarises it in words
            log = gr.Textbox(label=t("train.log"), lines=6, max_lines=12, interactive=False, elem_id="train-log")
        command = gr.Markdown(label=t("train.command"), show_label=True, elem_id="train-command")
        timer = gr.Timer(POLL_S, active=False)
    with gr.Accordion(t("train.step.runs"), open=True):
        run_kind = gr.Radio([(t("train.runs.image"), "image"), (t("train.runs.text"), "text")], value="image",
                            label=t("train.runs.task"))
        runs_frame = gr.Dataframe(headers=[t(key) for key in runs.COLUMNS.values()],
                                  label=t("train.runs"), interactive=False, elem_id="train-runs")
    with gr.Accordion(t("train.step.share"), open=False):
        with gr.Row():
            login_button()  # on a Space with OAuth: the visitor's own login pushes (studio/train/signin.py)
            share_name = gr.Dropdown(label=t("train.share.checkpoint"), allow_custom_value=True)
            repo_id = gr.Textbox(label=t("train.share.repo_id"))
            token = gr.Textbox(label=t("train.share.token"), type="password")
            private = gr.Checkbox(label=t("train.share.private"))
        share_button = gr.Button(t("train.share.button"))
        share_result = gr.Markdown()
        with gr.Row():
            offline_button = gr.Button(t("offline.button"), elem_id="train-offline")
            offline_file = gr.File(label=t("offline.file"), interactive=False, elem_id="train-offline-file")
    review_tab.build(demo)  # 5. review the data: suspect labels, confusion cells, retrain
    own_data.build(source, folder)  # the visitor's corrections listed among the folders

    panel = JobPanel(job_id, status, bar, loss_plot, accuracy_plot, log, command, cancel_button, resume_button,
                     result, confusion, timer, run_kind, runs_frame, share_name, base_model=base_model, folder=folder,
                     settings={"strategy": strategy, "epochs": epochs, "learning_rate": learning_rate, "name": name})
    view = panel.components()
    source.change(source_fields, source, [upload, folder, hub_id], api_name="train_source",
                  api_description=t("train.api.source"))
    # a new file is explored with its own columns: the previous file's choices would refuse it
    upload.change(new_file_columns, outputs=[text_column, label_column, summary, data_id], queue=False,
                  api_visibility="private", show_progress="hidden")
    explore_button.click(explore, [source, upload, folder, hub_id, text_column, label_column, data_id],
                         [data_id, summary, bars, gallery, samples, text_column, label_column, base_model],
                         api_name="train_explore", api_description=t("train.api.explore"))
    start_button.click(panel.start, [data_id, base_model, strategy, epochs, learning_rate, name, overwrite, baseline,
                                     label_names, kfold], view,
                       api_name="train_start", api_description=t("train.api.start"))
    timer.tick(panel.progress, job_id, view, api_name="train_progress", api_description=t("train.api.progress"))
    cancel_button.click(panel.cancel, job_id, view, api_name="train_cancel", api_description=t("train.api.cancel"))
    resume_button.click(panel.resume, job_id, view, api_name="train_resume", api_description=t("train.api.resume"))
    run_kind.change(runs_table, run_kind, runs_frame, api_name="train_runs", api_description=t("train.api.runs"))
    share_button.click(share, [share_name, repo_id, token, private], share_result, api_name="train_push",
                       api_description=t("train.api.push"))
    offline_button.click(offline_download, share_name, offline_file, api_name="train_offline",
                         api_description=t("offline.api"), concurrency_limit=1)
    after_visit(panel.page_status, job_id, [*view, base_model, folder, *panel.settings.values()],
                api_name="train_status", api_description=t("train.api.status"))
