"""`python -m training visitors` and `python -m training promote`: the operator's view of a shared studio.

Visitors' runs live apart (contract/visitors.py) and are never a tab's default; the operator lists them
and promotes one into models/, where it becomes a checkpoint of theirs like any trained with the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contract.checkpoint import read_metrics, split_accuracy
from contract.paths import models_dir as default_models_dir
from contract.runs import is_run_name
from contract.tables import format_table
from contract.visitors import is_owner, list_owners, owner_checkpoints, promote
from training.commands.parser import parse_args
from training.errors import UserError


@dataclass(frozen=True)
class VisitorsArgs:
    models_dir: str | None = field(default=None, metadata={"help": "Models folder (default: $STUDIO_MODELS_DIR or models/)."})


@dataclass(frozen=True)
class PromoteArgs:
    owner: str = field(metadata={"help": "The visitor's owner id, as `python -m training visitors` lists it."})
    name: str = field(metadata={"help": "The visitor's run to promote."})
    as_name: str | None = field(default=None, metadata={"help": "Its name in models/ (default: the same)."})
    overwrite: bool = field(default=False, metadata={"help": "Replace a checkpoint of that name in models/."})
    models_dir: str | None = field(default=None, metadata={"help": "Models folder (default: $STUDIO_MODELS_DIR or models/)."})


def list_main(argv: list[str]) -> int:
    (args,) = parse_args((VisitorsArgs,), argv, prog="python -m training visitors")
    root = args.models_dir or default_models_dir()
    rows = []
    for owner in list_owners(root):
        for folder in owner_checkpoints(root, owner):
            metrics = read_metrics(folder)
            accuracy = split_accuracy(metrics, "validation")
            rows.append({"owner": owner, "run": folder.name, "task": metrics.get("task", ""),
                         "validation": "" if accuracy is None else f"{accuracy:.4f}"})
    print(format_table(rows, ["owner", "run", "task", "validation"]) if rows else "no visitor runs")
    return 0


def promote_main(argv: list[str]) -> int:
    (args,) = parse_args((PromoteArgs,), argv, prog="python -m training promote")
    root = args.models_dir or default_models_dir()
    target = args.as_name or args.name
    if not is_owner(args.owner) or not is_run_name(args.name) or not is_run_name(target):
        raise UserError(f"bad owner or run name: {args.owner!r:.40} {args.name!r:.100}")
    try:
        folder = promote(root, args.owner, args.name, target, overwrite=args.overwrite)
    except FileNotFoundError:
        raise UserError(f"{args.owner} has no run {args.name!r} (see: python -m training visitors)") from None
    except FileExistsError:
        raise UserError(f"models/{target} exists: pass --overwrite or --as-name another") from None
    print(f"promoted: {folder}")
    return 0
