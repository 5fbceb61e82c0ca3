"""The bean tab's pure functions with a real (tiny, random) ViT checkpoint: no UI involved."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from studio.answers.about import about_model, describe_model, display_label
from studio.beans import examples
from studio.beans import predict as beans
from studio.errors import StudioError
from studio.serving.service import MODEL_CACHE
from tests.conftest import REPO_ROOT, served_model
from tests.support.checkpoints import make_leaf_checkpoint
from tests.support.tiny import (
    LEAF_CLASSES,
    make_image_folder,
    make_tiny_bert_classifier,
    make_tiny_mobilenet,
    make_tiny_vit,
)


def test_no_model_offline_says_how_to_train(models_dir):
    with pytest.raises(StudioError) as no_model:
        beans.MODEL.resolve()
    message = no_model.value.message()
    assert beans.TRAIN_COMMAND in message and f"{models_dir.name}/" in message
    assert str(models_dir) not in message  # never a server path in what a web user reads


def test_train_command_parses_with_the_training_cli():
    from training.commands import image
    from training.commands.parser import parse_args

    argv = shlex.split(beans.TRAIN_COMMAND)
    assert argv[:4] == ["python", "-m", "training", "image"]
    train, data, model = parse_args(image.ARGUMENTS, argv[4:])
    assert (train.name, train.strategy, train.unfreeze_last) == ("beans-mobilenet-last3", "last-n", 3)
    assert data.data_dir == "../shared/data/beans"
    assert model.base_model == "../shared/models/mobilenet_v2_imagenet"


def test_top3_sorted_and_summing_to_one(models_dir, tiny_vit):
    make_leaf_checkpoint(models_dir, "beans-tiny", 0.5, tiny_vit)
    classifier = served_model(beans.MODEL)[1]
    scores = beans.predict_leaf(classifier, Image.new("RGB", (50, 70), (200, 40, 40))).scores
    assert list(scores) and set(scores) == set(LEAF_CLASSES)
    assert abs(sum(scores.values()) - 1.0) < 1e-4
    assert list(scores.values()) == sorted(scores.values(), reverse=True)
    two = beans.predict_leaf(classifier, Image.new("RGB", (32, 32)), top_k=2).scores
    assert len(two) == 2


def test_a_mobilenet_checkpoint_works_too(models_dir, tmp_path):
    """The architecture `training` fine-tunes from ../shared: its processor resizes and crops."""
    source = make_tiny_mobilenet(tmp_path / "mobilenet", labels=LEAF_CLASSES)
    make_leaf_checkpoint(models_dir, "beans-mobilenet", 0.5, source)
    classifier = served_model(beans.MODEL)[1]
    scores = beans.predict_leaf(classifier, Image.new("RGB", (500, 375), (40, 180, 40))).scores
    assert set(scores) == set(LEAF_CLASSES) and abs(sum(scores.values()) - 1.0) < 1e-4


def test_model_is_loaded_once(models_dir, tiny_vit):
    make_leaf_checkpoint(models_dir, "beans-cached", 0.5, tiny_vit)
    first = served_model(beans.MODEL)[1]
    loads = MODEL_CACHE.loads
    assert served_model(beans.MODEL)[1] is first
    assert MODEL_CACHE.loads == loads


def test_a_checkpoint_retrained_under_the_same_name_is_reloaded(models_dir, tiny_vit, tmp_path):
    folder = make_leaf_checkpoint(models_dir, "beans-retrained", 0.5, tiny_vit)
    before = served_model(beans.MODEL)[1]
    retrained = make_tiny_vit(tmp_path / "retrained", labels=("healthy", "sick"))
    shutil.rmtree(folder)  # what training does: the new folder replaces the old one in one step
    make_leaf_checkpoint(models_dir, "beans-retrained", 0.9, retrained, label_names=["healthy", "sick"])
    after = served_model(beans.MODEL)[1]
    assert after is not before
    assert set(beans.predict_leaf(after, Image.new("RGB", (32, 32))).scores) == {"healthy", "sick"}


def test_best_local_checkpoint_wins_and_env_var_overrides(models_dir, tiny_vit, tmp_path, monkeypatch):
    make_leaf_checkpoint(models_dir, "beans-weak", 0.40, tiny_vit)
    make_leaf_checkpoint(models_dir, "beans-strong", 0.90, tiny_vit)
    make_leaf_checkpoint(models_dir, "sentiment-x", 0.99, tiny_vit, task="text-classification")
    assert beans.MODEL.resolve().name == "beans-strong"
    elsewhere = make_leaf_checkpoint(tmp_path, "beans-operator", 0.10, tiny_vit)
    monkeypatch.setenv("STUDIO_BEANS_MODEL", str(elsewhere))
    choice = beans.MODEL.resolve()
    assert (choice.source, choice.name) == ("env", "beans-operator")


@pytest.mark.parametrize(
    "lang,label,shown",
    [("es", "bean_rust", "Roya del frijol (bean_rust)"), ("en", "healthy", "Healthy (healthy)"),
     ("es", "some_other_class", "some_other_class")],
)
def test_display_label(monkeypatch, lang, label, shown):
    monkeypatch.setenv("STUDIO_LANG", lang)
    assert display_label(label) == shown


def test_model_info_lists_metrics(models_dir, tiny_vit, monkeypatch):
    monkeypatch.setenv("STUDIO_LANG", "en")
    make_leaf_checkpoint(models_dir, "beans-info", 0.5, tiny_vit, strategy="full")
    choice = beans.MODEL.resolve()
    info = about_model(choice, beans.label_names(choice))
    for expected in ("Bean rust (bean_rust)", "tiny-vit", "full fine-tuning", "tiny-beans", "24", "2026-11-26 05:00 UTC",
                     "Accuracy on validation**: 50.0% (12 examples)", "**Limits**"):
        assert expected in info
    assert "Cross-validated" not in info  # no k-fold in its metrics.json, so no k-fold line


def test_model_info_shows_the_cross_validated_accuracy(models_dir, tiny_vit, monkeypatch):
    monkeypatch.setenv("STUDIO_LANG", "en")
    kfold = {"folds": 5, "num_examples": 1167, "splits": ["train", "validation"], "accuracy_mean": 0.9461,
             "accuracy_std": 0.0158, "f1_macro_mean": 0.94, "f1_macro_std": 0.02}
    make_leaf_checkpoint(models_dir, "beans-kfold", 0.97, tiny_vit, kfold=kfold)
    choice = beans.MODEL.resolve()
    info = about_model(choice, beans.label_names(choice))
    assert "**Cross-validated accuracy** (5 folds of 1167 examples, a fresh model per fold): 94.6% ± 1.6%" in info


def test_label_names_fall_back_to_the_model_config(models_dir, tiny_vit):
    folder = make_leaf_checkpoint(models_dir, "beans-nolabels", 0.5, tiny_vit)
    metrics = json.loads((folder / "metrics.json").read_text())
    del metrics["label_names"]
    (folder / "metrics.json").write_text(json.dumps(metrics))
    choice = beans.MODEL.resolve()
    assert beans.label_names(choice) == []
    assert beans.label_names(choice, served_model(beans.MODEL)[1]) == list(LEAF_CLASSES)


def test_examples_from_env_folder_then_assets_then_none(tmp_path, monkeypatch):
    assets = tmp_path / "assets"
    make_image_folder(assets / "data" / "beans", per_split={"validation": 3}, size=8)
    monkeypatch.setenv("STUDIO_ASSETS", str(assets))
    monkeypatch.delenv("STUDIO_EXAMPLES_DIR", raising=False)
    found = [Path(p) for p in examples.example_images(per_class=2)]
    assert len(found) == 2 * len(LEAF_CLASSES)
    assert sorted({p.parent.name for p in found}) == sorted(LEAF_CLASSES)

    own = tmp_path / "own"
    own.mkdir()
    Image.new("RGB", (8, 8)).save(own / "leaf.jpg")
    (own / "readme.txt").write_text("not an image")
    monkeypatch.setenv("STUDIO_EXAMPLES_DIR", str(own))
    assert examples.example_images() == [str(own / "leaf.jpg")]

    monkeypatch.setenv("STUDIO_EXAMPLES_DIR", str(tmp_path / "missing"))
    assert examples.example_images() == []
    monkeypatch.delenv("STUDIO_EXAMPLES_DIR")
    monkeypatch.setenv("STUDIO_ASSETS", str(tmp_path / "nothing-here"))
    assert examples.example_images() == []


def test_warm_up_preloads_and_never_raises(models_dir, tiny_vit):
    from studio.beans.tab import warm_up

    warm_up()  # no model at all: nothing to do, no exception
    broken = make_leaf_checkpoint(models_dir, "beans-broken", 0.9, tiny_vit)
    (broken / "model.safetensors").write_bytes(b"garbage")
    warm_up()  # a model that fails to load: logged, no exception
    shutil.rmtree(broken)
    make_leaf_checkpoint(models_dir, "beans-warm", 0.5, tiny_vit)
    loads = MODEL_CACHE.loads
    warm_up()
    assert MODEL_CACHE.loads == loads + 1
    served_model(beans.MODEL)
    assert MODEL_CACHE.loads == loads + 1  # the first request finds it in memory


def test_env_var_may_name_a_checkpoint_in_models_dir(models_dir, tiny_vit, monkeypatch):
    """STUDIO_BEANS_MODEL=<name> keeps the checkpoint's metrics.json: the accuracy line and model info."""
    make_leaf_checkpoint(models_dir, "beans-named", 0.77, tiny_vit)
    make_leaf_checkpoint(models_dir, "beans-better", 0.90, tiny_vit)
    monkeypatch.setenv("STUDIO_BEANS_MODEL", "beans-named")
    choice = beans.MODEL.resolve()
    assert (choice.source, choice.name, choice.accuracy("validation")) == ("env", "beans-named", 0.77)
    assert "77,0 %" in describe_model(choice) and "tiny-beans" in about_model(choice, beans.label_names(choice))


