"""The Train tab's "review the data" step: a run's suspect labels as a gallery with keep / relabel /
exclude, the confusion-matrix drill-down, the top losses, and "retrain without the excluded / with the
relabelled" as a new run (same settings, a revised data folder) that joins the Runs table.

Only the visitor's own runs are listed (contract.visitors.owner_models_dir); the logic is in
studio/train/review.py. `build(demo)` is called inside the Train tab's Blocks.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

import gradio as gr

from contract.checkpoint import checkpoint_version, list_checkpoints
from contract.images import open_rgb
from contract.visitors import owner_models_dir
from studio import config
from studio.answers.about import display_label
from studio.i18n import percent, t
from studio.train import review
from studio.train.jobs import runner_for
from studio.train.jobstore import Job, job_folder, list_jobs, owns
from studio.train.start import check_name
from studio.ui import shows_errors
from studio.visitors import after_visit, owner_of, source_of

THUMBNAIL = 200
# What a retrain keeps of the run's Job (studio/train/jobstore.py); data, name and id are new.
KEPT_JOB_FIELDS = ("kind", "base_model", "base_label", "recipe", "strategy", "epochs", "learning_rate",
                   "text_column", "label_column", "extra_args", "threads")


def own_runs_dir(request: gr.Request | None) -> Path:
    return owner_models_dir(config.models_dir(), owner_of(request))


def own_run(name: str | None, request: gr.Request | None) -> Path:
    for folder in list_checkpoints(own_runs_dir(request)):
        if folder.name == name:
            return folder
    raise review.ReviewError("review.error.no_run")


def run_choices(picked: str | None = None, request: gr.Request = None) -> dict:
    """The visitor's runs, newest first; the one they picked while it exists, else the newest."""
    folders = sorted(list_checkpoints(own_runs_dir(request)), key=lambda folder: -(checkpoint_version(folder) or 0))
    names = [folder.name for folder in folders]
    return gr.update(choices=names, value=picked if picked in names else (names[0] if names else None))


def thumbnail(path: Path | None):
    if path is None:
        return None
    picture = open_rgb(path, config.max_image_pixels(), THUMBNAIL)
    picture.thumbnail((THUMBNAIL, THUMBNAIL))
    return picture


def gallery_items(found: review.Review, items: list[dict[str, Any]], caption) -> list:
    """(thumbnail, caption) per image item; texts have no picture, their caption says it all."""
    if found.kind != "image":
        return []
    return [(thumbnail(review.item_file(found, item)), caption(number, item)) for number, item in enumerate(items, 1)
            if review.item_file(found, item) is not None]


def issue_caption(number: int, issue: dict[str, Any]) -> str:
    return t("review.caption", index=number, given=display_label(issue["given"]),
             suggested=display_label(issue["suggested"]), score=percent(issue["score"]))


def decision_rows(found: review.Review, issues: list[dict[str, Any]], decisions: list[dict[str, Any]]) -> list[list]:
    return [[number, review.shown_name(found, issue), display_label(issue["given"]), display_label(issue["suggested"]),
             percent(issue["score"]),
             t(f"review.decision.{one['decision']}")
             + (f" → {display_label(one['label'])}" if one["decision"] == "relabel" else "")]
            for number, (issue, one) in enumerate(zip(issues, decisions, strict=False), 1)]


def loss_rows(found: review.Review, losses: list[dict[str, Any]], limit: int = 20) -> list[list]:
    return [[review.shown_name(found, e), display_label(e["given"]), display_label(e["predicted"]), percent(e["probability"]),
             round(e["loss"], 3)] for e in losses[:limit]]


@shows_errors
def load(run: str | None, request: gr.Request = None):
    """Outputs: summary, gallery, decisions table, decisions state, cell pickers (true, predicted), the
    relabel picker (empty: each item's suggestion), losses."""
    found = review.load_review(own_run(run, request))
    labels = gr.update(choices=[(display_label(name), name) for name in found.label_names],
                       value=found.label_names[0] if found.label_names else None)
    losses = loss_rows(found, found.losses)
    targets = gr.update(choices=[(display_label(name), name) for name in found.label_names], value=None)
    if found.issues is None:
        return t("review.none"), [], [], [], labels, labels, targets, losses
    decisions = review.initial_decisions(found.issues)
    summary = t("review.found", count=len(found.issues), examples=found.examples)
    return (summary, gallery_items(found, found.issues, issue_caption), decision_rows(found, found.issues, decisions),
            decisions, labels, labels, targets, losses)


@shows_errors
def decide(run: str | None, numbers: str, decision: str, label: str | None, decisions: list[dict[str, Any]],
           request: gr.Request = None):
    """Outputs: decisions table, decisions state."""
    found = review.load_review(own_run(run, request))
    if not found.issues:
        raise review.ReviewError("review.error.nothing")
    chosen = review.parse_numbers(numbers, len(found.issues))
    decisions = review.decide(decisions or review.initial_decisions(found.issues), chosen, decision, label,
                              found.label_names)
    return decision_rows(found, found.issues, decisions), decisions


def picked_number(event: gr.SelectData) -> str:
    """A click on a gallery picture puts its number in the examples field."""
    return str(event.index + 1)


