"""Named training recipes: one row of flags each, read by the CLI, the Train tab, the benchmarks and README.

`python -m training image --recipe best ...` runs a row's flags; flags given explicitly still win (they
come after the recipe's). Without `--recipe`, a command runs DEFAULT_RECIPE (`fast`), so the plainest
command is the measured recipe, not the dataclasses' bare defaults; with `--strategy` and no `--recipe`,
it runs the row of that strategy (`last-n` -> `best`), or none (`--recipe none`: the bare defaults) when
no row has it, so a row's epochs and learning rate never land on a strategy they were not chosen for. How each row was chosen and what it
scores: docs/RESULTS.md (or README's Results). A value is what the flag takes on the command line; a
flag a row leaves out keeps its dataclass default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from contract.runs import DEFAULT_STRATEGY, STRATEGY_DEFAULTS, STRATEGY_NAMES

DEFAULT_RECIPE = "fast"
NO_RECIPE = "none"  # the dataclasses' own defaults, no row


@dataclass(frozen=True)
class Recipe:
    name: str
    flags: Mapping[str, str] = field(default_factory=dict)
    # English one-liner for `--help` and the README; the app translates by name (studio strings).
    summary: str = ""


# Image rows measured on ImageNet MobileNetV2 -> beans (5-fold over train+validation). `fast` and `best`
# feed the whole leaf at 320-384 px: right for convolutional backbones; a ViT-style model with a fixed
# input size takes `course` (or `--image-size 224`).
IMAGE_RECIPES = {
    "fast": Recipe("fast", {
        "strategy": "head", "resize_mode": "whole", "image_size": "384", "augment": "hflip,vflip",
        "select_best": "false", "tta": "flips",
    }, "frozen backbone at 384 px, classifier only, on the leaf and its two mirrors (about a minute on 2 CPU "
       "cores; 5-fold 0.952)"),
    "best": Recipe("best", {
        "strategy": "last-n", "unfreeze_last": "3", "resize_mode": "whole", "image_size": "320",
        "augment": "hflip,vflip,rot90", "epochs": "3", "learning_rate": "1e-3", "lr_scheduler_type": "cosine",
        "label_smoothing": "0.1", "select_best": "false", "tta": "flips",
    }, "last 3 blocks + classifier at 320 px on cached frozen outputs, 4 views (about 3 minutes on 2 CPU "
       "cores; 5-fold 0.974)"),
    "course": Recipe("course", {
        "strategy": "full", "train_batch_size": "8", "learning_rate": "2e-4", "epochs": "4", "augment": "none",
    }, "the course's chapter 3: every weight, batch 8, lr 2e-4, 4 epochs, the processor's crop, best epoch "
       "(about 5 minutes; 5-fold 0.965)"),
}
# Text rows measured on all-MiniLM-L6-v2 -> SST-2, scored on sst2-sentences/dev.tsv (held-out sentences).
TEXT_RECIPES = {
    "fast": Recipe("fast", {
        "strategy": "full", "epochs": "1", "learning_rate": "1e-4", "max_train_samples": "28000",
        "max_length": "0", "group_by_length": "true",
    }, "every weight, one epoch over at most 28,000 texts, lengths from the data (about 5 minutes on 2 CPU "
       "cores; 0.871 held out)"),
    "best": Recipe("best", {
        "strategy": "full", "epochs": "2", "learning_rate": "1e-4", "max_length": "0", "group_by_length": "true",
    }, "every weight, two epochs over every text (tens of minutes on a CPU)"),
}
RECIPES: dict[str, dict[str, Recipe]] = {"image": IMAGE_RECIPES, "text": TEXT_RECIPES}
# A recipe's input side fits backbones that take any size (convolutions, pooled). Other models (ViT's
# patch grid, fixed position embeddings) keep their own size unless --image-size is given explicitly.
ANY_SIZE_MODEL_TYPES = frozenset({
    "mobilenet_v1", "mobilenet_v2", "resnet", "convnext", "convnextv2", "efficientnet", "regnet", "bit",
    "mobilevit", "mobilevitv2", "levit_cnn", "van", "poolformer",
})
SIZE_FLAGS = ("image_size",)


class UnknownRecipe(ValueError):
    pass


def recipe(kind: str, name: str | None = None) -> Recipe:
    """The row `name` (default DEFAULT_RECIPE) for `kind` ('image' or 'text')."""
    rows = RECIPES.get(kind, {})
    name = (name or DEFAULT_RECIPE).strip().lower()
    if name == NO_RECIPE:
        return Recipe(NO_RECIPE)
    if name not in rows:
        raise UnknownRecipe(f"--recipe must be one of {', '.join([*rows, NO_RECIPE])} for {kind}, got {name!r}")
    return rows[name]


def recipe_for_strategy(kind: str, strategy: str) -> str:
    """The first row of `kind` that trains with `strategy`, else NO_RECIPE."""
    return next((row.name for row in RECIPES.get(kind, {}).values() if row.flags.get("strategy") == strategy),
                NO_RECIPE)


def implied_recipe(kind: str, strategy: str | None = None) -> str:
    """The row a command without --recipe runs: --strategy's row, else DEFAULT_RECIPE."""
    return recipe_for_strategy(kind, strategy) if strategy else DEFAULT_RECIPE


