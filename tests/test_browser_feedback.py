"""A real browser flags a wrong bean answer and finds the leaf in its own data set, offered by the Train tab."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS
from tests.test_beans import make_leaf_checkpoint, tiny_vit_checkpoint  # noqa: F401  (fixture `tiny_vit`)


@pytest.mark.browser
def test_flag_a_wrong_bean_answer_and_find_it_in_my_data(serve_app, page, beans_dir, tiny_vit, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    make_leaf_checkpoint(models, "beans-tiny", 0.8, tiny_vit)
    url = serve_app({"STUDIO_MODELS_DIR": models, "STUDIO_BEANS_MODEL": "", "STUDIO_LANG": "es",
                     "STUDIO_ASSETS": beans_dir.parent.parent, "STUDIO_EXAMPLES_DIR": ""})
    leaf = sorted((beans_dir / "validation" / "bean_rust").glob("*.jpg"))[0]

    page.goto(url)
    page.get_by_role("tab", name="Hojas de frijol").click()
    page.locator("#beans-image input[type=file]").set_input_files(str(leaf))
    page.locator("#beans-image img").first.wait_for()
    page.locator("#beans-classify").click()
    expect(page.locator("#beans-scores")).to_contain_text("%", timeout=60_000)

    page.get_by_text("¿Respuesta equivocada?").click()
    page.locator("#beans-right-label input").click()
    page.get_by_role("option", name=re.compile(r"\(bean_rust\)")).click()
    page.locator("#beans-save-correction").click()
    expect(page.locator("#beans-correction-saved")).to_contain_text("beans-corrections", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "beans-correction.png"), full_page=True)
    saved = list(models.glob(".visitors/v-*/data/beans-corrections/train/bean_rust/*.jpg"))
    assert len(saved) == 1  # in this browser's own (owner-key) folder, with the label chosen

    page.get_by_role("tab", name="Entrenar").click()
    page.get_by_text("Carpeta del servidor").click()
    page.locator("#train-folder input").click()
    expect(page.get_by_role("option", name="Mis correcciones: beans-corrections")).to_be_visible(timeout=30_000)
