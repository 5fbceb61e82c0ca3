"""The one parser every command uses: its dataclasses' fields as CLI flags (`--epochs 3`) or as keys of
a JSON/YAML file given as the only argument (`run.yaml`), e.g. `parse_args((TrainArgs, ImageDataArgs,
ImageModelArgs), argv)`.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from contract.errors import first_line
from contract.recipes import recipe_driven_flags, recipe_help, unset_help
from training.errors import UserError

CONFIG_SUFFIXES = (".json", ".yaml", ".yml")


def parser_of(dataclass_types: tuple[type, ...], prog: str | None = None, kind: str | None = None):
    """transformers' HfArgumentParser of `dataclass_types`; for a recipe command (`kind` image or text),
    each flag a recipe row sets says what it is when unset, from the recipe and strategy tables."""
    from transformers import HfArgumentParser

    parser = HfArgumentParser(dataclass_types, prog=prog)
    if kind:
        for action in parser._actions:
            if action.dest == "recipe":
                action.help = recipe_help(kind)
            elif action.dest in recipe_driven_flags(kind) and not action.option_strings[0].startswith("--no_"):
                bare = "unset" if action.default is None else str(action.default).lower()
                # "%(default)s" in the text: argparse then adds no "(default: ...)", which would be the bare one
                action.help = f"{action.help or ''} {unset_help(kind, action.dest, bare)} --recipe none: %(default)s."
    return parser


def parse_args(dataclass_types: tuple[type, ...], argv: list[str], prog: str | None = None,
               kind: str | None = None) -> tuple[Any, ...]:
    """Parse CLI flags, or a single JSON/YAML config file path, into instances of `dataclass_types`."""
    import yaml

    parser = parser_of(dataclass_types, prog, kind)
    if len(argv) == 1 and argv[0].lower().endswith(CONFIG_SUFFIXES):
        path = Path(argv[0])
        if not path.is_file():
            raise UserError(f"config file not found: {path}")
        read = parser.parse_json_file if path.suffix.lower() == ".json" else parser.parse_yaml_file
        try:
            return tuple(read(path))
        except UserError:
            raise
        except (ValueError, TypeError, yaml.YAMLError) as error:  # unknown keys, wrong types, bad syntax
            raise UserError(f"bad config file {path}: {config_error(error)}") from None
    return tuple(parser.parse_args_into_dataclasses(args=argv, look_for_args_file=False))


def config_error(error: Exception) -> str:
    """One line about a config file that cannot be read: YAML's problem and where, else the first line."""
    import yaml

    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        return f"YAML syntax error at line {error.problem_mark.line + 1}: {error.problem}"
    return first_line(error)


def args_dict(*instances: Any) -> dict[str, Any]:
    """Every dataclass argument used, merged into one JSON-friendly dict (for metrics.json)."""
    merged: dict[str, Any] = {}
    for instance in instances:
        merged.update(asdict(instance))
    return merged