@pytest.mark.serves
def test_the_first_request_never_races_the_warm_up(tmp_path, tiny_vit):
    """A fresh process warms both tabs up and answers a bean request at once: no lazy-import race."""
    models = tmp_path / "models"
    make_leaf_checkpoint(models, "beans-tiny", 0.5, tiny_vit)
    make_tiny_bert_classifier(models / "sentiment-tiny")
    (models / "sentiment-tiny" / "metrics.json").write_text(json.dumps({"task": "text-classification"}))
    Image.new("RGB", (40, 40), (30, 160, 30)).save(tmp_path / "leaf.png")
    # The request races the warm-up thread; the process then waits for it: exiting while that thread is
    # inside torch's C++ loading aborts the interpreter ("terminate called without an active exception").
    code = ("import app; from studio.beans import tab as beans; warming = app.warm_up(); "
            f"scores, _answered, _about = beans.classify_leaf({str(tmp_path / 'leaf.png')!r}); "
            "print('SCORES', len(scores)); warming.join()")
    env = {**os.environ, "STUDIO_MODELS_DIR": str(models), "OMP_NUM_THREADS": "1", "STUDIO_LANG": "en"}
    for _start in range(2):
        result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0 and "SCORES 3" in result.stdout, result.stderr[-2000:]
        assert "ImportError" not in result.stderr and "could not preload" not in result.stderr


