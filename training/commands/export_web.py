"""`python -m training export-web --checkpoint models/<name> --output <folder>`: the offline page.

The page itself is built by contract/offline_page.py, which the app's download buttons call too; this
command only parses its flags and says in one line what went wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from contract.offline_page import OfflinePageError, build_offline_page, folder_size
from training.commands.parser import parse_args
from training.errors import UserError
from training.outputs.web import MESSAGES


@dataclass
class WebArgs:
    """`python -m training export-web --checkpoint models/<name> --output <folder>`: a folder with index.html
    that classifies photos in a browser with no server (file://, a static host, a phone)."""

    checkpoint: str = field(metadata={"help": "A local image-classification checkpoint folder with model.onnx "
                                              "(model.int8.onnx is used when there is one)."})
    output: str | None = field(default=None, metadata={"help": "The folder to write; default <checkpoint>-web."})


def main(argv: list[str]) -> int:
    (args,) = parse_args((WebArgs,), argv, prog="python -m training export-web")
    checkpoint = Path(args.checkpoint).expanduser().resolve()
    if not checkpoint.is_dir():
        raise UserError(f"--checkpoint: no folder {checkpoint}")
    output = Path(args.output).expanduser().resolve() if args.output else checkpoint.with_name(checkpoint.name + "-web")
    try:
        page = build_offline_page(checkpoint, output)
    except OfflinePageError as error:
        raise UserError(MESSAGES[error.key].format(**error.fields)) from None
    print(f"{page / 'index.html'} written ({folder_size(page) / 1e6:.1f} MB): open it in a browser, "
          f"or copy the folder to a phone or a static host")
    return 0
