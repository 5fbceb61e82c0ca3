"""`python -m training export-web --checkpoint models/<name> --output <folder>`: the offline page.

The page itself is built by contract/offline_page.py, which the app's download buttons call too; this
command only parses its flags and says in one line what went wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from contract.offline_page import OfflinePageError, build_offline_page, folder_size
from training.errors import UserError

# contract.offline_page's refusals, as the CLI says them (the app's words: studio strings).
MESSAGES = {
    "offline.no_runtime": "the JavaScript runtime is not installed in {folder}: run `npm ci --prefix web` "
                          "(make run and make test do) or set STUDIO_WEB_RUNTIME to onnxruntime-web's dist folder",
    "offline.no_graph": "the checkpoint has no model.onnx: run `python -m training export-onnx --checkpoint "
                        "<folder> --quantize int8` first",
    "offline.too_big": "the graph is {size_mb} MB: too big for a page a phone opens",
    "offline.not_checkpoint": "--checkpoint is not a checkpoint folder (no readable metrics.json)",
    "offline.not_image": "the offline page runs image classifiers; this checkpoint is {task}",
    "offline.no_processor": "the checkpoint has no preprocessor_config.json",
    "offline.unsupported": "the page cannot repeat this checkpoint's preprocessing ({what})",
}


@dataclass
class WebArgs:
    """`python -m training export-web --checkpoint models/<name> --output <folder>`: a folder with index.html
    that classifies photos in a browser with no server (file://, a static host, a phone)."""

    checkpoint: str = field(metadata={"help": "A local image-classification checkpoint folder with model.onnx "
                                              "(model.int8.onnx is used when there is one)."})
    output: str | None = field(default=None, metadata={"help": "The folder to write; default <checkpoint>-web."})


def main(argv: list[str]) -> int:
    from training.args import parse_args

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


OFFLINE_FOLDER = "offline"  # where a Hub push puts the page in the model repo


def page_operations(checkpoint: Path, scratch: Path) -> list:
    """A push's offline page: the files of an image checkpoint's page under offline/ (built in `scratch`,
    which must outlive the commit), or none, and why on stdout (the push's last line stays its result, which
    the Train tab shows), when it cannot be built here."""
    from huggingface_hub import CommitOperationAdd

    from contract.checkpoint import IMAGE_CLASSIFICATION, checkpoint_task

    if checkpoint_task(checkpoint) != IMAGE_CLASSIFICATION:
        return []
    try:
        page = build_offline_page(checkpoint, scratch / OFFLINE_FOLDER)
    except OfflinePageError as error:
        print(f"note: no offline page in the push: {MESSAGES[error.key].format(**error.fields)}")
        return []
    return [CommitOperationAdd(path_in_repo=f"{OFFLINE_FOLDER}/{path.name}", path_or_fileobj=str(path))
            for path in sorted(page.iterdir())]


def runtime_operations(root: Path) -> list:
    """onnxruntime-web's files for a Space, at the path the app reads them from (a Space has no npm), or
    none when they are not installed here (the Space's download buttons then say so)."""
    from huggingface_hub import CommitOperationAdd

    from contract.offline_page import RUNTIME_DIR, RUNTIME_FILES, check_runtime
    from contract.paths import REPO_ROOT

    runtime = root / RUNTIME_DIR.relative_to(REPO_ROOT)
    try:
        check_runtime(runtime)
    except OfflinePageError:
        return []
    return [CommitOperationAdd(path_in_repo=(runtime / name).relative_to(root).as_posix(),
                               path_or_fileobj=str(runtime / name)) for name in RUNTIME_FILES]