def test_picker_options_list_the_task_checkpoints_best_first(models_dir, tiny_vit):
    make_leaf_checkpoint(models_dir, "beans-weak", 0.40, tiny_vit)
    make_leaf_checkpoint(models_dir, "beans-strong", 0.90, tiny_vit)
    make_leaf_checkpoint(models_dir, "sentiment-x", 0.99, tiny_vit, task="text-classification")
    values = [value for _label, value in beans.MODEL.options()]
    assert values == ["", "beans-strong", "beans-weak"]  # automatic first; offline: no Hub default
    assert beans.MODEL.resolve("beans-weak").source == "picked"
    with pytest.raises(StudioError, match="sentiment-x"):
        beans.MODEL.resolve("sentiment-x")


def test_the_app_averages_the_test_time_views_the_checkpoint_was_evaluated_with(models_dir, tiny_vit):
    from contract.checkpoint import TTA_CONFIG_KEY

    folder = make_leaf_checkpoint(models_dir, "beans-tta", 0.5, tiny_vit)
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, TTA_CONFIG_KEY: ["hflip"]}))
    classifier = served_model(beans.MODEL)[1]
    reference = reference_pipeline()
    picture = Image.new("RGB", (48, 48), (20, 160, 30))
    picture.paste((230, 20, 20), (0, 0, 16, 48))  # asymmetric: its mirror is another picture
    plain = {r["label"]: r["score"] for r in reference(picture, top_k=3)}
    mirror = {r["label"]: r["score"] for r in reference(picture.transpose(Image.Transpose.FLIP_LEFT_RIGHT), top_k=3)}
    averaged = beans.predict_leaf(classifier, picture).scores
    assert averaged == pytest.approx({label: (plain[label] + mirror[label]) / 2 for label in plain}, abs=1e-5)
    assert plain != pytest.approx(mirror, abs=1e-5)  # the views differ, so the average is not a no-op