def unset_value(kind: str, flag: str, strategy: str | None = None, recipe_name: str | None = None) -> str | None:
    """What `flag` is when the command line leaves it out, under `--strategy strategy` and `--recipe
    recipe_name` (None: not given): the row's value, else the strategy's own epochs or learning rate
    (contract.runs.STRATEGY_DEFAULTS), else None (the flag's bare default)."""
    row = recipe(kind, recipe_name or implied_recipe(kind, strategy))
    if flag in row.flags:
        return row.flags[flag]
    own = STRATEGY_DEFAULTS[strategy or row.flags.get("strategy") or DEFAULT_STRATEGY]
    return flag_text(own[flag]) if flag in own else None


def flag_text(number: float) -> str:
    """A number as the rows write it: 10, 0.1, 5e-3."""
    if 0 < number < 0.01:
        mantissa, exponent = f"{number:e}".split("e")
        return f"{float(mantissa):g}e{int(exponent)}"
    return f"{number:g}"


def recipe_driven_flags(kind: str) -> list[str]:
    """Every flag a row of `kind` sets, and the epochs and learning rate (a strategy's own when no row sets them)."""
    flags = [*STRATEGY_DEFAULTS[DEFAULT_STRATEGY]]
    for row in RECIPES.get(kind, {}).values():
        flags += [flag for flag in row.flags if flag not in flags]
    return flags


def unset_by_strategy(kind: str, flag: str, bare: str = "") -> str:
    """"head 10, last-n 3, ...": what an unset `flag` is under each --strategy without --recipe (the Train
    tab's case); `bare`: the flag's own default, where neither a row nor the strategy sets it."""
    return ", ".join(f"{name} {unset_value(kind, flag, name) or bare}" for name in STRATEGY_NAMES)


def unset_help(kind: str, flag: str, bare: str) -> str:
    """`--help`'s sentence on what an unset `flag` is (`bare`: its own default, shown as given), from the
    recipe rows and the strategies' own values: never a copy of either."""
    def shown(value: str | None) -> str:
        return bare if value is None else value

    by_strategy = unset_by_strategy(kind, flag, bare)
    by_recipe = ", ".join(f"{name} {shown(unset_value(kind, flag, recipe_name=name))}" for name in RECIPES[kind])
    size = " (the size only for convolutional backbones; others keep their own)" if flag in SIZE_FLAGS else ""
    strategies = "" if flag == "strategy" else f"; with --strategy and no --recipe: {by_strategy}"
    return f"Unset: {shown(unset_value(kind, flag))} (recipe {DEFAULT_RECIPE}){size}{strategies}; with --recipe: {by_recipe}."


