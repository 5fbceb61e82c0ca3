"""A tab's model as the offline page (contract/offline_page.py), zipped for the "download" buttons.

The page is built by the same function `python -m training export-web` calls; here it gets the labels
in both UI languages and becomes one zip in DOWNLOADS_DIR (Gradio serves files from the temp dir), which
keeps the MAX_DOWNLOADS newest. On a Space the runtime files come with the app (deploy-space uploads
web/node_modules' onnxruntime-web/dist files, or the operator sets STUDIO_WEB_RUNTIME); where they are
missing the button answers with one sentence (offline.no_runtime).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from contract.checkpoint import is_checkpoint, load_metrics
from contract.offline_page import OfflinePageError, build_offline_page
from studio.answers.about import LABEL_KEYS
from studio.i18n import LANGUAGES, t

DOWNLOADS_DIR = Path(tempfile.gettempdir()) / "studio-offline-pages"
MAX_DOWNLOADS = 8  # about 8 MB each


def shown_labels(labels: list[str]) -> dict[str, list[str]]:
    """Each class name in each UI language: translated when the app knows it ('bean_rust' -> 'Roya del frijol')."""
    return {lang: [t(LABEL_KEYS[label.lower()], lang) if label.lower() in LABEL_KEYS else label.replace("_", " ")
                   for label in labels] for lang in LANGUAGES}


def offline_zip(checkpoint: str | Path) -> Path:
    """The offline page of a local image checkpoint as `<name>-offline.zip` (OfflinePageError otherwise)."""
    checkpoint = Path(checkpoint)
    if not is_checkpoint(checkpoint):
        raise OfflinePageError("offline.not_local")
    try:
        labels = [str(label) for label in load_metrics(checkpoint).get("label_names") or ()]
    except (OSError, ValueError):
        raise OfflinePageError("offline.not_checkpoint") from None
    DOWNLOADS_DIR.mkdir(parents=True, exist_ok=True)
    for old in sorted(DOWNLOADS_DIR.iterdir(), key=lambda path: path.stat().st_mtime)[:-MAX_DOWNLOADS + 1]:
        shutil.rmtree(old, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix="page-", dir=DOWNLOADS_DIR))
    page = build_offline_page(checkpoint, work / f"{checkpoint.name}-offline", shown_labels(labels))
    archive = shutil.make_archive(str(page), "zip", root_dir=work, base_dir=page.name)
    shutil.rmtree(page)
    return Path(archive)
