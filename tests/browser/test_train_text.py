"""Text in the Train tab, offline, in Spanish (issue 19): a `;` CSV saved by Spanish Excel (BOM, 0/1 labels, an
extra column), the operator's MiniLM (a `BertModel` without a classification head) as the base model, label
names given in the tab; the sentiment tab then answers with the new model."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS

NAME = "opiniones-minilm"
POSITIVE = ["Me encantó esta película, es maravillosa", "Los actores están geniales y la música es preciosa",
            "Una historia preciosa, la recomiendo a todo el mundo", "Qué maravilla de película, volvería a verla"]
NEGATIVE = ["Qué aburrimiento, no la recomiendo a nadie", "Una historia pésima y un final sin sentido",
            "Los actores son malísimos y el guion es horrible", "La peor película que he visto, muy aburrida"]


def spanish_excel_csv(path):
    """What Excel in Spanish saves as "CSV": `;`-separated, with a BOM; here with labels 0/1 and a date column."""
    rows = ["texto;etiqueta;fecha"]
    for n in range(12):
        rows += [f"{POSITIVE[n % 4]} ({n});1;2024-05-{n + 1:02d}", f"{NEGATIVE[n % 4]} ({n});0;2024-06-{n + 1:02d}"]
    path.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    return path


@pytest.mark.trains
def test_a_spanish_csv_trains_with_the_operators_minilm_and_the_sentiment_tab_uses_it(serve_app, page, minilm_dir,
                                                                                      tmp_path):
    from studio.i18n import t

    models = tmp_path / "models"
    models.mkdir()
    url = serve_app({"STUDIO_MODELS_DIR": models, "STUDIO_SENTIMENT_MODEL": "", "STUDIO_LANG": "es",
                     "STUDIO_BASE_MODELS": f"minilm={minilm_dir}", "STUDIO_TRAIN_THREADS": "2"})
    page.goto(url)
    page.get_by_role("tab", name=t("train.tab", lang="es")).click()
    upload = spanish_excel_csv(tmp_path / "opiniones.csv")
    page.locator("#train-upload input[type=file]").set_input_files(str(upload))
    page.locator("#train-upload").get_by_text("opiniones.csv").wait_for()
    page.locator("#train-explore").click()
    summary = page.locator("#train-summary")
    expect(summary).to_contain_text(t("train.summary.ready", lang="es").lstrip("✅ "), timeout=60_000)
    expect(summary).to_contain_text("(2): 0, 1")  # two classes, not 38 pieces of sentences split on commas
    expect(page.locator("#train-base-model input")).to_have_value("minilm")  # an encoder without a head is offered

    page.get_by_role("radio", name=re.compile(r"^full:")).check()
    page.locator("#train-label-names textarea, #train-label-names input").first.fill("negativo, positivo")
    page.locator("#train-name textarea, #train-name input").first.fill(NAME)
    page.locator("#train-start").click()
    expect(page.locator("#train-command")).to_contain_text("--label-names negativo,positivo", timeout=30_000)
    expect(page.locator("#train-status")).to_contain_text(NAME, timeout=30_000)
    expect(page.locator("#train-status")).to_contain_text("entrenado en", timeout=300_000)
    expect(page.locator("#train-result")).to_contain_text("validación")  # the splits, in Spanish, with
    expect(page.locator("#train-result")).to_contain_text(re.compile(r"\d,\d %"))  # Spanish numbers
    page.screenshot(path=str(ARTIFACTS / "train-tab-text-es.png"), full_page=True)

    page.reload()
    page.get_by_role("tab", name=t("sentiment.tab", lang="es")).click()
    page.locator("#sentiment-model input").click()
    page.get_by_role("option", name=NAME).first.click()
    page.locator("#sentiment-text textarea").fill("Me encantó, una película maravillosa y preciosa")
    page.locator("#sentiment-button").click()
    expect(page.locator("#sentiment-answered")).to_contain_text(NAME, timeout=60_000)
    # the labels the tab named (a model of 24 rows is no judge of sentiment: which one is not the point here)
    expect(page.locator("#sentiment-label")).to_contain_text(re.compile("positivo|negativo"), timeout=30_000)
