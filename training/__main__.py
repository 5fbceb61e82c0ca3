"""`python -m training <command> [args]`: one entry point; each command is a function in training/commands/.

`image` and `text` run a named recipe (`--recipe`, default `fast`: contract/recipes.py) under the flags
given. A UserError (bad data, arguments or paths) becomes one readable line on stderr and exit status 2,
never a traceback.
"""

from __future__ import annotations

import importlib
import sys

from contract.errors import redact_tokens
from training.commands.recipes import recipe_applied
from training.errors import UserError

# command -> (module, function(argv) -> exit status, what it does: the usage text lists these)
COMMANDS = {
    "image": ("training.commands.image", "main", "fine-tune an image classifier"),
    "text": ("training.commands.text", "main", "fine-tune a text classifier"),
    "evaluate": ("training.commands.evaluate", "main", "evaluate a checkpoint on a split"),
    "push": ("training.commands.hub", "push_main", "upload a checkpoint to the Hub"),
    "deploy-space": ("training.commands.hub", "deploy_space_main", "create/update the app as a Space"),
    "export-onnx": ("training.commands.export_onnx", "main", "add model.onnx to an image checkpoint"),
    "export-web": ("training.commands.export_web", "main", "an offline page that runs an image checkpoint in a browser"),
    "inspect": ("training.commands.inspect", "main", "suspect labels and top losses of a checkpoint"),
    "visitors": ("training.commands.visitors", "list_main", "list the runs visitors trained in the app"),
    "promote": ("training.commands.visitors", "promote_main", "make a visitor's run an operator's checkpoint"),
}
RECIPE_COMMANDS = ("image", "text")


def usage() -> str:
    width = max(map(len, COMMANDS))
    listed = "\n".join(f"    {name:<{width}}  {does}" for name, (_module, _function, does) in COMMANDS.items())
    return f"usage: python -m training <command> [args]   (<command> --help for its flags)\n\n{listed}\n\n" + \
        __doc__.split("\n\n", 1)[1].strip()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        print(usage(), file=sys.stderr if argv and argv[0] not in ("-h", "--help") else sys.stdout)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    module_name, function_name, _does = COMMANDS[argv[0]]
    command = getattr(importlib.import_module(module_name), function_name)
    try:
        if argv[0] not in RECIPE_COMMANDS or any(flag in ("-h", "--help") for flag in argv[1:]):
            return int(command(argv[1:]) or 0)
        with recipe_applied(argv[0], argv[1:]) as expanded:
            return int(command(expanded) or 0)
    except UserError as error:
        print(f"error: {redact_tokens(str(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: re-run with --resume to continue from the last checkpoint", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
