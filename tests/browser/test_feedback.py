"""A real browser flags a wrong bean answer and finds the leaf in its own data set, offered by the Train tab."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS


def test_flag_a_wrong_bean_answer_and_find_it_in_my_data(bean_tab_url, models_dir, page, beans_dir, tmp_path):
    url = bean_tab_url
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
    saved = list(models_dir.glob(".visitors/v-*/data/beans-corrections/train/bean_rust/*.jpg"))
    assert len(saved) == 1  # in this browser's own (owner-key) folder, with the label chosen

    page.get_by_role("tab", name="Entrenar").click()
    page.get_by_text("Carpeta del servidor").click()
    page.locator("#train-folder input").click()
    expect(page.get_by_role("option", name="Mis correcciones: beans-corrections")).to_be_visible(timeout=30_000)


PLANTED = ("train/bean_rust/healthy_train.0.png", "train/healthy/angular_leaf_spot_train.1.png")


@pytest.mark.trains
def test_train_with_kfold_review_the_gallery_exclude_and_retrain(train_tab_url, models_dir, page, tmp_path):
    import shutil

    from tests.support.tiny import make_image_folder
    from tests.support.train_helpers import zip_folder

    data = make_image_folder(tmp_path / "leaves", per_split={"train": 10, "validation": 4}, size=40)
    for planted in PLANTED:  # wrong on purpose: a healthy leaf filed as rust, a spotted one as healthy
        name = planted.split("/")[2]
        shutil.move(data / "train" / name.rsplit("_train", 1)[0] / name, data / planted)
    url = train_tab_url
    page.goto(url)
    page.get_by_role("tab", name="Train").click()
    page.locator("#train-upload input[type=file]").set_input_files(str(zip_folder(data, tmp_path / "leaves.zip")))
    page.locator("#train-upload").get_by_text("leaves.zip").wait_for()
    page.locator("#train-explore").click()
    expect(page.locator("#train-summary")).to_contain_text("ready to train", timeout=60_000)
    page.locator("#train-epochs input").fill("3")
    page.locator("#train-name textarea, #train-name input").first.fill("noisy")
    page.locator("#train-kfold input").check()
    page.locator("#train-start").click()
    expect(page.locator("#train-status")).to_contain_text("trained in", timeout=300_000)

    page.get_by_text("5. Review the data").click()
    page.locator("#review-load").click()
    expect(page.locator("#review-summary")).to_contain_text("suspect labels", timeout=30_000)
    expect(page.locator("#review-gallery img").first).to_be_visible(timeout=30_000)
    rows = page.locator("#review-table")
    for planted in PLANTED:
        expect(rows).to_contain_text(planted.split("/")[2])
    page.screenshot(path=str(ARTIFACTS / "review-gallery.png"), full_page=True)
    text = rows.inner_text()
    lines = [line for line in text.splitlines() if "_train." in line]
    numbers = [str(i + 1) for i, line in enumerate(lines) if any(p.split("/")[2] in line for p in PLANTED)]
    page.locator("#review-items textarea, #review-items input").first.fill(",".join(numbers))
    page.locator("#review-apply").click()
    expect(rows).to_contain_text("exclude", timeout=30_000)
    page.locator("#review-name textarea, #review-name input").first.fill("cleaned")
    page.locator("#review-retrain").click()
    expect(page.locator("#review-retrained")).to_contain_text("2 excluded", timeout=30_000)

    from studio.train.jobs import list_jobs
    from tests.support.train_helpers import wait_for_job

    retrain = next(job for job in list_jobs(models_dir) if job.name == "cleaned")
    assert wait_for_job(models_dir, retrain.id, timeout_s=300).status == "done"
    page.reload()
    page.get_by_role("tab", name="Train").click()
    expect(page.locator("#train-runs")).to_contain_text("cleaned", timeout=60_000)
    expect(page.locator("#train-runs")).to_contain_text("noisy")
    page.screenshot(path=str(ARTIFACTS / "review-runs.png"), full_page=True)
