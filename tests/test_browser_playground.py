"""The playground in a real browser (Debian Chromium via Playwright), in the course's language (Spanish):
pick a task, name a local checkpoint, press Run, see the result and the Python snippet.
"""

from __future__ import annotations

import pytest

from studio import tasks
from studio.strings import t
from tests.conftest import ARTIFACTS
from tests.tiny_pipelines import build_tiny_model

TASK = "zero-shot-classification"


@pytest.mark.browser
def test_pick_a_task_run_it_and_see_the_output(serve_app, page, tmp_path):
    build_tiny_model(TASK, tmp_path)
    url = serve_app({"STUDIO_MODELS_DIR": tmp_path, "STUDIO_LANG": "es"})
    page.goto(url)

    task_box = page.get_by_label(t("playground.task", lang="es"))
    task_box.click()
    task_box.fill(TASK)
    page.get_by_role("option", name=TASK, exact=True).click()
    example_labels = tasks.split_labels(tasks.TASKS[TASK].example["text2"])
    labels_box = page.get_by_label(t("playground.in.labels", lang="es"))
    assert labels_box.input_value() == tasks.TASKS[TASK].example["text2"]

    model_box = page.get_by_label(t("playground.model", lang="es"))
    model_box.click()
    model_box.fill(TASK)
    model_box.press("Enter")
    page.get_by_role("button", name=t("playground.run", lang="es"), exact=True).click()

    answered = page.get_by_text("Respondió")
    answered.wait_for()
    assert TASK in answered.inner_text()
    for label in example_labels:
        page.get_by_test_id("label").get_by_text(label, exact=True).first.wait_for()
    assert page.get_by_text("from transformers import pipeline").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "playground.png"), full_page=True)