@shows_errors
def cell(run: str | None, true: str | None, predicted: str | None, request: gr.Request = None):
    """Outputs: what the cell holds, its pictures (images), its examples as rows."""
    found = review.load_review(own_run(run, request))
    inside = [e for e in found.losses if e["given"] == true and e["predicted"] == predicted]
    inside.sort(key=lambda e: -e["probability"])
    note = t("review.cell.found", count=len(inside), true=display_label(true or ""),
             predicted=display_label(predicted or ""))
    pictures = gallery_items(found, inside, lambda number, e: f"{number}. {percent(e['probability'])}")
    return note, pictures, loss_rows(found, inside, limit=len(inside))


def original_job(run: str, owner: str) -> Job | None:
    """The visitor's latest finished job that wrote `run`."""
    jobs = [job for job in list_jobs(config.models_dir())
            if job.name == run and job.status == "done" and owns(job, owner)]
    return jobs[-1] if jobs else None


@shows_errors
def retrain(run: str | None, name: str | None, decisions: list[dict[str, Any]], request: gr.Request = None) -> str:
    """Queue the run again on a revised copy of its data; the new run shows up in the Runs table."""
    owner = owner_of(request)
    found = review.load_review(own_run(run, request))
    job = original_job(found.run, owner)
    if job is None or found.issues is None:
        raise review.ReviewError("review.error.no_data")
    models = config.models_dir()
    name = check_name(models, (name or "").strip() or f"{found.run[:88]}-revised", False, owner)
    job_id = time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
    target = job_folder(models, job_id) / "revised"
    _folder, excluded, relabelled = review.revised_data(found, decisions or [], target, job.label_column or "label")
    new = Job(**{key: getattr(job, key) for key in KEPT_JOB_FIELDS}, id=job_id, name=name, data_dir=str(target),
              source=f"{job.source or 'data'}-revised", created=time.time(), owner=owner, revised_from=found.run,
              origin=source_of(request))
    runner_for(models, config.train_max_minutes() * 60).submit(new)
    return t("review.retrained", name=name, excluded=excluded, relabelled=relabelled)


def build(demo: gr.Blocks) -> None:
    with gr.Accordion(t("review.title"), open=False, elem_id="review"):
        gr.Markdown(t("review.intro"))
        with gr.Row():
            run = gr.Dropdown(label=t("review.run"), choices=[], elem_id="review-run")
            load_button = gr.Button(t("review.load"), elem_id="review-load")
        summary = gr.Markdown(elem_id="review-summary")
        gallery = gr.Gallery(label=t("review.gallery"), columns=6, height=300, elem_id="review-gallery",
                             allow_preview=False, object_fit="contain")  # the whole leaf, not a crop of it
        decisions = gr.State([])
        table = gr.Dataframe(headers=[t(f"review.col.{c}") for c in
                                      ("index", "example", "given", "suggested", "score", "decision")],
                             label=t("review.table"), interactive=False, wrap=True, elem_id="review-table")
        with gr.Row():
            numbers = gr.Textbox(label=t("review.decide.items"), elem_id="review-items")
            decision = gr.Radio([(t(f"review.decision.{d}"), d) for d in review.DECISIONS], value=None,
                                label=t("review.decide.action"), elem_id="review-decision")  # the learner decides
            relabel = gr.Dropdown(label=t("review.col.suggested"), choices=[], elem_id="review-label")
            apply = gr.Button(t("review.decide.apply"), elem_id="review-apply")
        with gr.Row():
            new_name = gr.Textbox(label=t("review.retrain.name"), elem_id="review-name")
            retrain_button = gr.Button(t("review.retrain"), variant="primary", elem_id="review-retrain")
        retrained = gr.Markdown(elem_id="review-retrained")
        with gr.Row():
            true = gr.Dropdown(label=t("review.cell.true"), choices=[], elem_id="review-true")
            predicted = gr.Dropdown(label=t("review.cell.predicted"), choices=[], elem_id="review-predicted")
            cell_button = gr.Button(t("review.cell.show"), elem_id="review-cell")
        cell_note = gr.Markdown(elem_id="review-cell-note")
        cell_gallery = gr.Gallery(label=t("review.cell.gallery"), columns=6, height=240, allow_preview=False,
                                  elem_id="review-cell-gallery", object_fit="contain")
        loss_headers = [t("review.col.example"), t("review.col.given"), t("review.cell.predicted"), "p", "loss"]
        cell_table = gr.Dataframe(headers=loss_headers, interactive=False, wrap=True, elem_id="review-cell-table")
        losses = gr.Dataframe(headers=loss_headers, label=t("review.losses"), interactive=False, wrap=True,
                              elem_id="review-losses")

    # after the visitor is known (a plain page-load event asked before it and listed nothing)
    after_visit(run_choices, None, run, api_name="review_runs", show_progress="hidden")
    load_button.click(run_choices, run, run, api_visibility="private", show_progress="hidden").then(
        load, run, [summary, gallery, table, decisions, true, predicted, relabel, losses],
        api_name="review_load", api_description=t("review.api.load"))
    run.input(load, run, [summary, gallery, table, decisions, true, predicted, relabel, losses],
              api_name="review_pick", api_description=t("review.api.load"))
    gallery.select(picked_number, None, numbers, api_name="review_select", show_progress="hidden")
    apply.click(decide, [run, numbers, decision, relabel, decisions], [table, decisions],
                api_name="review_decide", api_description=t("review.api.decide"))
    cell_button.click(cell, [run, true, predicted], [cell_note, cell_gallery, cell_table],
                      api_name="review_cell", api_description=t("review.api.cell"))
    retrain_button.click(retrain, [run, new_name, decisions], retrained, api_name="review_retrain",
                         api_description=t("review.api.retrain"))
