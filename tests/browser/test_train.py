"""The Train tab in a real browser (Debian Chromium via Playwright): upload a zip, look at the preview,
train, see the curves and the result, then pick the new model in the bean tab and classify a leaf."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS
from tests.support.train_helpers import tiny_image_zip

NAME = "leaves-browser"


@pytest.mark.trains
def test_upload_preview_train_watch_and_use_the_model(train_tab_url, page, tmp_path):
    url = train_tab_url
    page.goto(url)
    page.get_by_role("tab", name="Train").click()
    page.locator("#train-upload input[type=file]").set_input_files(str(tiny_image_zip(tmp_path)))
    page.locator("#train-upload").get_by_text("leaves.zip").wait_for()
    page.locator("#train-explore").click()
    expect(page.locator("#train-summary")).to_contain_text("ready to train", timeout=60_000)
    expect(page.locator("#train-summary")).to_contain_text("train 24, validation 12")
    expect(page.locator("#train-gallery img")).to_have_count(12, timeout=30_000)
    expect(page.locator("#train-bars canvas, #train-bars svg").first).to_be_visible()
    expect(page.locator("#train-base-model input")).to_have_value("tiny-vit")

    page.locator("#train-epochs input").fill("3")
    page.locator("#train-name textarea, #train-name input").first.fill(NAME)
    page.locator("#train-start").click()
    expect(page.locator("#train-command")).to_contain_text("python -m training image", timeout=30_000)
    expect(page.locator("#train-status")).to_contain_text("trained in", timeout=240_000)
    expect(page.locator("#train-result")).to_contain_text("validation", timeout=30_000)
    expect(page.locator("#train-accuracy canvas, #train-accuracy svg").first).to_be_visible()
    expect(page.locator("#train-loss canvas, #train-loss svg").first).to_be_visible()
    expect(page.locator("#train-confusion img")).to_be_visible()
    expect(page.locator("#train-runs")).to_contain_text(NAME)
    expect(page.locator("#train-runs")).to_contain_text("Baseline")
    page.screenshot(path=str(ARTIFACTS / "train-tab.png"), full_page=True)

    # the bean tab's picker lists the new checkpoint on the next page load; it answers with it
    page.reload()
    page.get_by_role("tab", name="Bean leaves").click()
    picker = page.locator("#beans-model input")
    picker.click()
    page.get_by_role("option", name=NAME).first.click()
    page.locator("#beans-image input[type=file]").set_input_files(str(next((tmp_path / "leaves-src").rglob("*.png"))))
    page.locator("#beans-image img").first.wait_for()
    page.locator("#beans-classify").click()
    expect(page.locator("#beans-answered")).to_contain_text(NAME, timeout=60_000)
