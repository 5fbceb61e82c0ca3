"""The offline page in a Hub push or a Space: its files as commit operations (the page is built by
contract/offline_page.py, which the app's download buttons and `export-web` call too)."""

from __future__ import annotations

from pathlib import Path

from contract.offline_page import OfflinePageError, build_offline_page

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
