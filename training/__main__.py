"""`python -m training <command> [args]`: one entry point, one module per command.

    image         fine-tune an image classifier        (training.image)
    text          fine-tune a text classifier          (training.text)
    evaluate      evaluate a checkpoint on a split     (training.evaluate)
    push          upload a checkpoint to the Hub       (training.hub)
    deploy-space  create/update the app as a Space     (training.hub)
    export-onnx   add model.onnx to an image checkpoint (training.export)
    export-web    an offline page that runs an image checkpoint in a browser (training.web)
    inspect       suspect labels and top losses of a checkpoint (training.inspect)
    visitors      list the runs visitors trained in the app (training.visitors)
    promote       make a visitor's run an operator's checkpoint (training.visitors)

Each command module has `main(argv: list[str]) -> int`. `image` and `text` run a named recipe
(`--recipe`, default `fast`: contract/recipes.py) under the flags given. A UserError (bad data, arguments or paths)
becomes one readable line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

from contract.errors import redact_tokens
from training.errors import UserError
from training.recipes import recipe_applied

COMMANDS = {
    "image": ("training.image", "main"),
    "text": ("training.text", "main"),
    "evaluate": ("training.evaluate", "main"),
    "push": ("training.hub", "push_main"),
    "deploy-space": ("training.hub", "deploy_space_main"),
    "export-onnx": ("training.export", "main"),
    "export-web": ("training.web", "main"),
    "inspect": ("training.inspect", "main"),
    "visitors": ("training.visitors", "list_main"),
    "promote": ("training.visitors", "promote_main"),
}
RECIPE_COMMANDS = ("image", "text")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        print(__doc__.strip(), file=sys.stderr if argv and argv[0] not in ("-h", "--help") else sys.stdout)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    module_name, function_name = COMMANDS[argv[0]]
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
