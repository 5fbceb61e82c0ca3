"""The sentiment tab in a real browser (Debian Chromium via Playwright), in Spanish: type a sentence, read the
translated label, the model's accuracy, the language warning and the words that drove the answer."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ARTIFACTS
from tests.support.checkpoints import make_sst2_tiny


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory):
    return make_sst2_tiny(tmp_path_factory.mktemp("models"))


def test_browser_type_a_sentence_and_read_the_label(serve_app, models_dir, monkeypatch, page):
    from playwright.sync_api import expect

    monkeypatch.delenv("STUDIO_SENTIMENT_MODEL", raising=False)
    url = serve_app(env={"STUDIO_MODELS_DIR": models_dir, "STUDIO_LANG": "es"})
    page.goto(url)
    page.get_by_role("tab", name="Sentimiento").click()
    page.locator("#sentiment-text textarea").fill("¡Qué película tan maravillosa, me encantó!")
    page.locator("#sentiment-button").click()
    label = page.locator("#sentiment-label [data-testid='label-output-value']")
    expect(label).to_have_text(re.compile(r"^\s*(negativo \(negative\)|positivo \(positive\))\s*$"))  # translated
    answered = page.locator("#sentiment-answered")
    expect(answered).to_contain_text("sst2-tiny")
    expect(answered).to_contain_text("87,5 %")
    expect(answered).to_contain_text("no parece estar en inglés")  # an English-only model read Spanish
    page.locator("#sentiment-explain").click()
    expect(page.locator("#sentiment-words")).to_contain_text("maravillosa", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "sentiment_tab.png"), full_page=True)
    page.locator("#sentiment-text textarea").press_sequentially(" Otra frase.")  # typing: the old answer goes
    expect(answered).not_to_contain_text("sst2-tiny")
    expect(page.locator("#sentiment-label")).not_to_contain_text("positive")
    expect(page.locator("#sentiment-label")).not_to_contain_text("negative")
