"""The playground in a real browser (Debian Chromium via Playwright), in the course's language (Spanish):
pick a task, name a local checkpoint, press Run, see the result and the Python snippet; offline, the
model list offers the local checkpoints and the default Hub model is refused in Spanish, snippet kept.
"""

from __future__ import annotations

import shutil

from studio.i18n import t
from studio.playground.inputs import split_labels
from studio.playground.table import TASKS
from tests.conftest import ARTIFACTS
from tests.support.tiny_pipelines import build_tiny_model

TASK = "zero-shot-classification"


def es(key: str, **fields) -> str:
    return t(key, lang="es", **fields)


def test_pick_a_task_run_it_and_see_the_output(serve_app, page, tmp_path):
    build_tiny_model(TASK, tmp_path)
    url = serve_app({"STUDIO_MODELS_DIR": tmp_path, "STUDIO_LANG": "es"})
    page.goto(url)
    page.get_by_role("tab", name=es("playground.tab")).click()  # the page opens on the bean tab

    task_box = page.get_by_label(es("playground.task"))
    task_box.click()
    task_box.fill(TASK)
    page.get_by_role("option", name=TASK, exact=True).click()
    page.get_by_text(es(f"playground.task.{TASK}")).wait_for()
    example_labels = split_labels(TASKS[TASK].example["text2"])
    labels_box = page.get_by_label(es("playground.in.labels"))
    assert labels_box.input_value() == TASKS[TASK].example["text2"]

    model_box = page.get_by_label(es("playground.model"))
    model_box.click()
    model_box.fill(TASK)
    model_box.press("Enter")
    page.get_by_role("button", name=es("playground.run"), exact=True).click()

    answered = page.get_by_text("Respondió")
    answered.wait_for()
    assert f"models/{TASK}" in answered.inner_text()
    for label in example_labels:
        page.get_by_test_id("label").get_by_text(label, exact=True).first.wait_for()
    assert page.get_by_text("from transformers import pipeline").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "playground.png"), full_page=True)


def test_offline_the_page_offers_local_checkpoints_and_refuses_the_hub_in_spanish(serve_app, page, tmp_path):
    root = tmp_path / "models"
    shutil.copytree(build_tiny_model("text-classification", tmp_path / "built"), root / "sentimiento-mini")
    url = serve_app({"STUDIO_MODELS_DIR": root, "STUDIO_LANG": "es"})
    page.goto(url)
    page.get_by_role("tab", name=es("playground.tab")).click()  # the page opens on the bean tab
    page.get_by_text(es("playground.task.text-classification")).wait_for()
    code = page.locator("#playground-code")  # a Markdown code block (studio.ui.code_block), no editor
    run = page.get_by_role("button", name=es("playground.run"), exact=True)
    model_box = page.get_by_label(es("playground.model"))

    model_box.click()
    page.get_by_role("option", name="models/sentimiento-mini", exact=True).click()
    run.click()
    answered = page.get_by_text("Respondió")
    answered.wait_for()
    assert "models/sentimiento-mini" in answered.inner_text()
    page.get_by_test_id("label").get_by_text("positive", exact=True).first.wait_for()
    assert "pipeline('text-classification', model='models/sentimiento-mini')" in code.inner_text()
    assert str(root) not in page.locator("body").inner_text()

    default = TASKS["text-classification"].default_model
    model_box.click()
    page.get_by_role("option", name=es("playground.model.default_choice", model=default), exact=True).click()
    run.click()
    refusal = page.get_by_text("Sin conexión al Hub", exact=False).filter(has_text="models/sentimiento-mini").first
    refusal.wait_for()
    assert "models/sentimiento-mini" in refusal.inner_text()
    page.get_by_text(f"model='{default}'").first.wait_for()
    assert "pipe('I loved this course" in code.inner_text() and str(root) not in page.locator("body").inner_text()
    page.screenshot(path=str(ARTIFACTS / "playground-offline.png"), full_page=True)

    shutil.copytree(root / "sentimiento-mini", root / "sentimiento-nuevo")   # trained while the app runs
    page.reload()
    page.get_by_role("tab", name=es("playground.tab")).click()
    model_box.click()
    page.get_by_role("option", name="models/sentimiento-nuevo", exact=True).wait_for()