def recipe_help(kind: str) -> str:
    """`--recipe`'s help: the rows of `kind` and which one runs without --recipe."""
    implied = ", ".join(f"{name} runs {recipe_for_strategy(kind, name)}" for name in STRATEGY_NAMES)
    rows = "; ".join(f"{row.name}{' (the default)' if row.name == DEFAULT_RECIPE else ''}: {row.summary}"
                     for row in RECIPES[kind].values())
    return (f"A named row of flags (contract/recipes.py), under the flags given here. {rows}; {NO_RECIPE}: the "
            f"bare defaults. Without --recipe, --strategy picks the row: {implied}.")


def recipe_flags(kind: str, name: str | None = None, model_type: str | None = None) -> dict[str, str]:
    """The row's flags for a base model of `model_type` (config.json's; None = unknown, kept to its own size)."""
    flags = dict(recipe(kind, name).flags)
    if kind == "image" and model_type not in ANY_SIZE_MODEL_TYPES:
        flags = {flag: value for flag, value in flags.items() if flag not in SIZE_FLAGS}
    return flags


def recipe_argv(kind: str, name: str | None = None, model_type: str | None = None) -> list[str]:
    """The row as command-line flags (`--strategy head ...`), to be followed by the user's own."""
    argv: list[str] = []
    for flag, value in recipe_flags(kind, name, model_type).items():
        argv += [f"--{flag}", value]
    return argv


def flag_value(argv: Sequence[str], flag: str) -> str | None:
    """The last value of `--flag` (or `--flag-with-dashes`, `--flag=value`) in argv, else None."""
    names = {f"--{flag}", f"--{flag.replace('_', '-')}"}
    found = None
    for index, item in enumerate(argv):
        if item in names and index + 1 < len(argv):
            found = argv[index + 1]
        elif "=" in item and item.split("=", 1)[0] in names:
            found = item.split("=", 1)[1]
    return found


def split_recipe(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """(`--recipe` value or None, argv without it); accepts `--recipe X` and `--recipe=X` (last one wins)."""
    found, rest, index = None, [], 0
    argv = list(argv)
    while index < len(argv):
        item = argv[index]
        if item == "--recipe":
            if index + 1 >= len(argv):
                raise UnknownRecipe("--recipe needs a value")
            found, index = argv[index + 1], index + 2
            continue
        if item.startswith("--recipe="):
            found = item.split("=", 1)[1]
        else:
            rest.append(item)
        index += 1
    return found, rest


def with_recipe(kind: str, argv: Sequence[str], model_type: str | None = None, record: bool = False) -> list[str]:
    """argv with the recipe's flags put first, so the user's explicit flags override them.

    record: keep `--recipe <name>` (last), for a parser that has the field and records it in metrics.json.
    """
    name, rest = split_recipe(argv)
    strategy = flag_value(rest, "strategy")
    row = recipe(kind, name or (recipe_for_strategy(kind, strategy) if strategy else None))
    return [*recipe_argv(kind, row.name, model_type), *rest, *(["--recipe", row.name] if record else [])]


def with_recipe_config(kind: str, config: Mapping[str, object], model_type: str | None = None,
                       record: bool = False) -> dict[str, object]:
    """A JSON/YAML config's keys over the recipe's (the config's `recipe` key, default DEFAULT_RECIPE)."""
    strategy = config.get("strategy")
    row = recipe(kind, str(config.get("recipe") or (recipe_for_strategy(kind, str(strategy)) if strategy else "")))
    flags = {flag: parsed_value(value) for flag, value in recipe_flags(kind, row.name, model_type).items()}
    merged = {**flags, **{key: value for key, value in config.items() if key != "recipe"}}
    return {**merged, "recipe": row.name} if record else merged


def parsed_value(value: str) -> object:
    """A flag's command-line text as the JSON value a config file would hold."""
    if value in ("true", "false"):
        return value == "true"
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value
