"""Fixing the data from the studio: corrections saved into a visitor's own data, a run's review applied
to a new data folder (studio/feedback/store.py, studio/train/review.py; pure, no server)."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from contract.visitors import owner_data_dir
from studio.feedback import store
from studio.feedback.store import CorrectionError
from studio.train import review

OWNER = "v-" + "a" * 20
LABELS = ["angular_leaf_spot", "bean_rust", "healthy"]


def photo(path, size=(900, 700), colour=(40, 160, 40)):
    Image.new("RGB", size, colour).save(path)
    return str(path)


def test_an_image_correction_lands_shrunk_in_the_visitors_own_data_set(tmp_path):
    models = tmp_path / "models"
    saved = store.save_image(models, OWNER, photo(tmp_path / "leaf.png"), "healthy", LABELS, 10_000_000)
    folder = owner_data_dir(models, OWNER) / "beans-corrections"
    assert saved.parent == folder / "train" / "healthy" and saved.suffix == ".jpg"
    with Image.open(saved) as image:
        assert max(image.size) <= store.MAX_IMAGE_SIDE
    assert store.count(models, OWNER, "beans") == 1
    assert store.owned_sets(models, OWNER) == {"beans-corrections": folder}
    assert store.owned_sets(models, "v-" + "b" * 20) == {}  # another visitor has nothing


def test_corrections_are_refused_with_a_label_not_of_the_model_or_past_the_cap(tmp_path, monkeypatch):
    models = tmp_path / "models"
    with pytest.raises(CorrectionError) as refused:
        store.save_text(models, OWNER, "great film", "=HYPERLINK(1)", ["negative", "positive"])
    assert refused.value.key == "feedback.error.label"
    with pytest.raises(CorrectionError) as empty:
        store.save_text(models, OWNER, "   ", "positive", ["negative", "positive"])
    assert empty.value.key == "feedback.error.no_input"
    monkeypatch.setattr(store, "MAX_ITEMS", 2)
    for text in ("a fine film", "a dull film"):
        store.save_text(models, OWNER, text, "positive", ["negative", "positive"])
    with pytest.raises(CorrectionError) as full:
        store.save_text(models, OWNER, "third", "negative", ["negative", "positive"])
    assert full.value.key == "feedback.error.full"
    rows = (owner_data_dir(models, OWNER) / "sentiment-corrections" / "train.jsonl").read_text().splitlines()
    assert [json.loads(row) for row in rows] == [{"text": "a fine film", "label": "positive"},
                                                 {"text": "a dull film", "label": "positive"}]


def test_a_long_text_correction_is_cut(tmp_path):
    count = store.save_text(tmp_path, OWNER, "word " * 5000, "negative", ["negative", "positive"])
    row = json.loads((owner_data_dir(tmp_path, OWNER) / "sentiment-corrections" / "train.jsonl").read_text())
    assert count == 1 and len(row["text"]) == store.MAX_TEXT_CHARS


def image_run(tmp_path):
    data = tmp_path / "data"
    for split, label, name in [("train", "healthy", "a.png"), ("train", "healthy", "b.png"),
                               ("train", "bean_rust", "c.png"), ("validation", "bean_rust", "d.png")]:
        (data / split / label).mkdir(parents=True, exist_ok=True)
        photo(data / split / label / name, (8, 8))
    checkpoint = tmp_path / "run"
    checkpoint.mkdir()
    (checkpoint / "metrics.json").write_text(json.dumps({
        "task": "image-classification", "label_names": ["bean_rust", "healthy"], "dataset": str(data),
        "kfold": {"num_examples": 4}, "splits": {}}))
    issues = [{"path": "train/healthy/b.png", "given": "healthy", "suggested": "bean_rust", "score": 0.02},
              {"path": "train/bean_rust/c.png", "given": "bean_rust", "suggested": "healthy", "score": 0.1}]
    (checkpoint / "label_issues.json").write_text(json.dumps(issues))
    return checkpoint, data


def test_review_decisions_make_a_new_image_folder_of_links(tmp_path):
    checkpoint, data = image_run(tmp_path)
    found = review.load_review(checkpoint)
    assert found.kind == "image" and len(found.issues) == 2 and found.examples == 4
    assert review.item_file(found, found.issues[0]) == data / "train/healthy/b.png"
    assert review.shown_name(found, found.issues[0]) == "b.png"
    decisions = review.initial_decisions(found.issues)
    with pytest.raises(review.ReviewError) as nothing:
        review.revised_data(found, decisions, tmp_path / "nothing")
    assert nothing.value.key == "review.error.nothing"
    decisions = review.decide(decisions, review.parse_numbers("1", 2), "relabel", None, found.label_names)
    decisions = review.decide(decisions, [1], "exclude", None, found.label_names)
    target, excluded, relabelled = review.revised_data(found, decisions, tmp_path / "revised")
    assert (excluded, relabelled) == (1, 1)
    files = sorted(p.relative_to(target).as_posix() for p in target.glob("*/*/*"))
    assert files == ["train/bean_rust/b.png", "train/healthy/a.png", "validation/bean_rust/d.png"]
    assert (target / "train/bean_rust/b.png").resolve() == (data / "train/healthy/b.png").resolve()


def test_review_of_texts_relabels_and_excludes_rows_by_split_and_number(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    rows = [{"text": "loved it", "label": "negative"}, {"text": "meh", "label": "positive"},
            {"text": "awful", "label": "negative"}]
    (data / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (data / "validation.jsonl").write_text(json.dumps({"text": "fine", "label": "positive"}) + "\n")
    checkpoint = tmp_path / "run"
    checkpoint.mkdir()
    (checkpoint / "metrics.json").write_text(json.dumps({"task": "text-classification", "dataset": str(data),
                                                         "label_names": ["negative", "positive"], "splits": {}}))
    issues = [{"split": "train", "row": 1, "text": "loved it", "given": "negative", "suggested": "positive",
               "score": 0.03},
              {"split": "train", "row": 2, "text": "meh", "given": "positive", "suggested": "negative", "score": 0.3}]
    (checkpoint / "label_issues.json").write_text(json.dumps(issues))
    found = review.load_review(checkpoint)
    decisions = review.decide(review.initial_decisions(issues), [0], "relabel", None, found.label_names)
    decisions = review.decide(decisions, [1], "exclude", None, found.label_names)
    target, excluded, relabelled = review.revised_data(found, decisions, tmp_path / "revised")
    kept = [json.loads(line) for line in (target / "train.jsonl").read_text().splitlines()]
    assert kept == [{"text": "loved it", "label": "positive"}, {"text": "awful", "label": "negative"}]
    assert (target / "validation.jsonl").read_text() == (data / "validation.jsonl").read_text()


@pytest.mark.parametrize("text", ["0", "4", "x", "", "2-1", "1-99999999999999", "1," * 1500])
def test_bad_example_numbers_are_the_users_error(text):
    with pytest.raises(review.ReviewError) as refused:
        review.parse_numbers(text, 3)
    assert refused.value.key == "review.error.items"


def test_example_numbers_and_ranges():
    assert review.parse_numbers("1, 3-4", 5) == [0, 2, 3]
