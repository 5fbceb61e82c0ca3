"""`--recipe fast|best|course`: a named row of flags (contract/recipes.py) under the command's own flags.

`python -m training image|text` runs the `fast` row unless told otherwise; an explicit flag (or a key of a
JSON/YAML config file) overrides the row's value for that flag.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from contract.recipes import UnknownRecipe, flag_value, with_recipe, with_recipe_config
from training.commands.parser import CONFIG_SUFFIXES, config_error
from training.errors import UserError


@contextmanager
def recipe_applied(kind: str, argv: list[str]) -> Iterator[list[str]]:
    """argv with the recipe's flags first and `--recipe <row>` last (TrainArgs.recipe: metrics.json records
    which row ran); a config file is read, merged and handed on as a temporary copy."""
    try:
        if len(argv) == 1 and argv[0].lower().endswith(CONFIG_SUFFIXES) and Path(argv[0]).is_file():
            config = read_config(Path(argv[0]))
            model_type = base_model_type(kind, str(config.get("base_model") or ""))
            with tempfile.TemporaryDirectory(prefix="recipe-") as folder:
                merged = Path(folder) / "run.json"
                merged.write_text(json.dumps(with_recipe_config(kind, config, model_type, record=True)))
                yield [str(merged)]
            return
        expanded = with_recipe(kind, argv, base_model_type(kind, flag_value(argv, "base_model") or ""), record=True)
    except UnknownRecipe as error:
        raise UserError(str(error)) from None
    yield expanded


def base_model_type(kind: str, ref: str) -> str | None:
    """config.json's model_type of an image base model (local folder, or a Hub id already cached), else None."""
    if kind != "image" or not ref:  # no --base-model: the command's default, a ViT (its own size)
        return None
    config = Path(ref).expanduser() / "config.json"
    if not config.is_file():
        from huggingface_hub import try_to_load_from_cache

        try:  # never the network: a model not cached yet keeps its own input size
            cached = try_to_load_from_cache(ref, "config.json")
        except ValueError:  # not a repo id
            return None
        if not isinstance(cached, str):
            return None
        config = Path(cached)
    try:
        return json.loads(config.read_text(encoding="utf-8")).get("model_type")
    except (OSError, ValueError, AttributeError):
        return None


def read_config(path: Path) -> dict:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        content = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as error:
        raise UserError(f"bad config file {path}: {config_error(error)}") from None
    if not isinstance(content, dict):
        raise UserError(f"bad config file {path}: expected keys and values, got {type(content).__name__}")
    return content
