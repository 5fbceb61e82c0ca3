"""A real browser (Playwright + Debian Chromium) classifies a bean leaf in the served app."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import ARTIFACTS
from tests.support.tiny import LEAF_CLASSES

SHOWN_LABELS = re.compile("|".join(LEAF_CLASSES))
THREE_ROWS = re.compile(r"(\d+%[\s\S]*){3}")  # three classes, each with its percentage


def test_upload_a_leaf_and_see_the_prediction(bean_tab_url, page, beans_dir, tmp_path):
    url = bean_tab_url
    leaf = sorted((beans_dir / "validation" / "bean_rust").glob("*.jpg"))[0]

    page.goto(url)
    page.get_by_role("tab", name="Hojas de frijol").click()
    page.locator("#beans-classify").click()  # nothing uploaded yet: a Spanish error, not a crash
    expect(page.get_by_text("Primero sube una imagen")).to_be_visible()
    page.locator("#beans-image input[type=file]").set_input_files(str(leaf))
    page.locator("#beans-image img").first.wait_for()  # the upload is shown before we classify
    page.locator("#beans-classify").click()

    scores = page.locator("#beans-scores")
    answered = page.locator("#beans-answered")
    expect(scores).to_contain_text(THREE_ROWS, timeout=60_000)
    assert len(SHOWN_LABELS.findall(scores.inner_text())) >= 3  # the title plus three rows
    assert "beans-tiny" in answered.inner_text() and "80,0 %" in answered.inner_text()
    assert re.search(r"\d+ ms", answered.inner_text())  # every answer says how long it took
    page.get_by_text("Sobre el modelo").click()  # the accordion: classes, base model, strategy
    expect(page.get_by_text("tiny-vit")).to_be_visible()

    # why: a heatmap over the photo, with an opacity slider
    page.locator("#beans-explain").click()
    expect(page.locator("#beans-heatmap img")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Zonas que más pesaron")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "beans.png"), full_page=True)

    # a new upload clears the previous answer: no result stands beside an image it was not computed for
    other = sorted((beans_dir / "validation" / "healthy").glob("*.jpg"))[0]
    page.locator("#beans-image input[type=file]").set_input_files(str(other))
    expect(scores).not_to_contain_text(THREE_ROWS, timeout=30_000)
    expect(page.locator("#beans-heatmap img")).to_have_count(0)
    assert "beans-tiny" not in answered.inner_text()
    page.screenshot(path=str(ARTIFACTS / "beans-cleared.png"), full_page=True)

    # an example runs when clicked and shows its true label
    page.locator("#beans-examples img").first.click()
    expect(scores).to_contain_text(THREE_ROWS, timeout=60_000)
    expect(answered).to_contain_text("Etiqueta real del ejemplo", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "beans-example.png"), full_page=True)
