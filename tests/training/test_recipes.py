"""Named recipes (contract/recipes.py): the plainest command runs `fast`, explicit flags win, configs too."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from contract.paths import REPO_ROOT
from contract.recipes import DEFAULT_RECIPE, RECIPES, recipe_flags, split_recipe, with_recipe
from training.commands.parser import parse_args
from training.commands.recipes import base_model_type, recipe_applied

IMAGE_COMMAND = ["--data-dir", "beans", "--base-model", "mobilenet", "--name", "beans"]


def parsed_image(argv: list[str], models_dir: Path):
    from training.flow.args import TrainArgs
    from training.modalities.image_args import ImageDataArgs, ImageModelArgs

    return parse_args((TrainArgs, ImageDataArgs, ImageModelArgs), [*argv, "--models-dir", str(models_dir)])


def test_the_plainest_image_command_is_the_fast_recipe(tmp_path):
    train, data, _ = parsed_image(with_recipe("image", IMAGE_COMMAND, "mobilenet_v2"), tmp_path)
    assert DEFAULT_RECIPE == "fast"
    assert (train.strategy, train.select_best, data.resize_mode, data.image_size, data.augment, data.tta) == (
        "head", False, "whole", 384, "hflip,vflip", "flips")


def test_explicit_flags_override_the_recipe_in_either_spelling(tmp_path):
    argv = [*IMAGE_COMMAND, "--recipe", "best", "--image-size", "256", "--select_best", "true", "--epochs=2"]
    train, data, _ = parsed_image(with_recipe("image", argv, "mobilenet_v2"), tmp_path)
    assert (train.strategy, train.unfreeze_last, train.learning_rate, train.label_smoothing) == ("last-n", 3, 1e-3, 0.1)
    assert (data.image_size, train.select_best, train.epochs) == (256, True, 2)


def test_a_fixed_size_backbone_keeps_its_own_input_size(tmp_path):
    _, data, _ = parsed_image(with_recipe("image", IMAGE_COMMAND, "vit"), tmp_path)
    assert data.image_size is None and data.resize_mode == "whole"
    assert "image_size" in recipe_flags("image", "fast", "mobilenet_v2")
    assert "image_size" not in recipe_flags("image", "fast", None)


def test_base_model_type_reads_a_local_config_and_never_the_network(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "mobilenet_v2"}))
    assert base_model_type("image", str(tmp_path)) == "mobilenet_v2"
    assert base_model_type("image", "nobody/not-cached-anywhere") is None
    assert base_model_type("text", str(tmp_path)) is None


def test_every_recipe_row_parses(tmp_path):
    from training.flow.args import TrainArgs
    from training.modalities.text_args import TextDataArgs, TextModelArgs

    for name in RECIPES["image"]:
        parsed_image(with_recipe("image", [*IMAGE_COMMAND, "--recipe", name], "mobilenet_v2"), tmp_path)
    for name in RECIPES["text"]:
        argv = with_recipe("text", ["--data-dir", "x", "--name", "t", "--recipe", name, "--models-dir", str(tmp_path)])
        train, data, _ = parse_args((TrainArgs, TextDataArgs, TextModelArgs), argv)
        assert train.strategy == "full" and data.max_length == 0 and data.group_by_length


def test_a_config_file_takes_the_recipe_under_its_own_keys(tmp_path):
    config = tmp_path / "run.yaml"
    config.write_text(f"recipe: best\nepochs: 7\nname: b\nmodels_dir: {tmp_path}\n")
    from training.flow.args import TrainArgs
    from training.modalities.image_args import ImageDataArgs, ImageModelArgs

    with recipe_applied("image", [str(config)]) as argv:
        train, data, _ = parse_args((TrainArgs, ImageDataArgs, ImageModelArgs), argv)
    assert (train.strategy, train.epochs, data.image_size) == ("last-n", 7, None)  # no base model: own size


def test_a_strategy_without_a_recipe_runs_that_strategys_row_or_none(tmp_path):
    train, data, _ = parsed_image(with_recipe("image", [*IMAGE_COMMAND, "--strategy", "last-n"], "mobilenet_v2"),
                                  tmp_path)
    assert (train.unfreeze_last, train.epochs, data.image_size) == (3, 3, 320)  # the best row
    train, data, _ = parsed_image(with_recipe("image", [*IMAGE_COMMAND, "--strategy", "probe-then-full"],
                                              "mobilenet_v2"), tmp_path)
    assert (train.epochs, data.resize_mode, data.image_size) == (None, "crop", None)  # no row: bare defaults
    argv = with_recipe("text", ["--strategy", "head"])  # the text rows are `full`'s: their lr would ruin head
    assert argv == ["--strategy", "head"]
    assert with_recipe("image", ["--recipe", "none"]) == []


def test_split_recipe_forms():
    assert split_recipe(["--a", "1", "--recipe", "best", "--recipe=fast"]) == ("fast", ["--a", "1"])
    assert split_recipe(["--a"]) == (None, ["--a"])


@pytest.mark.serves
@pytest.mark.trains
def test_an_unknown_recipe_is_one_line_and_status_2():
    result = subprocess.run([sys.executable, "-m", "training", "image", "--recipe", "slow", "--name", "x"],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: --recipe must be one of fast, best, course, none for image, got 'slow'"]


@pytest.mark.parametrize("kind", ["image", "text"])
def test_bench_and_readme_name_only_known_recipes(kind):
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    named = {line.split("--recipe", 1)[1].split()[0] for line in readme.splitlines()
             if f"python -m training {kind}" in line and "--recipe" in line}
    assert named <= set(RECIPES[kind])


def test_the_train_tabs_hints_name_the_recipes_numbers():
    """The Train tab runs each strategy's recipe (the CLI picks it from --strategy): its hints say so truly."""
    from studio.i18n import t

    image, text = RECIPES["image"], RECIPES["text"]
    for lang in ("es", "en"):
        epochs, rate = t("train.epochs.info", lang=lang, max="20"), t("train.learning_rate.info", lang=lang)
        images, texts = epochs.split(";")[:2]
        assert f"last-n {image['best'].flags['epochs']}," in images and f"full {image['course'].flags['epochs']}" in images
        assert f"full {text['fast'].flags['epochs']}" in texts
        images, texts = rate.split(";")[:2]
        assert f"last-n {image['best'].flags['learning_rate']}," in images
        assert f"full {image['course'].flags['learning_rate']}" in images and f"full {text['fast'].flags['learning_rate']}" in texts