def reference_pipeline():
    """The transformers pipeline of the tab's model, which the tab itself does not load: what it must answer."""
    from transformers import pipeline

    return pipeline("image-classification", model=beans.MODEL.resolve().ref)


def leaf_pictures() -> list[Image.Image]:
    colours = [(40, 180, 40), (200, 40, 40), (120, 90, 20), (250, 250, 250)]
    return [Image.new("RGB", (500, 375), colour) for colour in colours] + [
        Image.effect_noise((300, 260), sigma).convert("RGB") for sigma in (20, 60, 100)]


def test_shared_forward_passes_answer_what_the_pipeline_answers(models_dir, tmp_path):
    """The lean path (processor per request, one forward for concurrent requests) against
    `pipeline(image, top_k=3)`, the path it replaced: same labels, same scores, alone or 8 at a time."""
    from concurrent.futures import ThreadPoolExecutor

    source = make_tiny_mobilenet(tmp_path / "mobilenet", labels=LEAF_CLASSES)
    make_leaf_checkpoint(models_dir, "beans-mobilenet", 0.5, source)
    classifier = served_model(beans.MODEL)[1]
    reference = reference_pipeline()
    pictures = leaf_pictures()
    expected = [{r["label"]: r["score"] for r in reference(picture, top_k=3)} for picture in pictures]
    alone = [beans.predict_leaf(classifier, picture).scores for picture in pictures]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda picture: beans.predict_leaf(classifier, picture).scores, pictures * 6))
    for got, want in zip(alone + together, expected * 7, strict=True):
        assert list(got) == list(want)
        assert list(got.values()) == pytest.approx(list(want.values()), abs=1e-5)


def test_a_bean_request_reaches_the_model_through_few_calls_of_ours(models_dir, tiny_vit, tmp_path):
    """docs/ARCHITECTURE.md lists one request's path: when the model runs, the request thread and the
    worker thread together hold at most 8 frames of our code, in at most 5 files."""
    import threading

    from studio.beans import tab

    make_leaf_checkpoint(models_dir, "beans-path", 0.5, tiny_vit)
    Image.new("RGB", (64, 64), (40, 180, 40)).save(tmp_path / "leaf.png")
    ours = (str(REPO_ROOT / "studio"), str(REPO_ROOT / "contract"), str(REPO_ROOT / "app.py"))
    request_thread, seen = threading.get_ident(), []

    def our_frames(frame) -> list[str]:
        found = []
        while frame is not None:
            if frame.f_code.co_filename.startswith(ours):
                found.append(f"{Path(frame.f_code.co_filename).relative_to(REPO_ROOT)}:{frame.f_code.co_name}")
            frame = frame.f_back
        return found[::-1]

    def at_the_model(frame, event, _arg):
        if event == "call" and frame.f_code is beans.forward_pass.__code__ and not seen:
            seen.append(our_frames(sys._current_frames()[request_thread]) + our_frames(frame))

    threading.setprofile(at_the_model)  # the batcher's worker thread starts with the first request
    try:
        scores, _answered, _about = tab.classify_leaf(str(tmp_path / "leaf.png"))
    finally:
        threading.setprofile(None)
    assert len(scores) == 3 and seen, scores
    path = seen[0]
    assert path[0] == "studio/ui.py:handled" and path[-1] == "studio/beans/predict.py:forward_pass", path
    assert len(path) <= 8 and len({frame.split(":")[0] for frame in path}) <= 5, path
